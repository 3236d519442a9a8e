/* standalone.c: replays fuzz inputs (files, or folders of them) without a fuzzing engine,
 * so that every build compiles the targets and the test suite replays their corpora.
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

static guint
run_path (const char *path)
{
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *d = g_dir_open (path, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)))
        {
          char *child = g_build_filename (path, name, NULL);
          n += run_path (child);
          g_free (child);
        }
      if (d)
        g_dir_close (d);
      return n;
    }
  {
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents (path, &data, &len, NULL))
      g_error ("cannot read %s", path);
    LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
    g_free (data);
    return 1;
  }
}

int
main (int argc, char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += run_path (argv[i]);
  g_print ("replayed %u inputs\n", n);
  return n > 0 ? 0 : 1;
}
