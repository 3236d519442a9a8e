/* write-npz.c: writes an .npz with Soundalike's writer for numpy-interop.py to check
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: write-npz OUT.npz ROWS
 * rp[i, j] = i + j / 1024, ssd[i, j] = -i - j / 8 (exact in float32), clip_id[i] = 1000003 * i - 5
 */
#include "config.h"

#include <stdlib.h>

#include "sa-npz.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SaNpzWriter) w = NULL;
  guint n;
  g_autofree float *rp = NULL, *ssd = NULL;
  g_autofree gint64 *ids = NULL;

  if (argc != 3)
    return 2;
  n = (guint) atoi (argv[2]);
  rp = g_new (float, (gsize) n * 1440);
  ssd = g_new (float, (gsize) n * 176);
  ids = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      for (guint j = 0; j < 1440; j++)
        rp[(gsize) i * 1440 + j] = i + j / 1024.0f;
      for (guint j = 0; j < 176; j++)
        ssd[(gsize) i * 176 + j] = -(float) i - j / 8.0f;
      ids[i] = 1000003 * (gint64) i - 5;
    }
  w = sa_npz_writer_new (argv[1], &error);
  if (w == NULL || !sa_npz_writer_add_f32 (w, "rp", rp, n, 1440, 1440, FALSE, &error)
      || !sa_npz_writer_add_f32 (w, "ssd", ssd, n, 168, 176, FALSE, &error)
      || !sa_npz_writer_add_i64 (w, "clip_id", ids, n, &error) || !sa_npz_writer_commit (w, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
