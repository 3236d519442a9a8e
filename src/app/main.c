/* main.c: soundalike, the desktop application
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>

#include "sa-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (SaApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SOUNDALIKE_LOCALEDIR")
                                       ? g_getenv ("SOUNDALIKE_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gst_init (&argc, &argv);
  app = sa_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
