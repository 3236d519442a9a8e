/* sa-shard.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sa-error.h"
#include "sa-shard.h"

/* Strict: digits only (no sign, space, hex or exponent), and not more than fits. */
static gboolean
parse_number (const char *s, gsize len, guint64 *value)
{
  guint64 v = 0;

  if (len == 0 || len > 9)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (guint64) (s[i] - '0');
    }
  *value = v;
  return TRUE;
}

gboolean
sa_shard_parse (const char *text, SaShard *shard, GError **error)
{
  const char *slash = text ? strchr (text, '/') : NULL;
  guint64 k, n;

  if (slash == NULL || !parse_number (text, (gsize) (slash - text), &k)
      || !parse_number (slash + 1, strlen (slash + 1), &n))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                   _ ("--shard: “%s” is not K/N, two whole numbers such as 1/4"), text ? text : "");
      return FALSE;
    }
  if (n == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                   _ ("--shard: “%s”: the number of shards must be at least 1"), text);
      return FALSE;
    }
  if (n > SA_SHARD_MAX_COUNT)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                   _ ("--shard: “%s”: at most %u shards"), text, (guint) SA_SHARD_MAX_COUNT);
      return FALSE;
    }
  if (k == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                   _ ("--shard: “%s”: shards are numbered from 1 to %u, not from 0 (a Slurm "
                      "array for this is --array=1-%u)"),
                   text, (guint) n, (guint) n);
      return FALSE;
    }
  if (k > n)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                   _ ("--shard: “%s”: shard %u does not exist, there are %u (from 1 to %u)"), text,
                   (guint) k, (guint) n, (guint) n);
      return FALSE;
    }
  shard->index = (guint) k;
  shard->count = (guint) n;
  return TRUE;
}

guint
sa_shard_of (const char *relative_path, guint count)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 h = 0;

  g_return_val_if_fail (count > 0, 1);
  g_checksum_update (sum, (const guchar *) relative_path, strlen (relative_path));
  g_checksum_get_digest (sum, digest, &len);
  for (guint i = 0; i < 8; i++)
    h = (h << 8) | digest[i];
  return 1 + (guint) (h % count);
}

gboolean
sa_shard_contains (const SaShard *shard, const char *relative_path)
{
  if (shard == NULL || shard->count == 0)
    return TRUE;
  return sa_shard_of (relative_path, shard->count) == shard->index;
}

const char *
sa_path_relative_to (const char *root, const char *path)
{
  gsize n = strlen (root);

  while (n > 1 && root[n - 1] == '/')
    n--;
  if (n == 1 && root[0] == '/')
    return path[0] == '/' && path[1] != '\0' ? path + 1 : NULL;
  if (strncmp (root, path, n) != 0 || path[n] != '/')
    return NULL;
  path += n;
  while (*path == '/')
    path++;
  return *path ? path : NULL;
}

char *
sa_path_from_stored (const char *stored)
{
  if (g_str_has_prefix (stored, "file://"))
    return g_filename_from_uri (stored, NULL, NULL);
  if (g_path_is_absolute (stored))
    return g_strdup (stored);
  return NULL;
}

/* The path relative to @root, which is a folder or the file itself. */
static const char *
relative_in_root (const char *root, const char *path)
{
  const char *rel;

  if (strcmp (root, path) == 0)
    {
      const char *base = strrchr (path, '/');
      return base && base[1] ? base + 1 : path;
    }
  rel = sa_path_relative_to (root, path);
  return rel;
}

void
sa_shard_filter (const SaShard *shard, GPtrArray *paths, guint from, const char *root)
{
  guint kept = from;

  if (shard == NULL || shard->count == 0)
    return;
  for (guint i = from; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      const char *rel = relative_in_root (root, path);

      if (rel == NULL || sa_shard_contains (shard, rel))
        paths->pdata[kept++] = paths->pdata[i];
      else
        g_free (paths->pdata[i]);
    }
  for (guint i = kept; i < paths->len; i++)
    paths->pdata[i] = NULL; /* freed above, or moved down */
  g_ptr_array_set_size (paths, kept);
}

gboolean
sa_shard_excludes (const SaShard *shard, GPtrArray *roots, const char *stored_path)
{
  g_autofree char *path = NULL;

  if (shard == NULL || shard->count == 0)
    return FALSE;
  path = sa_path_from_stored (stored_path);
  if (path == NULL)
    return FALSE;
  for (guint i = 0; i < roots->len; i++)
    {
      const char *rel = relative_in_root (g_ptr_array_index (roots, i), path);
      if (rel)
        return !sa_shard_contains (shard, rel);
    }
  return FALSE;
}
