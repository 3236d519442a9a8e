/* sa-shard.h: splitting one analysis into shards that machines run independently
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shard K of N (K from 1 to N) holds the files whose path relative to the
 * analysed folder hashes to K:
 *
 *   h = the first 8 bytes of SHA-256 (relative path), read as a big-endian
 *       unsigned 64-bit integer
 *   K = 1 + h mod N
 *
 * The relative path is the file's bytes as the file system names it (no
 * conversion to UTF-8 or to the locale), its components joined by '/', with
 * no leading "./" or "/"; a file given by name instead of in a folder uses its
 * base name.  Nothing depends on the machine, the locale, the time or the
 * order of a folder listing, so every machine computes the same split without
 * talking to the others.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint index; /* 1 .. count */
  guint count; /* 0: no sharding, every file */
} SaShard;

#define SA_SHARD_MAX_COUNT 1000000

/* Parses "K/N": decimal digits only, 1 <= K <= N <= SA_SHARD_MAX_COUNT. */
gboolean sa_shard_parse (const char *text, SaShard *shard, GError **error);

/* The shard (1 .. count) of a relative path. */
guint sa_shard_of (const char *relative_path, guint count);

/* Whether @shard holds @relative_path (always, when it is no sharding). */
gboolean sa_shard_contains (const SaShard *shard, const char *relative_path);

/* @path without the folder @root and the separator after it, or NULL when @path is not
 * inside @root.  Both must be absolute and in the same form (no "." or ".." parts). */
const char *sa_path_relative_to (const char *root, const char *path);

/* A path as a collection stores it (a file:// URI for a name that is not UTF-8)
 * back to the file name; NULL when it is neither. */
char *sa_path_from_stored (const char *stored);

/* Drops the paths from index @from on that are not in @shard; they were found in @root
 * (a folder, or a file given by name). */
void sa_shard_filter (const SaShard *shard, GPtrArray *paths, guint from, const char *root);

/* Whether a stored row belongs to another shard: its file lies in one of @roots (absolute;
 * the first that holds it counts) and hashes to a shard other than @shard.  A row outside
 * every root is no shard's: the rules without sharding decide about it. */
gboolean sa_shard_excludes (const SaShard *shard, GPtrArray *roots, const char *stored_path);

G_END_DECLS
