/* sa-moments.h: per-track distance moments for mutual proximity
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Gaussian mutual proximity (Schnitzer, Flexer, Schedl & Widmer, JMLR 13, 2012)
 * replaces a distance D(x, y) by
 *
 *   MP(x, y) = 1 - SF(D; mu_x, sd_x) * SF(D; mu_y, sd_y)
 *
 * with SF the normal survival function and mu_x, sd_x the mean and (population)
 * standard deviation of x's distances to a reference sample of tracks (every
 * track when the collection is small, else a fixed random sample; a track is
 * never its own reference).  D is the squared distance for Euclidean and the
 * distance itself for Manhattan: both are linear in the set weights,
 *
 *   D = sum_s c_s A_s(x, y)       (c_s = w_s / len_s, or w_s without set scaling)
 *
 * with A_s the per-set partial sums the search keeps.  So per track we keep the
 * means E[A_s] and the covariances Cov(A_s, A_t) over the sample (5 numbers for
 * two sets), and mu = sum_s c_s E[A_s], sd^2 = sum_{s,t} c_s c_t Cov(A_s, A_t)
 * follow exactly for any weights: a weight change stays a pass over the partial
 * sums.  Cosine distance is not linear in the weights (each set's norm enters the
 * denominator), so MP is not offered for it.
 *
 * Moments depend on the collection's content, the metric and standardisation;
 * they are computed once (on all cores), cached in a small file beside the
 * collection and checked against it when read.
 */
#pragma once

#include <math.h>

#include "sa-search.h"

G_BEGIN_DECLS

/* Reference tracks per track: every track up to SA_MOMENTS_ALL_MAX tracks, else
 * a fixed random sample of SA_MOMENTS_DEFAULT_SAMPLE.  Measured (docs/quality.md):
 * on the tutorial's 2,438 clips, k-occurrence skewness with MP is 0.97 with all
 * tracks as references, but 2.2 with 256 and 1.7 with 512 (a track's deviation
 * is estimated too noisily from few references); the cost is n x S pairs. */
#define SA_MOMENTS_ALL_MAX        4096
#define SA_MOMENTS_DEFAULT_SAMPLE 1024

typedef struct _SaMoments SaMoments;

/* @sample: the number of reference tracks (0: the default above; a value >= the
 * number of tracks means all of them).  @n_threads 0: one per core. */
SaMoments *sa_moments_compute (SaCollection *collection, SaMetric metric, gboolean standardize,
                               guint sample, guint n_threads, GCancellable *cancellable,
                               GError **error);
/* The same values (bit for bit) by the pair-by-pair path that preceded the
 * multi-reference kernels: for benchmarks and tests only. */
SaMoments *sa_moments_compute_reference (SaCollection *collection, SaMetric metric,
                                         gboolean standardize, guint sample, guint n_threads,
                                         GCancellable *cancellable, GError **error);

/* The cache: reads the moments from beside the collection when they are there
 * and still match it, else computes and saves them (a cache that cannot be
 * written is not an error). */
SaMoments *sa_moments_get (SaCollection *collection, SaMetric metric, gboolean standardize,
                           guint sample, GCancellable *cancellable, GError **error);
void sa_moments_get_async (SaCollection *collection, SaMetric metric, gboolean standardize,
                           guint sample, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data);
SaMoments *sa_moments_get_finish (GAsyncResult *result, GError **error);

/* How far a computation is: the tracks whose moments are done, counted atomically by the
 * threads that compute them (one addition per block of tracks: the kernels do not slow down,
 * and the values do not change).  Read it from any thread; a moments file read from the
 * cache is done at once. */
typedef struct _SaMomentsProgress SaMomentsProgress;
SaMomentsProgress *sa_moments_progress_new (void);
SaMomentsProgress *sa_moments_progress_ref (SaMomentsProgress *progress);
void sa_moments_progress_unref (SaMomentsProgress *progress);
/* 0 before the work starts, 1 when it is done. */
double sa_moments_progress_get_fraction (SaMomentsProgress *progress);
/* As sa_moments_get_async, reporting to @progress (may be NULL). */
void sa_moments_get_async_with_progress (SaCollection *collection, SaMetric metric,
                                         gboolean standardize, guint sample,
                                         SaMomentsProgress *progress, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);

/* Where the cache lives: beside the feature file, or (when that folder cannot be
 * written) in the user's cache folder. */
char *sa_moments_cache_path (SaCollection *collection, SaMetric metric, gboolean standardize,
                             guint sample);
gboolean sa_moments_save (SaMoments *moments, SaCollection *collection, const char *path,
                          GError **error);
/* NULL with an error when the file is missing, damaged or made for other data. */
SaMoments *sa_moments_load (SaCollection *collection, const char *path, GError **error);

SaMoments *sa_moments_ref (SaMoments *moments);
void sa_moments_unref (SaMoments *moments);

gboolean sa_moments_supports_metric (SaMetric metric);
SaMetric sa_moments_get_metric (SaMoments *moments);
gboolean sa_moments_get_standardize (SaMoments *moments);
guint sa_moments_get_n_tracks (SaMoments *moments);
guint sa_moments_get_n_sets (SaMoments *moments);
/* The reference tracks, ascending (n of them). */
const guint *sa_moments_get_sample (SaMoments *moments, guint *n);
/* Per track: n_sets means, then the covariances (s <= t, row by row). */
guint sa_moments_get_n_values (SaMoments *moments);
const double *sa_moments_get_values (SaMoments *moments, guint track);

/* The moments of a row from outside the collection, against the same sample. */
void sa_moments_of_row (SaMoments *moments, SaSearch *search, const float *row, double *values);

/* mu and sd of D for the per-set coefficients @coef. */
static inline void
sa_moments_combine (const double *values, guint n_sets, const double *coef, double *mu, double *sd)
{
  const double *cov = values + n_sets;
  double m = 0, v = 0;

  for (guint s = 0; s < n_sets; s++)
    {
      m += coef[s] * values[s];
      v += coef[s] * coef[s] * *cov++;
      for (guint t = s + 1; t < n_sets; t++)
        v += 2 * coef[s] * coef[t] * *cov++;
    }
  *mu = m;
  *sd = v > 0 ? sqrt (v) : 0;
}

/* The erfc argument of the normal survival function at d: SF = erfc(t) / 2,
 * CDF = erfc(-t) / 2.  A zero deviation is a step at mu. */
static inline double
sa_mp_arg (double d, double mu, double sd)
{
  if (sd > 0)
    return (d - mu) / (sd * G_SQRT2);
  return d < mu ? -INFINITY : d > mu ? INFINITY : 0.0;
}

/* MP = 1 - SF_q SF_x for the arguments @tq, @tx, computed as a + b - ab from the
 * CDFs (exact where MP is tiny), and the ranking key log(MP) - log(SF_q SF_x),
 * which grows with MP and keeps its precision at both ends (near neighbours,
 * where SF rounds to 1, and the far tail, where MP rounds to 1). */
static inline double
sa_mp_value (double tq, double tx, double *key)
{
  double a = 0.5 * erfc (-tq), b = 0.5 * erfc (-tx);
  double mp = a + b - a * b;

  if (key)
    *key = log (mp) - (log (0.5 * erfc (tq)) + log (0.5 * erfc (tx)));
  return mp;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMoments, sa_moments_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMomentsProgress, sa_moments_progress_unref)

G_END_DECLS
