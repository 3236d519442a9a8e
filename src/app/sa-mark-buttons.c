/* sa-mark-buttons.c: thumbs for a result row
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two toggle buttons that show the result's mark; a click asks the window (win.mark,
 * "(uu)": the result's track and the new SaMarkKind, 0 to remove it) and the window sets
 * the mark on the result, which the buttons follow.  Not focusable: the keyboard marks the
 * selected result with + and - (win.mark-good, win.mark-bad).
 */
#include "config.h"

#include "sa-mark-buttons.h"
#include "sa-marks.h"
#include "sa-result.h"

struct _SaMarkButtons
{
  GtkWidget parent_instance;

  GtkToggleButton *good_button;
  GtkToggleButton *bad_button;

  SaResult *result;
  gulong notify_id;
};

enum
{
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SaMarkButtons, sa_mark_buttons, GTK_TYPE_WIDGET)

static void
sync_buttons (SaMarkButtons *self)
{
  int mark = self->result ? sa_result_get_mark (self->result) : SA_MARK_NONE;

  gtk_toggle_button_set_active (self->good_button, mark == SA_MARK_GOOD);
  gtk_toggle_button_set_active (self->bad_button, mark == SA_MARK_BAD);
}

static void
ask (SaMarkButtons *self, SaMarkKind kind)
{
  int mark;

  if (self->result == NULL)
    return;
  mark = sa_result_get_mark (self->result);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.mark", "(uu)",
                              sa_result_get_index (self->result),
                              mark == (int) kind ? SA_MARK_NONE : kind);
  sync_buttons (self); /* the window's answer, or back as it was when it refused */
}

static void
on_good_clicked (SaMarkButtons *self)
{
  ask (self, SA_MARK_GOOD);
}

static void
on_bad_clicked (SaMarkButtons *self)
{
  ask (self, SA_MARK_BAD);
}

static void
set_result (SaMarkButtons *self, SaResult *result)
{
  if (self->result == result)
    return;
  if (self->result)
    g_clear_signal_handler (&self->notify_id, self->result);
  g_set_object (&self->result, result);
  if (result)
    self->notify_id
        = g_signal_connect_swapped (result, "notify::mark", G_CALLBACK (sync_buttons), self);
  sync_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

static void
sa_mark_buttons_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_RESULT)
    g_value_set_object (value, SA_MARK_BUTTONS (object)->result);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sa_mark_buttons_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  if (prop_id == PROP_RESULT)
    {
      GObject *o = g_value_get_object (value);
      set_result (SA_MARK_BUTTONS (object), SA_IS_RESULT (o) ? SA_RESULT (o) : NULL);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sa_mark_buttons_dispose (GObject *object)
{
  set_result (SA_MARK_BUTTONS (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_MARK_BUTTONS);
  G_OBJECT_CLASS (sa_mark_buttons_parent_class)->dispose (object);
}

static void
sa_mark_buttons_class_init (SaMarkButtonsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_mark_buttons_dispose;
  object_class->get_property = sa_mark_buttons_get_property;
  object_class->set_property = sa_mark_buttons_set_property;
  /* a plain GObject: list item bindings hand over the item as one */
  properties[PROP_RESULT]
      = g_param_spec_object ("result", NULL, NULL, G_TYPE_OBJECT,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-mark-buttons.ui");
  gtk_widget_class_bind_template_child (widget_class, SaMarkButtons, good_button);
  gtk_widget_class_bind_template_child (widget_class, SaMarkButtons, bad_button);
  gtk_widget_class_bind_template_callback (widget_class, on_good_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_bad_clicked);
}

static void
sa_mark_buttons_init (SaMarkButtons *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
