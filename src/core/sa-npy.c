/* sa-npy.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sa-error.h"
#include "sa-npy.h"

static const guint8 npy_magic[SA_NPY_MAGIC_LEN] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };

gboolean
sa_npy_header_size (const guint8 *prefix, gsize prefix_len, gsize *header_size, const char *where,
                    GError **error)
{
  guint major;
  guint64 len;
  gsize fixed;

  if (prefix_len < 10)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: the .npy header is truncated"),
                   where);
      return FALSE;
    }
  if (memcmp (prefix, npy_magic, SA_NPY_MAGIC_LEN) != 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_BAD_HEADER,
                   _ ("%s: not a .npy array (bad magic string)"), where);
      return FALSE;
    }
  major = prefix[6];
  if (major == 1)
    {
      len = prefix[8] | ((guint) prefix[9] << 8);
      fixed = 10;
    }
  else if (major == 2 || major == 3)
    {
      if (prefix_len < 12)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: the .npy header is truncated"),
                       where);
          return FALSE;
        }
      len = (guint64) prefix[8] | ((guint64) prefix[9] << 8) | ((guint64) prefix[10] << 16)
            | ((guint64) prefix[11] << 24);
      fixed = 12;
    }
  else
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("%s: unsupported .npy format version %u.%u"), where, major, prefix[7]);
      return FALSE;
    }
  /* A header dictionary has no business being larger than this. */
  if (len > 1024 * 1024)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_BAD_HEADER,
                   _ ("%s: the .npy header claims %" PRIu64 " bytes"), where, len);
      return FALSE;
    }
  *header_size = fixed + (gsize) len;
  return TRUE;
}

/* A tiny reader for the Python literal that numpy writes. */
typedef struct
{
  const char *p;
  const char *end;
} Lexer;

static void
lex_skip_space (Lexer *lx)
{
  while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r'))
    lx->p++;
}

static gboolean
lex_char (Lexer *lx, char c)
{
  lex_skip_space (lx);
  if (lx->p < lx->end && *lx->p == c)
    {
      lx->p++;
      return TRUE;
    }
  return FALSE;
}

static char *
lex_string (Lexer *lx)
{
  char quote;
  const char *start;

  lex_skip_space (lx);
  if (lx->p >= lx->end || (*lx->p != '\'' && *lx->p != '"'))
    return NULL;
  quote = *lx->p++;
  start = lx->p;
  while (lx->p < lx->end && *lx->p != quote)
    {
      if (*lx->p == '\\')
        return NULL; /* numpy never escapes in these keys and dtypes */
      lx->p++;
    }
  if (lx->p >= lx->end)
    return NULL;
  lx->p++;
  return g_strndup (start, lx->p - 1 - start);
}

static gboolean
lex_word (Lexer *lx, const char *word)
{
  gsize n = strlen (word);

  lex_skip_space (lx);
  if ((gsize) (lx->end - lx->p) >= n && memcmp (lx->p, word, n) == 0)
    {
      lx->p += n;
      return TRUE;
    }
  return FALSE;
}

static gboolean
lex_uint (Lexer *lx, guint64 *value)
{
  guint64 v = 0;
  gboolean any = FALSE;

  lex_skip_space (lx);
  while (lx->p < lx->end && g_ascii_isdigit (*lx->p))
    {
      guint d = *lx->p - '0';
      if (v > (G_MAXUINT64 - d) / 10)
        return FALSE;
      v = v * 10 + d;
      lx->p++;
      any = TRUE;
    }
  /* Python 2 era files may write long integers as 3L */
  if (any && lx->p < lx->end && *lx->p == 'L')
    lx->p++;
  *value = v;
  return any;
}

static gboolean
parse_descr (const char *descr, SaNpyHeader *h)
{
  char order = descr[0];
  const char *t = descr + 1;

  if (order != '<' && order != '>' && order != '=' && order != '|')
    return FALSE;
  h->big_endian = (order == '>') || (order == '=' && G_BYTE_ORDER == G_BIG_ENDIAN);
  if (g_str_equal (t, "f4"))
    h->dtype = SA_DTYPE_F32, h->item_size = 4;
  else if (g_str_equal (t, "f8"))
    h->dtype = SA_DTYPE_F64, h->item_size = 8;
  else if (g_str_equal (t, "i4"))
    h->dtype = SA_DTYPE_I32, h->item_size = 4;
  else if (g_str_equal (t, "i8"))
    h->dtype = SA_DTYPE_I64, h->item_size = 8;
  else if (g_str_equal (t, "u4"))
    h->dtype = SA_DTYPE_U32, h->item_size = 4;
  else if (g_str_equal (t, "u8"))
    h->dtype = SA_DTYPE_U64, h->item_size = 8;
  else
    return FALSE;
  /* '|' is only meaningful for single-byte types */
  return order != '|';
}

gboolean
sa_npy_header_parse (const guint8 *buf, gsize buf_len, guint64 total_len, const char *where,
                     SaNpyHeader *h, GError **error)
{
  gsize header_size;
  gsize fixed;
  Lexer lx;
  gboolean have_descr = FALSE, have_order = FALSE, have_shape = FALSE;
  g_autofree char *descr = NULL;
  guint64 dims[8];
  guint ndim = 0;

  memset (h, 0, sizeof *h);
  if (!sa_npy_header_size (buf, buf_len, &header_size, where, error))
    return FALSE;
  if (header_size > buf_len || header_size > total_len)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: the .npy header is truncated"),
                   where);
      return FALSE;
    }
  fixed = buf[6] == 1 ? 10 : 12;
  lx.p = (const char *) buf + fixed;
  lx.end = (const char *) buf + header_size;

  if (buf[6] != 3 && !g_utf8_validate (lx.p, lx.end - lx.p, NULL))
    goto bad;
  if (!lex_char (&lx, '{'))
    goto bad;
  while (!lex_char (&lx, '}'))
    {
      g_autofree char *key = lex_string (&lx);

      if (key == NULL || !lex_char (&lx, ':'))
        goto bad;
      if (g_str_equal (key, "descr"))
        {
          g_free (descr);
          descr = lex_string (&lx);
          if (descr == NULL)
            {
              /* structured dtypes are lists */
              g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                           _ ("%s: unsupported dtype (structured arrays are not feature data)"),
                           where);
              return FALSE;
            }
          have_descr = TRUE;
        }
      else if (g_str_equal (key, "fortran_order"))
        {
          if (lex_word (&lx, "True"))
            h->fortran_order = TRUE;
          else if (lex_word (&lx, "False"))
            h->fortran_order = FALSE;
          else
            goto bad;
          have_order = TRUE;
        }
      else if (g_str_equal (key, "shape"))
        {
          if (!lex_char (&lx, '('))
            goto bad;
          while (!lex_char (&lx, ')'))
            {
              if (ndim == G_N_ELEMENTS (dims) || !lex_uint (&lx, &dims[ndim]))
                goto bad;
              ndim++;
              if (!lex_char (&lx, ','))
                {
                  if (!lex_char (&lx, ')'))
                    goto bad;
                  break;
                }
            }
          have_shape = TRUE;
        }
      else
        goto bad;
      if (!lex_char (&lx, ','))
        {
          if (!lex_char (&lx, '}'))
            goto bad;
          break;
        }
    }
  if (!have_descr || !have_order || !have_shape)
    goto bad;

  if (!parse_descr (descr, h))
    {
      g_set_error (
          error, SA_ERROR, SA_ERROR_UNSUPPORTED,
          _ ("%s: unsupported dtype '%s' (expected float32/float64 or 32/64-bit integers)"), where,
          descr);
      return FALSE;
    }
  if (ndim == 0 || ndim > 2)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("%s: unsupported array with %u dimensions (expected 1 or 2)"), where, ndim);
      return FALSE;
    }
  h->ndim = ndim;
  h->shape[0] = dims[0];
  h->shape[1] = ndim == 2 ? dims[1] : 1;
  h->header_size = header_size;
  if (!g_uint64_checked_mul (&h->n_elements, h->shape[0], h->shape[1])
      || !g_uint64_checked_mul (&h->data_size, h->n_elements, h->item_size))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                   _ ("%s: the array shape overflows (%" PRIu64 " x %" PRIu64 ")"), where,
                   h->shape[0], h->shape[1]);
      return FALSE;
    }
  if (h->data_size > total_len - header_size)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                   _ ("%s: the header claims %" PRIu64 " x %" PRIu64 " values (%" PRIu64
                      " bytes) but only %" PRIu64 " bytes follow"),
                   where, h->shape[0], h->shape[1], h->data_size, total_len - header_size);
      return FALSE;
    }
  return TRUE;

bad:
  g_set_error (error, SA_ERROR, SA_ERROR_BAD_HEADER, _ ("%s: malformed .npy header"), where);
  return FALSE;
}

gboolean
sa_dtype_is_float (SaDtype dtype)
{
  return dtype == SA_DTYPE_F32 || dtype == SA_DTYPE_F64;
}

const char *
sa_dtype_to_string (SaDtype dtype, gboolean big_endian)
{
  static const char *names[][2] = {
    { "<f4", ">f4" }, { "<f8", ">f8" }, { "<i4", ">i4" },
    { "<i8", ">i8" }, { "<u4", ">u4" }, { "<u8", ">u8" },
  };
  return names[dtype][big_endian ? 1 : 0];
}

static inline guint32
load32 (const guint8 *p, gboolean big)
{
  guint32 v;
  memcpy (&v, p, 4);
  return big ? GUINT32_FROM_BE (v) : GUINT32_FROM_LE (v);
}

static inline guint64
load64 (const guint8 *p, gboolean big)
{
  guint64 v;
  memcpy (&v, p, 8);
  return big ? GUINT64_FROM_BE (v) : GUINT64_FROM_LE (v);
}

static inline double
load_as_double (const SaNpyHeader *h, const guint8 *p)
{
  union
  {
    guint32 u;
    float f;
  } u32;
  union
  {
    guint64 u;
    double d;
  } u64;

  switch (h->dtype)
    {
      case SA_DTYPE_F32:
        u32.u = load32 (p, h->big_endian);
        return u32.f;
      case SA_DTYPE_F64:
        u64.u = load64 (p, h->big_endian);
        return u64.d;
      case SA_DTYPE_I32:
        return (gint32) load32 (p, h->big_endian);
      case SA_DTYPE_I64:
        return (double) (gint64) load64 (p, h->big_endian);
      case SA_DTYPE_U32:
        return load32 (p, h->big_endian);
      case SA_DTYPE_U64:
        return (double) load64 (p, h->big_endian);
      default:
        g_assert_not_reached ();
    }
}

void
sa_npy_convert_f32 (const SaNpyHeader *h, const void *src, gsize count, float *dst)
{
  const guint8 *p = src;

  if (h->dtype == SA_DTYPE_F32 && !h->big_endian && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      memcpy (dst, src, count * sizeof (float));
      return;
    }
  for (gsize i = 0; i < count; i++, p += h->item_size)
    dst[i] = (float) load_as_double (h, p);
}

void
sa_npy_convert_f64 (const SaNpyHeader *h, const void *src, gsize count, double *dst)
{
  const guint8 *p = src;

  /* native float64 (the tutorial's files on any common machine): a plain copy */
  if (h->dtype == SA_DTYPE_F64 && (h->big_endian != 0) == (G_BYTE_ORDER == G_BIG_ENDIAN))
    {
      memcpy (dst, src, count * sizeof (double));
      return;
    }
  for (gsize i = 0; i < count; i++, p += h->item_size)
    dst[i] = load_as_double (h, p);
}

gboolean
sa_npy_convert_i64 (const SaNpyHeader *h, const void *src, gsize count, gint64 *dst,
                    gsize *bad_index)
{
  const guint8 *p = src;

  for (gsize i = 0; i < count; i++, p += h->item_size)
    {
      switch (h->dtype)
        {
          case SA_DTYPE_I32:
            dst[i] = (gint32) load32 (p, h->big_endian);
            break;
          case SA_DTYPE_I64:
            dst[i] = (gint64) load64 (p, h->big_endian);
            break;
          case SA_DTYPE_U32:
            dst[i] = load32 (p, h->big_endian);
            break;
          case SA_DTYPE_U64:
            {
              guint64 v = load64 (p, h->big_endian);
              if (v > G_MAXINT64)
                goto bad;
              dst[i] = (gint64) v;
            }
            break;
          case SA_DTYPE_F32:
          case SA_DTYPE_F64:
            {
              /* ids saved as floats (e.g. after a pandas round trip) must be integral */
              double d = load_as_double (h, p);
              if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0)
                  || d != (double) (gint64) d)
                goto bad;
              dst[i] = (gint64) d;
            }
            break;
          default:
            g_assert_not_reached ();
        }
      continue;
    bad:
      if (bad_index)
        *bad_index = i;
      return FALSE;
    }
  return TRUE;
}

GByteArray *
sa_npy_header_build (SaDtype dtype, guint ndim, const guint64 *shape)
{
  g_autoptr (GString) dict = g_string_new (NULL);
  GByteArray *out;
  gsize fixed = 10, total;
  guint8 prefix[12];

  g_string_append_printf (dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                          sa_dtype_to_string (dtype, FALSE));
  for (guint i = 0; i < ndim; i++)
    g_string_append_printf (dict, "%" PRIu64 "%s", shape[i],
                            ndim == 1 ? "," : (i + 1 < ndim ? ", " : ""));
  g_string_append (dict, "), }");

  total = fixed + dict->len + 1;
  if (((total + 63) / 64) * 64 - fixed > G_MAXUINT16)
    fixed = 12;
  total = ((fixed + dict->len + 1 + 63) / 64) * 64;
  while (dict->len + 1 < total - fixed)
    g_string_append_c (dict, ' ');
  g_string_append_c (dict, '\n');

  memcpy (prefix, npy_magic, SA_NPY_MAGIC_LEN);
  prefix[6] = fixed == 10 ? 1 : 2;
  prefix[7] = 0;
  if (fixed == 10)
    {
      prefix[8] = dict->len & 0xff;
      prefix[9] = (dict->len >> 8) & 0xff;
    }
  else
    {
      for (guint i = 0; i < 4; i++)
        prefix[8 + i] = (dict->len >> (8 * i)) & 0xff;
    }
  out = g_byte_array_sized_new (total);
  g_byte_array_append (out, prefix, fixed);
  g_byte_array_append (out, (const guint8 *) dict->str, dict->len);
  return out;
}
