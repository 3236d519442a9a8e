/* sa-compare-view.c: "Comparing A with B", previous/next, and two SaFeatureMaps
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window says what to compare (the query and the selected result, or the nearest one
 * when nothing is selected).  The arrows emit "step" (-1 or +1): the window moves the
 * results' selection, which comes back here.  The list is one click away in the switcher.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-compare-view.h"
#include "sa-feature-map.h"

struct _SaCompareView
{
  GtkWidget parent_instance;

  GtkLabel *heading;
  GtkButton *previous;
  GtkButton *next;
  SaFeatureMap *rp_map;
  SaFeatureMap *ssd_map;
};

enum
{
  STEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaCompareView, sa_compare_view, GTK_TYPE_WIDGET)

void
sa_compare_view_set (SaCompareView *self, SaCollection *collection, const float *query_row,
                     const char *query_name, const float *clip_row, const char *clip_name,
                     guint clip_rank)
{
  g_autofree char *text = NULL;
  int rp = collection ? sa_collection_find_set (collection, "rp") : -1;
  int ssd = collection ? sa_collection_find_set (collection, "ssd") : -1;

  g_return_if_fail (SA_IS_COMPARE_VIEW (self));

  if (query_row == NULL)
    text = g_strdup (_ ("Choose a query in the collection: its features are compared here with "
                        "those of each similar clip"));
  else if (clip_row == NULL)
    text = g_strdup_printf (_ ("The features of “%s”"), query_name);
  else
    /* Translators: the query, the compared clip, its rank among the results */
    text = g_strdup_printf (_ ("“%s” compared with “%s” (no. %u)"), query_name, clip_name,
                            clip_rank);
  gtk_label_set_label (self->heading, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->previous), clip_row && clip_rank > 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next), clip_row != NULL);
  sa_feature_map_set (self->rp_map, collection, rp, query_row, clip_row);
  sa_feature_map_set (self->ssd_map, collection, ssd, query_row, clip_row);
}

const char *
sa_compare_view_get_heading (SaCompareView *self)
{
  return gtk_label_get_label (self->heading);
}

static void
on_previous (SaCompareView *self)
{
  g_signal_emit (self, signals[STEP], 0, -1);
}

static void
on_next (SaCompareView *self)
{
  g_signal_emit (self, signals[STEP], 0, +1);
}

static void
sa_compare_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_COMPARE_VIEW);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  G_OBJECT_CLASS (sa_compare_view_parent_class)->dispose (object);
}

static void
sa_compare_view_class_init (SaCompareViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sa_compare_view_dispose;
  signals[STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  g_type_ensure (SA_TYPE_FEATURE_MAP);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SaCompareView, heading);
  gtk_widget_class_bind_template_child (widget_class, SaCompareView, previous);
  gtk_widget_class_bind_template_child (widget_class, SaCompareView, next);
  gtk_widget_class_bind_template_child (widget_class, SaCompareView, rp_map);
  gtk_widget_class_bind_template_child (widget_class, SaCompareView, ssd_map);
  gtk_widget_class_bind_template_callback (widget_class, on_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
}

static void
sa_compare_view_init (SaCompareView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
