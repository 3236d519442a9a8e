/* sa-inflate.c: one raw deflate stream inflated on several threads
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See sa-inflate.h for the idea.  The parts, in the stream's bits:
 *
 *   part 0: [0, p1)          inflated by libdeflate, told to stop at p1
 *   part k: [pk, qk)         the stretch: decoded by zlib three times with stand-in histories
 *           [qk, pk+1)       inflated by libdeflate after a block that holds the 32 KiB of
 *                            output before qk (known: the stretch's last 32 KiB are literal)
 *
 * libdeflate only inflates a whole stream from its start, so each part is handed one: a
 * fixed-Huffman block that writes the known history and ends exactly at qk's bit within its
 * byte (a few filler literals of 9 bits adjust the length), the part's own bytes unchanged,
 * and in place of the next part's first block a stored block of random bytes and an empty final
 * block (where the stream must be seen to end).
 */
#include "config.h"

#include <libdeflate.h>
#include <string.h>
#include <zlib.h>

#include "sa-error.h"
#include "sa-file.h"
#include "sa-inflate.h"

#define WINDOW 32768
/* compressed bytes read around each split point; block starts are looked for in the first half */
#define SPAN ((gsize) 2 << 20)
/* the longest stretch decoded with unknown history before giving up on a split */
#define STRETCH_MAX ((gsize) 1 << 20)
/* output after which a block still copying from the unknown history for a quarter of its bytes
 * ends the attempt */
#define STUCK_AFTER ((gsize) 96 << 10)
/* candidate block starts tried with zlib per split point */
#define MAX_CANDIDATES 64
/* room before a part's own bytes for the block that writes its history: 3 + 9 x (32768 + 7)
 * + 7 bits */
#define HEAD 36880
/* random bytes a part's stream ends with (see end_stream_at), and the room that takes after the
 * byte where the next part starts: two bytes of stored block header, LEN and NLEN, the bytes, and
 * an empty final block */
#define MARKER      16
#define MARKER_ROOM (2 + 4 + MARKER + 2)

typedef enum
{
  STRETCH_OK,
  STRETCH_BAD,   /* not a block start, or damaged */
  STRETCH_STUCK, /* the history never clears: give up on splitting this stream */
} StretchResult;

typedef struct _Part Part;

/* What the parts' threads share: a part waits for the next one's start before it ends its
 * stream, and any failure stops them all. */
typedef struct
{
  GMutex lock;
  GCond changed;
  gboolean failed;
} Shared;

struct _Part
{
  Shared *shared;
  Part *next; /* NULL for the last part */
  int fd;
  guint64 offset; /* of the stream in the file */
  gsize in_len;
  gsize at;       /* the byte near which the part starts (0 for the first) */
  gsize next_at;  /* the next part's, or in_len */
  gboolean found; /* p and the stretch are known (under shared->lock) */
  guint64 p;      /* the bit where the part starts */
  guint64 start;  /* the bit where libdeflate starts: p for the first part, q for the others */
  /* the stretch [p, q), decoded with the three stand-in histories */
  guint8 *stretch[3];
  gsize n_stretch;
  guint8 *out; /* where libdeflate writes */
  gsize out_avail;
  gsize rest_at; /* where the part's own bytes start in out (after filler and history) */
  gsize n_rest;
  guint32 crc_rest;
  gboolean ok;
};

/* At least 57 bits of @in from bit @bit on; bytes past @len read as zero. */
static inline guint64
bits_at (const guint8 *in, gsize len, guint64 bit)
{
  gsize byte = bit >> 3;
  guint64 v = 0;

  if (byte + 8 <= len)
    {
      memcpy (&v, in + byte, 8);
      v = GUINT64_FROM_LE (v);
    }
  else
    for (guint i = 0; i < 8 && byte + i < len; i++)
      v |= (guint64) in[byte + i] << (8 * i);
  return v >> (bit & 7);
}

/* Whether code lengths @lens[0..n) make a code zlib accepts: not over-subscribed, and
 * complete unless it has at most one code (of length 1). */
static gboolean
code_ok (const guint8 *lens, guint n)
{
  guint count[16] = { 0 };
  guint max = 0;
  gint64 left = 1;

  for (guint i = 0; i < n; i++)
    {
      count[lens[i]]++;
      max = MAX (max, lens[i]);
    }
  for (guint l = 1; l < 16; l++)
    {
      left = left * 2 - count[l];
      if (left < 0)
        return FALSE;
    }
  return left == 0 || max <= 1;
}

static guint
reverse_bits (guint code, guint len)
{
  guint r = 0;
  for (guint i = 0; i < len; i++)
    r |= ((code >> i) & 1) << (len - 1 - i);
  return r;
}

/* Whether a non-final dynamic block's header starts at @bit: field ranges, and the three
 * codes it describes complete (the end-of-block code present).  A filter only: zlib decides. */
static gboolean
dynamic_header_ok (const guint8 *in, gsize len, guint64 bit)
{
  static const guint8 order[19]
      = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
  guint64 v = bits_at (in, len, bit);
  guint8 pre[19] = { 0 };
  guint16 table[128];
  guint8 lens[320];
  guint hlit, hdist, hclen, n, i;
  guint next[8] = { 0 }, count[8] = { 0 }, code = 0;

  if ((v & 7) != 4) /* BFINAL 0, BTYPE 2 */
    return FALSE;
  hlit = ((v >> 3) & 31) + 257;
  hdist = ((v >> 8) & 31) + 1;
  hclen = ((v >> 13) & 15) + 4;
  if (hlit > 286 || hdist > 30)
    return FALSE;
  bit += 17;
  v = bits_at (in, len, bit);
  for (i = 0; i < hclen; i++)
    pre[order[i]] = (v >> (3 * i)) & 7;
  bit += 3 * hclen;
  for (i = 0; i < 19; i++)
    count[pre[i]]++;
  count[0] = 0;
  {
    gint left = 1;
    for (guint l = 1; l < 8; l++)
      {
        left = left * 2 - (gint) count[l];
        if (left < 0)
          return FALSE;
      }
    if (left != 0)
      return FALSE;
  }
  /* the precode's table: the next 7 bits (first bit lowest) -> symbol | length << 8 */
  for (guint l = 1; l < 8; l++)
    {
      code = (code + count[l - 1]) << 1;
      next[l] = code;
    }
  for (i = 0; i < 19; i++)
    if (pre[i] > 0)
      {
        guint l = pre[i];
        guint r = reverse_bits (next[l]++, l);
        for (guint f = r; f < 128; f += 1u << l)
          table[f] = (guint16) (i | (l << 8));
      }
  n = hlit + hdist;
  for (i = 0; i < n;)
    {
      guint e, sym, rep;
      guint8 val = 0;

      v = bits_at (in, len, bit);
      e = table[v & 127];
      sym = e & 0xff;
      bit += e >> 8;
      v >>= e >> 8;
      if (sym < 16)
        {
          lens[i++] = (guint8) sym;
          continue;
        }
      if (sym == 16)
        {
          if (i == 0)
            return FALSE;
          val = lens[i - 1];
          rep = 3 + (v & 3);
          bit += 2;
        }
      else if (sym == 17)
        {
          rep = 3 + (v & 7);
          bit += 3;
        }
      else
        {
          rep = 11 + (v & 127);
          bit += 7;
        }
      if (i + rep > n)
        return FALSE;
      memset (lens + i, val, rep);
      i += rep;
    }
  return lens[256] != 0 && code_ok (lens, hlit) && code_ok (lens + hlit, hdist);
}

/* Decodes from the block start @bit of @in (@len bytes) with zlib, three times: with the
 * history byte j standing in as j & 0xff, as j >> 8, and as ~j & 0xff.  A byte that copies
 * history differs between the first and the third; a literal does not.  Stops at the first
 * block end after which the last 32 KiB are all literal: *q is that bit. */
static StretchResult
decode_stretch (const guint8 *in, gsize len, guint64 bit, guint8 *const o[3], gsize *n_out,
                guint64 *q)
{
  z_stream z[3];
  g_autofree guint8 *dict = g_malloc (WINDOW);
  gsize byte = bit >> 3, done = 0, clean_from = 0;
  guint r = bit & 7;
  guint n_init = 0;
  StretchResult result = STRETCH_BAD;

  memset (z, 0, sizeof z);
  for (guint k = 0; k < 3; k++)
    {
      if (inflateInit2 (&z[k], -15) != Z_OK)
        goto out;
      n_init++;
      for (guint j = 0; j < WINDOW; j++)
        dict[j] = (guint8) (k == 0 ? j : k == 1 ? j >> 8 : ~j);
      if (inflateSetDictionary (&z[k], dict, WINDOW) != Z_OK)
        goto out;
      if (r != 0 && inflatePrime (&z[k], (int) (8 - r), in[byte] >> r) != Z_OK)
        goto out;
      z[k].next_in = (Bytef *) in + byte + (r != 0);
      z[k].avail_in = (uInt) (len - byte - (r != 0));
      z[k].next_out = o[k];
      z[k].avail_out = (uInt) STRETCH_MAX;
    }
  for (;;)
    {
      for (guint k = 0; k < 3; k++)
        {
          int rc;
          do
            rc = inflate (&z[k], Z_BLOCK);
          while (rc == Z_OK && !(z[k].data_type & 128) && z[k].avail_in > 0 && z[k].avail_out > 0);
          if (rc != Z_OK || !(z[k].data_type & 128))
            {
              if (rc == Z_OK && z[k].avail_out == 0)
                result = STRETCH_STUCK;
              goto out;
            }
        }
      if (z[1].total_out != z[0].total_out || z[2].total_out != z[0].total_out
          || z[1].avail_in != z[0].avail_in || z[2].avail_in != z[0].avail_in)
        goto out;
      {
        gsize n_copied = 0;
        for (gsize i = done; i < z[0].total_out; i++)
          if (o[0][i] != o[2][i])
            {
              clean_from = i + 1;
              n_copied++;
            }
        /* Data whose matches chain on and on (floats rounded from float32 keep about 60 % of
         * their bytes tied to the unknown history however far one decodes) never clears */
        if (z[0].total_out >= STUCK_AFTER && n_copied * 4 > z[0].total_out - done)
          {
            result = STRETCH_STUCK;
            goto out;
          }
      }
      done = z[0].total_out;
      if (done >= WINDOW && done - clean_from >= WINDOW)
        {
          *n_out = done;
          *q = (guint64) (z[0].next_in - in) * 8 - (guint64) (z[0].data_type & 7);
          result = STRETCH_OK;
          goto out;
        }
    }
out:
  for (guint k = 0; k < n_init; k++)
    inflateEnd (&z[k]);
  return result;
}

/* Finds, in the first half of @in (read from the stream's byte @at), a block start whose
 * stretch clears, and decodes that stretch into @part. */
static gboolean
find_start (const guint8 *in, gsize len, guint64 at, Part *part)
{
  guint64 limit = (guint64) len * 8 / 2;
  guint tried = 0;

  for (guint64 b = 0; b < limit; b++)
    {
      guint64 q = 0;
      StretchResult r;

      if (!dynamic_header_ok (in, len, b))
        continue;
      r = decode_stretch (in, len, b, part->stretch, &part->n_stretch, &q);
      if (r == STRETCH_OK)
        {
          part->p = at * 8 + b;
          part->start = at * 8 + q;
          return TRUE;
        }
      if (r == STRETCH_STUCK || ++tried >= MAX_CANDIDATES)
        return FALSE;
    }
  return FALSE;
}

/* Ends the stream at @bit of @buf: a non-final stored block of the MARKER random bytes @marker,
 * then an empty final fixed-Huffman block.  A part's stream must end exactly there, with @marker
 * last in its output: a final block of the stream's own that runs on over @bit (the stream ends
 * there, or soon after) could take a block written there for codes of its own, but cannot know
 * @marker.  Writes up to MARKER_ROOM bytes from bit / 8 on; returns the offset in @buf of the
 * stream's end. */
static gsize
end_stream_at (guint8 *buf, guint64 bit, const guint8 *marker)
{
  gsize b = bit >> 3;
  guint r = bit & 7;

  buf[b] &= (guint8) ((1u << r) - 1); /* BFINAL 0, BTYPE 0, then zeros up to a byte's end */
  if (r > 5)
    buf[++b] = 0;
  b++;
  buf[b++] = MARKER; /* LEN, NLEN */
  buf[b++] = 0;
  buf[b++] = (guint8) ~MARKER;
  buf[b++] = 0xff;
  memcpy (buf + b, marker, MARKER);
  b += MARKER;
  buf[b++] = 3; /* BFINAL 1, BTYPE 1, end-of-block (seven zero bits) */
  buf[b++] = 0;
  return b;
}

typedef struct
{
  guint8 *p;
  guint64 acc;
  guint n;
} BitWriter;

static inline void
put_bits (BitWriter *w, guint value, guint len)
{
  w->acc |= (guint64) value << w->n;
  w->n += len;
  while (w->n >= 8)
    {
      *w->p++ = (guint8) w->acc;
      w->acc >>= 8;
      w->n -= 8;
    }
}

/* Fixed-Huffman literal codes, bit-reversed for the stream, and their lengths. */
static inline guint
literal_length (guint8 c)
{
  return c < 144 ? 8 : 9;
}

static inline guint
literal_code (guint8 c)
{
  return c < 144 ? reverse_bits (0x30 + c, 8) : reverse_bits (0x190 + c - 144, 9);
}

/* Writes a non-final fixed-Huffman block of filler literals and then @history (32 KiB) so that
 * it ends exactly at bit @r of @end[0] (whose higher bits are kept).  Returns its first byte;
 * *filler gets the number of filler bytes it writes before the history. */
static guint8 *
write_history_block (guint8 *end, guint r, const guint8 *history, gsize *filler)
{
  static guint codes[256];
  static gsize codes_ready;
  guint64 n_bits = 3 + 7;
  guint pad;
  BitWriter w;

  if (g_once_init_enter (&codes_ready))
    {
      for (guint c = 0; c < 256; c++)
        codes[c] = literal_code ((guint8) c);
      g_once_init_leave (&codes_ready, 1);
    }
  for (guint i = 0; i < WINDOW; i++)
    n_bits += literal_length (history[i]);
  pad = (guint) ((r + 8 - n_bits % 8) % 8); /* filler literals of 9 bits, one bit each mod 8 */
  n_bits += 9 * pad;
  g_assert ((n_bits - r) % 8 == 0 && (n_bits - r) / 8 <= HEAD);
  w.p = end - (n_bits - r) / 8;
  w.acc = 0;
  w.n = 0;
  {
    guint8 *begin = w.p;
    put_bits (&w, 2, 3); /* BFINAL 0, BTYPE 1 */
    for (guint i = 0; i < pad; i++)
      put_bits (&w, codes[0xff], 9);
    for (guint i = 0; i < WINDOW; i++)
      put_bits (&w, codes[history[i]], literal_length (history[i]));
    put_bits (&w, 0, 7); /* end of block */
    g_assert (w.p == end && w.n == r);
    end[0] = (guint8) ((end[0] & ~((1u << r) - 1)) | (w.acc & ((1u << r) - 1)));
    *filler = pad;
    return begin;
  }
}

static guint max_parts;

void
sa_inflate_set_max_parts (guint n)
{
  g_atomic_int_set (&max_parts, n);
}

/* Says that @t's start is known (or that it cannot be), and wakes the part before. */
static void
publish (Part *t, gboolean found)
{
  g_mutex_lock (&t->shared->lock);
  t->found = found;
  if (!found)
    t->shared->failed = TRUE;
  g_cond_broadcast (&t->shared->changed);
  g_mutex_unlock (&t->shared->lock);
}

/* The bit where the next part starts (0 when some part failed). */
static guint64
wait_for_next (Part *t)
{
  guint64 p = 0;

  g_mutex_lock (&t->shared->lock);
  while (!t->next->found && !t->shared->failed)
    g_cond_wait (&t->shared->changed, &t->shared->lock);
  if (!t->shared->failed)
    p = t->next->p;
  g_mutex_unlock (&t->shared->lock);
  return p;
}

static gboolean
read_at (const Part *t, gsize from, gsize to, guint8 *dst)
{
  return to <= from || sa_file_read_at (t->fd, "", t->offset + from, dst, to - from, NULL);
}

/* One part, on its own thread: its compressed bytes are read into buf from byte t->at on,
 * after HEAD bytes of room for the history block (none for the first part).  A later part
 * first finds its start and decodes its stretch; every part but the last then waits for the
 * next one's start, where its stream is made to end. */
static gpointer
run_part (gpointer data)
{
  Part *t = data;
  gboolean first = t->at == 0;
  gsize head = first ? 0 : HEAD;
  gsize span = first ? 0 : MIN (SPAN, t->in_len - t->at);
  /* the next part's start is in the first half of its span */
  gsize extent = t->next ? t->next_at + SPAN / 2 + 1 - t->at : t->in_len - t->at;
  /* parts forced smaller than SPAN / 2 read a span longer than their extent */
  g_autofree guint8 *buf = sa_try_malloc_large (head + MAX (extent, span) + MARKER_ROOM);
  guint8 *data0 = buf + head; /* the byte t->at */
  struct libdeflate_decompressor *d = NULL;
  guint8 *begin, *end;
  gsize got = 0, used_in = 0, filler = 0;
  guint8 marker[MARKER];

  if (!first)
    {
      gboolean found = buf != NULL && read_at (t, t->at, t->at + span, data0);
      for (guint i = 0; found && i < 3; i++)
        found = (t->stretch[i] = g_try_malloc (STRETCH_MAX)) != NULL;
      publish (t, found && find_start (data0, span, t->at, t));
      if (!t->found)
        return NULL;
    }
  /* the first part reads its bytes once the next part has found its start: when no start is
   * found (history that never clears is told within ~100 KB) nothing was read in vain */
  if (first && t->next != NULL && wait_for_next (t) == 0)
    return NULL;
  if (buf == NULL || !read_at (t, t->at + span, t->next ? t->next_at : t->in_len, data0 + span))
    goto fail;
  if (t->next == NULL)
    end = data0 + extent;
  else
    {
      guint64 stop = wait_for_next (t);
      gsize stop_byte = (gsize) (stop >> 3);
      if (stop == 0 || stop <= t->start + 8 * WINDOW || stop_byte + 1 > t->at + extent)
        goto fail;
      if (!read_at (t, MAX (t->at + span, t->next_at), stop_byte + 1,
                    data0 + MAX (span, t->next_at - t->at)))
        goto fail;
      stop -= (guint64) t->at * 8;
      for (guint i = 0; i < MARKER; i += 4)
        {
          guint32 x = g_random_int ();
          memcpy (marker + i, &x, 4);
        }
      end = data0 + end_stream_at (data0, stop, marker);
    }
  if (first)
    begin = data0;
  else
    begin = write_history_block (data0 + (t->start / 8 - t->at), t->start & 7,
                                 t->stretch[0] + t->n_stretch - WINDOW, &filler);
  d = libdeflate_alloc_decompressor ();
  if (d == NULL
      || libdeflate_deflate_decompress_ex (d, begin, (gsize) (end - begin), t->out, t->out_avail,
                                           &used_in, &got)
             != LIBDEFLATE_SUCCESS
      /* the stream ended at the blocks written there, not at a final block of its own before
       * (a stream followed by more data) or running on over them */
      || (t->next != NULL
          && (begin + used_in != end || got < MARKER
              || memcmp (t->out + got - MARKER, marker, MARKER) != 0)))
    goto fail;
  if (t->next != NULL)
    got -= MARKER;
  t->rest_at = first ? 0 : filler + WINDOW;
  if (got < t->rest_at
      || (!first && memcmp (t->out + filler, t->stretch[0] + t->n_stretch - WINDOW, WINDOW) != 0))
    goto fail;
  t->n_rest = got - t->rest_at;
  t->crc_rest = libdeflate_crc32 (0, t->out + t->rest_at, t->n_rest);
  t->ok = TRUE;
  libdeflate_free_decompressor (d);
  return NULL;
fail:
  if (d != NULL)
    libdeflate_free_decompressor (d);
  g_mutex_lock (&t->shared->lock);
  t->shared->failed = TRUE;
  g_cond_broadcast (&t->shared->changed);
  g_mutex_unlock (&t->shared->lock);
  return NULL;
}

typedef struct
{
  guint8 *dst;
  const guint8 *src;
  gsize len;
} Copy;

static gpointer
run_copy (gpointer data)
{
  Copy *c = data;
  memcpy (c->dst, c->src, c->len);
  return NULL;
}

/* memcpy on two threads (a part's bytes moved into place are tens of megabytes). */
static void
copy_on_two (guint8 *dst, const guint8 *src, gsize len)
{
  Copy later = { dst + len / 2, src + len / 2, len - len / 2 };
  GThread *thread
      = len >= ((gsize) 4 << 20) ? g_thread_try_new ("sa-inflate", run_copy, &later, NULL) : NULL;

  memcpy (dst, src, thread ? len / 2 : len);
  if (thread)
    g_thread_join (thread);
}

gboolean
sa_inflate_split (int fd, guint64 offset, gsize in_len, guint8 *out, gsize out_len, guint32 crc,
                  guint n_parts, SaInflateStats *stats)
{
  g_autofree Part *parts = NULL;
  g_autofree GThread **threads = NULL;
  Shared shared;
  guint n = n_parts;
  gboolean ok = FALSE;
  gsize off;
  guint32 sum;

  if (stats != NULL)
    *stats = (SaInflateStats){ 1, 0 };
  if (n == 0)
    {
      guint limit = (guint) g_atomic_int_get (&max_parts);
      n = (guint) MIN ((gsize) g_get_num_processors (), in_len / SA_INFLATE_MIN_PART);
      if (limit > 0)
        n = MIN (n, limit);
    }
  n = MIN (n, 64);
  if (n < 2 || out_len < 4 * WINDOW || in_len < (gsize) n * 1024)
    return FALSE;
  parts = g_new0 (Part, n);
  threads = g_new0 (GThread *, n);
  g_mutex_init (&shared.lock);
  g_cond_init (&shared.changed);
  shared.failed = FALSE;
  for (guint k = 0; k < n; k++)
    {
      Part *t = &parts[k];
      t->shared = &shared;
      t->next = k + 1 < n ? &parts[k + 1] : NULL;
      t->fd = fd;
      t->offset = offset;
      t->in_len = in_len;
      t->at = in_len / n * k;
      t->next_at = k + 1 < n ? in_len / n * (k + 1) : in_len;
      t->out_avail = k == 0 ? out_len : out_len + HEAD * 2;
      t->out = k == 0 ? out : sa_try_malloc_large (t->out_avail);
      if (t->out == NULL)
        goto out;
    }
  for (guint k = 1; k < n; k++)
    {
      threads[k] = g_thread_try_new ("sa-inflate", run_part, &parts[k], NULL);
      if (threads[k] == NULL)
        {
          publish (&parts[k], FALSE);
          break;
        }
    }
  run_part (&parts[0]);
  for (guint k = 1; k < n; k++)
    if (threads[k] != NULL)
      g_thread_join (threads[k]);
  for (guint k = 0; k < n; k++)
    if (!parts[k].ok)
      goto out;

  /* in order: fill each stretch in from the bytes before it, and move the part into place */
  off = parts[0].n_rest;
  sum = parts[0].crc_rest;
  for (guint k = 1; k < n; k++)
    {
      Part *t = &parts[k];
      const guint8 *history = out + off - WINDOW;
      guint8 *dst = out + off;

      if (off < WINDOW || t->n_stretch > out_len - off || t->n_rest > out_len - off - t->n_stretch)
        goto out;
      for (gsize i = 0; i < t->n_stretch; i++)
        dst[i] = t->stretch[0][i] == t->stretch[2][i]
                     ? t->stretch[0][i]
                     : history[t->stretch[0][i] | (t->stretch[1][i] << 8)];
      sum = (guint32) crc32_combine (sum, libdeflate_crc32 (0, dst, t->n_stretch),
                                     (z_off_t) t->n_stretch);
      off += t->n_stretch;
      copy_on_two (out + off, t->out + t->rest_at, t->n_rest);
      sum = (guint32) crc32_combine (sum, t->crc_rest, (z_off_t) t->n_rest);
      off += t->n_rest;
      if (stats != NULL)
        stats->prefix_bytes += t->n_stretch;
    }
  ok = off == out_len && sum == crc;
  if (ok && stats != NULL)
    stats->n_parts = n;
out:
  for (guint k = 0; k < n; k++)
    {
      for (guint i = 0; i < 3; i++)
        g_free (parts[k].stretch[i]);
      if (k > 0)
        g_free (parts[k].out);
    }
  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.changed);
  if (!ok && stats != NULL)
    *stats = (SaInflateStats){ 1, 0 };
  return ok;
}
