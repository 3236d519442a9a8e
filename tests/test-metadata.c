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

/* ---- the cache block the store keeps (sa_metadata_write_cache) ---- */

static gboolean
append_to (gconstpointer data, gsize len, gpointer user_data)
{
  g_byte_array_append (user_data, data, (guint) len);
  return TRUE;
}

static GBytes *
cache_of (SaMetadata *md)
{
  GByteArray *out = g_byte_array_new ();

  g_assert_true (sa_metadata_write_cache (md, append_to, out));
  return g_byte_array_free_to_bytes (out);
}

/* Every column name, clip id and cell equal. */
static void
assert_same_metadata (SaMetadata *a, SaMetadata *b)
{
  guint nr = sa_metadata_get_n_rows (a), nc = sa_metadata_get_n_columns (a);

  g_assert_cmpuint (nr, ==, sa_metadata_get_n_rows (b));
  g_assert_cmpuint (nc, ==, sa_metadata_get_n_columns (b));
  g_assert_cmpint (sa_metadata_find_column (a, "clip_id"), ==,
                   sa_metadata_find_column (b, "clip_id"));
  for (guint c = 0; c < nc; c++)
    g_assert_cmpstr (sa_metadata_get_column_name (a, c), ==, sa_metadata_get_column_name (b, c));
  for (guint r = 0; r < nr; r++)
    {
      g_assert_cmpint (sa_metadata_get_clip_id (a, r), ==, sa_metadata_get_clip_id (b, r));
      for (guint c = 0; c < nc; c++)
        g_assert_cmpstr (sa_metadata_get (a, r, (int) c), ==, sa_metadata_get (b, r, (int) c));
    }
}

/* @parsed written as a cache block and read back from it */
static SaMetadata *
through_cache (SaMetadata *parsed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) cache = cache_of (parsed);
  SaMetadata *cached = sa_metadata_new_from_cache (cache, &error);

  g_assert_no_error (error);
  g_assert_false (sa_metadata_is_cached (parsed));
  g_assert_true (sa_metadata_is_cached (cached));
  assert_same_metadata (parsed, cached);
  return cached;
}

static const char hard_csv[] = ",clip_id,title,artist,album,\"odd, \"\"header\"\"\"\r\n"
                               "0,1,\"Bethena, a \"\"concert\"\" waltz\",Professor Armchair,,x\n"
                               "1,2,\"Two\nlines\r\nand three\",,\"\",\"\"\n"
                               "2,3.0,Étude Op. 10 Nº 3,Фредерик Шопен,東京 🎹,\"\"\"\"\n"
                               "3,4,,,,\n";

static void
test_cache_round_trip (void)
{
  const char *files[][3] = {
    { "data", "ismir2018_tut_part_1_genres_metadata_subset.csv", NULL },
    { "data", "tutorial", "metadata.csv" },
  };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path
          = g_test_build_filename (G_TEST_DIST, files[i][0], files[i][1], files[i][2], NULL);
      g_autoptr (SaMetadata) parsed = sa_metadata_load (path, &error);

      g_assert_no_error (error);
      sa_metadata_free (through_cache (parsed));
    }
  {
    g_autoptr (SaMetadata) parsed
        = sa_metadata_parse (hard_csv, sizeof hard_csv - 1, "hard.csv", &error);
    g_autoptr (SaMetadata) cached = NULL;

    g_assert_no_error (error);
    cached = through_cache (parsed);
    /* and what the cells are, not only that they agree */
    g_assert_cmpuint (sa_metadata_get_n_rows (cached), ==, 4);
    g_assert_cmpstr (sa_metadata_get_column_name (cached, 5), ==, "odd, \"header\"");
    g_assert_cmpstr (sa_metadata_get (cached, 1, 2), ==, "Two\nlines\r\nand three");
    g_assert_cmpstr (sa_metadata_get (cached, 2, 4), ==, "東京 🎹");
    g_assert_cmpstr (sa_metadata_get (cached, 2, 5), ==, "\"");
    g_assert_cmpstr (sa_metadata_get (cached, 3, 2), ==, "");
    g_assert_cmpint (sa_metadata_get_clip_id (cached, 2), ==, 3);
    g_assert_cmpstr (sa_metadata_get (cached, 0, -1), ==, "");
    g_assert_cmpstr (sa_metadata_get (cached, 9, 1), ==, "");
  }
}

/* Every flipped byte, every truncation and another version is refused. */
static void
test_cache_damage (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMetadata) parsed
      = sa_metadata_parse (hard_csv, sizeof hard_csv - 1, "hard.csv", &error);
  g_autoptr (GBytes) cache = cache_of (parsed);
  gsize size = 0;
  const guint8 *good = g_bytes_get_data (cache, &size);
  g_autofree guint8 *bad = g_malloc (size + 8);

  for (gsize i = 0; i < size; i++)
    for (guint bit = 0; bit < 8; bit += 3)
      {
        g_autoptr (GBytes) b = NULL;
        memcpy (bad, good, size);
        bad[i] ^= (guint8) (1u << bit);
        b = g_bytes_new_static (bad, size);
        g_assert_null (sa_metadata_new_from_cache (b, &error));
        g_assert_nonnull (error);
        g_clear_error (&error);
      }
  for (gsize n = 0; n < size; n++)
    {
      g_autoptr (GBytes) b = NULL;
      memcpy (bad, good, n);
      b = g_bytes_new_static (bad, n);
      g_assert_null (sa_metadata_new_from_cache (b, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  {
    /* the version is the third 32-bit word */
    g_autoptr (GBytes) b = NULL;
    guint32 version;
    memcpy (bad, good, size);
    memcpy (&version, bad + 12, 4);
    version++;
    memcpy (bad + 12, &version, 4);
    b = g_bytes_new_static (bad, size);
    g_assert_null (sa_metadata_new_from_cache (b, &error));
    g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    /* the untouched block still reads */
    g_autoptr (SaMetadata) md = sa_metadata_new_from_cache (cache, &error);
    g_assert_no_error (error);
    assert_same_metadata (parsed, md);
  }
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
  g_test_add_func ("/soundalike/metadata/cache-round-trip", test_cache_round_trip);
  g_test_add_func ("/soundalike/metadata/cache-damage", test_cache_damage);
  return g_test_run ();
}
