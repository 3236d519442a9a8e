/* test-search.c: the search agrees with the tutorial
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-metadata.h"
#include "sa-search.h"

static char *
data (const char *a, const char *b)
{
  return g_test_build_filename (G_TEST_DIST, "data", a, b, NULL);
}

/* The worked example of the tutorial: 10 tracks, query 5, unstandardized squared Euclidean. */
static void
test_worked_example (void)
{
  static const double expected[10] = {
    1004852.6046840245, 1319014.4646621975, 1007520.5071585375,
    1301916.1177259558, 967263.7731724023,  0.0,
    3047959.100796666,  3326786.1254441254, 1841081.968976167,
    2842836.5609704787,
  };
  static const guint order[10] = { 5, 4, 0, 2, 3, 1, 8, 9, 6, 7 };
  g_autofree char *path = data ("worked", "centroid.npz");
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (path, NULL, NULL, &error);
  g_autoptr (SaSearch) s = NULL;
  double w[1] = { 1.0 };
  SaHit hits[10];

  g_assert_no_error (error);
  s = sa_search_new (c);
  sa_search_set_standardize (s, FALSE);
  sa_search_set_set_scaling (s, FALSE);
  sa_search_set_query (s, 5);
  g_assert_cmpuint (sa_search_rank (s, w, 9, hits), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      double d2 = hits[i].distance * hits[i].distance;
      g_assert_cmpuint (hits[i].track, ==, order[i]);
      /* float32 storage of the values: 1e-6 relative */
      if (expected[order[i]] == 0)
        g_assert_cmpfloat (d2, ==, 0);
      else
        g_assert_cmpfloat (fabs (d2 - expected[order[i]]) / expected[order[i]], <, 1e-6);
    }
}

typedef struct
{
  SaCollection *c;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer user_data)
{
  g_autofree char *npz = data ("tutorial", "features.npz");
  g_autofree char *csv = data ("tutorial", "metadata.csv");
  g_autoptr (GError) error = NULL;

  f->c = sa_collection_load (npz, csv, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer user_data)
{
  g_assert_finalize_object (f->c);
}

static void
configure (SaSearch *s, const char *function, double *w)
{
  sa_search_set_metric (s, SA_METRIC_EUCLIDEAN);
  sa_search_set_set_scaling (s, TRUE);
  w[0] = 0.5, w[1] = 0.9;
  if (g_str_equal (function, "euclidean"))
    {
      sa_search_set_set_scaling (s, FALSE);
      w[0] = w[1] = 1.0;
    }
  else if (g_str_equal (function, "scaled"))
    w[0] = w[1] = 1.0;
  else if (g_str_equal (function, "manhattan"))
    sa_search_set_metric (s, SA_METRIC_MANHATTAN);
  else if (g_str_equal (function, "cosine"))
    sa_search_set_metric (s, SA_METRIC_COSINE);
  else
    g_assert_cmpstr (function, ==, "weighted");
}

static void
test_tutorial_rankings (Fixture *f, gconstpointer user_data)
{
  g_autofree char *path = data ("tutorial", "expected.csv");
  g_autoptr (SaMetadata) expected = NULL;
  g_autoptr (SaSearch) s = sa_search_new (f->c);
  g_autoptr (GError) error = NULL;
  int c_fn, c_q, c_rank, c_id, c_d;
  guint checked = 0;
  double worst = 0;

  /* expected.csv is a plain CSV with a clip_id column: the metadata reader reads it */
  expected = sa_metadata_load (path, &error);
  g_assert_no_error (error);
  c_fn = sa_metadata_find_column (expected, "function");
  c_q = sa_metadata_find_column (expected, "query_clip_id");
  c_rank = sa_metadata_find_column (expected, "rank");
  c_id = sa_metadata_find_column (expected, "clip_id");
  c_d = sa_metadata_find_column (expected, "distance");
  g_assert_cmpuint (sa_metadata_get_n_rows (expected), ==, 6 * 5 * 11);

  for (guint r = 0; r < sa_metadata_get_n_rows (expected); r += 11)
    {
      const char *fn = sa_metadata_get (expected, r, c_fn);
      gint64 q = g_ascii_strtoll (sa_metadata_get (expected, r, c_q), NULL, 10);
      int qt = sa_collection_find_clip_id (f->c, q);
      double w[2];
      SaHit hits[11];

      g_assert_cmpint (qt, >=, 0);
      configure (s, fn, w);
      sa_search_set_query (s, (guint) qt);
      g_assert_cmpuint (sa_search_rank (s, w, 10, hits), ==, 11);
      for (guint k = 0; k < 11; k++)
        {
          gint64 id = g_ascii_strtoll (sa_metadata_get (expected, r + k, c_id), NULL, 10);
          double d = g_ascii_strtod (sa_metadata_get (expected, r + k, c_d), NULL);
          double got = hits[k].distance;
          g_assert_cmpint (atoi (sa_metadata_get (expected, r + k, c_rank)), ==, k);
          if (sa_collection_get_clip_id (f->c, hits[k].track) != id)
            g_error ("%s, query %" G_GINT64_FORMAT ", rank %u: clip %" G_GINT64_FORMAT
                     " (%.12g), expected %" G_GINT64_FORMAT " (%.12g)",
                     fn, q, k, sa_collection_get_clip_id (f->c, hits[k].track), got, id, d);
          if (k == 0 || d == 0)
            g_assert_cmpfloat (fabs (got - d), <, 1e-6); /* the query itself (cosine: ~1e-16) */
          else
            {
              worst = MAX (worst, fabs (got - d) / d);
              g_assert_cmpfloat (fabs (got - d) / d, <, 1e-5);
            }
          checked++;
        }
    }
  g_test_message ("%u ranks checked, worst relative distance error %.3g", checked, worst);
}

/* Re-weighting uses the partial sums; it must equal a fresh query with the same weights. */
static void
test_reweight_equals_requery (Fixture *f, gconstpointer user_data)
{
  g_autoptr (SaSearch) a = sa_search_new (f->c);
  g_autoptr (SaSearch) b = sa_search_new (f->c);
  const SaMetric metrics[] = { SA_METRIC_EUCLIDEAN, SA_METRIC_MANHATTAN, SA_METRIC_COSINE };

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      sa_search_set_metric (a, metrics[m]);
      sa_search_set_metric (b, metrics[m]);
      sa_search_set_query (a, 77);
      for (double rw = 0; rw <= 1.0; rw += 0.25)
        {
          double w[2] = { rw, 1.0 - rw };
          SaHit ha[21], hb[21];
          guint na = sa_search_rank (a, w, 20, ha);
          sa_search_set_query (b, 77);
          guint nb = sa_search_rank (b, w, 20, hb);
          g_assert_cmpuint (na, ==, nb);
          for (guint i = 0; i < na; i++)
            {
              g_assert_cmpuint (ha[i].track, ==, hb[i].track);
              g_assert_cmpfloat (ha[i].distance, ==, hb[i].distance);
            }
        }
    }
}

/* The top k equals the first k of a full sort of all distances, ties by index. */
static void
test_topk_matches_full_sort (Fixture *f, gconstpointer user_data)
{
  g_autoptr (SaSearch) s = sa_search_new (f->c);
  guint n = sa_collection_get_n_tracks (f->c);
  g_autofree double *all = g_new (double, n);
  g_autofree SaHit *hits = g_new (SaHit, 101);
  double w[2] = { 0.3, 0.7 };
  guint got;

  sa_search_set_query (s, 5);
  sa_search_all_distances (s, w, all);
  got = sa_search_rank (s, w, 100, hits);
  g_assert_cmpuint (got, ==, 101);
  g_assert_cmpuint (hits[0].track, ==, 5);
  for (guint i = 1; i < got; i++)
    {
      guint better = 0;
      g_assert_cmpuint (hits[i].track, !=, 5);
      g_assert_cmpfloat (hits[i].distance, ==, all[hits[i].track]);
      g_assert_cmpfloat (hits[i - 1].distance, <=, hits[i].distance);
      for (guint t = 0; t < n; t++)
        if (t != 5
            && (all[t] < hits[i].distance || (all[t] == hits[i].distance && t < hits[i].track)))
          better++;
      g_assert_cmpuint (better, ==, i - 1);
    }
  /* k larger than the collection is clamped; k = 0 gives the query only */
  g_free (hits);
  hits = g_new (SaHit, n + 5);
  g_assert_cmpuint (sa_search_rank (s, w, n + 4, hits), ==, n);
  g_assert_cmpuint (sa_search_rank (s, w, 0, hits), ==, 1);
}

static void
test_exclude (Fixture *f, gconstpointer user_data)
{
  g_autoptr (SaSearch) s = sa_search_new (f->c);
  guint n = sa_collection_get_n_tracks (f->c);
  g_autofree SaHit *hits = g_new (SaHit, n);
  int q = -1;
  guint got, same = 0;

  /* a query whose artist has other tracks in the collection */
  for (guint t = 0; t < n && q < 0; t++)
    for (guint u = t + 1; u < n; u++)
      if (*sa_collection_get_field (f->c, t, SA_FIELD_ARTIST)
          && sa_collection_get_group (f->c, t, SA_FIELD_ARTIST)
                 == sa_collection_get_group (f->c, u, SA_FIELD_ARTIST))
        {
          q = (int) t;
          break;
        }
  g_assert_cmpint (q, >=, 0);
  sa_search_set_query (s, (guint) q);
  got = sa_search_rank (s, NULL, n - 1, hits);
  for (guint i = 1; i < got; i++)
    same += sa_collection_get_group (f->c, hits[i].track, SA_FIELD_ARTIST)
            == sa_collection_get_group (f->c, (guint) q, SA_FIELD_ARTIST);
  g_assert_cmpuint (same, >, 0);

  sa_search_set_exclude (s, SA_EXCLUDE_SAME_ARTIST | SA_EXCLUDE_SAME_ALBUM);
  got = sa_search_rank (s, NULL, n - 1, hits);
  {
    guint allowed = 0;
    for (guint t = 0; t < n; t++)
      allowed += t != (guint) q
                 && sa_collection_get_group (f->c, t, SA_FIELD_ARTIST)
                        != sa_collection_get_group (f->c, (guint) q, SA_FIELD_ARTIST)
                 && sa_collection_get_group (f->c, t, SA_FIELD_ALBUM)
                        != sa_collection_get_group (f->c, (guint) q, SA_FIELD_ALBUM);
    g_assert_cmpuint (got, ==, allowed + 1);
  }
  for (guint i = 1; i < got; i++)
    {
      g_assert_cmpuint (sa_collection_get_group (f->c, hits[i].track, SA_FIELD_ARTIST), !=,
                        sa_collection_get_group (f->c, (guint) q, SA_FIELD_ARTIST));
      g_assert_cmpuint (sa_collection_get_group (f->c, hits[i].track, SA_FIELD_ALBUM), !=,
                        sa_collection_get_group (f->c, (guint) q, SA_FIELD_ALBUM));
    }
}

static void
test_weights_parsing (Fixture *f, gconstpointer user_data)
{
  double w[SA_MAX_SETS];
  g_autoptr (GError) error = NULL;

  g_assert_true (sa_search_parse_weights (f->c, "ssd=0.25", w, &error));
  g_assert_cmpfloat (w[0], ==, 0.5);
  g_assert_cmpfloat (w[1], ==, 0.25);
  g_assert_false (sa_search_parse_weights (f->c, "mfcc=1", w, &error));
  g_assert_nonnull (strstr (error->message, "mfcc"));
  g_clear_error (&error);
  g_assert_false (sa_search_parse_weights (f->c, "rp=-1", w, &error));
  g_assert_nonnull (strstr (error->message, "negative"));
  g_clear_error (&error);
  g_assert_false (sa_search_parse_weights (f->c, "rp=abc", w, &error));
}

/* Moving a weight changes the order the way the maths says. */
static void
test_weights_change_order (Fixture *f, gconstpointer user_data)
{
  g_autoptr (SaSearch) s = sa_search_new (f->c);
  double rp_only[2] = { 1, 0 }, ssd_only[2] = { 0, 1 };
  double parts[2];
  SaHit a[6], b[6];

  sa_search_set_query (s, 300);
  sa_search_rank (s, rp_only, 5, a);
  sa_search_rank (s, ssd_only, 5, b);
  g_assert_cmpuint (a[1].track, !=, b[1].track);
  /* under rp only, the first hit's distance is its rp contribution alone */
  sa_search_contributions (s, rp_only, a[1].track, parts);
  g_assert_cmpfloat (parts[1], ==, 0);
  g_assert_cmpfloat_with_epsilon (sqrt (parts[0]), a[1].distance, 1e-12);
}

/* A query from outside (query by example) ranks like the same vector inside. */
static void
test_query_vector (Fixture *f, gconstpointer user_data)
{
  const SaMetric metrics[] = { SA_METRIC_EUCLIDEAN, SA_METRIC_MANHATTAN, SA_METRIC_COSINE };
  g_autoptr (SaSearch) in = sa_search_new (f->c);
  g_autoptr (SaSearch) out = sa_search_new (f->c);
  const float *row = sa_collection_get_row (f->c, 1500);

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      SaHit a[11], b[12];
      guint na, nb;
      sa_search_set_metric (in, metrics[m]);
      sa_search_set_metric (out, metrics[m]);
      sa_search_set_query (in, 1500);
      sa_search_set_query_vector (out, row);
      g_assert_cmpint (sa_search_get_query (out), ==, -1);
      na = sa_search_rank (in, NULL, 10, a);
      nb = sa_search_rank (out, NULL, 11, b);
      g_assert_cmpuint (nb, ==, na + 1);
      g_assert_cmpuint (b[0].track, ==, G_MAXUINT);
      /* the track itself comes first, at distance 0, then the same neighbours */
      g_assert_cmpuint (b[1].track, ==, 1500);
      g_assert_cmpfloat (fabs (b[1].distance), <, 1e-6);
      for (guint i = 1; i < na; i++)
        {
          g_assert_cmpuint (b[i + 1].track, ==, a[i].track);
          g_assert_cmpfloat_with_epsilon (b[i + 1].distance, a[i].distance, 1e-9);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/search/worked-example", test_worked_example);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/soundalike/search/tutorial-rankings", test_tutorial_rankings);
  ADD ("/soundalike/search/reweight-equals-requery", test_reweight_equals_requery);
  ADD ("/soundalike/search/topk-matches-full-sort", test_topk_matches_full_sort);
  ADD ("/soundalike/search/exclude", test_exclude);
  ADD ("/soundalike/search/weights-parsing", test_weights_parsing);
  ADD ("/soundalike/search/weights-change-order", test_weights_change_order);
  ADD ("/soundalike/search/query-vector", test_query_vector);
  return g_test_run ();
}
