/* sa-suggest.h: weights learned from marks
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every good result of a query should come before every bad result of the same
 * query.  For Euclidean (squared) and Manhattan distance each such pair is a
 * linear inequality in the weights, sum_s w_s delta_s < 0; the suggestion is
 * weights that satisfy clearly more pairs than the current ones.  Only the
 * direction of the weights matters for a ranking, so with two sets it is one angle
 * in [0, pi/2], each pair holds on one interval of it, and an exact sweep over the
 * interval ends finds every count.  The marks say little when they are few or when
 * every setting orders them about equally well, so a count must beat the current
 * weights' count by more than two standard errors (of the per-query differences
 * summed over the queries) to be suggested: the best such interval, nearest the
 * current weights among equals, at its middle.  When none does, the current
 * weights stay.  Marks on a single query give no error to measure: any gain counts.
 * More sets: a small deterministic search (coordinate moves from the current
 * weights and a few fixed restarts; no significance test).  The suggestion is
 * scaled so that its largest weight equals the current largest.  It ranks the
 * plain distance (mutual proximity then rescales that distance).
 */
#pragma once

#include "sa-marks.h"
#include "sa-search.h"

G_BEGIN_DECLS

typedef struct
{
  double weights[SA_MAX_SETS];
  guint n_pairs;             /* good-bad pairs of the same query */
  guint n_satisfied_current; /* in order at the current weights */
  guint n_satisfied;         /* ... at the suggested ones */
  guint n_marks_unknown;     /* marks whose clips are not in the collection */
} SaSuggestion;

gboolean sa_suggest_weights (SaCollection *collection, SaMarks *marks, SaMetric metric,
                             gboolean standardize, gboolean set_scaling, const double *current,
                             SaSuggestion *out, GError **error);

G_END_DECLS
