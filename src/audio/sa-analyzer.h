/* sa-analyzer.h: analysing folders of audio into a collection
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finds audio files (recursively, following no symlink loop), decodes and
 * extracts them on a pool of threads, and writes OUTDIR/features.npz (rp, ssd,
 * clip_id) and OUTDIR/metadata.csv in the tutorial's layout, plus
 * OUTDIR/errors.csv for the files that could not be analysed.
 *
 * Incremental: a file whose (path, size, mtime) is recorded in OUTDIR is not
 * analysed again.  A run adds and updates: a row is removed only when its file is gone
 * from a folder analysed in this run that still exists and holds audio; the rows of other
 * folders stay (options->prune mirrors the inputs exactly).  An input that does not exist
 * or cannot be read is an error before anything is touched.  OUTDIR is locked (flock on
 * OUTDIR/.analyze.lock) for the run: a second run on it fails with SA_ERROR_BUSY.  Paths
 * that are not UTF-8 are stored as file:// URIs.  Symbolic links inside the folders are not
 * followed unless options->follow_symlinks.  Crash-safe: each file is
 * written to a temporary name and renamed, features before metadata; because
 * clip ids are a hash of the path, any pair of the two files joins to a valid
 * collection.  Progress is checkpointed every few seconds, so an interrupted
 * run keeps its work.
 */
#pragma once

#include <gio/gio.h>

#include "sa-rpssd.h"
#include "sa-shard.h"

G_BEGIN_DECLS

typedef struct
{
  guint n_files;    /* audio files found */
  guint n_done;     /* analysed, reused or failed so far */
  guint n_analysed; /* analysed in this run */
  guint n_reused;   /* taken over unchanged from the previous run */
  guint n_failed;
  guint n_removed;       /* recorded before, gone now from a folder of this run */
  guint n_kept;          /* recorded before, outside this run's folders: kept as they were */
  guint n_links_skipped; /* symbolic links not followed */
  guint n_other_shards;  /* with a shard: recorded rows of the other shards, kept as they were */
  const char *current;
} SaAnalyzeProgress;

/* Called on the analysing thread. */
typedef void (*SaAnalyzeProgressFunc) (const SaAnalyzeProgress *progress, gpointer user_data);

typedef struct
{
  guint n_jobs; /* 0: one per core */
  SaSegmentOptions segments;
  guint checkpoint_ms; /* 0: 10 s */
  SaAnalyzeProgressFunc progress;
  gpointer progress_data;
  GPtrArray *failures;      /* if set, receives a message (char *) for every file that failed */
  gboolean prune;           /* mirror the inputs: drop every row whose file was not found in them */
  gboolean follow_symlinks; /* follow symbolic links inside the folders (each folder once) */
  SaShard shard; /* count 0: every file; else only this shard's files, and only its rows removed */
} SaAnalyzeOptions;

void sa_analyze_options_init (SaAnalyzeOptions *options);

/* Returns FALSE with an error when an input is missing or unreadable, OUTDIR is busy, the
 * collection could not be written (the error says why: "No space left on device"), or the
 * run was cancelled (G_IO_ERROR_CANCELLED; what was done is kept); files that fail are
 * counted and listed in errors.csv. */
gboolean sa_analyze (const char *const *inputs, const char *outdir, const SaAnalyzeOptions *options,
                     SaAnalyzeProgress *report, GCancellable *cancellable, GError **error);

void sa_analyze_async (const char *const *inputs, const char *outdir,
                       const SaAnalyzeOptions *options, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
gboolean sa_analyze_finish (GAsyncResult *result, SaAnalyzeProgress *report, GError **error);

/* A stable id for an audio file: 52 bits of the SHA-256 of its absolute path. */
gint64 sa_clip_id_for_path (const char *path);
/* Whether a file name has an audio extension. */
gboolean sa_is_audio_file_name (const char *name);

G_END_DECLS
