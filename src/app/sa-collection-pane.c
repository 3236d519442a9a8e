/* sa-collection-pane.c: the search entry, the collection's column view, the count
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The models, the sorters and the rows are in ui/sa-collection-pane.ui: the collection (a
 * GListModel of SaTrack) goes through a GtkSortListModel bound to the column view's sorter,
 * a GtkFilterListModel with the search, and a GtkSingleSelection.  Choosing a row emits
 * "track-selected" with the track's index; the window makes it the query and tells the pane
 * which row to show with sa_collection_pane_show_track.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sa-collection-pane.h"
#include "sa-format.h"
#include "sa-track.h"

struct _SaCollectionPane
{
  GtkWidget parent_instance;

  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkColumnView *collection_view;
  GtkSortListModel *sort_model;
  GtkFilterListModel *filter_model;
  GtkCustomFilter *filter;
  GtkSingleSelection *selection;
  GtkLabel *count_label;
  GtkColumnViewColumn *folder_column;
  GtkColumnViewColumn *artist_column;
  GtkColumnViewColumn *album_column;

  SaCollection *collection;
  char *needle;        /* casefolded search text */
  int shown_track;     /* the track whose row we selected, not the user */
  guint *row_of_track; /* a track's row in the shown list; built when first needed */
  guint scroll_idle;
  guint scroll_tick;
};

enum
{
  TRACK_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaCollectionPane, sa_collection_pane, GTK_TYPE_WIDGET)

/* ---- the search ---- */

static gboolean
filter_track (gpointer item, gpointer user_data)
{
  SaCollectionPane *self = user_data;
  return self->collection == NULL || self->needle == NULL || *self->needle == '\0'
         || sa_collection_track_matches (self->collection, sa_track_get_index (item), self->needle);
}

static void
update_count (SaCollectionPane *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint all = self->collection ? sa_collection_get_n_tracks (self->collection) : 0;
  g_autofree char *text = NULL, *a = sa_format_count (all), *s = sa_format_count (shown);

  if (shown == all)
    /* Translators: %s is a count in the user's locale ("100,000") */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s track", "%s tracks", all), a);
  else
    /* Translators: "12 of 6,380 tracks" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s track", "%s of %s tracks", all),
                            s, a);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, shown > 0 || all == 0 ? "list" : "empty");
}

static void
on_shown_changed (SaCollectionPane *self)
{
  g_clear_pointer (&self->row_of_track, g_free); /* sorted or filtered anew */
  update_count (self);
}

static void
on_search_changed (SaCollectionPane *self)
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

static void
on_selected (SaCollectionPane *self)
{
  SaTrack *track = gtk_single_selection_get_selected_item (self->selection);

  if (track && (int) sa_track_get_index (track) != self->shown_track)
    {
      self->shown_track = (int) sa_track_get_index (track);
      g_signal_emit (self, signals[TRACK_SELECTED], 0, sa_track_get_index (track));
    }
}

/* ---- following the query ---- */

/* The list view inside the column view. */
static GtkWidget *
list_view (SaCollectionPane *self)
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
  SaCollectionPane *self = user_data;

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
  SaCollectionPane *self = user_data;
  guint pos = gtk_single_selection_get_selected (self->selection);
  GtkWidget *list = list_view (self);

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

/* The row of @track in the shown list, or GTK_INVALID_LIST_POSITION. */
static guint
row_of (SaCollectionPane *self, guint track)
{
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (shown);

  if (track < n)
    {
      /* unsorted and unfiltered, the row is the track: no search */
      g_autoptr (SaTrack) t = g_list_model_get_item (shown, track);
      if (sa_track_get_index (t) == track)
        return track;
    }
  if (self->row_of_track == NULL)
    {
      /* one pass over the shown rows (50 ms for 100,000), kept until they change */
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
  return self->row_of_track[track];
}

void
sa_collection_pane_show_track (SaCollectionPane *self, int track)
{
  SaTrack *selected;
  guint pos = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (SA_IS_COLLECTION_PANE (self));

  selected = gtk_single_selection_get_selected_item (self->selection);
  self->shown_track = track;
  if (track >= 0 && selected && sa_track_get_index (selected) == (guint) track)
    return; /* chosen in the list itself: it is in view */
  if (track >= 0 && self->collection)
    pos = row_of (self, (guint) track);
  gtk_single_selection_set_selected (self->selection, pos);
  if (pos != GTK_INVALID_LIST_POSITION && self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_selected_cb, self);
}

void
sa_collection_pane_set_collection (SaCollectionPane *self, SaCollection *collection)
{
  g_return_if_fail (SA_IS_COLLECTION_PANE (self));

  g_set_object (&self->collection, collection);
  self->shown_track = -1;
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (collection));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  update_count (self);
}

void
sa_collection_pane_set_show_folder (SaCollectionPane *self, gboolean show)
{
  g_return_if_fail (SA_IS_COLLECTION_PANE (self));
  /* no tags: the folder instead of empty Artist and Album columns */
  gtk_column_view_column_set_visible (self->folder_column, show);
  gtk_column_view_column_set_visible (self->artist_column, !show);
  gtk_column_view_column_set_visible (self->album_column, !show);
}

GListModel *
sa_collection_pane_get_shown (SaCollectionPane *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION_PANE (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

void
sa_collection_pane_focus_search (SaCollectionPane *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
sa_collection_pane_focus_list (SaCollectionPane *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->collection_view));
}

/* ---- life cycle ---- */

static void
sa_collection_pane_dispose (GObject *object)
{
  SaCollectionPane *self = SA_COLLECTION_PANE (object);

  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  if (self->scroll_tick && list_view (self))
    gtk_widget_remove_tick_callback (list_view (self), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_COLLECTION_PANE);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  g_clear_object (&self->collection);
  G_OBJECT_CLASS (sa_collection_pane_parent_class)->dispose (object);
}

static void
sa_collection_pane_finalize (GObject *object)
{
  SaCollectionPane *self = SA_COLLECTION_PANE (object);

  g_free (self->needle);
  g_free (self->row_of_track);
  G_OBJECT_CLASS (sa_collection_pane_parent_class)->finalize (object);
}

static void
sa_collection_pane_class_init (SaCollectionPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_collection_pane_dispose;
  object_class->finalize = sa_collection_pane_finalize;
  signals[TRACK_SELECTED]
      = g_signal_new ("track-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  g_type_ensure (SA_TYPE_TRACK);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-collection-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, collection_view);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, sort_model);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, filter_model);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, filter);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, selection);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_shown_changed);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, folder_column);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, artist_column);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, album_column);
}

static void
sa_collection_pane_init (SaCollectionPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (
      GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  self->shown_track = -1;
  gtk_custom_filter_set_filter_func (self->filter, filter_track, self, NULL);
}
