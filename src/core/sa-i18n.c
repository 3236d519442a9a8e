/* sa-i18n.c: where the translations are
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "sa-i18n.h"

/* The build folder's po/ when @program lies inside a meson build folder, else NULL. */
static char *
build_tree_localedir (const char *program)
{
  g_autofree char *dir = g_path_get_dirname (program);

  /* programs sit at most a few folders below the build root (src/app, tests/fuzz) */
  for (int up = 0; up < 4; up++)
    {
      g_autofree char *marker = g_build_filename (dir, "meson-private", NULL);
      g_autofree char *po = g_build_filename (dir, "po", NULL);
      char *parent;

      if (g_file_test (marker, G_FILE_TEST_IS_DIR))
        return g_file_test (po, G_FILE_TEST_IS_DIR) ? g_steal_pointer (&po) : NULL;
      parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }
  return NULL;
}

const char *
sa_i18n_get_localedir (void)
{
  static gsize localedir;

  if (g_once_init_enter (&localedir))
    {
      const char *env = g_getenv ("SOUNDALIKE_LOCALEDIR");
      g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
      char *found = NULL;

      if (env && *env)
        found = g_strdup (env);
      else if (program)
        found = build_tree_localedir (program);
      if (found == NULL)
        found = g_strdup (LOCALEDIR);
      g_once_init_leave (&localedir, (gsize) found);
    }
  return (const char *) localedir;
}

void
sa_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, sa_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
