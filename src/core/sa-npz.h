/* sa-npz.h: numpy .npz archives (the ZIP container of np.savez and np.savez_compressed)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading: the central directory (with ZIP64 records and extra fields, which numpy
 * writes even for small files), members stored or deflated (inflated with zlib),
 * CRC-32 verified.  The archive is read with pread(), never memory-mapped (a file
 * truncated under a mapping kills the process with SIGBUS); members are streamed so
 * that a caller can convert rows into its own buffers without a second full copy.
 * Like np.load: a member that is not a .npy array is ignored (and listed by
 * sa_npz_get_ignored()), and of a name that appears twice the last copy is read.
 *
 * Writing: stored members whose array data starts at a multiple of 64 bytes in
 * the file, written to a temporary file that replaces the target on commit.
 */
#pragma once

#include <glib.h>

#include "sa-npy.h"

G_BEGIN_DECLS

typedef struct _SaNpz SaNpz;
typedef struct _SaNpzStream SaNpzStream;
typedef struct _SaNpzWriter SaNpzWriter;

/* The most members a directory may list. */
#define SA_NPZ_MAX_MEMBERS 4096

SaNpz *sa_npz_open (const char *path, GError **error);
void sa_npz_free (SaNpz *npz);
const char *sa_npz_get_path (SaNpz *npz);
guint sa_npz_get_n_arrays (SaNpz *npz);
const char *sa_npz_get_array_name (SaNpz *npz, guint index);
gboolean sa_npz_has_array (SaNpz *npz, const char *name);
/* Translated notes on members that are not arrays, and names that appear twice. */
guint sa_npz_get_n_ignored (SaNpz *npz);
const char *sa_npz_get_ignored (SaNpz *npz, guint index);

/* Opens an array for streaming; the stream is positioned at the first data byte. */
SaNpzStream *sa_npz_open_array (SaNpz *npz, const char *name, SaNpyHeader *header, GError **error);
gboolean sa_npz_stream_read (SaNpzStream *stream, void *buf, gsize len, GError **error);
/* Reads what is left and checks the CRC-32. */
gboolean sa_npz_stream_finish (SaNpzStream *stream, GError **error);
void sa_npz_stream_free (SaNpzStream *stream);
/* Inflates the whole array now (thread-safe for different streams of one archive); FALSE when
 * it is streamed instead (stored, too large, or damaged: sa_npz_stream_read() then reports). */
gboolean sa_npz_stream_prefetch (SaNpzStream *stream);
/* The next @len bytes of a prefetched stream, in place (valid while it lives); NULL when it is
 * not prefetched or holds fewer bytes: read them with sa_npz_stream_read() then. */
const void *sa_npz_stream_peek (SaNpzStream *stream, gsize len);
/* Back to the first data byte; only a prefetched stream can (FALSE otherwise). */
gboolean sa_npz_stream_rewind (SaNpzStream *stream);

/* Convenience: a whole 1-D or 2-D array converted to native doubles / integers (row-major). */
double *sa_npz_read_f64 (SaNpz *npz, const char *name, SaNpyHeader *header, GError **error);
gint64 *sa_npz_read_i64 (SaNpz *npz, const char *name, SaNpyHeader *header, GError **error);

SaNpzWriter *sa_npz_writer_new (const char *path, GError **error);
gboolean sa_npz_writer_add_f32 (SaNpzWriter *writer, const char *name, const float *data,
                                gsize rows, gsize cols, gsize row_stride, gboolean one_d,
                                GError **error);
/* The same for rows that are not in one block: row_data[i] points at row i's cols values. */
gboolean sa_npz_writer_add_f32_rows (SaNpzWriter *writer, const char *name,
                                     const float *const *row_data, gsize rows, gsize cols,
                                     GError **error);
gboolean sa_npz_writer_add_i64 (SaNpzWriter *writer, const char *name, const gint64 *data, gsize n,
                                GError **error);
gboolean sa_npz_writer_commit (SaNpzWriter *writer, GError **error);
/* Frees the writer; an uncommitted file is removed and the target is untouched. */
void sa_npz_writer_free (SaNpzWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaNpz, sa_npz_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaNpzStream, sa_npz_stream_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaNpzWriter, sa_npz_writer_free)

G_END_DECLS
