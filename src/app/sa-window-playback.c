/* sa-window-playback.c: what the window plays: the query, the results, A/B, Audition, Radio
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The player (an SaPlayer, src/audio) is the window's; the player bar shows it.  A clip's tag is
 * its track, or SA_EXAMPLE_TAG for a query from outside the collection.  B of A/B is the result
 * heard last; the radio is SaWalk's (src/core).  Space plays and pauses everywhere but in text.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-player-bar.h"
#include "sa-query-header.h"
#include "sa-result.h"
#include "sa-results-view.h"
#include "sa-window-private.h"

/* ---- playback ---- */

void
sa_window_play_track (SaWindow *self, guint track, double offset)
{
  g_autofree char *path = NULL, *title = NULL;
  double start = 0, end = 0;

  g_return_if_fail (self->collection && track < sa_collection_get_n_tracks (self->collection));
  title = sa_window_track_title (self->collection, track);
  path = sa_collection_resolve_audio (self->collection, track);
  if (path == NULL)
    {
      g_autofree char *text = NULL;
      if (sa_collection_get_audio_root (self->collection) == NULL)
        text = g_strdup_printf (_ ("The audio of “%s” is not on this computer"), title);
      else
        text = g_strdup_printf (_ ("The audio of “%s” is not in the audio folder"), title);
      /* Translators: the button of the message that a clip's audio is missing */
      sa_window_show_toast (self, text, _ ("Choose _Folder…"), "win.audio-folder");
      return;
    }
  sa_collection_get_clip_bounds (self->collection, track, &start, &end);
  sa_player_bar_set_title (self->player_bar, title, path);
  sa_walk_mark_played (self->walk, track);
  if ((int) track != sa_window_query_track (self))
    self->last_heard = (int) track;
  sa_player_play (self->player, path, start, end, offset, (int) track);
}

/* The query, whether a track or a file from outside. */
static void
play_query (SaWindow *self, double offset)
{
  SaExample *example = sa_window_get_example (self);

  if (example)
    {
      sa_player_bar_set_title (self->player_bar, sa_example_get_title (example),
                               sa_example_get_path (example));
      sa_player_play (self->player, sa_example_get_path (example), 0, 0, offset, SA_EXAMPLE_TAG);
    }
  else if (sa_window_query_track (self) >= 0)
    sa_window_play_track (self, (guint) sa_window_query_track (self), offset);
}

static void
action_play_query (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (sa_player_get_tag (self->player) == sa_window_query_tag (self) && sa_window_has_query (self))
    sa_player_toggle (self->player);
  else
    play_query (self, 0);
}

static void
action_play_pause (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  int selected = sa_results_view_get_selected_track (self->similar_clips);

  if (sa_player_get_tag (self->player) >= 0 || sa_player_get_path (self->player))
    sa_player_toggle (self->player);
  else if (selected >= 0)
    sa_window_play_track (self, (guint) selected, 0);
  else if (sa_window_has_query (self))
    play_query (self, 0);
}

/* A/B: the query and the result heard last (else the selected one, else the nearest), at
 * the same position. */
static void
action_compare (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  int b = self->last_heard, now = sa_player_get_tag (self->player);
  double pos = sa_player_get_position (self->player);

  if (!sa_window_has_query (self))
    return;
  if (b < 0)
    b = sa_results_view_get_selected_track (self->similar_clips);
  if (b < 0 && g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (G_LIST_MODEL (self->results), 0);
      b = (int) sa_result_get_index (r);
    }
  if (now == sa_window_query_tag (self) && b >= 0)
    {
      sa_results_view_select_track (self->similar_clips, b);
      sa_window_play_track (self, (guint) b, pos);
    }
  else
    play_query (self, now >= 0 ? pos : 0);
}

int
sa_window_get_last_heard (SaWindow *self)
{
  return self->last_heard;
}

void
sa_window_set_audition (SaWindow *self, gboolean on)
{
  if (self->audition == !!on)
    return;
  self->audition = !!on;
  g_object_notify (G_OBJECT (self), "audition");
  if (on)
    sa_window_audition (self, sa_results_view_get_selected_track (self->similar_clips));
}

void
sa_window_set_radio (SaWindow *self, gboolean on)
{
  if (sa_walk_get_radio (self->walk) == !!on)
    return;
  sa_walk_set_radio (self->walk, on);
  g_object_notify (G_OBJECT (self), "radio");
  if (on && sa_window_has_query (self) && !sa_player_get_playing (self->player))
    play_query (self, 0);
}

/* When a clip ends, the radio walks on to the nearest result not yet played. */
static void
on_player_eos (SaPlayer *player, SaWindow *self)
{
  int next;

  if (!sa_walk_get_radio (self->walk))
    return;
  next = sa_walk_radio_advance (self->walk, G_LIST_MODEL (self->results));
  if (next < 0)
    {
      sa_window_show_message (self, _ ("The radio has played every neighbour of this clip"));
      return;
    }
  sa_window_show_query (self);
  sa_window_play_track (self, (guint) next, 0);
}

static void
on_player_error (SaPlayer *player, const char *message, SaWindow *self)
{
  sa_window_show_message (self, message);
  sa_window_update_playing_marks (self);
}

/* Space plays and pauses everywhere, except where it types a space. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, SaWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (keyval != GDK_KEY_space || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)))
    return FALSE;
  if (focus
      && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus)
          || gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER)))
    return FALSE;
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "browser"))
    return FALSE; /* nothing to play: Space presses the focused button */
  action_play_pause (GTK_WIDGET (self), NULL, NULL);
  return TRUE;
}

void
sa_window_on_result_play (SaWindow *self, guint track)
{
  /* what plays is what is selected: A/B, the heat maps and Audition follow it */
  sa_results_view_select_track (self->similar_clips, (int) track);
  if (sa_player_get_tag (self->player) == (int) track)
    sa_player_toggle (self->player);
  else
    sa_window_play_track (self, track, 0);
}

/* Audition: the selected result plays as soon as it is selected. */
void
sa_window_audition (SaWindow *self, int track)
{
  if (track >= 0 && self->audition && sa_player_get_tag (self->player) != track)
    sa_window_play_track (self, (guint) track, 0);
}

void
sa_window_class_add_playback_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, action_play_pause);
  gtk_widget_class_install_action (widget_class, "win.play-query", NULL, action_play_query);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, action_compare);
  gtk_widget_class_install_property_action (widget_class, "win.audition", "audition");
  gtk_widget_class_install_property_action (widget_class, "win.radio", "radio");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.compare",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.audition",
                                       NULL);
}

void
sa_window_init_playback (SaWindow *self)
{
  GtkEventController *keys;

  self->player = sa_player_new ();
  sa_player_bar_set_player (self->player_bar, self->player);
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);
  g_signal_connect (self->player, "warning", G_CALLBACK (on_player_error), self);
  g_signal_connect (self->player, "eos", G_CALLBACK (on_player_eos), self);
  g_signal_connect_swapped (self->player, "notify::playing",
                            G_CALLBACK (sa_window_update_playing_marks), self);
  g_signal_connect_swapped (self->player, "notify::tag",
                            G_CALLBACK (sa_window_update_playing_marks), self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
