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
#include <libdeflate.h>
#include <string.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-file.h"
#include "sa-metadata.h"

struct _SaMetadata
{
  GPtrArray *columns; /* char* */
  GPtrArray *cells;   /* const char*, row-major, into @chunk (parsed) */
  GStringChunk *chunk;
  GArray *clip_ids; /* gint64 (parsed) */
  int clip_id_column;
  guint n_columns;
  guint n_rows;
  const gint64 *ids; /* n_rows: clip_ids->data, or in @blob */
  /* read from a cache (sa_metadata_new_from_cache): the cells are offsets into its arena */
  GBytes *blob;
  const guint32 *offsets; /* n_rows x n_columns */
  const char *arena;
};

/* The cache layout (sa_metadata_write_cache), native byte order:
 *   CacheHeader, then gint64 clip_ids[n_rows], then guint32 offsets[n_columns + n_rows *
 *   n_columns] (the column names, then the cells row by row) into the arena, then the arena:
 *   every string with its NUL. */
#define CACHE_MAGIC   "SAMDCSV1"
#define CACHE_VERSION 1

typedef struct
{
  char magic[8];
  guint32 byte_order, version;
  guint32 n_rows, n_columns;
  gint32 clip_id_column;
  guint32 pad;
  guint64 arena_size;
  guint32 crc, pad2; /* CRC-32 of the header up to @crc, then of everything after the header */
} CacheHeader;

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
  g_clear_pointer (&md->blob, g_bytes_unref);
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
  md->n_rows = md->clip_ids->len;
  md->ids = (const gint64 *) md->clip_ids->data;
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

  return md->n_rows;
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

  if (column < 0 || (guint) column >= md->n_columns || row >= md->n_rows)
    return "";
  if (md->offsets)
    return md->arena + md->offsets[(gsize) row * md->n_columns + column];
  return g_ptr_array_index (md->cells, (gsize) row * md->n_columns + column);
}

gint64
sa_metadata_get_clip_id (SaMetadata *md, guint row)
{
  g_return_val_if_fail (md != NULL, 0);
  g_return_val_if_fail (row < md->n_rows, 0);

  return md->ids[row];
}

/* ---- the cache: the parsed file as one block, read back without parsing or copying ---- */

gboolean
sa_metadata_is_cached (SaMetadata *md)
{
  g_return_val_if_fail (md != NULL, FALSE);
  return md->blob != NULL;
}

static const char *
cell_at (SaMetadata *md, gsize i)
{
  /* the column names first, then the cells */
  if (i < md->n_columns)
    return g_ptr_array_index (md->columns, i);
  return sa_metadata_get (md, (guint) ((i - md->n_columns) / md->n_columns),
                          (int) ((i - md->n_columns) % md->n_columns));
}

gboolean
sa_metadata_write_cache (SaMetadata *md, SaWriteFunc write, gpointer user_data)
{
  gsize n_strings, at = 0, fill = 0;
  g_autofree guint32 *offsets = NULL;
  g_autofree char *buf = NULL;
  CacheHeader h = { { 0 } };
  const gsize buf_size = 1 << 20;
  guint32 crc;
  gboolean ok;

  g_return_val_if_fail (md != NULL, FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  n_strings = md->n_columns + (gsize) md->n_rows * md->n_columns;
  offsets = g_new (guint32, MAX (n_strings, 1));
  for (gsize i = 0; i < n_strings; i++)
    {
      gsize len = strlen (cell_at (md, i)) + 1;
      if (at + len > G_MAXUINT32)
        return FALSE; /* more than 4 GiB of text: not cached */
      offsets[i] = (guint32) at;
      at += len;
    }
  memcpy (h.magic, CACHE_MAGIC, 8);
  h.byte_order = 0x01020304u;
  h.version = CACHE_VERSION;
  h.n_rows = md->n_rows;
  h.n_columns = md->n_columns;
  h.clip_id_column = md->clip_id_column;
  h.arena_size = at;
  crc = libdeflate_crc32 (0, &h, G_STRUCT_OFFSET (CacheHeader, crc));
  crc = libdeflate_crc32 (crc, md->ids, (gsize) md->n_rows * sizeof (gint64));
  crc = libdeflate_crc32 (crc, offsets, n_strings * sizeof (guint32));
  for (gsize i = 0; i < n_strings; i++)
    {
      const char *text = cell_at (md, i);
      crc = libdeflate_crc32 (crc, text, strlen (text) + 1);
    }
  h.crc = crc;
  ok = write (&h, sizeof h, user_data)
       && write (md->ids, (gsize) md->n_rows * sizeof (gint64), user_data)
       && write (offsets, n_strings * sizeof (guint32), user_data);
  /* the strings, gathered a MiB at a time */
  buf = g_malloc (buf_size);
  for (gsize i = 0; ok && i < n_strings; i++)
    {
      const char *text = cell_at (md, i);
      gsize len = strlen (text) + 1;
      if (fill + len > buf_size)
        {
          ok = write (buf, fill, user_data);
          fill = 0;
        }
      if (len > buf_size)
        ok = ok && write (text, len, user_data);
      else
        {
          memcpy (buf + fill, text, len);
          fill += len;
        }
    }
  return ok && (fill == 0 || write (buf, fill, user_data));
}

SaMetadata *
sa_metadata_new_from_cache (GBytes *cache, GError **error)
{
  g_autoptr (SaMetadata) md = NULL;
  gsize size = 0, n_strings, need;
  const guint8 *data = g_bytes_get_data (cache, &size);
  const CacheHeader *h = (const CacheHeader *) data;
  const guint32 *offsets;

  g_return_val_if_fail (cache != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* the messages are for the debug log (a bad cache is only a reason to parse the CSV) */
  if (size < sizeof *h || ((guintptr) data) % 8 != 0 || memcmp (h->magic, CACHE_MAGIC, 8) != 0
      || h->byte_order != 0x01020304u || h->version != CACHE_VERSION || h->pad2 != 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND, "not a metadata cache of this version");
      return NULL;
    }
  n_strings = h->n_columns + (gsize) h->n_rows * h->n_columns;
  need = sizeof *h + (gsize) h->n_rows * sizeof (gint64) + n_strings * sizeof (guint32);
  if (h->n_columns == 0 || h->n_columns > (1u << 20) || h->n_rows > SA_METADATA_MAX_SIZE
      || h->clip_id_column < 0 || (guint32) h->clip_id_column >= h->n_columns || h->arena_size == 0
      || h->arena_size > G_MAXUINT32 || size != need + h->arena_size
      || libdeflate_crc32 (libdeflate_crc32 (0, h, G_STRUCT_OFFSET (CacheHeader, crc)),
                           data + sizeof *h, size - sizeof *h)
             != h->crc
      || data[size - 1] != '\0')
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, "the metadata cache is damaged");
      return NULL;
    }
  offsets = (const guint32 *) (data + sizeof *h + (gsize) h->n_rows * sizeof (gint64));
  /* a CRC only finds accidents: every string must still lie inside the arena */
  for (gsize i = 0; i < n_strings; i++)
    if (offsets[i] >= h->arena_size)
      {
        g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, "the metadata cache is damaged");
        return NULL;
      }
  md = g_new0 (SaMetadata, 1);
  md->blob = g_bytes_ref (cache);
  md->n_rows = h->n_rows;
  md->n_columns = h->n_columns;
  md->clip_id_column = h->clip_id_column;
  md->ids = (const gint64 *) (data + sizeof *h);
  md->arena = (const char *) data + need;
  md->columns = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < md->n_columns; i++)
    g_ptr_array_add (md->columns, g_strdup (md->arena + offsets[i]));
  md->offsets = offsets + md->n_columns;
  return g_steal_pointer (&md);
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
