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
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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
  gboolean ok;    /* written by the main thread only: reused, or its result came back */
  gboolean stale; /* features not known to match the file (size and mtime unknown) */
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
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->segments = SA_SEGMENT_OPTIONS_TUTORIAL;
}

gint64
sa_clip_id_for_path (const char *path)
{
  g_return_val_if_fail (path != NULL, 0);

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
  gboolean follow_symlinks;
  guint n_links_skipped;
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
      g_autofree char *shown = g_filename_display_name (dir);
      e->path = g_strdup (dir);
      e->error = g_strdup_printf (_ ("%s: cannot read the folder: %s"), shown, error->message);
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
      if (g_lstat (child, &st) != 0)
        continue;
      if (S_ISLNK (st.st_mode) && !w->follow_symlinks)
        {
          w->n_links_skipped++; /* it may lead out of the folder, or to / */
          continue;
        }
      if (S_ISLNK (st.st_mode) && g_stat (child, &st) != 0)
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

/* How a path is written into the CSV files: as itself when it is UTF-8, as a file:// URI
 * (which is ASCII and names the same bytes) when it is not. */
static char *
stored_path (const char *path)
{
  char *uri;

  if (g_utf8_validate (path, -1, NULL))
    return g_strdup (path);
  uri = g_filename_to_uri (path, NULL, NULL);
  return uri ? uri : g_utf8_make_valid (path, -1);
}

/* The file a stored path names (the inverse of stored_path). */
static char *
local_path (const char *stored)
{
  if (g_str_has_prefix (stored, "file://"))
    {
      char *path = g_filename_from_uri (stored, NULL, NULL);
      if (path)
        return path;
    }
  return g_strdup (stored);
}

/* The previous run's results, by path: every row that joins, with its features.  A
 * collection that exists but cannot be read is an error (analysing into it would lose it);
 * one with no rows is no loss. */
static gboolean
load_previous (const char *outdir, GHashTable **out, GError **error)
{
  g_autofree char *npz = g_build_filename (outdir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (outdir, "metadata.csv", NULL);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SaCollection) c = NULL;
  GHashTable *by_path
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  g_autoptr (GHashTable) stamps = NULL;
  int rp, ssd;

  *out = by_path;
  if (!g_file_test (npz, G_FILE_TEST_EXISTS) || !g_file_test (csv, G_FILE_TEST_EXISTS))
    return TRUE;
  c = sa_collection_load (npz, csv, NULL, &local_error);
  if (c == NULL && g_error_matches (local_error, SA_ERROR, SA_ERROR_EMPTY))
    return TRUE;
  if (c == NULL)
    {
      g_autofree char *shown = g_filename_display_name (outdir);
      g_set_error (error, SA_ERROR,
                   local_error->domain == SA_ERROR ? local_error->code : SA_ERROR_IO,
                   _ ("%s: the collection there cannot be read, and analysing into it would "
                      "lose it: %s; move features.npz and metadata.csv away, or write to "
                      "another folder"),
                   shown, local_error->message);
      return FALSE;
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
    {
      g_autofree char *shown = g_filename_display_name (outdir);
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   _ ("%s: the collection there has no rp and ssd of the analysis, and "
                      "analysing into it would lose it; write to another folder"),
                   shown);
      return FALSE;
    }
  for (guint t = 0; t < sa_collection_get_n_tracks (c); t++)
    {
      Entry *e = g_new0 (Entry, 1);
      const char *size = sa_collection_get_column (c, t, "file_size");
      const char *mtime = sa_collection_get_column (c, t, "file_mtime_ns");

      e->path = local_path (sa_collection_get_field (c, t, SA_FIELD_PATH));
      e->clip_id = sa_collection_get_clip_id (c, t);
      e->size = g_ascii_strtoull (size, NULL, 10);
      e->mtime_ns = g_ascii_strtoll (mtime, NULL, 10);
      {
        const gint64 *stamp = g_hash_table_lookup (stamps, &e->clip_id);
        /* only a current row is ever reused; the others are kept until analysed again */
        e->stale = *size == '\0' || *mtime == '\0' || stamp == NULL || *stamp != e->mtime_ns;
      }
      e->ok = TRUE;
      e->features = g_new (float, SA_RP_LENGTH + SA_SSD_LENGTH);
      /* the file's values (the matrix may hold a column rescaled) */
      sa_collection_copy_raw (c, t, sa_collection_get_set (c, rp)->offset, SA_RP_LENGTH,
                              e->features);
      sa_collection_copy_raw (c, t, sa_collection_get_set (c, ssd)->offset, SA_SSD_LENGTH,
                              e->features + SA_RP_LENGTH);
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
  return TRUE;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry **) a, *y = *(const Entry **) b;
  return strcmp (x->path, y->path);
}

/* OUTDIR/errors.csv: the files that failed and why, atomically. */
static gboolean
write_errors (const char *outdir, GPtrArray *failures, GError **error)
{
  g_autofree char *err_path = g_build_filename (outdir, "errors.csv", NULL);
  g_autoptr (GString) errors = g_string_new ("path,error\n");

  for (guint i = 0; i < failures->len; i++)
    {
      Entry *e = g_ptr_array_index (failures, i);
      g_autofree char *path = stored_path (e->path);
      g_autofree char *message = g_utf8_make_valid (e->error, -1);
      sa_csv_append_field (errors, path);
      g_string_append_c (errors, ',');
      sa_csv_append_field (errors, message);
      g_string_append_c (errors, '\n');
    }
  return sa_write_file_atomic (err_path, errors->str, errors->len, error);
}

/* Writes metadata.csv, then features.npz, then errors.csv, each atomically. */
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
  g_autoptr (SaNpzWriter) w = NULL;
  g_autoptr (SaMetadataWriter) mw = NULL;
  g_autofree const float **rp = NULL, **ssd = NULL; /* rows of the entries, not copies */
  g_autofree gint64 *ids = NULL, *stamps = NULL;

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
      g_autofree char *size = e->stale ? g_strdup ("") : g_strdup_printf ("%" PRIu64, e->size);
      g_autofree char *mtime = e->stale ? g_strdup ("") : g_strdup_printf ("%" PRId64, e->mtime_ns);
      g_autofree char *path = stored_path (e->path);
      const char *cells[] = { id,
                              path,
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
      stamps[i] = e->stale ? -1 : e->mtime_ns;
      sa_metadata_writer_add_row (mw, index, cells);
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
  return write_errors (outdir, failures, error);
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
  GMutex lock;
  GError *fatal; /* an error that ends the run (no file descriptors left) */
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
              g_autofree char *base = g_filename_display_basename (e->path);
              char *dot = strrchr (base, '.');
              if (dot && dot != base)
                *dot = '\0';
              e->title = g_strdup (base);
            }
        }
      else if (g_error_matches (error, SA_ERROR, SA_ERROR_NO_RESOURCES))
        {
          /* not this file's fault, and every other file would fail the same way: stop */
          g_mutex_lock (&run->lock);
          if (run->fatal == NULL)
            run->fatal = g_steal_pointer (&error);
          g_mutex_unlock (&run->lock);
          g_cancellable_cancel (run->cancellable);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        e->error = g_utf8_make_valid (error->message, -1);
    }
  g_async_queue_push (run->results, e);
}

/* One run of sa_analyze: its inputs, the output folder it holds locked, and the entries. */
typedef struct
{
  const SaAnalyzeOptions *options;
  const char *outdir;
  GPtrArray *roots;     /* char*: the absolute input folders */
  guint *root_files;    /* audio files found under each root */
  Walk walk;            /* the files found */
  GHashTable *previous; /* path -> Entry: the previous run's rows not yet taken over */
  GPtrArray *entries;   /* Entry*: everything this run writes or reports */
  GPtrArray *failures;  /* Entry* with an error (borrowed from entries) */
  GPtrArray *queue;     /* Entry* to analyse (borrowed from entries) */
  SaAnalyzeProgress p;
  int lock_fd;
  GCancellable *cancellable; /* the caller's: the user stopped the run */
  GCancellable *stop;        /* the workers': the user, or a failure that ends the run */
  Run run;
  GThreadPool *pool;
  guint pending;
} Analysis;

static void
analysis_clear (Analysis *a)
{
  g_clear_pointer (&a->roots, g_ptr_array_unref);
  g_clear_pointer (&a->root_files, g_free);
  g_clear_pointer (&a->walk.files, g_ptr_array_unref);
  g_clear_pointer (&a->walk.seen_dirs, g_hash_table_unref);
  g_clear_pointer (&a->walk.seen_files, g_hash_table_unref);
  g_clear_pointer (&a->walk.errors, g_ptr_array_unref);
  g_clear_pointer (&a->previous, g_hash_table_unref);
  g_clear_pointer (&a->failures, g_ptr_array_unref);
  g_clear_pointer (&a->queue, g_ptr_array_unref);
  g_clear_pointer (&a->entries, g_ptr_array_unref);
  g_clear_object (&a->stop);
  if (a->lock_fd >= 0)
    close (a->lock_fd); /* releases the lock */
  a->lock_fd = -1;
}

/* Step 1: every input exists and can be read, before anything is touched. */
static gboolean
check_inputs (Analysis *a, const char *const *inputs, GError **error)
{
  a->roots = g_ptr_array_new_with_free_func (g_free);
  if (inputs == NULL || inputs[0] == NULL)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                   _ ("No folder or file to analyse was given"));
      return FALSE;
    }
  for (guint i = 0; inputs[i]; i++)
    {
      g_autofree char *abs = absolute (inputs[i]);
      g_autofree char *shown = g_filename_display_name (abs);
      GStatBuf st;

      if (g_stat (abs, &st) != 0)
        {
          int saved = errno;
          g_set_error (error, SA_ERROR, saved == ENOENT ? SA_ERROR_NOT_FOUND : SA_ERROR_IO,
                       _ ("%s: cannot analyse: %s; nothing was changed"), shown,
                       g_strerror (saved));
          return FALSE;
        }
      if (S_ISDIR (st.st_mode) ? g_access (abs, R_OK | X_OK) != 0 : g_access (abs, R_OK) != 0)
        {
          int saved = errno;
          g_set_error (error, SA_ERROR, SA_ERROR_IO,
                       _ ("%s: cannot analyse: %s; nothing was changed"), shown,
                       g_strerror (saved));
          return FALSE;
        }
      if (!S_ISDIR (st.st_mode) && !S_ISREG (st.st_mode))
        {
          g_set_error (
              error, SA_ERROR, SA_ERROR_IO,
              _ ("%s: cannot analyse: not a folder or a regular file; nothing was changed"), shown);
          return FALSE;
        }
    }
  return TRUE;
}

/* Step 2: create OUTDIR, hold its lock for the whole run, and remove the temporaries of
 * runs that were killed (nobody else can be writing them while the lock is held). */
static gboolean
open_output (Analysis *a, GError **error)
{
  g_autofree char *lock_path = g_build_filename (a->outdir, ".analyze.lock", NULL);
  g_autofree char *shown = g_filename_display_name (a->outdir);
  char pid[32];
  int n;

  if (g_mkdir_with_parents (a->outdir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the folder: %s"), shown,
                   g_strerror (saved));
      return FALSE;
    }
  a->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (a->lock_fd < 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the lock file: %s"), shown,
                   g_strerror (saved));
      return FALSE;
    }
  if (flock (a->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      if (saved == EWOULDBLOCK)
        {
          n = (int) read (a->lock_fd, pid, sizeof pid - 1);
          pid[MAX (n, 0)] = '\0';
          g_strchomp (pid);
          g_set_error (error, SA_ERROR, SA_ERROR_BUSY,
                       _ ("%s: another analysis (process %s) is writing this collection; wait "
                          "for it to finish, or write to another folder"),
                       shown, *pid ? pid : "?");
        }
      else
        g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot lock the folder: %s"), shown,
                     g_strerror (saved));
      return FALSE;
    }
  n = g_snprintf (pid, sizeof pid, "%d\n", (int) getpid ());
  if (ftruncate (a->lock_fd, 0) != 0 || pwrite (a->lock_fd, pid, (size_t) n, 0) != n)
    {
      /* the pid is only shown to a second run; a full disk fails later with its own message */
    }
  remove_stale_temporaries (a->outdir);
  return TRUE;
}

/* Step 3: the audio files of the inputs, sorted folder by folder.  A filter (a shard of
 * the files) goes here. */
static void
list_files (Analysis *a, const char *const *inputs)
{
  a->walk.files = g_ptr_array_new_with_free_func (g_free);
  a->walk.seen_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  a->walk.seen_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  a->walk.errors = g_ptr_array_new ();
  a->walk.follow_symlinks = a->options->follow_symlinks;
  a->root_files = g_new0 (guint, g_strv_length ((char **) inputs));
  for (guint i = 0; inputs[i]; i++)
    {
      g_autofree char *abs = absolute (inputs[i]);
      guint before = a->walk.files->len;
      gboolean is_dir = g_file_test (abs, G_FILE_TEST_IS_DIR);

      if (is_dir)
        {
          walk_dir (&a->walk, abs, a->cancellable);
          a->root_files[a->roots->len] = a->walk.files->len - before;
        }
      else
        add_file (&a->walk, abs); /* named explicitly: analysed whatever its extension */
      /* after the count: a folder with audio in other shards only still removes rows */
      sa_shard_filter (&a->options->shard, a->walk.files, before, abs);
      if (is_dir)
        g_ptr_array_add (a->roots, g_steal_pointer (&abs));
    }
  a->p.n_files = a->walk.files->len;
  a->p.n_links_skipped = a->walk.n_links_skipped;
}

static gint64
mtime_ns (const GStatBuf *st)
{
  return (gint64) st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Whether a recorded file is gone from an input folder of this run that still exists (and
 * in which audio was found: an empty or unmounted folder removes nothing). */
static gboolean
is_removed (Analysis *a, const char *path)
{
  if (a->options->prune)
    return TRUE;
  for (guint r = 0; r < a->roots->len; r++)
    {
      const char *root = g_ptr_array_index (a->roots, r);
      gsize n = strlen (root);

      if (a->root_files[r] > 0 && strncmp (path, root, n) == 0
          && (path[n] == G_DIR_SEPARATOR || root[n - 1] == G_DIR_SEPARATOR))
        return !g_file_test (path, G_FILE_TEST_EXISTS);
    }
  return FALSE;
}

static Entry *
new_entry (const char *path, const GStatBuf *st)
{
  Entry *e = g_new0 (Entry, 1);

  e->path = g_strdup (path);
  e->clip_id = sa_clip_id_for_path (path);
  e->size = (guint64) st->st_size;
  e->mtime_ns = mtime_ns (st);
  return e;
}

/* Owned by the entries, analysed by the workers. */
static void
queue_entry (Analysis *a, Entry *e)
{
  g_ptr_array_add (a->entries, e);
  g_ptr_array_add (a->queue, e);
}

/* Step 4: decide for every file (reuse its row, or analyse it) and for every recorded row
 * that was not found (keep it, analyse it again, or drop it as removed). */
static void
plan_entries (Analysis *a)
{
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < a->walk.errors->len; i++)
    {
      Entry *e = g_ptr_array_index (a->walk.errors, i);
      g_ptr_array_add (a->entries, e);
      g_ptr_array_add (a->failures, e);
    }
  for (guint i = 0; i < a->walk.files->len; i++)
    {
      const char *path = g_ptr_array_index (a->walk.files, i);
      Entry *old = g_hash_table_lookup (a->previous, path);
      GStatBuf st;

      if (g_stat (path, &st) != 0)
        continue;
      if (old && !old->stale && old->size == (guint64) st.st_size
          && old->mtime_ns == mtime_ns (&st))
        {
          g_hash_table_steal (a->previous, path);
          g_ptr_array_add (a->entries, old);
          a->p.n_reused++;
          a->p.n_done++;
          continue;
        }
      if (old)
        g_hash_table_remove (a->previous, path); /* changed: analysed again, not "removed" */
      queue_entry (a, new_entry (path, &st));
    }
  g_hash_table_iter_init (&iter, a->previous);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *old = value;

      if (sa_shard_excludes (&a->options->shard, a->roots, old->path))
        {
          /* with --shard, the rules apply to this shard's rows only, --prune too */
          g_hash_table_iter_steal (&iter);
          g_ptr_array_add (a->entries, old);
          a->p.n_other_shards++;
          continue;
        }
      if (is_removed (a, old->path))
        {
          a->p.n_removed++;
          continue;
        }
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (a->entries, old); /* another folder's row: kept as it is */
      a->p.n_kept++;
    }
}

static void
on_outer_cancelled (GCancellable *outer, GCancellable *stop)
{
  g_cancellable_cancel (stop);
}

/* Step 5: hand the queue to the pool of threads. */
static void
start_workers (Analysis *a)
{
  guint n_jobs = a->options->n_jobs ? a->options->n_jobs : g_get_num_processors ();
  guint fit = 1;

  /* as many at once as there are file descriptors for (checked to be at least one) */
  if (sa_audio_check_descriptors (n_jobs, &fit, NULL))
    n_jobs = MIN (n_jobs, fit);
  a->run.segments = a->options->segments;
  a->run.cancellable = a->stop;
  a->run.results = g_async_queue_new ();
  g_mutex_init (&a->run.lock);
  a->pool = g_thread_pool_new (analyse_one, &a->run, (int) MIN (n_jobs, G_MAXINT), FALSE, NULL);
  for (guint i = 0; i < a->queue->len; i++)
    {
      Entry *e = g_ptr_array_index (a->queue, i);
      g_thread_pool_push (a->pool, e, NULL);
      a->pending++;
    }
}

/* A result came back from a worker. */
static void
take_result (Analysis *a, Entry *e)
{
  e->ok = e->features != NULL;
  if (e->ok)
    a->p.n_analysed++, a->p.n_done++;
  else if (e->error)
    {
      a->p.n_failed++, a->p.n_done++;
      g_ptr_array_add (a->failures, e);
    }
  a->p.current = e->path;
}

/* Step 6: collect the results, saving what is done every checkpoint_ms; a checkpoint that
 * fails ends the run with its own error. */
static gboolean
collect_results (Analysis *a, GError **error)
{
  guint checkpoint_ms = a->options->checkpoint_ms ? a->options->checkpoint_ms : 10000;
  gint64 last_checkpoint = g_get_monotonic_time ();
  guint since_checkpoint = 0;

  while (a->pending > 0)
    {
      Entry *e = g_async_queue_timeout_pop (a->run.results, 100000);
      if (e)
        {
          a->pending--;
          take_result (a, e);
          since_checkpoint++;
          if (a->options->progress)
            a->options->progress (&a->p, a->options->progress_data);
        }
      if (a->run.fatal)
        {
          g_propagate_error (error, g_steal_pointer (&a->run.fatal));
          return FALSE;
        }
      if (g_cancellable_is_cancelled (a->stop))
        break;
      if (since_checkpoint > 0
          && (g_get_monotonic_time () - last_checkpoint) / 1000 >= checkpoint_ms
          && count_ok (a->entries) > 0)
        {
          if (!write_collection (a->outdir, a->entries, a->failures, error))
            return FALSE;
          last_checkpoint = g_get_monotonic_time ();
          since_checkpoint = 0;
        }
    }
  return TRUE;
}

/* Step 7: stop the workers (queued work is dropped, running work finishes) and take what
 * they still return. */
static void
stop_workers (Analysis *a)
{
  Entry *e;

  g_cancellable_cancel (a->stop);
  g_thread_pool_free (a->pool, TRUE, TRUE);
  a->pool = NULL;
  while ((e = g_async_queue_try_pop (a->run.results)))
    take_result (a, e);
  g_async_queue_unref (a->run.results);
  g_clear_error (&a->run.fatal);
  g_mutex_clear (&a->run.lock);
}

/* Nothing would be left of a collection (--prune of folders with no audio): it stays. */
static gboolean
no_track_left (Analysis *a, GError **error)
{
  g_autofree char *shown = g_filename_display_name (a->outdir);

  if (a->p.n_removed == 0)
    return FALSE;
  g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
               _ ("%s: no track would be left (%u removed, none analysed); the collection is "
                  "left as it was"),
               shown, a->p.n_removed);
  return TRUE;
}

gboolean
sa_analyze (const char *const *inputs, const char *outdir, const SaAnalyzeOptions *options,
            SaAnalyzeProgress *report, GCancellable *cancellable, GError **error)
{
  SaAnalyzeOptions defaults;
  Analysis a = { 0 };
  gulong handler = 0;
  gboolean ok;

  g_return_val_if_fail (inputs != NULL, FALSE);
  g_return_val_if_fail (outdir != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      sa_analyze_options_init (&defaults);
      options = &defaults;
    }
  a.options = options;
  a.outdir = outdir;
  a.lock_fd = -1;
  a.cancellable = cancellable;
  a.stop = g_cancellable_new ();
  a.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  a.failures = g_ptr_array_new ();
  a.queue = g_ptr_array_new ();
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                     g_object_ref (a.stop), g_object_unref);

  ok = check_inputs (&a, inputs, error) && sa_audio_check_descriptors (1, NULL, error)
       && sa_audio_init (error) && open_output (&a, error);
  if (ok)
    {
      list_files (&a, inputs);
      ok = load_previous (outdir, &a.previous, error);
    }
  if (ok)
    {
      plan_entries (&a);
      if (options->progress)
        options->progress (&a.p, options->progress_data);
      start_workers (&a);
      ok = collect_results (&a, error);
      stop_workers (&a);
      /* the last save: a collection with no track is never written over one */
      if (ok && count_ok (a.entries) > 0)
        ok = write_collection (outdir, a.entries, a.failures, error);
      else if (ok)
        ok = write_errors (outdir, a.failures, error) && !no_track_left (&a, error);
      if (options->failures)
        for (guint i = 0; i < a.failures->len; i++)
          g_ptr_array_add (options->failures,
                           g_strdup (((Entry *) g_ptr_array_index (a.failures, i))->error));
      if (ok && cancellable && g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
    }
  if (handler)
    g_cancellable_disconnect (cancellable, handler);
  a.p.current = NULL;
  if (report)
    *report = a.p;
  analysis_clear (&a);
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
  g_return_if_fail (inputs != NULL);
  g_return_if_fail (outdir != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *d = g_new0 (AsyncData, 1);

  d->inputs = g_strdupv ((char **) inputs);
  d->outdir = g_strdup (outdir);
  if (options)
    d->options = *options;
  else
    sa_analyze_options_init (&d->options);
  g_task_set_source_tag (task, sa_analyze_async);
  /* a real error (a full disk at a checkpoint) is reported as itself, not as "cancelled" */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, d, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, analyze_thread);
}

gboolean
sa_analyze_finish (GAsyncResult *result, SaAnalyzeProgress *report, GError **error)
{
  AsyncData *d = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (report)
    {
      *report = d->report;
      report->current = NULL;
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}
