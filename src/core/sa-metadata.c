/* sa-metadata.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-file.h"
#include "sa-metadata.h"

struct _SaMetadata
{
  GPtrArray *columns; /* char* */
  GPtrArray *cells;   /* const char*, row-major, into @chunk */
  GStringChunk *chunk;
  GArray *clip_ids; /* gint64 */
  int clip_id_column;
  guint n_columns;
};

typedef struct
{
  SaMetadata *md;
  const char *where;
  GPtrArray *row; /* fields of the record being read */
  guint line;
  gboolean header_done;
  GError *error;
} ParseState;

void
sa_metadata_free (SaMetadata *md)
{
  if (md == NULL)
    return;
  g_clear_pointer (&md->columns, g_ptr_array_unref);
  g_clear_pointer (&md->cells, g_ptr_array_unref);
  g_clear_pointer (&md->clip_ids, g_array_unref);
  if (md->chunk)
    g_string_chunk_free (md->chunk);
  g_free (md);
}

gboolean
sa_parse_clip_id (const char *text, gint64 *value)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;
  gint64 v;
  double d;

  if (*s == '\0')
    return FALSE;
  /* decimal only: no hex ("0x10"), inf or nan, which strtod would take */
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '-' && *p != '+' && *p != '.' && *p != 'e' && *p != 'E')
      return FALSE;
  errno = 0;
  v = g_ascii_strtoll (s, &end, 10);
  if (errno == 0 && end != s && *end == '\0')
    {
      *value = v;
      return TRUE;
    }
  d = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !(d >= -9007199254740992.0 && d <= 9007199254740992.0)
      || d != (double) (gint64) d)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

static void
on_field (void *data, size_t len, void *user_data)
{
  ParseState *st = user_data;
  const char *text = data ? data : "";

  if (st->error)
    return;
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (&st->error, SA_ERROR, SA_ERROR_ENCODING,
                   _ ("%s: line %u: invalid UTF-8 text (the file must be UTF-8)"), st->where,
                   st->line);
      return;
    }
  g_ptr_array_add (st->row, g_string_chunk_insert_len (st->md->chunk, text, len));
}

static void
on_row (int terminator, void *user_data)
{
  ParseState *st = user_data;
  SaMetadata *md = st->md;

  if (st->error)
    return;
  if (!st->header_done)
    {
      md->n_columns = st->row->len;
      for (guint i = 0; i < st->row->len; i++)
        g_ptr_array_add (md->columns, g_strdup (g_ptr_array_index (st->row, i)));
      for (guint i = 0; i < md->n_columns; i++)
        if (g_str_equal (g_ptr_array_index (md->columns, i), "clip_id"))
          {
            md->clip_id_column = i;
            break;
          }
      st->header_done = TRUE;
      g_ptr_array_set_size (st->row, 0);
      if (md->clip_id_column < 0)
        g_set_error (&st->error, SA_ERROR, SA_ERROR_MISSING,
                     _ ("%s: the header has no 'clip_id' column"), st->where);
      return;
    }
  if (st->row->len == 0
      || (st->row->len == 1 && ((const char *) g_ptr_array_index (st->row, 0))[0] == '\0'
          && md->n_columns > 1))
    {
      /* a blank line */
      g_ptr_array_set_size (st->row, 0);
      return;
    }
  if (st->row->len != md->n_columns)
    {
      g_set_error (&st->error, SA_ERROR, SA_ERROR_CSV,
                   _ ("%s: line %u has %u fields but the header has %u"), st->where, st->line,
                   st->row->len, md->n_columns);
      return;
    }
  {
    gint64 id;
    const char *text = g_ptr_array_index (st->row, md->clip_id_column);
    if (!sa_parse_clip_id (text, &id))
      {
        g_set_error (&st->error, SA_ERROR, SA_ERROR_CSV,
                     _ ("%s: line %u: clip_id '%s' is not an integer"), st->where, st->line, text);
        return;
      }
    g_array_append_val (md->clip_ids, id);
  }
  for (guint i = 0; i < st->row->len; i++)
    g_ptr_array_add (md->cells, g_ptr_array_index (st->row, i));
  g_ptr_array_set_size (st->row, 0);
}

SaMetadata *
sa_metadata_parse (const char *data, gsize len, const char *where, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (where != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (SaMetadata) md = g_new0 (SaMetadata, 1);
  struct csv_parser parser;
  ParseState st = { 0 };
  const char *p = data, *end = data + len;

  md->columns = g_ptr_array_new_with_free_func (g_free);
  md->cells = g_ptr_array_new ();
  md->chunk = g_string_chunk_new (MAX (len, 4096));
  md->clip_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  md->clip_id_column = -1;

  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  if (p == end)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_EMPTY, _ ("%s: the file is empty"), where);
      return NULL;
    }
  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_FAILED, _ ("%s: cannot start the CSV parser"), where);
      return NULL;
    }
  st.md = md;
  st.where = where;
  st.row = g_ptr_array_new ();
  st.line = 0;

  /* Feed line by line so that errors can name the line. */
  while (p < end && st.error == NULL)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize n = nl ? (gsize) (nl - p + 1) : (gsize) (end - p);

      st.line++;
      if (csv_parse (&parser, p, n, on_field, on_row, &st) != n)
        {
          if (st.error == NULL)
            g_set_error (&st.error, SA_ERROR, SA_ERROR_CSV, _ ("%s: line %u: %s"), where, st.line,
                         csv_error (&parser) == CSV_EPARSE
                             ? _ ("malformed quoting (a quote inside an unquoted field or after "
                                  "a closing quote)")
                             : csv_strerror (csv_error (&parser)));
        }
      p += n;
    }
  if (st.error == NULL && csv_fini (&parser, on_field, on_row, &st) != 0)
    g_set_error (&st.error, SA_ERROR, SA_ERROR_CSV,
                 _ ("%s: line %u: a quoted field is never closed"), where, st.line);
  csv_free (&parser);
  g_ptr_array_unref (st.row);
  if (st.error)
    {
      g_propagate_error (error, st.error);
      return NULL;
    }
  if (!st.header_done)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_EMPTY, _ ("%s: the file is empty"), where);
      return NULL;
    }
  return g_steal_pointer (&md);
}

/* What a file that is not CSV text starts with, and what to do about it. */
static gboolean
check_not_compressed (const char *data, gsize len, const char *path, GError **error)
{
  static const struct
  {
    const char *magic;
    gsize len;
    const char *what;
  } kinds[] = {
    { "\x1f\x8b", 2, N_ ("is gzip-compressed: decompress it first (gunzip) and open the .csv") },
    { "PK\x03\x04", 4, N_ ("is a ZIP archive (an .npz feature file?), not a CSV file") },
    { "BZh", 3, N_ ("is bzip2-compressed: decompress it first (bunzip2) and open the .csv") },
    { "\xfd"
      "7zXZ",
      5, N_ ("is xz-compressed: decompress it first (unxz) and open the .csv") },
    { "\x28\xb5\x2f\xfd", 4, N_ ("is zstd-compressed: decompress it first (unzstd)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (len >= kinds[i].len && memcmp (data, kinds[i].magic, kinds[i].len) == 0)
      {
        g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED, "%s: %s", path, _ (kinds[i].what));
        return FALSE;
      }
  return TRUE;
}

SaMetadata *
sa_metadata_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  guint64 size = 0;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  fd = sa_file_open_regular (path, _ ("a metadata file (.csv)"), &size, error);
  if (fd < 0)
    return NULL;
  if (size > SA_METADATA_MAX_SIZE)
    {
      g_autofree char *have = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *most = g_format_size_full (SA_METADATA_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);
      close (fd);
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                   _ ("%s: the file has %s; metadata files of at most %s are read"), path, have,
                   most);
      return NULL;
    }
  data = sa_try_malloc_n (size + 1, 1, path, error);
  ok = data != NULL && sa_file_read_at (fd, path, 0, data, size, error);
  close (fd);
  if (!ok)
    return NULL;
  data[size] = '\0';
  if (!check_not_compressed (data, size, path, error))
    return NULL;
  return sa_metadata_parse (data, size, path, error);
}

guint
sa_metadata_get_n_rows (SaMetadata *md)
{
  g_return_val_if_fail (md != NULL, 0);

  return md->clip_ids->len;
}

guint
sa_metadata_get_n_columns (SaMetadata *md)
{
  g_return_val_if_fail (md != NULL, 0);

  return md->n_columns;
}

const char *
sa_metadata_get_column_name (SaMetadata *md, guint column)
{
  g_return_val_if_fail (column < md->n_columns, NULL);
  return g_ptr_array_index (md->columns, column);
}

int
sa_metadata_find_column (SaMetadata *md, const char *name)
{
  g_return_val_if_fail (md != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < md->n_columns; i++)
    if (g_str_equal (g_ptr_array_index (md->columns, i), name))
      return i;
  return -1;
}

const char *
sa_metadata_get (SaMetadata *md, guint row, int column)
{
  g_return_val_if_fail (md != NULL, "");

  if (column < 0 || (guint) column >= md->n_columns || row >= md->clip_ids->len)
    return "";
  return g_ptr_array_index (md->cells, (gsize) row * md->n_columns + column);
}

gint64
sa_metadata_get_clip_id (SaMetadata *md, guint row)
{
  g_return_val_if_fail (md != NULL, 0);
  g_return_val_if_fail (row < md->clip_ids->len, 0);

  return g_array_index (md->clip_ids, gint64, row);
}

/* ---- writing ---- */

struct _SaMetadataWriter
{
  GString *out;
  guint n_columns;
};

void
sa_csv_append_field (GString *out, const char *text)
{
  g_return_if_fail (out != NULL);

  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = text; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

SaMetadataWriter *
sa_metadata_writer_new (const char *const *columns)
{
  SaMetadataWriter *w = g_new0 (SaMetadataWriter, 1);

  g_return_val_if_fail (columns != NULL, NULL);

  w->out = g_string_new (NULL);
  w->n_columns = g_strv_length ((char **) columns);
  /* the unnamed index column pandas writes */
  for (guint i = 0; i < w->n_columns; i++)
    {
      g_string_append_c (w->out, ',');
      sa_csv_append_field (w->out, columns[i]);
    }
  g_string_append_c (w->out, '\n');
  return w;
}

void
sa_metadata_writer_add_row (SaMetadataWriter *w, const char *index, const char *const *cells)
{
  g_return_if_fail (w != NULL);
  g_return_if_fail (cells != NULL);

  sa_csv_append_field (w->out, index);
  for (guint i = 0; i < w->n_columns; i++)
    {
      g_string_append_c (w->out, ',');
      sa_csv_append_field (w->out, cells[i]);
    }
  g_string_append_c (w->out, '\n');
}

gboolean
sa_metadata_writer_save (SaMetadataWriter *w, const char *path, GError **error)
{
  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sa_write_file_atomic (path, w->out->str, w->out->len, error);
}

void
sa_metadata_writer_free (SaMetadataWriter *w)
{
  if (w == NULL)
    return;
  g_string_free (w->out, TRUE);
  g_free (w);
}

gboolean
sa_write_file_atomic (const char *path, const char *contents, gsize len, GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  gsize done = 0;
  int err = 0;

  if (fd < 0)
    {
      err = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the file: %s"), path,
                   g_strerror (err));
      return FALSE;
    }
  while (done < len)
    {
      gssize n = write (fd, contents + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          err = n < 0 ? errno : ENOSPC;
          break;
        }
      done += n;
    }
  if (err == 0 && fsync (fd) != 0)
    err = errno;
  if (close (fd) != 0 && err == 0)
    err = errno;
  if (err == 0 && g_rename (tmp, path) != 0)
    err = errno;
  if (err != 0)
    {
      g_unlink (tmp);
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot write: %s"), path,
                   g_strerror (err));
      return FALSE;
    }
  return TRUE;
}
