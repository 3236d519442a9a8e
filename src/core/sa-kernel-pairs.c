/* sa-kernel-pairs.c: one row against several rows at once (mutual-proximity moments)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The moments compare every track with ~1,000 reference rows: the pair-by-pair
 * kernels of sa-search.c load x, q and w for every pair.  Here each load of x and
 * w serves SA_KERNEL_PAIRS_MAX references, and on CPUs that have them the lanes
 * are 8 (AVX2) or 16 (AVX-512) floats wide.  The results stay bit for bit those of
 * kernel_sq()/kernel_abs(): their four accumulators of four lanes are the four
 * quarters of one 16-float group, which a wider vector holds as two halves or as
 * a whole, and each block's sum is formed in the same order.  This file is built
 * with -ffp-contract=off (src/core/meson.build): a fused multiply-add would round
 * differently.
 */
#include "config.h"

#include <string.h>

#include "sa-kernel-pairs.h"

#define BLOCK 128 /* as KERNEL_BLOCK in sa-search.c */
#define R     SA_KERNEL_PAIRS_MAX

/* kernel_sq()'s and kernel_abs()'s order for each block: s = (a0 + a1) + (a2 + a3)
 * lane by lane in float, then (s0 + s1) + (s2 + s3) in double, added to the sum.
 * Here the four references' double sums are formed side by side (the same
 * additions, in the same order). */
typedef float v4f __attribute__ ((vector_size (16)));
typedef double v4d __attribute__ ((vector_size (32)));

/* a macro, not a function: a v4d argument would change the ABI between the variants */
#define ADD_BLOCK_SUMS(acc, sa, sb, sc, sd)                                                        \
  do                                                                                               \
    {                                                                                              \
      v4d da = __builtin_convertvector(sa, v4d), db = __builtin_convertvector(sb, v4d);            \
      v4d dc = __builtin_convertvector(sc, v4d), dd = __builtin_convertvector(sd, v4d);            \
      /* x = a0 + a1, b0 + b1, a2 + a3, b2 + b3; y the same of c and d */                          \
      v4d x = __builtin_shufflevector (da, db, 0, 4, 2, 6)                                         \
              + __builtin_shufflevector (da, db, 1, 5, 3, 7);                                      \
      v4d y = __builtin_shufflevector (dc, dd, 0, 4, 2, 6)                                         \
              + __builtin_shufflevector (dc, dd, 1, 5, 3, 7);                                      \
      acc += __builtin_shufflevector (x, y, 0, 1, 4, 5)                                            \
             + __builtin_shufflevector (x, y, 2, 3, 6, 7);                                         \
    }                                                                                              \
  while (0)

/* One vector of L values at @o for the four references: accumulators A (ref 0),
 * B, C, D, each k-th of NA. */
#define LD(VT, p, o) (*(const VT *) ((p) + (o)))
#define STEP(VT, VI, OP, k, o)                                                                     \
  do                                                                                               \
    {                                                                                              \
      const VT xv = LD (VT, x, o), wv = LD (VT, w, o);                                             \
      VT d0 = xv - LD (VT, q0, o), d1 = xv - LD (VT, q1, o);                                       \
      VT d2 = xv - LD (VT, q2, o), d3 = xv - LD (VT, q3, o);                                       \
      A##k += OP (VT, VI, d0) * wv;                                                                \
      B##k += OP (VT, VI, d1) * wv;                                                                \
      C##k += OP (VT, VI, d2) * wv;                                                                \
      D##k += OP (VT, VI, d3) * wv;                                                                \
    }                                                                                              \
  while (0)

/* s of one block for one reference: its NA accumulators hold a0 | a1 | a2 | a3 */
#define QUARTERS(VT, X, sv)                                                                        \
  do                                                                                               \
    {                                                                                              \
      v4f p[4];                                                                                    \
      memcpy (p, &X##0, sizeof (VT));                                                              \
      if (NA > 1)                                                                                  \
        memcpy (p + 4 / NA, &X##1, sizeof (VT));                                                   \
      if (NA > 2)                                                                                  \
        {                                                                                          \
          memcpy (p + 2, &X##2, sizeof (VT));                                                      \
          memcpy (p + 3, &X##3, sizeof (VT));                                                      \
        }                                                                                          \
      sv = (p[0] + p[1]) + (p[2] + p[3]);                                                          \
    }                                                                                              \
  while (0)

/* VT: a vector of L floats, VI: of L int32; NA = 16 / L accumulators per reference */
#define PAIRS_LOOP(VT, VI, L, OP, FIN)                                                             \
  do                                                                                               \
    {                                                                                              \
      enum                                                                                         \
      {                                                                                            \
        NA = 16 / (L)                                                                              \
      };                                                                                           \
      const VI mask = (VI){ 0 } + 0x7fffffff;                                                      \
      const float *q0 = q[0], *q1 = q[1], *q2 = q[2], *q3 = q[3];                                  \
      v4d acc = { 0 };                                                                             \
      (void) mask;                                                                                 \
      for (guint b = 0; b < n; b += BLOCK)                                                         \
        {                                                                                          \
          VT A0 = { 0 }, A1 = { 0 }, A2 = { 0 }, A3 = { 0 };                                       \
          VT B0 = { 0 }, B1 = { 0 }, B2 = { 0 }, B3 = { 0 };                                       \
          VT C0 = { 0 }, C1 = { 0 }, C2 = { 0 }, C3 = { 0 };                                       \
          VT D0 = { 0 }, D1 = { 0 }, D2 = { 0 }, D3 = { 0 };                                       \
          const guint end = MIN (n, b + BLOCK);                                                    \
          for (guint j = b; j < end; j += 16)                                                      \
            {                                                                                      \
              STEP (VT, VI, OP, 0, j);                                                             \
              if (NA > 1)                                                                          \
                STEP (VT, VI, OP, 1, j + 16 / NA);                                                 \
              if (NA > 2)                                                                          \
                {                                                                                  \
                  STEP (VT, VI, OP, 2, j + 8);                                                     \
                  STEP (VT, VI, OP, 3, j + 12);                                                    \
                }                                                                                  \
            }                                                                                      \
          FIN (VT, acc);                                                                           \
          /* the wider variants need fewer accumulators */                                         \
          (void) A1, (void) A2, (void) A3, (void) B1, (void) B2, (void) B3;                        \
          (void) C1, (void) C2, (void) C3, (void) D1, (void) D2, (void) D3;                        \
        }                                                                                          \
      memcpy (out, &acc, sizeof acc);                                                              \
    }                                                                                              \
  while (0)

/* the blocks' sums of the four references, any width */
#define FINISH_ANY(VT, acc)                                                                        \
  do                                                                                               \
    {                                                                                              \
      v4f sa, sb, sc, sd;                                                                          \
      QUARTERS (VT, A, sa);                                                                        \
      QUARTERS (VT, B, sb);                                                                        \
      QUARTERS (VT, C, sc);                                                                        \
      QUARTERS (VT, D, sd);                                                                        \
      ADD_BLOCK_SUMS (acc, sa, sb, sc, sd);                                                        \
    }                                                                                              \
  while (0)

#define OP_SQ(VT, VI, d)  ((d) * (d))
#define OP_ABS(VT, VI, d) ((VT) ((VI) (d) &mask))
/* the two loops apart, so that neither tests @absolute inside */
#define PAIRS_BODY(VT, VI, L, FIN)                                                                 \
  do                                                                                               \
    {                                                                                              \
      if (absolute)                                                                                \
        PAIRS_LOOP (VT, VI, L, OP_ABS, FIN);                                                       \
      else                                                                                         \
        PAIRS_LOOP (VT, VI, L, OP_SQ, FIN);                                                        \
    }                                                                                              \
  while (0)

typedef void (*PairsFunc) (gboolean absolute, const float *x, const float *const *q, const float *w,
                           guint n, double *out);

/* the vector types load from any float address (rows are aligned to 16 bytes only) */
typedef float v4sf __attribute__ ((vector_size (16), aligned (4), may_alias));
typedef gint32 v4si __attribute__ ((vector_size (16), aligned (4), may_alias));

static void
pairs_sse (gboolean absolute, const float *x, const float *const *q, const float *w, guint n,
           double *out)
{
  PAIRS_BODY (v4sf, v4si, 4, FINISH_ANY);
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_WIDE 1

typedef float v8sf __attribute__ ((vector_size (32), aligned (4), may_alias));
typedef gint32 v8si __attribute__ ((vector_size (32), aligned (4), may_alias));
typedef float v16sf __attribute__ ((vector_size (64), aligned (4), may_alias));
typedef gint32 v16si __attribute__ ((vector_size (64), aligned (4), may_alias));

__attribute__ ((target ("avx2"))) static void
pairs_avx2 (gboolean absolute, const float *x, const float *const *q, const float *w, guint n,
            double *out)
{
  PAIRS_BODY (v8sf, v8si, 8, FINISH_ANY);
}

typedef double v8df __attribute__ ((vector_size (64)));

/* FINISH_ANY's additions, in the same order, with the four references side by
 * side in whole vectors (a quarter of the instructions) */
#define FINISH_16(VT, acc)                                                                         \
  do                                                                                               \
    {                                                                                              \
      /* ab = a0 + a1 | a2 + a3 | b0 + b1 | b2 + b3, cd the same */                                \
      VT ab = __builtin_shufflevector (A0, B0, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25,   \
                                       26, 27)                                                     \
              + __builtin_shufflevector (A0, B0, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28,   \
                                         29, 30, 31);                                              \
      VT cd = __builtin_shufflevector (C0, D0, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25,   \
                                       26, 27)                                                     \
              + __builtin_shufflevector (C0, D0, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28,   \
                                         29, 30, 31);                                              \
      /* s = sa | sb | sc | sd */                                                                  \
      VT s = __builtin_shufflevector (ab, cd, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25,    \
                                      26, 27)                                                      \
             + __builtin_shufflevector (ab, cd, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28,    \
                                        29, 30, 31);                                               \
      v8df lo                                                                                      \
          = __builtin_convertvector(__builtin_shufflevector (s, s, 0, 1, 2, 3, 4, 5, 6, 7), v8df); \
      v8df hi = __builtin_convertvector(                                                           \
          __builtin_shufflevector (s, s, 8, 9, 10, 11, 12, 13, 14, 15), v8df);                     \
      /* u = sa0 + sa1, sa2 + sa3, sb0 + sb1, ... */                                               \
      v8df u = __builtin_shufflevector (lo, hi, 0, 2, 4, 6, 8, 10, 12, 14)                         \
               + __builtin_shufflevector (lo, hi, 1, 3, 5, 7, 9, 11, 13, 15);                      \
      acc += __builtin_shufflevector (u, u, 0, 2, 4, 6)                                            \
             + __builtin_shufflevector (u, u, 1, 3, 5, 7);                                         \
    }                                                                                              \
  while (0)

__attribute__ ((target ("avx512f"))) static void
pairs_avx512 (gboolean absolute, const float *x, const float *const *q, const float *w, guint n,
              double *out)
{
  PAIRS_BODY (v16sf, v16si, 16, FINISH_16);
}
#endif

typedef struct
{
  const char *name;
  PairsFunc func;
} Isa;

static const Isa isas[] = {
#ifdef HAVE_WIDE
  { "avx512", pairs_avx512 },
  { "avx2", pairs_avx2 },
#endif
  { "sse", pairs_sse },
};

static gboolean
isa_supported (const Isa *isa)
{
#ifdef HAVE_WIDE
  __builtin_cpu_init ();
  if (isa->func == pairs_avx512)
    return __builtin_cpu_supports ("avx512f");
  if (isa->func == pairs_avx2)
    return __builtin_cpu_supports ("avx2");
#endif
  return TRUE;
}

static const Isa *chosen; /* NULL until the first call */

static const Isa *
best_isa (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
    if (isa_supported (&isas[i]))
      return &isas[i];
  return &isas[G_N_ELEMENTS (isas) - 1];
}

static const Isa *
get_isa (void)
{
  const Isa *isa = g_atomic_pointer_get (&chosen);
  if (isa == NULL)
    {
      isa = best_isa ();
      g_atomic_pointer_set (&chosen, isa);
    }
  return isa;
}

const char *
sa_kernel_pairs_get_isa (void)
{
  return get_isa ()->name;
}

gboolean
sa_kernel_pairs_set_isa (const char *name)
{
  if (name == NULL)
    {
      g_atomic_pointer_set (&chosen, best_isa ());
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
    if (strcmp (isas[i].name, name) == 0 && isa_supported (&isas[i]))
      {
        g_atomic_pointer_set (&chosen, &isas[i]);
        return TRUE;
      }
  return FALSE;
}

void
sa_kernel_pairs (gboolean absolute, const float *x, const float *const *q, guint n_refs,
                 const float *w, guint n, double *out)
{
  const float *qq[R];
  double tmp[R];

  g_return_if_fail (n_refs >= 1 && n_refs <= R && n % 16 == 0);
  for (guint r = 0; r < R; r++)
    qq[r] = q[MIN (r, n_refs - 1)]; /* fewer references: the last one again */
  get_isa ()->func (absolute, x, qq, w, n, tmp);
  memcpy (out, tmp, n_refs * sizeof (double));
}
