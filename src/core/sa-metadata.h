/* sa-metadata.h: the tutorial's metadata CSV
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The layout pandas writes with DataFrame.to_csv(): an unnamed index column, then
 * clip_id, mp3_path, track_number, title, artist, album, url, segmentStart,
 * segmentEnd, original_url.  Columns are found by header name; numbers may be
 * written as "42150.0"; fields are RFC 4180 quoted; text is UTF-8.  Every
 * column is kept, also the ones Soundalike does not know.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SaMetadata SaMetadata;

/* The largest metadata file read (1 GiB: about 5 million tracks). */
#define SA_METADATA_MAX_SIZE ((guint64) 1 << 30)

/* Only a regular file is read (see sa-file.h); a compressed file is refused with a
 * message saying how to decompress it. */
SaMetadata *sa_metadata_load (const char *path, GError **error);
SaMetadata *sa_metadata_parse (const char *data, gsize len, const char *where, GError **error);
void sa_metadata_free (SaMetadata *md);

guint sa_metadata_get_n_rows (SaMetadata *md);
guint sa_metadata_get_n_columns (SaMetadata *md);
const char *sa_metadata_get_column_name (SaMetadata *md, guint column);
/* -1 when the header has no such column */
int sa_metadata_find_column (SaMetadata *md, const char *name);
/* Never NULL: an empty cell, or a missing column (column < 0), is "". */
const char *sa_metadata_get (SaMetadata *md, guint row, int column);
gint64 sa_metadata_get_clip_id (SaMetadata *md, guint row);

/* The parsed file as one block, for Soundalike's store (sa-store.h): the column names, the
 * clip ids and every cell, with a CRC-32 of the whole.  @write is called with the block's
 * pieces in order; FALSE when it fails (or the text exceeds 4 GiB). */
typedef gboolean (*SaWriteFunc) (gconstpointer data, gsize len, gpointer user_data);
gboolean sa_metadata_write_cache (SaMetadata *md, SaWriteFunc write, gpointer user_data);
/* The metadata in such a block, without parsing or copying: the strings point into @cache
 * (8-byte aligned), which is kept.  SA_ERROR_NOT_FOUND for another layout or version,
 * SA_ERROR_CORRUPT when it is damaged (wrong size, CRC, a string outside the block). */
SaMetadata *sa_metadata_new_from_cache (GBytes *cache, GError **error);
/* TRUE when @md was read from a cache */
gboolean sa_metadata_is_cached (SaMetadata *md);

/* Parses "42150", "42150.0" or "4.215e4" as an integer id. */
gboolean sa_parse_clip_id (const char *text, gint64 *value);

/* Writing, in the same layout, atomically (temporary file, then rename). */
typedef struct _SaMetadataWriter SaMetadataWriter;
SaMetadataWriter *sa_metadata_writer_new (const char *const *columns);
void sa_metadata_writer_add_row (SaMetadataWriter *w, const char *index, const char *const *cells);
gboolean sa_metadata_writer_save (SaMetadataWriter *w, const char *path, GError **error);
void sa_metadata_writer_free (SaMetadataWriter *w);

/* Appends one field, quoted as RFC 4180 says when it needs to be. */
void sa_csv_append_field (GString *out, const char *text);

/* Writes @contents to @path through a temporary file in the same folder, fsync and rename. */
gboolean sa_write_file_atomic (const char *path, const char *contents, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMetadata, sa_metadata_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMetadataWriter, sa_metadata_writer_free)

G_END_DECLS
