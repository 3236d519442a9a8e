/* sa-merge.h: joining the collections of analysis shards into one
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is a folder written by soundalike-cli analyze (features.npz,
 * metadata.csv, errors.csv).  A row is identified by its file's path; its clip
 * id is kept as the input has it (analyze derives it from the absolute path, so
 * shards of one folder agree with a plain analyze of it).  The output holds
 * what was in OUTDIR, updated by the inputs in the order given:
 *
 *  - a path seen once is one row, copied unchanged (features bit for bit);
 *  - a path in several inputs is one row: the one whose file was the newest
 *    (file_mtime_ns), and among equals the last given;
 *  - a failure (errors.csv) is joined too; an input that lists a file as
 *    failed replaces an earlier row of it, a row replaces an earlier failure;
 *  - nothing else is removed.
 *
 * Rows are sorted by path and written as analyze writes them, metadata.csv,
 * then features.npz, then errors.csv, each to a temporary file renamed over
 * the old one.  Two different paths with the same clip id are an error, and
 * nothing is written.  OUTDIR is locked as analyze locks it (flock on
 * OUTDIR/.analyze.lock) while the merge runs, and an input whose lock an analyze
 * still holds is refused.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint n_inputs;
  guint n_rows;       /* in the result */
  guint n_failures;   /* in the result's errors.csv */
  guint n_duplicates; /* rows that were in more than one input (or in OUTDIR already) */
  guint n_incomplete; /* rows left out: metadata and features disagree (an interrupted run) */
} SaMergeReport;

gboolean sa_merge (const char *outdir, const char *const *inputs, SaMergeReport *report,
                   GError **error);

G_END_DECLS
