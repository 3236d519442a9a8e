/* main.c: soundalike-cli
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-cli.h"
#include "sa-i18n.h"

int
main (int argc, char **argv)
{
  /* the build folder's translations when run from it, else the installed ones */
  sa_i18n_init ();
  return sa_cli_run (argc, argv);
}
