/* sa-compact.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-compact.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Rounds @v up to a float that is not below it. */
static float
float_up (double v)
{
  float f = (float) v;
  return (double) f < v ? nextafterf (f, INFINITY) : f;
}

void
sa_compact_encode (const float *rows, gsize n_rows, guint stride, const SaFeatureSet *sets,
                   guint n_sets, const double *mean, const double *std,
                   const gboolean *zero_variance, gint8 *codes, float *errors)
{
  g_autofree double *inv = g_new0 (double, stride);

  for (guint s = 0; s < n_sets; s++)
    for (guint j = sets[s].offset; j < sets[s].offset + sets[s].length; j++)
      inv[j] = zero_variance[j] || !(std[j] > 0) ? 0.0 : 1.0 / std[j];
  for (gsize i = 0; i < n_rows; i++)
    {
      const float *x = rows + i * stride;
      gint8 *c = codes + i * stride;
      for (guint s = 0; s < n_sets; s++)
        {
          double e2 = 0, z2 = 0;
          for (guint j = sets[s].offset; j < sets[s].offset + sets[s].padded; j++)
            {
              double z, r, k;
              if (inv[j] == 0)
                {
                  c[j] = 0;
                  continue;
                }
              z = (x[j] - mean[j]) * inv[j];
              k = CLAMP (z * (1 / SA_COMPACT_STEP), -127, 127);
              k = (double) (long) (k + (k >= 0 ? 0.5 : -0.5));
              c[j] = (gint8) k;
              r = z - k * SA_COMPACT_STEP;
              e2 += r * r;
              z2 += z * z;
            }
          /* any code is valid as long as its error is bounded: the margins cover the
           * double rounding of z (a few ulps of |z|) and of the sums */
          errors[i * n_sets + s] = float_up (sqrt (e2) * (1 + 1e-9) + 1e-14 * sqrt (z2) + 1e-30);
        }
    }
}

void
sa_compact_prepare_query (const float *q, guint stride, const SaFeatureSet *sets, guint n_sets,
                          const double *mean, const double *std, const gboolean *zero_variance,
                          gint16 *t, double *errors)
{
  const double step = SA_COMPACT_STEP / SA_COMPACT_QUERY_SCALE;

  for (guint j = 0; j < stride; j++)
    t[j] = 0;
  for (guint s = 0; s < n_sets; s++)
    {
      double e2 = 0, z2 = 0;
      for (guint j = sets[s].offset; j < sets[s].offset + sets[s].length; j++)
        {
          double z, r, k;
          if (zero_variance[j] || !(std[j] > 0))
            continue;
          z = (q[j] - mean[j]) / std[j];
          k = CLAMP (nearbyint (z / step), -SA_COMPACT_QUERY_LIMIT, SA_COMPACT_QUERY_LIMIT);
          t[j] = (gint16) k;
          r = z - k * step;
          e2 += r * r;
          z2 += z * z;
        }
      errors[s] = sqrt (e2) * (1 + 1e-9) + 1e-14 * sqrt (z2) + 1e-30;
    }
}

/* Per block of 1,024 values every 32-bit lane sums at most 128 squares of at most
 * (8 x 127 + 8 x 286)^2 (about 1.1e7): below 2^31, so lanes never overflow within a
 * block; the lanes are added in 64 bits.  Every variant computes the same integer. */
static guint64
kernel_portable (const gint8 *codes, const gint16 *t, guint n)
{
  guint64 total = 0;

#ifdef __SSE2__
  const __m128i zero = _mm_setzero_si128 ();
  for (guint j0 = 0; j0 < n; j0 += 1024)
    {
      __m128i a0 = zero, a1 = zero;
      guint end = MIN (n, j0 + 1024);
      guint32 lanes[4];
      for (guint j = j0; j < end; j += 16)
        {
          __m128i v = _mm_load_si128 ((const __m128i *) (codes + j));
          __m128i sign = _mm_cmpgt_epi8 (zero, v);
          __m128i lo = _mm_slli_epi16 (_mm_unpacklo_epi8 (v, sign), 3);
          __m128i hi = _mm_slli_epi16 (_mm_unpackhi_epi8 (v, sign), 3);
          lo = _mm_sub_epi16 (lo, _mm_load_si128 ((const __m128i *) (t + j)));
          hi = _mm_sub_epi16 (hi, _mm_load_si128 ((const __m128i *) (t + j + 8)));
          a0 = _mm_add_epi32 (a0, _mm_madd_epi16 (lo, lo));
          a1 = _mm_add_epi32 (a1, _mm_madd_epi16 (hi, hi));
        }
      _mm_storeu_si128 ((__m128i *) lanes, _mm_add_epi32 (a0, a1));
      total += (guint64) lanes[0] + lanes[1] + lanes[2] + lanes[3];
    }
#else
  G_STATIC_ASSERT (SA_COMPACT_QUERY_SCALE == 8);
  for (guint j = 0; j < n; j++)
    {
      gint32 d = (gint32) codes[j] * SA_COMPACT_QUERY_SCALE - t[j];
      total += (guint64) (d * d);
    }
#endif
  return total;
}

/* The float nearest @v (>= 0, finite) on the side asked for: one step of the bit pattern,
 * which for a nonnegative float is the neighbouring float. */
static inline float
bound_down (double v)
{
  float f = (float) v;
  if ((double) f > v)
    {
      guint32 bits;
      memcpy (&bits, &f, sizeof bits);
      bits--;
      memcpy (&f, &bits, sizeof bits);
    }
  return f;
}

static inline float
bound_up (double v)
{
  float f = (float) v;
  if ((double) f < v)
    {
      guint32 bits;
      memcpy (&bits, &f, sizeof bits);
      bits++;
      memcpy (&f, &bits, sizeof bits);
    }
  return f;
}

static void
bounds_portable (const guint64 *sums, const float *errors, guint from, guint n, guint n_sets,
                 const SaCompactBound *sets, float *lo, float *hi)
{
  for (guint k = from; k < n; k++)
    {
      const SaCompactBound *b = &sets[k % n_sets];
      double a = b->step * sqrt ((double) sums[k]);
      double slack = errors[k] + b->qerr;
      double dlo = MAX (0.0, a * (1 - 1e-12) - slack) * b->lo_eps;
      double dhi = (a * (1 + 1e-12) + slack) * b->hi_eps;
      lo[k] = bound_down (MAX (0.0, dlo * dlo * b->lo_scale - b->tiny));
      hi[k] = bound_up (dhi * dhi * b->hi_scale + b->tiny);
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_WIDE 1
#include <immintrin.h>

/* 16 values: the codes widened to 16 bits with one instruction, their 8 pair sums. */
__attribute__ ((target ("avx2"))) static inline __m256i
step16 (const gint8 *codes, const gint16 *t)
{
  __m256i c = _mm256_cvtepi8_epi16 (_mm_loadu_si128 ((const __m128i *) codes));
  __m256i d = _mm256_sub_epi16 (_mm256_slli_epi16 (c, 3), _mm256_loadu_si256 ((const __m256i *) t));
  return _mm256_madd_epi16 (d, d);
}

/* 16 values a step. */
__attribute__ ((target ("avx2"))) static guint64
kernel_avx2 (const gint8 *codes, const gint16 *t, guint n)
{
  guint64 total = 0;

  for (guint j0 = 0; j0 < n; j0 += 1024)
    {
      __m256i acc = _mm256_setzero_si256 ();
      guint end = MIN (n, j0 + 1024);
      for (guint j = j0; j < end; j += 16)
        acc = _mm256_add_epi32 (acc, step16 (codes + j, t + j));
      /* the eight lanes as unsigned 64-bit sums */
      __m256i wide = _mm256_add_epi64 (_mm256_cvtepu32_epi64 (_mm256_castsi256_si128 (acc)),
                                       _mm256_cvtepu32_epi64 (_mm256_extracti128_si256 (acc, 1)));
      guint64 lanes[4];
      _mm256_storeu_si256 ((__m256i *) lanes, wide);
      total += lanes[0] + lanes[1] + lanes[2] + lanes[3];
    }
  return total;
}

/* 32 values a step; a set's last 16 (sets are padded to 16, not 32) in a half step. */
__attribute__ ((target ("avx512f,avx512bw"))) static guint64
kernel_avx512 (const gint8 *codes, const gint16 *t, guint n)
{
  guint64 total = 0;

  for (guint j0 = 0; j0 < n; j0 += 1024)
    {
      __m512i acc = _mm512_setzero_si512 ();
      guint end = MIN (n, j0 + 1024);
      guint j = j0;
      for (; j + 32 <= end; j += 32)
        {
          __m512i c = _mm512_cvtepi8_epi16 (_mm256_loadu_si256 ((const __m256i *) (codes + j)));
          __m512i d = _mm512_sub_epi16 (_mm512_slli_epi16 (c, 3), _mm512_loadu_si512 (t + j));
          acc = _mm512_add_epi32 (acc, _mm512_madd_epi16 (d, d));
        }
      if (j < end)
        acc = _mm512_add_epi32 (acc, _mm512_zextsi256_si512 (step16 (codes + j, t + j)));
      total += (guint64) _mm512_reduce_add_epi64 (
          _mm512_add_epi64 (_mm512_cvtepu32_epi64 (_mm512_castsi512_si256 (acc)),
                            _mm512_cvtepu32_epi64 (_mm512_extracti64x4_epi64 (acc, 1))));
    }
  return total;
}

/* 8 values a step, the same operations in the same order as bounds_portable() (IEEE
 * square root, products and sums are correctly rounded in either), when the sets' pattern
 * repeats within 8 values; the rest portably. */
__attribute__ ((target ("avx512f,avx512dq,avx512vl"))) static void
bounds_avx512 (const guint64 *sums, const float *errors, guint from, guint n, guint n_sets,
               const SaCompactBound *sets, float *lo, float *hi)
{
  guint k = from;

  if (8 % n_sets == 0 && from % n_sets == 0)
    {
      double v[7][8];
      for (guint l = 0; l < 8; l++)
        {
          const SaCompactBound *b = &sets[l % n_sets];
          const double c[7]
              = { b->step, b->qerr, b->lo_eps, b->hi_eps, b->lo_scale, b->hi_scale, b->tiny };
          for (guint i = 0; i < 7; i++)
            v[i][l] = c[i];
        }
      const __m512d step = _mm512_loadu_pd (v[0]), qerr = _mm512_loadu_pd (v[1]);
      const __m512d lo_eps = _mm512_loadu_pd (v[2]), hi_eps = _mm512_loadu_pd (v[3]);
      const __m512d lo_scale = _mm512_loadu_pd (v[4]), hi_scale = _mm512_loadu_pd (v[5]);
      const __m512d tiny = _mm512_loadu_pd (v[6]), zero = _mm512_setzero_pd ();
      const __m512d below = _mm512_set1_pd (1 - 1e-12), above = _mm512_set1_pd (1 + 1e-12);
      const __m256i one = _mm256_set1_epi32 (1);
      for (; k + 8 <= n; k += 8)
        {
          __m512d a = _mm512_mul_pd (step, _mm512_sqrt_pd (_mm512_cvtepu64_pd (
                                               _mm512_loadu_si512 ((const void *) (sums + k)))));
          __m512d slack = _mm512_add_pd (_mm512_cvtps_pd (_mm256_loadu_ps (errors + k)), qerr);
          __m512d dlo = _mm512_mul_pd (
              _mm512_max_pd (zero, _mm512_sub_pd (_mm512_mul_pd (a, below), slack)), lo_eps);
          __m512d dhi = _mm512_mul_pd (_mm512_add_pd (_mm512_mul_pd (a, above), slack), hi_eps);
          __m512d vlo = _mm512_max_pd (
              zero, _mm512_sub_pd (_mm512_mul_pd (_mm512_mul_pd (dlo, dlo), lo_scale), tiny));
          __m512d vhi = _mm512_add_pd (_mm512_mul_pd (_mm512_mul_pd (dhi, dhi), hi_scale), tiny);
          __m256 flo = _mm512_cvtpd_ps (vlo), fhi = _mm512_cvtpd_ps (vhi);
          __mmask8 down = _mm512_cmp_pd_mask (_mm512_cvtps_pd (flo), vlo, _CMP_GT_OQ);
          __mmask8 up = _mm512_cmp_pd_mask (_mm512_cvtps_pd (fhi), vhi, _CMP_LT_OQ);
          __m256i ilo = _mm256_castps_si256 (flo), ihi = _mm256_castps_si256 (fhi);
          _mm256_storeu_si256 ((__m256i *) (lo + k), _mm256_mask_sub_epi32 (ilo, down, ilo, one));
          _mm256_storeu_si256 ((__m256i *) (hi + k), _mm256_mask_add_epi32 (ihi, up, ihi, one));
        }
    }
  bounds_portable (sums, errors, k, n, n_sets, sets, lo, hi);
}
#endif

typedef guint64 (*KernelFunc) (const gint8 *codes, const gint16 *t, guint n);

static const struct
{
  const char *name;
  KernelFunc func;
} kernels[] = {
#ifdef HAVE_WIDE
  { "avx512", kernel_avx512 }, /* with bounds_avx512 */
  { "avx2", kernel_avx2 },
#endif
  { "sse", kernel_portable },
};

static gboolean
kernel_supported (guint i)
{
#ifdef HAVE_WIDE
  __builtin_cpu_init ();
  if (kernels[i].func == kernel_avx512)
    return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
           && __builtin_cpu_supports ("avx512dq") && __builtin_cpu_supports ("avx512vl");
  if (kernels[i].func == kernel_avx2)
    return __builtin_cpu_supports ("avx2");
#endif
  return TRUE;
}

static gint chosen = -1; /* index into kernels[], -1 until the first call */

static guint
best_kernel (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernel_supported (i))
      return i;
  return G_N_ELEMENTS (kernels) - 1;
}

static guint
get_kernel (void)
{
  gint i = g_atomic_int_get (&chosen);
  if (i < 0)
    {
      i = (gint) best_kernel ();
      g_atomic_int_set (&chosen, i);
    }
  return (guint) i;
}

const char *
sa_compact_get_isa (void)
{
  return kernels[get_kernel ()].name;
}

gboolean
sa_compact_set_isa (const char *name)
{
  if (name == NULL)
    {
      g_atomic_int_set (&chosen, (gint) best_kernel ());
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (strcmp (kernels[i].name, name) == 0 && kernel_supported (i))
      {
        g_atomic_int_set (&chosen, (gint) i);
        return TRUE;
      }
  return FALSE;
}

guint64
sa_compact_kernel (const gint8 *codes, const gint16 *t, guint n)
{
  return kernels[get_kernel ()].func (codes, t, n);
}

void
sa_compact_kernel_rows (const gint8 *codes, gsize stride, guint n_rows, const gint16 *steps,
                        guint n, guint64 *sums, guint sums_step)
{
  KernelFunc f = kernels[get_kernel ()].func;

  for (guint r = 0; r < n_rows; r++)
    sums[(gsize) r * sums_step] = f (codes + (gsize) r * stride, steps, n);
}

void
sa_compact_bounds (const guint64 *sums, const float *errors, guint n, guint n_sets,
                   const SaCompactBound *sets, float *lo, float *hi)
{
  g_return_if_fail (n_sets > 0);
#ifdef HAVE_WIDE
  if (kernels[get_kernel ()].func == kernel_avx512)
    {
      bounds_avx512 (sums, errors, 0, n, n_sets, sets, lo, hi);
      return;
    }
#endif
  bounds_portable (sums, errors, 0, n, n_sets, sets, lo, hi);
}
