/* sa-quality.h: how good the neighbours of a setting are
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a setting (metric, weights, mutual proximity) and every query (or a fixed
 * sample of queries on large collections):
 * - precision@k: the share of the k nearest other tracks that are relevant
 *   (sa-labels.h), averaged over the queries that have a label; ties by
 *   collection order, as numpy's stable argsort;
 * - mAP: the mean over those queries (with at least one relevant track) of the
 *   average precision over the whole ranking;
 * - hubness of the k-occurrence N_k(x) (how many queries have x in their top k):
 *   its skewness (population moments, scipy.stats.skew with bias=True), the share
 *   of tracks in no one's top k (antihubs), the largest N_k and the Robin Hood
 *   index sum |N_k - mean| / (2 sum N_k).
 * Tracks can be left out of a query's ranking when they share a column's value
 * with it (e.g. clips of the same recording).
 */
#pragma once

#include "sa-labels.h"
#include "sa-moments.h"
#include "sa-search.h"

G_BEGIN_DECLS

/* Above this many tracks, evaluate() uses a sample of queries by default. */
#define SA_QUALITY_ALL_QUERIES_MAX 20000
#define SA_QUALITY_SAMPLE_QUERIES  1000

typedef struct
{
  SaMetric metric;
  gboolean standardize;
  gboolean set_scaling;
  double weights[SA_MAX_SETS];
  SaMoments *moments;         /* mutual proximity, or NULL */
  guint k;                    /* default 10 */
  SaLabels *labels;           /* NULL: hubness only */
  const char *exclude_column; /* NULL: none */
  const guint *queries;       /* NULL: all tracks or a sample */
  guint n_queries;            /* with @queries; else 0 (default) or a sample size */
  guint n_threads;            /* 0: one per core */
} SaQualityOptions;

typedef struct
{
  guint k;
  guint n_tracks;
  guint n_queries;          /* queries ranked */
  gboolean sampled;         /* a sample of the collection's tracks */
  guint n_labelled_queries; /* queries with a label (precision@k) */
  guint n_map_queries;      /* ... and at least one relevant track (mAP) */
  double precision_at_k;    /* NAN without labels */
  double map;
  double skewness;
  double antihub_rate;
  guint max_k_occurrence;
  double robinhood;
  guint *k_occurrence; /* n_tracks */
  double *precision;   /* per query (in the order of @queries), NAN when unlabelled */
} SaQuality;

void sa_quality_options_init (SaQualityOptions *options, SaCollection *collection);
SaQuality *sa_quality_evaluate (SaCollection *collection, const SaQualityOptions *options,
                                GCancellable *cancellable, GError **error);
void sa_quality_free (SaQuality *quality);
/* The @n tracks with the largest k-occurrence (ties by collection order). */
guint sa_quality_top_hubs (SaQuality *quality, guint n, guint *tracks);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaQuality, sa_quality_free)

G_END_DECLS
