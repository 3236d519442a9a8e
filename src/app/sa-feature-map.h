/* sa-feature-map.h: heat maps of a feature set for the query, a clip and their difference
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RP: 24 Bark bands (rows, low at the bottom) x 60 modulation frequencies (columns,
 * labelled in beats per minute); SSD: 24 bands x 7 statistics.  Cells are z-scores over
 * the collection (what the distance compares), coloured on a -3..+3 scale; the third map
 * is the difference clip - query.  Hovering a cell tells its band, column and values.
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"

G_BEGIN_DECLS

#define SA_TYPE_FEATURE_MAP (sa_feature_map_get_type ())
G_DECLARE_FINAL_TYPE (SaFeatureMap, sa_feature_map, SA, FEATURE_MAP, GtkWidget)

GtkWidget *sa_feature_map_new (void);
/* @set: a feature set of @collection named "rp" or "ssd" (others are drawn as one row per
 * dimension block of 24).  @query and @clip are padded rows; either may be NULL. */
void sa_feature_map_set (SaFeatureMap *self, SaCollection *collection, int set, const float *query,
                         const float *clip);
/* For tests: the text the tooltip shows at a point, or NULL outside the cells. */
char *sa_feature_map_describe (SaFeatureMap *self, double x, double y);

G_END_DECLS
