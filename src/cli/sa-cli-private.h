/* sa-cli-private.h: helpers shared by the commands
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sa_cli_fail (GError *error);
int sa_cli_usage_error (const char *command, const char *message);
gboolean sa_cli_parse (const char *command, const char *parameter, const char *summary,
                       GOptionEntry *entries, int *argc, char ***argv, int *status);

int sa_cli_extract (int argc, char **argv);
int sa_cli_analyze (int argc, char **argv);
int sa_cli_merge (int argc, char **argv);
int sa_cli_demo (int argc, char **argv);
/* issue 14: sa-cli-quality.c */
int sa_cli_evaluate (int argc, char **argv);
int sa_cli_suggest_weights (int argc, char **argv);

G_END_DECLS
