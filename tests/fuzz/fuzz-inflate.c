/* fuzz-inflate.c: one deflate stream inflated in parts (sa-inflate.c) from hostile bytes
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the size the output must have (4 bytes, little-endian), its CRC-32 (4 bytes), the
 * number of parts (1 byte, 2 to 5), then the raw deflate stream.  Whatever the bytes, the
 * split may only succeed with output whose size and CRC are the ones given, and when it does,
 * zlib must inflate the stream to the same bytes.
 */
#include <fcntl.h>
#include <string.h>
#include <zlib.h>

#include "fuzz-common.h"
#include "sa-inflate.h"

#define MAX_OUT (8u << 20)

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path;
  guint32 out_len, crc;
  guint n_parts;
  guint8 *out, *check;
  int fd;

  if (size < 9)
    return 0;
  out_len = data[0] | (data[1] << 8) | (data[2] << 16) | ((guint32) data[3] << 24);
  crc = data[4] | (data[5] << 8) | (data[6] << 16) | ((guint32) data[7] << 24);
  n_parts = 2 + data[8] % 4;
  if (out_len > MAX_OUT)
    return 0;
  path = fuzz_write_temp (".deflate", data + 9, size - 9);
  fd = open (path, O_RDONLY);
  g_assert (fd >= 0);
  out = g_malloc (out_len + 1);
  if (sa_inflate_split (fd, 0, size - 9, out, out_len, crc, n_parts, NULL))
    {
      z_stream z = { 0 };
      check = g_malloc (out_len + 1);
      g_assert (inflateInit2 (&z, -15) == Z_OK);
      z.next_in = (Bytef *) data + 9;
      z.avail_in = (uInt) (size - 9);
      z.next_out = check;
      z.avail_out = out_len + 1;
      g_assert (inflate (&z, Z_FINISH) == Z_STREAM_END);
      g_assert (z.total_out == out_len && memcmp (out, check, out_len) == 0);
      inflateEnd (&z);
      g_free (check);
    }
  g_free (out);
  close (fd);
  return 0;
}
