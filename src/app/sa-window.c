/* sa-window.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sa-analyzer.h"
#include "sa-audio.h"
#include "sa-contribution-bar.h"
#include "sa-demo.h"
#include "sa-feature-map.h"
#include "sa-histogram.h"
#include "sa-m3u.h"
#include "sa-open-dialog.h"
#include "sa-result.h"
#include "sa-search.h"
#include "sa-track.h"
#include "sa-window.h"

#define MESSAGE_SECONDS 6
#define EXAMPLE_TAG     G_MAXINT /* the player's tag for a query from outside the collection */

/* A query: a track of the collection, or a file analysed for query by example. */
typedef struct
{
  int track; /* -1 for an example */
  char *path;
  char *title;
  char *artist;
  float *row; /* the example's padded feature row */
} Query;

static void
query_clear (Query *q)
{
  g_free (q->path);
  g_free (q->title);
  g_free (q->artist);
  g_aligned_free (q->row);
  memset (q, 0, sizeof *q);
  q->track = -1;
}

static void
query_copy (Query *dst, const Query *src, guint stride)
{
  dst->track = src->track;
  dst->path = g_strdup (src->path);
  dst->title = g_strdup (src->title);
  dst->artist = g_strdup (src->artist);
  dst->row = NULL;
  if (src->row)
    {
      dst->row = g_aligned_alloc (stride, sizeof (float), 64);
      memcpy (dst->row, src->row, stride * sizeof (float));
    }
}

struct _SaWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  GtkStack *stack;
  GtkLabel *welcome_error;
  GtkBox *welcome_buttons;
  GtkSpinner *spinner;
  GtkLabel *loading_label;
  GtkProgressBar *loading_progress;
  GtkButton *loading_cancel;
  GtkBox *histogram_box;
  GtkStack *results_stack;
  GtkLabel *compare_hint;
  SaFeatureMap *rp_map;
  SaFeatureMap *ssd_map;
  GtkToggleButton *radio_button;
  GtkPaned *paned;
  GtkSearchEntry *search_entry;
  GtkColumnView *collection_view;
  GtkLabel *count_label;
  GtkButton *query_play;
  GtkLabel *query_title;
  GtkLabel *query_subtitle;
  GtkScale *rp_scale;
  GtkScale *ssd_scale;
  GtkDropDown *metric_dropdown;
  GtkSpinButton *results_spin;
  GtkSwitch *exclude_switch;
  GtkLabel *results_label;
  GtkColumnView *results_view;
  GtkButton *play_button;
  GtkLabel *now_playing;
  GtkScale *position_scale;
  GtkLabel *time_label;
  GtkButton *ab_button;
  GtkToggleButton *audition_button;
  GtkWidget *player_bar;
  GtkWidget *player_separator;
  AdwToastOverlay *toast_overlay;

  /* the collection and its views */
  SaCollection *collection;
  SaSearch *search;
  int rp_set, ssd_set;
  GtkSortListModel *sort_model;
  GtkFilterListModel *filter_model;
  GtkCustomFilter *filter;
  GtkSingleSelection *collection_selection;
  char *needle; /* casefolded search text */
  int query;    /* == current.track */
  Query current;
  GArray *history; /* Query */
  guint history_pos;
  GHashTable *walk_played; /* tracks played in this radio walk */
  GtkWidget *histogram;
  GCancellable *example_job;
  GPtrArray *failures;

  GListStore *results;
  GtkSingleSelection *results_selection;
  GPtrArray *row_buttons; /* the bound play buttons of result rows */

  SaPlayer *player;
  gboolean updating_position;
  GSettings *settings;
  GCancellable *loading;
  char *pending_audio_root;
  AdwToast *toast; /* the message shown, until it is dismissed */
  guint scroll_idle;   /* scrolls the collection to its selected row */
  guint scroll_tick;   /* waits for the collection to be laid out before that */
  guint *row_of_track; /* a track's row in the sorted, filtered list; built when first needed */
};

G_DEFINE_FINAL_TYPE (SaWindow, sa_window, ADW_TYPE_APPLICATION_WINDOW)

static void rerank (SaWindow *self);

/* ---- messages ---- */

static void
on_toast_dismissed (AdwToast *toast, SaWindow *self)
{
  if (self->toast == toast)
    g_clear_object (&self->toast);
}

static void
hide_message (SaWindow *self)
{
  if (self->toast)
    adw_toast_dismiss (self->toast);
}

/* A transient message; @button_label and @action add a button to it (NULL: none). */
static void
show_toast (SaWindow *self, const char *text, const char *button_label, const char *action)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, MESSAGE_SECONDS);
  if (button_label)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action);
    }
  hide_message (self);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self);
  self->toast = g_object_ref (toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
sa_window_show_message (SaWindow *self, const char *text)
{
  show_toast (self, text, NULL, NULL);
}

const char *
sa_window_get_message (SaWindow *self)
{
  return self->toast ? adw_toast_get_title (self->toast) : NULL;
}

/* ---- columns ---- */

typedef char *(*TextFunc) (gpointer item);

static void
setup_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_inscription_new (NULL);
  gtk_inscription_set_xalign (
      GTK_INSCRIPTION (label),
      GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "xalign")) ? 1.0 : 0.0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 3);
  /* one line: centred, the label gets its natural height even in a taller row */
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (label), 1);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, label);
}

static void
bind_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  TextFunc fn = user_data;
  g_autofree char *text = fn (gtk_list_item_get_item (item));
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static GtkColumnViewColumn *
add_column (GtkColumnView *view, const char *title, TextFunc fn, gboolean right, gboolean expand,
            GtkSorter *sorter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "xalign", GINT_TO_POINTER (right));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_text), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text), fn);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (sorter)
    gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  g_clear_object (&sorter);
  return column;
}

static char *
text_or_unknown (const char *text, const char *unknown)
{
  return g_strdup (text && *text ? text : unknown);
}

static char *
track_artist (gpointer item)
{
  return text_or_unknown (sa_track_get_artist (item), _ ("Unknown artist"));
}

static char *
track_title (gpointer item)
{
  return g_strdup (sa_track_get_title (item));
}

static char *
track_album (gpointer item)
{
  return g_strdup (sa_track_get_album (item));
}

static char *
track_length (gpointer item)
{
  return sa_format_duration (sa_track_get_duration (item));
}

static char *
result_rank (gpointer item)
{
  return g_strdup_printf ("%u", sa_result_get_rank (item));
}

static char *
result_artist (gpointer item)
{
  return track_artist (sa_result_get_track (item));
}

static char *
result_title (gpointer item)
{
  return track_title (sa_result_get_track (item));
}

static char *
result_album (gpointer item)
{
  return track_album (sa_result_get_track (item));
}

static char *
result_distance (gpointer item)
{
  return g_strdup_printf ("%.4f", sa_result_get_distance (item));
}

static GtkSorter *
string_sorter (const char *property)
{
  return GTK_SORTER (
      gtk_string_sorter_new (gtk_property_expression_new (SA_TYPE_TRACK, NULL, property)));
}

/* the play button of a result row */

static void
update_row_button (SaWindow *self, GtkButton *button)
{
  int track = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "track")) - 1;
  gboolean playing = track >= 0 && sa_player_get_tag (self->player) == track
                     && sa_player_get_playing (self->player);

  gtk_button_set_icon_name (button, playing ? "media-playback-pause-symbolic"
                                            : "media-playback-start-symbolic");
  if (playing)
    gtk_widget_add_css_class (GTK_WIDGET (button), "playing-row-icon");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), "playing-row-icon");
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), playing ? _ ("Pause") : _ ("Play This Clip"));
}

static void
update_playing_marks (SaWindow *self)
{
  int qt = self->current.row ? EXAMPLE_TAG : self->query;
  gboolean query_playing
      = qt != -1 && sa_player_get_tag (self->player) == qt && sa_player_get_playing (self->player);

  for (guint i = 0; i < self->row_buttons->len; i++)
    update_row_button (self, g_ptr_array_index (self->row_buttons, i));
  gtk_button_set_icon_name (self->query_play, query_playing ? "media-playback-pause-symbolic"
                                                            : "media-playback-start-symbolic");
  gtk_button_set_icon_name (self->play_button, sa_player_get_playing (self->player)
                                                   ? "media-playback-pause-symbolic"
                                                   : "media-playback-start-symbolic");
}

static void
play_or_toggle (SaWindow *self, int track)
{
  if (track < 0)
    return;
  if (sa_player_get_tag (self->player) == track)
    sa_player_toggle (self->player);
  else
    sa_window_play_track (self, (guint) track, 0);
}

static void
on_row_play_clicked (GtkButton *button, SaWindow *self)
{
  play_or_toggle (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "track")) - 1);
}

static void
setup_play (GtkSignalListItemFactory *factory, GtkListItem *item, SaWindow *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "row-play");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Play this clip"), -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_row_play_clicked), self);
  gtk_list_item_set_child (item, button);
}

static void
bind_play (GtkSignalListItemFactory *factory, GtkListItem *item, SaWindow *self)
{
  GtkButton *button = GTK_BUTTON (gtk_list_item_get_child (item));
  SaResult *result = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (button), "track",
                     GINT_TO_POINTER (sa_result_get_index (result) + 1));
  g_ptr_array_add (self->row_buttons, button);
  update_row_button (self, button);
}

static void
unbind_play (GtkSignalListItemFactory *factory, GtkListItem *item, SaWindow *self)
{
  g_ptr_array_remove_fast (self->row_buttons, gtk_list_item_get_child (item));
}

static void
setup_share (GtkSignalListItemFactory *factory, GtkListItem *item, SaWindow *self)
{
  GtkWidget *bar = sa_contribution_bar_new ();
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_list_item_set_child (item, bar);
}

static void
bind_share (GtkSignalListItemFactory *factory, GtkListItem *item, SaWindow *self)
{
  SaResult *r = gtk_list_item_get_item (item);
  double rhythm = self->rp_set >= 0 ? sa_result_get_part (r, (guint) self->rp_set) : 0;
  sa_contribution_bar_set_share (SA_CONTRIBUTION_BAR (gtk_list_item_get_child (item)), rhythm);
}

static void
build_columns (SaWindow *self)
{
  GtkListItemFactory *factory;
  GtkColumnViewColumn *column;
  GtkSorter *length_sorter = GTK_SORTER (
      gtk_numeric_sorter_new (gtk_property_expression_new (SA_TYPE_TRACK, NULL, "duration")));

  add_column (self->collection_view, _ ("Artist"), track_artist, FALSE, TRUE,
              string_sorter ("artist"));
  add_column (self->collection_view, _ ("Title"), track_title, FALSE, TRUE,
              string_sorter ("title"));
  add_column (self->collection_view, _ ("Album"), track_album, FALSE, TRUE,
              string_sorter ("album"));
  add_column (self->collection_view, _ ("Length"), track_length, TRUE, FALSE, length_sorter);

  /* Translators: the column of result ranks */
  add_column (self->results_view, C_ ("rank", "#"), result_rank, TRUE, FALSE, NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_play), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_play), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_play), self);
  column = gtk_column_view_column_new (NULL, factory);
  gtk_column_view_append_column (self->results_view, column);
  g_object_unref (column);
  add_column (self->results_view, _ ("Artist"), result_artist, FALSE, TRUE, NULL);
  add_column (self->results_view, _ ("Title"), result_title, FALSE, TRUE, NULL);
  add_column (self->results_view, _ ("Album"), result_album, FALSE, TRUE, NULL);
  add_column (self->results_view, _ ("Distance"), result_distance, TRUE, FALSE, NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_share), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_share), self);
  /* Translators: the column showing how much rhythm and timbre make each distance */
  column = gtk_column_view_column_new (_ ("Rhythm · Timbre"), factory);
  gtk_column_view_append_column (self->results_view, column);
  g_object_unref (column);
}

/* ---- search ---- */

static gboolean
filter_track (gpointer item, gpointer user_data)
{
  SaWindow *self = user_data;
  return sa_collection_track_matches (self->collection, sa_track_get_index (item), self->needle);
}

static void
on_shown_tracks_changed (SaWindow *self)
{
  g_clear_pointer (&self->row_of_track, g_free); /* sorted or filtered anew */
}

static void
update_count (SaWindow *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint all = self->collection ? sa_collection_get_n_tracks (self->collection) : 0;
  g_autofree char *text = NULL;

  if (shown == all)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u track", "%u tracks", all), all);
  else
    /* Translators: "12 of 6,380 tracks" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u track", "%u of %u tracks", all),
                            shown, all);
  gtk_label_set_label (self->count_label, text);
}

static void
on_search_changed (SaWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_strstrip (needle);
  if (self->needle && strstr (needle, self->needle))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->needle && strstr (self->needle, needle))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_count (self);
}

/* ---- the query and its results ---- */

static gboolean
has_query (SaWindow *self)
{
  return self->query >= 0 || self->current.row != NULL;
}

static void
update_query_header (SaWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *artist, *album;

  gtk_widget_set_sensitive (GTK_WIDGET (self->query_play), has_query (self));
  if (self->current.row)
    {
      gtk_label_set_label (self->query_title, self->current.title);
      if (self->current.artist && *self->current.artist)
        /* Translators: the query came from a file that is not in the collection */
        subtitle = g_strdup_printf (_ ("%s — not in the collection"), self->current.artist);
      else
        subtitle = g_strdup (_ ("A file that is not in the collection"));
      gtk_label_set_label (self->query_subtitle, subtitle);
      return;
    }
  if (self->query < 0)
    {
      gtk_label_set_label (self->query_title, _ ("No track selected"));
      gtk_label_set_label (
          self->query_subtitle,
          _ ("Select a track in the collection to find the clips that sound like it"));
      return;
    }
  artist = sa_collection_get_field (self->collection, self->query, SA_FIELD_ARTIST);
  album = sa_collection_get_field (self->collection, self->query, SA_FIELD_ALBUM);
  gtk_label_set_label (self->query_title,
                       sa_collection_get_field (self->collection, self->query, SA_FIELD_TITLE));
  if (*album)
    /* Translators: artist — album */
    subtitle = g_strdup_printf (_ ("%s — %s"), *artist ? artist : _ ("Unknown artist"), album);
  else
    subtitle = g_strdup (*artist ? artist : _ ("Unknown artist"));
  gtk_label_set_label (self->query_subtitle, subtitle);
}

static void
current_weights (SaWindow *self, double *weights)
{
  sa_search_default_weights (self->collection, weights);
  if (self->rp_set >= 0)
    weights[self->rp_set] = gtk_range_get_value (GTK_RANGE (self->rp_scale));
  if (self->ssd_set >= 0)
    weights[self->ssd_set] = gtk_range_get_value (GTK_RANGE (self->ssd_scale));
}

static int
selected_result_track (SaWindow *self)
{
  SaResult *r = gtk_single_selection_get_selected_item (self->results_selection);
  return r ? (int) sa_result_get_index (r) : -1;
}

static const float *
query_row (SaWindow *self)
{
  if (self->current.row)
    return self->current.row;
  if (self->query >= 0)
    return sa_collection_get_row (self->collection, self->query);
  return NULL;
}

/* the heat maps: the query against the selected clip */
static void
update_compare (SaWindow *self)
{
  int clip = selected_result_track (self);
  const float *crow = clip >= 0 ? sa_collection_get_row (self->collection, clip) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->compare_hint), crow == NULL);
  sa_feature_map_set (self->rp_map, self->collection, self->rp_set, query_row (self), crow);
  sa_feature_map_set (self->ssd_map, self->collection, self->ssd_set, query_row (self), crow);
}

/* The histogram of every track's distance, with the shown ones marked. */
static void
update_histogram (SaWindow *self, const double *weights, const SaHit *hits, guint n)
{
  guint total = sa_collection_get_n_tracks (self->collection), m = 0;
  g_autofree double *all = g_new (double, total);
  g_autofree double *marks = g_new (double, MAX (n, 1));

  sa_search_all_distances (self->search, weights, all);
  if (self->query >= 0)
    {
      /* the query itself is not a neighbour */
      all[self->query] = all[total - 1];
      total--;
    }
  for (guint i = 1; i < n; i++)
    marks[m++] = hits[i].distance;
  sa_histogram_set (SA_HISTOGRAM (self->histogram), all, total, marks, m);
}

/* The re-weight path: no pass over the feature matrix, one items-changed. */
static void
rerank (SaWindow *self)
{
  double weights[SA_MAX_SETS];
  guint k, n, n_sets;
  g_autofree SaHit *hits = NULL;
  g_autoptr (GPtrArray) items = NULL;
  int keep, keep_pos = -1;

  if (self->search == NULL || !has_query (self))
    {
      g_list_store_remove_all (self->results);
      sa_histogram_set (SA_HISTOGRAM (self->histogram), NULL, 0, NULL, 0);
      update_compare (self);
      return;
    }
  current_weights (self, weights);
  k = (guint) gtk_spin_button_get_value_as_int (self->results_spin);
  sa_search_set_exclude (self->search, SA_EXCLUDE_SAME_FILE
                                           | (gtk_switch_get_active (self->exclude_switch)
                                                  ? SA_EXCLUDE_SAME_ARTIST | SA_EXCLUDE_SAME_ALBUM
                                                  : 0));
  hits = g_new (SaHit, k + 1);
  n = sa_search_rank (self->search, weights, k, hits);
  n_sets = sa_collection_get_n_sets (self->collection);
  items = g_ptr_array_new_full (n, g_object_unref);
  keep = selected_result_track (self);
  for (guint i = 1; i < n; i++)
    {
      double parts[SA_MAX_SETS], sum = 0;
      sa_search_contributions (self->search, weights, hits[i].track, parts);
      for (guint s = 0; s < n_sets; s++)
        sum += parts[s];
      for (guint s = 0; s < n_sets; s++)
        parts[s] = sum > 0 ? parts[s] / sum : 0;
      g_ptr_array_add (items, sa_result_new (self->collection, hits[i].track, i, hits[i].distance,
                                             parts, n_sets));
      if ((int) hits[i].track == keep)
        keep_pos = (int) i - 1;
    }
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->results_selection,
                                     keep_pos >= 0 ? (guint) keep_pos : GTK_INVALID_LIST_POSITION);
  update_histogram (self, weights, hits, n);
  update_compare (self);
}

static void
update_history_actions (SaWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 self->history->len > 0 && self->history_pos > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forward",
                                 self->history->len > 0
                                     && self->history_pos + 1 < self->history->len);
}

/* The list view inside the collection's column view. */
static GtkWidget *
collection_list_view (SaWindow *self)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->collection_view)); w;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_VIEW (w))
      return w;
  return NULL;
}

static gboolean scroll_to_selected_cb (gpointer user_data);

/* Waits, frame by frame, until the list has been laid out (a window not yet shown). */
static gboolean
scroll_tick_cb (GtkWidget *list, GdkFrameClock *clock, gpointer user_data)
{
  SaWindow *self = user_data;

  if (gtk_adjustment_get_upper (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list))) <= 0)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  if (self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_selected_cb, self);
  return G_SOURCE_REMOVE;
}

/* GTK 4.8 has no gtk_column_view_scroll_to (4.12): the list view inside the column view has an
 * action.  It needs the rows laid out after the selection changed, so it runs when idle, and
 * in a window not laid out yet it waits for a frame that has done it. */
static gboolean
scroll_to_selected_cb (gpointer user_data)
{
  SaWindow *self = user_data;
  guint pos = gtk_single_selection_get_selected (self->collection_selection);
  GtkWidget *list = collection_list_view (self);

  self->scroll_idle = 0;
  if (pos == GTK_INVALID_LIST_POSITION || list == NULL)
    return G_SOURCE_REMOVE;
  if (!gtk_widget_get_mapped (list)
      || gtk_adjustment_get_upper (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list))) <= 0)
    {
      if (self->scroll_tick == 0)
        self->scroll_tick = gtk_widget_add_tick_callback (list, scroll_tick_cb, self, NULL);
    }
  else
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", pos);
  return G_SOURCE_REMOVE;
}

/* The collection list follows the query: a walk or a step back selects the query's row and
 * scrolls to it; a query that is not in the list (filtered out, an example) selects nothing. */
static void
show_query_in_collection (SaWindow *self)
{
  GListModel *shown = G_LIST_MODEL (self->collection_selection);
  SaTrack *selected = gtk_single_selection_get_selected_item (self->collection_selection);
  guint n = g_list_model_get_n_items (shown), pos = GTK_INVALID_LIST_POSITION;

  if (self->query >= 0 && selected && sa_track_get_index (selected) == (guint) self->query)
    return; /* chosen in the list itself: it is in view */
  if (self->query >= 0 && (guint) self->query < n)
    {
      /* unsorted and unfiltered, the row is the track: no search */
      g_autoptr (SaTrack) t = g_list_model_get_item (shown, (guint) self->query);
      if (sa_track_get_index (t) == (guint) self->query)
        pos = (guint) self->query;
    }
  if (self->query >= 0 && pos == GTK_INVALID_LIST_POSITION)
    {
      /* one pass over the shown rows (50 ms for 100,000), kept until they change */
      if (self->row_of_track == NULL)
        {
          guint n_tracks = sa_collection_get_n_tracks (self->collection);
          self->row_of_track = g_new (guint, n_tracks);
          for (guint i = 0; i < n_tracks; i++)
            self->row_of_track[i] = GTK_INVALID_LIST_POSITION;
          for (guint i = 0; i < n; i++)
            {
              g_autoptr (SaTrack) t = g_list_model_get_item (shown, i);
              self->row_of_track[sa_track_get_index (t)] = i;
            }
        }
      pos = self->row_of_track[self->query];
    }
  gtk_single_selection_set_selected (self->collection_selection, pos);
  if (pos != GTK_INVALID_LIST_POSITION && self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_selected_cb, self);
}

/* Makes @q (taken over) the query; @record puts it on the history for Back and Forward. */
static void
go_to_query (SaWindow *self, Query *q, gboolean record)
{
  guint stride = sa_collection_get_stride (self->collection);

  query_clear (&self->current);
  self->current = *q;
  memset (q, 0, sizeof *q);
  self->query = self->current.track;
  if (self->current.row)
    sa_search_set_query_vector (self->search, self->current.row);
  else if (self->query >= 0)
    sa_search_set_query (self->search, (guint) self->query);
  if (record)
    {
      Query copy;
      if (self->history->len > 0)
        g_array_set_size (self->history, self->history_pos + 1);
      query_copy (&copy, &self->current, stride);
      g_array_append_val (self->history, copy);
      self->history_pos = self->history->len - 1;
    }
  gtk_single_selection_set_selected (self->results_selection, GTK_INVALID_LIST_POSITION);
  show_query_in_collection (self); /* its selection handler sees the query is already set */
  update_query_header (self);
  rerank (self);
  update_playing_marks (self);
  update_history_actions (self);
}

static void
set_query (SaWindow *self, int track)
{
  Query q = { .track = track };

  if (track == self->query && self->current.row == NULL)
    return;
  go_to_query (self, &q, TRUE);
}

static void
on_collection_selected (SaWindow *self)
{
  SaTrack *track = gtk_single_selection_get_selected_item (self->collection_selection);
  if (track)
    set_query (self, (int) sa_track_get_index (track));
}

static void
on_result_selected (SaWindow *self)
{
  int track = selected_result_track (self);

  update_compare (self);
  if (track >= 0 && gtk_toggle_button_get_active (self->audition_button)
      && sa_player_get_tag (self->player) != track)
    sa_window_play_track (self, (guint) track, 0);
}

/* Enter or a double click on a result: it becomes the query (a step of a walk). */
static void
on_result_activated (GtkColumnView *view, guint position, SaWindow *self)
{
  g_autoptr (SaResult) r = g_list_model_get_item (G_LIST_MODEL (self->results), position);
  if (r)
    set_query (self, (int) sa_result_get_index (r));
}

static void
history_step (SaWindow *self, int delta)
{
  Query q;
  guint stride;

  if (self->history->len == 0 || (delta < 0 && self->history_pos == 0)
      || (delta > 0 && self->history_pos + 1 >= self->history->len))
    return;
  self->history_pos += delta;
  stride = sa_collection_get_stride (self->collection);
  query_copy (&q, &g_array_index (self->history, Query, self->history_pos), stride);
  go_to_query (self, &q, FALSE);
}

static void
action_back (GtkWidget *widget, const char *name, GVariant *param)
{
  history_step (SA_WINDOW (widget), -1);
}

static void
action_forward (GtkWidget *widget, const char *name, GVariant *param)
{
  history_step (SA_WINDOW (widget), +1);
}

static void
on_metric_changed (SaWindow *self)
{
  static const SaMetric metrics[] = { SA_METRIC_EUCLIDEAN, SA_METRIC_MANHATTAN, SA_METRIC_COSINE };
  guint i = gtk_drop_down_get_selected (self->metric_dropdown);

  if (self->search == NULL || i >= G_N_ELEMENTS (metrics))
    return;
  sa_search_set_metric (self->search, metrics[i]);
  rerank (self); /* a new metric needs one pass; rank() makes it */
}

/* ---- playback ---- */

void
sa_window_play_track (SaWindow *self, guint track, double offset)
{
  g_autofree char *path = NULL;
  double start = 0, end = 0;
  const char *title;

  g_return_if_fail (self->collection && track < sa_collection_get_n_tracks (self->collection));
  title = sa_collection_get_field (self->collection, track, SA_FIELD_TITLE);
  path = sa_collection_resolve_audio (self->collection, track);
  if (path == NULL)
    {
      g_autofree char *text = NULL;
      if (sa_collection_get_audio_root (self->collection) == NULL)
        text = g_strdup_printf (_ ("The audio of “%s” is not on this computer"), title);
      else
        text = g_strdup_printf (_ ("The audio of “%s” is not in the audio folder"), title);
      /* Translators: the button of the message that a clip's audio is missing */
      show_toast (self, text, _ ("Choose _Folder…"), "win.audio-folder");
      return;
    }
  sa_collection_get_clip_bounds (self->collection, track, &start, &end);
  gtk_label_set_label (self->now_playing, *title ? title : _ ("Untitled"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->now_playing), path);
  if (self->walk_played)
    g_hash_table_add (self->walk_played, GINT_TO_POINTER (track + 1));
  sa_player_play (self->player, path, start, end, offset, (int) track);
}

/* The query, whether a track or a file from outside. */
static void
play_query (SaWindow *self, double offset)
{
  if (self->current.row && self->current.path)
    {
      gtk_label_set_label (self->now_playing, self->current.title);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->now_playing), self->current.path);
      sa_player_play (self->player, self->current.path, 0, 0, offset, EXAMPLE_TAG);
    }
  else if (self->query >= 0)
    sa_window_play_track (self, (guint) self->query, offset);
}

static int
query_tag (SaWindow *self)
{
  return self->current.row ? EXAMPLE_TAG : self->query;
}

static void
on_query_play_clicked (SaWindow *self)
{
  if (sa_player_get_tag (self->player) == query_tag (self) && query_tag (self) != -1)
    sa_player_toggle (self->player);
  else
    play_query (self, 0);
}

static void
update_time (SaWindow *self)
{
  double pos = sa_player_get_position (self->player);
  double dur = sa_player_get_duration (self->player);
  g_autofree char *a = sa_format_duration (pos > 0.5 ? pos : 0.001);
  g_autofree char *b = sa_format_duration (dur);
  g_autofree char *text = g_strdup_printf ("%s / %s", pos > 0.5 ? a : "0:00", *b ? b : "–:––");

  gtk_label_set_label (self->time_label, text);
  self->updating_position = TRUE;
  gtk_range_set_range (GTK_RANGE (self->position_scale), 0, MAX (dur, 0.001));
  gtk_range_set_value (GTK_RANGE (self->position_scale), pos);
  self->updating_position = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->position_scale), dur > 0);
}

static gboolean
on_position_change_value (GtkRange *range, GtkScrollType scroll, double value, SaWindow *self)
{
  if (!self->updating_position)
    sa_player_seek (self->player, value);
  return FALSE;
}

static void
on_player_error (SaPlayer *player, const char *message, SaWindow *self)
{
  sa_window_show_message (self, message);
  update_playing_marks (self);
}

/* ---- actions ---- */

static void
on_open_response (SaOpenDialog *dialog, const char *features, const char *metadata,
                  const char *audio, SaWindow *self)
{
  sa_window_open (self, features, metadata, audio);
}

static void
action_open (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  SaOpenDialog *dialog = sa_open_dialog_new (GTK_WINDOW (self));

  g_signal_connect (dialog, "open", G_CALLBACK (on_open_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remember_audio_root (SaWindow *self)
{
  g_autoptr (GVariant) old = NULL;
  GVariantBuilder b;
  GVariantIter it;
  const char *k, *v;
  const char *features = sa_collection_get_features_path (self->collection);
  const char *root = sa_collection_get_audio_root (self->collection);

  if (self->settings == NULL)
    return;
  old = g_settings_get_value (self->settings, "audio-folders");
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&it, old);
  while (g_variant_iter_next (&it, "{&s&s}", &k, &v))
    if (!g_str_equal (k, features))
      g_variant_builder_add (&b, "{ss}", k, v);
  if (root)
    g_variant_builder_add (&b, "{ss}", features, root);
  g_settings_set_value (self->settings, "audio-folders", g_variant_builder_end (&b));
}

static void
on_audio_folder_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->collection)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      sa_collection_set_audio_root (self->collection, path);
      remember_audio_root (self);
    }
  g_object_unref (chooser);
}

static void
action_audio_folder (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  GtkFileChooserNative *chooser;

  if (self->collection == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_ ("Choose the Audio Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (on_audio_folder_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_play_pause (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (sa_player_get_tag (self->player) >= 0 || sa_player_get_path (self->player))
    sa_player_toggle (self->player);
  else if (selected_result_track (self) >= 0)
    sa_window_play_track (self, (guint) selected_result_track (self), 0);
  else if (has_query (self))
    play_query (self, 0);
}

/* A/B: the query and the selected result, at the same position. */
static void
action_compare (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  int result = selected_result_track (self);
  int now = sa_player_get_tag (self->player);
  double pos = sa_player_get_position (self->player);

  if (!has_query (self))
    return;
  if (result < 0 && g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0)
    {
      gtk_single_selection_set_selected (self->results_selection, 0);
      result = selected_result_track (self);
    }
  if (now == query_tag (self) && result >= 0)
    sa_window_play_track (self, (guint) result, pos);
  else
    play_query (self, now >= 0 ? pos : 0);
}

static void
action_search (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  if (self->collection)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
action_audition (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  gboolean on = !gtk_toggle_button_get_active (self->audition_button);
  gtk_toggle_button_set_active (self->audition_button, on);
}

static void
on_audition_toggled (SaWindow *self)
{
  if (gtk_toggle_button_get_active (self->audition_button))
    on_result_selected (self);
}

/* Space plays and pauses, except where it types a space. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, SaWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (keyval != GDK_KEY_space || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;
  if (focus && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus) || GTK_IS_SPIN_BUTTON (focus)))
    return FALSE;
  if (focus && (GTK_IS_BUTTON (focus) || GTK_IS_SWITCH (focus) || GTK_IS_DROP_DOWN (focus))
      && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->results_view)))
    return FALSE; /* Space activates the focused control */
  action_play_pause (GTK_WIDGET (self), NULL, NULL);
  return TRUE;
}

/* ---- similarity radio ---- */

/* When a clip ends, the walk goes on to the nearest result not yet played. */
static void
on_player_eos (SaPlayer *player, SaWindow *self)
{
  GListModel *results = G_LIST_MODEL (self->results);

  if (!gtk_toggle_button_get_active (self->radio_button) || self->walk_played == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      int track = (int) sa_result_get_index (r);
      if (!g_hash_table_contains (self->walk_played, GINT_TO_POINTER (track + 1)))
        {
          set_query (self, track);
          sa_window_play_track (self, (guint) track, 0);
          return;
        }
    }
  sa_window_show_message (self, _ ("The radio has played every neighbour of this clip"));
}

static void
on_radio_toggled (SaWindow *self)
{
  g_clear_pointer (&self->walk_played, g_hash_table_unref);
  if (!gtk_toggle_button_get_active (self->radio_button))
    return;
  self->walk_played = g_hash_table_new (NULL, NULL);
  if (self->query >= 0)
    g_hash_table_add (self->walk_played, GINT_TO_POINTER (self->query + 1));
  if (has_query (self) && !sa_player_get_playing (self->player))
    play_query (self, 0);
}

/* ---- analysing a folder ---- */

typedef struct
{
  SaWindow *self;
  gint64 start;
} AnalysisRun;

typedef struct
{
  SaWindow *self;
  SaAnalyzeProgress p;
  gint64 start;
} AnalysisTick;

static gboolean
analysis_tick_idle (gpointer data)
{
  AnalysisTick *t = data;
  SaWindow *self = t->self;
  guint fresh = t->p.n_done - t->p.n_reused, todo = t->p.n_files - t->p.n_done;
  double elapsed = (g_get_monotonic_time () - t->start) / 1e6;
  g_autofree char *text = NULL;

  if (self->loading)
    {
      gtk_progress_bar_set_fraction (self->loading_progress,
                                     t->p.n_files ? (double) t->p.n_done / t->p.n_files : 0);
      if (fresh > 0 && elapsed > 0.5 && todo > 0)
        {
          g_autofree char *left = sa_format_duration (MAX (todo * elapsed / fresh, 1));
          /* Translators: progress of an analysis: files done, all files, time left */
          text = g_strdup_printf (_ ("Analysing: %u of %u files, about %s left"), t->p.n_done,
                                  t->p.n_files, left);
        }
      else
        text = g_strdup_printf (_ ("Analysing: %u of %u files"), t->p.n_done, t->p.n_files);
      gtk_label_set_label (self->loading_label, text);
    }
  g_object_unref (self);
  g_free (t);
  return G_SOURCE_REMOVE;
}

/* on the analysing thread */
static void
analysis_progress (const SaAnalyzeProgress *p, gpointer user_data)
{
  AnalysisRun *run = user_data;
  AnalysisTick *t = g_new0 (AnalysisTick, 1);

  t->self = g_object_ref (run->self);
  t->p = *p;
  t->p.current = NULL;
  t->start = run->start;
  g_main_context_invoke (NULL, analysis_tick_idle, t);
}

static void
show_failures (SaWindow *self, GPtrArray *failures)
{
  GtkWidget *dialog;
  g_autoptr (GString) list = g_string_new (NULL);

  for (guint i = 0; i < MIN (failures->len, 30); i++)
    g_string_append_printf (list, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (failures, i));
  if (failures->len > 30)
    g_string_append_printf (list, _ ("\n… and %u more (see errors.csv in the collection's folder)"),
                            failures->len - 30);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_CLOSE,
                                   g_dngettext (GETTEXT_PACKAGE, "%u file could not be analysed",
                                                "%u files could not be analysed", failures->len),
                                   failures->len);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", list->str);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_loading_ui (SaWindow *self)
{
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_progress), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_cancel), FALSE);
}

static void
on_analysed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SaWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *outdir = g_strdup (g_object_get_data (G_OBJECT (self), "analysis-outdir"));
  SaAnalyzeProgress report;
  gboolean ok = sa_analyze_finish (result, &report, &error);
  g_autoptr (GPtrArray) failures = g_steal_pointer (&self->failures);

  stop_loading_ui (self);
  g_clear_object (&self->loading);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_stack_set_visible_child_name (self->stack, self->collection ? "browser" : "welcome");
      sa_window_show_message (self, _ ("The analysis was stopped; what was done is kept and a new "
                                       "analysis of the folder goes on from there"));
      return;
    }
  if (!ok)
    {
      gtk_stack_set_visible_child_name (self->stack, self->collection ? "browser" : "welcome");
      if (self->collection)
        sa_window_show_message (self, error->message);
      else
        {
          gtk_label_set_label (self->welcome_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), TRUE);
        }
      return;
    }
  if (report.n_analysed + report.n_reused == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, self->collection ? "browser" : "welcome");
      sa_window_show_message (self, _ ("No audio file in the folder could be analysed"));
    }
  else
    {
      g_autofree char *npz = g_build_filename (outdir, "features.npz", NULL);
      g_autofree char *csv = g_build_filename (outdir, "metadata.csv", NULL);
      sa_window_open (self, npz, csv, NULL);
    }
  if (failures && failures->len > 0)
    show_failures (self, failures);
}

static void
on_loading_cancel (SaWindow *self)
{
  if (self->loading)
    g_cancellable_cancel (self->loading);
}

void
sa_window_analyze_folder (SaWindow *self, const char *folder)
{
  g_autofree char *base = g_path_get_basename (folder);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, folder, -1);
  g_autofree char *leaf = g_strdup_printf ("%s-%.8s", base, sum);
  g_autofree char *outdir
      = g_build_filename (g_get_user_data_dir (), "soundalike", "collections", leaf, NULL);
  g_autofree char *text = g_strdup_printf (_ ("Looking for audio files in “%s”…"), base);
  const char *inputs[] = { folder, NULL };
  AnalysisRun *run = g_new0 (AnalysisRun, 1);
  SaAnalyzeOptions options;

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  self->failures = g_ptr_array_new_with_free_func (g_free);
  run->self = self;
  run->start = g_get_monotonic_time ();
  /* kept on the window while the analysis may still call back */
  g_object_set_data_full (G_OBJECT (self), "analysis-run", run, g_free);
  sa_analyze_options_init (&options);
  options.progress = analysis_progress;
  options.progress_data = run;
  options.failures = self->failures;
  gtk_label_set_label (self->loading_label, text);
  gtk_progress_bar_set_fraction (self->loading_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_progress), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_cancel), TRUE);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  g_object_set_data_full (G_OBJECT (self), "analysis-outdir", g_strdup (outdir), g_free);
  sa_analyze_async (inputs, outdir, &options, self->loading, on_analysed, g_object_ref (self));
}

static void
on_folder_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      if (path)
        sa_window_analyze_folder (self, path);
    }
  g_object_unref (chooser);
}

static void
action_analyze_folder (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Choose a Music Folder to Analyse"), GTK_WINDOW (widget),
                                     GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _ ("_Analyse"), NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_chosen), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- query by example ---- */

typedef struct
{
  char *path;
  SaFeatures features;
  char *title;
  char *artist;
} Example;

static void
example_free (Example *e)
{
  g_free (e->path);
  g_free (e->title);
  g_free (e->artist);
  g_free (e);
}

static void
example_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Example *e = task_data;
  g_autoptr (SaAudio) audio = NULL;
  GError *error = NULL;

  if (!sa_extract_file (e->path, NULL, NULL, FALSE, &e->features, &audio, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (audio->title && *audio->title)
    e->title = g_strdup (audio->title);
  else
    e->title = g_path_get_basename (e->path);
  e->artist = g_strdup (audio->artist);
  g_task_return_boolean (task, TRUE);
}

static void
on_example_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaWindow *self = SA_WINDOW (source);
  Example *e = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  Query q = { .track = -1 };
  const double *mean;
  guint stride;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_object (&self->example_job);
          sa_window_show_message (self, error->message);
        }
      return;
    }
  g_clear_object (&self->example_job);
  if (self->collection == NULL)
    return;
  /* the example's features, laid out like the collection's rows */
  stride = sa_collection_get_stride (self->collection);
  mean = sa_collection_get_mean (self->collection);
  q.row = g_aligned_alloc0 (stride, sizeof (float), 64);
  for (guint si = 0; si < sa_collection_get_n_sets (self->collection); si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (self->collection, si);
      gboolean rp = g_str_equal (set->name, "rp") && set->length == SA_RP_LENGTH;
      gboolean ssd = g_str_equal (set->name, "ssd") && set->length == SA_SSD_LENGTH;
      for (guint j = 0; j < set->length; j++)
        /* a set the extractor does not make counts as average (z = 0) */
        q.row[set->offset + j]
            = rp ? sa_collection_to_stored (self->collection, set->offset + j, e->features.rp[j])
              : ssd
                  ? sa_collection_to_stored (self->collection, set->offset + j, e->features.ssd[j])
                  : (float) mean[set->offset + j];
    }
  q.path = g_strdup (e->path);
  q.title = g_strdup (e->title);
  q.artist = g_strdup (e->artist);
  hide_message (self);
  go_to_query (self, &q, TRUE);
}

void
sa_window_query_by_example (SaWindow *self, const char *path)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *text = g_strdup_printf (_ ("Analysing “%s”…"), name);
  Example *e;

  if (self->collection == NULL)
    {
      sa_window_show_message (self,
                              _ ("Open a collection first: the clips like a file are found in it"));
      return;
    }
  if (self->example_job)
    g_cancellable_cancel (self->example_job);
  g_clear_object (&self->example_job);
  self->example_job = g_cancellable_new ();
  e = g_new0 (Example, 1);
  e->path = g_strdup (path);
  sa_window_show_message (self, text);
  task = g_task_new (self, self->example_job, on_example_done, NULL);
  g_task_set_task_data (task, e, (GDestroyNotify) example_free);
  g_task_run_in_thread (task, example_thread);
}

gboolean
sa_window_is_busy (SaWindow *self)
{
  return self->example_job != NULL || self->loading != NULL;
}

static void
on_audio_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      if (path)
        sa_window_query_by_example (self, path);
    }
  g_object_unref (chooser);
}

static void
action_open_audio (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Find Clips Like a File"), GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Audio files"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_audio_chosen), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A folder dropped on the window is analysed; an audio file becomes a query by example. */
static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, SaWindow *self)
{
  GSList *files;
  g_autofree char *path = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  path = g_file_get_path (files->data);
  g_slist_free (files);
  if (path == NULL)
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    sa_window_analyze_folder (self, path);
  else
    sa_window_query_by_example (self, path);
  return TRUE;
}

/* ---- playlists ---- */

static char *
results_as_text (SaWindow *self)
{
  GListModel *results = G_LIST_MODEL (self->results);
  /* Translators: the header of the copied results, columns separated by tabs */
  GString *out = g_string_new (_ ("rank\tdistance\tartist\ttitle\talbum\n"));

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      guint t = sa_result_get_index (r);
      g_string_append_printf (out, "%u\t%.6f\t%s\t%s\t%s\n", sa_result_get_rank (r),
                              sa_result_get_distance (r),
                              sa_collection_get_field (self->collection, t, SA_FIELD_ARTIST),
                              sa_collection_get_field (self->collection, t, SA_FIELD_TITLE),
                              sa_collection_get_field (self->collection, t, SA_FIELD_ALBUM));
    }
  return g_string_free (out, FALSE);
}

/* the query (when its audio is here), then the results: the one writer in src/core/sa-m3u.c */
gboolean
sa_window_export_playlist (SaWindow *self, const char *path, GError **error)
{
  GListModel *results = G_LIST_MODEL (self->results);
  g_autoptr (SaM3u) playlist = sa_m3u_new ();

  if (self->query >= 0)
    {
      g_autofree char *audio
          = sa_collection_resolve_audio (self->collection, (guint) self->query);
      sa_m3u_add (playlist, audio, NULL,
                  sa_collection_get_field (self->collection, (guint) self->query, SA_FIELD_TITLE),
                  -1);
    }
  else if (self->current.path)
    sa_m3u_add (playlist, self->current.path, NULL, self->current.title, -1);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      sa_m3u_add_track (playlist, self->collection, sa_result_get_index (r));
    }
  return sa_m3u_write (playlist, path, error);
}

static void
on_export_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path && !sa_window_export_playlist (self, path, &error))
        sa_window_show_message (self, error->message);
      else if (path)
        {
          g_autofree char *name = g_path_get_basename (path);
          g_autofree char *text = g_strdup_printf (_ ("Saved the playlist “%s”"), name);
          sa_window_show_message (self, text);
        }
    }
  g_object_unref (chooser);
}

static void
action_export (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *suggested = NULL;

  if (!has_query (self))
    return;
  chooser = gtk_file_chooser_native_new (_ ("Export Playlist"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), NULL);
  /* Translators: the file name suggested for a playlist; %s is the query's title */
  suggested = g_strdup_printf (_ ("Like %s.m3u"), gtk_label_get_label (self->query_title));
  g_strdelimit (suggested, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_copy (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  g_autofree char *text = NULL;

  if (!has_query (self))
    return;
  text = results_as_text (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  sa_window_show_message (self, _ ("Copied the results as text"));
}

/* ---- collections ---- */

static void
set_audio_root_from_settings (SaWindow *self)
{
  g_autoptr (GVariant) folders = NULL;
  const char *root = NULL;

  if (self->settings == NULL)
    return;
  folders = g_settings_get_value (self->settings, "audio-folders");
  if (g_variant_lookup (folders, sa_collection_get_features_path (self->collection), "&s", &root))
    sa_collection_set_audio_root (self->collection, root);
}

void
sa_window_set_collection (SaWindow *self, SaCollection *collection)
{
  g_return_if_fail (SA_IS_COLLECTION (collection));

  sa_player_stop (self->player);
  self->query = -1;
  query_clear (&self->current);
  g_array_set_size (self->history, 0);
  self->history_pos = 0;
  g_clear_pointer (&self->search, sa_search_free);
  g_set_object (&self->collection, collection);
  self->search = sa_search_new (collection);
  self->rp_set = sa_collection_find_set (collection, "rp");
  self->ssd_set = sa_collection_find_set (collection, "ssd");
  gtk_widget_set_sensitive (GTK_WIDGET (self->rp_scale), self->rp_set >= 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ssd_scale), self->ssd_set >= 0);
  on_metric_changed (self);
  if (self->pending_audio_root)
    {
      sa_collection_set_audio_root (collection, self->pending_audio_root);
      g_clear_pointer (&self->pending_audio_root, g_free);
      remember_audio_root (self);
    }
  else if (sa_collection_get_audio_root (collection) == NULL)
    set_audio_root_from_settings (self);
  else
    remember_audio_root (self);

  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (collection));
  gtk_single_selection_set_selected (self->collection_selection, GTK_INVALID_LIST_POSITION);
  g_list_store_remove_all (self->results);
  update_query_header (self);
  update_history_actions (self);
  rerank (self);
  update_count (self);
  gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "browser");
  if (self->settings)
    {
      g_settings_set_string (self->settings, "last-features",
                             sa_collection_get_features_path (collection));
      g_settings_set_string (self->settings, "last-metadata",
                             sa_collection_get_metadata_path (collection)
                                 ? sa_collection_get_metadata_path (collection)
                                 : "");
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->collection_view));
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

  gtk_spinner_stop (self->spinner);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  if (collection == NULL)
    {
      if (self->collection)
        {
          gtk_stack_set_visible_child_name (self->stack, "browser");
          sa_window_show_message (self, error->message);
        }
      else
        {
          gtk_label_set_label (self->welcome_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), TRUE);
          gtk_stack_set_visible_child_name (self->stack, "welcome");
        }
      g_clear_pointer (&self->pending_audio_root, g_free);
      return;
    }
  sa_window_set_collection (self, collection);
}

void
sa_window_open (SaWindow *self, const char *features, const char *metadata, const char *audio_root)
{
  g_autofree char *name = g_path_get_basename (features);
  g_autofree char *text = g_strdup_printf (_ ("Loading “%s”…"), name);

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  g_free (self->pending_audio_root);
  self->pending_audio_root = g_strdup (audio_root);
  gtk_label_set_label (self->loading_label, text);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  sa_collection_load_async (features, metadata, self->loading, on_loaded, g_object_ref (self));
}

/* ---- the demo ---- */

typedef struct
{
  SaWindow *self;
  guint done, total;
} DemoProgress;

static gboolean
demo_progress_idle (gpointer data)
{
  DemoProgress *p = data;
  g_autofree char *text
      = g_strdup_printf (_ ("Making the demo collection… %u%%"), p->done * 100 / MAX (p->total, 1));
  if (p->self->loading)
    gtk_label_set_label (p->self->loading_label, text);
  g_object_unref (p->self);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* on the worker thread */
static void
demo_progress (guint done, guint total, gpointer user_data)
{
  DemoProgress *p = g_new (DemoProgress, 1);
  p->self = g_object_ref (user_data);
  p->done = done;
  p->total = total;
  g_main_context_invoke (NULL, demo_progress_idle, p);
}

static void
demo_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  if (sa_demo_create (task_data, demo_progress, source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_demo_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaWindow *self = SA_WINDOW (source);
  const char *dir = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gtk_spinner_stop (self->spinner);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->loading);
      gtk_label_set_label (self->welcome_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->welcome_error), TRUE);
      gtk_stack_set_visible_child_name (self->stack, "welcome");
      return;
    }
  {
    g_autofree char *npz = g_build_filename (dir, "features.npz", NULL);
    g_autofree char *csv = g_build_filename (dir, "metadata.csv", NULL);
    g_autofree char *audio = g_build_filename (dir, "audio", NULL);
    sa_window_open (self, npz, csv, audio);
  }
}

void
sa_window_open_demo (SaWindow *self)
{
  g_autofree char *dir = sa_demo_default_dir ();
  g_autoptr (GTask) task = NULL;

  if (sa_demo_is_ready (dir))
    {
      g_autofree char *npz = g_build_filename (dir, "features.npz", NULL);
      g_autofree char *csv = g_build_filename (dir, "metadata.csv", NULL);
      g_autofree char *audio = g_build_filename (dir, "audio", NULL);
      sa_window_open (self, npz, csv, audio);
      return;
    }
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  gtk_label_set_label (self->loading_label, _ ("Making the demo collection…"));
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  task = g_task_new (self, self->loading, on_demo_made, NULL);
  g_task_set_task_data (task, g_steal_pointer (&dir), g_free);
  g_task_run_in_thread (task, demo_thread);
}

static void
action_demo (GtkWidget *widget, const char *name, GVariant *param)
{
  sa_window_open_demo (SA_WINDOW (widget));
}

int
sa_window_get_query (SaWindow *self)
{
  return self->query;
}

void
sa_window_select_track (SaWindow *self, guint track)
{
  set_query (self, (int) track); /* selected and scrolled to in the list, if it is shown */
}

GListModel *
sa_window_get_results (SaWindow *self)
{
  return G_LIST_MODEL (self->results);
}

GListModel *
sa_window_get_shown_tracks (SaWindow *self)
{
  return G_LIST_MODEL (self->filter_model);
}

SaPlayer *
sa_window_get_player (SaWindow *self)
{
  return self->player;
}

/* ---- settings ---- */

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

static void
bind_settings (SaWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema == NULL)
    {
      g_message ("The GSettings schema %s is not installed: settings will not be kept", APP_ID);
      return;
    }
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "rp-weight",
                   gtk_range_get_adjustment (GTK_RANGE (self->rp_scale)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "ssd-weight",
                   gtk_range_get_adjustment (GTK_RANGE (self->ssd_scale)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "n-results", gtk_spin_button_get_adjustment (self->results_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "exclude-same", self->exclude_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "metric", self->metric_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, metric_get, metric_set, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

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

/* ---- life cycle ---- */

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
  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  if (self->scroll_tick && collection_list_view (self))
    gtk_widget_remove_tick_callback (collection_list_view (self), self->scroll_tick);
  self->scroll_tick = 0;
  if (self->player)
    g_signal_handlers_disconnect_by_data (self->player, self);
  g_clear_object (&self->player);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_WINDOW);
  g_clear_object (&self->collection_selection);
  g_clear_object (&self->results_selection);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->search, sa_search_free);
  g_clear_object (&self->collection);
  G_OBJECT_CLASS (sa_window_parent_class)->dispose (object);
}

static void
sa_window_finalize (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);
  g_free (self->needle);
  g_free (self->pending_audio_root);
  g_free (self->row_of_track);
  query_clear (&self->current);
  g_array_unref (self->history);
  g_clear_pointer (&self->walk_played, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_ptr_array_unref (self->row_buttons);
  G_OBJECT_CLASS (sa_window_parent_class)->finalize (object);
}

static void
sa_window_class_init (SaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sa_window_dispose;
  object_class->finalize = sa_window_finalize;
  window_class->close_request = sa_window_close_request;
  g_type_ensure (SA_TYPE_FEATURE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/soundalike/Soundalike/sa-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SaWindow, name)
  BIND (stack);
  BIND (welcome_error);
  BIND (welcome_buttons);
  BIND (spinner);
  BIND (loading_label);
  BIND (loading_progress);
  BIND (loading_cancel);
  BIND (histogram_box);
  BIND (results_stack);
  BIND (compare_hint);
  BIND (rp_map);
  BIND (ssd_map);
  BIND (radio_button);
  BIND (paned);
  BIND (search_entry);
  BIND (collection_view);
  BIND (count_label);
  BIND (query_play);
  BIND (query_title);
  BIND (query_subtitle);
  BIND (rp_scale);
  BIND (ssd_scale);
  BIND (metric_dropdown);
  BIND (results_spin);
  BIND (exclude_switch);
  BIND (results_label);
  BIND (results_view);
  BIND (play_button);
  BIND (now_playing);
  BIND (position_scale);
  BIND (time_label);
  BIND (ab_button);
  BIND (audition_button);
  BIND (player_bar);
  BIND (player_separator);
  BIND (toast_overlay);
#undef BIND

  gtk_widget_class_install_action (widget_class, "win.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, action_demo);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, action_back);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, action_forward);
  gtk_widget_class_install_action (widget_class, "win.analyze-folder", NULL, action_analyze_folder);
  gtk_widget_class_install_action (widget_class, "win.open-audio", NULL, action_open_audio);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "win.copy", NULL, action_copy);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-audio", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.export",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.audio-folder", NULL, action_audio_folder);
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, action_play_pause);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, action_compare);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.audition", NULL, action_audition);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.compare",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.audition",
                                       NULL);
}

/* The player bar belongs to the browser: nothing to play on the other pages. */
static void
on_page_changed (SaWindow *self)
{
  gboolean browser = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "browser") == 0;
  gtk_widget_set_visible (self->player_bar, browser);
  gtk_widget_set_visible (self->player_separator, browser);
}

static void
load_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GtkCssProvider *css;

  if (g_object_get_data (G_OBJECT (display), "soundalike-css"))
    return;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/soundalike/Soundalike/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "soundalike-css", css, g_object_unref);
}

static void
sa_window_init (SaWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css (GTK_WIDGET (self));
  g_signal_connect_swapped (self->stack, "notify::visible-child", G_CALLBACK (on_page_changed),
                            self);
  self->query = -1;
  self->rp_set = self->ssd_set = -1;
  self->row_buttons = g_ptr_array_new ();
  self->current.track = -1;
  self->history = g_array_new (FALSE, TRUE, sizeof (Query));
  g_array_set_clear_func (self->history, (GDestroyNotify) query_clear);
  self->histogram = sa_histogram_new ();
  gtk_widget_set_hexpand (self->histogram, TRUE);
  gtk_box_append (self->histogram_box, self->histogram);

  /* the collection: sorted by the column view's sorter, filtered by the search */
  self->sort_model = gtk_sort_list_model_new (
      NULL, g_object_ref (gtk_column_view_get_sorter (self->collection_view)));
  self->filter = gtk_custom_filter_new (filter_track, self, NULL);
  self->filter_model
      = gtk_filter_list_model_new (G_LIST_MODEL (self->sort_model), GTK_FILTER (self->filter));
  gtk_filter_list_model_set_incremental (self->filter_model, FALSE);
  self->collection_selection = gtk_single_selection_new (G_LIST_MODEL (self->filter_model));
  gtk_single_selection_set_autoselect (self->collection_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->collection_selection, TRUE);
  gtk_column_view_set_model (self->collection_view,
                             GTK_SELECTION_MODEL (self->collection_selection));
  g_signal_connect_swapped (self->collection_selection, "notify::selected-item",
                            G_CALLBACK (on_collection_selected), self);
  g_signal_connect_swapped (self->filter_model, "items-changed", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->filter_model, "items-changed",
                            G_CALLBACK (on_shown_tracks_changed), self);

  self->results = g_list_store_new (SA_TYPE_RESULT);
  self->results_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_single_selection_set_autoselect (self->results_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->results_selection, TRUE);
  gtk_column_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->results_selection));
  gtk_widget_add_css_class (GTK_WIDGET (self->results_view), "results");
  g_signal_connect_swapped (self->results_selection, "notify::selected-item",
                            G_CALLBACK (on_result_selected), self);
  build_columns (self);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                            self);
  g_signal_connect_swapped (self->rp_scale, "value-changed", G_CALLBACK (rerank), self);
  g_signal_connect_swapped (self->ssd_scale, "value-changed", G_CALLBACK (rerank), self);
  g_signal_connect_swapped (self->results_spin, "value-changed", G_CALLBACK (rerank), self);
  g_signal_connect_swapped (self->exclude_switch, "notify::active", G_CALLBACK (rerank), self);
  g_signal_connect_swapped (self->metric_dropdown, "notify::selected",
                            G_CALLBACK (on_metric_changed), self);
  g_signal_connect_swapped (self->query_play, "clicked", G_CALLBACK (on_query_play_clicked), self);
  g_signal_connect_swapped (self->audition_button, "toggled", G_CALLBACK (on_audition_toggled),
                            self);
  g_signal_connect_swapped (self->radio_button, "toggled", G_CALLBACK (on_radio_toggled), self);
  g_signal_connect_swapped (self->loading_cancel, "clicked", G_CALLBACK (on_loading_cancel), self);
  g_signal_connect (self->results_view, "activate", G_CALLBACK (on_result_activated), self);
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
  g_signal_connect (self->position_scale, "change-value", G_CALLBACK (on_position_change_value),
                    self);

  self->player = sa_player_new ();
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);
  g_signal_connect (self->player, "warning", G_CALLBACK (on_player_error), self);
  g_signal_connect (self->player, "eos", G_CALLBACK (on_player_eos), self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (update_playing_marks),
                            self);
  g_signal_connect_swapped (self->player, "notify::tag", G_CALLBACK (update_playing_marks), self);
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (self->player, "notify::duration", G_CALLBACK (update_time), self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  bind_settings (self);
  gtk_stack_set_visible_child_name (self->stack, "welcome");
  on_page_changed (self);
  update_history_actions (self);
}

SaWindow *
sa_window_new (GtkApplication *app)
{
  return g_object_new (SA_TYPE_WINDOW, "application", app, NULL);
}
