/* sa-window.h: the browser window
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sa-collection.h"
#include "sa-player.h"

G_BEGIN_DECLS

#define SA_TYPE_WINDOW (sa_window_get_type ())
G_DECLARE_FINAL_TYPE (SaWindow, sa_window, SA, WINDOW, AdwApplicationWindow)

SaWindow *sa_window_new (GtkApplication *app);

/* Loads a collection in the background (a spinner meanwhile); errors are shown in the window. */
void sa_window_open (SaWindow *self, const char *features, const char *metadata,
                     const char *audio_root);
/* Opens a features file (its metadata found beside it) or a folder holding features.npz. */
void sa_window_open_path (SaWindow *self, const char *path);
/* Opens the built-in demo collection, making it first if needed (with progress). */
void sa_window_open_demo (SaWindow *self);
/* Shows an already loaded collection. */
void sa_window_set_collection (SaWindow *self, SaCollection *collection);
SaCollection *sa_window_get_collection (SaWindow *self);

/* The track currently used as the query, or -1. */
int sa_window_get_query (SaWindow *self);
/* Makes @track (an index in the collection) the query, selecting it in the list. */
void sa_window_select_track (SaWindow *self, guint track);
/* The shown results (SaResult items; the query is not among them). */
GListModel *sa_window_get_results (SaWindow *self);
/* The collection as shown: sorted and filtered (SaTrack items). */
GListModel *sa_window_get_shown_tracks (SaWindow *self);
void sa_window_play_track (SaWindow *self, guint track, double offset);
SaPlayer *sa_window_get_player (SaWindow *self);
/* The result played last (B of A/B), or -1. */
int sa_window_get_last_heard (SaWindow *self);
/* The message shown at the bottom, or NULL. */
const char *sa_window_get_message (SaWindow *self);
void sa_window_show_message (SaWindow *self, const char *text);

/* Analyses a folder in the background (progress, Cancel) and opens the collection. */
void sa_window_analyze_folder (SaWindow *self, const char *folder);
/* Analyses an audio file and shows its neighbours in the collection (query by example). */
void sa_window_query_by_example (SaWindow *self, const char *path);
/* Whether a load, an analysis or a query by example is under way. */
gboolean sa_window_is_busy (SaWindow *self);
/* Writes the query and its results as an M3U playlist. */
gboolean sa_window_export_playlist (SaWindow *self, const char *path, GError **error);

/* A tag file for the collection (the tutorial's part-2 labels: the metadata's index column,
 * then one 0/1 column per tag): the tags show on the query and the results, and count as
 * relevance in the quality panel.  On failure nothing changes. */
gboolean sa_window_open_tags (SaWindow *self, const char *path, GError **error);

G_END_DECLS
