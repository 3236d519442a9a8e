/* write-synthetic.c: writes the benchmark's synthetic collection (for bench-compare.py)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: write-synthetic DIR N
 */
#include "config.h"

#include <stdlib.h>

#include "sa-bench.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  if (argc != 3)
    return 2;
  if (!sa_bench_write_synthetic (argv[1], (guint) atoi (argv[2]), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
