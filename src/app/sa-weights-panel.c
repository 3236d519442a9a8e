/* sa-weights-panel.c: sliders for the sets' weights, the metric, the number of results
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Emits "changed" when anything that changes the ranking changes ("metric-changed" first when
 * the metric does: the search needs a new pass then).  The window reads the values with the
 * getters.  The settings (weights, metric, count, exclusion) are kept in GSettings when the
 * schema is installed: read once at start and written on change, so that a backend that cannot
 * write (no session bus) never moves a slider back.
 *
 * A suggestion of weights is shown before it is applied: a mark at the suggested value under
 * each slider (the sliders do not move) and, in place of the tuning row (so that the results
 * keep their room), a bar with the summary, "Apply Suggestion" and "Dismiss"; once applied,
 * the bar offers "Restore Previous Weights".  A slider moved by hand,
 * a new metric or a new collection makes the suggestion stale: the marks and the bar go.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sa-format.h"
#include "sa-weights-panel.h"
#include "sa-tuning-row.h"

struct _SaWeightsPanel
{
  GtkWidget parent_instance;

  GtkGrid *grid;
  GtkLabel *rp_label;
  GtkScale *rp_scale;
  GtkLabel *ssd_label;
  GtkScale *ssd_scale;
  GtkDropDown *metric_dropdown;
  GtkSpinButton *results_spin;
  GtkSwitch *exclude_switch;
  GtkBox *extra_box;
  SaTuningRow *tuning_row;
  GtkStack *tuning_stack;
  GtkWidget *suggestion_bar;
  GtkLabel *suggestion_label;
  GtkWidget *apply_suggestion_button;
  GtkWidget *restore_weights_button;

  SaCollection *collection;
  int rp_set, ssd_set;
  GPtrArray *extra; /* the GtkScale of each extra set, its set index as data */
  GSettings *settings;
  SaSuggestionState suggestion_state;
  double suggestion[SA_MAX_SETS];
  gboolean setting; /* set_weights() moves the sliders, not the user */
};

enum
{
  CHANGED,
  METRIC_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaWeightsPanel, sa_weights_panel, GTK_TYPE_WIDGET)

/* the sliders' values in the user's locale ("0,50") */
static char *
format_weight (GtkScale *scale, double value, gpointer user_data)
{
  return sa_format_decimal (value, 2);
}

static void
on_changed (SaWeightsPanel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* a slider moved: by the user unless set_weights() moves it */
static void
on_weight_changed (SaWeightsPanel *self)
{
  if (!self->setting)
    sa_weights_panel_clear_suggestion (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_metric_changed (SaWeightsPanel *self)
{
  sa_weights_panel_clear_suggestion (self);
  g_signal_emit (self, signals[METRIC_CHANGED], 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* A slider for a set other than rp and ssd (a "tags" array, say): off until the user says. */
static void
add_extra_slider (SaWeightsPanel *self, guint set_index, const SaFeatureSet *set)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *text = g_strdup_printf (_ ("“%s” (%u values)"), set->name, set->length);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.01);
  g_autofree char *tip
      = g_strdup_printf (_ ("How much the extra feature set “%s” counts in the distance (off "
                            "at first: it is not part of the tutorial's ranking)"),
                         set->name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), scale);
  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (scale), GTK_POS_RIGHT);
  gtk_scale_set_digits (GTK_SCALE (scale), 2);
  gtk_scale_set_format_value_func (GTK_SCALE (scale), format_weight, NULL, NULL);
  gtk_range_set_value (GTK_RANGE (scale), 0);
  gtk_widget_set_hexpand (scale, TRUE);
  gtk_widget_set_tooltip_text (scale, tip);
  g_object_set_data (G_OBJECT (scale), "set", GUINT_TO_POINTER (set_index));
  g_object_set_data (G_OBJECT (scale), "label", label);
  g_signal_connect_swapped (scale, "value-changed", G_CALLBACK (on_weight_changed), self);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), scale);
  gtk_box_append (self->extra_box, row);
  g_ptr_array_add (self->extra, scale);
}

void
sa_weights_panel_set_collection (SaWeightsPanel *self, SaCollection *collection)
{
  GtkWidget *row;

  g_return_if_fail (SA_IS_WEIGHTS_PANEL (self));

  sa_weights_panel_clear_suggestion (self);
  g_set_object (&self->collection, collection);
  g_ptr_array_set_size (self->extra, 0);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->extra_box))))
    gtk_box_remove (self->extra_box, row);
  self->rp_set = collection ? sa_collection_find_set (collection, "rp") : -1;
  self->ssd_set = collection ? sa_collection_find_set (collection, "ssd") : -1;
  gtk_widget_set_sensitive (GTK_WIDGET (self->rp_scale), self->rp_set >= 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ssd_scale), self->ssd_set >= 0);
  for (guint i = 0; collection && i < sa_collection_get_n_sets (collection); i++)
    if ((int) i != self->rp_set && (int) i != self->ssd_set)
      add_extra_slider (self, i, sa_collection_get_set (collection, i));
  gtk_widget_set_visible (GTK_WIDGET (self->extra_box), self->extra->len > 0);
}

void
sa_weights_panel_get_weights (SaWeightsPanel *self, double *weights)
{
  g_return_if_fail (SA_IS_WEIGHTS_PANEL (self) && self->collection);

  sa_search_default_weights (self->collection, weights);
  if (self->rp_set >= 0)
    weights[self->rp_set] = gtk_range_get_value (GTK_RANGE (self->rp_scale));
  if (self->ssd_set >= 0)
    weights[self->ssd_set] = gtk_range_get_value (GTK_RANGE (self->ssd_scale));
  for (guint i = 0; i < self->extra->len; i++)
    {
      GtkRange *scale = g_ptr_array_index (self->extra, i);
      weights[GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (scale), "set"))]
          = gtk_range_get_value (scale);
    }
}

void
sa_weights_panel_set_weights (SaWeightsPanel *self, const double *weights)
{
  g_return_if_fail (SA_IS_WEIGHTS_PANEL (self) && self->collection);

  self->setting = TRUE;
  if (self->rp_set >= 0)
    gtk_range_set_value (GTK_RANGE (self->rp_scale), weights[self->rp_set]);
  if (self->ssd_set >= 0)
    gtk_range_set_value (GTK_RANGE (self->ssd_scale), weights[self->ssd_set]);
  for (guint i = 0; i < self->extra->len; i++)
    {
      GtkRange *scale = g_ptr_array_index (self->extra, i);
      gtk_range_set_value (scale,
                           weights[GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (scale), "set"))]);
    }
  self->setting = FALSE;
}

/* ---- a suggestion of weights ---- */

/* Each slider of a set with its weight, as set_weights() walks them. */
static guint
list_scales (SaWeightsPanel *self, GtkScale **scales, guint *sets)
{
  guint n = 0;

  if (self->rp_set >= 0)
    {
      scales[n] = self->rp_scale;
      sets[n++] = (guint) self->rp_set;
    }
  if (self->ssd_set >= 0)
    {
      scales[n] = self->ssd_scale;
      sets[n++] = (guint) self->ssd_set;
    }
  for (guint i = 0; i < self->extra->len && n < SA_MAX_SETS; i++)
    {
      scales[n] = g_ptr_array_index (self->extra, i);
      sets[n] = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (scales[n]), "set"));
      n++;
    }
  return n;
}

static void
clear_marks (SaWeightsPanel *self)
{
  GtkScale *scales[SA_MAX_SETS];
  guint sets[SA_MAX_SETS];
  guint n = list_scales (self, scales, sets);

  for (guint i = 0; i < n; i++)
    {
      gtk_scale_clear_marks (scales[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (scales[i]), "suggestion");
      gtk_widget_remove_css_class (g_object_get_data (G_OBJECT (scales[i]), "label"), "suggestion");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (scales[i]),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

void
sa_weights_panel_show_suggestion (SaWeightsPanel *self, const double *weights, const char *summary)
{
  GtkScale *scales[SA_MAX_SETS];
  guint sets[SA_MAX_SETS];
  guint n;

  g_return_if_fail (SA_IS_WEIGHTS_PANEL (self) && self->collection);

  clear_marks (self);
  n = list_scales (self, scales, sets);
  memcpy (self->suggestion, weights, sizeof self->suggestion);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *value = sa_format_decimal (weights[sets[i]], 2);
      /* Translators: under a slider, where the suggested weight is; %s is the weight */
      g_autofree char *text = g_strdup_printf (_ ("suggested %s"), value);
      g_autofree char *markup = g_markup_printf_escaped ("<small>%s</small>", text);

      gtk_scale_add_mark (scales[i], weights[sets[i]], GTK_POS_BOTTOM, markup);
      gtk_widget_add_css_class (GTK_WIDGET (scales[i]), "suggestion");
      gtk_widget_add_css_class (g_object_get_data (G_OBJECT (scales[i]), "label"), "suggestion");
      gtk_accessible_update_property (GTK_ACCESSIBLE (scales[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  self->suggestion_state = SA_SUGGESTION_SHOWN;
  gtk_label_set_text (self->suggestion_label, summary);
  gtk_widget_set_visible (self->apply_suggestion_button, TRUE);
  gtk_widget_set_visible (self->restore_weights_button, FALSE);
  gtk_stack_set_visible_child (self->tuning_stack, self->suggestion_bar);
  gtk_widget_grab_focus (self->apply_suggestion_button);
}

gboolean
sa_weights_panel_get_suggestion (SaWeightsPanel *self, double *weights)
{
  g_return_val_if_fail (SA_IS_WEIGHTS_PANEL (self), FALSE);

  if (self->suggestion_state != SA_SUGGESTION_SHOWN)
    return FALSE;
  memcpy (weights, self->suggestion, sizeof self->suggestion);
  return TRUE;
}

SaSuggestionState
sa_weights_panel_get_suggestion_state (SaWeightsPanel *self)
{
  g_return_val_if_fail (SA_IS_WEIGHTS_PANEL (self), SA_SUGGESTION_NONE);
  return self->suggestion_state;
}

void
sa_weights_panel_apply_suggestion (SaWeightsPanel *self, const char *summary)
{
  g_return_if_fail (SA_IS_WEIGHTS_PANEL (self));

  if (self->suggestion_state != SA_SUGGESTION_SHOWN)
    return;
  clear_marks (self);
  sa_weights_panel_set_weights (self, self->suggestion);
  self->suggestion_state = SA_SUGGESTION_APPLIED;
  gtk_label_set_text (self->suggestion_label, summary);
  gtk_widget_set_visible (self->apply_suggestion_button, FALSE);
  gtk_widget_set_visible (self->restore_weights_button, TRUE);
  gtk_widget_grab_focus (self->restore_weights_button);
}

static gboolean
focus_suggest (gpointer row)
{
  sa_tuning_row_focus_suggest (row);
  return G_SOURCE_REMOVE;
}

void
sa_weights_panel_clear_suggestion (SaWeightsPanel *self)
{
  GtkRoot *root;
  GtkWidget *focus;
  gboolean had_focus;

  g_return_if_fail (SA_IS_WEIGHTS_PANEL (self));

  if (self->suggestion_state == SA_SUGGESTION_NONE)
    return;
  clear_marks (self);
  self->suggestion_state = SA_SUGGESTION_NONE;
  /* the keyboard focus was in the bar: to "Suggest Weights", where it came from */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root ? gtk_root_get_focus (root) : NULL;
  had_focus = focus && gtk_widget_is_ancestor (focus, self->suggestion_bar);
  gtk_stack_set_visible_child (self->tuning_stack, GTK_WIDGET (self->tuning_row));
  if (had_focus && !sa_tuning_row_focus_suggest (self->tuning_row))
    g_idle_add_full (G_PRIORITY_DEFAULT, focus_suggest, g_object_ref (self->tuning_row),
                     g_object_unref); /* once the row is shown */
}

SaTuningRow *
sa_weights_panel_get_tuning_row (SaWeightsPanel *self)
{
  return self->tuning_row;
}

SaMetric
sa_weights_panel_get_metric (SaWeightsPanel *self)
{
  static const SaMetric metrics[] = { SA_METRIC_EUCLIDEAN, SA_METRIC_MANHATTAN, SA_METRIC_COSINE };
  guint i = gtk_drop_down_get_selected (self->metric_dropdown);

  return i < G_N_ELEMENTS (metrics) ? metrics[i] : SA_METRIC_EUCLIDEAN;
}

guint
sa_weights_panel_get_n_results (SaWeightsPanel *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->results_spin);
}

gboolean
sa_weights_panel_get_exclude_same (SaWeightsPanel *self)
{
  return gtk_switch_get_active (self->exclude_switch);
}

static gboolean
metric_get (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *s = g_variant_get_string (variant, NULL);
  g_value_set_uint (value, g_str_equal (s, "manhattan") ? 1 : g_str_equal (s, "cosine") ? 2 : 0);
  return TRUE;
}

static GVariant *
metric_set (const GValue *value, const GVariantType *type, gpointer user_data)
{
  static const char *names[] = { "euclidean", "manhattan", "cosine" };
  guint i = g_value_get_uint (value);
  return g_variant_new_string (names[i < 3 ? i : 0]);
}

/* read once, written on every change, never pushed back into the widgets */
#define BIND_FLAGS (G_SETTINGS_BIND_GET | G_SETTINGS_BIND_SET | G_SETTINGS_BIND_GET_NO_CHANGES)

static void
bind_settings (SaWeightsPanel *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema == NULL)
    return;
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "rp-weight",
                   gtk_range_get_adjustment (GTK_RANGE (self->rp_scale)), "value", BIND_FLAGS);
  g_settings_bind (self->settings, "ssd-weight",
                   gtk_range_get_adjustment (GTK_RANGE (self->ssd_scale)), "value", BIND_FLAGS);
  g_settings_bind (self->settings, "n-results", gtk_spin_button_get_adjustment (self->results_spin),
                   "value", BIND_FLAGS);
  g_settings_bind (self->settings, "exclude-same", self->exclude_switch, "active", BIND_FLAGS);
  g_settings_bind_with_mapping (self->settings, "metric", self->metric_dropdown, "selected",
                                BIND_FLAGS, metric_get, metric_set, NULL, NULL);
}

static void
sa_weights_panel_dispose (GObject *object)
{
  SaWeightsPanel *self = SA_WEIGHTS_PANEL (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_WEIGHTS_PANEL);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  g_clear_object (&self->collection);
  G_OBJECT_CLASS (sa_weights_panel_parent_class)->dispose (object);
}

static void
sa_weights_panel_finalize (GObject *object)
{
  g_ptr_array_unref (SA_WEIGHTS_PANEL (object)->extra);
  G_OBJECT_CLASS (sa_weights_panel_parent_class)->finalize (object);
}

static void
sa_weights_panel_class_init (SaWeightsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_weights_panel_dispose;
  object_class->finalize = sa_weights_panel_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
  signals[METRIC_CHANGED] = g_signal_new ("metric-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-weights-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, grid);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, rp_label);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, rp_scale);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, ssd_label);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, ssd_scale);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, results_spin);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, exclude_switch);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, extra_box);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, tuning_row);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, tuning_stack);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, suggestion_bar);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, suggestion_label);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, apply_suggestion_button);
  gtk_widget_class_bind_template_child (widget_class, SaWeightsPanel, restore_weights_button);
  g_type_ensure (SA_TYPE_TUNING_ROW);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_weight_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_metric_changed);
}

static void
sa_weights_panel_init (SaWeightsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (
      GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  self->rp_set = self->ssd_set = -1;
  self->extra = g_ptr_array_new ();
  /* the label of each slider, that follows it when marks take room below it */
  g_object_set_data (G_OBJECT (self->rp_scale), "label", self->rp_label);
  g_object_set_data (G_OBJECT (self->ssd_scale), "label", self->ssd_label);
  gtk_scale_set_format_value_func (self->rp_scale, format_weight, NULL, NULL);
  gtk_scale_set_format_value_func (self->ssd_scale, format_weight, NULL, NULL);
  bind_settings (self);
}
