/* sa-file.h: opening and reading the user's files safely
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A user's file is never memory-mapped (a file truncated or rewritten while mapped
 * would kill the process with SIGBUS): it is read with pread() into memory, and a
 * read that comes up short is an error that names the file.  Only regular files are
 * opened: a FIFO (which would block), a device (/dev/zero reads without end), a folder
 * or a kernel pseudo-file (/proc/self/status, whose size is 0 but which has content)
 * is refused before anything is read.
 */
#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* @what: what the file should be, e.g. _("a feature file (.npz)").  Returns the
 * descriptor (close it) or -1; @size gets the file's size. */
int sa_file_open_regular (const char *path, const char *what, guint64 *size, GError **error);
/* Reads exactly @len bytes at @offset; a short read is SA_ERROR_TRUNCATED. */
gboolean sa_file_read_at (int fd, const char *path, guint64 offset, void *buf, gsize len,
                          GError **error);

G_END_DECLS
