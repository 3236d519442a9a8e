/* sa-kernel-pairs.h: one row against several rows at once (mutual-proximity moments)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SA_KERNEL_PAIRS_MAX 4

/* out[r] = sum_j w_j (x_j - q[r]_j)^2 (or sum_j w_j |x_j - q[r]_j| when @absolute)
 * for r < @n_refs (1 .. SA_KERNEL_PAIRS_MAX); @n a multiple of 16.  Bit for bit the
 * values of sa-search.c's kernel_sq() and kernel_abs(): the same float lanes, float
 * blocks of 128 values summed in double, no fused multiply-add, whatever the
 * instruction set chosen at run time. */
void sa_kernel_pairs (gboolean absolute, const float *x, const float *const *q, guint n_refs,
                      const float *w, guint n, double *out);

/* The instruction set in use: "avx512", "avx2" or "sse".  For tests and benchmarks,
 * sa_kernel_pairs_set_isa() chooses another one this CPU supports (NULL: the best);
 * it returns FALSE, and changes nothing, for an unknown or unsupported name. */
const char *sa_kernel_pairs_get_isa (void);
gboolean sa_kernel_pairs_set_isa (const char *name);

G_END_DECLS
