/* sa-compact.h: a compact copy of the feature matrix for the scan, with error bounds
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every value becomes one signed byte: its z-score z = (x - mu) / sigma in steps of
 * SA_COMPACT_STEP, clamped to +-127 steps.  Constant columns and padding are 0.  With
 * every row goes, per feature set, an upper bound of its rounding error in the z-scored
 * norm, E = || (x - x^) / sigma || (larger for a row whose values were clamped).  The query
 * is kept in finer steps (SA_COMPACT_STEP / SA_COMPACT_QUERY_SCALE, 16-bit) with its own
 * error F.  The scan is then an integer sum of squares, and
 *
 *     | ||x - q||_z  -  (step / query_scale) sqrt (I) |  <=  E(x) + F(q),
 *
 * where I = sum_j (query_scale c_j - t_j)^2 is exact (sa_compact_kernel()).  The search
 * turns that into bounds of its own float results and re-ranks exactly what the bounds
 * cannot rule out.
 */
#pragma once

#include "sa-collection.h"

G_BEGIN_DECLS

#define SA_COMPACT_STEP        (5.0 / 127.0)
#define SA_COMPACT_QUERY_SCALE 8
#define SA_COMPACT_QUERY_LIMIT (SA_COMPACT_QUERY_SCALE * 286)

/* Encodes @n_rows rows (@stride floats each) into @codes (@stride bytes each) and
 * @errors (@n_sets values each). */
void sa_compact_encode (const float *rows, gsize n_rows, guint stride, const SaFeatureSet *sets,
                        guint n_sets, const double *mean, const double *std,
                        const gboolean *zero_variance, gint8 *codes, float *errors);
/* The query in 16-bit steps (@stride values, 16-byte aligned) and its error per set. */
void sa_compact_prepare_query (const float *query, guint stride, const SaFeatureSet *sets,
                               guint n_sets, const double *mean, const double *std,
                               const gboolean *zero_variance, gint16 *steps, double *errors);
/* sum_j (SA_COMPACT_QUERY_SCALE c_j - t_j)^2 over @n values (a multiple of 16, both
 * pointers 16-byte aligned). */
guint64 sa_compact_kernel (const gint8 *codes, const gint16 *steps, guint n);
/* sa_compact_kernel() of @n_rows rows @stride bytes apart, against the same @steps, into
 * @sums[r * @sums_step]: the instruction set is chosen once for them all. */
void sa_compact_kernel_rows (const gint8 *codes, gsize stride, guint n_rows, const gint16 *steps,
                             guint n, guint64 *sums, guint sums_step);
/* What turns one set's integer sum I into bounds [lo, hi] of the plain kernel's float result
 * (see sa-search.c): a = step sqrt (I), slack = E + qerr,
 *     lo = float_down (max (0, (max (0, a (1 - 1e-12) - slack) lo_eps)^2 lo_scale - tiny)),
 *     hi = float_up (((a (1 + 1e-12) + slack) hi_eps)^2 hi_scale + tiny). */
typedef struct
{
  double step, qerr, lo_eps, hi_eps, lo_scale, hi_scale, tiny;
} SaCompactBound;

/* Bounds of @n sums, row after row: value k is of set k % @n_sets (@sets[k % n_sets]), its
 * row error @errors[k].  Every instruction set gives the same floats. */
void sa_compact_bounds (const guint64 *sums, const float *errors, guint n, guint n_sets,
                        const SaCompactBound *sets, float *lo, float *hi);
/* The instruction set sa_compact_kernel() and sa_compact_bounds() use ("avx512", "avx2"
 * or "sse"); all give the same integer and the same bounds.  sa_compact_set_isa() picks one (for tests and benchmarks; NULL: the
 * best this processor has) and returns FALSE when the processor lacks it. */
const char *sa_compact_get_isa (void);
gboolean sa_compact_set_isa (const char *name);

G_END_DECLS
