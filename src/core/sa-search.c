/* sa-search.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "sa-compact.h"
#include "sa-error.h"
#include "sa-kernel-pairs.h"
#include "sa-moments.h"
#include "sa-search-mp.h"
#include "sa-search.h"

/* Four-lane float vectors (SSE on x86-64, NEON on arm64, plain code elsewhere).
 * Sets start at 64-byte boundaries and are padded to 16 floats with zeros
 * (weight 0), so the kernels need no tail loop.  Four independent accumulators
 * of four lanes keep the loop vectorised without -ffast-math. */
typedef float v4sf __attribute__ ((vector_size (16), aligned (16), may_alias));
typedef gint32 v4si __attribute__ ((vector_size (16), aligned (16), may_alias));

#define V(p, j) (*(const v4sf *) ((p) + (j)))

static inline double
hsum (v4sf a0, v4sf a1, v4sf a2, v4sf a3)
{
  v4sf s = (a0 + a1) + (a2 + a3);
  return ((double) s[0] + (double) s[1]) + ((double) s[2] + (double) s[3]);
}

/* values per float block of the kernels (a multiple of 16) */
#define KERNEL_BLOCK 128

/* sum_j w_j (x_j - q_j)^2 */
static double
kernel_sq (const float *restrict x, const float *restrict q, const float *restrict w, guint n)
{
  double acc = 0;

  /* float lanes over blocks of KERNEL_BLOCK values, the blocks summed in double: the
   * rounding of a float running sum over 1,440 values would reach ~1e-6 relative */
  for (guint b = 0; b < n; b += KERNEL_BLOCK)
    {
      v4sf a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
      for (guint j = b, end = MIN (n, b + KERNEL_BLOCK); j < end; j += 16)
        {
          v4sf d0 = V (x, j) - V (q, j);
          v4sf d1 = V (x, j + 4) - V (q, j + 4);
          v4sf d2 = V (x, j + 8) - V (q, j + 8);
          v4sf d3 = V (x, j + 12) - V (q, j + 12);
          a0 += d0 * d0 * V (w, j);
          a1 += d1 * d1 * V (w, j + 4);
          a2 += d2 * d2 * V (w, j + 8);
          a3 += d3 * d3 * V (w, j + 12);
        }
      acc += hsum (a0, a1, a2, a3);
    }
  return acc;
}

/* sum_j w_j |x_j - q_j| */
static double
kernel_abs (const float *restrict x, const float *restrict q, const float *restrict w, guint n)
{
  const v4si mask = { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff };
  double acc = 0;

  for (guint b = 0; b < n; b += KERNEL_BLOCK) /* as kernel_sq */
    {
      v4sf a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
      for (guint j = b, end = MIN (n, b + KERNEL_BLOCK); j < end; j += 16)
        {
          v4sf d0 = (v4sf) ((v4si) (V (x, j) - V (q, j)) & mask);
          v4sf d1 = (v4sf) ((v4si) (V (x, j + 4) - V (q, j + 4)) & mask);
          v4sf d2 = (v4sf) ((v4si) (V (x, j + 8) - V (q, j + 8)) & mask);
          v4sf d3 = (v4sf) ((v4si) (V (x, j + 12) - V (q, j + 12)) & mask);
          a0 += d0 * V (w, j);
          a1 += d1 * V (w, j + 4);
          a2 += d2 * V (w, j + 8);
          a3 += d3 * V (w, j + 12);
        }
      acc += hsum (a0, a1, a2, a3);
    }
  return acc;
}

/* sum_j (x_j - m_j) c_j */
static double
kernel_dot (const float *restrict x, const float *restrict m, const float *restrict c, guint n)
{
  v4sf a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

  for (guint j = 0; j < n; j += 16)
    {
      a0 += (V (x, j) - V (m, j)) * V (c, j);
      a1 += (V (x, j + 4) - V (m, j + 4)) * V (c, j + 4);
      a2 += (V (x, j + 8) - V (m, j + 8)) * V (c, j + 8);
      a3 += (V (x, j + 12) - V (m, j + 12)) * V (c, j + 12);
    }
  return hsum (a0, a1, a2, a3);
}

double
sa_kernel_stream_sum (const float *matrix, gsize n_floats)
{
  v4sf a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

  g_return_val_if_fail (n_floats % 16 == 0, 0);
  for (gsize j = 0; j < n_floats; j += 16)
    {
      a0 += V (matrix, j);
      a1 += V (matrix, j + 4);
      a2 += V (matrix, j + 8);
      a3 += V (matrix, j + 12);
    }
  return hsum (a0, a1, a2, a3);
}

struct _SaSearch
{
  SaCollection *c;
  SaMetric metric;
  gboolean standardize;
  gboolean set_scaling;
  SaExclude exclude;

  int query; /* the query's track, or -1 (none, or a vector from outside) */
  gboolean has_query;
  float *qbuf;               /* the query's padded row (a copy) */
  double qnorm[SA_MAX_SETS]; /* cosine: per-set squared norms of the query's z-scores */
  gboolean stale;            /* metric or standardization changed since the last pass */
  guint n, ns, stride;

  /* per padded column */
  float *inv_var; /* 1/sigma^2, or 1 without standardization; 0 for padding and constants */
  float *inv_std;
  float *mean;
  float *coef;                    /* cosine: (q_j - mu_j) / sigma_j^2 */
  double var_factor[SA_MAX_SETS]; /* per set: what inv_var was divided by */
  double std_factor[SA_MAX_SETS]; /* per set: what inv_std was divided by */

  double *partial; /* n x ns: the query's per-set sums */
  double *norms;   /* n x ns, cosine only: per-set squared norms of the z-scored rows */
  gboolean norms_ready;

  /* The compact scan (sa-compact.h): the pass reads one byte per value and gives, per
   * track and set, float bounds [lo, hi] of the partial sum the plain pass computes;
   * exact sums are computed (from the float rows) only for the tracks a ranking cannot
   * rule out, and kept: partial[i] is exact when stamp[i] == generation. */
  gboolean allow_compact;
  const gint8 *codes;
  const float *code_errors;
  gboolean bounded; /* the last pass gave bounds, not sums */
  gint16 *tq;
  double query_error[SA_MAX_SETS];
  double eps[SA_MAX_SETS], gamma[SA_MAX_SETS];
  float *lo, *hi;
  guint32 *stamp;
  guint32 generation;
  guint32 *candidates; /* n: scratch of the bounded ranking */
  guint32 *mp_top;     /* the last MP top k of pass mp_top_generation (sa-search-mp.c) */
  guint n_mp_top;
  guint32 mp_top_generation;
  SaMoments *mp; /* mutual proximity, or NULL (sa-search-mp.c) */
};

/* Rows of the full pass are split between two threads (the results do not depend on
 * the split: every row is computed on its own). */
#define PARALLEL_MIN_ROWS 20000

typedef struct
{
  SaSearch *s;
  void (*fn) (SaSearch *s, guint begin, guint end);
  guint begin, end;
} RowRange;

static gpointer
row_range_thread (gpointer data)
{
  RowRange *r = data;
  r->fn (r->s, r->begin, r->end);
  return NULL;
}

static void
for_rows (SaSearch *s, void (*fn) (SaSearch *s, guint begin, guint end))
{
  static gint n_cpu = 0;
  RowRange upper;
  GThread *t;

  if (g_atomic_int_get (&n_cpu) == 0)
    g_atomic_int_set (&n_cpu, MAX (1, (gint) g_get_num_processors ()));
  if (s->n < PARALLEL_MIN_ROWS || g_atomic_int_get (&n_cpu) < 2)
    {
      fn (s, 0, s->n);
      return;
    }
  upper = (RowRange){ s, fn, s->n / 2, s->n };
  t = g_thread_try_new ("sa-search", row_range_thread, &upper, NULL);
  fn (s, 0, t ? s->n / 2 : s->n);
  if (t)
    g_thread_join (t);
}

/* The per-dimension factors, computed in double: 1/sigma^2 (Euclidean, cosine) and
 * 1/sigma (Manhattan) of the stored values, or of the raw ones without standardization
 * (a scaled column: 1/scale^2, 1/scale).  Each set's factors are divided by the set's
 * largest, which is applied to its partial sum in double: the float factors are at
 * most 1 and never overflow, whatever the column's magnitude. */
static void
fill_column_weights (SaSearch *s)
{
  const double *std = sa_collection_get_std (s->c);
  const double *mean = sa_collection_get_mean (s->c);
  const gboolean *zero = sa_collection_get_zero_variance (s->c);

  for (guint si = 0; si < s->ns; si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (s->c, si);
      guint end = set->offset + set->padded;
      double max_var = 0, max_std = 0;

      for (guint pass = 0; pass < 2; pass++)
        for (guint j = set->offset; j < end; j++)
          {
            gboolean used = j < set->offset + set->length;
            double iv = 0, is = 0;
            if (used && !(s->standardize && zero[j]))
              {
                double scale = 1;
                if (s->standardize)
                  scale = std[j];
                else
                  sa_collection_get_column_scaling (s->c, j, NULL, &scale);
                is = 1 / scale;
                iv = is * is;
              }
            if (pass == 0)
              {
                max_var = MAX (max_var, iv);
                max_std = MAX (max_std, is);
                continue;
              }
            s->inv_var[j] = max_var > 0 ? (float) (iv / max_var) : 0.0f;
            s->inv_std[j] = max_std > 0 ? (float) (is / max_std) : 0.0f;
            s->mean[j] = used && s->standardize ? (float) mean[j] : 0.0f;
          }
      s->var_factor[si] = max_var;
      s->std_factor[si] = max_std;
    }
  s->norms_ready = FALSE;
}

SaSearch *
sa_search_new (SaCollection *collection)
{
  SaSearch *s = g_new0 (SaSearch, 1);

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);

  s->c = g_object_ref (collection);
  s->metric = SA_METRIC_EUCLIDEAN;
  s->standardize = TRUE;
  s->set_scaling = TRUE;
  s->query = -1;
  s->n = sa_collection_get_n_tracks (collection);
  s->ns = sa_collection_get_n_sets (collection);
  s->stride = sa_collection_get_stride (collection);
  s->inv_var = g_aligned_alloc0 (s->stride, sizeof (float), 64);
  s->inv_std = g_aligned_alloc0 (s->stride, sizeof (float), 64);
  s->mean = g_aligned_alloc0 (s->stride, sizeof (float), 64);
  s->coef = g_aligned_alloc0 (s->stride, sizeof (float), 64);
  s->qbuf = g_aligned_alloc0 (s->stride, sizeof (float), 64);
  s->partial = g_new0 (double, (gsize) s->n * s->ns);
  s->allow_compact = TRUE;
  s->codes = sa_collection_get_codes (collection, &s->code_errors);
  fill_column_weights (s);
  return s;
}

void
sa_search_free (SaSearch *s)
{
  if (s == NULL)
    return;
  g_aligned_free (s->inv_var);
  g_aligned_free (s->inv_std);
  g_aligned_free (s->mean);
  g_aligned_free (s->coef);
  g_aligned_free (s->qbuf);
  g_free (s->partial);
  g_free (s->norms);
  g_aligned_free (s->tq);
  g_free (s->lo);
  g_free (s->hi);
  g_free (s->stamp);
  g_free (s->candidates);
  g_free (s->mp_top);
  g_clear_pointer (&s->mp, sa_moments_unref);
  g_object_unref (s->c);
  g_free (s);
}

SaCollection *
sa_search_get_collection (SaSearch *s)
{
  g_return_val_if_fail (s != NULL, NULL);

  return s->c;
}

void
sa_search_set_metric (SaSearch *s, SaMetric metric)
{
  g_return_if_fail (s != NULL);

  if (s->metric != metric)
    s->stale = TRUE;
  s->metric = metric;
}

SaMetric
sa_search_get_metric (SaSearch *s)
{
  g_return_val_if_fail (s != NULL, SA_METRIC_EUCLIDEAN);

  return s->metric;
}

void
sa_search_set_compact (SaSearch *s, gboolean allow)
{
  if (s->allow_compact != !!allow)
    s->stale = TRUE;
  s->allow_compact = !!allow;
}

gboolean
sa_search_uses_compact (SaSearch *s)
{
  return s->bounded;
}

void
sa_search_set_standardize (SaSearch *s, gboolean standardize)
{
  g_return_if_fail (s != NULL);

  if (s->standardize == !!standardize)
    return;
  s->standardize = !!standardize;
  fill_column_weights (s);
  s->stale = TRUE;
}

void
sa_search_set_set_scaling (SaSearch *s, gboolean set_scaling)
{
  g_return_if_fail (s != NULL);

  s->set_scaling = !!set_scaling;
}

void
sa_search_set_exclude (SaSearch *s, SaExclude exclude)
{
  g_return_if_fail (s != NULL);

  s->exclude = exclude;
}

int
sa_search_get_query (SaSearch *s)
{
  g_return_val_if_fail (s != NULL, -1);

  return s->query;
}

static void
ensure_norms (SaSearch *s)
{
  const float *m = sa_collection_get_matrix (s->c);

  if (s->norms_ready)
    return;
  if (s->norms == NULL)
    s->norms = g_new0 (double, (gsize) s->n * s->ns);
  for (guint i = 0; i < s->n; i++)
    {
      const float *x = m + (gsize) i * s->stride;
      for (guint si = 0; si < s->ns; si++)
        {
          const SaFeatureSet *set = sa_collection_get_set (s->c, si);
          s->norms[(gsize) i * s->ns + si] = kernel_sq (x + set->offset, s->mean + set->offset,
                                                        s->inv_var + set->offset, set->padded)
                                             * s->var_factor[si];
        }
    }
  s->norms_ready = TRUE;
}

/* The per-set sums of one row @x against the query, into @p. */
static inline void
row_sums (SaSearch *s, const float *x, double *p)
{
  const float *q = s->qbuf;

  for (guint si = 0; si < s->ns; si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (s->c, si);
      p[si] = kernel_sq (x + set->offset, q + set->offset, s->inv_var + set->offset, set->padded)
              * s->var_factor[si];
    }
}

static void
euclidean_rows (SaSearch *s, guint begin, guint end)
{
  const float *m = sa_collection_get_matrix (s->c);

  for (guint i = begin; i < end; i++)
    row_sums (s, m + (gsize) i * s->stride, s->partial + (gsize) i * s->ns);
}

/* The exact per-set sums of one track, as the plain pass computes them. */
static inline void
ensure_exact (SaSearch *s, guint i)
{
  if (!s->bounded || s->stamp[i] == s->generation)
    return;
  euclidean_rows (s, i, i + 1);
  s->stamp[i] = s->generation;
}

/* The same for a track among a few (the candidates of a bounded ranking): its row read
 * into @buf (stride floats, 64-byte aligned) with pread, so that its page is not mapped. */
static inline void
ensure_exact_read (SaSearch *s, guint i, float *buf)
{
  if (!s->bounded || s->stamp[i] == s->generation)
    return;
  row_sums (s, sa_collection_read_row (s->c, i, buf), s->partial + (gsize) i * s->ns);
  s->stamp[i] = s->generation;
}

/* Every track's exact sums (all distances after a compact pass), on both cores. */
static void
exact_rows (SaSearch *s, guint begin, guint end)
{
  for (guint i = begin; i < end; i++)
    ensure_exact (s, i);
}

#define BOUND_BLOCK 64 /* rows */

/* Bounds of every track's per-set sums from the compact copy.  With A the compact
 * distance, E and F the errors of the row and the query (in the z-scored norm),
 * eps the relative difference of the float weights (times the set's factor) from
 * 1/sigma^2 and gamma the
 * rounding of kernel_sq() (nonnegative terms: at most padded/16 + 6 roundings):
 *   sqrt (plain sum) in [sqrt (1 - eps) (A - E - F), sqrt (1 + eps) (A + E + F)] x (1 +- gamma). */
static void
bound_rows (SaSearch *s, guint begin, guint end)
{
  const guint ns = s->ns;
  const gint8 *codes = s->codes;
  const gint16 *tq = s->tq;
  guint off[SA_MAX_SETS], len[SA_MAX_SETS];
  SaCompactBound b[SA_MAX_SETS];
  gsize stride = s->stride;

  /* the per-set constants, out of the loop (reassociating them moves a result by a few
   * ulps of a double, far inside the 1e-12 margins) */
  for (guint si = 0; si < ns; si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (s->c, si);
      /* bounds of the float kernel's result, which the plain pass multiplies by the
       * set's factor (in double: monotone, so bounds stay bounds) */
      double inv_factor = s->var_factor[si] > 0 ? 1 / s->var_factor[si] : 0;
      off[si] = set->offset;
      len[si] = set->padded;
      b[si] = (SaCompactBound){
        .step = SA_COMPACT_STEP / SA_COMPACT_QUERY_SCALE,
        .qerr = s->query_error[si],
        .lo_eps = sqrt (1 - s->eps[si]),
        .hi_eps = sqrt (1 + s->eps[si]),
        .lo_scale = inv_factor * (1 - s->gamma[si]) * (1 - 1e-12),
        .hi_scale = inv_factor * (1 + s->gamma[si]) * (1 + 1e-12),
        .tiny = set->padded * 1e-40,
      };
    }
  /* a block of rows' integer sums, then their bounds, 8 at a time where the processor can */
  for (guint i0 = begin; i0 < end; i0 += BOUND_BLOCK)
    {
      guint nb = MIN (BOUND_BLOCK, end - i0);
      guint64 sums[BOUND_BLOCK * SA_MAX_SETS];
      gsize at = (gsize) i0 * ns;
      for (guint si = 0; si < ns; si++)
        sa_compact_kernel_rows (codes + (gsize) i0 * stride + off[si], stride, nb, tq + off[si],
                                len[si], sums + si, ns);
      sa_compact_bounds (sums, s->code_errors + at, nb * ns, ns, b, s->lo + at, s->hi + at);
    }
}

static gboolean
compact_applies (SaSearch *s)
{
  /* mutual proximity ranks from the bounds too (sa-search-mp.c) */
  return s->allow_compact && s->codes != NULL && s->metric == SA_METRIC_EUCLIDEAN && s->standardize;
}

static gboolean
compute_bounds (SaSearch *s)
{
  const double *std = sa_collection_get_std (s->c);
  const gboolean *zero = sa_collection_get_zero_variance (s->c);
  SaFeatureSet sets[SA_MAX_SETS];

  if (s->tq == NULL)
    {
      s->tq = g_aligned_alloc0 (s->stride, sizeof (gint16), 64);
      s->lo = g_new (float, (gsize) s->n * s->ns);
      s->hi = g_new (float, (gsize) s->n * s->ns);
      s->stamp = g_new0 (guint32, s->n);
      s->candidates = g_new (guint32, s->n);
    }
  for (guint si = 0; si < s->ns; si++)
    {
      sets[si] = *sa_collection_get_set (s->c, si);
      s->eps[si] = 1e-15;
      for (guint j = sets[si].offset; j < sets[si].offset + sets[si].length; j++)
        if (s->inv_var[j] != 0)
          s->eps[si] = MAX (s->eps[si],
                            fabs ((double) s->inv_var[j] * s->var_factor[si] * std[j] * std[j] - 1)
                                + 1e-15);
      s->gamma[si] = (sets[si].padded / 16 + 16) * ldexp (1.0, -23);
      /* weights that are not close to 1/sigma^2 (an overflowing 1/sigma^2): the plain pass */
      if (!(s->eps[si] < 1e-3))
        return FALSE;
    }
  sa_compact_prepare_query (s->qbuf, s->stride, sets, s->ns, sa_collection_get_mean (s->c), std,
                            zero, s->tq, s->query_error);
  if (++s->generation == 0)
    {
      memset (s->stamp, 0, s->n * sizeof (guint32));
      s->generation = 1;
    }
  s->bounded = TRUE;
  /* the rows the last query re-ranked: out of the resident set (the page cache keeps them) */
  sa_collection_release_pages (s->c);
  for_rows (s, bound_rows);
  return TRUE;
}

/* The one pass over the matrix: every track's per-set sums against s->qbuf. */
static void
compute_partials (SaSearch *s)
{
  const float *m = sa_collection_get_matrix (s->c);
  const float *q = s->qbuf;
  SaFeatureSet sets[SA_MAX_SETS];

  s->stale = FALSE;
  s->bounded = FALSE;
  for (guint si = 0; si < s->ns; si++)
    sets[si] = *sa_collection_get_set (s->c, si);

  if (compact_applies (s) && compute_bounds (s))
    return;
  switch (s->metric)
    {
      case SA_METRIC_EUCLIDEAN:
        for_rows (s, euclidean_rows);
        break;
      case SA_METRIC_MANHATTAN:
        for (guint i = 0; i < s->n; i++)
          {
            const float *x = m + (gsize) i * s->stride;
            double *p = s->partial + (gsize) i * s->ns;
            for (guint si = 0; si < s->ns; si++)
              p[si] = kernel_abs (x + sets[si].offset, q + sets[si].offset,
                                  s->inv_std + sets[si].offset, sets[si].padded)
                      * s->std_factor[si];
          }
        break;
      case SA_METRIC_COSINE:
        ensure_norms (s);
        for (guint si = 0; si < s->ns; si++)
          s->qnorm[si] = kernel_sq (q + sets[si].offset, s->mean + sets[si].offset,
                                    s->inv_var + sets[si].offset, sets[si].padded)
                         * s->var_factor[si];
        for (guint j = 0; j < s->stride; j++)
          s->coef[j] = (q[j] - s->mean[j]) * s->inv_var[j];
        for (guint i = 0; i < s->n; i++)
          {
            const float *x = m + (gsize) i * s->stride;
            double *p = s->partial + (gsize) i * s->ns;
            for (guint si = 0; si < s->ns; si++)
              p[si] = kernel_dot (x + sets[si].offset, s->mean + sets[si].offset,
                                  s->coef + sets[si].offset, sets[si].padded)
                      * s->var_factor[si];
          }
        break;
      default:
        g_assert_not_reached ();
    }
}

void
sa_search_set_query (SaSearch *s, guint track)
{
  g_return_if_fail (track < s->n);
  s->query = (int) track;
  s->has_query = TRUE;
  memcpy (s->qbuf, sa_collection_get_row (s->c, track), s->stride * sizeof (float));
  compute_partials (s);
}

void
sa_search_set_query_vector (SaSearch *s, const float *row)
{
  g_return_if_fail (s != NULL);
  g_return_if_fail (row != NULL);

  s->query = -1;
  s->has_query = TRUE;
  memcpy (s->qbuf, row, s->stride * sizeof (float));
  compute_partials (s);
}

gboolean
sa_search_has_query (SaSearch *s)
{
  g_return_val_if_fail (s != NULL, FALSE);

  return s->has_query;
}

static void
set_coefficients (SaSearch *s, const double *weights, double *coef)
{
  double defaults[SA_MAX_SETS];

  if (weights == NULL)
    {
      sa_search_default_weights (s->c, defaults);
      weights = defaults;
    }
  for (guint si = 0; si < s->ns; si++)
    coef[si]
        = s->set_scaling ? weights[si] / sa_collection_get_set (s->c, si)->length : weights[si];
}

/* The ranking key: monotone in the distance (the square for Euclidean). */
static inline double
key_of (const SaSearch *s, const double *coef, guint i, double query_norm)
{
  const double *p = s->partial + (gsize) i * s->ns;
  double acc = 0;

  if (s->metric != SA_METRIC_COSINE)
    {
      for (guint si = 0; si < s->ns; si++)
        acc += coef[si] * p[si];
      return acc;
    }
  else
    {
      const double *nx = s->norms + (gsize) i * s->ns;
      double norm = 0;
      for (guint si = 0; si < s->ns; si++)
        {
          acc += coef[si] * p[si];
          norm += coef[si] * nx[si];
        }
      norm = sqrt (norm) * query_norm;
      return norm > 0 ? 1.0 - acc / norm : 1.0;
    }
}

static inline double
distance_of_key (const SaSearch *s, double key)
{
  return s->metric == SA_METRIC_EUCLIDEAN ? sqrt (MAX (key, 0.0)) : key;
}

static double
query_norm_of (const SaSearch *s, const double *coef)
{
  double norm = 0;

  if (s->metric != SA_METRIC_COSINE)
    return 0;
  for (guint si = 0; si < s->ns; si++)
    norm += coef[si] * s->qnorm[si];
  return sqrt (norm);
}

static void
ensure_fresh (SaSearch *s)
{
  if (s->stale && s->has_query)
    compute_partials (s);
}

static inline gboolean
hit_less (double ka, guint ta, double kb, guint tb)
{
  return ka < kb || (ka == kb && ta < tb);
}

/* max-heap on (key, track) */
static void
sift_down (SaHit *h, guint n, guint i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      if (l < n && hit_less (h[m].distance, h[m].track, h[l].distance, h[l].track))
        m = l;
      if (r < n && hit_less (h[m].distance, h[m].track, h[r].distance, h[r].track))
        m = r;
      if (m == i)
        return;
      SaHit t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
}

static void
sift_up (SaHit *h, guint i)
{
  while (i > 0)
    {
      guint p = (i - 1) / 2;
      if (!hit_less (h[p].distance, h[p].track, h[i].distance, h[i].track))
        return;
      SaHit t = h[i];
      h[i] = h[p];
      h[p] = t;
      i = p;
    }
}

static int
compare_hits (gconstpointer a, gconstpointer b)
{
  const SaHit *x = a, *y = b;
  if (hit_less (x->distance, x->track, y->distance, y->track))
    return -1;
  return hit_less (y->distance, y->track, x->distance, x->track) ? 1 : 0;
}

static inline double
bound_key (const SaSearch *s, const float *b, const double *coef, guint i)
{
  return sa_search_bound_key (b, s->var_factor, s->ns, coef, i);
}

/* What a ranking leaves out besides the query itself. */
typedef struct
{
  guint q;
  gboolean ea, eb, ef;
  guint ga, gb, gf;
} Exclusion;

static inline gboolean
excluded (const SaSearch *s, const Exclusion *x, guint i)
{
  return i == x->q || (x->ea && sa_collection_get_group (s->c, i, SA_FIELD_ARTIST) == x->ga)
         || (x->eb && sa_collection_get_group (s->c, i, SA_FIELD_ALBUM) == x->gb)
         || (x->ef && sa_collection_get_group (s->c, i, SA_FIELD_PATH) == x->gf);
}

/* Keeps the k smallest (key, track) of what is pushed, largest at heap[0]. */
static inline void
heap_push (SaHit *heap, guint *n_heap, guint k, double key, guint track)
{
  if (*n_heap < k)
    {
      heap[*n_heap].track = track;
      heap[*n_heap].distance = key;
      sift_up (heap, (*n_heap)++);
    }
  else if (hit_less (key, track, heap[0].distance, heap[0].track))
    {
      heap[0].track = track;
      heap[0].distance = key;
      sift_down (heap, *n_heap, 0);
    }
}

/* One half of the bounded ranking's pass over the bounds: the k smallest upper bounds
 * of the half, and every track whose lower bound does not exceed the k-th smallest
 * upper bound seen so far.  That threshold only falls as the pass goes on, so every
 * track the final threshold admits is among the candidates. */
typedef struct
{
  const SaSearch *s;
  const Exclusion *x;
  const double *coef;
  guint k, begin, end;
  SaHit *heap;
  guint n_heap, n_candidates;
} BoundScan;

static gpointer
bound_scan (gpointer data)
{
  BoundScan *b = data;
  const SaSearch *s = b->s;
  double threshold = INFINITY;
  guint32 *out = s->candidates + b->begin;

  b->n_heap = b->n_candidates = 0;
  for (guint i = b->begin; i < b->end; i++)
    {
      double lo;
      if (excluded (s, b->x, i))
        continue;
      lo = bound_key (s, s->lo, b->coef, i);
      if (lo > threshold)
        continue;
      out[b->n_candidates++] = i;
      heap_push (b->heap, &b->n_heap, b->k, bound_key (s, s->hi, b->coef, i), i);
      if (b->n_heap == b->k)
        threshold = b->heap[0].distance;
    }
  return NULL;
}

/* Exact sums for a list of tracks, on two threads when there are many. */
typedef struct
{
  SaSearch *s;
  const guint32 *tracks;
  guint n;
} ExactList;

static gpointer
exact_list (gpointer data)
{
  ExactList *e = data;
  float *buf = g_aligned_alloc (e->s->stride, sizeof (float), 64);
  for (guint i = 0; i < e->n; i++)
    ensure_exact_read (e->s, e->tracks[i], buf);
  g_aligned_free (buf);
  return NULL;
}

/* Exact sums for @tracks (those without them yet), their rows read, on two threads when
 * there are many. */
static void
exact_tracks (SaSearch *s, const guint32 *tracks, guint n)
{
  guint n_new = 0;
  g_autofree guint32 *fresh = NULL;
  ExactList part[2];
  GThread *et = NULL;

  for (guint c = 0; c < n; c++)
    n_new += s->stamp[tracks[c]] != s->generation;
  if (n_new == 0)
    return;
  fresh = g_new (guint32, n_new);
  n_new = 0;
  for (guint c = 0; c < n; c++)
    if (s->stamp[tracks[c]] != s->generation)
      fresh[n_new++] = tracks[c];
  part[0] = (ExactList){ s, fresh, n_new / 2 };
  part[1] = (ExactList){ s, fresh + n_new / 2, n_new - n_new / 2 };
  if (n_new >= 512)
    et = g_thread_try_new ("sa-search", exact_list, &part[1], NULL);
  exact_list (&part[0]);
  if (et)
    g_thread_join (et);
  else
    exact_list (&part[1]);
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  double x = ((const SaHit *) a)->distance, y = ((const SaHit *) b)->distance;
  return x < y ? -1 : x > y;
}

/* The top k after a compact pass: no track whose lower bound exceeds the k-th smallest
 * upper bound can be in the top k (k tracks are certainly nearer); every other track
 * gets its exact sums and is ranked by its exact key, as in the plain pass. */
static guint
rank_bounded (SaSearch *s, const Exclusion *x, const double *coef, double qn, guint k, SaHit *heap)
{
  BoundScan half[2];
  GThread *t = NULL;
  g_autofree SaHit *merged = NULL;
  g_autofree SaHit *heaps = g_new (SaHit, 2 * (gsize) k);
  double threshold = INFINITY;
  guint n_merged = 0, n_heap = 0, split = s->n;
  guint32 *todo;
  guint n_todo = 0;

  if (s->n >= PARALLEL_MIN_ROWS && g_get_num_processors () >= 2)
    split = s->n / 2;
  half[0] = (BoundScan){ s, x, coef, k, 0, split, heaps, 0, 0 };
  half[1] = (BoundScan){ s, x, coef, k, split, s->n, heaps + k, 0, 0 };
  if (split < s->n)
    t = g_thread_try_new ("sa-search", bound_scan, &half[1], NULL);
  bound_scan (&half[0]);
  if (split < s->n)
    {
      if (t)
        g_thread_join (t);
      else
        bound_scan (&half[1]);
    }

  /* the k-th smallest upper bound of all: among the two halves' k smallest */
  merged = g_new (SaHit, half[0].n_heap + half[1].n_heap + 1);
  for (guint h = 0; h < 2; h++)
    for (guint i = 0; i < half[h].n_heap; i++)
      merged[n_merged++] = half[h].heap[i];
  if (n_merged >= k)
    {
      qsort (merged, n_merged, sizeof (SaHit), compare_keys);
      threshold = merged[k - 1].distance;
    }

  /* the candidates the final threshold keeps, compacted in place; those without exact
   * sums yet get them (rows read from the float matrix) */
  todo = s->candidates;
  for (guint h = 0; h < 2; h++)
    {
      const guint32 *cand = s->candidates + half[h].begin;
      guint kept = 0;
      for (guint c = 0; c < half[h].n_candidates; c++)
        if (bound_key (s, s->lo, coef, cand[c]) <= threshold)
          ((guint32 *) cand)[kept++] = cand[c];
      memmove (todo + n_todo, cand, kept * sizeof (guint32));
      n_todo += kept;
    }
  exact_tracks (s, todo, n_todo);
  for (guint c = 0; c < n_todo; c++)
    heap_push (heap, &n_heap, k, key_of (s, coef, todo[c], qn), todo[c]);
  return n_heap;
}

guint
sa_search_rank (SaSearch *s, const double *weights, guint k, SaHit *hits)
{
  double coef[SA_MAX_SETS];
  double qn;
  guint n_heap = 0;
  gboolean inside, bounded;
  SaHit *heap;
  Exclusion x = { 0 };

  g_return_val_if_fail (s->has_query, 0);
  if (sa_search_get_mutual_proximity (s))
    return sa_search_mp_rank (s, weights, k, hits);
  ensure_fresh (s);
  inside = s->query >= 0;
  x.q = inside ? (guint) s->query : G_MAXUINT;
  set_coefficients (s, weights, coef);
  qn = query_norm_of (s, coef);
  k = MIN (k, s->n - (inside ? 1 : 0));

  /* a query from outside the collection has no artist, album or file of its own */
  x.ea = inside && (s->exclude & SA_EXCLUDE_SAME_ARTIST) != 0;
  x.eb = inside && (s->exclude & SA_EXCLUDE_SAME_ALBUM) != 0;
  x.ef = inside && (s->exclude & SA_EXCLUDE_SAME_FILE) != 0;
  if (x.ea)
    x.ga = sa_collection_get_group (s->c, x.q, SA_FIELD_ARTIST);
  if (x.eb)
    x.gb = sa_collection_get_group (s->c, x.q, SA_FIELD_ALBUM);
  if (x.ef)
    x.gf = sa_collection_get_group (s->c, x.q, SA_FIELD_PATH);

  bounded = s->bounded;
  for (guint si = 0; si < s->ns; si++)
    if (!(coef[si] >= 0))
      bounded = FALSE;
  if (s->bounded && !bounded)
    for_rows (s, exact_rows);

  if (inside)
    ensure_exact (s, x.q);
  hits[0].track = x.q;
  hits[0].distance = inside ? distance_of_key (s, key_of (s, coef, x.q, qn)) : 0.0;
  heap = hits + 1;
  if (k == 0)
    return 1;
  if (bounded)
    n_heap = rank_bounded (s, &x, coef, qn, k, heap);
  else
    for (guint i = 0; i < s->n; i++)
      if (!excluded (s, &x, i))
        heap_push (heap, &n_heap, k, key_of (s, coef, i, qn), i);
  qsort (heap, n_heap, sizeof (SaHit), compare_hits);
  for (guint i = 0; i < n_heap; i++)
    heap[i].distance = distance_of_key (s, heap[i].distance);
  return n_heap + 1;
}

double
sa_search_distance (SaSearch *s, const double *weights, guint track)
{
  double coef[SA_MAX_SETS];

  g_return_val_if_fail (s->has_query && track < s->n, NAN);
  if (sa_search_get_mutual_proximity (s))
    return sa_search_mp_distance (s, weights, track);
  ensure_fresh (s);
  ensure_exact (s, track);
  set_coefficients (s, weights, coef);
  return distance_of_key (s, key_of (s, coef, track, query_norm_of (s, coef)));
}

/* Every track's distance (@as_distance) or ranking key, for the current query. */
static void
all_values (SaSearch *s, const double *weights, double *out, gboolean as_distance)
{
  double coef[SA_MAX_SETS];
  double qn;

  if (sa_search_get_mutual_proximity (s))
    {
      sa_search_mp_all (s, weights, out, as_distance);
      return;
    }
  ensure_fresh (s);
  set_coefficients (s, weights, coef);
  qn = query_norm_of (s, coef);
  if (s->bounded)
    for_rows (s, exact_rows);
  for (guint i = 0; i < s->n; i++)
    {
      double key = key_of (s, coef, i, qn);
      out[i] = as_distance ? distance_of_key (s, key) : key;
    }
}

void
sa_search_all_distances (SaSearch *s, const double *weights, double *out)
{
  g_return_if_fail (s->has_query);
  all_values (s, weights, out, TRUE);
}

void
sa_search_contributions (SaSearch *s, const double *weights, guint track, double *per_set)
{
  double coef[SA_MAX_SETS];

  g_return_if_fail (s->has_query && track < s->n);
  ensure_fresh (s);
  ensure_exact (s, track);
  set_coefficients (s, weights, coef);
  for (guint si = 0; si < s->ns; si++)
    per_set[si] = coef[si] * s->partial[(gsize) track * s->ns + si];
}

void
sa_search_default_weights (SaCollection *c, double *weights)
{
  g_return_if_fail (SA_IS_COLLECTION (c) && weights != NULL);
  for (guint si = 0; si < sa_collection_get_n_sets (c); si++)
    weights[si] = sa_collection_get_set (c, si)->default_weight;
}

/* A plain decimal number: digits, one point, an exponent; no sign, hex, inf or nan. */
gboolean
sa_parse_decimal (const char *text, double *value)
{
  const char *p = text;
  gboolean digits = FALSE;
  char *end = NULL;

  g_return_val_if_fail (text != NULL && value != NULL, FALSE);
  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*value);
}

gboolean
sa_search_parse_weights (SaCollection *c, const char *text, double *weights, GError **error)
{
  g_auto (GStrv) items = NULL;
  gboolean given[SA_MAX_SETS] = { FALSE };

  g_return_val_if_fail (SA_IS_COLLECTION (c), FALSE);
  g_return_val_if_fail (text != NULL && weights != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  sa_search_default_weights (c, weights);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_ENCODING,
                   _ ("--weights: the text is not valid UTF-8"));
      return FALSE;
    }
  items = g_strsplit (text, ",", -1);
  for (guint i = 0; items[i]; i++)
    {
      g_auto (GStrv) kv = NULL;
      double w;
      int si;

      g_strstrip (items[i]);
      if (*items[i] == '\0')
        continue;
      kv = g_strsplit (items[i], "=", 2);
      if (kv[1] == NULL)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                       _ ("--weights: '%s' is not NAME=VALUE"), items[i]);
          return FALSE;
        }
      g_strstrip (kv[0]);
      g_strstrip (kv[1]);
      si = sa_collection_find_set (c, kv[0]);
      if (si < 0)
        {
          g_autoptr (GString) names = g_string_new (NULL);
          for (guint j = 0; j < sa_collection_get_n_sets (c); j++)
            g_string_append_printf (names, "%s%s", j ? ", " : "",
                                    sa_collection_get_set (c, j)->name);
          g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND,
                       _ ("--weights: unknown feature set '%s' (this collection has: %s)"), kv[0],
                       names->str);
          return FALSE;
        }
      if (given[si])
        {
          g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                       _ ("--weights: '%s' is given twice; give each set once"), kv[0]);
          return FALSE;
        }
      given[si] = TRUE;
      if (*kv[1] == '-' && sa_parse_decimal (kv[1] + 1, &w))
        {
          g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                       _ ("--weights: the weight of '%s' is negative (%s)"), kv[0], kv[1]);
          return FALSE;
        }
      if (!sa_parse_decimal (kv[1], &w))
        {
          g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                       _ ("--weights: '%s' is not a decimal number (such as 0.5 or 2)"), kv[1]);
          return FALSE;
        }
      if (w > SA_MAX_WEIGHT)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                       _ ("--weights: the weight of '%s' is %s; a weight goes from 0 to %.0f"),
                       kv[0], kv[1], SA_MAX_WEIGHT);
          return FALSE;
        }
      weights[si] = w;
    }
  return TRUE;
}

gboolean
sa_metric_from_string (const char *text, SaMetric *metric)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (metric != NULL, FALSE);

  if (g_ascii_strcasecmp (text, "euclidean") == 0)
    *metric = SA_METRIC_EUCLIDEAN;
  else if (g_ascii_strcasecmp (text, "manhattan") == 0)
    *metric = SA_METRIC_MANHATTAN;
  else if (g_ascii_strcasecmp (text, "cosine") == 0)
    *metric = SA_METRIC_COSINE;
  else
    return FALSE;
  return TRUE;
}

const char *
sa_metric_to_string (SaMetric metric)
{
  static const char *names[] = { "euclidean", "manhattan", "cosine" };

  g_return_val_if_fail ((guint) metric <= SA_METRIC_COSINE, NULL);

  return names[metric];
}

/* ---- mutual proximity hooks and internals (the MP maths is in sa-search-mp.c) ---- */

gboolean
sa_search_set_mutual_proximity (SaSearch *s, SaMoments *moments)
{
  if (moments)
    sa_moments_ref (moments);
  g_clear_pointer (&s->mp, sa_moments_unref);
  s->mp = moments;
  return sa_search_get_mutual_proximity (s) != NULL;
}

SaMoments *
sa_search_get_mutual_proximity (SaSearch *s)
{
  if (s->mp == NULL || sa_moments_get_metric (s->mp) != s->metric
      || sa_moments_get_standardize (s->mp) != s->standardize
      || sa_moments_get_n_tracks (s->mp) != s->n || sa_moments_get_n_sets (s->mp) != s->ns)
    return NULL;
  return s->mp;
}

void
sa_search_all_keys (SaSearch *s, const double *weights, double *out)
{
  g_return_if_fail (s->has_query);
  all_values (s, weights, out, FALSE);
}

void
sa_search_pair_partials (SaSearch *s, const float *x, const float *y, double *partials)
{
  for (guint si = 0; si < s->ns; si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (s->c, si);
      /* as compute_partials: the float factors are scaled to at most 1 per set */
      if (s->metric == SA_METRIC_MANHATTAN)
        partials[si]
            = kernel_abs (x + set->offset, y + set->offset, s->inv_std + set->offset, set->padded)
              * s->std_factor[si];
      else
        partials[si]
            = kernel_sq (x + set->offset, y + set->offset, s->inv_var + set->offset, set->padded)
              * s->var_factor[si];
    }
}

void
sa_search_pair_partials_n (SaSearch *s, const float *x, const float *const *ys, guint n_ys,
                           double *partials)
{
  /* SA_KERNEL_PAIRS_MAX references at a time, with exactly pair_partials()' values */
  for (guint r0 = 0; r0 < n_ys; r0 += SA_KERNEL_PAIRS_MAX)
    {
      const guint nr = MIN (SA_KERNEL_PAIRS_MAX, n_ys - r0);
      for (guint si = 0; si < s->ns; si++)
        {
          const SaFeatureSet *set = sa_collection_get_set (s->c, si);
          const float *q[SA_KERNEL_PAIRS_MAX];
          double v[SA_KERNEL_PAIRS_MAX];
          const gboolean manhattan = s->metric == SA_METRIC_MANHATTAN;
          for (guint r = 0; r < nr; r++)
            q[r] = ys[r0 + r] + set->offset;
          sa_kernel_pairs (manhattan, x + set->offset, q, nr,
                           (manhattan ? s->inv_std : s->inv_var) + set->offset, set->padded, v);
          for (guint r = 0; r < nr; r++)
            partials[(gsize) (r0 + r) * s->ns + si]
                = v[r] * (manhattan ? s->std_factor[si] : s->var_factor[si]);
        }
    }
}

const double *
sa_search_get_partials (SaSearch *s)
{
  ensure_fresh (s);
  /* after a compact pass, only the candidates' sums were exact */
  if (s->bounded)
    for_rows (s, exact_rows);
  return s->partial;
}

gboolean
sa_search_is_bounded (SaSearch *s)
{
  ensure_fresh (s);
  return s->bounded;
}

double
sa_search_lower_key (SaSearch *s, const double *coef, guint track)
{
  g_return_val_if_fail (s->bounded && track < s->n, 0);
  return bound_key (s, s->lo, coef, track);
}

double
sa_search_upper_key (SaSearch *s, const double *coef, guint track)
{
  g_return_val_if_fail (s->bounded && track < s->n, INFINITY);
  return bound_key (s, s->hi, coef, track);
}

const double *
sa_search_get_exact_partials (SaSearch *s, guint track, float *scratch)
{
  g_return_val_if_fail (track < s->n, NULL);
  ensure_fresh (s);
  ensure_exact_read (s, track, scratch);
  return s->partial + (gsize) track * s->ns;
}

const float *
sa_search_get_query_row (SaSearch *s)
{
  return s->qbuf;
}

void
sa_search_get_coefficients (SaSearch *s, const double *weights, double *coef)
{
  set_coefficients (s, weights, coef);
}

SaExclude
sa_search_get_exclude (SaSearch *s)
{
  return s->exclude;
}

gboolean
sa_search_get_standardize (SaSearch *s)
{
  return s->standardize;
}

const float *
sa_search_get_bounds (SaSearch *s, gboolean upper, const double **factors)
{
  g_return_val_if_fail (s->bounded, NULL);
  *factors = s->var_factor;
  return upper ? s->hi : s->lo;
}

void
sa_search_remember_mp_top (SaSearch *s, const SaHit *hits, guint n)
{
  g_free (s->mp_top);
  s->mp_top = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    s->mp_top[i] = hits[i].track;
  s->n_mp_top = n;
  s->mp_top_generation = s->generation;
}

const guint32 *
sa_search_recall_mp_top (SaSearch *s, guint *n)
{
  if (s->mp_top == NULL || !s->bounded || s->mp_top_generation != s->generation)
    return NULL;
  *n = s->n_mp_top;
  return s->mp_top;
}

gboolean
sa_search_samples_distances (SaSearch *s)
{
  g_return_val_if_fail (s->has_query, FALSE);
  ensure_fresh (s);
  return s->bounded;
}

guint
sa_search_sample_distances (SaSearch *s, const double *weights, guint n_sample, guint32 *tracks,
                            double *out)
{
  double coef[SA_MAX_SETS], qn;
  guint n = 0;

  g_return_val_if_fail (s->has_query, 0);
  ensure_fresh (s);
  n_sample = MIN (n_sample, s->n);
  /* track floor ((2j + 1) n / 2 S): S tracks at equal steps, from the middle of the first */
  for (guint j = 0; j < n_sample; j++)
    {
      guint32 i = (guint32) (((guint64) 2 * j + 1) * s->n / (2 * (guint64) n_sample));
      if ((int) i != s->query)
        tracks[n++] = i;
    }
  if (s->bounded)
    exact_tracks (s, tracks, n);
  if (sa_search_get_mutual_proximity (s))
    {
      sa_search_mp_of_tracks (s, weights, tracks, n, out);
      return n;
    }
  set_coefficients (s, weights, coef);
  qn = query_norm_of (s, coef);
  for (guint j = 0; j < n; j++)
    out[j] = distance_of_key (s, key_of (s, coef, tracks[j], qn));
  return n;
}
