/* sa-results-view.h: the similar clips
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_RESULTS_VIEW (sa_results_view_get_type ())
G_DECLARE_FINAL_TYPE (SaResultsView, sa_results_view, SA, RESULTS_VIEW, GtkWidget)

/* @results: SaResult items, owned by the window. */
void sa_results_view_set_model (SaResultsView *self, GListModel *results);
/* The Folder column: for collections without tags. */
void sa_results_view_set_show_folder (SaResultsView *self, gboolean show);
/* The Tags column (results' "tags"), shown while a tag file is open. */
void sa_results_view_set_show_tags (SaResultsView *self, gboolean show);
/* Which track the player has (-1: none) and whether it plays: the rows' play icons. */
void sa_results_view_set_playing (SaResultsView *self, int track, gboolean playing);
/* What to say when the list is empty; NULL title: the list is shown. */
void sa_results_view_set_empty (SaResultsView *self, const char *title, const char *description);

/* The selected result's track, or -1. */
int sa_results_view_get_selected_track (SaResultsView *self);
guint sa_results_view_get_selected (SaResultsView *self);
void sa_results_view_select (SaResultsView *self, guint position);
/* Selects the row of @track, if it is a result. */
void sa_results_view_select_track (SaResultsView *self, int track);
void sa_results_view_focus (SaResultsView *self);

G_END_DECLS
