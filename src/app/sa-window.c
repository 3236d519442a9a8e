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

static void
add_toast (SaWindow *self, AdwToast *toast)
{
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self);
  g_set_object (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
sa_window_show_message_after (SaWindow *self, const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, MESSAGE_SECONDS);
  add_toast (self, toast); /* the overlay shows it when the one before is gone */
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
  add_toast (self, toast);
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

gboolean
sa_window_has_query (SaWindow *self)
{
  return sa_walk_has_query (self->walk);
}

int
sa_window_query_track (SaWindow *self)
{
  return sa_walk_get_track (self->walk);
}

/* The query from outside the collection, or NULL. */
SaExample *
sa_window_get_example (SaWindow *self)
{
  GObject *example = sa_walk_get_example (self->walk);
  return example ? SA_EXAMPLE (example) : NULL;
}

/* What the player's tag is while the query plays. */
int
sa_window_query_tag (SaWindow *self)
{
  return sa_window_get_example (self) ? SA_EXAMPLE_TAG : sa_window_query_track (self);
}

/* The re-weight path: no pass over the feature matrix, one items-changed. */
static void
rerank (SaWindow *self)
{
  sa_window_rerank (self);
}

void
sa_window_rerank (SaWindow *self)
{
  double weights[SA_MAX_SETS];
  guint n, k;
  g_autofree SaHit *hits = NULL;
  int keep = sa_results_view_get_selected_track (self->similar_clips);

  sa_window_update_quality_panel (self);
  if (self->search == NULL || !sa_window_has_query (self))
    {
      g_list_store_remove_all (self->results);
      sa_histogram_set (self->histogram, NULL, 0, NULL, 0);
      sa_results_view_set_empty (
          self->similar_clips, _ ("No Query"),
          self->collection ? _ ("Select a track in the collection, or drop an audio file here, "
                                "to find the clips that sound like it")
                           : NULL);
      sa_window_update_compare (self);
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
  sa_window_update_histogram (self->histogram, self->search, self->collection,
                              sa_window_query_track (self), weights, hits, n);
  sa_window_show_marks (self);
  sa_window_update_compare (self);
}

void
sa_window_update_playing_marks (SaWindow *self)
{
  int tag = sa_player_get_tag (self->player);
  gboolean playing = sa_player_get_playing (self->player);

  sa_results_view_set_playing (self->similar_clips, tag, playing);
  sa_query_header_set_playing (self->query_header, sa_window_has_query (self) && playing
                                                       && tag == sa_window_query_tag (self));
}

static void
update_history_actions (SaWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", sa_walk_can_go_back (self->walk));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forward",
                                 sa_walk_can_go_forward (self->walk));
}

/* Shows the walk's current query: header, results, the collection's row. */
void
sa_window_show_query (SaWindow *self)
{
  if (sa_window_get_example (self))
    sa_search_set_query_vector (self->search, sa_window_query_row (self));
  else if (sa_window_query_track (self) >= 0)
    sa_search_set_query (self->search, (guint) sa_window_query_track (self));
  sa_results_view_select (self->similar_clips, GTK_INVALID_LIST_POSITION);
  sa_collection_pane_show_track (self->collection_pane, sa_window_query_track (self));
  sa_window_update_query_header (self);
  rerank (self);
  sa_window_update_playing_marks (self);
  update_history_actions (self);
}

void
sa_window_set_query (SaWindow *self, int track)
{
  if (sa_walk_push (self->walk, track, NULL))
    sa_window_show_query (self);
}

int
sa_window_get_query (SaWindow *self)
{
  return sa_window_query_track (self);
}

void
sa_window_select_track (SaWindow *self, guint track)
{
  sa_window_set_query (self,
                       (int) track); /* selected and scrolled to in the list, if it is shown */
}

void
sa_window_set_example (SaWindow *self, SaExample *example)
{
  sa_walk_push (self->walk, -1, G_OBJECT (example));
  sa_window_show_query (self);
}

static void
on_track_selected (SaWindow *self, guint track)
{
  sa_window_set_query (self, (int) track);
}

void
sa_window_on_result_selected (SaWindow *self)
{
  int track = sa_results_view_get_selected_track (self->similar_clips);

  sa_window_update_compare (self);
  sa_window_audition (self, track);
}

static void
on_result_walk (SaWindow *self, guint track)
{
  sa_window_set_query (self, (int) track);
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
  sa_window_update_mutual_proximity (self);
}

static void
action_history (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (g_str_equal (name, "win.back") ? sa_walk_back (self->walk) : sa_walk_forward (self->walk))
    sa_window_show_query (self);
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
  sa_window_quality_set_collection (self);
  untagged = sa_window_collection_is_untagged (collection);
  sa_results_view_set_show_folder (self->similar_clips, untagged);
  sa_collection_pane_set_show_folder (self->collection_pane, untagged);
  on_metric_changed (self);
  sa_window_settle_audio_root (self->settings, collection, self->pending_audio_root);
  g_clear_pointer (&self->pending_audio_root, g_free);
  sa_collection_pane_set_collection (self->collection_pane, collection);
  g_list_store_remove_all (self->results);
  sa_window_show_query (self);
  sa_welcome_page_set_error (self->welcome_page, NULL);
  gtk_stack_set_visible_child_name (self->stack, "browser");
  sa_window_remember_collection (self->settings, collection);
  sa_window_report_partial_match (self, collection);
  sa_window_quality_restore (self);
  sa_collection_pane_focus_list (self->collection_pane);
}

SaCollection *
sa_window_get_collection (SaWindow *self)
{
  return self->collection;
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

gboolean
sa_window_is_busy (SaWindow *self)
{
  return self->example_job != NULL || self->loading != NULL;
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
        sa_window_set_audition (self, g_value_get_boolean (value));
        break;
      case PROP_RADIO:
        sa_window_set_radio (self, g_value_get_boolean (value));
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
  /* the tuning action holds the revealer, which the settings are bound to */
  if (self->tuning_revealer)
    g_settings_unbind (self->tuning_revealer, "reveal-child");
  g_action_map_remove_action (G_ACTION_MAP (self), "show-tuning");
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_WINDOW);
  g_clear_object (&self->results);
  g_clear_object (&self->walk);
  g_clear_object (&self->settings);
  sa_window_quality_dispose (self);
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
  BIND (tuning_revealer);
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
  gtk_widget_class_bind_template_callback_full (widget_class, "on_result_selected",
                                                G_CALLBACK (sa_window_on_result_selected));
  gtk_widget_class_bind_template_callback (widget_class, on_result_walk);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_result_play",
                                                G_CALLBACK (sa_window_on_result_play));
  gtk_widget_class_bind_template_callback (widget_class, on_compare_step);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, action_history);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, action_history);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  sa_window_class_add_file_actions (widget_class);
  sa_window_class_add_playback_actions (widget_class);
  sa_window_class_add_quality_actions (widget_class);
}

static void
sa_window_init (SaWindow *self)
{
  self->walk = sa_walk_new (); /* before the template: the Radio toggle reads its state */
  gtk_widget_init_template (GTK_WIDGET (self));
  sa_window_load_css (GTK_WIDGET (self));
  self->last_heard = -1;
  self->results = g_list_store_new (SA_TYPE_RESULT);
  sa_results_view_set_model (self->similar_clips, G_LIST_MODEL (self->results));

  sa_window_init_playback (self);
  sa_window_init_quality (self);
  sa_window_add_drop_target (self);
  self->settings = sa_window_open_settings (GTK_WINDOW (self));
  {
    /* win.show-tuning (Ctrl+T): the weights and options shown or hidden, as last time */
    g_autoptr (GPropertyAction) tuning
        = g_property_action_new ("show-tuning", self->tuning_revealer, "reveal-child");
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (tuning));
    if (sa_window_settings_has_key (self->settings, "show-tuning"))
      g_settings_bind (self->settings, "show-tuning", self->tuning_revealer, "reveal-child",
                       G_SETTINGS_BIND_DEFAULT);
  }
  gtk_stack_set_visible_child_name (self->stack, "welcome");
  on_page_changed (self);
  sa_window_show_query (self);
}

SaWindow *
sa_window_new (GtkApplication *app)
{
  return g_object_new (SA_TYPE_WINDOW, "application", app, NULL);
}
