/* fuzz-extract.c: samples into the extractor (random samples, lengths, channels, options)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: channels (1 byte), length in frames (3 bytes, scaled up to ~2.5 segments),
 * skip and step (1 byte each), then float32 samples repeated to the length.
 */
#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "sa-audio.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint channels, skip, step;
  gsize frames, n_floats, have;
  float *x;
  SaAudio *a;
  SaFeatures f;
  SaSegmentOptions opts;
  GError *error = NULL;

  if (size < 6)
    return 0;
  channels = 1 + data[0] % 4;
  frames = (data[1] | (data[2] << 8) | ((gsize) data[3] << 16)) % (5 * SA_SEGMENT_SAMPLES / 2);
  skip = data[4] % 3;
  step = 1 + data[5] % 3;
  data += 6;
  size -= 6;
  n_floats = frames * channels;
  have = size / sizeof (float);
  x = g_new0 (float, MAX (n_floats, 1));
  for (gsize i = 0; i < n_floats && have > 0; i++)
    memcpy (&x[i], data + (i % have) * sizeof (float), sizeof (float));
  a = sa_audio_new_from_interleaved (x, frames, channels);
  opts.skip_segments = skip;
  opts.step = step;
  if (sa_audio_extract (a, &opts, NULL, TRUE, &f, "fuzz", NULL, &error))
    {
      for (guint j = 0; j < SA_RP_LENGTH; j++)
        g_assert (isfinite (f.rp[j]));
      for (guint j = 0; j < SA_SSD_LENGTH; j++)
        g_assert (isfinite (f.ssd[j]));
      sa_features_clear (&f);
    }
  else
    {
      g_assert (error && strstr (error->message, "fuzz"));
      g_error_free (error);
    }
  sa_audio_free (a);
  g_free (x);
  return 0;
}
