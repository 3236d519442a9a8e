/* sa-quality-panel.h: how good the neighbours of the current setting are
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"
#include "sa-moments.h"
#include "sa-quality.h"
#include "sa-search.h"

G_BEGIN_DECLS

#define SA_TYPE_QUALITY_PANEL (sa_quality_panel_get_type ())
G_DECLARE_FINAL_TYPE (SaQualityPanel, sa_quality_panel, SA, QUALITY_PANEL, GtkWidget)

/* The label columns offered are the collection's metadata columns (default: none). */
void sa_quality_panel_set_collection (SaQualityPanel *self, SaCollection *collection);
/* A tag file (sa_labels_load_tags): offered first among the label choices, and chosen. */
void sa_quality_panel_set_tag_file (SaQualityPanel *self, const char *path);
/* The setting to measure; @moments NULL: no mutual proximity.  Measured in a thread,
 * a moment after the last change, while the panel is shown. */
void sa_quality_panel_set_setting (SaQualityPanel *self, SaMetric metric, gboolean standardize,
                                   const double *weights, SaMoments *moments);
/* The label choice as a string to keep: "none", "tags" (the tag file) or "column:NAME".
 * Signal "label-changed": the choice changed (by the user or by the calls here). */
char *sa_quality_panel_dup_label_choice (SaQualityPanel *self);
/* FALSE (nothing changes) when the choice is not offered: no tag file, no such column. */
gboolean sa_quality_panel_set_label_choice (SaQualityPanel *self, const char *choice);
/* Whether a measurement is pending or running (for tests). */
gboolean sa_quality_panel_is_busy (SaQualityPanel *self);
/* Signal "open-track" (guint track): a hub was clicked. */

/* At most this many queries are ranked per measurement (a fixed sample beyond, the size
 * sa-quality samples at): about 2 s of one core at 2,438 tracks. */
#define SA_QUALITY_PANEL_MAX_QUERIES SA_QUALITY_SAMPLE_QUERIES

G_END_DECLS
