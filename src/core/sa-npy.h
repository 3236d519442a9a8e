/* sa-npy.h: the numpy .npy array format (versions 1.0, 2.0 and 3.0)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows numpy's "NEP 1 / numpy.lib.format" description: a magic string,
 * a version, a header length and a Python-literal dictionary with the keys
 * 'descr', 'fortran_order' and 'shape', padded so that the data starts at a
 * multiple of 64 bytes.  Only what feature files need is supported: 1-D and
 * 2-D arrays of little/big-endian float32/float64 and (u)int32/(u)int64.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SA_DTYPE_F32,
  SA_DTYPE_F64,
  SA_DTYPE_I32,
  SA_DTYPE_I64,
  SA_DTYPE_U32,
  SA_DTYPE_U64,
} SaDtype;

#define SA_NPY_MAGIC_LEN  6
#define SA_NPY_PREFIX_LEN 12 /* enough to know the header length of any version */

typedef struct
{
  SaDtype dtype;
  guint item_size;
  gboolean big_endian;
  gboolean fortran_order;
  guint ndim;        /* 1 or 2 */
  guint64 shape[2];  /* rows, columns; columns is 1 for 1-D arrays */
  gsize header_size; /* bytes before the data */
  guint64 n_elements;
  guint64 data_size; /* n_elements * item_size */
} SaNpyHeader;

gboolean sa_npy_header_size (const guint8 *prefix, gsize prefix_len, gsize *header_size,
                             const char *where, GError **error);
gboolean sa_npy_header_parse (const guint8 *buf, gsize buf_len, guint64 total_len,
                              const char *where, SaNpyHeader *header, GError **error);
gboolean sa_dtype_is_float (SaDtype dtype);
const char *sa_dtype_to_string (SaDtype dtype, gboolean big_endian);

/* Conversions of @count consecutive raw elements (file byte order) to native values. */
void sa_npy_convert_f32 (const SaNpyHeader *header, const void *src, gsize count, float *dst);
void sa_npy_convert_f64 (const SaNpyHeader *header, const void *src, gsize count, double *dst);
gboolean sa_npy_convert_i64 (const SaNpyHeader *header, const void *src, gsize count, gint64 *dst,
                             gsize *bad_index);

/* Builds a version 1.0 header (or 2.0 when it does not fit) for a little-endian
 * C-order array, padded so that the data starts at a multiple of 64 bytes. */
GByteArray *sa_npy_header_build (SaDtype dtype, guint ndim, const guint64 *shape);

G_END_DECLS
