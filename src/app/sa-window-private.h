/* sa-window-private.h: what the window's own files share
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sa-window.c: pages, the query, playback; sa-window-files.c: the actions that open, analyse
 * and save files; sa-window-support.c: the history of queries and small helpers.
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"
#include "sa-histogram.h"
#include "sa-loading-page.h"
#include "sa-search.h"
#include "sa-window.h"

G_BEGIN_DECLS

/* A query: a track of the collection, or a file analysed for query by example. */
typedef struct
{
  int track; /* -1 for an example (or nothing) */
  char *path;
  char *title;
  char *artist;
  float *row; /* the example's padded feature row (g_aligned_free) */
  guint stride;
} SaHistoryEntry;

/* The walk: the current query and the ones before and after it (Back, Forward). */
typedef struct
{
  GArray *entries; /* SaHistoryEntry */
  guint pos;
  SaHistoryEntry none;
} SaHistory;

#define SA_EXAMPLE_TAG G_MAXINT /* the player's tag for a query from outside the collection */

void sa_history_init (SaHistory *h);
void sa_history_clear (SaHistory *h);
const SaHistoryEntry *sa_history_current (SaHistory *h);
gboolean sa_history_has_query (SaHistory *h);
int sa_history_tag (SaHistory *h);
void sa_history_go_to_track (SaHistory *h, int track);
/* Takes over @entry (its strings and row). */
void sa_history_go_to (SaHistory *h, SaHistoryEntry *entry);
gboolean sa_history_can_go (SaHistory *h, int delta);
gboolean sa_history_step (SaHistory *h, int delta);

/* What a row shows: the title, else the file name; "artist — album", else the folder. */
char *sa_window_track_title (SaCollection *c, guint track);
char *sa_window_track_subtitle (SaCollection *c, guint track);
void sa_window_fill_results (GListStore *results, SaSearch *search, SaCollection *c,
                             const double *weights, const SaHit *hits, guint n);
void sa_window_update_histogram (SaHistogram *histogram, SaSearch *search, SaCollection *c,
                                 int query, const double *weights, const SaHit *hits, guint n);

GSettings *sa_window_open_settings (GtkWindow *window);
/* The audio folder: @given (remembered), else the one remembered for the collection. */
void sa_window_settle_audio_root (GSettings *settings, SaCollection *c, const char *given);
void sa_window_remember_collection (GSettings *settings, SaCollection *c);
void sa_window_report_partial_match (SaWindow *self, SaCollection *c);
void sa_window_load_css (GtkWidget *widget);

/* in sa-window.c, for sa-window-files.c */
void sa_window_show_toast (SaWindow *self, const char *text, const char *button,
                           const char *action);
void sa_window_show_error (SaWindow *self, const char *text);
GCancellable *sa_window_begin_work (SaWindow *self, const char *text, double fraction,
                                    gboolean cancellable);
void sa_window_end_work (SaWindow *self);
gboolean sa_window_is_working_on (SaWindow *self, GCancellable *cancellable);
SaLoadingPage *sa_window_get_loading_page (SaWindow *self);
GCancellable *sa_window_begin_example (SaWindow *self);
void sa_window_end_example (SaWindow *self);
void sa_window_set_example (SaWindow *self, SaHistoryEntry *entry);
void sa_window_set_audio_root (SaWindow *self, const char *root);
const SaHistoryEntry *sa_window_get_current_query (SaWindow *self);

/* in sa-window-files.c */
void sa_window_class_add_file_actions (GtkWidgetClass *widget_class);
void sa_window_add_drop_target (SaWindow *self);

G_END_DECLS
