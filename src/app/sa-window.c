/* sa-window.c: the pages, the actions, the messages, and the query
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the collection, the search, the results (a GListStore of SaResult), the
 * player and the walk (the query and its history).  Its parts are widgets of their own, each
 * with a template (see docs/design.md, "The window's widgets"); they tell the window what
 * the user did through signals and actions, and the window answers through their setters.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sa-analyzer.h"
#include "sa-audio.h"
#include "sa-collection-pane.h"
#include "sa-compare-view.h"
#include "sa-demo.h"
#include "sa-example.h"
#include "sa-histogram.h"
#include "sa-loading-page.h"
#include "sa-player-bar.h"
#include "sa-query-header.h"
#include "sa-result.h"
#include "sa-results-view.h"
#include "sa-search.h"
#include "sa-track.h"
#include "sa-walk.h"
#include "sa-weights-panel.h"
#include "sa-welcome-page.h"
#include "sa-window-private.h"
#include "sa-window.h"

#define MESSAGE_SECONDS 6

struct _SaWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  SaWelcomePage *welcome_page;
  SaLoadingPage *loading_page;
  SaCollectionPane *collection_pane;
  SaQueryHeader *query_header;
  SaWeightsPanel *weights_panel;
  SaHistogram *histogram;
  GtkStack *results_stack;
  SaResultsView *similar_clips;
  SaCompareView *compare_view;
  SaPlayerBar *player_bar;
  GtkWidget *player_separator;

  SaCollection *collection;
  SaSearch *search;
  GListStore *results;
  SaWalk *walk; /* the query, its history and the radio */
  SaPlayer *player;
  int last_heard;    /* the result auditioned last: B of A/B */
  gboolean audition; /* play each result as it is selected */
  GSettings *settings;
  GCancellable *loading;
  GCancellable *example_job;
  char *pending_audio_root;
  AdwToast *toast; /* the message shown, until it is dismissed */
};

enum
{
  PROP_0,
  PROP_AUDITION,
  PROP_RADIO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SaWindow, sa_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- messages ---- */

static void
on_toast_dismissed (AdwToast *toast, SaWindow *self)
{
  if (self->toast == toast)
    g_clear_object (&self->toast);
}

void
sa_window_show_toast (SaWindow *self, const char *text, const char *button, const char *action)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, MESSAGE_SECONDS);
  if (button)
    {
      adw_toast_set_button_label (toast, button);
      adw_toast_set_action_name (toast, action);
    }
  if (self->toast)
    adw_toast_dismiss (self->toast);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self);
  self->toast = g_object_ref (toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
sa_window_show_message (SaWindow *self, const char *text)
{
  sa_window_show_toast (self, text, NULL, NULL);
}

const char *
sa_window_get_message (SaWindow *self)
{
  return self->toast ? adw_toast_get_title (self->toast) : NULL;
}

/* The error of an attempt to open something: on the welcome page when nothing is open. */
void
sa_window_show_error (SaWindow *self, const char *text)
{
  gtk_stack_set_visible_child_name (self->stack, self->collection ? "browser" : "welcome");
  if (text == NULL)
    return;
  if (self->collection)
    sa_window_show_message (self, text);
  else
    sa_welcome_page_set_error (self->welcome_page, text);
}

/* ---- the query and its results ---- */

static gboolean
has_query (SaWindow *self)
{
  return sa_walk_has_query (self->walk);
}

static int
query_track (SaWindow *self)
{
  return sa_walk_get_track (self->walk);
}

/* The query from outside the collection, or NULL. */
static SaExample *
query_example (SaWindow *self)
{
  GObject *example = sa_walk_get_example (self->walk);
  return example ? SA_EXAMPLE (example) : NULL;
}

/* What the player's tag is while the query plays. */
static int
query_tag (SaWindow *self)
{
  return query_example (self) ? SA_EXAMPLE_TAG : query_track (self);
}

static void
update_query_header (SaWindow *self)
{
  SaExample *example = query_example (self);
  int track = query_track (self);
  g_autofree char *subtitle = NULL, *title = NULL, *path = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-query", has_query (self));
  if (!has_query (self))
    {
      sa_query_header_set (self->query_header, NULL, NULL, NULL);
      return;
    }
  if (example)
    {
      const char *artist = sa_example_get_artist (example);
      if (*artist)
        /* Translators: the query came from a file that is not in the collection */
        subtitle = g_strdup_printf (_ ("%s — not in the collection"), artist);
      sa_query_header_set (self->query_header, sa_example_get_title (example),
                           subtitle ? subtitle : _ ("A file that is not in the collection"),
                           sa_example_get_path (example));
      return;
    }
  subtitle = sa_window_track_subtitle (self->collection, (guint) track);
  title = sa_window_track_title (self->collection, (guint) track);
  path = sa_collection_resolve_audio (self->collection, (guint) track);
  sa_query_header_set (
      self->query_header, title, subtitle,
      path ? path : sa_collection_get_field (self->collection, (guint) track, SA_FIELD_PATH));
}

/* The example's features as a row of the collection, made once. */
static const float *
example_row (SaWindow *self, SaExample *example)
{
  float *row = g_object_get_data (G_OBJECT (example), "sa-row");

  if (row == NULL)
    {
      row = sa_example_make_row (example, self->collection);
      g_object_set_data_full (G_OBJECT (example), "sa-row", row, g_aligned_free);
    }
  return row;
}

static const float *
query_row (SaWindow *self)
{
  if (query_example (self))
    return example_row (self, query_example (self));
  if (query_track (self) >= 0)
    return sa_collection_get_row (self->collection, (guint) query_track (self));
  return NULL;
}

/* The heat maps: the query against the selected result, or the nearest one. */
static void
update_compare (SaWindow *self)
{
  guint pos = sa_results_view_get_selected (self->similar_clips);
  g_autoptr (SaResult) r = NULL;
  g_autofree char *name = NULL;

  if (pos == GTK_INVALID_LIST_POSITION)
    pos = 0;
  r = g_list_model_get_item (G_LIST_MODEL (self->results), pos);
  if (r)
    name = sa_window_track_title (self->collection, sa_result_get_index (r));
  sa_compare_view_set (self->compare_view, self->collection, query_row (self),
                       sa_query_header_get_title (self->query_header),
                       r ? sa_collection_get_row (self->collection, sa_result_get_index (r)) : NULL,
                       name, r ? sa_result_get_rank (r) : 0);
}

/* The re-weight path: no pass over the feature matrix, one items-changed. */
static void
rerank (SaWindow *self)
{
  double weights[SA_MAX_SETS];
  guint n, k;
  g_autofree SaHit *hits = NULL;
  int keep = sa_results_view_get_selected_track (self->similar_clips);

  if (self->search == NULL || !has_query (self))
    {
      g_list_store_remove_all (self->results);
      sa_histogram_set (self->histogram, NULL, 0, NULL, 0);
      sa_results_view_set_empty (
          self->similar_clips, _ ("No Query"),
          self->collection ? _ ("Select a track in the collection, or drop an audio file here, "
                                "to find the clips that sound like it")
                           : NULL);
      update_compare (self);
      return;
    }
  sa_weights_panel_get_weights (self->weights_panel, weights);
  k = sa_weights_panel_get_n_results (self->weights_panel);
  sa_search_set_exclude (self->search,
                         SA_EXCLUDE_SAME_FILE
                             | (sa_weights_panel_get_exclude_same (self->weights_panel)
                                    ? SA_EXCLUDE_SAME_ARTIST | SA_EXCLUDE_SAME_ALBUM
                                    : 0));
  hits = g_new (SaHit, k + 1);
  n = sa_search_rank (self->search, weights, k, hits);
  sa_window_fill_results (self->results, self->search, self->collection, weights, hits, n);
  sa_results_view_select_track (self->similar_clips, keep);
  if (n <= 1)
    sa_results_view_set_empty (self->similar_clips, _ ("No Similar Clips"),
                               sa_weights_panel_get_exclude_same (self->weights_panel)
                                   ? _ ("Every other track is by the same artist or on the same "
                                        "album: turn off “Hide the same artist and album”")
                                   : _ ("The collection has no other track"));
  else
    sa_results_view_set_empty (self->similar_clips, NULL, NULL);
  sa_window_update_histogram (self->histogram, self->search, self->collection, query_track (self),
                              weights, hits, n);
  update_compare (self);
}

static void
update_playing_marks (SaWindow *self)
{
  int tag = sa_player_get_tag (self->player);
  gboolean playing = sa_player_get_playing (self->player);

  sa_results_view_set_playing (self->similar_clips, tag, playing);
  sa_query_header_set_playing (self->query_header,
                               has_query (self) && playing && tag == query_tag (self));
}

static void
update_history_actions (SaWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", sa_walk_can_go_back (self->walk));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forward",
                                 sa_walk_can_go_forward (self->walk));
}

/* Shows the walk's current query: header, results, the collection's row. */
static void
show_query (SaWindow *self)
{
  if (query_example (self))
    sa_search_set_query_vector (self->search, query_row (self));
  else if (query_track (self) >= 0)
    sa_search_set_query (self->search, (guint) query_track (self));
  sa_results_view_select (self->similar_clips, GTK_INVALID_LIST_POSITION);
  sa_collection_pane_show_track (self->collection_pane, query_track (self));
  update_query_header (self);
  rerank (self);
  update_playing_marks (self);
  update_history_actions (self);
}

static void
set_query (SaWindow *self, int track)
{
  if (sa_walk_push (self->walk, track, NULL))
    show_query (self);
}

int
sa_window_get_query (SaWindow *self)
{
  return query_track (self);
}

void
sa_window_select_track (SaWindow *self, guint track)
{
  set_query (self, (int) track); /* selected and scrolled to in the list, if it is shown */
}

void
sa_window_set_example (SaWindow *self, SaExample *example)
{
  sa_walk_push (self->walk, -1, G_OBJECT (example));
  show_query (self);
}

SaExample *
sa_window_get_example (SaWindow *self)
{
  return query_example (self);
}

static void
on_track_selected (SaWindow *self, guint track)
{
  set_query (self, (int) track);
}

static void
on_result_selected (SaWindow *self)
{
  int track = sa_results_view_get_selected_track (self->similar_clips);

  update_compare (self);
  if (track >= 0 && self->audition && sa_player_get_tag (self->player) != track)
    sa_window_play_track (self, (guint) track, 0);
}

static void
on_result_walk (SaWindow *self, guint track)
{
  set_query (self, (int) track);
}

static void
on_result_play (SaWindow *self, guint track)
{
  /* what plays is what is selected: A/B, the heat maps and Audition follow it */
  sa_results_view_select_track (self->similar_clips, (int) track);
  if (sa_player_get_tag (self->player) == (int) track)
    sa_player_toggle (self->player);
  else
    sa_window_play_track (self, track, 0);
}

static void
on_compare_step (SaWindow *self, int delta)
{
  guint pos = sa_results_view_get_selected (self->similar_clips);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  if (pos == GTK_INVALID_LIST_POSITION)
    pos = 0;
  if ((delta < 0 && pos == 0) || (delta > 0 && pos + 1 >= n))
    return;
  sa_results_view_select (self->similar_clips, pos + delta);
}

static void
on_metric_changed (SaWindow *self)
{
  if (self->search)
    sa_search_set_metric (self->search, sa_weights_panel_get_metric (self->weights_panel));
}

static void
action_history (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (g_str_equal (name, "win.back") ? sa_walk_back (self->walk) : sa_walk_forward (self->walk))
    show_query (self);
}

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
  if ((int) track != query_track (self))
    self->last_heard = (int) track;
  sa_player_play (self->player, path, start, end, offset, (int) track);
}

/* The query, whether a track or a file from outside. */
static void
play_query (SaWindow *self, double offset)
{
  SaExample *example = query_example (self);

  if (example)
    {
      sa_player_bar_set_title (self->player_bar, sa_example_get_title (example),
                               sa_example_get_path (example));
      sa_player_play (self->player, sa_example_get_path (example), 0, 0, offset, SA_EXAMPLE_TAG);
    }
  else if (query_track (self) >= 0)
    sa_window_play_track (self, (guint) query_track (self), offset);
}

static void
action_play_query (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (sa_player_get_tag (self->player) == query_tag (self) && has_query (self))
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
  else if (has_query (self))
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

  if (!has_query (self))
    return;
  if (b < 0)
    b = sa_results_view_get_selected_track (self->similar_clips);
  if (b < 0 && g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (G_LIST_MODEL (self->results), 0);
      b = (int) sa_result_get_index (r);
    }
  if (now == query_tag (self) && b >= 0)
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

static void
set_audition (SaWindow *self, gboolean on)
{
  if (self->audition == !!on)
    return;
  self->audition = !!on;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDITION]);
  if (on)
    on_result_selected (self);
}

static void
set_radio (SaWindow *self, gboolean on)
{
  if (sa_walk_get_radio (self->walk) == !!on)
    return;
  sa_walk_set_radio (self->walk, on);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RADIO]);
  if (on && has_query (self) && !sa_player_get_playing (self->player))
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
  show_query (self);
  sa_window_play_track (self, (guint) next, 0);
}

static void
on_player_error (SaPlayer *player, const char *message, SaWindow *self)
{
  sa_window_show_message (self, message);
  update_playing_marks (self);
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

/* ---- the collection ---- */

void
sa_window_set_collection (SaWindow *self, SaCollection *collection)
{
  gboolean untagged;

  g_return_if_fail (SA_IS_COLLECTION (collection));

  sa_player_stop (self->player);
  sa_walk_clear (self->walk);
  self->last_heard = -1;
  g_clear_pointer (&self->search, sa_search_free);
  g_set_object (&self->collection, collection);
  self->search = sa_search_new (collection);
  sa_weights_panel_set_collection (self->weights_panel, collection);
  untagged = sa_window_collection_is_untagged (collection);
  sa_results_view_set_show_folder (self->similar_clips, untagged);
  sa_collection_pane_set_show_folder (self->collection_pane, untagged);
  on_metric_changed (self);
  sa_window_settle_audio_root (self->settings, collection, self->pending_audio_root);
  g_clear_pointer (&self->pending_audio_root, g_free);
  sa_collection_pane_set_collection (self->collection_pane, collection);
  g_list_store_remove_all (self->results);
  show_query (self);
  sa_welcome_page_set_error (self->welcome_page, NULL);
  gtk_stack_set_visible_child_name (self->stack, "browser");
  sa_window_remember_collection (self->settings, collection);
  sa_window_report_partial_match (self, collection);
  sa_collection_pane_focus_list (self->collection_pane);
}

SaCollection *
sa_window_get_collection (SaWindow *self)
{
  return self->collection;
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SaWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) collection = sa_collection_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  sa_loading_page_stop (self->loading_page);
  g_clear_object (&self->loading);
  if (collection == NULL)
    {
      g_clear_pointer (&self->pending_audio_root, g_free);
      sa_window_show_error (self, error->message);
      return;
    }
  sa_window_set_collection (self, collection);
}

GCancellable *
sa_window_begin_work (SaWindow *self, const char *text, double fraction, gboolean cancellable)
{
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  sa_loading_page_start (self->loading_page, text, fraction, cancellable ? self->loading : NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  return self->loading;
}

gboolean
sa_window_is_working_on (SaWindow *self, GCancellable *cancellable)
{
  return self->loading == cancellable;
}

void
sa_window_end_work (SaWindow *self)
{
  sa_loading_page_stop (self->loading_page);
  g_clear_object (&self->loading);
}

SaLoadingPage *
sa_window_get_loading_page (SaWindow *self)
{
  return self->loading_page;
}

void
sa_window_open (SaWindow *self, const char *features, const char *metadata, const char *audio_root)
{
  g_autofree char *name = g_path_get_basename (features);
  g_autofree char *text = g_strdup_printf (_ ("Loading “%s”…"), name);
  GCancellable *cancellable = sa_window_begin_work (self, text, -1, TRUE);

  g_free (self->pending_audio_root);
  self->pending_audio_root = g_strdup (audio_root);
  sa_collection_load_async (features, metadata, cancellable, on_loaded, g_object_ref (self));
}

void
sa_window_set_audio_root (SaWindow *self, const char *root)
{
  if (self->collection == NULL)
    return;
  sa_collection_set_audio_root (self->collection, root);
  sa_window_settle_audio_root (self->settings, self->collection, NULL);
  update_query_header (self);
}

gboolean
sa_window_is_busy (SaWindow *self)
{
  return self->example_job != NULL || self->loading != NULL;
}

GCancellable *
sa_window_begin_example (SaWindow *self)
{
  if (self->example_job)
    g_cancellable_cancel (self->example_job);
  g_clear_object (&self->example_job);
  self->example_job = g_cancellable_new ();
  return self->example_job;
}

void
sa_window_end_example (SaWindow *self)
{
  g_clear_object (&self->example_job);
  if (self->toast)
    adw_toast_dismiss (self->toast);
}

GListModel *
sa_window_get_results (SaWindow *self)
{
  return G_LIST_MODEL (self->results);
}

GListModel *
sa_window_get_shown_tracks (SaWindow *self)
{
  return sa_collection_pane_get_shown (self->collection_pane);
}

SaPlayer *
sa_window_get_player (SaWindow *self)
{
  return self->player;
}

/* ---- actions that only hand over to a part ---- */

static void
action_search (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  if (self->collection)
    sa_collection_pane_focus_search (self->collection_pane);
}

/* The player bar belongs to the browser: nothing to play on the other pages. */
static void
on_page_changed (SaWindow *self)
{
  gboolean browser = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "browser") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->player_bar), browser);
  gtk_widget_set_visible (self->player_separator, browser);
}

/* ---- life cycle ---- */

static gboolean
sa_window_close_request (GtkWindow *window)
{
  SaWindow *self = SA_WINDOW (window);

  if (self->settings)
    {
      int w, h;
      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_int (self->settings, "window-width", w);
      g_settings_set_int (self->settings, "window-height", h);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  sa_player_stop (self->player);
  return GTK_WINDOW_CLASS (sa_window_parent_class)->close_request (window);
}

static void
sa_window_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  SaWindow *self = SA_WINDOW (object);

  switch (id)
    {
      case PROP_AUDITION:
        g_value_set_boolean (value, self->audition);
        break;
      case PROP_RADIO:
        g_value_set_boolean (value, sa_walk_get_radio (self->walk));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_window_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  SaWindow *self = SA_WINDOW (object);

  switch (id)
    {
      case PROP_AUDITION:
        set_audition (self, g_value_get_boolean (value));
        break;
      case PROP_RADIO:
        set_radio (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_window_dispose (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->example_job)
    g_cancellable_cancel (self->example_job);
  g_clear_object (&self->example_job);
  if (self->toast)
    g_signal_handlers_disconnect_by_data (self->toast, self);
  g_clear_object (&self->toast);
  if (self->player)
    g_signal_handlers_disconnect_by_data (self->player, self);
  g_clear_object (&self->player);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_WINDOW);
  g_clear_object (&self->results);
  g_clear_object (&self->walk);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->search, sa_search_free);
  g_clear_object (&self->collection);
  G_OBJECT_CLASS (sa_window_parent_class)->dispose (object);
}

static void
sa_window_finalize (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  g_free (self->pending_audio_root);
  G_OBJECT_CLASS (sa_window_parent_class)->finalize (object);
}

static void
sa_window_class_init (SaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_window_dispose;
  object_class->finalize = sa_window_finalize;
  object_class->get_property = sa_window_get_property;
  object_class->set_property = sa_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = sa_window_close_request;
  properties[PROP_AUDITION]
      = g_param_spec_boolean ("audition", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RADIO]
      = g_param_spec_boolean ("radio", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SA_TYPE_WELCOME_PAGE);
  g_type_ensure (SA_TYPE_LOADING_PAGE);
  g_type_ensure (SA_TYPE_COLLECTION_PANE);
  g_type_ensure (SA_TYPE_QUERY_HEADER);
  g_type_ensure (SA_TYPE_WEIGHTS_PANEL);
  g_type_ensure (SA_TYPE_HISTOGRAM);
  g_type_ensure (SA_TYPE_RESULTS_VIEW);
  g_type_ensure (SA_TYPE_COMPARE_VIEW);
  g_type_ensure (SA_TYPE_PLAYER_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/soundalike/Soundalike/sa-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SaWindow, name)
  BIND (toast_overlay);
  BIND (stack);
  BIND (welcome_page);
  BIND (loading_page);
  BIND (collection_pane);
  BIND (query_header);
  BIND (weights_panel);
  BIND (histogram);
  BIND (results_stack);
  BIND (similar_clips);
  BIND (compare_view);
  BIND (player_bar);
  BIND (player_separator);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_track_selected);
  gtk_widget_class_bind_template_callback (widget_class, rerank);
  gtk_widget_class_bind_template_callback (widget_class, on_metric_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_result_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_result_walk);
  gtk_widget_class_bind_template_callback (widget_class, on_result_play);
  gtk_widget_class_bind_template_callback (widget_class, on_compare_step);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, action_history);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, action_history);
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, action_play_pause);
  gtk_widget_class_install_action (widget_class, "win.play-query", NULL, action_play_query);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, action_compare);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_property_action (widget_class, "win.audition", "audition");
  gtk_widget_class_install_property_action (widget_class, "win.radio", "radio");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.compare",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.audition",
                                       NULL);
  sa_window_class_add_file_actions (widget_class);
}

static void
sa_window_init (SaWindow *self)
{
  GtkEventController *keys;

  self->walk = sa_walk_new (); /* before the template: the Radio toggle reads its state */
  gtk_widget_init_template (GTK_WIDGET (self));
  sa_window_load_css (GTK_WIDGET (self));
  self->last_heard = -1;
  self->results = g_list_store_new (SA_TYPE_RESULT);
  sa_results_view_set_model (self->similar_clips, G_LIST_MODEL (self->results));

  self->player = sa_player_new ();
  sa_player_bar_set_player (self->player_bar, self->player);
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);
  g_signal_connect (self->player, "warning", G_CALLBACK (on_player_error), self);
  g_signal_connect (self->player, "eos", G_CALLBACK (on_player_eos), self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (update_playing_marks),
                            self);
  g_signal_connect_swapped (self->player, "notify::tag", G_CALLBACK (update_playing_marks), self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  sa_window_add_drop_target (self);
  self->settings = sa_window_open_settings (GTK_WINDOW (self));
  gtk_stack_set_visible_child_name (self->stack, "welcome");
  on_page_changed (self);
  show_query (self);
}

SaWindow *
sa_window_new (GtkApplication *app)
{
  return g_object_new (SA_TYPE_WINDOW, "application", app, NULL);
}
