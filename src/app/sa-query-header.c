/* sa-query-header.c: the query at the top of the results
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows what the window tells it (sa_query_header_set); its button runs win.play-query.
 * The properties "title", "subtitle" and "playing" mirror what it shows.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-query-header.h"

struct _SaQueryHeader
{
  GtkWidget parent_instance;

  GtkButton *play;
  GtkLabel *title;
  GtkLabel *subtitle;
  gboolean playing;
};

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_PLAYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SaQueryHeader, sa_query_header, GTK_TYPE_WIDGET)

void
sa_query_header_set (SaQueryHeader *self, const char *title, const char *subtitle, const char *path)
{
  g_return_if_fail (SA_IS_QUERY_HEADER (self));

  if (title == NULL)
    {
      gtk_label_set_label (self->title, _ ("No track selected"));
      gtk_label_set_label (
          self->subtitle,
          _ ("Select a track in the collection to find the clips that sound like it"));
    }
  else
    {
      gtk_label_set_label (self->title, title);
      gtk_label_set_label (self->subtitle, subtitle ? subtitle : "");
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), path);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle), path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
sa_query_header_get_title (SaQueryHeader *self)
{
  g_return_val_if_fail (SA_IS_QUERY_HEADER (self), NULL);
  return gtk_label_get_label (self->title);
}

void
sa_query_header_set_playing (SaQueryHeader *self, gboolean playing)
{
  g_return_if_fail (SA_IS_QUERY_HEADER (self));

  playing = !!playing;
  if (self->playing == playing)
    return;
  self->playing = playing;
  gtk_button_set_icon_name (self->play, playing ? "media-playback-pause-symbolic"
                                                : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play),
                               playing ? _ ("Pause the Query") : _ ("Play the Query"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
sa_query_header_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  SaQueryHeader *self = SA_QUERY_HEADER (object);

  switch (id)
    {
      case PROP_TITLE:
        g_value_set_string (value, sa_query_header_get_title (self));
        break;
      case PROP_PLAYING:
        g_value_set_boolean (value, self->playing);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_query_header_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
      case PROP_PLAYING:
        sa_query_header_set_playing (SA_QUERY_HEADER (object), g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_query_header_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_QUERY_HEADER);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  G_OBJECT_CLASS (sa_query_header_parent_class)->dispose (object);
}

static void
sa_query_header_class_init (SaQueryHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_query_header_dispose;
  object_class->get_property = sa_query_header_get_property;
  object_class->set_property = sa_query_header_set_property;
  properties[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING]
      = g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-query-header.ui");
  gtk_widget_class_bind_template_child (widget_class, SaQueryHeader, play);
  gtk_widget_class_bind_template_child (widget_class, SaQueryHeader, title);
  gtk_widget_class_bind_template_child (widget_class, SaQueryHeader, subtitle);
}

static void
sa_query_header_init (SaQueryHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
