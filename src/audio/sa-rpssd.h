/* sa-rpssd.h: Rhythm Patterns (RP) and Statistical Spectrum Descriptors (SSD)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows TU Wien's rp_extract with the ISMIR 2018 tutorial's settings, as
 * specified stage by stage in docs/rp-ssd.md: 44,100 Hz mono float input,
 * peak-normalised, cut into segments of 2^18 samples; per segment a 1024-point
 * Hann-windowed power spectrum (hop 512), 24 Bark bands, spectral masking, dB,
 * phon (equal-loudness contours), sone; SSD = 7 statistics of each band's
 * loudness over time, RP = the band's modulation spectrum (bins 1..60 of a
 * 512-point DFT) weighted by fluctuation strength.  Segments are combined by
 * the median (RP) and the mean (SSD).
 *
 * Units: SSD in sone; RP in sone amplitude per modulation bin (dimensionless
 * weighting).  Layout: band index fastest, rp[b + 24*(q-1)], ssd[b + 24*s].
 *
 * Compile without -ffast-math: the float steps (normalisation, level scaling)
 * decide agreement with the reference at 1e-6.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SA_RP_BANDS        24
#define SA_RP_MOD_BINS     60
#define SA_RP_LENGTH       (SA_RP_BANDS * SA_RP_MOD_BINS) /* 1440 */
#define SA_SSD_STATS       7
#define SA_SSD_LENGTH      (SA_RP_BANDS * SA_SSD_STATS) /* 168 */
#define SA_SEGMENT_SAMPLES 262144
#define SA_SAMPLE_RATE     44100

typedef struct
{
  guint skip_segments; /* lead-in and fade-out skip K (tutorial: 0) */
  guint step;          /* every step-th segment (tutorial: 1) */
} SaSegmentOptions;

#define SA_SEGMENT_OPTIONS_TUTORIAL ((SaSegmentOptions){ 0, 1 })

/* Which segments rp_extract analyses for @n_samples: count and the first sample of segment 0
 * (segment k starts at first + k * step * L).  Returns 0 when there is none. */
guint sa_rpssd_segments (gsize n_samples, const SaSegmentOptions *options, gsize *first,
                         gsize *stride);

typedef struct _SaRpSsd SaRpSsd;

/* A plan with its scratch memory; use one per thread. */
SaRpSsd *sa_rpssd_new (void);
void sa_rpssd_free (SaRpSsd *plan);

/* One segment of L samples, already peak-normalised (float, as in the spec). */
void sa_rpssd_segment (SaRpSsd *plan, const float *samples, double *rp, double *ssd);

/* Intermediate stages of the last segment, for tests: 24 x 511, band-major. */
const double *sa_rpssd_get_stage (SaRpSsd *plan, const char *name);

/* Combines per-segment vectors: element-wise median (RP) and mean (SSD). */
void sa_rpssd_combine (const double *seg_rp, const double *seg_ssd, guint n_segments, double *rp,
                       double *ssd);

/* The equal-loudness contours sampled at the upper band edges (6 x 24). */
double sa_rpssd_contour (guint contour, guint band);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaRpSsd, sa_rpssd_free)

G_END_DECLS
