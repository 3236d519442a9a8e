/* sa-histogram.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sa-format.h"
#include "sa-histogram.h"

#define BINS 48

struct _SaHistogram
{
  GtkWidget parent_instance;
  guint counts[BINS];
  guint max_count;
  guint n;
  double lo, hi;
  GArray *marks;      /* double */
  guint sampled_from; /* the values are a sample of this many tracks' (0: every track's) */
};

G_DEFINE_FINAL_TYPE (SaHistogram, sa_histogram, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SAMPLED_FROM,
  N_PROPS
};

/* What the histogram shows, as its tooltip and its accessible description. */
static void
update_description (SaHistogram *self)
{
  g_autofree char *text = NULL;

  if (self->sampled_from > 0)
    {
      g_autofree char *shown = sa_format_count (self->n);
      g_autofree char *all = sa_format_count (self->sampled_from);
      /* Translators: a large collection's histogram; the first number is the sample's size,
       * the second the collection's (without the query), both with the locale's separators */
      text = g_strdup_printf (_ ("The distances from the query of %s tracks spread evenly over "
                                 "all %s (too many to compute at every change); the lines mark "
                                 "the clips shown, at their exact distances"),
                              shown, all);
    }
  else
    text = g_strdup (_ ("The distances of every track from the query; the lines mark the clips "
                        "shown"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
sa_histogram_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  SaHistogram *self = SA_HISTOGRAM (object);

  switch (id)
    {
      case PROP_SAMPLED_FROM:
        self->sampled_from = g_value_get_uint (value);
        update_description (self);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_histogram_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
      case PROP_SAMPLED_FROM:
        g_value_set_uint (value, SA_HISTOGRAM (object)->sampled_from);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_histogram_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SaHistogram *self = SA_HISTOGRAM (widget);
  float w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  float label_h = 12, ph = h - label_h;
  GdkRGBA fg, bar, mark = { 0.21, 0.52, 0.89, 1 };
  PangoLayout *layout;
  char lo[32], hi[32];
  int tw, th;

  if (self->n == 0 || self->max_count == 0 || w < 10)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  bar = fg;
  bar.alpha = 0.35f;
  for (guint b = 0; b < BINS; b++)
    {
      float bh = ph * self->counts[b] / self->max_count;
      if (self->counts[b] > 0 && bh < 1)
        bh = 1;
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (b * w / BINS, ph - bh, w / BINS - 1, bh));
    }
  for (guint i = 0; i < self->marks->len; i++)
    {
      double d = g_array_index (self->marks, double, i);
      float x
          = self->hi > self->lo ? (float) ((d - self->lo) / (self->hi - self->lo) * (w - 2)) : 0;
      gtk_snapshot_append_color (snapshot, &mark, &GRAPHENE_RECT_INIT (x, 0, 2, ph));
    }
  layout = gtk_widget_create_pango_layout (widget, NULL);
  {
    PangoFontDescription *font = pango_font_description_from_string ("Sans 7");
    pango_layout_set_font_description (layout, font);
    pango_font_description_free (font);
  }
  {
    /* fixed point, in the user's locale, with as many decimals as the range needs to show
     * two different numbers (never "4.58e-05") */
    double span = self->hi - self->lo;
    int digits = span > 0 ? (int) CLAMP (2 - floor (log10 (span)), 0, 6) : 2;
    g_autofree char *a = sa_format_decimal (self->lo, (guint) digits);
    g_autofree char *b = sa_format_decimal (self->hi, (guint) digits);
    g_strlcpy (lo, a, sizeof lo);
    g_strlcpy (hi, b, sizeof hi);
  }
  pango_layout_set_text (layout, lo, -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, ph));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
  pango_layout_set_text (layout, hi, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (w - tw, ph));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
sa_histogram_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                      int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 100, *natural = 300;
  else
    *minimum = *natural = 52;
}

static void
sa_histogram_finalize (GObject *object)
{
  g_array_unref (SA_HISTOGRAM (object)->marks);
  G_OBJECT_CLASS (sa_histogram_parent_class)->finalize (object);
}

static void
sa_histogram_class_init (SaHistogramClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_histogram_finalize;
  object_class->set_property = sa_histogram_set_property;
  object_class->get_property = sa_histogram_get_property;
  /* set before sa_histogram_set(): the values that follow are a sample of this many tracks'
   * distances (0: every track's); the tooltip and the accessible description say which */
  g_object_class_install_property (
      object_class, PROP_SAMPLED_FROM,
      g_param_spec_uint ("sampled-from", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  widget_class->snapshot = sa_histogram_snapshot;
  widget_class->measure = sa_histogram_measure;
  gtk_widget_class_set_css_name (widget_class, "histogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_histogram_init (SaHistogram *self)
{
  self->marks = g_array_new (FALSE, FALSE, sizeof (double));
  update_description (self);
}

GtkWidget *
sa_histogram_new (void)
{
  return g_object_new (SA_TYPE_HISTOGRAM, NULL);
}

void
sa_histogram_set (SaHistogram *self, const double *d, guint n, const double *marks, guint n_marks)
{
  memset (self->counts, 0, sizeof self->counts);
  self->max_count = 0;
  self->n = n;
  g_array_set_size (self->marks, 0);
  if (n > 0)
    {
      self->lo = self->hi = d[0];
      for (guint i = 1; i < n; i++)
        {
          self->lo = MIN (self->lo, d[i]);
          self->hi = MAX (self->hi, d[i]);
        }
      /* a sample may hold no track as near as the shown ones (or as far): the axis reaches
       * them (every track's values hold them already) */
      for (guint i = 0; i < n_marks; i++)
        {
          self->lo = MIN (self->lo, marks[i]);
          self->hi = MAX (self->hi, marks[i]);
        }
      for (guint i = 0; i < n; i++)
        {
          guint b = self->hi > self->lo ? (guint) ((d[i] - self->lo) / (self->hi - self->lo) * BINS)
                                        : 0;
          b = MIN (b, BINS - 1);
          self->counts[b]++;
          self->max_count = MAX (self->max_count, self->counts[b]);
        }
      g_array_append_vals (self->marks, marks, n_marks);
    }
  if (self->sampled_from > 0)
    update_description (self); /* the sample's size */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sa_histogram_get_n_values (SaHistogram *self)
{
  return self->n;
}
