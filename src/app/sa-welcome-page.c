/* sa-welcome-page.c: a status page with the three ways in (analyse, open, demo)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The buttons name window actions (win.analyze-folder, win.open, win.demo); the page knows
 * nothing of the window.  Its one property is the error of the last attempt.
 */
#include "config.h"

#include "sa-welcome-page.h"

struct _SaWelcomePage
{
  AdwBin parent_instance;

  GtkLabel *error_label;
};

enum
{
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SaWelcomePage, sa_welcome_page, ADW_TYPE_BIN)

void
sa_welcome_page_set_error (SaWelcomePage *self, const char *error)
{
  g_return_if_fail (SA_IS_WELCOME_PAGE (self));

  gtk_label_set_label (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error && *error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

const char *
sa_welcome_page_get_error (SaWelcomePage *self)
{
  g_return_val_if_fail (SA_IS_WELCOME_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

static void
sa_welcome_page_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  SaWelcomePage *self = SA_WELCOME_PAGE (object);

  switch (id)
    {
      case PROP_ERROR:
        g_value_set_string (value, sa_welcome_page_get_error (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_welcome_page_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  SaWelcomePage *self = SA_WELCOME_PAGE (object);

  switch (id)
    {
      case PROP_ERROR:
        sa_welcome_page_set_error (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_WELCOME_PAGE);
  G_OBJECT_CLASS (sa_welcome_page_parent_class)->dispose (object);
}

static void
sa_welcome_page_class_init (SaWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_welcome_page_dispose;
  object_class->get_property = sa_welcome_page_get_property;
  object_class->set_property = sa_welcome_page_set_property;
  properties[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SaWelcomePage, error_label);
}

static void
sa_welcome_page_init (SaWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
