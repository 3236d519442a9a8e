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
/* Writes the audio (if missing) and analyses it into @dir/features.npz and @dir/metadata.csv. */
gboolean sa_demo_create (const char *dir, void (*progress) (guint done, guint total, gpointer),
                         gpointer progress_data, GCancellable *cancellable, GError **error);

G_END_DECLS
