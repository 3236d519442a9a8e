/* sa-audio.h: decoding audio files to the extractor's input
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any file GStreamer can decode goes through a real pipeline
 * (uridecodebin ! audioconvert ! audioresample ! appsink) to 32-bit float at
 * 44,100 Hz; channels are then averaged in float as rp-ssd.md section 2 says
 * (the float sum in channel order, divided by the channel count).  The mono
 * samples are kept once, in chunks of one segment (2^18 samples), so that a
 * segment is always contiguous and nothing is copied twice.
 *
 * Memory stays bounded for any length: a file longer than the memory limit
 * (sa_audio_set_memory_limit, 128 MiB of samples, 12.7 minutes, by default)
 * is not kept.  The first pass then only counts the samples and finds their
 * peak; extraction decodes the file a second time and analyses each segment
 * as it arrives.  Decoding is deterministic, so both ways give the same bits.
 */
#pragma once

#include <gio/gio.h>

#include "sa-rpssd.h"

G_BEGIN_DECLS

typedef struct
{
  float **chunks; /* each SA_SEGMENT_SAMPLES floats */
  guint n_chunks;
  gsize n_samples;
  guint source_channels;
  guint source_rate;
  char *title;
  char *artist;
  char *album;
  int track_number; /* 0 when unknown */

  /*< private >*/
  char *path;            /* the file, for a second pass */
  gboolean streamed;     /* too long to keep: only n_samples and the peak are known */
  float peak;            /* the largest |sample|, when streamed */
  gsize first_nonfinite; /* the first NaN or Inf sample, when streamed; G_MAXSIZE if none */
  void (*on_chunk) (gpointer user_data, gsize index, float *chunk);
  gpointer on_chunk_data;
} SaAudio;

gboolean sa_audio_init (GError **error);

/* Whether enough file descriptors are free for @n_pipelines decoders at once; on success
 * *@max_pipelines (if not NULL) is how many would fit (at least 1).  Fails with
 * SA_ERROR_NO_RESOURCES, naming the limit (ulimit -n), when not even one fits. */
gboolean sa_audio_check_descriptors (guint n_pipelines, guint *max_pipelines, GError **error);

#define SA_AUDIO_DEFAULT_MEMORY_LIMIT (128 * 1024 * 1024) /* bytes of samples: 12.7 minutes */

/* Keep at most @bytes of decoded samples per file (at least one segment); longer files are
 * decoded twice instead.  Process-wide; for tests and tuning. */
void sa_audio_set_memory_limit (gsize bytes);

/* What the analysis accepts: sample rates it can resample to 44,100 Hz at a bounded cost,
 * and audio up to a length (longer files are refused, not analysed for hours). */
#define SA_AUDIO_MIN_RATE     4000
#define SA_AUDIO_MAX_RATE     768000
#define SA_AUDIO_MAX_SECONDS  (4 * 3600)
#define SA_AUDIO_MAX_CHANNELS 64

/* The cheap checks of a WAV (RIFF/WAVE) header, from the first bytes of the file: a
 * format chunk with 0 channels, 0 Hz, a rate outside [SA_AUDIO_MIN_RATE, SA_AUDIO_MAX_RATE]
 * or a data chunk longer than SA_AUDIO_MAX_SECONDS is an error naming @where (the data
 * counted is what the file holds, @file_size bytes, when the header claims more).  Anything else
 * (not a WAV, a header cut short) passes: the decoder decides.  Needs no GStreamer. */
gboolean sa_audio_check_wav_header (const guint8 *data, gsize len, guint64 file_size,
                                    const char *where, GError **error);

SaAudio *sa_audio_decode (const char *path, GCancellable *cancellable, GError **error);
/* For tests and fuzzing: @frames interleaved frames of @channels floats at 44,100 Hz. */
SaAudio *sa_audio_new_from_interleaved (const float *data, gsize frames, guint channels);
void sa_audio_free (SaAudio *audio);

/* Peak normalisation (float division by the largest |sample|); rejects NaN and Inf.
 * For a streamed file only the check: its segments are normalised as they are analysed. */
gboolean sa_audio_normalize (SaAudio *audio, const char *where, GError **error);

typedef struct
{
  double rp[SA_RP_LENGTH];
  double ssd[SA_SSD_LENGTH];
  guint n_segments;
  double *seg_rp;  /* n_segments x 1440, when asked for */
  double *seg_ssd; /* n_segments x 168 */
} SaFeatures;

/* Normalises @audio in place and computes RP and SSD.  @plan may be NULL. */
gboolean sa_audio_extract (SaAudio *audio, const SaSegmentOptions *options, SaRpSsd *plan,
                           gboolean keep_segments, SaFeatures *features, const char *where,
                           GCancellable *cancellable, GError **error);
void sa_features_clear (SaFeatures *features);

/* Decode and extract in one call. */
gboolean sa_extract_file (const char *path, const SaSegmentOptions *options, SaRpSsd *plan,
                          gboolean keep_segments, SaFeatures *features, SaAudio **audio_out,
                          GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaAudio, sa_audio_free)

G_END_DECLS
