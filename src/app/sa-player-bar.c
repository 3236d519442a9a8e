/* sa-player-bar.c: play/pause, the clip's name and position, A/B, Radio, Audition
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar watches its SaPlayer (icon, time, position) and seeks it; its buttons run window
 * actions (win.play-pause, win.compare, and the stateful win.radio and win.audition), so that
 * the keyboard shortcuts and the buttons are one thing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-player-bar.h"
#include "sa-track.h"

struct _SaPlayerBar
{
  GtkWidget parent_instance;

  GtkButton *play_button;
  GtkLabel *now_playing;
  GtkScale *position_scale;
  GtkLabel *time_label;

  SaPlayer *player;
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (SaPlayerBar, sa_player_bar, GTK_TYPE_WIDGET)

static void
update_playing (SaPlayerBar *self)
{
  gboolean playing = self->player && sa_player_get_playing (self->player);

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
}

static void
update_time (SaPlayerBar *self)
{
  double pos = sa_player_get_position (self->player);
  double dur = sa_player_get_duration (self->player);
  g_autofree char *a = sa_format_duration (pos > 0.5 ? pos : 0.001);
  g_autofree char *b = sa_format_duration (dur);
  g_autofree char *text = g_strdup_printf ("%s / %s", pos > 0.5 ? a : "0:00", *b ? b : "–:––");

  gtk_label_set_label (self->time_label, text);
  self->updating = TRUE;
  gtk_range_set_range (GTK_RANGE (self->position_scale), 0, MAX (dur, 0.001));
  gtk_range_set_value (GTK_RANGE (self->position_scale), pos);
  self->updating = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->position_scale), dur > 0);
}

static gboolean
on_position_change_value (SaPlayerBar *self, GtkScrollType scroll, double value, GtkRange *range)
{
  if (!self->updating && self->player)
    sa_player_seek (self->player, value);
  return FALSE;
}

void
sa_player_bar_set_player (SaPlayerBar *self, SaPlayer *player)
{
  g_return_if_fail (SA_IS_PLAYER_BAR (self));

  if (self->player)
    g_signal_handlers_disconnect_by_data (self->player, self);
  g_set_object (&self->player, player);
  if (player == NULL)
    return;
  g_signal_connect_swapped (player, "notify::playing", G_CALLBACK (update_playing), self);
  g_signal_connect_swapped (player, "notify::position", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (player, "notify::duration", G_CALLBACK (update_time), self);
  update_playing (self);
  update_time (self);
}

void
sa_player_bar_set_title (SaPlayerBar *self, const char *title, const char *path)
{
  g_return_if_fail (SA_IS_PLAYER_BAR (self));
  gtk_label_set_label (self->now_playing, title && *title ? title : _ ("Untitled"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->now_playing), path);
}

static void
sa_player_bar_dispose (GObject *object)
{
  SaPlayerBar *self = SA_PLAYER_BAR (object);

  sa_player_bar_set_player (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_PLAYER_BAR);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  G_OBJECT_CLASS (sa_player_bar_parent_class)->dispose (object);
}

static void
sa_player_bar_class_init (SaPlayerBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sa_player_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "playerbar");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/soundalike/Soundalike/sa-player-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SaPlayerBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, SaPlayerBar, now_playing);
  gtk_widget_class_bind_template_child (widget_class, SaPlayerBar, position_scale);
  gtk_widget_class_bind_template_child (widget_class, SaPlayerBar, time_label);
  gtk_widget_class_bind_template_callback (widget_class, on_position_change_value);
}

static void
sa_player_bar_init (SaPlayerBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
