/* sa-merge.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-merge.h"
#include "sa-metadata.h"
#include "sa-npz.h"
#include "sa-rpssd.h"
#include "sa-shard.h"

/* One analysed folder, read whole. */
typedef struct
{
  char *dir;
  SaMetadata *md;
  int md_offset;    /* 1 when the first column is pandas' unnamed index */
  GPtrArray *names; /* the columns after the index */
  float *rp, *ssd;
  gint64 *ids, *stamps;
  guint64 n;
  GPtrArray *failures; /* path, message, path, message, ... */
} Input;

static void
input_free (Input *in)
{
  g_free (in->dir);
  if (in->md)
    sa_metadata_free (in->md);
  if (in->names)
    g_ptr_array_unref (in->names);
  g_free (in->rp);
  g_free (in->ssd);
  g_free (in->ids);
  g_free (in->stamps);
  if (in->failures)
    g_ptr_array_unref (in->failures);
  g_free (in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Input, input_free)

typedef struct
{
  Input *in;
  guint md_row;
  guint64 npz_row;
  char *key; /* the file name the path stands for: the sort key */
} Row;

static void
row_free (Row *r)
{
  g_free (r->key);
  g_free (r);
}

static const char *
row_path (const Row *r)
{
  return sa_metadata_get (r->in->md, r->md_row, r->in->md_offset + 1 /* mp3_path */);
}

static float *
read_f32 (SaNpz *npz, const char *dir, const char *name, guint cols, guint64 *rows, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SaNpzStream) s = NULL;
  g_autofree guint8 *raw = NULL;
  g_autofree float *out = NULL;
  SaNpyHeader h;

  s = sa_npz_open_array (npz, name, &h, &local_error);
  if (s == NULL)
    {
      g_set_error (error, SA_ERROR, local_error->code, _ ("%s: not a collection: %s"), dir,
                   local_error->message);
      return NULL;
    }
  if (h.dtype != SA_DTYPE_F32 || h.ndim != 2 || h.fortran_order || h.shape[1] != cols)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_SHAPE,
                   _ ("%s: not a collection written by soundalike-cli analyze: '%s' is not a "
                      "float32 array of %u columns"),
                   dir, name, cols);
      return NULL;
    }
  raw = g_try_malloc (MAX (h.data_size, 1));
  out = g_try_malloc (MAX (h.data_size, 1));
  if (raw == NULL || out == NULL)
    {
      g_autofree char *size = g_format_size (h.data_size);
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE, _ ("%s: not enough memory for '%s' (%s)"),
                   dir, name, size);
      return NULL;
    }
  if (!sa_npz_stream_read (s, raw, h.data_size, error) || !sa_npz_stream_finish (s, error))
    return NULL;
  sa_npy_convert_f32 (&h, raw, h.n_elements, out);
  *rows = h.shape[0];
  return g_steal_pointer (&out);
}

/* errors.csv: a header "path,error", then one line per file. */
typedef struct
{
  GPtrArray *fields;
  GPtrArray *out;
  gboolean header_done;
  gboolean bad;
} ErrorsParse;

static void
on_error_field (void *data, size_t len, void *user_data)
{
  ErrorsParse *st = user_data;
  g_ptr_array_add (st->fields, g_strndup (data ? data : "", len));
}

static void
on_error_row (int c, void *user_data)
{
  ErrorsParse *st = user_data;

  if (!st->header_done)
    {
      st->header_done = TRUE;
      st->bad |= st->fields->len != 2 || !g_str_equal (g_ptr_array_index (st->fields, 0), "path");
    }
  else if (st->fields->len == 2)
    {
      g_ptr_array_add (st->out, g_strdup (g_ptr_array_index (st->fields, 0)));
      g_ptr_array_add (st->out, g_strdup (g_ptr_array_index (st->fields, 1)));
    }
  else if (!(st->fields->len == 1 && *(char *) g_ptr_array_index (st->fields, 0) == '\0'))
    st->bad = TRUE;
  g_ptr_array_set_size (st->fields, 0);
}

static gboolean
read_failures (Input *in, GError **error)
{
  g_autofree char *path = g_build_filename (in->dir, "errors.csv", NULL);
  g_autofree char *data = NULL;
  g_autoptr (GError) local_error = NULL;
  struct csv_parser parser;
  ErrorsParse st = { 0 };
  gsize len;

  in->failures = g_ptr_array_new_with_free_func (g_free);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE; /* nothing failed, or an older run */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)
      || !g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot read the list of failures: %s"),
                   path, local_error ? local_error->message : _ ("not a regular file"));
      return FALSE;
    }
  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_FAILED, _ ("%s: cannot start the CSV parser"), path);
      return FALSE;
    }
  st.fields = g_ptr_array_new_with_free_func (g_free);
  st.out = in->failures;
  if (csv_parse (&parser, data, len, on_error_field, on_error_row, &st) != len
      || csv_fini (&parser, on_error_field, on_error_row, &st) != 0)
    st.bad = TRUE;
  csv_free (&parser);
  g_ptr_array_unref (st.fields);
  if (st.bad || !st.header_done)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CSV,
                   _ ("%s: not a list of failures written by soundalike-cli analyze (expected the "
                      "columns path,error)"),
                   path);
      return FALSE;
    }
  for (guint i = 0; i < in->failures->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (in->failures, i), -1, NULL))
      {
        g_set_error (error, SA_ERROR, SA_ERROR_ENCODING, _ ("%s: invalid UTF-8 text"), path);
        return FALSE;
      }
  return TRUE;
}

/* analyze's lock (see sa-analyzer.h): OUTDIR/.analyze.lock, flock()ed for the whole run */
#define LOCK_NAME ".analyze.lock"

/* Holds OUTDIR for the merge, as analyze does (with the pid, for a second writer's message). */
static int
lock_output (const char *outdir, GError **error)
{
  g_autofree char *path = g_build_filename (outdir, LOCK_NAME, NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  char pid[32];
  int n;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot lock the folder for the merge: %s"),
                   outdir, g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      close (fd);
      if (saved == EWOULDBLOCK)
        g_set_error (error, SA_ERROR, SA_ERROR_BUSY,
                     _ ("%s: another analysis or merge is writing this collection; wait for it "
                        "to finish"),
                     outdir);
      else
        g_set_error (error, SA_ERROR, SA_ERROR_IO,
                     _ ("%s: cannot lock the folder for the merge: %s"), outdir,
                     g_strerror (saved));
      return -1;
    }
  n = g_snprintf (pid, sizeof pid, "%d\n", (int) getpid ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, pid, (size_t) n, 0) != n)
    {
      /* the pid is only shown to a second writer */
    }
  return fd;
}

/* An input that an analyze still writes is refused; one without a lock file has none running. */
static gboolean
check_input_idle (const char *dir, int *fd_out, GError **error)
{
  g_autofree char *path = g_build_filename (dir, LOCK_NAME, NULL);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  *fd_out = -1;
  if (fd < 0)
    return TRUE;
  if (flock (fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
    {
      close (fd);
      g_set_error (error, SA_ERROR, SA_ERROR_BUSY,
                   _ ("%s: an analysis is still writing this folder; merge when it has finished"),
                   dir);
      return FALSE;
    }
  *fd_out = fd; /* held (shared) until the merge is written */
  return TRUE;
}

static gboolean
same_folder (const char *a, const char *b)
{
  GStatBuf sa, sb;
  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev
         && sa.st_ino == sb.st_ino;
}

static void
close_fd (gpointer data)
{
  close (GPOINTER_TO_INT (data));
}

typedef int SaFd;
static void
sa_fd_clear (SaFd *fd)
{
  if (*fd >= 0)
    close (*fd);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SaFd, sa_fd_clear)

static const char *const required_columns[] = { "clip_id", "mp3_path", "file_mtime_ns", NULL };

static Input *
read_input (const char *dir, GError **error)
{
  g_autoptr (Input) in = g_new0 (Input, 1);
  g_autofree char *npz_path = g_build_filename (dir, "features.npz", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "metadata.csv", NULL);
  g_autoptr (SaNpz) npz = NULL;
  g_autoptr (GError) local_error = NULL;
  SaNpyHeader h1, h2;
  guint64 n_ssd = 0;

  in->dir = g_strdup (dir);
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: no such folder"), dir);
      return NULL;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO,
                   _ ("%s: not a folder (give the folders soundalike-cli analyze --output wrote)"),
                   dir);
      return NULL;
    }
  if (!g_file_test (npz_path, G_FILE_TEST_IS_REGULAR)
      || !g_file_test (csv_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   _ ("%s: not a collection: it has no features.npz and metadata.csv (did its "
                      "analyze run finish?)"),
                   dir);
      return NULL;
    }
  in->md = sa_metadata_load (csv_path, &local_error);
  if (in->md == NULL)
    {
      g_set_error (error, SA_ERROR, local_error->code, _ ("%s: not a collection: %s"), dir,
                   local_error->message);
      return NULL;
    }
  in->md_offset
      = sa_metadata_get_n_columns (in->md) > 0 && *sa_metadata_get_column_name (in->md, 0) == '\0'
            ? 1
            : 0;
  in->names = g_ptr_array_new ();
  for (guint i = in->md_offset; i < sa_metadata_get_n_columns (in->md); i++)
    g_ptr_array_add (in->names, (gpointer) sa_metadata_get_column_name (in->md, i));
  for (guint i = 0; required_columns[i]; i++)
    if (in->names->len < 2 || sa_metadata_find_column (in->md, required_columns[i]) < 0
        || !g_str_equal (g_ptr_array_index (in->names, 1), "mp3_path"))
      {
        g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                     _ ("%s: not a collection written by soundalike-cli analyze: metadata.csv "
                        "has no column '%s' in its place"),
                     dir, required_columns[i]);
        return NULL;
      }

  npz = sa_npz_open (npz_path, &local_error);
  if (npz == NULL)
    {
      g_set_error (error, SA_ERROR, local_error->code, _ ("%s: not a collection: %s"), dir,
                   local_error->message);
      return NULL;
    }
  in->rp = read_f32 (npz, dir, "rp", SA_RP_LENGTH, &in->n, error);
  if (in->rp == NULL)
    return NULL;
  in->ssd = read_f32 (npz, dir, "ssd", SA_SSD_LENGTH, &n_ssd, error);
  if (in->ssd == NULL)
    return NULL;
  in->ids = sa_npz_read_i64 (npz, "clip_id", &h1, &local_error);
  if (in->ids)
    in->stamps = sa_npz_read_i64 (npz, "file_mtime_ns", &h2, &local_error);
  if (in->ids == NULL || in->stamps == NULL)
    {
      g_set_error (error, SA_ERROR, local_error->code, _ ("%s: not a collection: %s"), dir,
                   local_error->message);
      return NULL;
    }
  if (n_ssd != in->n || h1.n_elements != in->n || h2.n_elements != in->n || h1.ndim != 1
      || h2.ndim != 1)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_SHAPE,
                   _ ("%s: not a collection: the arrays of features.npz have different numbers "
                      "of rows"),
                   dir);
      return NULL;
    }
  if (!read_failures (in, error))
    return NULL;
  return g_steal_pointer (&in);
}

static gboolean
same_columns (Input *a, Input *b)
{
  if (a->names->len != b->names->len)
    return FALSE;
  for (guint i = 0; i < a->names->len; i++)
    if (!g_str_equal (g_ptr_array_index (a->names, i), g_ptr_array_index (b->names, i)))
      return FALSE;
  return TRUE;
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const Row *x = *(const Row **) a, *y = *(const Row **) b;
  int c = strcmp (x->key, y->key);
  return c ? c : strcmp (row_path (x), row_path (y));
}

/* Adds the rows of @in whose metadata and features agree. */
static void
add_rows (Input *in, GHashTable *rows, GHashTable *failed, SaMergeReport *r)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int stamp_col = sa_metadata_find_column (in->md, "file_mtime_ns");
  guint n_md = sa_metadata_get_n_rows (in->md);
  guint n_joined = 0;

  for (guint64 i = 0; i < in->n; i++)
    g_hash_table_insert (by_id, &in->ids[i], GSIZE_TO_POINTER ((gsize) i + 1));
  for (guint m = 0; m < n_md; m++)
    {
      gint64 id = sa_metadata_get_clip_id (in->md, m);
      gpointer hit = g_hash_table_lookup (by_id, &id);
      Row *row, *old;
      gint64 stamp;

      if (hit == NULL)
        continue;
      row = g_new0 (Row, 1);
      row->in = in;
      row->md_row = m;
      row->npz_row = GPOINTER_TO_SIZE (hit) - 1;
      stamp = g_ascii_strtoll (sa_metadata_get (in->md, m, stamp_col), NULL, 10);
      if (stamp != in->stamps[row->npz_row] || *row_path (row) == '\0')
        {
          row_free (row);
          continue;
        }
      n_joined++;
      row->key = sa_path_from_stored (row_path (row));
      if (row->key == NULL)
        row->key = g_strdup (row_path (row));
      old = g_hash_table_lookup (rows, row_path (row));
      if (old)
        {
          r->n_duplicates++;
          if (old->in->stamps[old->npz_row] > in->stamps[row->npz_row])
            {
              row_free (row);
              continue;
            }
        }
      g_hash_table_remove (failed, row_path (row));
      g_hash_table_replace (rows, (gpointer) row_path (row), row);
    }
  r->n_incomplete += (n_md > n_joined ? n_md - n_joined : 0)
                     + (in->n > n_joined ? (guint) (in->n - n_joined) : 0);
  /* a failure listed by this input replaces an earlier row; one of its own rows stays */
  for (guint i = 0; i + 1 < in->failures->len; i += 2)
    {
      const char *path = g_ptr_array_index (in->failures, i);
      Row *row = g_hash_table_lookup (rows, path);

      if (row && row->in == in)
        continue;
      if (row)
        g_hash_table_remove (rows, path);
      g_hash_table_replace (failed, (gpointer) path, g_ptr_array_index (in->failures, i + 1));
    }
}

static gboolean
write_merged (const char *outdir, Input *layout, GPtrArray *sorted, GHashTable *failed,
              GError **error)
{
  g_autofree char *npz_path = g_build_filename (outdir, "features.npz", NULL);
  g_autofree char *csv_path = g_build_filename (outdir, "metadata.csv", NULL);
  g_autofree char *err_path = g_build_filename (outdir, "errors.csv", NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (SaMetadataWriter) mw = NULL;
  g_autoptr (SaNpzWriter) w = NULL;
  g_autofree const float **rp = g_new (const float *, MAX (sorted->len, 1));
  g_autofree const float **ssd = g_new (const float *, MAX (sorted->len, 1));
  g_autofree gint64 *ids = g_new (gint64, MAX (sorted->len, 1));
  g_autofree gint64 *stamps = g_new (gint64, MAX (sorted->len, 1));
  g_autofree const char **cells = g_new (const char *, layout->names->len + 1);
  g_autoptr (GString) errors = g_string_new ("path,error\n");
  g_autoptr (GList) failed_paths = NULL;

  for (guint i = 0; i < layout->names->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (layout->names, i));
  g_ptr_array_add (names, NULL);
  mw = sa_metadata_writer_new ((const char *const *) names->pdata);
  for (guint i = 0; i < sorted->len; i++)
    {
      Row *row = g_ptr_array_index (sorted, i);
      g_autofree char *index = g_strdup_printf ("%u", i);

      for (guint c = 0; c < layout->names->len; c++)
        cells[c] = sa_metadata_get (row->in->md, row->md_row, row->in->md_offset + (int) c);
      sa_metadata_writer_add_row (mw, index, cells);
      rp[i] = row->in->rp + row->npz_row * SA_RP_LENGTH;
      ssd[i] = row->in->ssd + row->npz_row * SA_SSD_LENGTH;
      ids[i] = row->in->ids[row->npz_row];
      stamps[i] = row->in->stamps[row->npz_row];
    }
  failed_paths = g_list_sort (g_hash_table_get_keys (failed), (GCompareFunc) strcmp);
  for (GList *l = failed_paths; l; l = l->next)
    {
      sa_csv_append_field (errors, l->data);
      g_string_append_c (errors, ',');
      sa_csv_append_field (errors, g_hash_table_lookup (failed, l->data));
      g_string_append_c (errors, '\n');
    }
  /* the order analyze writes in: any pair of the files joins (see sa-analyzer.h) */
  if (!sa_metadata_writer_save (mw, csv_path, error))
    return FALSE;
  w = sa_npz_writer_new (npz_path, error);
  if (w == NULL || !sa_npz_writer_add_f32_rows (w, "rp", rp, sorted->len, SA_RP_LENGTH, error)
      || !sa_npz_writer_add_f32_rows (w, "ssd", ssd, sorted->len, SA_SSD_LENGTH, error)
      || !sa_npz_writer_add_i64 (w, "clip_id", ids, sorted->len, error)
      || !sa_npz_writer_add_i64 (w, "file_mtime_ns", stamps, sorted->len, error)
      || !sa_npz_writer_commit (w, error))
    return FALSE;
  return sa_write_file_atomic (err_path, errors->str, errors->len, error);
}

gboolean
sa_merge (const char *outdir, const char *const *inputs, SaMergeReport *report, GError **error)
{
  g_autoptr (GPtrArray) ins = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
  g_autoptr (GHashTable) rows
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) row_free);
  g_autoptr (GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GPtrArray) sorted = NULL;
  g_autofree char *out_npz = g_build_filename (outdir, "features.npz", NULL);
  g_autofree char *out_csv = g_build_filename (outdir, "metadata.csv", NULL);
  g_autoptr (GPtrArray) input_locks = g_ptr_array_new_with_free_func (close_fd);
  g_auto (SaFd) out_lock = -1;
  SaMergeReport r = { 0 };

  if (inputs == NULL || inputs[0] == NULL)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT, _ ("nothing to merge"));
      return FALSE;
    }
  if (g_file_test (outdir, G_FILE_TEST_IS_DIR))
    {
      out_lock = lock_output (outdir, error);
      if (out_lock < 0)
        return FALSE;
    }
  /* an existing result is the first input: merging adds and updates */
  if (g_file_test (outdir, G_FILE_TEST_EXISTS)
      && (!g_file_test (outdir, G_FILE_TEST_IS_DIR) || g_file_test (out_npz, G_FILE_TEST_EXISTS)
          || g_file_test (out_csv, G_FILE_TEST_EXISTS)))
    {
      Input *in = read_input (outdir, error);
      if (in == NULL)
        {
          g_prefix_error (error, _ ("The output is not a collection to merge into: "));
          return FALSE;
        }
      g_ptr_array_add (ins, in);
    }
  for (guint i = 0; inputs[i]; i++)
    {
      Input *in;
      int fd = -1;

      /* OUTDIR given as an input too is held already */
      if (g_file_test (inputs[i], G_FILE_TEST_IS_DIR) && !same_folder (inputs[i], outdir)
          && !check_input_idle (inputs[i], &fd, error))
        return FALSE;
      if (fd >= 0)
        g_ptr_array_add (input_locks, GINT_TO_POINTER (fd));
      in = read_input (inputs[i], error);
      if (in == NULL)
        return FALSE;
      g_ptr_array_add (ins, in);
      r.n_inputs++;
    }
  for (guint i = 1; i < ins->len; i++)
    if (!same_columns (g_ptr_array_index (ins, 0), g_ptr_array_index (ins, i)))
      {
        g_set_error (error, SA_ERROR, SA_ERROR_SHAPE,
                     _ ("%s: its metadata.csv has other columns than %s (made by another "
                        "version of Soundalike?)"),
                     ((Input *) g_ptr_array_index (ins, i))->dir,
                     ((Input *) g_ptr_array_index (ins, 0))->dir);
        return FALSE;
      }

  for (guint i = 0; i < ins->len; i++)
    add_rows (g_ptr_array_index (ins, i), rows, failed, &r);

  {
    GHashTableIter iter;
    Row *row;
    sorted = g_ptr_array_sized_new (g_hash_table_size (rows));
    g_hash_table_iter_init (&iter, rows);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
      g_ptr_array_add (sorted, row);
  }
  g_ptr_array_sort (sorted, compare_rows);
  for (guint i = 0; i < sorted->len; i++)
    {
      Row *row = g_ptr_array_index (sorted, i);
      gint64 *id = &row->in->ids[row->npz_row];
      Row *other = g_hash_table_lookup (by_id, id);

      if (other)
        {
          g_autofree char *text = g_strdup_printf ("%" PRId64, *id);
          g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                       _ ("clip id %s stands for two files, %s (in %s) and %s (in %s); nothing "
                          "was written"),
                       text, row_path (other), other->in->dir, row_path (row), row->in->dir);
          return FALSE;
        }
      g_hash_table_insert (by_id, id, row);
    }
  if (sorted->len == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
                   _ ("%s: the inputs hold no analysed tracks; nothing was written"), outdir);
      return FALSE;
    }
  if (g_mkdir_with_parents (outdir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the folder: %s"), outdir,
                   g_strerror (saved));
      return FALSE;
    }
  if (out_lock < 0 && (out_lock = lock_output (outdir, error)) < 0)
    return FALSE;
  if (!write_merged (outdir, g_ptr_array_index (ins, 0), sorted, failed, error))
    return FALSE;
  r.n_rows = sorted->len;
  r.n_failures = g_hash_table_size (failed);
  if (report)
    *report = r;
  return TRUE;
}
