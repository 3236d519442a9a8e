/* sa-inflate.h: one raw deflate stream inflated on several threads
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deflate stream is one chain of blocks, and a block may copy from the 32 KiB of output
 * before it, so a stream is normally inflated from its start on one thread.  For large
 * streams this finds block starts near equal fractions of the compressed data, decodes a
 * short stretch after each with the history unknown (three times, with three different
 * stand-in histories, which tells each output byte's origin), until 32 KiB of output in a
 * row no longer depend on it; from there each part is inflated whole with libdeflate on its
 * own thread, and the stretches are filled in from the part before once it is done.  The
 * result is checked against the member's size and CRC-32: anything unexpected (a block start
 * that was not one, data whose history never clears, damage) returns FALSE, and the caller
 * inflates the stream from its start as before.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint n_parts;      /* the parts inflated (1: the stream was not split) */
  gsize prefix_bytes; /* output decoded with unknown history, over all parts */
} SaInflateStats;

/* The fewest compressed bytes a part is given. */
#define SA_INFLATE_MIN_PART ((gsize) 4 << 20)

/* At most @n parts for calls with @n_parts 0; 0 (the default) for no limit beyond the above, 1
 * to inflate on one thread (soundalike-cli bench --inflate-parts compares the two). */
void sa_inflate_set_max_parts (guint n);

/* Inflates the raw deflate stream of @in_len bytes at @offset of @fd into @out, which must
 * receive exactly @out_len bytes with CRC-32 @crc.  @n_parts: 0 for one per processor (at
 * most one per SA_INFLATE_MIN_PART compressed bytes), else that many (tests).  TRUE when @out
 * holds the verified data; FALSE when the stream was not split or the split did not work out
 * (then @out's contents are unspecified). */
gboolean sa_inflate_split (int fd, guint64 offset, gsize in_len, guint8 *out, gsize out_len,
                           guint32 crc, guint n_parts, SaInflateStats *stats);

G_END_DECLS
