/* sa-marks.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-marks.h"
#include "sa-metadata.h"
#include "sa-table.h"

typedef struct
{
  gint64 query, result;
  SaMarkKind kind;
} Mark;

struct _SaMarks
{
  GArray *marks; /* Mark */
};

SaMarks *
sa_marks_new (void)
{
  SaMarks *m = g_new0 (SaMarks, 1);
  m->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  return m;
}

void
sa_marks_free (SaMarks *m)
{
  if (m == NULL)
    return;
  g_array_unref (m->marks);
  g_free (m);
}

static int
find (SaMarks *m, gint64 query, gint64 result)
{
  for (guint i = 0; i < m->marks->len; i++)
    {
      const Mark *k = &g_array_index (m->marks, Mark, i);
      if (k->query == query && k->result == result)
        return (int) i;
    }
  return -1;
}

void
sa_marks_set (SaMarks *m, gint64 query, gint64 result, SaMarkKind kind)
{
  int i = find (m, query, result);

  if (i >= 0)
    g_array_remove_index (m->marks, i);
  if (kind != SA_MARK_NONE)
    {
      Mark k = { query, result, kind };
      g_array_append_val (m->marks, k);
    }
}

SaMarkKind
sa_marks_get (SaMarks *m, gint64 query, gint64 result)
{
  int i = find (m, query, result);
  return i < 0 ? SA_MARK_NONE : g_array_index (m->marks, Mark, i).kind;
}

guint
sa_marks_get_n (SaMarks *m)
{
  return m->marks->len;
}

void
sa_marks_get_nth (SaMarks *m, guint i, gint64 *query, gint64 *result, SaMarkKind *kind)
{
  const Mark *k;

  g_return_if_fail (i < m->marks->len);
  k = &g_array_index (m->marks, Mark, i);
  *query = k->query;
  *result = k->result;
  *kind = k->kind;
}

SaMarks *
sa_marks_load (const char *path, GError **error)
{
  g_autoptr (SaTable) t = NULL;
  g_autoptr (SaMarks) m = NULL;
  int cq, cr, ck;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return sa_marks_new ();
  t = sa_table_load (path, error);
  if (t == NULL)
    return NULL;
  cq = sa_table_find_column (t, "query_clip_id");
  cr = sa_table_find_column (t, "result_clip_id");
  ck = sa_table_find_column (t, "mark");
  if (cq < 0 || cr < 0 || ck < 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   _ ("%s: the header must have query_clip_id, result_clip_id and mark"), path);
      return NULL;
    }
  m = sa_marks_new ();
  for (guint r = 0; r < sa_table_get_n_rows (t); r++)
    {
      gint64 q, res;
      const char *kind = sa_table_get (t, r, ck);
      SaMarkKind k;
      if (!sa_parse_clip_id (sa_table_get (t, r, cq), &q)
          || !sa_parse_clip_id (sa_table_get (t, r, cr), &res))
        {
          g_set_error (error, SA_ERROR, SA_ERROR_CSV,
                       _ ("%s: line %u: a clip id is not an integer"), path,
                       sa_table_get_line (t, r));
          return NULL;
        }
      if (g_ascii_strcasecmp (kind, "good") == 0)
        k = SA_MARK_GOOD;
      else if (g_ascii_strcasecmp (kind, "bad") == 0)
        k = SA_MARK_BAD;
      else
        {
          g_set_error (error, SA_ERROR, SA_ERROR_CSV,
                       _ ("%s: line %u: the mark is '%s', not good or bad"), path,
                       sa_table_get_line (t, r), kind);
          return NULL;
        }
      sa_marks_set (m, q, res, k);
    }
  return g_steal_pointer (&m);
}

gboolean
sa_marks_save (SaMarks *m, const char *path, GError **error)
{
  g_autoptr (GString) out = g_string_new ("query_clip_id,result_clip_id,mark\n");
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  for (guint i = 0; i < m->marks->len; i++)
    {
      const Mark *k = &g_array_index (m->marks, Mark, i);
      g_string_append_printf (out, "%" PRId64 ",%" PRId64 ",%s\n", k->query, k->result,
                              k->kind == SA_MARK_GOOD ? "good" : "bad");
    }
  return sa_write_file_atomic (path, out->str, out->len, error);
}

char *
sa_marks_default_path (SaCollection *c)
{
  const char *features = sa_collection_get_features_path (c);
  g_autofree char *dir = g_path_get_dirname (features);
  g_autofree char *base = g_path_get_basename (features);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot && dot != base)
    *dot = '\0';
  name = g_strdup_printf ("%s.marks.csv", base);
  if (access (dir, W_OK) != 0)
    {
      g_autofree char *abs = g_canonicalize_filename (features, NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, abs, -1);
      g_autofree char *data_name = g_strdup_printf ("%.16s-%s", hash, name);
      return g_build_filename (g_get_user_data_dir (), "soundalike", "marks", data_name, NULL);
    }
  return g_build_filename (dir, name, NULL);
}
