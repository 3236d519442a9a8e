/* sa-demo.h: the built-in demo collection
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 48 clips of 30 s synthesised here, deterministically (same bytes every time):
 * eight families that differ audibly in timbre (artist = family), each playing at
 * six tempi shared by all families (album = tempo).  They are encoded to FLAC and
 * analysed by the same GStreamer decoding and extraction as a user's music, so that
 * neighbours make sense: the SSD slider favours the same family (timbre), the RP
 * slider the same tempo (rhythm).
 */
#pragma once

#include <gio/gio.h>

#include "sa-analyzer.h"

G_BEGIN_DECLS

#define SA_DEMO_N_FAMILIES 8
#define SA_DEMO_N_TEMPI    6
#define SA_DEMO_N_CLIPS    (SA_DEMO_N_FAMILIES * SA_DEMO_N_TEMPI)

const char *sa_demo_family_name (guint family);
guint sa_demo_tempo (guint tempo_index);

/* Writes the audio files into @audio_dir (FLAC, tagged). @progress gets (done, total). */
gboolean sa_demo_write_audio (const char *audio_dir,
                              void (*progress) (guint done, guint total, gpointer),
                              gpointer progress_data, GCancellable *cancellable, GError **error);

/* The default place: $XDG_CACHE_HOME/soundalike/demo */
char *sa_demo_default_dir (void);
/* Whether @dir already holds a complete demo collection. */
gboolean sa_demo_is_ready (const char *dir);
/* Writes the audio (if missing) and analyses it into @dir/features.npz and @dir/metadata.csv.
 * @progress gets (done, total) on the calling thread: the 48 clips written, then the 48
 * analysed (total 96).  Cancelled, it stops within one clip (G_IO_ERROR_CANCELLED), leaves no
 * temporary file, and the next call goes on from what is already written. */
gboolean sa_demo_create (const char *dir, void (*progress) (guint done, guint total, gpointer),
                         gpointer progress_data, GCancellable *cancellable, GError **error);

typedef void (*SaDemoProgressFunc) (guint done, guint total, gpointer user_data);

/* sa_demo_create on a worker thread.  @dir NULL is sa_demo_default_dir ().  @progress is called
 * on the thread-default main context of the caller, with the latest count (several steps may
 * come as one), and never after @callback; @progress_notify frees @progress_data when the work
 * is done. */
void sa_demo_create_async (const char *dir, SaDemoProgressFunc progress, gpointer progress_data,
                           GDestroyNotify progress_notify, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
gboolean sa_demo_create_finish (GAsyncResult *result, GError **error);

G_END_DECLS
