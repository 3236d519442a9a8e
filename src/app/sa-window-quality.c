/* sa-window-quality.c: mutual proximity, the user's marks and the weights learned from them
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mutual proximity: when the switch is on and the metric has it (Euclidean, Manhattan), the
 * moments are read from their cache or computed in a thread (sa_moments_get_async_with_progress,
 * read every PROGRESS_TICK_MS for the tuning row's bar); the window stays usable and ranks by
 * the plain distance until they are there.  A new
 * collection or metric cancels a computation that is no longer wanted.
 *
 * Marks: a result is a good or a bad match for the query (win.mark, win.mark-good,
 * win.mark-bad); they are saved beside the collection after every change (sa-marks.h) and
 * shown on the rows.  A damaged marks file is left alone: marks are then kept only until
 * the window closes, and the user is told.
 *
 * Tags: the tag file the user opened and the quality panel's label choice are remembered per
 * collection (GSettings tag-files, label-columns) and restored when it opens again; a
 * remembered file that is gone or damaged is said in a message, and nothing else changes.
 *
 * Suggested weights (win.suggest-weights): shown on the sliders first (sa-weights-panel.h),
 * applied by win.apply-suggestion; win.undo-weights (the bar's "Restore Previous Weights",
 * the toast's Undo) puts back the exact weights from before; win.dismiss-suggestion.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-format.h"
#include "sa-mark-buttons.h"
#include "sa-result.h"
#include "sa-suggest.h"
#include "sa-window-private.h"

#include <string.h>

static SaTuningRow *
tuning_row (SaWindow *self)
{
  return sa_weights_panel_get_tuning_row (self->weights_panel);
}

/* ---- mutual proximity ---- */

/* the job's threads stop at their next block of tracks */
static void
cancel_moments (SaWindow *self)
{
  if (self->moments_job)
    g_cancellable_cancel (self->moments_job);
  g_clear_object (&self->moments_job);
  g_clear_handle_id (&self->moments_tick, g_source_remove);
  g_clear_pointer (&self->moments_progress, sa_moments_progress_unref);
}

#define PROGRESS_TICK_MS 100

static gboolean
on_moments_tick (gpointer user_data)
{
  SaWindow *self = user_data;

  if (self->moments_progress)
    sa_tuning_row_set_progress (tuning_row (self),
                                sa_moments_progress_get_fraction (self->moments_progress));
  return G_SOURCE_CONTINUE;
}

static void
on_moments_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SaWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaMoments) moments = sa_moments_get_finish (result, &error);
  GCancellable *job = g_task_get_cancellable (G_TASK (result));

  if (job == NULL || job != self->moments_job)
    return; /* cancelled: a new collection or metric, or the window closed */
  g_clear_object (&self->moments_job);
  g_clear_handle_id (&self->moments_tick, g_source_remove);
  g_clear_pointer (&self->moments_progress, sa_moments_progress_unref);
  if (moments == NULL)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Mutual proximity is not available: %s"), error->message);
      sa_tuning_row_set_state (tuning_row (self), SA_MP_STATE_FAILED, error->message);
      sa_window_show_message (self, text);
      return;
    }
  g_clear_pointer (&self->moments, sa_moments_unref);
  self->moments = g_steal_pointer (&moments);
  sa_window_update_mutual_proximity (self);
}

void
sa_window_update_mutual_proximity (SaWindow *self)
{
  SaTuningRow *row = tuning_row (self);
  SaMetric metric = sa_weights_panel_get_metric (self->weights_panel);
  gboolean wanted = sa_tuning_row_get_mutual_proximity (row);
  gboolean was_on = self->search && sa_search_get_mutual_proximity (self->search) != NULL;
  gboolean standardize;

  if (!sa_moments_supports_metric (metric))
    {
      cancel_moments (self);
      if (self->search)
        sa_search_set_mutual_proximity (self->search, NULL);
      sa_tuning_row_set_state (row, SA_MP_STATE_UNAVAILABLE,
                               _ ("Mutual proximity needs Euclidean or Manhattan distance: a "
                                  "cosine distance does not add up over the feature sets, so "
                                  "its spread cannot follow the sliders"));
    }
  else if (!wanted || self->collection == NULL)
    {
      cancel_moments (self);
      if (self->search)
        sa_search_set_mutual_proximity (self->search, NULL);
      sa_tuning_row_set_state (row, SA_MP_STATE_OFF, NULL);
    }
  else if (self->moments && sa_moments_get_metric (self->moments) == metric
           && sa_moments_get_standardize (self->moments)
                  == sa_search_get_standardize (self->search))
    {
      cancel_moments (self);
      if (sa_search_set_mutual_proximity (self->search, self->moments))
        sa_tuning_row_set_state (row, SA_MP_STATE_READY, NULL);
      else
        sa_tuning_row_set_state (row, SA_MP_STATE_FAILED,
                                 _ ("The moments do not fit this collection"));
    }
  else
    {
      sa_search_set_mutual_proximity (self->search, NULL);
      sa_tuning_row_set_state (row, SA_MP_STATE_COMPUTING,
                               _ ("Measuring how far each clip is from the others: the "
                                  "results change when this is done"));
      if (self->moments_job == NULL || self->moments_job_metric != metric)
        {
          cancel_moments (self);
          self->moments_job = g_cancellable_new ();
          self->moments_job_metric = metric;
          standardize = sa_search_get_standardize (self->search);
          self->moments_progress = sa_moments_progress_new ();
          sa_tuning_row_set_progress (row, 0);
          self->moments_tick = g_timeout_add (PROGRESS_TICK_MS, on_moments_tick, self);
          sa_moments_get_async_with_progress (self->collection, metric, standardize, 0,
                                              self->moments_progress, self->moments_job,
                                              on_moments_ready, g_object_ref (self));
        }
    }
  if (self->search && was_on != (sa_search_get_mutual_proximity (self->search) != NULL))
    sa_window_rerank (self);
}

static void
on_mutual_proximity_changed (SaWindow *self)
{
  sa_window_update_mutual_proximity (self);
}

/* ---- the quality panel ---- */

void
sa_window_update_quality_panel (SaWindow *self)
{
  double weights[SA_MAX_SETS] = { 0 };

  if (self->collection == NULL || self->search == NULL)
    return;
  sa_weights_panel_get_weights (self->weights_panel, weights);
  sa_quality_panel_set_setting (sa_tuning_row_get_quality_panel (tuning_row (self)),
                                sa_weights_panel_get_metric (self->weights_panel),
                                sa_search_get_standardize (self->search), weights,
                                sa_search_get_mutual_proximity (self->search));
}

static void
on_open_hub (SaWindow *self, guint track)
{
  sa_window_set_query (self, (int) track);
}

/* ---- marks ---- */

void
sa_window_show_marks (SaWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  int query = sa_window_query_track (self);
  gint64 qid
      = query >= 0 && self->collection ? sa_collection_get_clip_id (self->collection, query) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      guint track = sa_result_get_index (r);
      SaMarkKind kind = SA_MARK_NONE;

      if (query >= 0 && self->marks && (int) track != query)
        kind = sa_marks_get (self->marks, qid, sa_collection_get_clip_id (self->collection, track));
      sa_result_set_mark (r, kind);
      if (self->tags)
        {
          g_autofree char *tags = sa_labels_describe (self->tags, track);
          sa_result_set_tags (r, tags);
        }
    }
}

/* ---- tags ---- */

char *
sa_window_track_tags (SaWindow *self, int track)
{
  if (self->tags == NULL || track < 0 || (guint) track >= sa_labels_get_n_tracks (self->tags))
    return NULL;
  return sa_labels_describe (self->tags, (guint) track);
}

gboolean
sa_window_open_tags (SaWindow *self, const char *path, GError **error)
{
  SaLabels *tags;

  g_return_val_if_fail (self->collection != NULL, FALSE);

  tags = sa_labels_load_tags (self->collection, path, error);
  if (tags == NULL)
    return FALSE;
  g_clear_pointer (&self->tags, sa_labels_free);
  g_free (self->tags_path);
  self->tags = tags;
  self->tags_path = g_strdup (path);
  sa_results_view_set_show_tags (self->similar_clips, TRUE);
  sa_quality_panel_set_tag_file (sa_tuning_row_get_quality_panel (tuning_row (self)), path);
  sa_window_show_query (self);
  sa_window_remember_for_collection (self->settings, "tag-files", self->collection, path);
  return TRUE;
}

/* the label column the user chose, remembered for the collection */
static void
on_label_changed (SaWindow *self)
{
  g_autofree char *choice = NULL;

  if (self->restoring_labels || self->collection == NULL)
    return;
  choice = sa_quality_panel_dup_label_choice (sa_tuning_row_get_quality_panel (tuning_row (self)));
  sa_window_remember_for_collection (self->settings, "label-columns", self->collection, choice);
}

void
sa_window_quality_restore (SaWindow *self)
{
  g_autofree char *tags = NULL, *choice = NULL;
  g_autoptr (GError) error = NULL;

  if (self->collection == NULL)
    return;
  self->restoring_labels = TRUE;
  tags = sa_window_recall_for_collection (self->settings, "tag-files", self->collection);
  if (tags && !g_file_test (tags, G_FILE_TEST_EXISTS))
    {
      /* said quietly, after what opening the collection said; the file stays remembered
       * (it may be on a disk not mounted now) until the user opens another */
      g_autofree char *name = g_filename_display_name (tags);
      g_autofree char *text
          = g_strdup_printf (_ ("The tag file of this collection is gone: %s"), name);
      sa_window_show_message_after (self, text);
    }
  else if (tags && !sa_window_open_tags (self, tags, &error))
    {
      g_autofree char *text = g_strdup_printf (
          _ ("The tag file of this collection could not be read: %s"), error->message);
      sa_window_show_message_after (self, text);
    }
  choice = sa_window_recall_for_collection (self->settings, "label-columns", self->collection);
  if (choice)
    sa_quality_panel_set_label_choice (sa_tuning_row_get_quality_panel (tuning_row (self)), choice);
  self->restoring_labels = FALSE;
}

static void
on_tags_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file ? g_file_get_path (file) : NULL;
  if (path && self->collection && !sa_window_open_tags (self, path, &error))
    sa_window_show_message (self, error->message);
  g_object_unref (chooser);
}

static void
action_open_tags (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->collection == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_ ("Open a Tag File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _ ("Tag files (.csv)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  {
    g_autofree char *dir = g_path_get_dirname (sa_collection_get_features_path (self->collection));
    g_autoptr (GFile) folder = g_file_new_for_path (dir);
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  }
  g_signal_connect (chooser, "response", G_CALLBACK (on_tags_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
mark_track (SaWindow *self, guint track, SaMarkKind kind)
{
  int query = sa_window_query_track (self);
  g_autoptr (GError) error = NULL;

  if (self->collection == NULL || self->marks == NULL)
    return;
  if (query < 0)
    {
      sa_window_show_message (self, _ ("Only results of a query from the collection can be "
                                       "marked"));
      return;
    }
  if ((int) track == query || track >= sa_collection_get_n_tracks (self->collection))
    return;
  sa_marks_set (self->marks, sa_collection_get_clip_id (self->collection, query),
                sa_collection_get_clip_id (self->collection, track), kind);
  sa_window_show_marks (self);
  if (self->marks_path == NULL)
    sa_window_show_message (self, _ ("The marks are kept only until the window closes: the "
                                     "marks file could not be read"));
  else if (!sa_marks_save (self->marks, self->marks_path, &error))
    {
      g_autofree char *text
          = g_strdup_printf (_ ("The marks could not be saved: %s"), error->message);
      sa_window_show_message (self, text);
    }
}

static void
action_mark (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  guint track, kind;

  g_variant_get (param, "(uu)", &track, &kind);
  if (kind <= SA_MARK_BAD)
    mark_track (self, track, (SaMarkKind) kind);
}

/* + and -: the selected result; the same key again removes the mark */
static void
action_mark_selected (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  SaMarkKind kind = g_str_equal (name, "win.mark-good") ? SA_MARK_GOOD : SA_MARK_BAD;
  guint pos = sa_results_view_get_selected (self->similar_clips);
  g_autoptr (SaResult) r = NULL;

  if (self->collection == NULL)
    return;
  if (pos != GTK_INVALID_LIST_POSITION)
    r = g_list_model_get_item (G_LIST_MODEL (self->results), pos);
  if (r == NULL || (int) sa_result_get_index (r) == sa_window_query_track (self))
    {
      sa_window_show_message (self, _ ("Select a similar clip to mark it as a good or a bad "
                                       "match"));
      return;
    }
  mark_track (self, sa_result_get_index (r),
              sa_result_get_mark (r) == (int) kind ? SA_MARK_NONE : kind);
}

/* ---- suggested weights ---- */

static char *
describe_weights (SaWindow *self, const double *weights)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < sa_collection_get_n_sets (self->collection); i++)
    {
      g_autofree char *value = sa_format_decimal (weights[i], 2);
      g_string_append_printf (s, "%s%s %s", i ? ", " : "",
                              sa_collection_get_set (self->collection, i)->name, value);
    }
  return g_string_free (s, FALSE);
}

static void
action_suggest_weights (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  double current[SA_MAX_SETS];
  SaSuggestion suggestion;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *described = NULL;

  if (self->collection == NULL)
    return;
  if (self->marks == NULL || sa_marks_get_n (self->marks) == 0)
    {
      sa_window_show_message (self, _ ("No marks yet: mark some results as good (+) or bad (−) "
                                       "matches for their query, then suggest weights"));
      return;
    }
  sa_weights_panel_get_weights (self->weights_panel, current);
  if (!sa_suggest_weights (
          self->collection, self->marks, sa_weights_panel_get_metric (self->weights_panel),
          sa_search_get_standardize (self->search), TRUE, current, &suggestion, &error))
    {
      text = g_strdup_printf (_ ("No weights can be suggested: %s"), error->message);
      sa_window_show_message (self, text);
      return;
    }
  if (suggestion.n_pairs == 0)
    {
      sa_window_show_message (self, _ ("Mark at least one good and one bad match for the same "
                                       "query, then suggest weights"));
      return;
    }
  for (guint i = 0; i < SA_MAX_SETS; i++)
    suggestion.weights[i] = CLAMP (suggestion.weights[i], 0, 1); /* the sliders' range */
  if (memcmp (suggestion.weights, current,
              sa_collection_get_n_sets (self->collection) * sizeof (double))
      == 0)
    {
      /* the marks do not clearly favour other weights (sa-suggest.h): nothing to preview */
      text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "Your marks do not clearly favour other weights: these put %u of %u "
                       "marked pair in order",
                       "Your marks do not clearly favour other weights: these put %u of %u "
                       "marked pairs in order",
                       suggestion.n_pairs),
          suggestion.n_satisfied_current, suggestion.n_pairs);
      /* a preview still shown is stale; an applied one keeps its Restore */
      if (sa_weights_panel_get_suggestion_state (self->weights_panel) == SA_SUGGESTION_SHOWN)
        sa_weights_panel_clear_suggestion (self->weights_panel);
      sa_window_show_message (self, text);
      return;
    }
  described = describe_weights (self, suggestion.weights);
  /* Translators: "Suggested rp 0,32, ssd 0,90: 12 of 15 marked pairs in order, 9 now" */
  text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Suggested %s: %u of %u marked pair in order, %u now",
                   "Suggested %s: %u of %u marked pairs in order, %u now", suggestion.n_pairs),
      described, suggestion.n_satisfied, suggestion.n_pairs, suggestion.n_satisfied_current);
  /* shown on the sliders, which stay where they are until the user applies it */
  sa_weights_panel_show_suggestion (self->weights_panel, suggestion.weights, text);
}

static void
action_apply_suggestion (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  double current[SA_MAX_SETS], suggested[SA_MAX_SETS];
  g_autofree char *before = NULL, *after = NULL, *text = NULL;

  if (self->collection == NULL || !sa_weights_panel_get_suggestion (self->weights_panel, suggested))
    return;
  sa_weights_panel_get_weights (self->weights_panel, current);
  memcpy (self->undo_weights, current, sizeof current);
  self->have_undo_weights = TRUE;
  gtk_widget_action_set_enabled (widget, "win.undo-weights", TRUE);
  before = describe_weights (self, current);
  after = describe_weights (self, suggested);
  /* Translators: "Weights rp 0,32, ssd 0,90 (were rp 0,50, ssd 0,90)" */
  text = g_strdup_printf (_ ("Weights %s (were %s)"), after, before);
  sa_weights_panel_apply_suggestion (self->weights_panel, text);
  sa_window_show_toast (self, _ ("Suggested weights applied"), _ ("_Undo"), "win.undo-weights");
}

static void
action_dismiss_suggestion (GtkWidget *widget, const char *name, GVariant *param)
{
  sa_weights_panel_clear_suggestion (SA_WINDOW (widget)->weights_panel);
}

static void
action_undo_weights (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (!self->have_undo_weights || self->collection == NULL)
    return;
  self->have_undo_weights = FALSE;
  sa_weights_panel_clear_suggestion (self->weights_panel); /* first: the focus leaves the bar */
  gtk_widget_action_set_enabled (widget, "win.undo-weights", FALSE);
  sa_weights_panel_set_weights (self->weights_panel, self->undo_weights);
  {
    g_autofree char *described = describe_weights (self, self->undo_weights);
    /* Translators: "Previous weights restored: rp 0,50, ssd 0,90" */
    g_autofree char *text = g_strdup_printf (_ ("Previous weights restored: %s"), described);
    sa_window_show_message (self, text); /* in place of the toast that offered it */
  }
}

/* ---- the window's life ---- */

void
sa_window_quality_set_collection (SaWindow *self)
{
  g_autoptr (GError) error = NULL;

  cancel_moments (self);
  g_clear_pointer (&self->moments, sa_moments_unref);
  g_clear_pointer (&self->marks, sa_marks_free);
  g_clear_pointer (&self->marks_path, g_free);
  g_clear_pointer (&self->tags, sa_labels_free); /* made for the collection before */
  g_clear_pointer (&self->tags_path, g_free);
  sa_results_view_set_show_tags (self->similar_clips, FALSE);
  self->have_undo_weights = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-weights", FALSE);
  self->restoring_labels = TRUE;
  sa_quality_panel_set_collection (sa_tuning_row_get_quality_panel (tuning_row (self)),
                                   self->collection);
  self->restoring_labels = FALSE;
  if (self->collection == NULL)
    return;
  self->marks_path = sa_marks_default_path (self->collection);
  self->marks = sa_marks_load (self->marks_path, &error);
  if (self->marks == NULL)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Your marks could not be read: %s"), error->message);
      g_clear_pointer (&self->marks_path, g_free); /* never written over */
      self->marks = sa_marks_new ();
      sa_window_show_message (self, text);
    }
}

void
sa_window_quality_dispose (SaWindow *self)
{
  cancel_moments (self);
  g_clear_pointer (&self->moments, sa_moments_unref);
  g_clear_pointer (&self->marks, sa_marks_free);
  g_clear_pointer (&self->marks_path, g_free);
  g_clear_pointer (&self->tags, sa_labels_free);
  g_clear_pointer (&self->tags_path, g_free);
}

void
sa_window_init_quality (SaWindow *self)
{
  g_signal_connect_object (tuning_row (self), "notify::mutual-proximity",
                           G_CALLBACK (on_mutual_proximity_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sa_tuning_row_get_quality_panel (tuning_row (self)), "open-track",
                           G_CALLBACK (on_open_hub), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sa_tuning_row_get_quality_panel (tuning_row (self)), "label-changed",
                           G_CALLBACK (on_label_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-weights", FALSE);
  sa_window_update_mutual_proximity (self);
}

void
sa_window_class_add_quality_actions (GtkWidgetClass *widget_class)
{
  g_type_ensure (SA_TYPE_MARK_BUTTONS); /* in the results' rows */
  gtk_widget_class_install_action (widget_class, "win.mark", "(uu)", action_mark);
  gtk_widget_class_install_action (widget_class, "win.mark-good", NULL, action_mark_selected);
  gtk_widget_class_install_action (widget_class, "win.mark-bad", NULL, action_mark_selected);
  gtk_widget_class_install_action (widget_class, "win.suggest-weights", NULL,
                                   action_suggest_weights);
  gtk_widget_class_install_action (widget_class, "win.apply-suggestion", NULL,
                                   action_apply_suggestion);
  gtk_widget_class_install_action (widget_class, "win.dismiss-suggestion", NULL,
                                   action_dismiss_suggestion);
  gtk_widget_class_install_action (widget_class, "win.undo-weights", NULL, action_undo_weights);
  gtk_widget_class_install_action (widget_class, "win.open-tags", NULL, action_open_tags);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "win.mark-good", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "win.mark-good", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "win.mark-bad", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "win.mark-bad", NULL);
}
