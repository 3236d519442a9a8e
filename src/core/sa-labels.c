/* sa-labels.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "sa-error.h"
#include "sa-labels.h"
#include "sa-table.h"

struct _SaLabels
{
  guint n;
  guint *offsets; /* n + 1 */
  GArray *ids;    /* guint, ascending per track */
  GPtrArray *names;
  guint n_labelled;
};

void
sa_labels_free (SaLabels *l)
{
  if (l == NULL)
    return;
  g_free (l->offsets);
  g_array_unref (l->ids);
  g_ptr_array_unref (l->names);
  g_free (l);
}

static SaLabels *
labels_new (guint n)
{
  SaLabels *l = g_new0 (SaLabels, 1);

  l->n = n;
  l->offsets = g_new0 (guint, n + 1);
  l->ids = g_array_new (FALSE, FALSE, sizeof (guint));
  l->names = g_ptr_array_new_with_free_func (g_free);
  return l;
}

static void
close_track (SaLabels *l, guint track)
{
  l->offsets[track + 1] = l->ids->len;
  if (l->offsets[track + 1] > l->offsets[track])
    l->n_labelled++;
}

SaLabels *
sa_labels_from_column (SaCollection *c, const char *column, GError **error)
{
  SaMetadata *md = sa_collection_get_metadata (c);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  SaLabels *l;
  guint n = sa_collection_get_n_tracks (c);

  if (md == NULL || sa_metadata_find_column (md, column) < 0)
    {
      g_autoptr (GString) names = g_string_new (NULL);
      for (guint i = 0; md && i < sa_metadata_get_n_columns (md); i++)
        if (*sa_metadata_get_column_name (md, i))
          g_string_append_printf (names, "%s%s", names->len ? ", " : "",
                                  sa_metadata_get_column_name (md, i));
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   md ? _ ("%s: no column '%s' (the columns are: %s)")
                      : _ ("%s: no metadata, so no column '%s'%s"),
                   md ? sa_collection_get_metadata_path (c) : sa_collection_get_features_path (c),
                   column, names->str);
      return NULL;
    }
  l = labels_new (n);
  for (guint t = 0; t < n; t++)
    {
      const char *v = sa_collection_get_column (c, t, column);
      if (*v)
        {
          gpointer id;
          if (!g_hash_table_lookup_extended (ids, v, NULL, &id))
            {
              id = GUINT_TO_POINTER (l->names->len);
              g_ptr_array_add (l->names, g_strdup (v));
              g_hash_table_insert (ids, g_ptr_array_index (l->names, l->names->len - 1), id);
            }
          guint u = GPOINTER_TO_UINT (id);
          g_array_append_val (l->ids, u);
        }
      close_track (l, t);
    }
  return l;
}

SaLabels *
sa_labels_load_tags (SaCollection *c, const char *path, GError **error)
{
  g_autoptr (SaTable) table = sa_table_load (path, error);
  g_autoptr (GHashTable) rows = g_hash_table_new (g_str_hash, g_str_equal);
  SaMetadata *md = sa_collection_get_metadata (c);
  const char *key_column;
  guint n = sa_collection_get_n_tracks (c), n_tags;
  g_autoptr (GArray) on = NULL; /* gboolean per cell */
  SaLabels *l;

  if (table == NULL)
    return NULL;
  if (md == NULL || sa_metadata_get_n_columns (md) == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   _ ("%s: a tag file is keyed by the metadata's index column, but there is no "
                      "metadata"),
                   path);
      return NULL;
    }
  if (sa_table_get_n_columns (table) < 2)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   _ ("%s: no tag columns (the first column is the index, then one 0/1 column "
                      "per tag)"),
                   path);
      return NULL;
    }
  key_column = sa_metadata_get_column_name (md, 0);
  n_tags = sa_table_get_n_columns (table) - 1;
  on = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), sa_table_get_n_rows (table) * n_tags);
  for (guint r = 0; r < sa_table_get_n_rows (table); r++)
    {
      const char *key = sa_table_get (table, r, 0);
      if (g_hash_table_contains (rows, key))
        {
          g_set_error (error, SA_ERROR, SA_ERROR_CSV, _ ("%s: line %u: the index %s appears twice"),
                       path, sa_table_get_line (table, r), key);
          return NULL;
        }
      g_hash_table_insert (rows, (gpointer) key, GUINT_TO_POINTER (r + 1));
      for (guint j = 0; j < n_tags; j++)
        {
          const char *cell = sa_table_get (table, r, j + 1);
          char *end = NULL;
          double v = *cell ? g_ascii_strtod (cell, &end) : 0;
          gboolean yes;
          if (*cell && (end == cell || *end != '\0' || !isfinite (v)))
            {
              g_set_error (error, SA_ERROR, SA_ERROR_CSV,
                           _ ("%s: line %u: tag '%s' is '%s', not 0 or 1"), path,
                           sa_table_get_line (table, r), sa_table_get_column_name (table, j + 1),
                           cell);
              return NULL;
            }
          yes = v != 0;
          g_array_append_val (on, yes);
        }
    }
  l = labels_new (n);
  for (guint j = 0; j < n_tags; j++)
    g_ptr_array_add (l->names, g_strdup (sa_table_get_column_name (table, j + 1)));
  for (guint t = 0; t < n; t++)
    {
      guint r = GPOINTER_TO_UINT (
          g_hash_table_lookup (rows, sa_collection_get_column (c, t, key_column)));
      if (r > 0)
        for (guint j = 0; j < n_tags; j++)
          if (g_array_index (on, gboolean, (gsize) (r - 1) * n_tags + j))
            g_array_append_val (l->ids, j);
      close_track (l, t);
    }
  return l;
}

SaLabels *
sa_labels_new (SaCollection *c, const char *column_or_file, GError **error)
{
  if (g_file_test (column_or_file, G_FILE_TEST_IS_REGULAR))
    return sa_labels_load_tags (c, column_or_file, error);
  return sa_labels_from_column (c, column_or_file, error);
}

guint
sa_labels_get_n_tracks (SaLabels *l)
{
  return l->n;
}

guint
sa_labels_get_n_labelled (SaLabels *l)
{
  return l->n_labelled;
}

guint
sa_labels_get_n_names (SaLabels *l)
{
  return l->names->len;
}

guint
sa_labels_get_n (SaLabels *l, guint track)
{
  g_return_val_if_fail (track < l->n, 0);
  return l->offsets[track + 1] - l->offsets[track];
}

const char *
sa_labels_get_name (SaLabels *l, guint track, guint i)
{
  g_return_val_if_fail (track < l->n && i < sa_labels_get_n (l, track), NULL);
  return g_ptr_array_index (l->names, g_array_index (l->ids, guint, l->offsets[track] + i));
}

char *
sa_labels_describe (SaLabels *l, guint track)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < sa_labels_get_n (l, track); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", sa_labels_get_name (l, track, i));
  return g_string_free (s, FALSE);
}

gboolean
sa_labels_share (SaLabels *l, guint a, guint b)
{
  const guint *ids = (const guint *) l->ids->data;
  guint i = l->offsets[a], ie = l->offsets[a + 1], j = l->offsets[b], je = l->offsets[b + 1];

  while (i < ie && j < je)
    {
      if (ids[i] == ids[j])
        return TRUE;
      if (ids[i] < ids[j])
        i++;
      else
        j++;
    }
  return FALSE;
}
