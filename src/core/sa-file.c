/* sa-file.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-file.h"

static const char *
kind_of (mode_t mode)
{
  if (S_ISDIR (mode))
    return _ ("a folder");
  if (S_ISFIFO (mode))
    return _ ("a named pipe (FIFO)");
  if (S_ISCHR (mode))
    return _ ("a character device");
  if (S_ISBLK (mode))
    return _ ("a block device");
  if (S_ISSOCK (mode))
    return _ ("a socket");
  return _ ("not a regular file");
}

int
sa_file_open_regular (const char *path, const char *what, guint64 *size, GError **error)
{
  struct stat st;
  int fd, saved;

  g_return_val_if_fail (path != NULL && what != NULL, -1);
  /* O_NONBLOCK: opening a FIFO must not wait for a writer */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      if (saved == EISDIR)
        g_set_error (error, SA_ERROR, SA_ERROR_NOT_REGULAR, _ ("%s: is a folder, not %s"), path,
                     what);
      else
        g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot open: %s"), path,
                     g_strerror (saved));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_REGULAR, _ ("%s: is %s, not %s"), path,
                   kind_of (st.st_mode), what);
      return -1;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  if (st.st_size == 0)
    {
      /* /proc and /sys files say 0 bytes but have content */
      char c;
      gssize n;
      do
        n = pread (fd, &c, 1, 0);
      while (n < 0 && errno == EINTR);
      if (n > 0)
        {
          close (fd);
          g_set_error (error, SA_ERROR, SA_ERROR_NOT_REGULAR,
                       _ ("%s: is a special file of the system (its size is unknown), not %s"),
                       path, what);
          return -1;
        }
    }
  *size = (guint64) st.st_size;
  return fd;
}

gboolean
sa_file_read_at (int fd, const char *path, guint64 offset, void *buf, gsize len, GError **error)
{
  guint8 *p = buf;

  while (len > 0)
    {
      gssize n = pread (fd, p, MIN (len, (gsize) 1 << 30), (off_t) offset);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot read: %s"), path,
                       g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED,
                       _ ("%s: the file ends early (was it changed or truncated while it was "
                          "read?)"),
                       path);
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}
