/* sa-tuning-row.h: mutual proximity on or off, and "Suggest Weights"
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-quality-panel.h"

G_BEGIN_DECLS

typedef enum
{
  SA_MP_STATE_OFF,         /* the switch is off */
  SA_MP_STATE_COMPUTING,   /* on, the moments are being computed */
  SA_MP_STATE_READY,       /* on and in use */
  SA_MP_STATE_UNAVAILABLE, /* the metric has no mutual proximity (cosine) */
  SA_MP_STATE_FAILED,      /* on, but the moments could not be computed */
} SaMpState;

#define SA_TYPE_TUNING_ROW (sa_tuning_row_get_type ())
G_DECLARE_FINAL_TYPE (SaTuningRow, sa_tuning_row, SA, TUNING_ROW, GtkWidget)

/* "mutual-proximity" (boolean, read-write): what the user asked for; kept in GSettings
 * ("mutual-proximity") when the schema is installed. */
gboolean sa_tuning_row_get_mutual_proximity (SaTuningRow *self);
void sa_tuning_row_set_mutual_proximity (SaTuningRow *self, gboolean on);
/* What the window made of it; @detail (may be NULL) is shown as the tooltip. */
void sa_tuning_row_set_state (SaTuningRow *self, SaMpState state, const char *detail);
SaMpState sa_tuning_row_get_state (SaTuningRow *self);
/* While computing: how far (0..1), shown as a bar and "Computing… 42 %"; 1 when ready. */
void sa_tuning_row_set_progress (SaTuningRow *self, double fraction);
double sa_tuning_row_get_progress (SaTuningRow *self);
/* The keyboard focus to "Suggest Weights" (FALSE when it cannot take it yet). */
gboolean sa_tuning_row_focus_suggest (SaTuningRow *self);
/* The quality panel, in the "Quality" button's popover. */
SaQualityPanel *sa_tuning_row_get_quality_panel (SaTuningRow *self);

G_END_DECLS
