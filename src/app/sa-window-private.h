/* sa-window-private.h: what the window's own files share
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sa-window.c: pages, the query, playback; sa-window-files.c: the actions that open, analyse
 * and save files; sa-window-support.c: small helpers (what a track shows, settings).
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"
#include "sa-example.h"
#include "sa-histogram.h"
#include "sa-loading-page.h"
#include "sa-search.h"
#include "sa-window.h"

G_BEGIN_DECLS

#define SA_EXAMPLE_TAG G_MAXINT /* the player's tag for a query from outside the collection */

/* What a row shows: the title, else the file name; "artist — album", else the folder. */
char *sa_window_track_title (SaCollection *c, guint track);
char *sa_window_track_subtitle (SaCollection *c, guint track);
gboolean sa_window_collection_is_untagged (SaCollection *c);
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
void sa_window_set_example (SaWindow *self, SaExample *example);
SaExample *sa_window_get_example (SaWindow *self);
void sa_window_set_audio_root (SaWindow *self, const char *root);

/* in sa-window-files.c */
void sa_window_class_add_file_actions (GtkWidgetClass *widget_class);
void sa_window_add_drop_target (SaWindow *self);

G_END_DECLS
