/* sa-npz.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <unistd.h>
#include <zlib.h>

#include "sa-error.h"
#include "sa-file.h"
#include "sa-inflate.h"
#include "sa-npz.h"

#define SIG_LOCAL   0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD    0x06054b50u
#define SIG_EOCD64  0x06064b50u
#define SIG_LOCATOR 0x07064b50u
#define ZIP_MAX32   0xffffffffu
#define ZIP_MAX16   0xffffu
/* deflate cannot expand data by more than about 1032:1 */
#define DEFLATE_MAX_RATIO 1032

typedef struct
{
  char *file_name; /* as stored in the archive */
  char *name;      /* the array's key: file_name without ".npy" */
  guint16 flags;
  guint16 method;
  guint32 crc;
  guint64 comp_size;
  guint64 size;
  guint64 local_offset;
} Member;

struct _SaNpz
{
  char *path;
  int fd;
  guint64 len;
  GArray *members;    /* Member, as in the directory */
  GPtrArray *order;   /* const Member*: one per array name, the last copy (as numpy) */
  GPtrArray *ignored; /* char*: notes on members that are not arrays, duplicates */
};

#define STREAM_IN_SIZE (256 * 1024)
/* bytes a member may hold after its array's data (they are inflated for the CRC) */
#define SA_NPZ_MAX_TRAILING (64 * 1024)

struct _SaNpzStream
{
  SaNpz *npz;
  const Member *member;
  char *where;
  guint64 src_offset; /* in the file */
  guint64 src_left;
  guint64 out_left;
  guint32 crc;
  gboolean deflated;
  gboolean z_ready;
  z_stream z;
  guint8 *in; /* deflated input, STREAM_IN_SIZE */
  /* whole mode: the member inflated at once (libdeflate), CRC checked; reads copy from it */
  guint8 *whole;
  guint64 whole_pos;    /* the next byte to read */
  guint64 comp_offset;  /* where the member's compressed data starts in the file */
  gboolean header_read; /* the .npy header has bounded the member's size */
  guint64 data_start;   /* where the array's data starts in the member */
  gboolean whole_tried; /* libdeflate was tried (once: a refusal means zlib streams it) */
};

/* members up to this size are inflated whole with libdeflate; larger ones are streamed */
#define SA_NPZ_WHOLE_MAX ((guint64) 4 << 30)

static inline guint16
rd16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static inline guint32
rd32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static inline guint64
rd64 (const guint8 *p)
{
  return rd32 (p) | ((guint64) rd32 (p + 4) << 32);
}

static void
member_clear (gpointer data)
{
  Member *m = data;
  g_free (m->file_name);
  g_free (m->name);
}

void
sa_npz_free (SaNpz *npz)
{
  if (npz == NULL)
    return;
  if (npz->fd >= 0)
    close (npz->fd);
  g_clear_pointer (&npz->order, g_ptr_array_unref);
  g_clear_pointer (&npz->ignored, g_ptr_array_unref);
  g_clear_pointer (&npz->members, g_array_unref);
  g_free (npz->path);
  g_free (npz);
}

const char *
sa_npz_get_path (SaNpz *npz)
{
  g_return_val_if_fail (npz != NULL, NULL);
  return npz->path;
}

static gboolean
corrupt (GError **error, SaNpz *npz, const char *what)
{
  g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, _ ("%s: corrupt ZIP archive (%s)"), npz->path,
               what);
  return FALSE;
}

/* Finds the end records: the directory's size, offset and number of entries. */
static gboolean
find_directory (SaNpz *npz, guint64 *n_entries, guint64 *cd_size, guint64 *cd_offset,
                GError **error)
{
  const gsize max_tail = 22 + 0xffff + 20;
  gsize tail_len = (gsize) MIN (npz->len, (guint64) max_tail);
  guint64 tail_start = npz->len - tail_len;
  g_autofree guint8 *tail = g_malloc (MAX (tail_len, 1));
  gssize eocd = -1;
  guint8 head[4] = { 0 };
  guint64 eocd_at;

  if (!sa_file_read_at (npz->fd, npz->path, tail_start, tail, tail_len, error))
    return FALSE;
  if (tail_len >= 22)
    for (gsize i = tail_len - 22 + 1; i-- > 0;)
      if (rd32 (tail + i) == SIG_EOCD)
        {
          eocd = i;
          break;
        }
  if (eocd < 0)
    {
      if (npz->len >= 4 && !sa_file_read_at (npz->fd, npz->path, 0, head, 4, error))
        return FALSE;
      if (rd32 (head) == SIG_LOCAL)
        g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED,
                     _ ("%s: truncated ZIP archive (the central directory is missing)"), npz->path);
      else
        g_set_error (error, SA_ERROR, SA_ERROR_NOT_ZIP,
                     _ ("%s: not a numpy .npz file (no ZIP directory found)"), npz->path);
      return FALSE;
    }
  eocd_at = tail_start + eocd;
  *n_entries = rd16 (tail + eocd + 10);
  *cd_size = rd32 (tail + eocd + 12);
  *cd_offset = rd32 (tail + eocd + 16);
  if (*n_entries == ZIP_MAX16 || *cd_size == ZIP_MAX32 || *cd_offset == ZIP_MAX32)
    {
      guint8 rec[56];
      guint64 z64;
      if (eocd < 20 || rd32 (tail + eocd - 20) != SIG_LOCATOR)
        return corrupt (error, npz, _ ("ZIP64 locator missing"));
      z64 = rd64 (tail + eocd - 20 + 8);
      if (z64 > npz->len || npz->len - z64 < 56)
        return corrupt (error, npz, _ ("bad ZIP64 end record"));
      if (!sa_file_read_at (npz->fd, npz->path, z64, rec, 56, error))
        return FALSE;
      if (rd32 (rec) != SIG_EOCD64)
        return corrupt (error, npz, _ ("bad ZIP64 end record"));
      *n_entries = rd64 (rec + 32);
      *cd_size = rd64 (rec + 40);
      *cd_offset = rd64 (rec + 48);
      eocd_at = z64;
    }
  if (*cd_offset > eocd_at || *cd_size > eocd_at - *cd_offset)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED,
                   _ ("%s: truncated ZIP archive (the directory points past the end)"), npz->path);
      return FALSE;
    }
  if (*n_entries > *cd_size / 46)
    return corrupt (error, npz, _ ("too many entries for the directory size"));
  if (*n_entries > SA_NPZ_MAX_MEMBERS)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                   _ ("%s: the archive has %" PRIu64 " members (at most %u are read)"), npz->path,
                   *n_entries, SA_NPZ_MAX_MEMBERS);
      return FALSE;
    }
  return TRUE;
}

/* ZIP64 extended information: only the fields that overflowed, in this order. */
static gboolean
read_zip64_extra (SaNpz *npz, Member *m, const guint8 *extra, guint16 extra_len, GError **error)
{
  for (const guint8 *e = extra; e + 4 <= extra + extra_len;)
    {
      guint16 id = rd16 (e), sz = rd16 (e + 2);
      const guint8 *f = e + 4, *fend = e + 4 + sz;
      if (fend > extra + extra_len)
        return corrupt (error, npz, _ ("bad extra field"));
      if (id == 0x0001)
        {
          guint64 *fields[] = { &m->size, &m->comp_size, &m->local_offset };
          for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
            {
              if (*fields[k] != ZIP_MAX32)
                continue;
              if (fend - f < 8)
                return corrupt (error, npz, _ ("bad ZIP64 extra field"));
              *fields[k] = rd64 (f);
              f += 8;
            }
        }
      e = fend;
    }
  return TRUE;
}

/* Which members are arrays: numpy's keys are the names without ".npy", a repeated name
 * is the last copy (what np.load gives); anything else is listed as ignored. */
static void
index_arrays (SaNpz *npz)
{
  g_autoptr (GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) copies = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < npz->members->len; i++)
    {
      Member *m = &g_array_index (npz->members, Member, i);
      gpointer slot;
      if (!g_str_has_suffix (m->file_name, ".npy"))
        {
          g_ptr_array_add (
              npz->ignored,
              g_str_has_suffix (m->file_name, "/")
                  ? g_strdup_printf (_ ("folder entry '%s' in the archive: ignored"), m->file_name)
                  : g_strdup_printf (_ ("member '%s' is not a .npy array: ignored"), m->file_name));
          continue;
        }
      if (g_hash_table_lookup_extended (by_name, m->name, NULL, &slot))
        {
          g_ptr_array_index (npz->order, GPOINTER_TO_UINT (slot)) = m;
          g_hash_table_insert (
              copies, m->name,
              GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (copies, m->name)) + 1));
          continue;
        }
      g_hash_table_insert (by_name, m->name, GUINT_TO_POINTER (npz->order->len));
      g_hash_table_insert (copies, m->name, GUINT_TO_POINTER (1));
      g_ptr_array_add (npz->order, m);
    }
  for (guint i = 0; i < npz->order->len; i++)
    {
      const Member *m = g_ptr_array_index (npz->order, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (copies, m->name));
      if (n > 1)
        g_ptr_array_add (npz->ignored,
                         g_strdup_printf (_ ("'%s' is in the archive %u times: the last copy is "
                                             "used, as numpy does"),
                                          m->file_name, n));
    }
}

static gboolean
read_central_directory (SaNpz *npz, GError **error)
{
  guint64 n_entries, cd_size, cd_offset;
  g_autofree guint8 *cd = NULL;
  const guint8 *p, *end;

  if (!find_directory (npz, &n_entries, &cd_size, &cd_offset, error))
    return FALSE;
  cd = sa_try_malloc_n (cd_size, 1, npz->path, error);
  if (cd == NULL || !sa_file_read_at (npz->fd, npz->path, cd_offset, cd, cd_size, error))
    return FALSE;

  npz->members = g_array_sized_new (FALSE, TRUE, sizeof (Member), (guint) n_entries);
  g_array_set_clear_func (npz->members, member_clear);
  p = cd;
  end = cd + cd_size;
  for (guint64 i = 0; i < n_entries; i++)
    {
      Member m = { 0 };
      guint16 name_len, extra_len, comment_len;

      if (end - p < 46 || rd32 (p) != SIG_CENTRAL)
        return corrupt (error, npz, _ ("bad directory entry"));
      m.flags = rd16 (p + 8);
      m.method = rd16 (p + 10);
      m.crc = rd32 (p + 16);
      m.comp_size = rd32 (p + 20);
      m.size = rd32 (p + 24);
      name_len = rd16 (p + 28);
      extra_len = rd16 (p + 30);
      comment_len = rd16 (p + 32);
      m.local_offset = rd32 (p + 42);
      if ((gsize) (end - p) < 46u + name_len + extra_len + comment_len)
        return corrupt (error, npz, _ ("bad directory entry"));
      if (!read_zip64_extra (npz, &m, p + 46 + name_len, extra_len, error))
        return FALSE;
      m.file_name = g_strndup ((const char *) p + 46, name_len);
      if (!g_utf8_validate (m.file_name, -1, NULL) || strlen (m.file_name) != name_len)
        {
          g_autofree char *shown = g_utf8_make_valid (m.file_name, -1);
          g_free (m.file_name);
          m.file_name = g_strdup_printf ("%s?", shown); /* never an array name */
        }
      if (g_str_has_suffix (m.file_name, ".npy"))
        m.name = g_strndup (m.file_name, strlen (m.file_name) - 4);
      else
        m.name = g_strdup (m.file_name);
      g_array_append_val (npz->members, m);
      p += 46 + name_len + extra_len + comment_len;
    }
  index_arrays (npz);
  return TRUE;
}

SaNpz *
sa_npz_open (const char *path, GError **error)
{
  g_autoptr (SaNpz) npz = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  npz = g_new0 (SaNpz, 1);
  npz->path = g_strdup (path);
  npz->order = g_ptr_array_new ();
  npz->ignored = g_ptr_array_new_with_free_func (g_free);
  npz->fd = sa_file_open_regular (path, _ ("a feature file (.npz)"), &npz->len, error);
  if (npz->fd < 0)
    return NULL;
  if (npz->len == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_EMPTY, _ ("%s: the file is empty"), path);
      return NULL;
    }
  if (!read_central_directory (npz, error))
    return NULL;
  return g_steal_pointer (&npz);
}

guint
sa_npz_get_n_arrays (SaNpz *npz)
{
  g_return_val_if_fail (npz != NULL, 0);
  return npz->order->len;
}

const char *
sa_npz_get_array_name (SaNpz *npz, guint index)
{
  g_return_val_if_fail (npz != NULL && index < npz->order->len, NULL);
  return ((const Member *) g_ptr_array_index (npz->order, index))->name;
}

guint
sa_npz_get_n_ignored (SaNpz *npz)
{
  g_return_val_if_fail (npz != NULL, 0);
  return npz->ignored->len;
}

const char *
sa_npz_get_ignored (SaNpz *npz, guint index)
{
  g_return_val_if_fail (npz != NULL && index < npz->ignored->len, NULL);
  return g_ptr_array_index (npz->ignored, index);
}

static const Member *
find_member (SaNpz *npz, const char *name)
{
  for (guint i = 0; i < npz->order->len; i++)
    {
      const Member *m = g_ptr_array_index (npz->order, i);
      if (g_str_equal (m->name, name))
        return m;
    }
  return NULL;
}

gboolean
sa_npz_has_array (SaNpz *npz, const char *name)
{
  g_return_val_if_fail (npz != NULL && name != NULL, FALSE);
  return find_member (npz, name) != NULL;
}

void
sa_npz_stream_free (SaNpzStream *s)
{
  if (s == NULL)
    return;
  if (s->z_ready)
    inflateEnd (&s->z);
  g_free (s->in);
  g_free (s->whole);
  g_free (s->where);
  g_free (s);
}

static SaNpzStream *
stream_open (SaNpz *npz, const Member *m, GError **error)
{
  g_autoptr (SaNpzStream) s = g_new0 (SaNpzStream, 1);
  guint8 lh[30];
  guint64 data_offset;

  s->npz = npz;
  s->member = m;
  s->where = g_strdup_printf (_ ("%s, array '%s'"), npz->path, m->name);
  if (m->flags & 1)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("%s: encrypted members are not supported"), s->where);
      return NULL;
    }
  if (m->method != 0 && m->method != 8)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("%s: unsupported ZIP compression method %u (only stored and deflated)"),
                   s->where, m->method);
      return NULL;
    }
  if (m->local_offset > npz->len || npz->len - m->local_offset < 30)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: truncated ZIP member"), s->where);
      return NULL;
    }
  if (!sa_file_read_at (npz->fd, npz->path, m->local_offset, lh, sizeof lh, error))
    return NULL;
  if (rd32 (lh) != SIG_LOCAL)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, _ ("%s: corrupt ZIP member header"),
                   s->where);
      return NULL;
    }
  data_offset = m->local_offset + 30 + rd16 (lh + 26) + rd16 (lh + 28);
  if (data_offset > npz->len || m->comp_size > npz->len - data_offset)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: truncated ZIP member"), s->where);
      return NULL;
    }
  if (m->method == 0 && m->size != m->comp_size)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                   _ ("%s: corrupt ZIP member (stored sizes differ)"), s->where);
      return NULL;
    }
  if (m->method == 8 && m->size / DEFLATE_MAX_RATIO > m->comp_size + 1)
    {
      g_set_error (
          error, SA_ERROR, SA_ERROR_TOO_LARGE,
          _ ("%s: the member claims %" PRIu64 " bytes, more than its compressed data can hold"),
          s->where, m->size);
      return NULL;
    }
  s->src_offset = data_offset;
  s->comp_offset = data_offset;
  s->src_left = m->comp_size;
  s->out_left = m->size;
  s->crc = crc32_z (0, NULL, 0);
  s->deflated = m->method == 8;
  if (s->deflated)
    {
      s->in = g_malloc (STREAM_IN_SIZE);
      if (inflateInit2 (&s->z, -MAX_WBITS) != Z_OK)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_FAILED, _ ("%s: cannot start zlib"), s->where);
          return NULL;
        }
      s->z_ready = TRUE;
    }
  return g_steal_pointer (&s);
}

/* Inflates exactly @len bytes into @buf, reading compressed input as it is needed. */
static gboolean
inflate_into (SaNpzStream *s, guint8 *out, gsize want, GError **error)
{
  while (want > 0)
    {
      uInt out_chunk = (uInt) MIN (want, (gsize) G_MAXUINT32 / 2);
      uInt before;
      int rc;

      if (s->z.avail_in == 0 && s->src_left > 0)
        {
          gsize n = (gsize) MIN (s->src_left, (guint64) STREAM_IN_SIZE);
          if (!sa_file_read_at (s->npz->fd, s->npz->path, s->src_offset, s->in, n, error))
            return FALSE;
          s->src_offset += n;
          s->src_left -= n;
          s->z.next_in = s->in;
          s->z.avail_in = (uInt) n;
        }
      s->z.next_out = out;
      s->z.avail_out = out_chunk;
      before = s->z.avail_in;
      rc = inflate (&s->z, Z_SYNC_FLUSH);
      out += out_chunk - s->z.avail_out;
      want -= out_chunk - s->z.avail_out;
      if (rc == Z_STREAM_END && want > 0)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED,
                       _ ("%s: the compressed data ends early"), s->where);
          return FALSE;
        }
      if (rc == Z_BUF_ERROR && s->src_left == 0 && s->z.avail_in == before && want > 0)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED,
                       _ ("%s: the compressed data is truncated"), s->where);
          return FALSE;
        }
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, _ ("%s: corrupt compressed data (%s)"),
                       s->where, s->z.msg ? s->z.msg : "zlib");
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  const guint8 *data;
  gsize len;
  guint32 crc;
} CrcJob;

static gpointer
run_crc_job (gpointer data)
{
  CrcJob *job = data;
  job->crc = libdeflate_crc32 (0, job->data, job->len);
  return NULL;
}

/* The CRC-32 of @len bytes, a large buffer's later half on a second thread. */
static guint32
crc_on_two (const guint8 *data, gsize len)
{
  CrcJob later = { data + len / 2, len - len / 2, 0 };
  GThread *thread = len >= ((gsize) 16 << 20) && g_get_num_processors () > 1
                        ? g_thread_try_new ("sa-npz-crc", run_crc_job, &later, NULL)
                        : NULL;
  guint32 crc;

  if (thread == NULL)
    return libdeflate_crc32 (0, data, len);
  crc = libdeflate_crc32 (0, data, len / 2);
  g_thread_join (thread);
  return (guint32) crc32_combine (crc, later.crc, (z_off_t) later.len);
}

/* Inflates the whole member at once with libdeflate (about 2-3x zlib's streaming speed), into
 * a buffer of the member's declared size, which the .npy header has already bounded. The CRC-32
 * is checked over it. Anything libdeflate does not accept, or a CRC mismatch, leaves the stream
 * as it was: zlib goes on from the current position and reports the problem as before. */
static void
try_whole (SaNpzStream *s)
{
  const Member *m = s->member;
  guint64 done = m->size - s->out_left;
  g_autofree guint8 *in = NULL;
  g_autofree guint8 *out = NULL;
  struct libdeflate_decompressor *d;
  size_t actual = 0;
  enum libdeflate_result rc;

  s->whole_tried = TRUE;
  if (m->size > SA_NPZ_WHOLE_MAX || m->comp_size > SA_NPZ_WHOLE_MAX || m->size == 0
      || (gsize) m->size != m->size)
    return;
  out = sa_try_malloc_large (m->size);
  if (out == NULL)
    return;
  /* a large member on several threads, when its blocks allow it */
  if (sa_inflate_split (s->npz->fd, s->comp_offset, m->comp_size, out, m->size, m->crc, 0, NULL))
    {
      s->whole = g_steal_pointer (&out);
      s->whole_pos = done;
      return;
    }
  in = sa_try_malloc_large (m->comp_size);
  if (in == NULL)
    return;
  /* the compressed data not yet consumed is still in the file: read it all from the start */
  if (!sa_file_read_at (s->npz->fd, s->npz->path, s->comp_offset, in, m->comp_size, NULL))
    return;
  d = libdeflate_alloc_decompressor ();
  if (d == NULL)
    return;
  rc = libdeflate_deflate_decompress (d, in, m->comp_size, out, m->size, &actual);
  libdeflate_free_decompressor (d);
  if (rc != LIBDEFLATE_SUCCESS || actual != m->size || crc_on_two (out, m->size) != m->crc)
    return;
  s->whole = g_steal_pointer (&out);
  s->whole_pos = done;
}

gboolean
sa_npz_stream_prefetch (SaNpzStream *s)
{
  g_return_val_if_fail (s != NULL, FALSE);
  if (s->whole == NULL && !s->whole_tried && s->deflated && s->header_read && s->out_left > 0)
    try_whole (s);
  return s->whole != NULL;
}

const void *
sa_npz_stream_peek (SaNpzStream *s, gsize len)
{
  const guint8 *p;

  g_return_val_if_fail (s != NULL, NULL);
  if (s->whole == NULL || len > s->out_left)
    return NULL;
  p = s->whole + s->whole_pos;
  s->whole_pos += len;
  s->out_left -= len;
  return p;
}

gboolean
sa_npz_stream_rewind (SaNpzStream *s)
{
  g_return_val_if_fail (s != NULL, FALSE);
  if (s->whole == NULL)
    return FALSE;
  s->out_left += s->whole_pos - s->data_start;
  s->whole_pos = s->data_start;
  return TRUE;
}

gboolean
sa_npz_stream_read (SaNpzStream *s, void *buf, gsize len, GError **error)
{
  g_return_val_if_fail (s != NULL && (buf != NULL || len == 0), FALSE);
  if (len > s->out_left)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: the data ends early"), s->where);
      return FALSE;
    }
  if (s->whole == NULL && !s->whole_tried && s->deflated && s->header_read && len > 0)
    try_whole (s);
  if (s->whole != NULL)
    {
      memcpy (buf, s->whole + s->whole_pos, len);
      s->whole_pos += len;
      s->out_left -= len;
      return TRUE;
    }
  if (!s->deflated)
    {
      if (!sa_file_read_at (s->npz->fd, s->npz->path, s->src_offset, buf, len, error))
        return FALSE;
      s->src_offset += len;
      s->src_left -= len;
    }
  else if (!inflate_into (s, buf, len, error))
    return FALSE;
  s->crc = crc32_z (s->crc, buf, len);
  s->out_left -= len;
  return TRUE;
}

gboolean
sa_npz_stream_finish (SaNpzStream *s, GError **error)
{
  guint8 scratch[16384];

  g_return_val_if_fail (s != NULL, FALSE);
  if (s->whole != NULL)
    {
      s->out_left = 0; /* the whole member's CRC-32 was checked when it was inflated */
      return TRUE;
    }
  while (s->out_left > 0)
    if (!sa_npz_stream_read (s, scratch, MIN (s->out_left, sizeof scratch), error))
      return FALSE;
  if (s->crc != s->member->crc)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                   _ ("%s: CRC-32 mismatch (the file is damaged)"), s->where);
      return FALSE;
    }
  return TRUE;
}

SaNpzStream *
sa_npz_open_array (SaNpz *npz, const char *name, SaNpyHeader *header, GError **error)
{
  const Member *m;
  g_autoptr (SaNpzStream) s = NULL;
  guint8 prefix[SA_NPY_PREFIX_LEN];
  g_autofree guint8 *head = NULL;
  gsize head_size, fixed;

  g_return_val_if_fail (npz != NULL && name != NULL && header != NULL, NULL);
  m = find_member (npz, name);
  if (m == NULL)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING, _ ("%s: no array named '%s'"), npz->path,
                   name);
      return NULL;
    }
  s = stream_open (npz, m, error);
  if (s == NULL)
    return NULL;
  if (m->size < 10)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: the .npy header is truncated"),
                   s->where);
      return NULL;
    }
  /* the fixed part is 10 bytes in version 1.0 and 12 in 2.0 and 3.0: read no more than it */
  fixed = 10;
  if (!sa_npz_stream_read (s, prefix, fixed, error))
    return NULL;
  if (prefix[6] >= 2 && m->size >= 12)
    {
      if (!sa_npz_stream_read (s, prefix + 10, 2, error))
        return NULL;
      fixed = 12;
    }
  if (!sa_npy_header_size (prefix, fixed, &head_size, s->where, error))
    return NULL;
  if (head_size > m->size || head_size < fixed)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: the .npy header is truncated"),
                   s->where);
      return NULL;
    }
  head = g_malloc (head_size);
  memcpy (head, prefix, fixed);
  if (head_size > fixed && !sa_npz_stream_read (s, head + fixed, head_size - fixed, error))
    return NULL;
  /* the data the header declares must be what the member holds (no more is ever inflated) */
  if (!sa_npy_header_parse (head, head_size, m->size, s->where, header, error))
    return NULL;
  if (m->size - header->header_size - header->data_size > SA_NPZ_MAX_TRAILING)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                   _ ("%s: the member holds %" PRIu64 " bytes more than its array's data"),
                   s->where, m->size - header->header_size - header->data_size);
      return NULL;
    }
  s->header_read = TRUE;
  s->data_start = header->header_size;
  return g_steal_pointer (&s);
}

static guint8 *
read_array_raw (SaNpz *npz, const char *name, SaNpyHeader *h, GError **error)
{
  g_autoptr (SaNpzStream) s = sa_npz_open_array (npz, name, h, error);
  g_autofree guint8 *raw = NULL;

  if (s == NULL)
    return NULL;
  raw = sa_try_malloc_n (h->data_size, 1, s->where, error);
  if (raw == NULL)
    return NULL;
  if (!sa_npz_stream_read (s, raw, h->data_size, error) || !sa_npz_stream_finish (s, error))
    return NULL;
  return g_steal_pointer (&raw);
}

/* Returns the index in the raw (file-ordered) data of row-major element k. */
static inline gsize
raw_index (const SaNpyHeader *h, gsize k)
{
  if (!h->fortran_order || h->ndim == 1)
    return k;
  return (k % h->shape[1]) * h->shape[0] + k / h->shape[1];
}

double *
sa_npz_read_f64 (SaNpz *npz, const char *name, SaNpyHeader *h, GError **error)
{
  g_autofree guint8 *raw = read_array_raw (npz, name, h, error);
  double *out;

  if (raw == NULL)
    return NULL;
  out = sa_try_malloc_n (h->n_elements, sizeof (double), npz->path, error);
  if (out == NULL)
    return NULL;
  for (gsize k = 0; k < h->n_elements; k++)
    sa_npy_convert_f64 (h, raw + raw_index (h, k) * h->item_size, 1, out + k);
  return out;
}

gint64 *
sa_npz_read_i64 (SaNpz *npz, const char *name, SaNpyHeader *h, GError **error)
{
  g_autofree guint8 *raw = read_array_raw (npz, name, h, error);
  g_autofree gint64 *out = NULL;

  if (raw == NULL)
    return NULL;
  out = sa_try_malloc_n (h->n_elements, sizeof (gint64), npz->path, error);
  if (out == NULL)
    return NULL;
  for (gsize k = 0; k < h->n_elements; k++)
    if (!sa_npy_convert_i64 (h, raw + raw_index (h, k) * h->item_size, 1, out + k, NULL))
      {
        g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                     _ ("%s, array '%s': element %zu is not a valid integer id"), npz->path, name,
                     k);
        return NULL;
      }
  return g_steal_pointer (&out);
}

/* ---- writing ---- */

typedef struct
{
  char *file_name;
  guint32 crc;
  guint64 size;
  guint64 offset;
} Written;

struct _SaNpzWriter
{
  char *path;
  char *tmp_path;
  int fd;
  guint64 offset;
  GArray *entries;
  guint8 *buf;
  gsize buf_len;
  gboolean failed;
};

#define WRITE_BUF_SIZE (1 << 20)

static void
written_clear (gpointer data)
{
  g_free (((Written *) data)->file_name);
}

SaNpzWriter *
sa_npz_writer_new (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (SaNpzWriter) w = g_new0 (SaNpzWriter, 1);
  int saved;

  w->fd = -1;
  w->path = g_strdup (path);
  w->tmp_path = g_strdup_printf ("%s.tmp-XXXXXX", path);
  w->fd = g_mkstemp_full (w->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (w->fd < 0)
    {
      saved = errno;
      g_clear_pointer (&w->tmp_path, g_free);
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the file: %s"), path,
                   g_strerror (saved));
      return NULL;
    }
  w->entries = g_array_new (FALSE, TRUE, sizeof (Written));
  g_array_set_clear_func (w->entries, written_clear);
  w->buf = g_malloc (WRITE_BUF_SIZE);
  return g_steal_pointer (&w);
}

void
sa_npz_writer_free (SaNpzWriter *w)
{
  if (w == NULL)
    return;
  if (w->fd >= 0)
    close (w->fd);
  if (w->tmp_path)
    g_unlink (w->tmp_path);
  g_clear_pointer (&w->entries, g_array_unref);
  g_free (w->buf);
  g_free (w->tmp_path);
  g_free (w->path);
  g_free (w);
}

static gboolean
io_error (SaNpzWriter *w, int err, GError **error)
{
  w->failed = TRUE;
  g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot write: %s"), w->path, g_strerror (err));
  return FALSE;
}

static gboolean
flush_buf (SaNpzWriter *w, GError **error)
{
  gsize done = 0;

  while (done < w->buf_len)
    {
      gssize n = write (w->fd, w->buf + done, w->buf_len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return io_error (w, n < 0 ? errno : ENOSPC, error);
      done += n;
    }
  w->buf_len = 0;
  return TRUE;
}

static gboolean
put (SaNpzWriter *w, const void *data, gsize len, GError **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gsize n = MIN (len, WRITE_BUF_SIZE - w->buf_len);
      memcpy (w->buf + w->buf_len, p, n);
      w->buf_len += n;
      w->offset += n;
      p += n;
      len -= n;
      if (w->buf_len == WRITE_BUF_SIZE && !flush_buf (w, error))
        return FALSE;
    }
  return TRUE;
}

static inline void
wr16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static inline void
wr32 (guint8 *p, guint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

static inline void
wr64 (guint8 *p, guint64 v)
{
  wr32 (p, (guint32) v);
  wr32 (p + 4, (guint32) (v >> 32));
}

/* DOS date 1980-01-01 00:00: the output does not depend on the clock. */
#define DOS_TIME 0
#define DOS_DATE ((0 << 9) | (1 << 5) | 1)

typedef gboolean (*PayloadFunc) (SaNpzWriter *w, gconstpointer user_data, guint32 *crc,
                                 GError **error);

static gboolean
add_member (SaNpzWriter *w, const char *name, GByteArray *npy_header, guint64 payload_size,
            PayloadFunc payload, gconstpointer user_data, GError **error)
{
  Written e = { 0 };
  g_autofree char *file_name = g_strconcat (name, ".npy", NULL);
  gsize name_len = strlen (file_name);
  guint8 local[30];
  guint8 extra[4 + 16 + 4 + 64];
  gsize extra_len = 0;
  gboolean zip64;
  guint32 crc;
  guint8 crc_bytes[4];

  if (w->failed)
    return FALSE;
  e.offset = w->offset;
  e.size = npy_header->len + payload_size;
  zip64 = e.size >= ZIP_MAX32;
  if (zip64)
    {
      wr16 (extra, 0x0001);
      wr16 (extra + 2, 16);
      wr64 (extra + 4, e.size);
      wr64 (extra + 12, e.size);
      extra_len = 20;
    }
  /* Pad with a private extra field so that the member data starts at a multiple of 64. */
  {
    guint64 data_start = e.offset + 30 + name_len + extra_len + 4;
    gsize pad = (64 - data_start % 64) % 64;
    wr16 (extra + extra_len, 0x5341); /* "SA": alignment padding */
    wr16 (extra + extra_len + 2, (guint16) pad);
    memset (extra + extra_len + 4, 0, pad);
    extra_len += 4 + pad;
  }

  wr32 (local, SIG_LOCAL);
  wr16 (local + 4, zip64 ? 45 : 20);
  wr16 (local + 6, 0);
  wr16 (local + 8, 0); /* stored */
  wr16 (local + 10, DOS_TIME);
  wr16 (local + 12, DOS_DATE);
  wr32 (local + 14, 0); /* CRC, patched below */
  wr32 (local + 18, zip64 ? ZIP_MAX32 : (guint32) e.size);
  wr32 (local + 22, zip64 ? ZIP_MAX32 : (guint32) e.size);
  wr16 (local + 26, (guint16) name_len);
  wr16 (local + 28, (guint16) extra_len);
  if (!put (w, local, sizeof local, error) || !put (w, file_name, name_len, error)
      || !put (w, extra, extra_len, error))
    return FALSE;
  g_assert (w->offset % 64 == 0);
  crc = crc32_z (0, npy_header->data, npy_header->len);
  if (!put (w, npy_header->data, npy_header->len, error) || !payload (w, user_data, &crc, error))
    return FALSE;
  if (!flush_buf (w, error))
    return FALSE;
  wr32 (crc_bytes, crc);
  if (pwrite (w->fd, crc_bytes, 4, (off_t) e.offset + 14) != 4)
    return io_error (w, errno, error);
  e.crc = crc;
  e.file_name = g_steal_pointer (&file_name);
  g_array_append_val (w->entries, e);
  return TRUE;
}

typedef struct
{
  const float *data;
  const float *const *row_data; /* or one pointer per row */
  gsize rows, cols, stride;
} F32Payload;

static gboolean
write_f32 (SaNpzWriter *w, gconstpointer user_data, guint32 *crc, GError **error)
{
  const F32Payload *p = user_data;
  g_autofree guint32 *row = g_new (guint32, MAX (p->cols, 1));

  for (gsize i = 0; i < p->rows; i++)
    {
      memcpy (row, p->row_data ? p->row_data[i] : p->data + i * p->stride,
              p->cols * sizeof (float));
      for (gsize j = 0; j < p->cols; j++)
        row[j] = GUINT32_TO_LE (row[j]);
      *crc = crc32_z (*crc, (const Bytef *) row, p->cols * 4);
      if (!put (w, row, p->cols * 4, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sa_npz_writer_add_f32 (SaNpzWriter *w, const char *name, const float *data, gsize rows, gsize cols,
                       gsize row_stride, gboolean one_d, GError **error)
{
  guint64 shape[2] = { rows, cols };
  g_autoptr (GByteArray) header = NULL;
  F32Payload p = { data, NULL, rows, cols, row_stride ? row_stride : cols };

  if (one_d)
    {
      shape[0] = rows * cols;
      p.rows = 1;
      p.cols = rows * cols;
      p.stride = p.cols;
    }
  header = sa_npy_header_build (SA_DTYPE_F32, one_d ? 1 : 2, shape);
  return add_member (w, name, header, (guint64) rows * cols * 4, write_f32, &p, error);
}

gboolean
sa_npz_writer_add_f32_rows (SaNpzWriter *w, const char *name, const float *const *row_data,
                            gsize rows, gsize cols, GError **error)
{
  guint64 shape[2] = { rows, cols };
  g_autoptr (GByteArray) header = sa_npy_header_build (SA_DTYPE_F32, 2, shape);
  F32Payload p = { NULL, row_data, rows, cols, cols };

  return add_member (w, name, header, (guint64) rows * cols * 4, write_f32, &p, error);
}

typedef struct
{
  const gint64 *data;
  gsize n;
} I64Payload;

static gboolean
write_i64 (SaNpzWriter *w, gconstpointer user_data, guint32 *crc, GError **error)
{
  const I64Payload *p = user_data;

  for (gsize i = 0; i < p->n; i++)
    {
      guint64 v = GUINT64_TO_LE ((guint64) p->data[i]);
      *crc = crc32_z (*crc, (const Bytef *) &v, 8);
      if (!put (w, &v, 8, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sa_npz_writer_add_i64 (SaNpzWriter *w, const char *name, const gint64 *data, gsize n,
                       GError **error)
{
  guint64 shape[1] = { n };
  g_autoptr (GByteArray) header = sa_npy_header_build (SA_DTYPE_I64, 1, shape);
  I64Payload p = { data, n };

  return add_member (w, name, header, (guint64) n * 8, write_i64, &p, error);
}

gboolean
sa_npz_writer_commit (SaNpzWriter *w, GError **error)
{
  guint64 cd_start = w->offset, cd_size;
  gboolean zip64_end;
  guint8 rec[56];

  if (w->failed)
    return FALSE;
  for (guint i = 0; i < w->entries->len; i++)
    {
      const Written *e = &g_array_index (w->entries, Written, i);
      gboolean big = e->size >= ZIP_MAX32, far = e->offset >= ZIP_MAX32;
      guint8 c[46], x[4 + 24];
      gsize xl = 0;
      gsize nl = strlen (e->file_name);

      if (big || far)
        {
          wr16 (x, 0x0001);
          xl = 4;
          if (big)
            {
              wr64 (x + xl, e->size), xl += 8;
              wr64 (x + xl, e->size), xl += 8;
            }
          if (far)
            wr64 (x + xl, e->offset), xl += 8;
          wr16 (x + 2, (guint16) (xl - 4));
        }
      wr32 (c, SIG_CENTRAL);
      wr16 (c + 4, (3 << 8) | 45); /* made by Unix, spec 4.5 */
      wr16 (c + 6, (big || far) ? 45 : 20);
      wr16 (c + 8, 0);
      wr16 (c + 10, 0);
      wr16 (c + 12, DOS_TIME);
      wr16 (c + 14, DOS_DATE);
      wr32 (c + 16, e->crc);
      wr32 (c + 20, big ? ZIP_MAX32 : (guint32) e->size);
      wr32 (c + 24, big ? ZIP_MAX32 : (guint32) e->size);
      wr16 (c + 28, (guint16) nl);
      wr16 (c + 30, (guint16) xl);
      wr16 (c + 32, 0);
      wr16 (c + 34, 0);
      wr16 (c + 36, 0);
      wr32 (c + 38, (guint32) 0100644 << 16);
      wr32 (c + 42, far ? ZIP_MAX32 : (guint32) e->offset);
      if (!put (w, c, sizeof c, error) || !put (w, e->file_name, nl, error)
          || !put (w, x, xl, error))
        return FALSE;
    }
  cd_size = w->offset - cd_start;
  zip64_end = w->entries->len >= ZIP_MAX16 || cd_start >= ZIP_MAX32 || cd_size >= ZIP_MAX32;
  if (zip64_end)
    {
      guint64 rec_offset = w->offset;
      wr32 (rec, SIG_EOCD64);
      wr64 (rec + 4, 44);
      wr16 (rec + 12, 45);
      wr16 (rec + 14, 45);
      wr32 (rec + 16, 0);
      wr32 (rec + 20, 0);
      wr64 (rec + 24, w->entries->len);
      wr64 (rec + 32, w->entries->len);
      wr64 (rec + 40, cd_size);
      wr64 (rec + 48, cd_start);
      if (!put (w, rec, 56, error))
        return FALSE;
      wr32 (rec, SIG_LOCATOR);
      wr32 (rec + 4, 0);
      wr64 (rec + 8, rec_offset);
      wr32 (rec + 16, 1);
      if (!put (w, rec, 20, error))
        return FALSE;
    }
  wr32 (rec, SIG_EOCD);
  wr16 (rec + 4, 0);
  wr16 (rec + 6, 0);
  wr16 (rec + 8, zip64_end ? ZIP_MAX16 : w->entries->len);
  wr16 (rec + 10, zip64_end ? ZIP_MAX16 : w->entries->len);
  wr32 (rec + 12, zip64_end ? ZIP_MAX32 : (guint32) cd_size);
  wr32 (rec + 16, zip64_end ? ZIP_MAX32 : (guint32) cd_start);
  wr16 (rec + 20, 0);
  if (!put (w, rec, 22, error) || !flush_buf (w, error))
    return FALSE;
  if (fsync (w->fd) != 0)
    return io_error (w, errno, error);
  if (close (w->fd) != 0)
    {
      w->fd = -1;
      return io_error (w, errno, error);
    }
  w->fd = -1;
  if (g_rename (w->tmp_path, w->path) != 0)
    return io_error (w, errno, error);
  g_clear_pointer (&w->tmp_path, g_free);
  return TRUE;
}
