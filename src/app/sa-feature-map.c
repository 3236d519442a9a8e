/* sa-feature-map.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sa-feature-map.h"

#define BANDS  24
#define RANGE  3.0 /* z-scores shown from -RANGE to +RANGE */
#define PANELS 3

/* upper edges of the Bark bands in Hz (docs: rp-ssd.md 4.4) */
static const int band_top[BANDS + 1]
    = { 0,    100,  200,  300,  400,  510,  630,  770,  920,  1080, 1270,  1480, 1720,
        2000, 2320, 2700, 3150, 3700, 4400, 5300, 6400, 7700, 9500, 12000, 15500 };

struct _SaFeatureMap
{
  GtkWidget parent_instance;

  SaCollection *collection;
  int set;
  gboolean is_rp;
  guint cols;
  float *query; /* the set's values, length BANDS * cols, or NULL */
  float *clip;

  /* geometry of the last draw */
  double gx[PANELS], gy, gw, gh;
};

G_DEFINE_FINAL_TYPE (SaFeatureMap, sa_feature_map, GTK_TYPE_WIDGET)

static const char *
stat_name (guint s)
{
  /* Translators: short names of the SSD statistics, as column labels */
  static const char *names[]
      = { N_ ("mean"), N_ ("var"), N_ ("skew"), N_ ("kurt"), N_ ("med"), N_ ("min"), N_ ("max") };
  return s < G_N_ELEMENTS (names) ? _ (names[s]) : "?";
}

static const char *
stat_long_name (guint s)
{
  static const char *names[] = { N_ ("mean"),   N_ ("variance"), N_ ("skewness"), N_ ("kurtosis"),
                                 N_ ("median"), N_ ("minimum"),  N_ ("maximum") };
  return s < G_N_ELEMENTS (names) ? _ (names[s]) : "?";
}

static double
zscore (SaFeatureMap *self, guint dim, float value)
{
  const SaFeatureSet *set = sa_collection_get_set (self->collection, self->set);
  const double *mean = sa_collection_get_mean (self->collection);
  const double *std = sa_collection_get_std (self->collection);
  guint j = set->offset + dim;

  if (std[j] <= 0)
    return 0;
  return (value - mean[j]) / std[j];
}

/* a perceptual sequential map (viridis-like), t in 0..1 */
static void
sequential (double t, double *r, double *g, double *b)
{
  static const double stops[][3] = { { 0.267, 0.005, 0.329 },
                                     { 0.229, 0.322, 0.546 },
                                     { 0.128, 0.567, 0.551 },
                                     { 0.369, 0.789, 0.383 },
                                     { 0.993, 0.906, 0.144 } };
  double x = CLAMP (t, 0, 1) * 4;
  int i = MIN ((int) x, 3);
  double f = x - i;
  *r = stops[i][0] + f * (stops[i + 1][0] - stops[i][0]);
  *g = stops[i][1] + f * (stops[i + 1][1] - stops[i][1]);
  *b = stops[i][2] + f * (stops[i + 1][2] - stops[i][2]);
}

/* the neutral middle of the difference map: light on a light page, dark on a dark one */
static double diverging_mid = 0.85;

/* blue - neutral grey - red, t in -1..1 */
static void
diverging (double t, double *r, double *g, double *b)
{
  const double mid[3] = { diverging_mid, diverging_mid, diverging_mid },
               lo[3] = { 0.13, 0.40, 0.80 }, hi[3] = { 0.80, 0.15, 0.15 };
  const double *end = t < 0 ? lo : hi;
  double f = fabs (CLAMP (t, -1, 1));
  *r = mid[0] + f * (end[0] - mid[0]);
  *g = mid[1] + f * (end[1] - mid[1]);
  *b = mid[2] + f * (end[2] - mid[2]);
}

static void
cell_colour (int panel, double z, double *r, double *g, double *b)
{
  if (panel == 2)
    diverging (z / RANGE, r, g, b);
  else
    sequential ((z + RANGE) / (2 * RANGE), r, g, b);
}

static void
text (cairo_t *cr, PangoLayout *layout, const char *s, double x, double y, double xalign,
      double yalign)
{
  int w, h;
  pango_layout_set_text (layout, s, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - xalign * w, y - yalign * h);
  pango_cairo_show_layout (cr, layout);
}

static char *
band_label (guint b)
{
  int hz = band_top[b + 1];
  return hz >= 1000 ? g_strdup_printf ("%.1fk", hz / 1000.0) : g_strdup_printf ("%d", hz);
}

static void
sa_feature_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SaFeatureMap *self = SA_FEATURE_MAP (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  GdkRGBA fg;
  const char *titles[PANELS] = { _ ("Query"), _ ("Selected clip"), _ ("Difference") };
  const double left = 44, right = 56, top = 18, gap = 12;
  const double bottom = self->is_rp ? 36 : 20;
  double pw, ph, cw, ch;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  diverging_mid = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 0.28 : 0.85;
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  gdk_cairo_set_source_rgba (cr, &fg);

  if (self->collection == NULL || self->cols == 0)
    goto done;
  pw = (width - left - right - gap * (PANELS - 1)) / PANELS;
  ph = height - top - bottom;
  if (pw < 20 || ph < 20)
    goto done;
  cw = pw / self->cols;
  ch = ph / BANDS;
  self->gy = top;
  self->gw = pw;
  self->gh = ph;

  for (int p = 0; p < PANELS; p++)
    {
      double x0 = left + p * (pw + gap);
      const float *a = self->query, *b = self->clip;
      self->gx[p] = x0;
      gdk_cairo_set_source_rgba (cr, &fg);
      text (cr, layout, titles[p], x0 + pw / 2, 1, 0.5, 0);
      for (guint band = 0; band < BANDS; band++)
        for (guint c = 0; c < self->cols; c++)
          {
            guint dim = band + BANDS * c;
            double z, r, g, bl;
            gboolean have = p == 0 ? a != NULL : p == 1 ? b != NULL : a && b;
            if (!have)
              {
                cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.08);
              }
            else
              {
                z = p == 0   ? zscore (self, dim, a[dim])
                    : p == 1 ? zscore (self, dim, b[dim])
                             : zscore (self, dim, b[dim]) - zscore (self, dim, a[dim]);
                cell_colour (p, z, &r, &g, &bl);
                cairo_set_source_rgb (cr, r, g, bl);
              }
            /* band 0 at the bottom, as in a spectrogram */
            cairo_rectangle (cr, x0 + c * cw, top + (BANDS - 1 - band) * ch, ceil (cw), ceil (ch));
            cairo_fill (cr);
          }
      /* column labels */
      gdk_cairo_set_source_rgba (cr, &fg);
      if (self->is_rp)
        {
          static const guint bpm[] = { 60, 120, 240, 480 };
          double free_from = -G_MAXDOUBLE; /* where the last label ended */
          for (guint i = 0; i < G_N_ELEMENTS (bpm); i++)
            {
              int tw, th;
              /* modulation bin q (1..60) is q * 10.09 BPM; column q - 1 */
              double q = bpm[i] / (60.0 * 44100.0 / 262144.0);
              double x = x0 + (q - 0.5) * cw;
              g_autofree char *label = g_strdup_printf ("%u", bpm[i]);
              cairo_move_to (cr, x, top + ph);
              cairo_line_to (cr, x, top + ph + 3);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              /* a label that would touch the one before it is left out (narrow maps) */
              pango_layout_set_text (layout, label, -1);
              pango_layout_get_pixel_size (layout, &tw, &th);
              if (x - tw / 2.0 < free_from + 6)
                continue;
              text (cr, layout, label, x, top + ph + 3, 0.5, 0);
              free_from = x + tw / 2.0;
            }
          if (p == 1)
            /* Translators: the axis of the rhythm pattern heat maps */
            text (cr, layout, _ ("beats per minute"), x0 + pw / 2, height, 0.5, 1);
        }
      else
        for (guint s = 0; s < self->cols; s++)
          text (cr, layout, stat_name (s), x0 + (s + 0.5) * cw, top + ph + 3, 0.5, 0);
    }
  /* band labels, in Hz at the bands' upper edges */
  for (guint band = 0; band < BANDS; band += 5)
    {
      g_autofree char *label = band_label (band);
      text (cr, layout, label, left - 4, top + (BANDS - 0.5 - band) * ch, 1, 0.5);
    }
  {
    g_autofree char *label = band_label (BANDS - 1);
    text (cr, layout, label, left - 4, top + 0.5 * ch, 1, 0.5);
    text (cr, layout, "Hz", left - 4, top + ph + 3, 1, 0);
  }
  /* the legend: the z-score scale of the maps and of the difference */
  {
    double lx = width - right + 14, lw = 10;
    for (int i = 0; i < 100; i++)
      {
        double z = RANGE - i * 2 * RANGE / 100, r, g, b;
        cell_colour (0, z, &r, &g, &b);
        cairo_set_source_rgb (cr, r, g, b);
        cairo_rectangle (cr, lx, top + i * ph / 100, lw / 2, ph / 100 + 1);
        cairo_fill (cr);
        cell_colour (2, z, &r, &g, &b);
        cairo_set_source_rgb (cr, r, g, b);
        cairo_rectangle (cr, lx + lw / 2, top + i * ph / 100, lw / 2, ph / 100 + 1);
        cairo_fill (cr);
      }
    gdk_cairo_set_source_rgba (cr, &fg);
    text (cr, layout, "+3σ", lx + lw + 3, top, 0, 0.5);
    text (cr, layout, "0", lx + lw + 3, top + ph / 2, 0, 0.5);
    text (cr, layout, "−3σ", lx + lw + 3, top + ph, 0, 0.5);
  }
done:
  g_object_unref (layout);
  cairo_destroy (cr);
}

char *
sa_feature_map_describe (SaFeatureMap *self, double x, double y)
{
  g_autoptr (GString) s = NULL;
  guint band, col, dim;
  int panel = -1;

  if (self->collection == NULL || self->gw <= 0 || y < self->gy || y >= self->gy + self->gh)
    return NULL;
  for (int p = 0; p < PANELS; p++)
    if (x >= self->gx[p] && x < self->gx[p] + self->gw)
      panel = p;
  if (panel < 0)
    return NULL;
  col = (guint) ((x - self->gx[panel]) / (self->gw / self->cols));
  band = BANDS - 1 - (guint) ((y - self->gy) / (self->gh / BANDS));
  if (col >= self->cols || band >= BANDS)
    return NULL;
  dim = band + BANDS * col;
  s = g_string_new (NULL);
  /* Translators: a Bark band and its frequency range */
  g_string_append_printf (s, _ ("Band %u: %d–%d Hz"), band + 1, band_top[band], band_top[band + 1]);
  if (self->is_rp)
    {
      double hz = (col + 1) * 44100.0 / 262144.0;
      /* Translators: a modulation frequency and its tempo */
      g_string_append_printf (s, _ (", %.2f Hz (%.0f BPM)"), hz, hz * 60);
    }
  else
    g_string_append_printf (s, ", %s", stat_long_name (col));
  if (self->query)
    g_string_append_printf (s, _ ("\nQuery: %.4g (z = %.2f)"), self->query[dim],
                            zscore (self, dim, self->query[dim]));
  if (self->clip)
    g_string_append_printf (s, _ ("\nSelected clip: %.4g (z = %.2f)"), self->clip[dim],
                            zscore (self, dim, self->clip[dim]));
  if (self->query && self->clip)
    g_string_append_printf (s, _ ("\nDifference: %+.2f σ"),
                            zscore (self, dim, self->clip[dim])
                                - zscore (self, dim, self->query[dim]));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer user_data)
{
  g_autofree char *text = sa_feature_map_describe (SA_FEATURE_MAP (widget), x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
sa_feature_map_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                        int *natural, int *minimum_baseline, int *natural_baseline)
{
  SaFeatureMap *self = SA_FEATURE_MAP (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 360, *natural = 720;
  else
    *minimum = 150, *natural = self->is_rp ? 226 : 190;
}

static void
sa_feature_map_finalize (GObject *object)
{
  SaFeatureMap *self = SA_FEATURE_MAP (object);
  g_clear_object (&self->collection);
  g_free (self->query);
  g_free (self->clip);
  G_OBJECT_CLASS (sa_feature_map_parent_class)->finalize (object);
}

static void
sa_feature_map_class_init (SaFeatureMapClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sa_feature_map_finalize;
  widget_class->snapshot = sa_feature_map_snapshot;
  widget_class->measure = sa_feature_map_measure;
  gtk_widget_class_set_css_name (widget_class, "featuremap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_feature_map_init (SaFeatureMap *self)
{
  self->set = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

GtkWidget *
sa_feature_map_new (void)
{
  return g_object_new (SA_TYPE_FEATURE_MAP, NULL);
}

static float *
copy_set (const SaFeatureSet *set, const float *row)
{
  return row ? g_memdup2 (row + set->offset, set->length * sizeof (float)) : NULL;
}

void
sa_feature_map_set (SaFeatureMap *self, SaCollection *collection, int set, const float *query,
                    const float *clip)
{
  const SaFeatureSet *fs;

  g_set_object (&self->collection, collection);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->clip, g_free);
  self->set = set;
  self->cols = 0;
  if (collection && set >= 0)
    {
      fs = sa_collection_get_set (collection, set);
      self->is_rp = g_str_equal (fs->name, "rp");
      self->cols = fs->length / BANDS;
      self->query = copy_set (fs, query);
      self->clip = copy_set (fs, clip);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
