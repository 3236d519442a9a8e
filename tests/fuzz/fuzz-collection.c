/* fuzz-collection.c: a feature file and a metadata file joined, then searched
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a 4-byte little-endian length n, then n bytes of .npz, then the CSV.
 */
#include <string.h>

#include "fuzz-common.h"
#include "sa-search.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint32 n;
  const char *npz, *csv;
  GError *error = NULL;
  SaCollection *c;

  if (size < 4)
    return 0;
  n = data[0] | (data[1] << 8) | (data[2] << 16) | ((guint32) data[3] << 24);
  if (n > size - 4)
    n = (guint32) (size - 4);
  npz = fuzz_write_temp (".npz", data + 4, n);
  csv = fuzz_write_temp (".csv", data + 4 + n, size - 4 - n);
  c = sa_collection_load (npz, csv, NULL, &error);
  if (c == NULL)
    {
      g_assert (error && (strstr (error->message, npz) || strstr (error->message, csv)));
      g_error_free (error);
      return 0;
    }
  {
    SaSearch *s = sa_search_new (c);
    guint nt = sa_collection_get_n_tracks (c);
    SaHit hits[6];
    for (int m = 0; m < 3; m++)
      {
        sa_search_set_metric (s, (SaMetric) m);
        sa_search_set_exclude (s, SA_EXCLUDE_SAME_ARTIST | SA_EXCLUDE_SAME_FILE);
        sa_search_set_query (s, nt - 1);
        guint got = sa_search_rank (s, NULL, 5, hits);
        g_assert (got >= 1 && got <= 6);
        for (guint i = 1; i < got; i++)
          g_assert (hits[i].track < nt && hits[i].distance >= 0);
      }
    sa_search_free (s);
    for (guint t = 0; t < nt; t++)
      {
        char *path = sa_collection_resolve_audio (c, t);
        g_free (path);
      }
  }
  g_object_unref (c);
  return 0;
}
