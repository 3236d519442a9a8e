/* sa-weights-panel.h: the weights of the feature sets and the search options
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"
#include "sa-search.h"
#include "sa-tuning-row.h"

G_BEGIN_DECLS

#define SA_TYPE_WEIGHTS_PANEL (sa_weights_panel_get_type ())
G_DECLARE_FINAL_TYPE (SaWeightsPanel, sa_weights_panel, SA, WEIGHTS_PANEL, GtkWidget)

/* The sliders follow @collection's sets: rp and ssd, and one per extra set (at weight 0). */
void sa_weights_panel_set_collection (SaWeightsPanel *self, SaCollection *collection);
/* One weight per set of the collection (SA_MAX_SETS doubles). */
void sa_weights_panel_get_weights (SaWeightsPanel *self, double *weights);
/* Moves the sliders (each emits "changed"); the inverse of get_weights(). */
void sa_weights_panel_set_weights (SaWeightsPanel *self, const double *weights);
/* Mutual proximity and "Suggest Weights", below the metric. */
SaTuningRow *sa_weights_panel_get_tuning_row (SaWeightsPanel *self);
SaMetric sa_weights_panel_get_metric (SaWeightsPanel *self);
guint sa_weights_panel_get_n_results (SaWeightsPanel *self);
gboolean sa_weights_panel_get_exclude_same (SaWeightsPanel *self);

G_END_DECLS
