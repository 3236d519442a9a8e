/* sa-collection-pane.h: the collection, searchable and sortable
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"

G_BEGIN_DECLS

#define SA_TYPE_COLLECTION_PANE (sa_collection_pane_get_type ())
G_DECLARE_FINAL_TYPE (SaCollectionPane, sa_collection_pane, SA, COLLECTION_PANE, GtkWidget)

void sa_collection_pane_set_collection (SaCollectionPane *self, SaCollection *collection);
/* Selects @track's row (-1: none) and scrolls to it, without emitting "track-selected". */
void sa_collection_pane_show_track (SaCollectionPane *self, int track);
/* The tracks as shown: sorted and filtered (SaTrack items). */
GListModel *sa_collection_pane_get_shown (SaCollectionPane *self);
/* The Folder column: for collections without tags. */
void sa_collection_pane_set_show_folder (SaCollectionPane *self, gboolean show);
void sa_collection_pane_focus_search (SaCollectionPane *self);
void sa_collection_pane_focus_list (SaCollectionPane *self);

G_END_DECLS
