/* fuzz-csv.c: the metadata CSV reader
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "sa-metadata.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  SaMetadata *md = sa_metadata_parse ((const char *) data, size, "fuzz.csv", &error);

  if (md == NULL)
    {
      g_assert (error && strstr (error->message, "fuzz.csv"));
      g_error_free (error);
      return 0;
    }
  for (guint r = 0; r < sa_metadata_get_n_rows (md); r++)
    for (guint c = 0; c < sa_metadata_get_n_columns (md); c++)
      g_assert (g_utf8_validate (sa_metadata_get (md, r, (int) c), -1, NULL));
  sa_metadata_free (md);
  return 0;
}
