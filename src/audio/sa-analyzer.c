/* sa-analyzer.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sa-analyzer.h"
#include "sa-audio.h"
#include "sa-collection.h"
#include "sa-error.h"
#include "sa-metadata.h"
#include "sa-npz.h"

static const char *const audio_extensions[] = {
  "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "mp2", "m4a", "aac", "wma",
  "aif", "aiff", "aifc", "ape", "wv",  "mka",  "spx", "au",  "snd", "caf", NULL,
};

/* The tutorial's columns, then Soundalike's own (kept by the tutorial's pandas code). */
static const char *const csv_columns[] = {
  "clip_id",      "mp3_path",   "track_number", "title",    "artist",    "album",         "url",
  "segmentStart", "segmentEnd", "original_url", "duration", "file_size", "file_mtime_ns", NULL,
};

typedef struct
{
  char *path;
  gint64 clip_id;
  guint64 size;
  gint64 mtime_ns;
  gboolean ok; /* written by the main thread only: reused, or its result came back */
  char *error;
  float *features; /* rp then ssd, SA_RP_LENGTH + SA_SSD_LENGTH values; only when ok */
  char *title, *artist, *album;
  int track_number;
  double duration;
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->path);
  g_free (e->error);
  g_free (e->features);
  g_free (e->title);
  g_free (e->artist);
  g_free (e->album);
  g_free (e);
}

void
sa_analyze_options_init (SaAnalyzeOptions *options)
{
  memset (options, 0, sizeof *options);
  options->segments = SA_SEGMENT_OPTIONS_TUTORIAL;
}

gint64
sa_clip_id_for_path (const char *path)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 v = 0;

  g_checksum_update (sum, (const guchar *) path, strlen (path));
  g_checksum_get_digest (sum, digest, &len);
  for (guint i = 0; i < 8; i++)
    v = (v << 8) | digest[i];
  /* 52 bits: exact as a float64 (pandas may write ids as 42150.0) */
  return (gint64) (v >> 12);
}

gboolean
sa_is_audio_file_name (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return FALSE;
  for (guint i = 0; audio_extensions[i]; i++)
    if (g_ascii_strcasecmp (dot + 1, audio_extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  GPtrArray *files;      /* char* */
  GHashTable *seen_dirs; /* "dev:ino" */
  GHashTable *seen_files;
  GPtrArray *errors; /* Entry* with error, for folders that cannot be read */
} Walk;

static void
add_file (Walk *w, const char *path)
{
  if (g_hash_table_add (w->seen_files, g_strdup (path)))
    g_ptr_array_add (w->files, g_strdup (path));
}

static void
walk_dir (Walk *w, const char *dir, GCancellable *cancellable)
{
  g_autoptr (GDir) d = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GStatBuf st;
  const char *name;

  if (g_stat (dir, &st) != 0)
    return;
  {
    char *key = g_strdup_printf ("%llu:%llu", (unsigned long long) st.st_dev,
                                 (unsigned long long) st.st_ino);
    if (!g_hash_table_add (w->seen_dirs, key))
      return; /* a symlink loop, or a folder reached twice */
  }
  d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    {
      Entry *e = g_new0 (Entry, 1);
      e->path = g_strdup (dir);
      e->error = g_strdup_printf (_ ("%s: cannot read the folder: %s"), dir, error->message);
      g_ptr_array_add (w->errors, e);
      return;
    }
  while ((name = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *child = g_build_filename (dir, n, NULL);

      if (g_cancellable_is_cancelled (cancellable))
        return;
      if (n[0] == '.')
        continue;
      if (g_stat (child, &st) != 0)
        continue; /* a dangling symlink */
      if (S_ISDIR (st.st_mode))
        walk_dir (w, child, cancellable);
      else if (sa_is_audio_file_name (n))
        add_file (w, child);
    }
}

static char *
absolute (const char *path)
{
  g_autoptr (GFile) f = g_file_new_for_commandline_arg (path);
  return g_file_get_path (f);
}

/* The previous run's results, by path. */
static GHashTable *
load_previous (const char *outdir)
{
  g_autofree char *npz = g_build_filename (outdir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (outdir, "metadata.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  GHashTable *by_path
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  g_autoptr (GHashTable) stamps = NULL;
  int rp, ssd;

  if (!g_file_test (npz, G_FILE_TEST_EXISTS) || !g_file_test (csv, G_FILE_TEST_EXISTS))
    return by_path;
  c = sa_collection_load (npz, csv, NULL, &error);
  if (c == NULL)
    {
      g_printerr (
          _ ("Warning: the previous results cannot be read, every file is analysed again: %s\n"),
          error->message);
      return by_path;
    }
  /* the stamps the feature file recorded: a row counts only if metadata and features agree */
  {
    g_autoptr (SaNpz) npz_file = sa_npz_open (npz, NULL);
    SaNpyHeader h1, h2;
    g_autofree gint64 *fids = npz_file ? sa_npz_read_i64 (npz_file, "clip_id", &h1, NULL) : NULL;
    g_autofree gint64 *fstamps
        = npz_file ? sa_npz_read_i64 (npz_file, "file_mtime_ns", &h2, NULL) : NULL;
    stamps = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    if (fids && fstamps && h1.n_elements == h2.n_elements)
      for (guint64 i = 0; i < h1.n_elements; i++)
        g_hash_table_insert (stamps, g_memdup2 (&fids[i], sizeof (gint64)),
                             g_memdup2 (&fstamps[i], sizeof (gint64)));
  }
  rp = sa_collection_find_set (c, "rp");
  ssd = sa_collection_find_set (c, "ssd");
  if (rp < 0 || ssd < 0 || sa_collection_get_set (c, rp)->length != SA_RP_LENGTH
      || sa_collection_get_set (c, ssd)->length != SA_SSD_LENGTH)
    return by_path;
  for (guint t = 0; t < sa_collection_get_n_tracks (c); t++)
    {
      Entry *e = g_new0 (Entry, 1);
      const char *size = sa_collection_get_column (c, t, "file_size");
      const char *mtime = sa_collection_get_column (c, t, "file_mtime_ns");

      e->path = g_strdup (sa_collection_get_field (c, t, SA_FIELD_PATH));
      e->clip_id = sa_collection_get_clip_id (c, t);
      e->size = g_ascii_strtoull (size, NULL, 10);
      e->mtime_ns = g_ascii_strtoll (mtime, NULL, 10);
      {
        const gint64 *stamp = g_hash_table_lookup (stamps, &e->clip_id);
        e->ok = *size != '\0' && *mtime != '\0' && stamp && *stamp == e->mtime_ns;
      }
      if (e->ok) /* only a current row is ever reused */
        {
          e->features = g_new (float, SA_RP_LENGTH + SA_SSD_LENGTH);
          /* the file's values (the matrix may hold a column rescaled) */
          sa_collection_copy_raw (c, t, sa_collection_get_set (c, rp)->offset, SA_RP_LENGTH,
                                  e->features);
          sa_collection_copy_raw (c, t, sa_collection_get_set (c, ssd)->offset, SA_SSD_LENGTH,
                                  e->features + SA_RP_LENGTH);
        }
      e->title = g_strdup (sa_collection_get_field (c, t, SA_FIELD_TITLE));
      e->artist = g_strdup (sa_collection_get_field (c, t, SA_FIELD_ARTIST));
      e->album = g_strdup (sa_collection_get_field (c, t, SA_FIELD_ALBUM));
      e->track_number = atoi (sa_collection_get_field (c, t, SA_FIELD_TRACK_NUMBER));
      e->duration = g_ascii_strtod (sa_collection_get_field (c, t, SA_FIELD_DURATION), NULL);
      if (e->path[0] == '\0' || g_hash_table_contains (by_path, e->path))
        entry_free (e);
      else
        g_hash_table_insert (by_path, e->path, e);
    }
  return by_path;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry **) a, *y = *(const Entry **) b;
  return strcmp (x->path, y->path);
}

/* Writes features.npz, then metadata.csv, then errors.csv, each atomically. */
static guint
count_ok (GPtrArray *entries)
{
  guint n = 0;
  for (guint i = 0; i < entries->len; i++)
    n += ((Entry *) g_ptr_array_index (entries, i))->ok;
  return n;
}

static gboolean
write_collection (const char *outdir, GPtrArray *entries, GPtrArray *failures, GError **error)
{
  g_autoptr (GPtrArray) ok = g_ptr_array_new ();
  g_autofree char *npz_path = g_build_filename (outdir, "features.npz", NULL);
  g_autofree char *csv_path = g_build_filename (outdir, "metadata.csv", NULL);
  g_autofree char *err_path = g_build_filename (outdir, "errors.csv", NULL);
  g_autoptr (SaNpzWriter) w = NULL;
  g_autoptr (SaMetadataWriter) mw = NULL;
  g_autofree const float **rp = NULL, **ssd = NULL; /* rows of the entries, not copies */
  g_autofree gint64 *ids = NULL, *stamps = NULL;
  g_autoptr (GString) errors = g_string_new ("path,error\n");

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);
      if (e->ok)
        g_ptr_array_add (ok, e);
    }
  g_ptr_array_sort (ok, compare_entries);
  rp = g_new (const float *, MAX (ok->len, 1));
  ssd = g_new (const float *, MAX (ok->len, 1));
  ids = g_new (gint64, MAX (ok->len, 1));
  stamps = g_new (gint64, MAX (ok->len, 1));
  mw = sa_metadata_writer_new ((const char *const *) csv_columns);
  for (guint i = 0; i < ok->len; i++)
    {
      Entry *e = g_ptr_array_index (ok, i);
      char dur[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *index = g_strdup_printf ("%u", i);
      g_autofree char *id = g_strdup_printf ("%" PRId64, e->clip_id);
      g_autofree char *track
          = e->track_number > 0 ? g_strdup_printf ("%d", e->track_number) : g_strdup ("");
      g_autofree char *size = g_strdup_printf ("%" PRIu64, e->size);
      g_autofree char *mtime = g_strdup_printf ("%" PRId64, e->mtime_ns);
      const char *cells[] = { id,
                              e->path,
                              track,
                              e->title ? e->title : "",
                              e->artist ? e->artist : "",
                              e->album ? e->album : "",
                              "",
                              "",
                              "",
                              "",
                              g_ascii_formatd (dur, sizeof dur, "%.3f", e->duration),
                              size,
                              mtime };

      rp[i] = e->features;
      ssd[i] = e->features + SA_RP_LENGTH;
      ids[i] = e->clip_id;
      stamps[i] = e->mtime_ns;
      sa_metadata_writer_add_row (mw, index, cells);
    }
  for (guint i = 0; i < failures->len; i++)
    {
      Entry *e = g_ptr_array_index (failures, i);
      sa_csv_append_field (errors, e->path);
      g_string_append_c (errors, ',');
      sa_csv_append_field (errors, e->error);
      g_string_append_c (errors, '\n');
    }

  /* metadata first: if a crash falls between the two renames, the previous features
   * still join (every row they have is in the new metadata, unless its file is gone) */
  if (!sa_metadata_writer_save (mw, csv_path, error))
    return FALSE;
  w = sa_npz_writer_new (npz_path, error);
  if (w == NULL || !sa_npz_writer_add_f32_rows (w, "rp", rp, ok->len, SA_RP_LENGTH, error)
      || !sa_npz_writer_add_f32_rows (w, "ssd", ssd, ok->len, SA_SSD_LENGTH, error)
      || !sa_npz_writer_add_i64 (w, "clip_id", ids, ok->len, error)
      || !sa_npz_writer_add_i64 (w, "file_mtime_ns", stamps, ok->len, error)
      || !sa_npz_writer_commit (w, error))
    return FALSE;
  return sa_write_file_atomic (err_path, errors->str, errors->len, error);
}

/* A run killed while writing leaves NAME.tmp-XXXXXX files behind; they are never read. */
static void
remove_stale_temporaries (const char *outdir)
{
  static const char *const names[]
      = { "features.npz.tmp-", "metadata.csv.tmp-", "errors.csv.tmp-" };
  g_autoptr (GDir) d = g_dir_open (outdir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (g_str_has_prefix (name, names[i]))
        {
          g_autofree char *path = g_build_filename (outdir, name, NULL);
          g_unlink (path);
        }
}

typedef struct
{
  SaSegmentOptions segments;
  GCancellable *cancellable;
  GAsyncQueue *results;
} Run;

static void
analyse_one (gpointer data, gpointer user_data)
{
  Entry *e = data;
  Run *run = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaAudio) audio = NULL;
  SaFeatures f;

  if (!g_cancellable_is_cancelled (run->cancellable))
    {
      if (sa_extract_file (e->path, &run->segments, NULL, FALSE, &f, &audio, run->cancellable,
                           &error))
        {
          e->features = g_new (float, SA_RP_LENGTH + SA_SSD_LENGTH);
          for (guint j = 0; j < SA_RP_LENGTH; j++)
            e->features[j] = (float) f.rp[j];
          for (guint j = 0; j < SA_SSD_LENGTH; j++)
            e->features[SA_RP_LENGTH + j] = (float) f.ssd[j];
          e->duration = (double) audio->n_samples / SA_SAMPLE_RATE;
          e->artist = g_strdup (audio->artist ? audio->artist : "");
          e->album = g_strdup (audio->album ? audio->album : "");
          e->track_number = audio->track_number;
          if (audio->title && *audio->title)
            e->title = g_strdup (audio->title);
          else
            {
              g_autofree char *base = g_path_get_basename (e->path);
              char *dot = strrchr (base, '.');
              if (dot && dot != base)
                *dot = '\0';
              e->title = g_strdup (base);
            }
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        e->error = g_strdup (error->message);
    }
  g_async_queue_push (run->results, e);
}

gboolean
sa_analyze (const char *const *inputs, const char *outdir, const SaAnalyzeOptions *options,
            SaAnalyzeProgress *report, GCancellable *cancellable, GError **error)
{
  SaAnalyzeOptions defaults;
  g_autoptr (GHashTable) previous = NULL;
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr (GPtrArray) failures = g_ptr_array_new ();
  g_autoptr (GCancellable) own_cancellable = NULL;
  Walk walk = { 0 };
  SaAnalyzeProgress p = { 0 };
  Run run = { 0 };
  GThreadPool *pool = NULL;
  guint pending = 0, since_checkpoint = 0;
  gint64 last_checkpoint;
  guint checkpoint_ms;
  gboolean ok = TRUE;

  if (options == NULL)
    {
      sa_analyze_options_init (&defaults);
      options = &defaults;
    }
  if (cancellable == NULL)
    cancellable = own_cancellable = g_cancellable_new ();
  checkpoint_ms = options->checkpoint_ms ? options->checkpoint_ms : 10000;
  if (!sa_audio_init (error))
    return FALSE;
  if (g_mkdir_with_parents (outdir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the folder: %s"), outdir,
                   g_strerror (saved));
      return FALSE;
    }

  remove_stale_temporaries (outdir);
  walk.files = g_ptr_array_new_with_free_func (g_free);
  walk.seen_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk.seen_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk.errors = g_ptr_array_new ();
  for (guint i = 0; inputs[i]; i++)
    {
      g_autofree char *abs = absolute (inputs[i]);
      if (g_file_test (abs, G_FILE_TEST_IS_DIR))
        walk_dir (&walk, abs, cancellable);
      else
        add_file (&walk, abs); /* named explicitly: analysed whatever its extension */
    }

  previous = load_previous (outdir);
  p.n_files = walk.files->len;
  for (guint i = 0; i < walk.errors->len; i++)
    {
      Entry *e = g_ptr_array_index (walk.errors, i);
      g_ptr_array_add (entries, e);
      g_ptr_array_add (failures, e);
    }

  run.segments = options->segments;
  run.cancellable = cancellable;
  run.results = g_async_queue_new ();
  pool = g_thread_pool_new (analyse_one, &run,
                            options->n_jobs ? (int) options->n_jobs : (int) g_get_num_processors (),
                            FALSE, NULL);
  for (guint i = 0; i < walk.files->len; i++)
    {
      const char *path = g_ptr_array_index (walk.files, i);
      GStatBuf st;
      Entry *old = g_hash_table_lookup (previous, path);
      Entry *e;

      if (g_stat (path, &st) != 0)
        continue;
      if (old && old->ok && old->size == (guint64) st.st_size
          && old->mtime_ns == (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec)
        {
          g_hash_table_steal (previous, path);
          g_ptr_array_add (entries, old);
          p.n_reused++;
          p.n_done++;
          continue;
        }
      if (old)
        g_hash_table_remove (previous, path); /* changed: analysed again, not "removed" */
      e = g_new0 (Entry, 1);
      e->path = g_strdup (path);
      e->clip_id = sa_clip_id_for_path (path);
      e->size = (guint64) st.st_size;
      e->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
      g_ptr_array_add (entries, e);
      g_thread_pool_push (pool, e, NULL);
      pending++;
    }
  p.n_removed = g_hash_table_size (previous);
  if (options->progress)
    options->progress (&p, options->progress_data);

  last_checkpoint = g_get_monotonic_time ();
  while (pending > 0)
    {
      Entry *e = g_async_queue_timeout_pop (run.results, 100000);
      if (e)
        {
          pending--;
          e->ok = e->features != NULL;
          if (e->ok)
            p.n_analysed++, p.n_done++;
          else if (e->error)
            {
              p.n_failed++, p.n_done++;
              g_ptr_array_add (failures, e);
            }
          p.current = e->path;
          since_checkpoint++;
          if (options->progress)
            options->progress (&p, options->progress_data);
        }
      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (since_checkpoint > 0
          && (g_get_monotonic_time () - last_checkpoint) / 1000 >= checkpoint_ms
          && count_ok (entries) > 0)
        {
          if (!write_collection (outdir, entries, failures, error))
            {
              ok = FALSE;
              g_cancellable_cancel (cancellable);
              break;
            }
          last_checkpoint = g_get_monotonic_time ();
          since_checkpoint = 0;
        }
    }
  /* stops queued work, waits for what is running */
  g_thread_pool_free (pool, TRUE, TRUE);
  {
    Entry *e;
    while ((e = g_async_queue_try_pop (run.results)))
      {
        e->ok = e->features != NULL;
        if (e->error)
          g_ptr_array_add (failures, e);
        else if (e->ok)
          p.n_analysed++, p.n_done++;
      }
  }
  g_async_queue_unref (run.results);

  if (ok && !write_collection (outdir, entries, failures, error))
    ok = FALSE;
  if (options->failures)
    for (guint i = 0; i < failures->len; i++)
      g_ptr_array_add (options->failures,
                       g_strdup (((Entry *) g_ptr_array_index (failures, i))->error));
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  p.current = NULL;
  if (report)
    *report = p;
  g_ptr_array_unref (walk.files);
  g_hash_table_unref (walk.seen_dirs);
  g_hash_table_unref (walk.seen_files);
  g_ptr_array_unref (walk.errors);
  return ok;
}

typedef struct
{
  char **inputs;
  char *outdir;
  SaAnalyzeOptions options;
  SaAnalyzeProgress report;
} AsyncData;

static void
async_data_free (AsyncData *d)
{
  g_strfreev (d->inputs);
  g_free (d->outdir);
  g_free (d);
}

static void
analyze_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AsyncData *d = task_data;
  GError *error = NULL;

  if (sa_analyze ((const char *const *) d->inputs, d->outdir, &d->options, &d->report, cancellable,
                  &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sa_analyze_async (const char *const *inputs, const char *outdir, const SaAnalyzeOptions *options,
                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *d = g_new0 (AsyncData, 1);

  d->inputs = g_strdupv ((char **) inputs);
  d->outdir = g_strdup (outdir);
  if (options)
    d->options = *options;
  else
    sa_analyze_options_init (&d->options);
  g_task_set_source_tag (task, sa_analyze_async);
  g_task_set_task_data (task, d, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, analyze_thread);
}

gboolean
sa_analyze_finish (GAsyncResult *result, SaAnalyzeProgress *report, GError **error)
{
  AsyncData *d = g_task_get_task_data (G_TASK (result));

  if (report)
    {
      *report = d->report;
      report->current = NULL;
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}
