/* sa-rpssd.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sa-rpssd.h"

#define L       SA_SEGMENT_SAMPLES
#define NFFT    1024
#define HOP     512
#define FRAMES  ((L - NFFT) / HOP + 1) /* 511 */
#define NB      SA_RP_BANDS
#define NMOD    512 /* 511 sonogram values zero-padded by one */
#define MAX_BIN 360

/* Bark band edges in Hz */
static const double band_edges[NB + 1]
    = { 0,    100,  200,  300,  400,  510,  630,  770,  920,  1080, 1270,  1480, 1720,
        2000, 2320, 2700, 3150, 3700, 4400, 5300, 6400, 7700, 9500, 12000, 15500 };

/* Equal-loudness contours (3, 20, 40, 60, 80, 100 phon) in dB at 22 frequencies */
static const double contour_hz[22]
    = { 31.62, 50,   70.7, 100,  141.4, 200,  316.2, 500,   707.1, 1000,  1414,
        1682,  2000, 2515, 3162, 3976,  5000, 7071,  10000, 11890, 14140, 15500 };
static const double contour_db[6][22] = {
  { 55, 40, 32, 24, 19, 14, 10, 6, 4, 3, 2, 2, 0, -2, -5, -4, 0, 5, 10, 14, 25, 35 },
  { 66, 52, 43, 37, 32, 27, 23, 21, 20, 20, 20, 20, 19, 16, 13, 13, 18, 22, 25, 30, 40, 50 },
  { 76, 64, 57, 51, 47, 43, 41, 41, 40, 40, 40, 39.5, 38, 35, 33, 33, 35, 41, 46, 50, 60, 70 },
  { 89, 79, 74, 70, 66, 63, 61, 60, 60, 60, 60, 59, 56, 53, 52, 53, 56, 61, 65, 70, 80, 90 },
  { 103, 96, 92, 88, 85, 83, 81, 80, 80, 80, 80, 79, 76, 72, 70, 70, 75, 79, 83, 87, 95, 105 },
  { 118, 110, 107, 105, 103, 102, 101, 100, 100, 100, 100,
    99,  97,  94,  90,  90,  95,  100, 103, 105, 108, 115 },
};
static const double phon_levels[6] = { 3, 20, 40, 60, 80, 100 };

typedef struct
{
  double window[NFFT];
  double window_power;
  guint band_of_bin[MAX_BIN]; /* band index of bins 0..359 */
  double spread[NB][NB];
  double contour[6][NB];
  double fluct[SA_RP_MOD_BINS]; /* fluctuation-strength weight of bins 1..60 */
  fftw_plan frame_plan;
  fftw_plan mod_plan;
} Tables;

static Tables tables;
static GMutex plan_lock;

struct _SaRpSsd
{
  double *frame;          /* NFFT, fftw_malloc */
  fftw_complex *spectrum; /* NFFT/2+1 */
  double *mod_in;         /* NMOD */
  fftw_complex *mod_out;  /* NMOD/2+1 */
  double bark[NB * FRAMES];
  double masked[NB * FRAMES];
  double db[NB * FRAMES];
  double phon[NB * FRAMES];
  double sone[NB * FRAMES];
  double sorted[FRAMES];
  double scratch[3][FRAMES];
};

static double
contour_at (guint c, double f)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (contour_hz); i++)
    if (contour_hz[i] == f)
      return contour_db[c][i];
  for (i = 1; i < G_N_ELEMENTS (contour_hz) && contour_hz[i] < f; i++)
    ;
  g_assert (i < G_N_ELEMENTS (contour_hz));
  {
    double f1 = contour_hz[i - 1], f2 = contour_hz[i];
    double w1 = 1.0 / fabs (f1 - f), w2 = 1.0 / fabs (f2 - f);
    return (contour_db[c][i - 1] * w1 + contour_db[c][i] * w2) / (w1 + w2);
  }
}

static gpointer
init_tables (gpointer unused)
{
  double *in = fftw_malloc (sizeof (double) * NFFT);
  fftw_complex *out = fftw_malloc (sizeof (fftw_complex) * (NFFT / 2 + 1));
  double *min = fftw_malloc (sizeof (double) * NMOD);
  fftw_complex *mout = fftw_malloc (sizeof (fftw_complex) * (NMOD / 2 + 1));

  tables.window_power = 0;
  for (guint i = 0; i < NFFT; i++)
    {
      tables.window[i] = 0.5 - 0.5 * cos (2.0 * G_PI * i / (NFFT - 1)); /* symmetric Hann */
      tables.window_power += tables.window[i] * tables.window[i];
    }
  for (guint k = 0; k < MAX_BIN; k++)
    {
      guint b = 0;
      /* e[b]*512 <= k*22050 < e[b+1]*512, in integers */
      while (b < NB && !((guint64) (band_edges[b + 1] * 512) > (guint64) k * 22050))
        b++;
      tables.band_of_bin[k] = b;
    }
  for (guint i = 0; i < NB; i++)
    for (guint j = 0; j < NB; j++)
      {
        double d = (double) i - (double) j + 0.474;
        tables.spread[i][j] = pow (10.0, (15.81 + 7.5 * d - 17.5 * sqrt (1.0 + d * d)) / 10.0);
      }
  for (guint c = 0; c < 6; c++)
    for (guint b = 0; b < NB; b++)
      tables.contour[c][b] = contour_at (c, band_edges[b + 1]);
  for (guint q = 1; q <= SA_RP_MOD_BINS; q++)
    {
      double f = q * (double) SA_SAMPLE_RATE / (double) L;
      tables.fluct[q - 1] = 1.0 / (f / 4.0 + 4.0 / f);
    }
  tables.frame_plan = fftw_plan_dft_r2c_1d (NFFT, in, out, FFTW_ESTIMATE);
  tables.mod_plan = fftw_plan_dft_r2c_1d (NMOD, min, mout, FFTW_ESTIMATE);
  fftw_free (in);
  fftw_free (out);
  fftw_free (min);
  fftw_free (mout);
  return NULL;
}

static void
ensure_tables (void)
{
  static GOnce once = G_ONCE_INIT;
  /* FFTW's planner is not thread-safe; executing a plan on new arrays is. */
  g_mutex_lock (&plan_lock);
  g_once (&once, init_tables, NULL);
  g_mutex_unlock (&plan_lock);
}

double
sa_rpssd_contour (guint contour, guint band)
{
  ensure_tables ();
  return tables.contour[contour][band];
}

SaRpSsd *
sa_rpssd_new (void)
{
  SaRpSsd *p;

  ensure_tables ();
  p = g_new0 (SaRpSsd, 1);
  p->frame = fftw_malloc (sizeof (double) * NFFT);
  p->spectrum = fftw_malloc (sizeof (fftw_complex) * (NFFT / 2 + 1));
  p->mod_in = fftw_malloc (sizeof (double) * NMOD);
  p->mod_out = fftw_malloc (sizeof (fftw_complex) * (NMOD / 2 + 1));
  return p;
}

void
sa_rpssd_free (SaRpSsd *p)
{
  if (p == NULL)
    return;
  fftw_free (p->frame);
  fftw_free (p->spectrum);
  fftw_free (p->mod_in);
  fftw_free (p->mod_out);
  g_free (p);
}

guint
sa_rpssd_segments (gsize n, const SaSegmentOptions *options, gsize *first, gsize *stride)
{
  gint64 K = options ? options->skip_segments : 0;
  gint64 T = options && options->step ? options->step : 1;
  gint64 S, inner;

  if ((K > 0 || T > 1) && (double) n / SA_SAMPLE_RATE < 45.0)
    K = 0, T = 1;
  /* S = floor((floor((n - 2KL) / L) - 1) / T) + 1, with real floor divisions */
  inner = (gint64) floor (((double) n - 2.0 * K * L) / L);
  S = (gint64) floor ((double) (inner - 1) / (double) T) + 1;
  if (S <= 0)
    return 0;
  if (first)
    *first = (gsize) (K * L);
  if (stride)
    *stride = (gsize) (T * L);
  return (guint) S;
}

/* numpy's pairwise summation (add.reduce over a contiguous axis), reproduced to the bit:
 * rp_extract's moments come from np.mean / np.var / scipy.stats on 511 values, and the
 * near-zero variance of a constant band is only reproducible with numpy's rounding. */
static double
pairwise_sum (const double *a, gsize n)
{
  if (n < 8)
    {
      double res = 0.0;
      for (gsize i = 0; i < n; i++)
        res += a[i];
      return res;
    }
  else if (n <= 128)
    {
      double r[8];
      gsize i;
      for (guint j = 0; j < 8; j++)
        r[j] = a[j];
      for (i = 8; i < n - (n % 8); i += 8)
        for (guint j = 0; j < 8; j++)
          r[j] += a[i + j];
      double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++)
        res += a[i];
      return res;
    }
  else
    {
      gsize n2 = n / 2;
      n2 -= n2 % 8;
      return pairwise_sum (a, n2) + pairwise_sum (a + n2, n - n2);
    }
}

/* The k-th smallest of a[0..n-1] (a is reordered): Hoare's selection. */
static double
select_kth (double *a, gsize n, gsize k)
{
  gsize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      double pivot = a[lo + (hi - lo) / 2];
      gsize i = lo, j = hi;
      while (i <= j)
        {
          while (a[i] < pivot)
            i++;
          while (a[j] > pivot)
            j--;
          if (i <= j)
            {
              double t = a[i];
              a[i] = a[j];
              a[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return a[k];
    }
  return a[k];
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
sa_rpssd_segment (SaRpSsd *p, const float *samples, double *rp, double *ssd)
{
  const double scale_power = 1.0 / tables.window_power / (2.0 * G_PI);
  /* 4.1: level scaling in float, then double */
  const float level = 2867.2f;

  memset (p->bark, 0, sizeof p->bark);
  for (guint t = 0; t < FRAMES; t++)
    {
      const float *x = samples + (gsize) t * HOP;
      for (guint i = 0; i < NFFT; i++)
        {
          float s = x[i] * level;
          p->frame[i] = (double) s * tables.window[i];
        }
      fftw_execute_dft_r2c (tables.frame_plan, p->frame, p->spectrum);
      /* 4.3 and 4.4: periodogram, summed into Bark bands (bins 0..359) */
      for (guint k = 0; k < MAX_BIN; k++)
        {
          double re = p->spectrum[k][0], im = p->spectrum[k][1];
          double power = (re * re + im * im) * scale_power * (k == 0 ? 1.0 : 2.0);
          p->bark[tables.band_of_bin[k] * FRAMES + t] += power;
        }
    }

  /* 4.5 masking, 4.6 dB, 4.7 phon, 4.8 sone */
  for (guint i = 0; i < NB; i++)
    {
      double *m = p->masked + i * FRAMES;
      memset (m, 0, sizeof (double) * FRAMES);
      for (guint j = 0; j < NB; j++)
        {
          const double s = tables.spread[i][j];
          const double *b = p->bark + j * FRAMES;
          for (guint t = 0; t < FRAMES; t++)
            m[t] += s * b[t];
        }
      for (guint t = 0; t < FRAMES; t++)
        {
          double v = 10.0 * log10 (m[t] < 1.0 ? 1.0 : m[t]);
          double phon, sone;
          int c;

          p->db[i * FRAMES + t] = v;
          for (c = 4; c >= 0; c--)
            if (v > tables.contour[c][i])
              break;
          if (c < 0)
            phon = 3.0;
          else
            {
              int lo = c, hi = c + 1;
              phon = phon_levels[lo]
                     + (v - tables.contour[lo][i]) / (tables.contour[hi][i] - tables.contour[lo][i])
                           * (phon_levels[hi] - phon_levels[lo]);
            }
          p->phon[i * FRAMES + t] = phon;
          sone = phon >= 40.0 ? pow (2.0, (phon - 40.0) / 10.0) : pow (phon / 40.0, 2.642);
          p->sone[i * FRAMES + t] = sone;
        }
    }

  for (guint b = 0; b < NB; b++)
    {
      const double *z = p->sone + b * FRAMES;
      double mu, m2, m3, m4, lo = z[0], hi = z[0];
      double *d2 = p->scratch[0], *d3 = p->scratch[1], *d4 = p->scratch[2];

      /* 4.9 SSD, as np.mean, np.var and scipy.stats' moments compute it */
      mu = pairwise_sum (z, FRAMES) / FRAMES;
      for (guint t = 0; t < FRAMES; t++)
        {
          double d = z[t] - mu;
          d2[t] = d * d;
          d3[t] = d2[t] * d;
          d4[t] = d2[t] * d2[t];
          lo = MIN (lo, z[t]);
          hi = MAX (hi, z[t]);
        }
      m2 = pairwise_sum (d2, FRAMES) / FRAMES;
      m3 = pairwise_sum (d3, FRAMES) / FRAMES;
      m4 = pairwise_sum (d4, FRAMES) / FRAMES;
      memcpy (p->sorted, z, sizeof p->sorted);
      ssd[b + NB * 0] = mu;
      ssd[b + NB * 1] = m2;
      if (m2 <= (1e-15 * mu) * (1e-15 * mu))
        ssd[b + NB * 2] = ssd[b + NB * 3] = 0.0;
      else
        {
          ssd[b + NB * 2] = m3 / pow (m2, 1.5);
          ssd[b + NB * 3] = m4 / (m2 * m2);
        }
      ssd[b + NB * 4] = select_kth (p->sorted, FRAMES, FRAMES / 2);
      ssd[b + NB * 5] = lo;
      ssd[b + NB * 6] = hi;

      /* 4.10 RP: 511 values and one zero, 512-point DFT, bins 1..60 */
      memcpy (p->mod_in, z, sizeof (double) * FRAMES);
      p->mod_in[FRAMES] = 0.0;
      fftw_execute_dft_r2c (tables.mod_plan, p->mod_in, p->mod_out);
      for (guint q = 1; q <= SA_RP_MOD_BINS; q++)
        {
          double mag = hypot (p->mod_out[q][0], p->mod_out[q][1]);
          rp[b + NB * (q - 1)] = mag / 256.0 * tables.fluct[q - 1];
        }
    }
}

const double *
sa_rpssd_get_stage (SaRpSsd *p, const char *name)
{
  if (g_str_equal (name, "bark"))
    return p->bark;
  if (g_str_equal (name, "masked"))
    return p->masked;
  if (g_str_equal (name, "db"))
    return p->db;
  if (g_str_equal (name, "phon"))
    return p->phon;
  if (g_str_equal (name, "sone"))
    return p->sone;
  return NULL;
}

void
sa_rpssd_combine (const double *seg_rp, const double *seg_ssd, guint n, double *rp, double *ssd)
{
  g_autofree double *col = g_new (double, MAX (n, 1));

  g_return_if_fail (n > 0);
  for (guint j = 0; j < SA_RP_LENGTH; j++)
    {
      for (guint k = 0; k < n; k++)
        col[k] = seg_rp[(gsize) k * SA_RP_LENGTH + j];
      qsort (col, n, sizeof (double), compare_double);
      rp[j] = n % 2 ? col[n / 2] : (col[n / 2 - 1] + col[n / 2]) / 2.0;
    }
  for (guint j = 0; j < SA_SSD_LENGTH; j++)
    {
      double s = 0;
      for (guint k = 0; k < n; k++)
        s += seg_ssd[(gsize) k * SA_SSD_LENGTH + j];
      ssd[j] = s / n;
    }
}
