/* sa-store.h: Soundalike's own copy of an opened collection, mapped instead of loaded
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A store lives in its own folder, <user data dir>/soundalike/collections/store-<hash>/,
 * one per pair of source files (features, metadata).  It holds these files, each written
 * to a temporary file and put in place by rename (so a mapping of the old one is never
 * truncated under a reader):
 *
 *   features.f32  a 4 KiB header, then the joined feature matrix: float32, row-major,
 *                 every set 64-byte aligned and zero-padded (the layout of SaCollection);
 *                 mapped read-only.
 *   index.bin     the statistics (mean and standard deviation in double, the constant
 *                 columns), the clip ids, the metadata row of every track, the join report,
 *                 and room for further named sections (per-set norms, MP moments).  It names
 *                 the matrix file it belongs to (a random token, its size) and the sources
 *                 it was made from (size, mtime and a content hash of each): a store whose
 *                 sources changed, or whose two files do not belong together, is not used.
 *
 *   metadata.bin  the parsed metadata CSV (sa_metadata_write_cache's block: clip ids, string
 *                 offsets, one string arena, a CRC-32), so that an open does not parse it
 *                 again; it names its index (the token) and the CSV (its fingerprint), and is
 *                 mapped read-only.  A missing, stale or damaged one is made again from the CSV.
 *
 * Only these files are ever mapped; a user's .npz or CSV is read and imported.
 */
#pragma once

#include <glib.h>

#include "sa-collection.h"
#include "sa-metadata.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean present;
  guint64 size;
  gint64 mtime_ns;
  guint8 hash[32]; /* SHA-256 of the first and last MiB and the size */
} SaStoreFingerprint;

typedef struct
{
  SaStoreFingerprint features;
  SaStoreFingerprint metadata;
} SaStoreSource;

#define SA_STORE_N_GROUPS 3

typedef struct
{
  guint n_tracks;
  guint n_sets;
  guint stride;
  SaFeatureSet sets[SA_MAX_SETS];
  const float *matrix; /* n_tracks x stride */
  const double *mean;  /* stride values each */
  const double *std;
  const gboolean *zero_variance;
  const double *col_offset; /* stored = (raw - col_offset) * col_scale, per column */
  const double *col_scale;
  const char *notes; /* the collection's notes, each ended by a NUL; n_notes of them */
  guint n_notes;
  const gint64 *clip_ids;   /* n_tracks */
  const guint32 *meta_rows; /* n_tracks; G_MAXUINT32: none */
  /* the artist, album and path group of every track (sa_collection_get_group), or NULL */
  const guint32 *groups[SA_STORE_N_GROUPS];
  SaCollectionReport report;
  /* the compact copy for the scan (sa-compact.h), or NULL: n_tracks x stride codes and
   * n_tracks x n_sets error bounds */
  const gint8 *codes;
  const float *code_errors;
} SaStoreContents;

typedef struct _SaStore SaStore;

/* The store folder for a pair of sources (paths made absolute first); NULL when the
 * SOUNDALIKE_NO_STORE environment variable is set. */
char *sa_store_dir_for (const char *features_path, const char *metadata_path);
/* Size, mtime and a content hash of the sources (@metadata_path may be NULL). */
gboolean sa_store_fingerprint (const char *features_path, const char *metadata_path,
                               SaStoreSource *source, GError **error);

/* Writes (or replaces) the store in @dir for @source.  Names in @contents->sets are copied. */
gboolean sa_store_write (const char *dir, const SaStoreSource *source,
                         const SaStoreContents *contents, GError **error);
/* Opens a store written for exactly @source: SA_ERROR_NOT_FOUND when there is none or it
 * belongs to other sources, SA_ERROR_CORRUPT when its files do not fit together. */
SaStore *sa_store_open (const char *dir, const SaStoreSource *source, GError **error);
const SaStoreContents *sa_store_get_contents (SaStore *store);
/* Further sections of index.bin by name (NULL when absent); sizes in bytes. */
gconstpointer sa_store_get_section (SaStore *store, const char *name, gsize *size);
/* Writes the compact copy (compact.i8) of an opened store from its matrix, a block of
 * rows at a time (the matrix is not kept resident), and maps it. */
gboolean sa_store_write_compact (SaStore *store, const char *dir, GError **error);
/* Writes metadata.bin: @md (the parsed metadata of @source) for this store. */
gboolean sa_store_write_metadata (SaStore *store, const char *dir, const SaStoreSource *source,
                                  SaMetadata *md, GError **error);
/* The metadata from metadata.bin, mapped (the strings point into the mapping, which the
 * result keeps): SA_ERROR_NOT_FOUND when there is none or it belongs to another store or CSV,
 * SA_ERROR_CORRUPT when it is damaged. */
SaMetadata *sa_store_open_metadata (SaStore *store, const char *dir, const SaStoreSource *source,
                                    GError **error);
/* Drops the mapped matrix's pages from the resident set (they stay in the page cache). */
/* Reads @count rows from @first of the stored matrix into @dst with pread() (no page of
 * the mapping becomes resident: a kernel that maps whole large folios on a fault would
 * otherwise make most of the matrix resident for a few thousand scattered rows).  FALSE
 * when the rows cannot be read. */
gboolean sa_store_read_rows (SaStore *store, guint first, guint count, float *dst);
void sa_store_release_matrix (SaStore *store);
void sa_store_free (SaStore *store);
/* Removes a store folder and its files (no error when there is none). */
void sa_store_remove (const char *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaStore, sa_store_free)

G_END_DECLS
