/* sa-contribution-bar.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-contribution-bar.h"

struct _SaContributionBar
{
  GtkWidget parent_instance;
  double rhythm;
};

G_DEFINE_FINAL_TYPE (SaContributionBar, sa_contribution_bar, GTK_TYPE_WIDGET)

/* the colours of the two sliders' sets, also used in the heat maps' headings */
static const GdkRGBA rhythm_colour = { 0.21, 0.52, 0.89, 1 };
static const GdkRGBA timbre_colour = { 0.96, 0.47, 0.0, 1 };

static void
sa_contribution_bar_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SaContributionBar *self = SA_CONTRIBUTION_BAR (widget);
  float w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  float bh = 8, y = (h - bh) / 2, split = (float) (w * self->rhythm);
  GskRoundedRect outline;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, y, w, bh), bh / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &rhythm_colour, &GRAPHENE_RECT_INIT (0, y, split, bh));
  gtk_snapshot_append_color (snapshot, &timbre_colour,
                             &GRAPHENE_RECT_INIT (split, y, w - split, bh));
  gtk_snapshot_pop (snapshot);
  {
    /* an outline in the text colour: the blue part shows on a blue (selected) row too */
    GdkRGBA fg, edge[4];
    float widths[4] = { 1, 1, 1, 1 };
    gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
    fg.alpha = 0.45f;
    for (int i = 0; i < 4; i++)
      edge[i] = fg;
    gtk_snapshot_append_border (snapshot, &outline, widths, edge);
  }
}

static void
sa_contribution_bar_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                             int *minimum, int *natural, int *minimum_baseline,
                             int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 40, *natural = 72;
  else
    *minimum = *natural = 12;
}

static void
sa_contribution_bar_class_init (SaContributionBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  widget_class->snapshot = sa_contribution_bar_snapshot;
  widget_class->measure = sa_contribution_bar_measure;
  gtk_widget_class_set_css_name (widget_class, "contributionbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_contribution_bar_init (SaContributionBar *self)
{
  self->rhythm = 0.5;
}

GtkWidget *
sa_contribution_bar_new (void)
{
  return g_object_new (SA_TYPE_CONTRIBUTION_BAR, NULL);
}

void
sa_contribution_bar_set_share (SaContributionBar *self, double rhythm)
{
  g_autofree char *tip = NULL;

  self->rhythm = CLAMP (rhythm, 0, 1);
  /* Translators: the shares of rhythm (RP) and timbre (SSD) in a distance */
  tip = g_strdup_printf (_ ("Rhythm %.0f %%, timbre %.0f %% of the distance"), self->rhythm * 100,
                         (1 - self->rhythm) * 100);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
