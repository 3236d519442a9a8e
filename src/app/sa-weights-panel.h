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
/* A suggestion of weights: shown as a mark under each slider (which does not move) and a bar
 * with @summary, "Apply Suggestion" (win.apply-suggestion) and "Dismiss"
 * (win.dismiss-suggestion).  apply_suggestion() moves the sliders and the bar then offers
 * "Restore Previous Weights" (win.undo-weights).  A slider moved by hand, a new metric or
 * a new collection clears it. */
typedef enum
{
  SA_SUGGESTION_NONE,
  SA_SUGGESTION_SHOWN,   /* on the sliders, not applied */
  SA_SUGGESTION_APPLIED, /* the sliders moved; the previous weights can be restored */
} SaSuggestionState;

void sa_weights_panel_show_suggestion (SaWeightsPanel *self, const double *weights,
                                       const char *summary);
/* The suggestion shown, not applied yet: FALSE when there is none. */
gboolean sa_weights_panel_get_suggestion (SaWeightsPanel *self, double *weights);
SaSuggestionState sa_weights_panel_get_suggestion_state (SaWeightsPanel *self);
void sa_weights_panel_apply_suggestion (SaWeightsPanel *self, const char *summary);
void sa_weights_panel_clear_suggestion (SaWeightsPanel *self);
/* Mutual proximity and "Suggest Weights", below the metric. */
SaTuningRow *sa_weights_panel_get_tuning_row (SaWeightsPanel *self);
SaMetric sa_weights_panel_get_metric (SaWeightsPanel *self);
guint sa_weights_panel_get_n_results (SaWeightsPanel *self);
gboolean sa_weights_panel_get_exclude_same (SaWeightsPanel *self);

G_END_DECLS
