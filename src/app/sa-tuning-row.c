/* sa-tuning-row.c: the switch for mutual proximity and the "Suggest Weights" button
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The switch says what the user wants; the window computes the moments in the background
 * and reports back with set_state() and set_progress(): a progress bar and "Computing… 42 %"
 * while it works, "Ready" when MP ranks the results, and the switch made insensitive, with
 * the reason, for a metric that has no mutual proximity.
 * The button activates win.suggest-weights.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-format.h"
#include "sa-quality-panel.h"
#include "sa-tuning-row.h"

struct _SaTuningRow
{
  GtkWidget parent_instance;

  GtkLabel *mp_label;
  GtkSwitch *mp_switch;
  GtkProgressBar *mp_progress;
  GtkLabel *status_label;
  GtkButton *suggest_button;
  GtkMenuButton *quality_button;
  SaQualityPanel *quality_panel;

  SaMpState state;
  double progress;
  GSettings *settings;
};

enum
{
  PROP_0,
  PROP_MUTUAL_PROXIMITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SaTuningRow, sa_tuning_row, GTK_TYPE_WIDGET)

gboolean
sa_tuning_row_get_mutual_proximity (SaTuningRow *self)
{
  g_return_val_if_fail (SA_IS_TUNING_ROW (self), FALSE);
  return gtk_switch_get_active (self->mp_switch);
}

void
sa_tuning_row_set_mutual_proximity (SaTuningRow *self, gboolean on)
{
  g_return_if_fail (SA_IS_TUNING_ROW (self));
  gtk_switch_set_active (self->mp_switch, on);
}

SaQualityPanel *
sa_tuning_row_get_quality_panel (SaTuningRow *self)
{
  return self->quality_panel;
}

SaMpState
sa_tuning_row_get_state (SaTuningRow *self)
{
  g_return_val_if_fail (SA_IS_TUNING_ROW (self), SA_MP_STATE_OFF);
  return self->state;
}

gboolean
sa_tuning_row_focus_suggest (SaTuningRow *self)
{
  g_return_val_if_fail (SA_IS_TUNING_ROW (self), FALSE);
  return gtk_widget_grab_focus (GTK_WIDGET (self->suggest_button));
}

double
sa_tuning_row_get_progress (SaTuningRow *self)
{
  g_return_val_if_fail (SA_IS_TUNING_ROW (self), 0);
  return self->progress;
}

static void
show_progress (SaTuningRow *self)
{
  g_autofree char *percent = sa_format_percent (self->progress, 0);
  /* Translators: the moments of mutual proximity being computed; %s is a percentage */
  g_autofree char *text = g_strdup_printf (_ ("Computing… %s"), percent);

  gtk_progress_bar_set_fraction (self->mp_progress, self->progress);
  gtk_label_set_text (self->status_label, text);
}

void
sa_tuning_row_set_progress (SaTuningRow *self, double fraction)
{
  g_return_if_fail (SA_IS_TUNING_ROW (self));

  if (self->state != SA_MP_STATE_COMPUTING)
    return;
  self->progress = CLAMP (fraction, 0, 1);
  show_progress (self);
}

void
sa_tuning_row_set_state (SaTuningRow *self, SaMpState state, const char *detail)
{
  const char *text = "";

  g_return_if_fail (SA_IS_TUNING_ROW (self));

  if (state != SA_MP_STATE_COMPUTING || self->state != SA_MP_STATE_COMPUTING)
    self->progress = state == SA_MP_STATE_READY ? 1 : 0;
  self->state = state;
  switch (state)
    {
      case SA_MP_STATE_COMPUTING:
        break;
      case SA_MP_STATE_READY:
        /* Translators: mutual proximity ranks the results now */
        text = C_ ("mutual proximity", "Ready");
        break;
      case SA_MP_STATE_UNAVAILABLE:
        text = _ ("Not for cosine distance");
        break;
      case SA_MP_STATE_FAILED:
        text = _ ("Not available");
        break;
      case SA_MP_STATE_OFF:
        break;
    }
  if (state == SA_MP_STATE_COMPUTING)
    show_progress (self);
  else
    gtk_label_set_text (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), detail);
  gtk_widget_set_visible (GTK_WIDGET (self->mp_progress), state == SA_MP_STATE_COMPUTING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mp_switch), state != SA_MP_STATE_UNAVAILABLE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mp_label), state != SA_MP_STATE_UNAVAILABLE);
  gtk_widget_set_tooltip_text (
      GTK_WIDGET (self->mp_switch),
      detail ? detail
             : _ ("Rescale each distance by how typical it is for both clips: fewer clips turn "
                  "up in every list"));
}

static void
on_switch_active (SaTuningRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTUAL_PROXIMITY]);
}

static void
sa_tuning_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SaTuningRow *self = SA_TUNING_ROW (object);

  if (prop_id == PROP_MUTUAL_PROXIMITY)
    g_value_set_boolean (value, sa_tuning_row_get_mutual_proximity (self));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sa_tuning_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SaTuningRow *self = SA_TUNING_ROW (object);

  if (prop_id == PROP_MUTUAL_PROXIMITY)
    sa_tuning_row_set_mutual_proximity (self, g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sa_tuning_row_dispose (GObject *object)
{
  SaTuningRow *self = SA_TUNING_ROW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_TUNING_ROW);
  G_OBJECT_CLASS (sa_tuning_row_parent_class)->dispose (object);
}

static void
sa_tuning_row_class_init (SaTuningRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_tuning_row_dispose;
  object_class->get_property = sa_tuning_row_get_property;
  object_class->set_property = sa_tuning_row_set_property;
  properties[PROP_MUTUAL_PROXIMITY]
      = g_param_spec_boolean ("mutual-proximity", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/soundalike/Soundalike/sa-tuning-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, mp_label);
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, mp_switch);
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, mp_progress);
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, suggest_button);
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, quality_button);
  gtk_widget_class_bind_template_child (widget_class, SaTuningRow, quality_panel);
  g_type_ensure (SA_TYPE_QUALITY_PANEL);
}

static void
sa_tuning_row_init (SaTuningRow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              12);
  /* read once, written on change (as the weights panel does) */
  if (schema && g_settings_schema_has_key (schema, "mutual-proximity"))
    {
      self->settings = g_settings_new (APP_ID);
      g_settings_bind (self->settings, "mutual-proximity", self->mp_switch, "active",
                       G_SETTINGS_BIND_GET | G_SETTINGS_BIND_SET | G_SETTINGS_BIND_GET_NO_CHANGES);
    }
  g_signal_connect_swapped (self->mp_switch, "notify::active", G_CALLBACK (on_switch_active), self);
}
