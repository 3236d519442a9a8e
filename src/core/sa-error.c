/* sa-error.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "sa-error.h"

/* clang-format would split the quark's name into "sa - error - quark" */
/* clang-format off */
G_DEFINE_QUARK (sa-error-quark, sa_error)
/* clang-format on */

gpointer
sa_try_malloc_large (gsize bytes)
{
  const gsize huge = 2 << 20;
  void *p = NULL;

  if (bytes > G_MAXSIZE - huge)
    return NULL;
  if (bytes < huge)
    return posix_memalign (&p, 64, MAX (bytes, 1)) == 0 ? p : NULL;
  bytes = (bytes + huge - 1) / huge * huge;
  if (posix_memalign (&p, huge, bytes) != 0)
    return NULL;
#ifdef MADV_HUGEPAGE
  madvise (p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

gpointer
sa_try_malloc_n (gsize n, gsize size, const char *where, GError **error)
{
  gpointer p = NULL;
  g_autofree char *needed = NULL;

  g_return_val_if_fail (where != NULL, NULL);
  if (size == 0 || n <= G_MAXSIZE / size)
    p = g_try_malloc (MAX (n * size, 1));
  if (p != NULL)
    return p;
  needed = size != 0 && n > G_MAXSIZE / size
               ? g_strdup (_ ("more than the address space"))
               : g_format_size_full ((guint64) n * size, G_FORMAT_SIZE_IEC_UNITS);
  g_set_error (error, SA_ERROR, SA_ERROR_NO_MEMORY, _ ("%s: not enough memory (%s needed)"), where,
               needed);
  return NULL;
}
