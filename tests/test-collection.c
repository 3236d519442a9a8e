/* test-collection.c: joining features and metadata
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-collection.h"
#include "sa-error.h"

static char *
formats (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "formats", name, NULL);
}

static char *
write_csv (const char *name, const char *contents)
{
  char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static const char small_csv[] = ",clip_id,mp3_path,title,artist,album\n"
                                "0,16.0,D:/x/mp3_full/a/six.mp3,Six,B,Y\n"
                                "1,12.0,D:/x/mp3_full/a/two.mp3,Two,A,X\n"
                                "2,99.0,D:/x/mp3_full/a/none.mp3,Nothing,C,Z\n"
                                "3,11.0,D:/x/mp3_full/b/one.mp3,One,A,X\n"
                                "4,11.0,D:/x/mp3_full/b/one-again.mp3,One again,A,X\n"
                                "5,14.0,D:/x/mp3_full/b/four.mp3,Four,B,Y\n";

static void
test_layouts_agree (void)
{
  g_autofree char *a = formats ("small_f32.npz");
  g_autofree char *b = formats ("small_f64_fortran_be.npz");
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) ca = sa_collection_load (a, NULL, NULL, &error);
  g_autoptr (SaCollection) cb = sa_collection_load (b, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sa_collection_get_n_tracks (ca), ==, 6);
  g_assert_cmpuint (sa_collection_get_n_sets (ca), ==, 2);
  g_assert_cmpstr (sa_collection_get_set (ca, 0)->name, ==, "rp");
  g_assert_cmpuint (sa_collection_get_set (ca, 0)->length, ==, 1440);
  g_assert_cmpuint (sa_collection_get_set (ca, 1)->length, ==, 168);
  g_assert_cmpuint (sa_collection_get_set (ca, 1)->offset % 16, ==, 0);
  g_assert_cmpuint (sa_collection_get_stride (ca), ==, 1440 + 176);
  g_assert_cmpuint (((guintptr) sa_collection_get_matrix (ca)) % 64, ==, 0);
  for (guint t = 0; t < 6; t++)
    g_assert_cmpmem (sa_collection_get_row (ca, t), 1616 * 4, sa_collection_get_row (cb, t),
                     1616 * 4);
}

static void
test_join (void)
{
  g_autofree char *npz = formats ("small_f32.npz");
  g_autofree char *csv = write_csv ("small.csv", small_csv);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv, NULL, &error);
  const SaCollectionReport *r;

  g_assert_no_error (error);
  r = sa_collection_get_report (c);
  g_assert_cmpuint (r->n_feature_rows, ==, 6);
  g_assert_cmpuint (r->n_metadata_rows, ==, 6);
  g_assert_cmpuint (r->n_joined, ==, 4);
  g_assert_cmpuint (r->n_features_without_metadata, ==, 2); /* 13, 15 */
  g_assert_cmpuint (r->n_metadata_without_features, ==, 1); /* 99 */
  g_assert_cmpuint (r->n_duplicate_metadata_ids, ==, 1);    /* 11 twice */
  /* feature-file order: 11, 12, 14, 16 */
  g_assert_cmpint (sa_collection_get_clip_id (c, 0), ==, 11);
  g_assert_cmpint (sa_collection_get_clip_id (c, 3), ==, 16);
  g_assert_cmpstr (sa_collection_get_field (c, 0, SA_FIELD_TITLE), ==, "One"); /* first wins */
  g_assert_cmpstr (sa_collection_get_field (c, 2, SA_FIELD_ARTIST), ==, "B");
  g_assert_cmpint (sa_collection_find_clip_id (c, 14), ==, 2);
  g_assert_cmpint (sa_collection_find_clip_id (c, 13), ==, -1);
  g_assert_cmpuint (sa_collection_get_group (c, 0, SA_FIELD_ARTIST), ==,
                    sa_collection_get_group (c, 1, SA_FIELD_ARTIST));
  g_assert_cmpuint (sa_collection_get_group (c, 0, SA_FIELD_ARTIST), !=,
                    sa_collection_get_group (c, 2, SA_FIELD_ARTIST));
}

static void
test_statistics (void)
{
  g_autofree char *npz = formats ("small_f32.npz");
  g_autoptr (SaCollection) c = sa_collection_load (npz, NULL, NULL, NULL);
  const double *mean = sa_collection_get_mean (c), *std = sa_collection_get_std (c);
  const gboolean *zero = sa_collection_get_zero_variance (c);
  guint n = sa_collection_get_n_tracks (c);

  for (guint j = 0; j < 1440; j += 97)
    {
      double s = 0, ss = 0;
      for (guint t = 0; t < n; t++)
        s += sa_collection_get_row (c, t)[j];
      s /= n;
      for (guint t = 0; t < n; t++)
        ss += pow (sa_collection_get_row (c, t)[j] - s, 2);
      g_assert_cmpfloat_with_epsilon (mean[j], s, 1e-12);
      g_assert_cmpfloat_with_epsilon (std[j], sqrt (ss / n), 1e-12); /* population */
      g_assert_false (zero[j]);
    }
  /* padding columns count as constant */
  g_assert_true (zero[1440 + 168]);
}

static void
test_extra_sets (void)
{
  g_autofree char *npz = formats ("small_extra_set.npz");
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, NULL, NULL, &error);

  g_assert_no_error (error);
  /* mfcc is a 2-D float array with 6 rows; labels is integer and notes 1-D: not sets */
  g_assert_cmpuint (sa_collection_get_n_sets (c), ==, 3);
  g_assert_cmpint (sa_collection_find_set (c, "mfcc"), >=, 0);
  g_assert_cmpuint (sa_collection_get_set (c, sa_collection_find_set (c, "mfcc"))->length, ==, 20);
  g_assert_cmpint (sa_collection_find_set (c, "labels"), ==, -1);
}

static void
test_duplicates (void)
{
  g_autofree char *npz = formats ("small_duplicates.npz");
  g_autoptr (SaCollection) c = sa_collection_load (npz, NULL, NULL, NULL);

  g_assert_cmpuint (sa_collection_get_n_tracks (c), ==, 5);
  g_assert_cmpuint (sa_collection_get_report (c)->n_duplicate_feature_ids, ==, 1);
  /* the first row with id 12 is kept */
  g_assert_cmpint (sa_collection_find_clip_id (c, 12), ==, 1);
}

static void
expect_error (const char *npz_name, const char *csv_path, int code, const char *needle)
{
  g_autofree char *npz = formats (npz_name);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv_path, NULL, &error);

  g_assert_null (c);
  g_assert_error (error, SA_ERROR, code);
  if (needle)
    g_assert_nonnull (strstr (error->message, needle));
}

static void
test_errors (void)
{
  g_autofree char *no_join = write_csv ("nojoin.csv", ",clip_id,title\n0,5,x\n");
  g_autofree char *missing_col = write_csv ("nocol.csv", ",id,title\n0,11,x\n");

  expect_error ("small_nan.npz", NULL, SA_ERROR_NOT_FINITE, "row 3 (clip_id 14), column 17 is NaN");
  expect_error ("small_inf.npz", NULL, SA_ERROR_NOT_FINITE, "'ssd', row 2");
  expect_error ("small_rows_differ.npz", NULL, SA_ERROR_SHAPE, "'ssd' has 5 rows");
  expect_error ("small_no_clip_id.npz", NULL, SA_ERROR_MISSING, "clip_id");
  expect_error ("small_f32.npz", no_join, SA_ERROR_EMPTY, "no clip_id in common");
  expect_error ("small_f32.npz", missing_col, SA_ERROR_MISSING, "nocol.csv");
  expect_error ("f32_c_savez.npz", NULL, SA_ERROR_MISSING, "clip_id");
}

static void
test_audio_resolution (void)
{
  g_autofree char *npz = formats ("small_f32.npz");
  g_autofree char *csv = write_csv ("small-audio.csv", small_csv);
  g_autofree char *root = g_test_build_filename (G_TEST_BUILT, "audio-root", "mp3_full", NULL);
  g_autofree char *dir = g_build_filename (root, "a", NULL);
  g_autofree char *file = g_build_filename (dir, "two.mp3", NULL);
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv, NULL, NULL);
  g_autofree char *found = NULL;
  g_autofree char *missing = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  sa_collection_set_audio_root (c, root);
  found = sa_collection_resolve_audio (c, 1); /* D:/x/mp3_full/a/two.mp3 */
  g_assert_cmpstr (found, ==, file);
  missing = sa_collection_resolve_audio (c, 0);
  g_assert_null (missing);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/collection/layouts-agree", test_layouts_agree);
  g_test_add_func ("/soundalike/collection/join", test_join);
  g_test_add_func ("/soundalike/collection/statistics", test_statistics);
  g_test_add_func ("/soundalike/collection/extra-sets", test_extra_sets);
  g_test_add_func ("/soundalike/collection/duplicates", test_duplicates);
  g_test_add_func ("/soundalike/collection/errors", test_errors);
  g_test_add_func ("/soundalike/collection/audio-resolution", test_audio_resolution);
  return g_test_run ();
}
