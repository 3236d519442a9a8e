/* sa-search.h: weighted distance search over a collection
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows the ISMIR 2018 tutorial "Deep Learning for MIR", part 2a: every
 * dimension z-scored over the collection (population std; zero-variance
 * dimensions contribute nothing), and for a query q and track x
 *
 *   d(x, q)^2 = sum_s  w_s / len_s * sum_{j in s} ((x_j - q_j) / sigma_j)^2
 *
 * (w = 1 everywhere: its "scaled" distance; w = (0.5, 0.9): its "weighted" one;
 * without the 1/len_s factor: its plain Euclidean distance).  The mean cancels,
 * so z-scoring is a per-dimension weight and no standardized copy is made.
 *
 * sa_search_set_query() makes one streaming pass over the matrix and keeps, for
 * every track, one partial sum per feature set.  sa_search_rank() combines them
 * with the weights and selects the top k: a change of weights never reads the
 * matrix again.
 */
#pragma once

#include "sa-collection.h"

G_BEGIN_DECLS

typedef enum
{
  SA_METRIC_EUCLIDEAN,
  SA_METRIC_MANHATTAN,
  SA_METRIC_COSINE,
} SaMetric;

typedef enum
{
  SA_EXCLUDE_NONE = 0,
  SA_EXCLUDE_SAME_ARTIST = 1 << 0,
  SA_EXCLUDE_SAME_ALBUM = 1 << 1,
  SA_EXCLUDE_SAME_FILE = 1 << 2,
} SaExclude;

typedef struct
{
  guint track;
  double distance;
} SaHit;

typedef struct _SaSearch SaSearch;

SaSearch *sa_search_new (SaCollection *collection);
void sa_search_free (SaSearch *search);
SaCollection *sa_search_get_collection (SaSearch *search);

/* These change what a query computes; the next set_query() applies them. */
void sa_search_set_metric (SaSearch *search, SaMetric metric);
SaMetric sa_search_get_metric (SaSearch *search);
void sa_search_set_standardize (SaSearch *search, gboolean standardize);
/* Whether the pass may scan the collection's compact copy (sa-compact.h) and re-rank
 * exactly what its bounds cannot rule out (the default, when the collection has one:
 * the same hits as the plain pass). */
void sa_search_set_compact (SaSearch *search, gboolean allow);
/* Whether the last pass was the compact one. */
gboolean sa_search_uses_compact (SaSearch *search);
/* These only change how the partial sums are combined (no new pass). */
void sa_search_set_set_scaling (SaSearch *search, gboolean set_scaling);
void sa_search_set_exclude (SaSearch *search, SaExclude exclude);

/* One pass over the feature matrix. */
void sa_search_set_query (SaSearch *search, guint track);
/* A query from outside the collection (query by example): a padded row laid out like
 * the collection's (sa_collection_get_stride() floats).  rank() then gives hits[0] =
 * { G_MAXUINT, 0 } and only the collection's tracks after it. */
void sa_search_set_query_vector (SaSearch *search, const float *row);
/* The query's track; -1 when there is none or it came from outside. */
int sa_search_get_query (SaSearch *search);
gboolean sa_search_has_query (SaSearch *search);

/* Fills @hits with the query (rank 0) then up to @k nearest other tracks,
 * ascending by distance, ties by feature-file order.  @weights has one entry per
 * feature set (NULL: the defaults).  Returns the number of hits written. */
guint sa_search_rank (SaSearch *search, const double *weights, guint k, SaHit *hits);
/* The distance of one track under @weights (after set_query). */
double sa_search_distance (SaSearch *search, const double *weights, guint track);
/* The contribution of each set to the (squared, for Euclidean) distance of a track. */
void sa_search_contributions (SaSearch *search, const double *weights, guint track,
                              double *per_set);
/* All distances (n_tracks values), e.g. for a histogram. */
void sa_search_all_distances (SaSearch *search, const double *weights, double *out);

/* Whether all_distances() costs a full pass over the float matrix, which a large collection's
 * query does not make (it scans the compact copy): then a histogram draws on
 * sample_distances() instead. */
gboolean sa_search_samples_distances (SaSearch *search);
/* The exact distances (MP with moments set) of @n_sample tracks spread evenly over the
 * collection, at equal steps in file order, but the query: their tracks into @tracks and
 * distances into @out (n_sample each); how many.  Only their rows are read. */
guint sa_search_sample_distances (SaSearch *search, const double *weights, guint n_sample,
                                  guint32 *tracks, double *out);

/* The largest weight of a set (larger ones are refused: distances stay finite). */
#define SA_MAX_WEIGHT 1e6

/* The defaults (SaFeatureSet.default_weight): the tutorial's rp 0.5, ssd 0.9; a set
 * next to them 0 (off until the user turns it on); in a file with neither, 1. */
void sa_search_default_weights (SaCollection *collection, double *weights);
/* Parses "rp=0.5,ssd=0.9" on top of the defaults: plain decimals from 0 to
 * SA_MAX_WEIGHT, each set at most once. */
gboolean sa_search_parse_weights (SaCollection *collection, const char *text, double *weights,
                                  GError **error);
/* A plain decimal number ("0.5", "2", "1e3"): no sign, hex, inf or nan. */
gboolean sa_parse_decimal (const char *text, double *value);
gboolean sa_metric_from_string (const char *text, SaMetric *metric);
const char *sa_metric_to_string (SaMetric metric);

/* ---- Mutual proximity (sa-moments.h) ----
 * While @moments is set (and made for this search's metric, standardisation and
 * collection), rank() orders by mutual proximity instead of the distance, and
 * rank(), distance() and all_distances() report MP = 1 - SF * SF.  A weight
 * change stays a pass over the partial sums.  NULL turns it off; with it off
 * every result is the plain distance's.  Returns whether MP is now in use. */
typedef struct _SaMoments SaMoments;
gboolean sa_search_set_mutual_proximity (SaSearch *search, SaMoments *moments);
/* The moments in use, or NULL. */
SaMoments *sa_search_get_mutual_proximity (SaSearch *search);
/* Ranking keys, ascending = nearer, in exactly rank()'s order (n_tracks values):
 * the squared distance for Euclidean, minus SF * SF with MP. */
void sa_search_all_keys (SaSearch *search, const double *weights, double *out);

/* Internals shared with sa-moments.c and sa-search-mp.c. */
void sa_search_pair_partials (SaSearch *search, const float *x, const float *y, double *partials);
/* pair_partials() of @x with each of @ys (partials: n_ys x n_sets), the same values,
 * several references per pass over @x (sa-kernel-pairs.h). */
void sa_search_pair_partials_n (SaSearch *search, const float *x, const float *const *ys,
                                guint n_ys, double *partials);
const double *sa_search_get_partials (SaSearch *search);
/* After a compact pass (large collections): TRUE, and for every track bounds of its key
 * under @coef (nonnegative coefficients), sum coef_s A_s, from the compact copy; the exact
 * sums of one track are made on request (its row read, not mapped).  Without a compact pass (FALSE) use
 * get_partials(). */
gboolean sa_search_is_bounded (SaSearch *search);
double sa_search_lower_key (SaSearch *search, const double *coef, guint track);
double sa_search_upper_key (SaSearch *search, const double *coef, guint track);
/* The bounds themselves (n_tracks x n_sets floats, of the sums before each set's factor,
 * which *@factors receives): sa_search_bound_key() of them is lower_key() and upper_key()
 * without a call per track. */
const float *sa_search_get_bounds (SaSearch *search, gboolean upper, const double **factors);
/* The key of track @i from bounds @b: the same operations as the exact key's (rounding is
 * monotone, so bounds stay bounds). */
static inline double
sa_search_bound_key (const float *b, const double *factors, guint n_sets, const double *coef,
                     guint i)
{
  const float *p = b + (gsize) i * n_sets;
  double acc = 0;

  for (guint si = 0; si < n_sets; si++)
    acc += coef[si] * ((double) p[si] * factors[si]);
  return acc;
}
/* The tracks of the last mutual-proximity top k of this query's pass (sa-search-mp.c
 * seeds a slider move with them): remember(), then recall() gives them (*n of them) until
 * the next pass, NULL after it. */
void sa_search_remember_mp_top (SaSearch *search, const SaHit *hits, guint n);
const guint32 *sa_search_recall_mp_top (SaSearch *search, guint *n);
/* @scratch: stride floats, 64-byte aligned (the row is read into it) */
const double *sa_search_get_exact_partials (SaSearch *search, guint track, float *scratch);
const float *sa_search_get_query_row (SaSearch *search);
void sa_search_get_coefficients (SaSearch *search, const double *weights, double *coef);
SaExclude sa_search_get_exclude (SaSearch *search);
gboolean sa_search_get_standardize (SaSearch *search);

/* Kernels, exposed for the benchmark (plain loops over 16-float blocks). */
double sa_kernel_stream_sum (const float *matrix, gsize n_floats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaSearch, sa_search_free)

G_END_DECLS
