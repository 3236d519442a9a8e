/* test-compact.c: the compact scan gives exactly the plain scan's rankings
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-collection.h"
#include "sa-compact.h"
#include "sa-moments.h"
#include "sa-npz.h"
#include "sa-rng.h"
#include "sa-search.h"
#include "sa-store.h"

typedef enum
{
  DATA_RANDOM,
  DATA_CLUSTERS,
  DATA_DUPLICATES,
  DATA_SMALL_VARIANCES,
  DATA_TIES,
} DataKind;

static double
uniform (SaRng *rng)
{
  return (double) (sa_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static SaCollection *
make_collection (DataKind kind, guint n, guint n_rp, guint n_ssd, char **store_dir)
{
  g_autofree char *name = g_strdup_printf ("compact-%d.npz", kind);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autofree float *rp = g_new0 (float, (gsize) n *n_rp);
  g_autofree float *ssd = g_new0 (float, (gsize) n *n_ssd);
  g_autofree gint64 *ids = g_new (gint64, n);
  g_autoptr (SaNpzWriter) w = NULL;
  g_autoptr (GError) error = NULL;
  SaRng rng = { 0x1234 + kind };
  SaCollection *c;

  for (guint i = 0; i < n; i++)
    {
      guint cluster = (guint) (sa_rng_next (&rng) % 8);
      ids[i] = i;
      for (guint j = 0; j < n_rp + n_ssd; j++)
        {
          float *v = j < n_rp ? &rp[(gsize) i * n_rp + j] : &ssd[(gsize) i * n_ssd + j - n_rp];
          double u = uniform (&rng);
          switch (kind)
            {
              case DATA_RANDOM:
                *v = (float) (j < n_rp ? u : 100 * u * u);
                break;
              case DATA_CLUSTERS:
                *v = (float) (((cluster * 7919 + j * 104729) % 1000) / 1000.0 + 0.01 * u);
                break;
              case DATA_DUPLICATES:
                /* a handful of distinct rows, each many times, some one ulp apart */
                *v = (float) (((i % 5) * 31 + j * 17) % 13);
                if (i % 7 == 3 && j == i % (n_rp + n_ssd))
                  *v = nextafterf (*v, INFINITY);
                break;
              case DATA_SMALL_VARIANCES:
                /* columns that barely vary, tiny magnitudes, constants and outliers */
                if (j % 4 == 0)
                  *v = 1.0f + (float) (sa_rng_next (&rng) % 3) * FLT_EPSILON;
                else if (j % 4 == 1)
                  *v = (float) (1e-15 * u);
                else if (j % 4 == 2)
                  *v = 42.0f;
                else
                  *v = (float) (u + (i % 97 == 0 ? 1e4 : 0));
                break;
              case DATA_TIES:
                /* +-1 patterns: many tracks at exactly the same distance from a query */
                *v = (sa_rng_next (&rng) & 1) ? 1.0f : -1.0f;
                if (i % 11 == 0)
                  *v = 0.0f;
                break;
            }
        }
    }
  w = sa_npz_writer_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_npz_writer_add_f32 (w, "rp", rp, n, n_rp, n_rp, FALSE, &error));
  g_assert_true (sa_npz_writer_add_f32 (w, "ssd", ssd, n, n_ssd, n_ssd, FALSE, &error));
  g_assert_true (sa_npz_writer_add_i64 (w, "clip_id", ids, n, &error));
  g_assert_true (sa_npz_writer_commit (w, &error));

  *store_dir = sa_store_dir_for (path, NULL);
  sa_store_remove (*store_dir);
  g_setenv ("SOUNDALIKE_COMPACT_MIN_TRACKS", "1", TRUE);
  c = sa_collection_load (path, NULL, NULL, &error);
  g_unsetenv ("SOUNDALIKE_COMPACT_MIN_TRACKS");
  g_assert_no_error (error);
  g_assert_nonnull (sa_collection_get_codes (c, NULL));
  return c;
}

static void
assert_same_ranking (SaSearch *plain, SaSearch *compact, const double *w, guint k)
{
  g_autofree SaHit *a = g_new (SaHit, k + 1);
  g_autofree SaHit *b = g_new (SaHit, k + 1);
  guint na = sa_search_rank (plain, w, k, a);
  guint nb = sa_search_rank (compact, w, k, b);

  g_assert_true (sa_search_uses_compact (compact));
  g_assert_false (sa_search_uses_compact (plain));
  g_assert_cmpuint (na, ==, nb);
  for (guint i = 0; i < na; i++)
    {
      g_assert_cmpuint (a[i].track, ==, b[i].track);
      g_assert_cmpfloat (a[i].distance, ==, b[i].distance);
    }
}

/* Query @q: the same ranking for seven weightings (the slider path) and k = 1, 10, 57 */
static void
same_for_every_weighting (SaSearch *plain, SaSearch *compact, guint q)
{
  const double weights[][2]
      = { { 0.5, 0.9 }, { 1, 1 }, { 1, 0 }, { 0, 1 }, { 0.03, 2.5 }, { 1e-9, 1 }, { 7, 1e-7 } };
  const guint ks[] = { 1, 10, 57 };

  sa_search_set_query (plain, q);
  sa_search_set_query (compact, q);
  for (guint wi = 0; wi < G_N_ELEMENTS (weights); wi++)
    for (guint ki = 0; ki < G_N_ELEMENTS (ks); ki++)
      assert_same_ranking (plain, compact, weights[wi], ks[ki]);
}

/* Query @q: a sample's distances (the histogram of a large collection) are every
 * track's, for the sampled ones, evenly spread and without the query. */
static void
check_sample (SaSearch *plain, SaSearch *compact, guint q, const double *w)
{
  guint n = sa_collection_get_n_tracks (sa_search_get_collection (plain)), n_sample = n / 7;
  g_autofree double *all = g_new (double, n);
  g_autofree double *some = g_new (double, n_sample);
  g_autofree guint32 *tracks = g_new (guint32, n_sample);
  guint got;

  sa_search_set_query (plain, q);
  sa_search_set_query (compact, q);
  g_assert_false (sa_search_samples_distances (plain));
  g_assert_true (sa_search_samples_distances (compact));
  got = sa_search_sample_distances (compact, w, n_sample, tracks, some);
  g_assert_cmpuint (got, >=, n_sample - 1);
  sa_search_all_distances (plain, w, all);
  for (guint j = 0; j < got; j++)
    {
      g_assert_cmpuint (tracks[j], !=, q);
      g_assert_true (j == 0 || tracks[j] > tracks[j - 1]);
      g_assert_cmpuint (tracks[j], >=, j * (n / n_sample));
      g_assert_cmpfloat (some[j], ==, all[tracks[j]]);
    }
  /* the ranking after it is still the plain one (the sample's rows made exact) */
  assert_same_ranking (plain, compact, w, 10);
}

static void
check (DataKind kind, guint n, guint n_rp, guint n_ssd)
{
  g_autofree char *dir = NULL;
  g_autoptr (SaCollection) c = make_collection (kind, n, n_rp, n_ssd, &dir);
  g_autoptr (SaSearch) plain = sa_search_new (c);
  g_autoptr (SaSearch) compact = sa_search_new (c);
  g_autofree float *row = g_aligned_alloc0 (sa_collection_get_stride (c), sizeof (float), 64);

  sa_search_set_compact (plain, FALSE);
  for (guint q = 0; q < n; q += n / 9 + 1)
    {
      same_for_every_weighting (plain, compact, q);
      sa_search_set_set_scaling (plain, FALSE);
      sa_search_set_set_scaling (compact, FALSE);
      assert_same_ranking (plain, compact, NULL, 10);
      sa_search_set_set_scaling (plain, TRUE);
      sa_search_set_set_scaling (compact, TRUE);
      /* the slider path: other weights for the same query; distances of single tracks */
      g_assert_cmpfloat (sa_search_distance (plain, NULL, n - 1 - q), ==,
                         sa_search_distance (compact, NULL, n - 1 - q));
    }
  /* every track of the collection as the query, for the tutorial's weights */
  for (guint q = 0; q < n; q++)
    {
      sa_search_set_query (plain, q);
      sa_search_set_query (compact, q);
      assert_same_ranking (plain, compact, NULL, 10);
    }
  /* all distances (the histogram) */
  {
    g_autofree double *da = g_new (double, n);
    g_autofree double *db = g_new (double, n);
    sa_search_set_query (plain, n / 3);
    sa_search_set_query (compact, n / 3);
    sa_search_all_distances (plain, NULL, da);
    sa_search_all_distances (compact, NULL, db);
    for (guint i = 0; i < n; i++)
      g_assert_cmpfloat (da[i], ==, db[i]);
  }
  /* a large collection's histogram: the exact distances of a sample */
  check_sample (plain, compact, n / 3, NULL);
  /* mutual proximity, set after a compact pass (ranked from the bounds, exact sums only
   * where they cannot rule a track out): the same ranking as with the plain pass, for
   * several queries, every weighting (the slider path) and k */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SaMoments) m = sa_moments_compute (c, SA_METRIC_EUCLIDEAN, TRUE, 0, 0, NULL, &error);
    g_assert_no_error (error);
    sa_search_set_mutual_proximity (plain, m);
    sa_search_set_mutual_proximity (compact, m);
    for (guint q = 5; q < n; q += n / 5 + 1)
      same_for_every_weighting (plain, compact, q);
    check_sample (plain, compact, n / 2, (const double[]){ 0.2, 1.3 });
    sa_search_set_mutual_proximity (plain, NULL);
    sa_search_set_mutual_proximity (compact, NULL);
  }
  /* a query from outside: the mean of two tracks */
  for (guint j = 0; j < sa_collection_get_stride (c); j++)
    row[j] = 0.5f * (sa_collection_get_row (c, 1)[j] + sa_collection_get_row (c, 2)[j]);
  sa_search_set_query_vector (plain, row);
  sa_search_set_query_vector (compact, row);
  assert_same_ranking (plain, compact, NULL, 10);
  g_aligned_free (g_steal_pointer (&row));
  sa_store_remove (dir);
}

static void
test_random (void)
{
  check (DATA_RANDOM, 1500, 1440, 168);
}

static void
test_clusters (void)
{
  check (DATA_CLUSTERS, 1200, 1440, 168);
}

static void
test_duplicates (void)
{
  check (DATA_DUPLICATES, 700, 100, 20);
}

static void
test_small_variances (void)
{
  check (DATA_SMALL_VARIANCES, 900, 200, 37);
}

static void
test_ties (void)
{
  check (DATA_TIES, 900, 30, 7);
}

static int
compare_key_track (const void *a, const void *b)
{
  const SaHit *x = a, *y = b;
  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  return x->track < y->track ? -1 : x->track > y->track;
}

/* rank() of @s against every track's key sorted (the ranking without any cut) */
static void
assert_brute_force (SaSearch *s, guint q, const double *w, guint k)
{
  guint n = sa_collection_get_n_tracks (sa_search_get_collection (s)), m = 0;
  g_autofree double *keys = g_new (double, n);
  g_autofree SaHit *all = g_new (SaHit, n);
  g_autofree SaHit *hits = g_new (SaHit, k + 1);
  guint got = sa_search_rank (s, w, k, hits);

  sa_search_all_keys (s, w, keys);
  for (guint i = 0; i < n; i++)
    if (i != q)
      all[m++] = (SaHit){ .track = i, .distance = keys[i] };
  qsort (all, m, sizeof (SaHit), compare_key_track);
  g_assert_cmpuint (got, ==, k + 1);
  for (guint i = 0; i < k; i++)
    g_assert_cmpuint (hits[1 + i].track, ==, all[i].track);
}

/* Mutual proximity on the slider path: on one query, a sequence of slider moves (each
 * seeded by the last top k) and changes of k, each the ranking a fresh plain search gives.
 * 24,000 tracks: enough for the ranking's two halves (from 20,000). */
static void
test_mp_slider_moves (void)
{
  const guint n = 24000, ks[] = { 10, 10, 57, 1, 10 };
  g_autofree char *dir = NULL;
  g_autoptr (SaCollection) c = make_collection (DATA_CLUSTERS, n, 40, 9, &dir);
  g_autoptr (SaSearch) compact = sa_search_new (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMoments) m = sa_moments_compute (c, SA_METRIC_EUCLIDEAN, TRUE, 0, 0, NULL, &error);

  g_assert_no_error (error);
  sa_search_set_mutual_proximity (compact, m);
  for (guint q = 17; q < n; q += n / 3)
    {
      sa_search_set_query (compact, q);
      for (guint move = 0; move < 40; move++)
        {
          /* rp's slider up in steps, then ssd's down, then both scaled together */
          double w[2] = { 0.5, 0.9 };
          guint k = ks[move % G_N_ELEMENTS (ks)];
          g_autoptr (SaSearch) plain = sa_search_new (c);
          if (move < 15)
            w[0] = 0.1 * move;
          else if (move < 30)
            w[1] = 2.0 - 0.13 * (move - 15);
          else
            w[0] *= 0.3 * (move - 29), w[1] *= 0.3 * (move - 29);
          sa_search_set_compact (plain, FALSE);
          sa_search_set_mutual_proximity (plain, m);
          sa_search_set_query (plain, q);
          assert_same_ranking (plain, compact, w, k);
          assert_brute_force (plain, q, w, k);
        }
    }
  sa_store_remove (dir);
}

/* Every instruction set's kernel gives the portable kernel's integer, down to the
 * extremes of the codes and the query steps and lengths that are not a multiple of 32. */
static void
test_kernels (void)
{
  const char *isas[] = { "avx512", "avx2", "sse" };
  const guint lengths[] = { 16, 48, 176, 1024, 1040, 1440, 2048 + 16 };
  gint8 *codes = g_aligned_alloc (4096, 1, 64);
  gint16 *t = g_aligned_alloc (4096, sizeof (gint16), 64);
  SaRng rng = { 42 };
  guint tested = 0;

  for (guint round = 0; round < 40; round++)
    {
      for (guint j = 0; j < 4096; j++)
        {
          /* a quarter of the rounds at the extremes: the largest lane sums */
          gboolean extreme = round % 4 == 0;
          codes[j] = extreme ? (j % 2 ? 127 : -127) : (gint8) (sa_rng_next (&rng) % 255 - 127);
          t[j] = extreme ? (gint16) (j % 2 ? -SA_COMPACT_QUERY_LIMIT : SA_COMPACT_QUERY_LIMIT)
                         : (gint16) ((gint) (sa_rng_next (&rng) % (2 * SA_COMPACT_QUERY_LIMIT + 1))
                                     - SA_COMPACT_QUERY_LIMIT);
        }
      for (guint li = 0; li < G_N_ELEMENTS (lengths); li++)
        {
          guint64 expect = 0;
          for (guint j = 0; j < lengths[li]; j++)
            {
              gint64 d = (gint64) codes[j] * SA_COMPACT_QUERY_SCALE - t[j];
              expect += (guint64) (d * d);
            }
          for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
            {
              if (!sa_compact_set_isa (isas[i]))
                continue;
              g_assert_cmpuint (sa_compact_kernel (codes, t, lengths[li]), ==, expect);
              tested++;
            }
        }
    }
  sa_compact_set_isa (NULL);
  g_test_message ("kernels checked: %u (best here: %s)", tested, sa_compact_get_isa ());
  g_assert_cmpuint (tested, >=, 40 * G_N_ELEMENTS (lengths));
  g_aligned_free (codes);
  g_aligned_free (t);
}

/* Every instruction set's bounds are the portable ones, float for float: 1 to 8 sets,
 * lengths that are not a multiple of 8, sums from 0 to the largest, tiny and huge scales,
 * results that round exactly and ones that do not. */
static void
test_bounds (void)
{
  const char *isas[] = { "avx512", "avx2" };
  const guint n = 8 * 67 + 5;
  guint64 *sums = g_new (guint64, n);
  float *errors = g_new (float, n);
  float *lo0 = g_new (float, n), *hi0 = g_new (float, n), *lo = g_new (float, n),
        *hi = g_new (float, n);
  SaRng rng = { 7 };
  guint tested = 0;

  for (guint round = 0; round < 64; round++)
    {
      guint ns = 1 + round % 8;
      SaCompactBound b[8];
      for (guint si = 0; si < ns; si++)
        {
          double f = ldexp (1.0, (int) (sa_rng_next (&rng) % 60) - 30);
          b[si] = (SaCompactBound){ SA_COMPACT_STEP / SA_COMPACT_QUERY_SCALE,
                                    sa_rng_uniform (&rng) * (round % 3 ? 1 : 0),
                                    sqrt (1 - 1e-7 * sa_rng_uniform (&rng)),
                                    sqrt (1 + 1e-7 * sa_rng_uniform (&rng)),
                                    f * (1 - 1e-6),
                                    f * (1 + 1e-6),
                                    (si + 1) * 16 * 1e-40 };
        }
      for (guint k = 0; k < n; k++)
        {
          guint kind = sa_rng_next (&rng) % 4;
          sums[k] = kind == 0   ? 0
                    : kind == 1 ? sa_rng_next (&rng) % 64
                    : kind == 2 ? (guint64) 1 << (sa_rng_next (&rng) % 35)
                                : sa_rng_next (&rng) % ((guint64) 1 << 35);
          errors[k] = (float) (sa_rng_uniform (&rng) * (kind == 3 ? 50 : 0.5));
        }
      sa_compact_set_isa ("sse");
      sa_compact_bounds (sums, errors, n, ns, b, lo0, hi0);
      for (guint k = 0; k < n; k++)
        g_assert_true (lo0[k] >= 0 && lo0[k] <= hi0[k]);
      for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
        {
          if (!sa_compact_set_isa (isas[i]))
            continue;
          sa_compact_bounds (sums, errors, n, ns, b, lo, hi);
          g_assert_cmpmem (lo, n * sizeof (float), lo0, n * sizeof (float));
          g_assert_cmpmem (hi, n * sizeof (float), hi0, n * sizeof (float));
          tested++;
        }
    }
  sa_compact_set_isa (NULL);
  g_test_message ("bounds checked against the portable ones: %u rounds", tested);
  g_free (sums);
  g_free (errors);
  g_free (lo0);
  g_free (hi0);
  g_free (lo);
  g_free (hi);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compact/kernels", test_kernels);
  g_test_add_func ("/compact/bounds", test_bounds);
  g_test_add_func ("/compact/random", test_random);
  g_test_add_func ("/compact/clusters", test_clusters);
  g_test_add_func ("/compact/duplicates", test_duplicates);
  g_test_add_func ("/compact/small-variances", test_small_variances);
  g_test_add_func ("/compact/ties", test_ties);
  g_test_add_func ("/compact/mp-slider-moves", test_mp_slider_moves);
  return g_test_run ();
}
