/* sa-bench.h: soundalike-cli bench
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sa_cli_bench (int argc, char **argv);

/* Writes a synthetic collection (N x 1440 rp, N x 168 ssd, clip ids and a
 * metadata CSV) into @dir, deterministic for a given @n. */
gboolean sa_bench_write_synthetic (const char *dir, guint n, GError **error);

G_END_DECLS
