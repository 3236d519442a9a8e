/* main.c: soundalike, the desktop application
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "sa-application.h"
#include "sa-i18n.h"

int
main (int argc, char **argv)
{
  g_autoptr (SaApplication) app = NULL;

  /* the build folder's translations when run from it, else the installed ones */
  sa_i18n_init ();
  gst_init (&argc, &argv);
  app = sa_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
