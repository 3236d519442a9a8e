/* test-metadata.c: the tutorial's metadata CSV
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sa-error.h"
#include "sa-metadata.h"

static void
test_tutorial_file (void)
{
  g_autofree char *path = g_test_build_filename (
      G_TEST_DIST, "data", "ismir2018_tut_part_1_genres_metadata_subset.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMetadata) md = sa_metadata_load (path, &error);
  int artist;

  g_assert_no_error (error);
  g_assert_cmpuint (sa_metadata_get_n_rows (md), ==, 1998);
  g_assert_cmpuint (sa_metadata_get_n_columns (md), ==, 11);
  g_assert_cmpstr (sa_metadata_get_column_name (md, 0), ==, "");
  g_assert_cmpint (sa_metadata_find_column (md, "clip_id"), ==, 1);
  artist = sa_metadata_find_column (md, "artist");
  g_assert_cmpint (artist, ==, 5);
  g_assert_cmpint (sa_metadata_get_clip_id (md, 0), ==, 41797);
  g_assert_cmpstr (sa_metadata_get (md, 0, artist), ==, "Jackalopes");
  g_assert_cmpstr (sa_metadata_get (md, 0, 0), ==, "19072");
  g_assert_cmpstr (sa_metadata_get (md, 1, sa_metadata_find_column (md, "title")), ==,
                   "-A Question (Tobias Hume)-");
  g_assert_cmpstr (sa_metadata_get (md, 0, -1), ==, "");
}

static void
test_quoting_and_extras (void)
{
  const char *csv = "\xef\xbb\xbf,clip_id,title,artist,mood\r\n"
                    "7,42150.0,\"Bethena, a \"\"concert\"\" waltz\",Professor Armchair,\n"
                    "8,16994,\"Two\nlines\",Liquid Zen,calm\n"
                    "\n"
                    "9,4.2e1,Étude,Chopin,\"\"\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMetadata) md = sa_metadata_parse (csv, strlen (csv), "mem.csv", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sa_metadata_get_n_rows (md), ==, 3);
  g_assert_cmpint (sa_metadata_get_clip_id (md, 0), ==, 42150);
  g_assert_cmpint (sa_metadata_get_clip_id (md, 2), ==, 42);
  g_assert_cmpstr (sa_metadata_get (md, 0, 2), ==, "Bethena, a \"concert\" waltz");
  g_assert_cmpstr (sa_metadata_get (md, 1, 2), ==, "Two\nlines");
  g_assert_cmpstr (sa_metadata_get (md, 2, 2), ==, "Étude");
  g_assert_cmpstr (sa_metadata_get (md, 0, 4), ==, "");
  g_assert_cmpstr (sa_metadata_get (md, 1, sa_metadata_find_column (md, "mood")), ==, "calm");
}

static void
expect_error (const char *csv, gssize len, int code, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMetadata) md
      = sa_metadata_parse (csv, len < 0 ? strlen (csv) : (gsize) len, "bad.csv", &error);

  g_assert_null (md);
  g_assert_error (error, SA_ERROR, code);
  g_assert_nonnull (strstr (error->message, "bad.csv"));
  if (needle)
    g_assert_nonnull (strstr (error->message, needle));
}

static void
test_errors (void)
{
  expect_error ("", 0, SA_ERROR_EMPTY, NULL);
  expect_error (",title,artist\n1,a,b\n", -1, SA_ERROR_MISSING, "clip_id");
  expect_error (",clip_id,title\n1,5,a,extra\n", -1, SA_ERROR_CSV, "line 2");
  expect_error (",clip_id,title\n1,5,a\n2,6\n", -1, SA_ERROR_CSV, "line 3");
  expect_error (",clip_id,title\n1,5,\"never closed\n", -1, SA_ERROR_CSV, NULL);
  expect_error (",clip_id,title\n1,5,ab\"c\"d\n", -1, SA_ERROR_CSV, "line 2");
  expect_error (",clip_id,title\n1,5,caf\xe9\n", -1, SA_ERROR_ENCODING, "line 2");
  expect_error (",clip_id,title\n1,5.5,a\n", -1, SA_ERROR_CSV, "5.5");
  expect_error (",clip_id,title\n1,,a\n", -1, SA_ERROR_CSV, "line 2");
}

static void
test_clip_id_parsing (void)
{
  gint64 v;
  g_assert_true (sa_parse_clip_id ("42150.0", &v) && v == 42150);
  g_assert_true (sa_parse_clip_id (" 7 ", &v) && v == 7);
  g_assert_true (sa_parse_clip_id ("-3", &v) && v == -3);
  g_assert_false (sa_parse_clip_id ("nan", &v));
  g_assert_false (sa_parse_clip_id ("1e300", &v));
  g_assert_false (sa_parse_clip_id ("12abc", &v));
}

static void
test_write_roundtrip (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "metadata-roundtrip.csv", NULL);
  const char *columns[] = { "clip_id", "title", "artist", NULL };
  const char *row1[] = { "1", "Comma, \"quote\"", "Ünïcode" };
  const char *row2[] = { "2", "Two\nlines", "" };
  g_autoptr (SaMetadataWriter) w = sa_metadata_writer_new (columns);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMetadata) md = NULL;

  sa_metadata_writer_add_row (w, "0", row1);
  sa_metadata_writer_add_row (w, "1", row2);
  g_assert_true (sa_metadata_writer_save (w, path, &error));
  md = sa_metadata_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_metadata_get_n_rows (md), ==, 2);
  g_assert_cmpstr (sa_metadata_get (md, 0, 2), ==, row1[1]);
  g_assert_cmpstr (sa_metadata_get (md, 0, 3), ==, row1[2]);
  g_assert_cmpstr (sa_metadata_get (md, 1, 2), ==, row2[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/metadata/tutorial-file", test_tutorial_file);
  g_test_add_func ("/soundalike/metadata/quoting-and-extras", test_quoting_and_extras);
  g_test_add_func ("/soundalike/metadata/errors", test_errors);
  g_test_add_func ("/soundalike/metadata/clip-id", test_clip_id_parsing);
  g_test_add_func ("/soundalike/metadata/write-roundtrip", test_write_roundtrip);
  return g_test_run ();
}
