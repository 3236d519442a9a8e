/* sa-collection-pane.c: the search entry, the collection's column view, the count
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows and the columns are in ui/sa-collection-pane.ui.  The shown rows are an SaRows
 * (below): the collection's tracks in the order of the sorted column, filtered by the search,
 * as one array of track indices.  The array is computed in a thread from keys computed once
 * per collection (the natural order of every title, artist and album, sa-track.h; the search
 * text of every track, sa_collection_track_matches), so that sorting or searching a million
 * tracks never holds up the main loop: meanwhile the count says "Sorting… 40 %".  Small
 * collections are done at once.  The column view's own sorter only keeps the header state:
 * which column it sorts by, and in which direction, is read from it (see read_sort).
 *
 * Choosing a row emits "track-selected" with the track's index; the window makes it the query
 * and tells the pane which row to show with sa_collection_pane_show_track.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "sa-collection-pane.h"
#include "sa-format.h"
#include "sa-track.h"

/* ---- the shown rows ---- */

#define SA_TYPE_ROWS (sa_rows_get_type ())
G_DECLARE_FINAL_TYPE (SaRows, sa_rows, SA, ROWS, GObject)

struct _SaRows
{
  GObject parent_instance;
  SaCollection *collection;
  guint *tracks; /* the track of every row; NULL: all tracks in collection order */
  guint n;
};

static gpointer
rows_get_item (GListModel *list, guint position)
{
  SaRows *self = SA_ROWS (list);
  guint track = self->tracks && position < self->n ? self->tracks[position] : position;

  return position < self->n ? sa_track_new (self->collection, track) : NULL;
}

static guint
rows_get_n_items (GListModel *list)
{
  return SA_ROWS (list)->n;
}

static GType
rows_get_item_type (GListModel *list)
{
  return SA_TYPE_TRACK;
}

static void
sa_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rows_get_item_type;
  iface->get_n_items = rows_get_n_items;
  iface->get_item = rows_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SaRows, sa_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sa_rows_list_model_init))

static void
sa_rows_finalize (GObject *object)
{
  SaRows *self = SA_ROWS (object);

  g_clear_object (&self->collection);
  g_free (self->tracks);
  G_OBJECT_CLASS (sa_rows_parent_class)->finalize (object);
}

static void
sa_rows_class_init (SaRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sa_rows_finalize;
}

static void
sa_rows_init (SaRows *self)
{
}

/* Takes @tracks (NULL: all of @collection in its order).  All rows are removed, then the new
 * ones added, in two items-changed: when one signal removes a row the list view follows (the
 * focus, the selection, the scroll anchor) and adds others, GTK 4.8's list item manager looks
 * for that row's item among all added rows by identity (gtk_list_item_manager_model_items_
 * changed_cb), which made a million new SaTracks and held up the main loop for 0.3 s. */
static void
sa_rows_set (SaRows *self, SaCollection *collection, guint *tracks, guint n)
{
  guint old = self->n;

  g_set_object (&self->collection, collection);
  g_free (self->tracks);
  self->tracks = tracks;
  self->n = 0;
  if (old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
  self->n = collection ? n : 0;
  if (self->n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n);
}

/* ---- the pane ---- */

/* The sortable columns, in the order of their probes. */
typedef enum
{
  SORT_NONE = -1,
  SORT_ARTIST,
  SORT_TITLE,
  SORT_ALBUM,
  SORT_FOLDER,
  SORT_LENGTH,
  N_SORTS
} SortColumn;

/* Below this many tracks the rows are computed at once, on the main thread. */
#define ROWS_THREAD_MIN_TRACKS 20000

typedef struct _RowsJob RowsJob;

typedef struct
{
  SaCollectionPane *pane;
  SortColumn column;
} Probe;

struct _SaCollectionPane
{
  GtkWidget parent_instance;

  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkColumnView *collection_view;
  GtkSingleSelection *selection;
  GtkLabel *count_label;
  GtkColumnViewColumn *folder_column;
  GtkColumnViewColumn *artist_column;
  GtkColumnViewColumn *album_column;
  GtkColumnViewColumn *title_column;
  GtkColumnViewColumn *length_column;

  SaRows *rows;
  SaCollection *collection;
  char *needle;        /* casefolded search text */
  int shown_track;     /* the track whose row we selected, not the user */
  guint *row_of_track; /* a track's row in the shown list; NULL: the row is the track */
  guint scroll_idle;
  guint scroll_tick;

  SortColumn sort_column;
  gboolean descending;
  Probe probes[N_SORTS];
  GtkSorter *view_sorter; /* the column view's */
  SortColumn probed;
  GObject *probe_items[2];

  RowsJob *job; /* the rows being computed, or NULL */
  guint progress_tick;
};

enum
{
  TRACK_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaCollectionPane, sa_collection_pane, GTK_TYPE_WIDGET)

/* ---- sorting and searching, in a thread ---- */

struct _RowsJob
{
  SaCollectionPane *pane; /* NULL once the pane has moved on */
  GCancellable *cancellable;
  SaCollection *collection;
  SortColumn column;
  gboolean descending;
  char *needle;   /* casefolded; NULL or "": no search */
  gint per_mille; /* progress, atomic */
  gint sorting;   /* atomic: TRUE until the order is known */
  guint *tracks;  /* the result: n rows, and the row of every track */
  guint n;
  guint *row_of_track;
};

static void
rows_job_free (RowsJob *job)
{
  g_clear_object (&job->collection);
  g_clear_object (&job->cancellable);
  g_free (job->needle);
  g_free (job->tracks);
  g_free (job->row_of_track);
  g_free (job);
}

typedef struct
{
  double seconds;
  guint track;
} ByLength;

static int
compare_length (gconstpointer a, gconstpointer b)
{
  const ByLength *x = a, *y = b;

  if (x->seconds != y->seconds)
    return x->seconds < y->seconds ? -1 : 1;
  return (x->track > y->track) - (x->track < y->track);
}

/* The tracks in the order of @job's column (ascending, ties in collection order). */
static guint *
sorted_tracks (RowsJob *job)
{
  static const SaField natural[] = {
    [SORT_ARTIST] = SA_FIELD_ARTIST, [SORT_TITLE] = SA_FIELD_TITLE, [SORT_ALBUM] = SA_FIELD_ALBUM
  };
  SaCollection *c = job->collection;
  guint n = sa_collection_get_n_tracks (c);
  guint *tracks;
  ByLength *by_length;

  if (job->column == SORT_FOLDER)
    return sa_collection_sort_naturally (c, sa_collection_dup_folder);
  tracks = g_new (guint, MAX (n, 1));
  if (job->column != SORT_LENGTH)
    {
      /* the natural order is computed once per collection (the first call), then read */
      for (guint t = 0; t < n; t++)
        tracks[sa_collection_get_natural_order (c, t, natural[job->column])] = t;
      return tracks;
    }
  by_length = g_new (ByLength, MAX (n, 1));
  for (guint t = 0; t < n; t++)
    {
      double d = sa_collection_get_duration (c, t);
      by_length[t].seconds = d > 0 ? d : 0; /* unknown (NaN) first, with the zeros */
      by_length[t].track = t;
    }
  qsort (by_length, n, sizeof *by_length, compare_length);
  for (guint r = 0; r < n; r++)
    tracks[r] = by_length[r].track;
  g_free (by_length);
  return tracks;
}

static void
compute_rows (RowsJob *job, GCancellable *cancellable)
{
  SaCollection *c = job->collection;
  guint n = sa_collection_get_n_tracks (c);
  g_autofree guint *order = NULL;
  gboolean search = job->needle && *job->needle;
  guint kept = 0;

  if (job->column != SORT_NONE)
    order = sorted_tracks (job);
  g_atomic_int_set (&job->sorting, FALSE);
  job->tracks = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint r = job->descending ? n - 1 - i : i;
      guint t = order ? order[r] : r;
      if (!search || sa_collection_track_matches (c, t, job->needle))
        job->tracks[kept++] = t;
      if ((i & 4095) == 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            return;
          g_atomic_int_set (&job->per_mille, (int) ((guint64) i * 1000 / n));
        }
    }
  job->n = kept;
  job->row_of_track = g_new (guint, MAX (n, 1));
  for (guint t = 0; t < n; t++)
    job->row_of_track[t] = GTK_INVALID_LIST_POSITION;
  for (guint r = 0; r < kept; r++)
    job->row_of_track[job->tracks[r]] = r;
}

static void
rows_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  compute_rows (data, cancellable);
  g_task_return_boolean (task, TRUE);
}

static void
update_count (SaCollectionPane *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint all = self->collection ? sa_collection_get_n_tracks (self->collection) : 0;
  g_autofree char *text = NULL, *a = sa_format_count (all), *s = sa_format_count (shown);

  if (self->job)
    {
      int percent = g_atomic_int_get (&self->job->per_mille) / 10;
      if (g_atomic_int_get (&self->job->sorting) && percent == 0)
        text = g_strdup (_ ("Sorting…"));
      else
        /* Translators: progress of sorting or searching the list; %d is a percentage */
        text = g_strdup_printf (self->job->column != SORT_NONE ? _ ("Sorting… %d %%")
                                                               : _ ("Searching… %d %%"),
                                percent);
    }
  else if (shown == all)
    /* Translators: %s is a count in the user's locale ("100,000") */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s track", "%s tracks", all), a);
  else
    /* Translators: "12 of 6,380 tracks" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s track", "%s of %s tracks", all),
                            s, a);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack,
                                    shown > 0 || all == 0 || self->job ? "list" : "empty");
}

static gboolean
progress_cb (gpointer user_data)
{
  update_count (user_data);
  return G_SOURCE_CONTINUE;
}

/* Shows @job's rows (taking them), keeping the shown track selected. */
static void
show_rows (SaCollectionPane *self, RowsJob *job)
{
  guint n = sa_collection_get_n_tracks (self->collection);
  gboolean identity = job->column == SORT_NONE && !job->descending && job->n == n;
  guint *tracks = g_steal_pointer (&job->tracks);

  /* unselected first: GtkSingleSelection would otherwise look for its item among all rows */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_free (self->row_of_track);
  self->row_of_track = identity ? NULL : g_steal_pointer (&job->row_of_track);
  if (identity)
    g_clear_pointer (&tracks, g_free);
  sa_rows_set (self->rows, self->collection, tracks, job->n);
  if (self->shown_track >= 0)
    {
      guint row
          = self->row_of_track ? self->row_of_track[self->shown_track] : (guint) self->shown_track;
      gtk_single_selection_set_selected (self->selection, row);
    }
  update_count (self);
}

static void
rows_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RowsJob *job = g_task_get_task_data (G_TASK (result));
  SaCollectionPane *self = job->pane;

  if (self == NULL)
    return; /* cancelled */
  self->job = NULL;
  g_clear_handle_id (&self->progress_tick, g_source_remove);
  show_rows (self, job);
  g_object_unref (self);
}

/* Forgets the rows being computed, and stops the thread computing them. */
static void
cancel_job (SaCollectionPane *self)
{
  if (self->job == NULL)
    return;
  g_cancellable_cancel (self->job->cancellable);
  self->job->pane = NULL;
  self->job = NULL;
  g_clear_handle_id (&self->progress_tick, g_source_remove);
  g_object_unref (self); /* the job's reference: never the last one here */
}

/* Computes the rows for the current column, direction and search: in a thread for large
 * collections (a job still running is cancelled), at once for small ones. */
static void
recompute_rows (SaCollectionPane *self)
{
  RowsJob *job;

  cancel_job (self);
  if (self->collection == NULL || self->rows == NULL)
    return;
  job = g_new0 (RowsJob, 1);
  job->collection = g_object_ref (self->collection);
  job->column = self->sort_column;
  job->descending = self->descending && self->sort_column != SORT_NONE;
  job->needle = g_strdup (self->needle);
  job->sorting = job->column != SORT_NONE;
  if (sa_collection_get_n_tracks (self->collection) < ROWS_THREAD_MIN_TRACKS)
    {
      compute_rows (job, NULL);
      show_rows (self, job);
      rows_job_free (job);
      return;
    }
  {
    g_autoptr (GTask) task = NULL;
    job->cancellable = g_cancellable_new ();
    task = g_task_new (NULL, job->cancellable, rows_done, NULL);
    job->pane = g_object_ref (self);
    self->job = job;
    g_task_set_task_data (task, job, (GDestroyNotify) rows_job_free);
    g_task_run_in_thread (task, rows_thread);
  }
  if (self->progress_tick == 0)
    self->progress_tick = g_timeout_add (100, progress_cb, self);
  update_count (self);
}

static void
on_search_changed (SaCollectionPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (text, -1);

  g_strstrip (needle);
  if (g_strcmp0 (needle, self->needle ? self->needle : "") == 0)
    return;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  recompute_rows (self);
}

/* Which column the view sorts by, and how: its sorter asks the sorted column's sorter first,
 * and inverts the answer when the column is sorted descending.  Each column's sorter is a probe
 * that notes that it was asked and answers "larger" (GTK 4.8 has no getter for the column). */
static int
probe_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Probe *probe = user_data;
  probe->pane->probed = probe->column;
  return GTK_ORDERING_LARGER;
}

static void
on_sorter_changed (SaCollectionPane *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->collection_view);
  GtkOrdering order;

  self->probed = SORT_NONE;
  order = gtk_sorter_compare (sorter, self->probe_items[0], self->probe_items[1]);
  if (order == GTK_ORDERING_EQUAL)
    self->probed = SORT_NONE;
  if (self->probed == self->sort_column && (order == GTK_ORDERING_SMALLER) == self->descending)
    return;
  self->sort_column = self->probed;
  self->descending = order == GTK_ORDERING_SMALLER;
  recompute_rows (self);
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

/* ---- the cells ---- */

/* A cell is one label made in code: a GtkBuilderListItemFactory parses its template for every
 * cell it makes, which cost 100-500 ms each time a sort or a search replaced the visible rows. */
static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SortColumn column = GPOINTER_TO_INT (user_data);
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, column == SORT_LENGTH ? 1 : 0);
  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (label, TRUE);
  if (column == SORT_LENGTH)
    gtk_widget_add_css_class (GTK_WIDGET (label), "numeric");
  else
    gtk_label_set_width_chars (label, column == SORT_TITLE ? 10 : 6);
  if (column != SORT_LENGTH && column != SORT_TITLE)
    gtk_label_set_max_width_chars (label, 18);
  gtk_list_item_set_child (item, GTK_WIDGET (label));
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SaTrack *track = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL, *tooltip = NULL;

  switch ((SortColumn) GPOINTER_TO_INT (user_data))
    {
      case SORT_ARTIST:
        gtk_label_set_label (label, sa_track_get_artist (track));
        return;
      case SORT_ALBUM:
        gtk_label_set_label (label, sa_track_get_album (track));
        return;
      case SORT_TITLE:
        text = sa_track_dup_display_title (track);
        tooltip = sa_track_dup_display_path (track);
        gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
        break;
      case SORT_FOLDER:
        text = sa_track_dup_folder (track);
        break;
      case SORT_LENGTH:
        text = sa_format_duration (sa_track_get_duration (track));
        break;
      default:
        g_assert_not_reached ();
    }
  gtk_label_set_label (label, text);
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
  if (self->row_of_track)
    return self->row_of_track[track];
  return track < self->rows->n ? track : GTK_INVALID_LIST_POSITION;
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

  if (self->rows == NULL)
    return; /* disposed (the window lets go of its collection) */
  g_set_object (&self->collection, collection);
  self->shown_track = -1;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_clear_pointer (&self->row_of_track, g_free);
  sa_rows_set (self->rows, collection, NULL,
               collection ? sa_collection_get_n_tracks (collection) : 0);
  cancel_job (self);
  if (collection && (self->sort_column != SORT_NONE || (self->needle && *self->needle)))
    recompute_rows (self);
  else
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
  return G_LIST_MODEL (self->rows);
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
  cancel_job (self);
  if (self->view_sorter)
    g_signal_handlers_disconnect_by_data (self->view_sorter, self);
  g_clear_object (&self->view_sorter);
  if (self->scroll_tick && list_view (self))
    gtk_widget_remove_tick_callback (list_view (self), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_COLLECTION_PANE);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  g_clear_object (&self->collection);
  g_clear_object (&self->rows);
  g_clear_object (&self->probe_items[0]);
  g_clear_object (&self->probe_items[1]);
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
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, selection);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selected);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, folder_column);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, artist_column);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, album_column);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, title_column);
  gtk_widget_class_bind_template_child (widget_class, SaCollectionPane, length_column);
}

static void
sa_collection_pane_init (SaCollectionPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (
      GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  GtkColumnViewColumn *columns[N_SORTS];

  self->shown_track = -1;
  self->sort_column = SORT_NONE;
  self->rows = g_object_new (SA_TYPE_ROWS, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->rows));
  columns[SORT_ARTIST] = self->artist_column;
  columns[SORT_TITLE] = self->title_column;
  columns[SORT_ALBUM] = self->album_column;
  columns[SORT_FOLDER] = self->folder_column;
  columns[SORT_LENGTH] = self->length_column;
  for (int i = 0; i < N_SORTS; i++)
    {
      g_autoptr (GtkCustomSorter) probe = NULL;
      self->probes[i].pane = self;
      self->probes[i].column = i;
      g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      probe = gtk_custom_sorter_new (probe_compare, &self->probes[i], NULL);
      gtk_column_view_column_set_sorter (columns[i], GTK_SORTER (probe));
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GINT_TO_POINTER (i));
      gtk_column_view_column_set_factory (columns[i], factory);
    }
  self->probe_items[0] = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_items[1] = g_object_new (G_TYPE_OBJECT, NULL);
  self->view_sorter = g_object_ref (gtk_column_view_get_sorter (self->collection_view));
  g_signal_connect_swapped (self->view_sorter, "changed", G_CALLBACK (on_sorter_changed), self);
}
