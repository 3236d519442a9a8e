/* sa-window-files.c: the window's actions that open, analyse and save files
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * win.open (a features file, its metadata found beside it), win.analyze-folder, win.open-audio
 * (query by example), win.demo, win.export, win.copy, win.audio-folder, and the drop target.
 * The work itself is in src/audio and src/core (sa_analyze_async, sa_example_analyze_async,
 * sa_demo_create_async, sa-m3u); this file only asks for files and shows progress.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sa-analyzer.h"
#include "sa-demo.h"
#include "sa-example.h"
#include "sa-m3u.h"
#include "sa-result.h"
#include "sa-window-private.h"

/* The folder a file dialog starts in: the collection's, else Music, else home. */
static void
set_start_folder (GtkFileChooser *chooser, SaWindow *self)
{
  SaCollection *c = sa_window_get_collection (self);
  g_autofree char *dir = NULL;
  g_autoptr (GFile) file = NULL;
  const char *music = g_get_user_special_dir (G_USER_DIRECTORY_MUSIC);

  if (c)
    dir = g_path_get_dirname (sa_collection_get_features_path (c));
  else if (music && g_file_test (music, G_FILE_TEST_IS_DIR))
    dir = g_strdup (music);
  else
    dir = g_strdup (g_get_home_dir ());
  file = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (chooser, file, NULL);
}

static GtkFileChooserNative *
new_chooser (SaWindow *self, const char *title, GtkFileChooserAction action, const char *accept,
             GCallback response)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, NULL);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  set_start_folder (GTK_FILE_CHOOSER (chooser), self);
  g_signal_connect (chooser, "response", response, self);
  return chooser;
}

static char *
chosen_path (GtkNativeDialog *chooser, int response)
{
  g_autoptr (GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  return file ? g_file_get_path (file) : NULL;
}

/* ---- opening a collection ---- */

static char *find_metadata_beside (const char *features);

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

void
sa_window_open (SaWindow *self, const char *features, const char *metadata, const char *audio_root)
{
  g_autofree char *name = g_path_get_basename (features);
  g_autofree char *text = g_strdup_printf (_ ("Loading “%s”…"), name);
  /* no metadata named: the one beside the features, as Open Collection finds it */
  g_autofree char *beside = metadata ? NULL : find_metadata_beside (features);
  const char *files[] = { features, metadata };
  GCancellable *cancellable;

  /* a FIFO or a device would block the loading thread for ever: refused here, with a message */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (files[i] && g_file_test (files[i], G_FILE_TEST_EXISTS)
        && !g_file_test (files[i], G_FILE_TEST_IS_REGULAR))
      {
        g_autofree char *error = g_strdup_printf (
            _ ("“%s” is not a regular file (a pipe, a device or a folder): choose the file "
               "itself"),
            files[i]);
        sa_window_show_error (self, error);
        return;
      }
  cancellable = sa_window_begin_work (self, text, -1, TRUE);

  g_free (self->pending_audio_root);
  self->pending_audio_root = g_strdup (audio_root);
  sa_collection_load_async (features, metadata ? metadata : beside, cancellable, on_loaded,
                            g_object_ref (self));
}

void
sa_window_set_audio_root (SaWindow *self, const char *root)
{
  if (self->collection == NULL)
    return;
  sa_collection_set_audio_root (self->collection, root);
  sa_window_settle_audio_root (self->settings, self->collection, NULL);
  sa_window_show_query (self);
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

/* The metadata of @features: metadata.csv beside it, else NAME.csv, else the only .csv there. */
static char *
find_metadata_beside (const char *features)
{
  g_autofree char *dir = g_path_get_dirname (features);
  g_autofree char *base = g_path_get_basename (features);
  g_autofree char *plain = g_build_filename (dir, "metadata.csv", NULL);
  g_autoptr (GDir) d = NULL;
  char *only = NULL;
  const char *name;
  guint n = 0;

  if (g_file_test (plain, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&plain);
  if (g_str_has_suffix (base, ".npz"))
    {
      g_autofree char *stem = g_strndup (base, strlen (base) - 4);
      g_autofree char *csv = g_strconcat (stem, ".csv", NULL);
      g_autofree char *same = g_build_filename (dir, csv, NULL);
      if (g_file_test (same, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&same);
    }
  d = g_dir_open (dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".csv") && !g_str_equal (name, "errors.csv") && n++ == 0)
      only = g_build_filename (dir, name, NULL);
  if (n == 1)
    return only;
  g_free (only);
  return NULL;
}

/* Opens @path: a features file, or a folder holding features.npz. */
void
sa_window_open_path (SaWindow *self, const char *path)
{
  g_autofree char *features = NULL, *metadata = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    features = g_build_filename (path, "features.npz", NULL);
  else
    features = g_strdup (path);
  if (!g_file_test (features, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text
          = g_strdup_printf (_ ("“%s” holds no features.npz: analyse it first"), path);
      sa_window_show_error (self, text);
      return;
    }
  metadata = find_metadata_beside (features);
  sa_window_open (self, features, metadata, NULL);
}

static void
on_open_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  g_autofree char *path = chosen_path (chooser, response);

  if (path)
    sa_window_open_path (self, path);
  g_object_unref (chooser);
}

static void
action_open (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  GtkFileChooserNative *chooser
      = new_chooser (self, _ ("Open a Collection"), GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"),
                     G_CALLBACK (on_open_chosen));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Feature files (.npz)"));
  gtk_file_filter_add_pattern (filter, "*.npz");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the audio folder ---- */

static void
on_audio_folder_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  g_autofree char *path = chosen_path (chooser, response);

  if (path)
    sa_window_set_audio_root (self, path);
  g_object_unref (chooser);
}

static void
action_audio_folder (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);

  if (sa_window_get_collection (self) == NULL)
    return;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (
      new_chooser (self, _ ("Choose the Audio Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                   _ ("_Choose"), G_CALLBACK (on_audio_folder_chosen))));
}

/* ---- analysing a folder ---- */

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
  guint fresh = t->p.n_done - t->p.n_reused, todo = t->p.n_files - t->p.n_done;
  double elapsed = (g_get_monotonic_time () - t->start) / 1e6;
  SaLoadingPage *page = sa_window_get_loading_page (t->self);
  g_autofree char *text = NULL;

  if (sa_window_is_busy (t->self))
    {
      sa_loading_page_set_fraction (page, t->p.n_files ? (double) t->p.n_done / t->p.n_files : 0);
      if (fresh > 0 && elapsed > 0.5 && todo > 0)
        {
          g_autofree char *left = sa_format_duration (MAX (todo * elapsed / fresh, 1));
          /* Translators: progress of an analysis: files done, all files, time left */
          text = g_strdup_printf (_ ("Analysing: %'u of %'u files, about %s left"), t->p.n_done,
                                  t->p.n_files, left);
        }
      else
        text = g_strdup_printf (_ ("Analysing: %'u of %'u files"), t->p.n_done, t->p.n_files);
      sa_loading_page_set_text (page, text);
    }
  g_object_unref (t->self);
  g_free (t);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  SaWindow *self;
  gint64 start;
  char *outdir;
  GPtrArray *failures;
} AnalysisRun;

static void
analysis_run_free (AnalysisRun *run)
{
  g_object_unref (run->self);
  g_free (run->outdir);
  g_ptr_array_unref (run->failures);
  g_free (run);
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
  g_autoptr (GString) list = g_string_new (NULL);
  g_autofree char *heading
      = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u file could not be analysed",
                                      "%'u files could not be analysed", failures->len),
                         failures->len);
  GtkWidget *dialog;

  for (guint i = 0; i < MIN (failures->len, 30); i++)
    g_string_append_printf (list, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (failures, i));
  if (failures->len > 30)
    g_string_append_printf (list,
                            _ ("\n… and %'u more (see errors.csv in the collection's folder)"),
                            failures->len - 30);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, list->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_analysed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AnalysisRun *run = user_data;
  SaWindow *self = run->self;
  g_autoptr (GError) error = NULL;
  SaAnalyzeProgress report;
  gboolean ok = sa_analyze_finish (result, &report, &error);

  sa_window_end_work (self);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sa_window_show_error (self, NULL);
      sa_window_show_message (self, _ ("The analysis was stopped; what was done is kept and a new "
                                       "analysis of the folder goes on from there"));
    }
  else if (!ok)
    sa_window_show_error (self, error->message);
  else if (report.n_analysed + report.n_reused + report.n_kept == 0)
    sa_window_show_error (self, _ ("No audio file in the folder could be analysed"));
  else
    {
      g_autofree char *npz = g_build_filename (run->outdir, "features.npz", NULL);
      g_autofree char *csv = g_build_filename (run->outdir, "metadata.csv", NULL);
      sa_window_open (self, npz, csv, NULL);
    }
  if (run->failures->len > 0)
    show_failures (self, run->failures);
  analysis_run_free (run);
}

void
sa_window_analyze_folder (SaWindow *self, const char *folder)
{
  g_autofree char *base = g_path_get_basename (folder);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, folder, -1);
  g_autofree char *leaf = g_strdup_printf ("%s-%.8s", base, sum);
  g_autofree char *text = g_strdup_printf (_ ("Looking for audio files in “%s”…"), base);
  const char *inputs[] = { folder, NULL };
  AnalysisRun *run;
  SaAnalyzeOptions options;
  GCancellable *cancellable;

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *error = g_strdup_printf (_ ("“%s” is not a folder"), folder);
      sa_window_show_error (self, error);
      return;
    }
  cancellable = sa_window_begin_work (self, text, 0, TRUE);
  run = g_new0 (AnalysisRun, 1);
  run->self = g_object_ref (self);
  run->start = g_get_monotonic_time ();
  /* one collection per folder; a new analysis of it adds and updates (sa_analyze's rules) */
  run->outdir = g_build_filename (g_get_user_data_dir (), "soundalike", "collections", leaf, NULL);
  run->failures = g_ptr_array_new_with_free_func (g_free);
  sa_analyze_options_init (&options);
  options.progress = analysis_progress;
  options.progress_data = run;
  options.failures = run->failures;
  sa_analyze_async (inputs, run->outdir, &options, cancellable, on_analysed, run);
}

static void
on_folder_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  g_autofree char *path = chosen_path (chooser, response);

  if (path)
    sa_window_analyze_folder (self, path);
  g_object_unref (chooser);
}

static void
action_analyze_folder (GtkWidget *widget, const char *name, GVariant *param)
{
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (new_chooser (
      SA_WINDOW (widget), _ ("Choose a Music Folder to Analyse"),
      GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _ ("_Analyse"), G_CALLBACK (on_folder_chosen))));
}

/* ---- query by example ---- */

static void
on_example_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SaWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaExample) example = sa_example_analyze_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  sa_window_end_example (self);
  if (example == NULL)
    sa_window_show_message (self, error->message);
  else if (sa_window_get_collection (self))
    sa_window_set_example (self, example);
}

void
sa_window_query_by_example (SaWindow *self, const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *text = g_strdup_printf (_ ("Analysing “%s”…"), name);

  if (sa_window_get_collection (self) == NULL)
    {
      sa_window_show_error (self,
                            _ ("Open a collection first: the clips like a file are found in it"));
      return;
    }
  sa_window_show_message (self, text);
  sa_example_analyze_async (path, sa_window_begin_example (self), on_example_done,
                            g_object_ref (self));
}

static void
on_audio_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  g_autofree char *path = chosen_path (chooser, response);

  if (path)
    sa_window_query_by_example (self, path);
  g_object_unref (chooser);
}

static void
action_open_audio (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *chooser
      = new_chooser (SA_WINDOW (widget), _ ("Find Clips Like a File"), GTK_FILE_CHOOSER_ACTION_OPEN,
                     _ ("_Open"), G_CALLBACK (on_audio_chosen));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Audio files"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the demo ---- */

static void
demo_progress (guint done, guint total, gpointer user_data)
{
  SaWindow *self = user_data;
  g_autofree char *text
      = g_strdup_printf (_ ("Making the demo collection: %'u of %'u clips"), done, total);

  sa_loading_page_set_text (sa_window_get_loading_page (self), text);
  sa_loading_page_set_fraction (sa_window_get_loading_page (self),
                                total ? (double) done / total : 0);
}

static void
open_demo_dir (SaWindow *self, const char *dir)
{
  g_autofree char *npz = g_build_filename (dir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (dir, "metadata.csv", NULL);
  g_autofree char *audio = g_build_filename (dir, "audio", NULL);

  sa_window_open (self, npz, csv, audio);
}

typedef struct
{
  SaWindow *self;
  GCancellable *cancellable;
} DemoRun;

static void
on_demo_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DemoRun *run = user_data;
  g_autoptr (SaWindow) self = run->self;
  g_autoptr (GCancellable) cancellable = run->cancellable;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = sa_demo_default_dir ();
  gboolean ok = sa_demo_create_finish (result, &error);

  g_free (run);
  if (!sa_window_is_working_on (self, cancellable))
    return; /* something else was opened meanwhile */
  sa_window_end_work (self);
  if (ok)
    open_demo_dir (self, dir);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sa_window_show_error (self, NULL); /* Cancel: back where the user was */
  else
    sa_window_show_error (self, error->message);
}

void
sa_window_open_demo (SaWindow *self)
{
  g_autofree char *dir = sa_demo_default_dir ();
  DemoRun *run;

  if (sa_demo_is_ready (dir))
    {
      open_demo_dir (self, dir);
      return;
    }
  run = g_new0 (DemoRun, 1);
  run->self = g_object_ref (self);
  run->cancellable
      = g_object_ref (sa_window_begin_work (self, _ ("Making the demo collection…"), 0, TRUE));
  sa_demo_create_async (dir, demo_progress, g_object_ref (self), g_object_unref, run->cancellable,
                        on_demo_made, run);
}

static void
action_demo (GtkWidget *widget, const char *name, GVariant *param)
{
  sa_window_open_demo (SA_WINDOW (widget));
}

/* ---- playlists ---- */

/* the query (when its audio is here), then the results: the one writer in src/core/sa-m3u.c */
gboolean
sa_window_export_playlist (SaWindow *self, const char *path, GError **error)
{
  GListModel *results = sa_window_get_results (self);
  SaCollection *c = sa_window_get_collection (self);
  SaExample *example = sa_window_get_example (self);
  int query = sa_window_get_query (self);
  g_autoptr (SaM3u) playlist = sa_m3u_new ();

  if (query >= 0)
    {
      g_autofree char *audio = sa_collection_resolve_audio (c, (guint) query);
      g_autofree char *title = sa_window_track_title (c, (guint) query);
      sa_m3u_add (playlist, audio, NULL, title, -1);
    }
  else if (example)
    sa_m3u_add (playlist, sa_example_get_path (example), sa_example_get_artist (example),
                sa_example_get_title (example), sa_example_get_duration (example));
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      sa_m3u_add_track (playlist, c, sa_result_get_index (r));
    }
  return sa_m3u_write (playlist, path, error);
}

static void
on_export_chosen (GtkNativeDialog *chooser, int response, SaWindow *self)
{
  g_autofree char *path = chosen_path (chooser, response);
  g_autoptr (GError) error = NULL;

  if (path && !sa_window_export_playlist (self, path, &error))
    sa_window_show_message (self, error->message);
  else if (path)
    {
      g_autofree char *name = g_filename_display_basename (path);
      g_autofree char *text = g_strdup_printf (_ ("Saved the playlist “%s”"), name);
      sa_window_show_message (self, text);
    }
  g_object_unref (chooser);
}

static void
action_export (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  SaExample *example = sa_window_get_example (self);
  int query = sa_window_get_query (self);
  GtkFileChooserNative *chooser;
  g_autofree char *title = NULL, *suggested = NULL;
  const char *music = g_get_user_special_dir (G_USER_DIRECTORY_MUSIC);

  if (query < 0 && example == NULL)
    return;
  chooser = new_chooser (self, _ ("Export Playlist"), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"),
                         G_CALLBACK (on_export_chosen));
  if (music && g_file_test (music, G_FILE_TEST_IS_DIR))
    {
      /* playlists go with the music, not into the collection's folder */
      g_autoptr (GFile) dir = g_file_new_for_path (music);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
    }
  title = query >= 0 ? sa_window_track_title (sa_window_get_collection (self), (guint) query)
                     : g_strdup (sa_example_get_title (example));
  /* Translators: the file name suggested for a playlist; %s is the query's title */
  suggested = g_strdup_printf (_ ("Like %s.m3u"), title);
  g_strdelimit (suggested, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_copy (GtkWidget *widget, const char *name, GVariant *param)
{
  SaWindow *self = SA_WINDOW (widget);
  GListModel *results = sa_window_get_results (self);
  SaCollection *c = sa_window_get_collection (self);
  g_autoptr (GString) out = g_string_new (NULL);

  if (g_list_model_get_n_items (results) == 0)
    return;
  /* Translators: the header of the copied results, columns separated by tabs */
  g_string_append (out, _ ("rank\tdistance\tartist\ttitle\talbum\n"));
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      guint t = sa_result_get_index (r);
      g_autofree char *title = sa_window_track_title (c, t);
      g_autofree char *artist
          = sa_m3u_sanitize_text (sa_collection_get_field (c, t, SA_FIELD_ARTIST));
      g_autofree char *album
          = sa_m3u_sanitize_text (sa_collection_get_field (c, t, SA_FIELD_ALBUM));
      g_autofree char *clean = sa_m3u_sanitize_text (title);
      g_string_append_printf (out, "%u\t%.6f\t%s\t%s\t%s\n", sa_result_get_rank (r),
                              sa_result_get_distance (r), artist, clean, album);
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), out->str);
  sa_window_show_message (self, _ ("Copied the results as text"));
}

/* ---- drag and drop ---- */

/* A folder dropped on the window is analysed; an audio file becomes a query by example;
 * a features file is opened. */
static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, SaWindow *self)
{
  GSList *files;
  g_autofree char *path = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-target");
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
  else if (g_str_has_suffix (path, ".npz"))
    sa_window_open_path (self, path);
  else
    sa_window_query_by_example (self, path);
  return TRUE;
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target, double x, double y, SaWindow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "drop-target");
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target, SaWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-target");
}

void
sa_window_add_drop_target (SaWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (drop, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

void
sa_window_class_add_file_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, action_demo);
  gtk_widget_class_install_action (widget_class, "win.analyze-folder", NULL, action_analyze_folder);
  gtk_widget_class_install_action (widget_class, "win.open-audio", NULL, action_open_audio);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "win.copy", NULL, action_copy);
  gtk_widget_class_install_action (widget_class, "win.audio-folder", NULL, action_audio_folder);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-audio", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.export",
                                       NULL);
}
