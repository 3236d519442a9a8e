/* fuzz-npy.c: the .npy header parser and the element conversions
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "sa-npy.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  SaNpyHeader h;
  GError *error = NULL;

  if (sa_npy_header_parse (data, size, size, "fuzz.npy", &h, &error))
    {
      /* the header promised data_size bytes after it: convert what the buffer holds */
      gsize n = MIN (h.n_elements, (size - h.header_size) / h.item_size);
      double *d = g_new (double, MAX (n, 1));
      float *f = g_new (float, MAX (n, 1));
      gint64 *i = g_new (gint64, MAX (n, 1));
      g_assert (h.data_size <= size - h.header_size);
      sa_npy_convert_f64 (&h, data + h.header_size, n, d);
      sa_npy_convert_f32 (&h, data + h.header_size, n, f);
      sa_npy_convert_i64 (&h, data + h.header_size, n, i, NULL);
      g_free (d);
      g_free (f);
      g_free (i);
    }
  else
    {
      g_assert (error != NULL && strstr (error->message, "fuzz.npy") != NULL);
      g_error_free (error);
    }
  return 0;
}
