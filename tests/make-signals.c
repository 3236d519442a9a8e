/* make-signals.c: the extractor's test signals, byte-identical to the reference ones
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: make-signals OUTDIR
 *
 * Writes the ten 44,100 Hz WAV files described in docs (rp-ssd.md, section 8)
 * from their descriptions: noise from a splitmix64 generator (uniform = top 53
 * bits / 2^53, "gauss4" = (sum of four uniforms - 2) * sqrt(3)), tones from
 * sin/exp in double precision, 16-bit PCM by round-half-even of v * 32767 with
 * clipping, one float WAV.  tests/data/reference/signals.sha256 holds the
 * published checksums; test-extract.c checks them before using the files.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SR 44100

typedef struct
{
  uint64_t s;
} Rng;

static uint64_t
next64 (Rng *r)
{
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double
uniform (Rng *r)
{
  return (double) (next64 (r) >> 11) * (1.0 / 9007199254740992.0);
}

static double
gauss4 (Rng *r)
{
  double a = uniform (r);
  double b = uniform (r);
  double c = uniform (r);
  double d = uniform (r);
  return (a + b + c + d - 2.0) * sqrt (3.0);
}

static size_t
n_samples (double sec)
{
  return (size_t) nearbyint (sec * SR);
}

static int16_t
pcm16 (double v)
{
  double q = nearbyint (v * 32767.0); /* round half to even, like Python's round() */
  return q > 32767 ? 32767 : (q < -32768 ? -32768 : (int16_t) q);
}

static void
put16 (FILE *f, uint16_t v)
{
  fputc (v & 0xff, f);
  fputc (v >> 8, f);
}

static void
put32 (FILE *f, uint32_t v)
{
  put16 (f, v & 0xffff);
  put16 (f, v >> 16);
}

static FILE *
open_out (const char *dir, const char *name)
{
  char path[4096];
  FILE *f;
  snprintf (path, sizeof path, "%s/%s", dir, name);
  f = fopen (path, "wb");
  if (f == NULL)
    {
      fprintf (stderr, "make-signals: %s: %s\n", path, strerror (errno));
      exit (1);
    }
  return f;
}

/* 16-bit PCM, @channels interleaved */
static void
write_pcm16 (const char *dir, const char *name, double **ch, int channels, size_t n)
{
  FILE *f = open_out (dir, name);
  uint32_t data = (uint32_t) (n * channels * 2);

  fwrite ("RIFF", 1, 4, f);
  put32 (f, 36 + data);
  fwrite ("WAVEfmt ", 1, 8, f);
  put32 (f, 16);
  put16 (f, 1);
  put16 (f, channels);
  put32 (f, SR);
  put32 (f, SR * channels * 2);
  put16 (f, channels * 2);
  put16 (f, 16);
  fwrite ("data", 1, 4, f);
  put32 (f, data);
  for (size_t i = 0; i < n; i++)
    for (int c = 0; c < channels; c++)
      put16 (f, (uint16_t) pcm16 (ch[c][i]));
  fclose (f);
}

static void
write_mono16 (const char *dir, const char *name, double *x, size_t n)
{
  write_pcm16 (dir, name, &x, 1, n);
}

/* WAVE_FORMAT_IEEE_FLOAT, 18-byte fmt chunk (cbSize 0) and a fact chunk */
static void
write_float32 (const char *dir, const char *name, const double *x, size_t n)
{
  FILE *f = open_out (dir, name);
  uint32_t data = (uint32_t) (n * 4);

  fwrite ("RIFF", 1, 4, f);
  put32 (f, 4 + 8 + 18 + 8 + 4 + 8 + data);
  fwrite ("WAVEfmt ", 1, 8, f);
  put32 (f, 18);
  put16 (f, 3);
  put16 (f, 1);
  put32 (f, SR);
  put32 (f, SR * 4);
  put16 (f, 4);
  put16 (f, 32);
  put16 (f, 0);
  fwrite ("fact", 1, 4, f);
  put32 (f, 4);
  put32 (f, (uint32_t) n);
  fwrite ("data", 1, 4, f);
  put32 (f, data);
  for (size_t i = 0; i < n; i++)
    {
      float v = (float) x[i];
      uint32_t u;
      memcpy (&u, &v, 4);
      put32 (f, u);
    }
  fclose (f);
}

static void
scale_to_peak (double *x, size_t n, double peak)
{
  double m = 0;
  for (size_t i = 0; i < n; i++)
    m = fmax (m, fabs (x[i]));
  if (m > 0)
    for (size_t i = 0; i < n; i++)
      x[i] = x[i] * (peak / m);
}

static double *
sine (double sec, double freq, double amp, size_t *n)
{
  double w = 2.0 * M_PI * freq / SR;
  double *x;
  *n = n_samples (sec);
  x = malloc (*n * sizeof *x);
  for (size_t i = 0; i < *n; i++)
    x[i] = amp * sin (w * (double) i);
  return x;
}

int
main (int argc, char **argv)
{
  const char *out;
  size_t n;
  double *x;
  Rng rng;

  if (argc != 2)
    {
      fprintf (stderr, "usage: make-signals OUTDIR\n");
      return 2;
    }
  out = argv[1];
  mkdir (out, 0755);

  /* 1. 440 Hz at -6 dBFS */
  x = sine (30, 440.0, pow (10.0, -6.0 / 20.0), &n);
  write_mono16 (out, "sine440_m6dBFS.wav", x, n);
  free (x);

  /* 2. white noise */
  rng.s = 1;
  n = n_samples (30);
  x = malloc (n * sizeof *x);
  for (size_t i = 0; i < n; i++)
    x[i] = 0.25 * gauss4 (&rng);
  write_mono16 (out, "white_noise.wav", x, n);
  free (x);

  /* 3. pink-ish noise (three-pole filter), raised-cosine AM at 2 Hz, peak 0.7 */
  {
    double b0 = 0, b1 = 0, b2 = 0;
    rng.s = 2;
    n = n_samples (30);
    x = malloc (n * sizeof *x);
    for (size_t i = 0; i < n; i++)
      {
        double wn = gauss4 (&rng);
        double env;
        b0 = 0.99765 * b0 + wn * 0.0990460;
        b1 = 0.96300 * b1 + wn * 0.2965164;
        b2 = 0.57000 * b2 + wn * 1.0526913;
        env = 0.55 - 0.45 * cos (2.0 * M_PI * 2.0 * (double) i / SR);
        x[i] = (b0 + b1 + b2 + wn * 0.1848) * env;
      }
    scale_to_peak (x, n, 0.7);
    write_mono16 (out, "pink_am_2hz.wav", x, n);
    free (x);
  }

  /* 4. clicks: a 441-sample decaying noise burst every 22050 samples */
  {
    double click[441];
    rng.s = 3;
    for (int k = 0; k < 441; k++)
      {
        double g = gauss4 (&rng);
        click[k] = g * exp (-(double) k / 80.0);
      }
    scale_to_peak (click, 441, 0.9);
    n = n_samples (30);
    x = calloc (n, sizeof *x);
    for (size_t start = 0; start + 441 <= n; start += 22050)
      memcpy (x + start, click, sizeof click);
    write_mono16 (out, "clicks_120bpm.wav", x, n);
    free (x);
  }

  /* 5. A-major triad with a 4 Hz tremolo */
  {
    double w0 = 2.0 * M_PI * 220.0 / SR, w1 = 2.0 * M_PI * 277.18 / SR;
    double w2 = 2.0 * M_PI * 329.63 / SR, wt = 2.0 * M_PI * 4.0 / SR;
    n = n_samples (30);
    x = malloc (n * sizeof *x);
    for (size_t i = 0; i < n; i++)
      {
        double d = (double) i;
        x[i]
            = 0.8 / 3.0 * (sin (w0 * d) + sin (w1 * d) + sin (w2 * d)) * (0.6 + 0.4 * sin (wt * d));
      }
    write_mono16 (out, "chord_tremolo_4hz.wav", x, n);
    free (x);
  }

  /* 6. exponential sweep 50 Hz -> 15 kHz in 20 s, float WAV */
  {
    double f0 = 50.0, f1 = 15000.0, T = 20.0;
    double k = log (f1 / f0) / T;
    n = n_samples (T);
    x = malloc (n * sizeof *x);
    for (size_t i = 0; i < n; i++)
      x[i] = 0.5 * sin (2.0 * M_PI * f0 * (exp (k * (double) i / SR) - 1.0) / k);
    write_float32 (out, "log_sweep_f32.wav", x, n);
    free (x);
  }

  /* 7. stereo: L = 330 Hz + 1 kHz, R = gated noise - 1 kHz */
  {
    double *ch[2];
    double wl = 2.0 * M_PI * 330.0 / SR, wc = 2.0 * M_PI * 1000.0 / SR;
    size_t gate = n_samples (0.05);
    rng.s = 4;
    n = n_samples (25);
    ch[0] = malloc (n * sizeof (double));
    ch[1] = malloc (n * sizeof (double));
    for (size_t i = 0; i < n; i++)
      ch[0][i] = 0.35 * sin (wl * (double) i) + 0.25 * sin (wc * (double) i);
    for (size_t i = 0; i < n; i++)
      {
        double g = (i % 14700) < gate ? 0.35 * gauss4 (&rng) / (2.0 * sqrt (3.0)) : 0.0;
        ch[1][i] = g - 0.25 * sin (wc * (double) i);
      }
    write_pcm16 (out, "stereo_diff.wav", ch, 2, n);
    free (ch[0]);
    free (ch[1]);
  }

  /* 8. 7 s: 1 kHz with 6 Hz AM plus quiet noise */
  {
    double wc = 2.0 * M_PI * 1000.0 / SR, wm = 2.0 * M_PI * 6.0 / SR;
    rng.s = 5;
    n = n_samples (7);
    x = malloc (n * sizeof *x);
    for (size_t i = 0; i < n; i++)
      {
        double d = (double) i;
        double tone = 0.5 * sin (wc * d) * (0.5 + 0.5 * sin (wm * d));
        x[i] = tone + 0.02 * gauss4 (&rng);
      }
    write_mono16 (out, "short_7s.wav", x, n);
    free (x);
  }

  /* 9. silence */
  n = n_samples (10);
  x = calloc (n, sizeof *x);
  write_mono16 (out, "silence_10s.wav", x, n);
  free (x);

  /* 10. too short */
  x = sine (5, 1000.0, 0.5, &n);
  write_mono16 (out, "too_short_5s.wav", x, n);
  free (x);
  return 0;
}
