/* sa-table.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <csv.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sa-error.h"
#include "sa-table.h"

struct _SaTable
{
  GPtrArray *columns; /* char* */
  GPtrArray *cells;   /* const char*, row-major, into @chunk */
  GArray *lines;      /* guint per row */
  GStringChunk *chunk;
  guint n_columns;
};

typedef struct
{
  SaTable *t;
  const char *where;
  GPtrArray *row;
  guint line;
  gboolean header_done;
  GError *error;
} State;

void
sa_table_free (SaTable *t)
{
  if (t == NULL)
    return;
  g_clear_pointer (&t->columns, g_ptr_array_unref);
  g_clear_pointer (&t->cells, g_ptr_array_unref);
  g_clear_pointer (&t->lines, g_array_unref);
  if (t->chunk)
    g_string_chunk_free (t->chunk);
  g_free (t);
}

static void
on_field (void *data, size_t len, void *user_data)
{
  State *st = user_data;
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
  g_ptr_array_add (st->row, g_string_chunk_insert_len (st->t->chunk, text, len));
}

static void
on_row (int terminator, void *user_data)
{
  State *st = user_data;
  SaTable *t = st->t;

  if (st->error)
    return;
  if (!st->header_done)
    {
      t->n_columns = st->row->len;
      for (guint i = 0; i < st->row->len; i++)
        g_ptr_array_add (t->columns, g_strdup (g_ptr_array_index (st->row, i)));
      st->header_done = TRUE;
      g_ptr_array_set_size (st->row, 0);
      return;
    }
  if (st->row->len == 0
      || (st->row->len == 1 && ((const char *) g_ptr_array_index (st->row, 0))[0] == '\0'
          && t->n_columns > 1))
    {
      g_ptr_array_set_size (st->row, 0);
      return;
    }
  if (st->row->len != t->n_columns)
    {
      g_set_error (&st->error, SA_ERROR, SA_ERROR_CSV,
                   _ ("%s: line %u has %u fields but the header has %u"), st->where, st->line,
                   st->row->len, t->n_columns);
      return;
    }
  for (guint i = 0; i < st->row->len; i++)
    g_ptr_array_add (t->cells, g_ptr_array_index (st->row, i));
  g_array_append_val (t->lines, st->line);
  g_ptr_array_set_size (st->row, 0);
}

SaTable *
sa_table_parse (const char *data, gsize len, const char *where, GError **error)
{
  g_autoptr (SaTable) t = g_new0 (SaTable, 1);
  struct csv_parser parser;
  State st = { 0 };
  const char *p = data, *end = data + len;

  t->columns = g_ptr_array_new_with_free_func (g_free);
  t->cells = g_ptr_array_new ();
  t->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  t->chunk = g_string_chunk_new (MAX (len, 4096));
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
  st.t = t;
  st.where = where;
  st.row = g_ptr_array_new ();
  while (p < end && st.error == NULL)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize n = nl ? (gsize) (nl - p + 1) : (gsize) (end - p);

      st.line++;
      if (csv_parse (&parser, p, n, on_field, on_row, &st) != n && st.error == NULL)
        g_set_error (&st.error, SA_ERROR, SA_ERROR_CSV, _ ("%s: line %u: %s"), where, st.line,
                     csv_error (&parser) == CSV_EPARSE
                         ? _ ("malformed quoting (a quote inside an unquoted field or after "
                              "a closing quote)")
                         : csv_strerror (csv_error (&parser)));
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
  return g_steal_pointer (&t);
}

SaTable *
sa_table_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: is a folder, not a CSV file"), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, "%s", local->message);
      return NULL;
    }
  return sa_table_parse (data, len, path, error);
}

guint
sa_table_get_n_rows (SaTable *t)
{
  return t->lines->len;
}

guint
sa_table_get_n_columns (SaTable *t)
{
  return t->n_columns;
}

const char *
sa_table_get_column_name (SaTable *t, guint column)
{
  g_return_val_if_fail (column < t->n_columns, NULL);
  return g_ptr_array_index (t->columns, column);
}

int
sa_table_find_column (SaTable *t, const char *name)
{
  for (guint i = 0; i < t->n_columns; i++)
    if (g_str_equal (g_ptr_array_index (t->columns, i), name))
      return (int) i;
  return -1;
}

const char *
sa_table_get (SaTable *t, guint row, guint column)
{
  if (row >= t->lines->len || column >= t->n_columns)
    return "";
  return g_ptr_array_index (t->cells, (gsize) row * t->n_columns + column);
}

guint
sa_table_get_line (SaTable *t, guint row)
{
  return row < t->lines->len ? g_array_index (t->lines, guint, row) : 0;
}
