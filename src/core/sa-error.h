/* sa-error.h
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SA_ERROR (sa_error_quark ())

/**
 * SaError:
 * One code per kind of failure.  Bad input is always a #GError with one of
 * these codes and a message that names the file and the problem.
 */
typedef enum
{
  SA_ERROR_FAILED,           /* anything else */
  SA_ERROR_IO,               /* cannot open, read or write a file */
  SA_ERROR_NOT_ZIP,          /* not a ZIP (.npz) container */
  SA_ERROR_TRUNCATED,        /* a structure or the data ends early */
  SA_ERROR_CORRUPT,          /* inconsistent sizes, offsets, CRC mismatch */
  SA_ERROR_UNSUPPORTED,      /* valid but unsupported (compression method, dtype, ndim) */
  SA_ERROR_BAD_HEADER,       /* bad .npy magic or header dictionary */
  SA_ERROR_TOO_LARGE,        /* sizes that overflow or exceed the file */
  SA_ERROR_SHAPE,            /* arrays whose shapes do not fit together */
  SA_ERROR_NOT_FINITE,       /* NaN or Inf in features */
  SA_ERROR_MISSING,          /* a required member or column is missing */
  SA_ERROR_CSV,              /* malformed CSV */
  SA_ERROR_ENCODING,         /* invalid UTF-8 */
  SA_ERROR_EMPTY,            /* an empty file or collection */
  SA_ERROR_INVALID_ARGUMENT, /* a bad option value */
  SA_ERROR_NOT_FOUND,        /* unknown clip id, title, set name */
  SA_ERROR_DECODE,           /* audio that cannot be decoded */
  SA_ERROR_TOO_SHORT,        /* audio shorter than one segment */
  SA_ERROR_CANCELLED,        /* the user stopped the work */
  SA_ERROR_NOT_REGULAR,      /* a FIFO, device, folder or /proc file where a file is needed */
  SA_ERROR_NO_MEMORY,        /* not enough memory (the message says how much was needed) */
  /* analysis */
  SA_ERROR_BUSY,         /* another process is writing the same output */
  SA_ERROR_NO_RESOURCES, /* too few file descriptors (or similar) to work at all */
} SaError;

GQuark sa_error_quark (void);

/* g_try_malloc() of @n * @size bytes (at least 1); NULL with SA_ERROR_NO_MEMORY, a
 * message naming @where and the size needed, when that is not available. */
gpointer sa_try_malloc_n (gsize n, gsize size, const char *where, GError **error);
/* g_try_malloc() for large buffers that are filled once (inflated members, the matrix),
 * 64-byte aligned; from 2 MiB on the block is 2 MiB-aligned and asks for transparent huge pages, so that
 * filling it faults 512 times less often.  Free with g_free(); NULL when not available. */
gpointer sa_try_malloc_large (gsize bytes);

G_END_DECLS
