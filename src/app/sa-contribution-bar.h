/* sa-contribution-bar.h: how much rhythm and how much timbre make a distance
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_CONTRIBUTION_BAR (sa_contribution_bar_get_type ())
G_DECLARE_FINAL_TYPE (SaContributionBar, sa_contribution_bar, SA, CONTRIBUTION_BAR, GtkWidget)

GtkWidget *sa_contribution_bar_new (void);
/* @rhythm: the RP share of the distance, 0..1 (the rest is SSD) */
void sa_contribution_bar_set_share (SaContributionBar *self, double rhythm);

G_END_DECLS
