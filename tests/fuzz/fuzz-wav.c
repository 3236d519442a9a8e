/* fuzz-wav.c: the WAV header check that runs before any decoding
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: 8 bytes of file size (little-endian, what the file would hold), then the first
 * bytes of the file.  The check must never read outside them, and an error must name the
 * file and carry an SaError code.
 */
#include <string.h>

#include "fuzz-common.h"
#include "sa-audio.h"
#include "sa-error.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint64 file_size = 0;
  GError *error = NULL;
  guint8 *copy;

  if (size < 8)
    return 0;
  for (guint i = 0; i < 8; i++)
    file_size |= (guint64) data[i] << (8 * i);
  /* an exact-size copy, so that reading past the end is caught by ASan */
  copy = g_memdup2 (data + 8, size - 8);
  if (!sa_audio_check_wav_header (copy, size - 8, file_size, "fuzz.wav", &error))
    {
      g_assert (error && error->domain == SA_ERROR);
      g_assert (strstr (error->message, "fuzz.wav") != NULL);
      g_error_free (error);
    }
  else
    g_assert (error == NULL);
  g_free (copy);
  return 0;
}
