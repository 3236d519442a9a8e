/* test-inflate.c: one deflate stream inflated on several threads (sa-inflate.c)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streams are made by zlib with the settings Python's zipfile (numpy's savez_compressed) uses:
 * raw deflate, level 6, 32 KiB window, memLevel 8.  Each is written after some bytes of junk
 * to a temporary file and inflated from there, in 2, 3, 4 and 7 parts.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sa-inflate.h"

#define JUNK 4099

typedef struct
{
  guint8 *data;
  gsize len;
  guint8 *z;
  gsize z_len;
  guint32 crc;
} Stream;

static void
stream_free (Stream *s)
{
  g_free (s->data);
  g_free (s->z);
}

static void
compress_into (Stream *s)
{
  z_stream z = { 0 };

  s->crc = (guint32) crc32 (0, s->data, (uInt) s->len);
  g_assert_cmpint (deflateInit2 (&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  s->z = g_malloc (deflateBound (&z, (uLong) s->len));
  z.next_in = s->data;
  z.avail_in = (uInt) s->len;
  z.next_out = s->z;
  z.avail_out = (uInt) deflateBound (&z, (uLong) s->len);
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  s->z_len = z.total_out;
  deflateEnd (&z);
}

typedef enum
{
  DECIMAL, /* doubles as text parsed back (six decimals): what a CSV of features gives */
  ROUNDED, /* doubles rounded through float32 (features computed in float): matches chain on */
} Values;

static void
make_values (Stream *s, Values kind, guint n_values, guint32 seed)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (seed);
  double *v;

  s->len = (gsize) n_values * sizeof (double);
  s->data = g_malloc (s->len);
  v = (double *) s->data;
  for (guint i = 0; i < n_values; i++)
    {
      double x = exp (g_rand_double_range (r, -3, 3));
      v[i] = kind == DECIMAL ? round (x * 1e6) / 1e6 : (float) x;
    }
  compress_into (s);
}

/* Writes the stream after JUNK bytes; returns the descriptor (the file is unlinked). */
static int
to_file (const guint8 *z, gsize len)
{
  g_autofree char *path = NULL;
  g_autofree guint8 *junk = g_malloc (JUNK);
  int fd = g_file_open_tmp ("test-inflate-XXXXXX", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  memset (junk, 0xa5, JUNK);
  g_assert_cmpint (write (fd, junk, JUNK), ==, JUNK);
  g_assert_cmpint (write (fd, z, len), ==, (gssize) len);
  g_unlink (path);
  return fd;
}

static gboolean
inflate_parts (const Stream *s, const guint8 *z, gsize z_len, gsize out_len, guint32 crc,
               guint n_parts, SaInflateStats *stats, gboolean *equal)
{
  g_autofree guint8 *out = g_malloc (out_len + 1);
  int fd = to_file (z, z_len);
  gboolean ok = sa_inflate_split (fd, JUNK, z_len, out, out_len, crc, n_parts, stats);

  close (fd);
  if (equal != NULL)
    *equal = out_len == s->len && memcmp (out, s->data, s->len) == 0;
  return ok;
}

static void
test_split (void)
{
  Stream s = { 0 };
  static const guint parts[] = { 2, 3, 4, 7 };

  make_values (&s, DECIMAL, 3 << 20, 7); /* 24 MiB, about 19 MiB compressed */
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      SaInflateStats stats;
      gboolean equal = FALSE;

      g_assert_true (inflate_parts (&s, s.z, s.z_len, s.len, s.crc, parts[i], &stats, &equal));
      g_assert_true (equal);
      g_assert_cmpuint (stats.n_parts, ==, parts[i]);
      g_assert_cmpuint (stats.prefix_bytes, >=, (parts[i] - 1) * 32768);
      g_test_message ("%u parts: %zu bytes decoded before their history was known", parts[i],
                      stats.prefix_bytes);
    }
  stream_free (&s);
}

/* Too small to split, and data whose history never clears: FALSE, quickly, nothing written
 * that matters (the caller inflates from the start). */
static void
test_not_split (void)
{
  Stream s = { 0 };
  SaInflateStats stats;

  make_values (&s, ROUNDED, 3 << 20, 8);
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len, s.crc, 2, &stats, NULL));
  g_assert_cmpuint (stats.n_parts, ==, 1);
  stream_free (&s);

  make_values (&s, DECIMAL, 2000, 9);
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len, s.crc, 2, &stats, NULL));
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len, s.crc, 0, &stats, NULL));
  stream_free (&s);

  /* all zeros: no dynamic block worth a search */
  s.len = 16 << 20;
  s.data = g_malloc0 (s.len);
  compress_into (&s);
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len, s.crc, 4, &stats, NULL));
  stream_free (&s);
}

/* Damage anywhere, a wrong CRC, size or length: FALSE, never a crash or a false TRUE. */
static void
test_damage (void)
{
  Stream s = { 0 };
  g_autoptr (GRand) r = g_rand_new_with_seed (11);
  g_autofree guint8 *z = NULL;
  guint refused = 0;

  make_values (&s, DECIMAL, 3 << 20, 10);
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len, s.crc ^ 1, 2, NULL, NULL));
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len - 1, s.crc, 2, NULL, NULL));
  g_assert_false (inflate_parts (&s, s.z, s.z_len, s.len + 1, s.crc, 2, NULL, NULL));
  g_assert_false (inflate_parts (&s, s.z, s.z_len - 1000, s.len, s.crc, 2, NULL, NULL));
  g_assert_false (inflate_parts (&s, s.z, s.z_len / 2, s.len, s.crc, 2, NULL, NULL));
  z = g_memdup2 (s.z, s.z_len);
  for (guint round = 0; round < 24; round++)
    {
      /* one flipped bit in each part, near the split points and anywhere */
      gsize at = round < 8    ? s.z_len / 2 + round * 97
                 : round < 16 ? s.z_len / 3 + (round - 8) * 131
                              : (gsize) g_rand_int_range (r, 0, (gint32) s.z_len);
      guint bit = g_rand_int_range (r, 0, 8);
      gboolean equal = FALSE;

      z[at] ^= (guint8) (1u << bit);
      if (!inflate_parts (&s, z, s.z_len, s.len, s.crc, 2 + round % 3, NULL, &equal))
        refused++;
      else
        g_assert_true (equal); /* a flip in bits the decoder never reads changes nothing */
      z[at] ^= (guint8) (1u << bit);
    }
  g_assert_cmpuint (refused, >=, 20);
  stream_free (&s);
}

/* A whole stream followed by more of them (here itself): zlib stops at the first final block,
 * so the split, whose later parts start in the streams after it, must not succeed with the
 * size and CRC of all of them. */
static void
test_stream_then_more (void)
{
  Stream s = { 0 }, all = { 0 };

  make_values (&s, DECIMAL, 200000, 12);
  for (guint copies = 2; copies <= 3; copies++)
    {
      g_autofree guint8 *z = g_malloc (s.z_len * copies);

      all.len = s.len * copies;
      all.data = g_malloc (all.len);
      for (guint i = 0; i < copies; i++)
        {
          memcpy (all.data + s.len * i, s.data, s.len);
          memcpy (z + s.z_len * i, s.z, s.z_len);
        }
      all.crc = (guint32) crc32 (0, all.data, (uInt) all.len);
      g_assert_false (
          inflate_parts (&all, z, s.z_len * copies, all.len, all.crc, copies, NULL, NULL));
      g_free (all.data);
    }
  stream_free (&s);
}

/* Parts smaller than the bytes read around a split point (only when the number of parts is
 * forced): the stream is read into buffers big enough, and up to 64 parts either succeed with
 * the right bytes or refuse. */
static void
test_small_parts (void)
{
  Stream s = { 0 };
  static const guint parts[] = { 4, 8, 16, 64 };

  make_values (&s, DECIMAL, 600000, 13); /* 4.8 MB, about 3.9 MB compressed */
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      SaInflateStats stats;
      gboolean equal = FALSE;

      if (inflate_parts (&s, s.z, s.z_len, s.len, s.crc, parts[i], &stats, &equal))
        {
          g_assert_true (equal);
          g_assert_cmpuint (stats.n_parts, ==, parts[i]);
        }
      else
        g_assert_cmpuint (stats.n_parts, ==, 1);
    }
  stream_free (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inflate/split", test_split);
  g_test_add_func ("/inflate/not-split", test_not_split);
  g_test_add_func ("/inflate/damage", test_damage);
  g_test_add_func ("/inflate/stream-then-more", test_stream_then_more);
  g_test_add_func ("/inflate/small-parts", test_small_parts);
  return g_test_run ();
}
