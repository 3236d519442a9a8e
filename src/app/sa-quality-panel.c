/* sa-quality-panel.c: hubness and precision of the current setting, measured in a thread
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change of the setting (weights, metric, mutual proximity, the label column) waits
 * DEBOUNCE_MS for the next, then cancels the measurement under way and starts another in a
 * thread (sa_quality_evaluate on a fixed sample of at most SA_QUALITY_PANEL_MAX_QUERIES
 * queries, and it says so): the main loop never waits.  Nothing is measured while the panel
 * is not shown.  The top hubs are rows; activating one emits "open-track".
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sa-format.h"
#include "sa-labels.h"
#include "sa-quality-panel.h"
#include "sa-quality.h"
#include "sa-track.h"

#define DEBOUNCE_MS 250
#define N_HUBS      5

struct _SaQualityPanel
{
  GtkWidget parent_instance;

  GtkGrid *grid;
  GtkLabel *skew_label;
  GtkLabel *antihub_title;
  GtkLabel *antihub_label;
  GtkDropDown *label_dropdown;
  GtkLabel *precision_label;
  GtkListBox *hubs_list;
  GtkSpinner *spinner;
  GtkLabel *quality_status;

  SaCollection *collection;
  GPtrArray *columns; /* the dropdown's column names after "None" (and the tag file) */
  char *tag_path;     /* the tag file, the dropdown's second entry, or NULL */
  SaMetric metric;
  gboolean standardize;
  double weights[SA_MAX_SETS];
  SaMoments *moments;
  gboolean have_setting;
  guint timeout;
  GCancellable *job;
};

enum
{
  OPEN_TRACK,
  LABEL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaQualityPanel, sa_quality_panel, GTK_TYPE_WIDGET)

typedef struct
{
  SaCollection *collection;
  SaQualityOptions options;
  char *column;
  char *tag_path;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->options.moments, sa_moments_unref);
  g_clear_pointer (&job->options.labels, sa_labels_free);
  g_clear_object (&job->collection);
  g_free (job->column);
  g_free (job->tag_path);
  g_free (job);
}

static void
measure_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;
  SaQuality *quality;

  if (job->column || job->tag_path)
    {
      job->options.labels = job->tag_path
                                ? sa_labels_load_tags (job->collection, job->tag_path, &error)
                                : sa_labels_from_column (job->collection, job->column, &error);
      if (job->options.labels == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  quality = sa_quality_evaluate (job->collection, &job->options, cancellable, &error);
  if (quality == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, quality, (GDestroyNotify) sa_quality_free);
}

static void
clear_hubs (SaQualityPanel *self)
{
  GtkWidget *row;
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->hubs_list))))
    gtk_list_box_remove (self->hubs_list, row);
}

static void
show_quality (SaQualityPanel *self, SaQuality *q)
{
  guint hubs[N_HUBS], n_hubs;
  g_autofree char *skew = sa_format_decimal (q->skewness, 2);
  g_autofree char *anti = sa_format_percent (q->antihub_rate, 1);

  gtk_label_set_text (self->skew_label, skew);
  gtk_label_set_text (self->antihub_label, anti);
  /* a sample of queries fills fewer lists: say which lists were counted */
  gtk_label_set_text (self->antihub_title, q->sampled ? _ ("Clips in none of the sampled top 10s")
                                                      : _ ("Clips in no one's top 10"));
  if (isnan (q->precision_at_k))
    gtk_label_set_text (self->precision_label, "–");
  else
    {
      g_autofree char *p = sa_format_decimal (q->precision_at_k, 3);
      gtk_label_set_text (self->precision_label, p);
    }
  clear_hubs (self);
  n_hubs = sa_quality_top_hubs (q, N_HUBS, hubs);
  for (guint i = 0; i < n_hubs; i++)
    {
      g_autofree char *title = sa_collection_dup_display_title (self->collection, hubs[i]);
      /* Translators: a clip and in how many top-10 lists it is */
      g_autofree char *text
          = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — in %u list", "%s — in %u lists",
                                          q->k_occurrence[hubs[i]]),
                             title ? title : "?", q->k_occurrence[hubs[i]]);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_widget_set_tooltip_text (row, _ ("Make this clip the query"));
      g_object_set_data (G_OBJECT (row), "track", GUINT_TO_POINTER (hubs[i]));
      gtk_list_box_append (self->hubs_list, row);
    }
  if (q->sampled)
    {
      g_autofree char *a = sa_format_count (q->n_queries);
      g_autofree char *b = sa_format_count (q->n_tracks);
      g_autofree char *text = g_strdup_printf (_ ("Sampled: %s of %s clips as queries"), a, b);
      gtk_label_set_text (self->quality_status, text);
    }
  else
    gtk_label_set_text (self->quality_status, _ ("Every clip as a query"));
}

static void
on_measured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SaQualityPanel) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaQuality) q = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->job)
    return; /* a newer measurement is under way */
  g_clear_object (&self->job);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  if (q == NULL)
    {
      gtk_label_set_text (self->quality_status, error->message);
      return;
    }
  show_quality (self, q);
}

static gboolean
measure (gpointer user_data)
{
  SaQualityPanel *self = user_data;
  g_autoptr (GTask) task = NULL;
  Job *job;
  guint column = gtk_drop_down_get_selected (self->label_dropdown);

  self->timeout = 0;
  if (self->collection == NULL || !self->have_setting)
    return G_SOURCE_REMOVE;
  if (self->job)
    g_cancellable_cancel (self->job);
  g_clear_object (&self->job);
  self->job = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->collection = g_object_ref (self->collection);
  sa_quality_options_init (&job->options, self->collection);
  job->options.metric = self->metric;
  job->options.standardize = self->standardize;
  memcpy (job->options.weights, self->weights, sizeof self->weights);
  job->options.moments = self->moments ? sa_moments_ref (self->moments) : NULL;
  job->options.n_queries
      = MIN (sa_collection_get_n_tracks (self->collection), SA_QUALITY_PANEL_MAX_QUERIES);
  if (self->tag_path && column == 1)
    job->tag_path = g_strdup (self->tag_path);
  else if (self->tag_path && column > 1)
    column--;
  if (job->tag_path == NULL && column > 0 && column - 1 < self->columns->len)
    job->column = g_strdup (g_ptr_array_index (self->columns, column - 1));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_label_set_text (self->quality_status, _ ("Measuring…"));
  task = g_task_new (NULL, self->job, on_measured, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, measure_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule (SaQualityPanel *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return; /* measured when shown */
  g_clear_handle_id (&self->timeout, g_source_remove);
  self->timeout = g_timeout_add (DEBOUNCE_MS, measure, self);
}

gboolean
sa_quality_panel_is_busy (SaQualityPanel *self)
{
  return self->timeout != 0 || self->job != NULL;
}

void
sa_quality_panel_set_setting (SaQualityPanel *self, SaMetric metric, gboolean standardize,
                              const double *weights, SaMoments *moments)
{
  g_return_if_fail (SA_IS_QUALITY_PANEL (self));

  if (self->have_setting && self->metric == metric && self->standardize == standardize
      && self->moments == moments && memcmp (self->weights, weights, sizeof self->weights) == 0)
    return;
  self->have_setting = TRUE;
  self->metric = metric;
  self->standardize = standardize;
  memcpy (self->weights, weights, sizeof self->weights);
  if (moments)
    sa_moments_ref (moments);
  g_clear_pointer (&self->moments, sa_moments_unref);
  self->moments = moments;
  schedule (self);
}

void
sa_quality_panel_set_collection (SaQualityPanel *self, SaCollection *collection)
{
  g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);
  SaMetadata *md = collection ? sa_collection_get_metadata (collection) : NULL;

  g_return_if_fail (SA_IS_QUALITY_PANEL (self));

  if (self->job)
    g_cancellable_cancel (self->job);
  g_clear_object (&self->job);
  g_clear_handle_id (&self->timeout, g_source_remove);
  g_set_object (&self->collection, collection);
  g_clear_pointer (&self->moments, sa_moments_unref);
  self->have_setting = FALSE;
  g_clear_pointer (&self->tag_path, g_free);
  g_ptr_array_set_size (self->columns, 0);
  /* Translators: no label column: hubness only */
  gtk_string_list_append (model, C_ ("labels", "None"));
  for (guint i = 0; md && i < sa_metadata_get_n_columns (md); i++)
    {
      const char *name = sa_metadata_get_column_name (md, i);
      if (name == NULL || *name == '\0' || g_str_equal (name, "clip_id"))
        continue;
      gtk_string_list_append (model, name);
      g_ptr_array_add (self->columns, g_strdup (name));
    }
  gtk_drop_down_set_model (self->label_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->label_dropdown, 0);
  gtk_label_set_text (self->skew_label, "–");
  gtk_label_set_text (self->antihub_label, "–");
  gtk_label_set_text (self->precision_label, "–");
  gtk_label_set_text (self->quality_status, "");
  clear_hubs (self);
}

void
sa_quality_panel_set_tag_file (SaQualityPanel *self, const char *path)
{
  GtkStringList *model = GTK_STRING_LIST (gtk_drop_down_get_model (self->label_dropdown));
  /* Translators: a label choice: the tags of the tag file the user opened */
  const char *text = C_ ("labels", "Tags");
  const char *add[] = { text, NULL };

  g_return_if_fail (SA_IS_QUALITY_PANEL (self));

  gtk_string_list_splice (model, 1, self->tag_path ? 1 : 0, add);
  g_free (self->tag_path);
  self->tag_path = g_strdup (path);
  gtk_drop_down_set_selected (self->label_dropdown, 1);
  schedule (self);
}

char *
sa_quality_panel_dup_label_choice (SaQualityPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->label_dropdown);

  g_return_val_if_fail (SA_IS_QUALITY_PANEL (self), NULL);

  if (self->tag_path && i == 1)
    return g_strdup ("tags");
  if (self->tag_path && i > 1)
    i--;
  if (i > 0 && i - 1 < self->columns->len)
    return g_strconcat ("column:", (const char *) g_ptr_array_index (self->columns, i - 1), NULL);
  return g_strdup ("none");
}

gboolean
sa_quality_panel_set_label_choice (SaQualityPanel *self, const char *choice)
{
  guint offset = self->tag_path ? 1 : 0;

  g_return_val_if_fail (SA_IS_QUALITY_PANEL (self), FALSE);

  if (g_str_equal (choice, "none"))
    {
      gtk_drop_down_set_selected (self->label_dropdown, 0);
      return TRUE;
    }
  if (g_str_equal (choice, "tags") && self->tag_path)
    {
      gtk_drop_down_set_selected (self->label_dropdown, 1);
      return TRUE;
    }
  if (g_str_has_prefix (choice, "column:"))
    for (guint i = 0; i < self->columns->len; i++)
      if (g_str_equal (g_ptr_array_index (self->columns, i), choice + strlen ("column:")))
        {
          gtk_drop_down_set_selected (self->label_dropdown, i + 1 + offset);
          return TRUE;
        }
  return FALSE;
}

static void
on_label_changed (SaQualityPanel *self)
{
  g_signal_emit (self, signals[LABEL_CHANGED], 0);
  schedule (self);
}

static void
on_hub_activated (SaQualityPanel *self, GtkListBoxRow *row)
{
  g_signal_emit (self, signals[OPEN_TRACK], 0,
                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "track")));
}

static void
sa_quality_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sa_quality_panel_parent_class)->map (widget);
  schedule (SA_QUALITY_PANEL (widget));
}

static void
sa_quality_panel_dispose (GObject *object)
{
  SaQualityPanel *self = SA_QUALITY_PANEL (object);

  if (self->job)
    g_cancellable_cancel (self->job);
  g_clear_object (&self->job);
  g_clear_handle_id (&self->timeout, g_source_remove);
  g_clear_pointer (&self->moments, sa_moments_unref);
  g_clear_pointer (&self->tag_path, g_free);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_QUALITY_PANEL);
  G_OBJECT_CLASS (sa_quality_panel_parent_class)->dispose (object);
}

static void
sa_quality_panel_finalize (GObject *object)
{
  g_ptr_array_unref (SA_QUALITY_PANEL (object)->columns);
  G_OBJECT_CLASS (sa_quality_panel_parent_class)->finalize (object);
}

static void
sa_quality_panel_class_init (SaQualityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_quality_panel_dispose;
  object_class->finalize = sa_quality_panel_finalize;
  widget_class->map = sa_quality_panel_map;
  signals[OPEN_TRACK] = g_signal_new ("open-track", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[LABEL_CHANGED] = g_signal_new ("label-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-quality-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, grid);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, skew_label);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, antihub_title);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, antihub_label);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, precision_label);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, hubs_list);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, SaQualityPanel, quality_status);
  gtk_widget_class_bind_template_callback (widget_class, on_label_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hub_activated);
}

static void
sa_quality_panel_init (SaQualityPanel *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  sa_quality_panel_set_collection (self, NULL);
}
