/* sa-cli.h: soundalike-cli commands
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs one command; returns the process exit status. */
int sa_cli_run (int argc, char **argv);

G_END_DECLS
