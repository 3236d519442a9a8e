/* test-quality-core.c: moments in the background, labels, marks, the live MP path
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * (The numbers themselves are checked against numpy in test-quality.py.)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sa-collection.h"
#include "sa-error.h"
#include "sa-kernel-pairs.h"
#include "sa-labels.h"
#include "sa-marks.h"
#include "sa-moments.h"
#include "sa-quality.h"
#include "sa-search.h"
#include "sa-suggest.h"

static char *tmpdir;

/* the tutorial fixture, copied where its moments cache may be written */
static SaCollection *
load_tutorial (void)
{
  const char *names[] = { "features.npz", "metadata.csv" };
  g_autoptr (GError) error = NULL;
  g_autofree char *f = g_build_filename (tmpdir, names[0], NULL);
  g_autofree char *m = g_build_filename (tmpdir, names[1], NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *src
          = g_test_build_filename (G_TEST_DIST, "data", "tutorial", names[i], NULL);
      g_autofree char *dst = g_build_filename (tmpdir, names[i], NULL);
      g_autofree char *data = NULL;
      gsize len;
      if (!g_file_test (dst, G_FILE_TEST_EXISTS))
        {
          g_assert_true (g_file_get_contents (src, &data, &len, NULL));
          g_assert_true (g_file_set_contents (dst, data, len, NULL));
        }
    }
  SaCollection *c = sa_collection_load (f, m, NULL, &error);
  g_assert_no_error (error);
  return c;
}

static void
on_moments (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_async_and_cancel (void)
{
  g_autoptr (SaCollection) c = load_tutorial ();
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMoments) m = NULL;
  g_autofree char *cache = sa_moments_cache_path (c, SA_METRIC_EUCLIDEAN, TRUE, 200);

  g_unlink (cache);
  /* cancelled before it starts: an error, no cache */
  g_cancellable_cancel (cancel);
  sa_moments_get_async (c, SA_METRIC_EUCLIDEAN, TRUE, 200, cancel, on_moments, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  m = sa_moments_get_finish (res, &error);
  g_assert_null (m);
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_object (&res);

  /* the main loop runs while the moments are computed */
  sa_moments_get_async (c, SA_METRIC_EUCLIDEAN, TRUE, 200, NULL, on_moments, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  m = sa_moments_get_finish (res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  g_assert_cmpuint (sa_moments_get_n_values (m), ==, 5);
  g_assert_true (g_file_test (cache, G_FILE_TEST_EXISTS));

  /* read back: the same numbers */
  {
    g_autoptr (SaMoments) again = sa_moments_load (c, cache, &error);
    guint n;
    g_assert_no_error (error);
    g_assert_cmpmem (
        sa_moments_get_values (again, 0), sa_collection_get_n_tracks (c) * 5 * sizeof (double),
        sa_moments_get_values (m, 0), sa_collection_get_n_tracks (c) * 5 * sizeof (double));
    sa_moments_get_sample (again, &n);
    g_assert_cmpuint (n, ==, 200);
  }
  /* a wrong file is an error naming it */
  g_assert_true (g_file_set_contents (cache, "not moments", -1, NULL));
  g_assert_null (sa_moments_load (c, cache, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, cache));
}

/* The multi-reference kernels (every instruction set this CPU has) give the
 * pair-by-pair path's moments bit for bit: both metrics, with and without
 * standardisation, samples of 37 and 101 references (a sampled track skips
 * itself; counts that leave a remainder of the groups of four). */
static void
test_kernels_match_reference (void)
{
  g_autoptr (SaCollection) c = load_tutorial ();
  const char *isas[] = { "sse", "avx2", "avx512" };
  const SaMetric metrics[] = { SA_METRIC_EUCLIDEAN, SA_METRIC_MANHATTAN };
  const guint samples[] = { 37, 101 }; /* samples: every track would take long */
  guint n = sa_collection_get_n_tracks (c), tested = 0;

  for (guint k = 0; k < G_N_ELEMENTS (isas); k++)
    {
      if (!sa_kernel_pairs_set_isa (isas[k]))
        {
          g_test_message ("%s: not on this CPU", isas[k]);
          continue;
        }
      g_assert_cmpstr (sa_kernel_pairs_get_isa (), ==, isas[k]);
      tested++;
      for (guint mi = 0; mi < G_N_ELEMENTS (metrics); mi++)
        for (int z = 0; z <= 1; z++)
          for (guint si = 0; si < G_N_ELEMENTS (samples); si++)
            {
              g_autoptr (GError) error = NULL;
              g_autoptr (SaMoments) fast
                  = sa_moments_compute (c, metrics[mi], z, samples[si], 2, NULL, &error);
              g_assert_no_error (error);
              g_autoptr (SaMoments) ref
                  = sa_moments_compute_reference (c, metrics[mi], z, samples[si], 1, NULL, &error);
              g_assert_no_error (error);
              g_assert_cmpmem (sa_moments_get_values (fast, 0),
                               n * sa_moments_get_n_values (fast) * sizeof (double),
                               sa_moments_get_values (ref, 0),
                               n * sa_moments_get_n_values (ref) * sizeof (double));
            }
    }
  g_assert_cmpuint (tested, >=, 1); /* sse is everywhere */
  g_assert_false (sa_kernel_pairs_set_isa ("no-such-isa"));
  g_assert_true (sa_kernel_pairs_set_isa (NULL));
}

static void
test_live_weights (void)
{
  g_autoptr (SaCollection) c = load_tutorial ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMoments) m = sa_moments_get (c, SA_METRIC_EUCLIDEAN, TRUE, 0, NULL, &error);
  g_autoptr (SaSearch) s = sa_search_new (c);
  g_autoptr (SaSearch) plain = sa_search_new (c);
  guint n = sa_collection_get_n_tracks (c);
  g_autofree double *all = g_new (double, n);
  SaHit hits[11], ph[11];
  double w[2] = { 0.5, 0.9 };

  g_assert_no_error (error);
  g_assert_true (sa_search_set_mutual_proximity (s, m));
  sa_search_set_query (s, 5);
  sa_search_set_query (plain, 5);
  for (int step = 0; step < 5; step++)
    {
      /* a weight change: rank() agrees with the full list of MP values */
      w[0] = 0.1 + 0.2 * step;
      g_assert_cmpuint (sa_search_rank (s, w, 10, hits), ==, 11);
      sa_search_all_distances (s, w, all);
      for (guint i = 1; i < 11; i++)
        {
          g_assert_cmpfloat (fabs (all[hits[i].track] - hits[i].distance), <, 1e-12);
          g_assert_cmpfloat (hits[i - 1].distance, <=, hits[i].distance);
        }
      {
        /* nothing outside the top 10 is nearer than its last */
        guint nearer = 0;
        for (guint t = 0; t < n; t++)
          nearer += t != 5 && all[t] < hits[10].distance;
        g_assert_cmpuint (nearer, <=, 9);
      }
    }
  /* off again: exactly the plain ranking */
  sa_search_set_mutual_proximity (s, NULL);
  sa_search_rank (s, w, 10, hits);
  sa_search_rank (plain, w, 10, ph);
  for (guint i = 0; i < 11; i++)
    {
      g_assert_cmpuint (hits[i].track, ==, ph[i].track);
      g_assert_cmpfloat (hits[i].distance, ==, ph[i].distance);
    }
  /* moments for another metric are not used */
  sa_search_set_metric (s, SA_METRIC_COSINE);
  g_assert_false (sa_search_set_mutual_proximity (s, m));
}

static void
test_tags (void)
{
  g_autoptr (SaCollection) c = load_tutorial ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_test_build_filename (
      G_TEST_DIST, "data", "ismir2018_tut_part_2_similarity_labels_subset.csv", NULL);
  g_autoptr (SaLabels) l = sa_labels_load_tags (c, path, &error);
  g_autofree char *bad = g_build_filename (tmpdir, "bad-tags.csv", NULL);
  guint with = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (sa_labels_get_n_names (l), >, 100);
  for (guint t = 0; t < sa_collection_get_n_tracks (c); t++)
    if (sa_labels_get_n (l, t) > 0)
      {
        g_autofree char *d = sa_labels_describe (l, t);
        g_assert_cmpstr (d, !=, "");
        g_assert_true (sa_labels_share (l, t, t));
        with++;
      }
  g_assert_cmpuint (with, ==, sa_labels_get_n_labelled (l));
  g_assert_cmpuint (with, >, 1000);

  g_assert_true (g_file_set_contents (bad, ",rock,pop\n22356,1,x\n", -1, NULL));
  g_assert_null (sa_labels_load_tags (c, bad, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CSV);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  g_assert_null (sa_labels_from_column (c, "genre", &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISSING);
}

static void
test_marks (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "sub", "marks.csv", NULL);
  g_autoptr (SaMarks) m = sa_marks_new ();
  g_autoptr (SaMarks) back = NULL;
  g_autoptr (GError) error = NULL;
  gint64 q, r;
  SaMarkKind k;

  sa_marks_set (m, 1, 2, SA_MARK_GOOD);
  sa_marks_set (m, 1, 3, SA_MARK_BAD);
  sa_marks_set (m, 4, 2, SA_MARK_GOOD);
  sa_marks_set (m, 1, 2, SA_MARK_BAD);  /* changed */
  sa_marks_set (m, 4, 2, SA_MARK_NONE); /* removed */
  g_assert_true (sa_marks_save (m, path, &error));
  g_assert_no_error (error);
  back = sa_marks_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_marks_get_n (back), ==, 2);
  sa_marks_get_nth (back, 0, &q, &r, &k);
  g_assert_true (q == 1 && r == 3 && k == SA_MARK_BAD);
  g_assert_cmpint (sa_marks_get (back, 1, 2), ==, SA_MARK_BAD);
  g_assert_cmpint (sa_marks_get (back, 4, 2), ==, SA_MARK_NONE);
  /* no file yet: no marks */
  g_clear_pointer (&back, sa_marks_free);
  back = sa_marks_load ("/nonexistent/marks.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_marks_get_n (back), ==, 0);
}

/* Marks the current weights already order as well as any: the suggestion is the current
 * weights, exactly (the window then says so instead of previewing a copy of them). */
static void
test_suggest_keeps_weights (void)
{
  g_autoptr (SaCollection) c = load_tutorial ();
  const double settings[][2] = { { 0.2, 0.4 }, { 0.05, 0.05 }, { 0.1, 0.1 }, { 0.4, 0.4 } };

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autoptr (SaSearch) s = sa_search_new (c);
      g_autoptr (SaMarks) marks = sa_marks_new ();
      g_autoptr (GError) error = NULL;
      SaSuggestion out;
      SaHit hits[4];

      sa_search_set_query (s, 7);
      g_assert_cmpuint (sa_search_rank (s, settings[i], 3, hits), ==, 4);
      /* the nearer one good, the farther one bad: in order already, and no weights do better */
      sa_marks_set (marks, sa_collection_get_clip_id (c, 7),
                    sa_collection_get_clip_id (c, hits[1].track), SA_MARK_GOOD);
      sa_marks_set (marks, sa_collection_get_clip_id (c, 7),
                    sa_collection_get_clip_id (c, hits[3].track), SA_MARK_BAD);
      g_assert_true (sa_suggest_weights (c, marks, SA_METRIC_EUCLIDEAN, TRUE, TRUE, settings[i],
                                         &out, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (out.n_pairs, ==, 1);
      g_assert_cmpuint (out.n_satisfied, ==, 1);
      g_assert_cmpmem (out.weights, 2 * sizeof (double), settings[i], 2 * sizeof (double));
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("soundalike-quality-XXXXXX", NULL);
  g_test_add_func ("/quality/moments-async-cancel-cache", test_async_and_cancel);
  g_test_add_func ("/quality/moments-kernels", test_kernels_match_reference);
  g_test_add_func ("/quality/mp-live-weights", test_live_weights);
  g_test_add_func ("/quality/tags", test_tags);
  g_test_add_func ("/quality/marks", test_marks);
  g_test_add_func ("/quality/suggest-keeps-weights", test_suggest_keeps_weights);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    (void) !system (cmd);
  }
  g_free (tmpdir);
  return status;
}
