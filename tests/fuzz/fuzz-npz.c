/* fuzz-npz.c: the .npz (ZIP) reader, every array of the archive, and the collection loader
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "sa-collection.h"
#include "sa-npz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = fuzz_write_temp (".npz", data, size);
  GError *error = NULL;
  SaNpz *npz = sa_npz_open (path, &error);

  if (npz == NULL)
    {
      g_assert (error && strstr (error->message, path));
      g_error_free (error);
      return 0;
    }
  for (guint i = 0; i < sa_npz_get_n_arrays (npz); i++)
    {
      SaNpyHeader h;
      double *v = sa_npz_read_f64 (npz, sa_npz_get_array_name (npz, i), &h, &error);
      g_free (v);
      g_clear_error (&error);
    }
  sa_npz_free (npz);
  {
    SaCollection *c = sa_collection_load (path, NULL, NULL, &error);
    if (c)
      g_object_unref (c);
    g_clear_error (&error);
  }
  return 0;
}
