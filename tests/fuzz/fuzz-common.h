/* fuzz-common.h: helpers shared by the fuzz targets
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A per-process scratch file holding @data (the readers take paths). */
static inline const char *
fuzz_write_temp (const char *suffix, const uint8_t *data, size_t size)
{
  static char *paths[4];
  static const char *suffixes[4];
  guint slot = 0;

  while (slot < 3 && suffixes[slot] && g_strcmp0 (suffixes[slot], suffix) != 0)
    slot++;
  if (paths[slot] == NULL)
    {
      paths[slot] = g_strdup_printf ("%s/soundalike-fuzz-%d-%u%s", g_get_tmp_dir (),
                                     (int) getpid (), slot, suffix);
      suffixes[slot] = suffix;
    }
  if (!g_file_set_contents (paths[slot], (const char *) data, (gssize) size, NULL))
    g_error ("cannot write %s", paths[slot]);
  return paths[slot];
}
