/* test-npz.c: .npy headers, .npz reading (every layout numpy writes), writing, errors
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-npz.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "formats", name, NULL);
}

/* A[i, j] = 10 i + j + 0.25 */
static void
check_grid (const char *file, const char *array)
{
  g_autofree char *path = fixture (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaNpz) npz = sa_npz_open (path, &error);
  g_autofree double *v = NULL;
  SaNpyHeader h;

  g_assert_no_error (error);
  v = sa_npz_read_f64 (npz, array, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (h.ndim, ==, 2);
  g_assert_cmpuint (h.shape[0], ==, 5);
  g_assert_cmpuint (h.shape[1], ==, 3);
  for (guint i = 0; i < 5; i++)
    for (guint j = 0; j < 3; j++)
      g_assert_cmpfloat (v[i * 3 + j], ==, 10.0 * i + j + 0.25);
}

static void
test_layouts (void)
{
  check_grid ("f32_c_savez.npz", "a");
  check_grid ("f64_c_compressed.npz", "a");
  check_grid ("f64_fortran_savez.npz", "a");
  check_grid ("f32_fortran_compressed.npz", "a");
  check_grid ("big_endian.npz", "a");
  check_grid ("big_endian.npz", "b");
  check_grid ("npy_v2.npz", "a");
  check_grid ("npy_v3.npz", "a");
}

static void
test_one_d (void)
{
  g_autofree char *path = fixture ("f32_c_savez.npz");
  g_autoptr (SaNpz) npz = sa_npz_open (path, NULL);
  g_autofree double *v = NULL;
  SaNpyHeader h;

  g_assert_nonnull (npz);
  g_assert_cmpuint (sa_npz_get_n_arrays (npz), ==, 2);
  g_assert_true (sa_npz_has_array (npz, "v"));
  v = sa_npz_read_f64 (npz, "v", &h, NULL);
  g_assert_cmpuint (h.ndim, ==, 1);
  g_assert_cmpuint (h.shape[0], ==, 7);
  for (guint j = 0; j < 7; j++)
    g_assert_cmpfloat (v[j], ==, j + 0.25);
}

static void
test_integers (void)
{
  const char *names[] = { "i4", "i8", "u4", "u8" };
  g_autofree char *path = fixture ("integers.npz");
  g_autofree char *be = fixture ("big_endian.npz");
  g_autoptr (SaNpz) npz = sa_npz_open (path, NULL);
  g_autoptr (SaNpz) npz_be = sa_npz_open (be, NULL);
  SaNpyHeader h;

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gint64 *v = sa_npz_read_i64 (npz, names[k], &h, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < 6; i++)
        g_assert_cmpint (v[i], ==, names[k][0] == 'i' ? 3 * (gint64) i - 7 : 3 * (gint64) i + 7);
    }
  for (guint k = 0; k < 2; k++)
    {
      g_autofree gint64 *v = sa_npz_read_i64 (npz_be, k ? "j" : "i", &h, NULL);
      g_assert_true (h.big_endian);
      for (guint i = 0; i < 6; i++)
        g_assert_cmpint (v[i], ==, 3 * (gint64) i - 7);
    }
}

static void
expect_open_error (const char *path, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SaNpz) npz = sa_npz_open (path, &error);

  g_assert_null (npz);
  g_assert_error (error, SA_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
}

static void
expect_read_error (const char *path, const char *array, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SaNpz) npz = sa_npz_open (path, &error);
  g_autofree double *v = NULL;
  SaNpyHeader h;

  g_assert_no_error (error);
  v = sa_npz_read_f64 (npz, array, &h, &error);
  g_assert_null (v);
  g_assert_error (error, SA_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
}

static char *
scratch (const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "scratch-npz", name, NULL);
}

static char *
write_variant (const char *name, const char *source, gssize truncate_at, gssize poke_at,
               guint8 poke_value)
{
  g_autofree char *src = fixture (source);
  char *dst = scratch (name);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  if (truncate_at >= 0)
    len = MIN (len, (gsize) truncate_at);
  if (poke_at >= 0)
    data[poke_at] = poke_value;
  g_assert_true (g_file_set_contents (dst, data, len, NULL));
  return dst;
}

/* offset of the first local header's fields, and of the first member's data */
static gsize
first_data_offset (const char *source)
{
  g_autofree char *src = fixture (source);
  g_autofree guint8 *d = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (src, (char **) &d, &len, NULL));
  return 30 + (d[26] | d[27] << 8) + (d[28] | d[29] << 8);
}

static void
test_errors (void)
{
  g_autofree char *missing = scratch ("does-not-exist.npz");
  g_autofree char *empty = scratch ("empty.npz");
  g_autofree char *text = scratch ("text.npz");
  g_autofree char *f16 = fixture ("float16.npz");
  g_autofree char *three = fixture ("three_d.npz");
  gsize data_at = first_data_offset ("f32_c_savez.npz");

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "rp,ssd\n1,2\n", -1, NULL));
  expect_open_error (missing, SA_ERROR_IO);
  expect_open_error (empty, SA_ERROR_EMPTY);
  expect_open_error (text, SA_ERROR_NOT_ZIP);

  {
    /* cut in the middle of the data: the directory is gone */
    g_autofree char *p = write_variant ("truncated.npz", "f32_c_savez.npz", data_at + 40, -1, 0);
    expect_open_error (p, SA_ERROR_TRUNCATED);
  }
  {
    /* cut inside the local header */
    g_autofree char *p = write_variant ("truncated-header.npz", "f32_c_savez.npz", 20, -1, 0);
    expect_open_error (p, SA_ERROR_TRUNCATED);
  }
  {
    /* a flipped data byte: CRC mismatch */
    g_autofree char *p = write_variant ("crc.npz", "f32_c_savez.npz", -1, data_at + 130, 0x5a);
    expect_read_error (p, "a", SA_ERROR_CORRUPT);
  }
  {
    /* compression method 12 (bzip2) in the local and central headers */
    g_autofree char *src = fixture ("f32_c_savez.npz");
    g_autofree char *p = scratch ("method.npz");
    g_autofree guint8 *d = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (src, (char **) &d, &len, NULL));
    for (gsize i = 0; i + 4 <= len; i++)
      if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 1 && d[i + 3] == 2)
        d[i + 10] = 12;
    d[8] = 12;
    g_assert_true (g_file_set_contents (p, (char *) d, len, NULL));
    expect_read_error (p, "a", SA_ERROR_UNSUPPORTED);
  }
  {
    /* bad magic */
    g_autofree char *p = write_variant ("magic.npz", "f32_c_savez.npz", -1, data_at + 1, 'X');
    expect_read_error (p, "a", SA_ERROR_BAD_HEADER);
  }
  {
    /* a broken header dictionary ('descr' -> 'descX') */
    g_autofree char *p = write_variant ("dict.npz", "f32_c_savez.npz", -1, data_at + 16, 'X');
    expect_read_error (p, "a", SA_ERROR_BAD_HEADER);
  }
  {
    /* deflated data cut short: corrupt or truncated, never a crash */
    g_autofree char *src = fixture ("f64_c_compressed.npz");
    g_autofree char *p = scratch ("deflate.npz");
    g_autofree guint8 *d = NULL;
    gsize len, at = first_data_offset ("f64_c_compressed.npz");
    g_assert_true (g_file_get_contents (src, (char **) &d, &len, NULL));
    for (gsize i = at + 10; i < at + 60; i++)
      d[i] ^= 0xa5;
    g_assert_true (g_file_set_contents (p, (char *) d, len, NULL));
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SaNpz) npz = sa_npz_open (p, &error);
      SaNpyHeader h;
      g_autofree double *v = npz ? sa_npz_read_f64 (npz, "a", &h, &error) : NULL;
      g_assert_null (v);
      g_assert_error (error, SA_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, p));
    }
  }
  expect_read_error (f16, "a", SA_ERROR_UNSUPPORTED);
  expect_read_error (three, "a", SA_ERROR_UNSUPPORTED);
}

static void
test_header_limits (void)
{
  g_autoptr (GError) error = NULL;
  SaNpyHeader h;
  const char *dicts[] = {
    "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 1608), }",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (18446744073709551615, 2), }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 2), }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)",
    "{'descr': '<c8', 'fortran_order': False, 'shape': (3, 4), }",
  };
  const int codes[] = { SA_ERROR_TOO_LARGE, SA_ERROR_TOO_LARGE, SA_ERROR_BAD_HEADER,
                        SA_ERROR_BAD_HEADER, SA_ERROR_UNSUPPORTED };

  for (guint i = 0; i < G_N_ELEMENTS (dicts); i++)
    {
      g_autoptr (GByteArray) b = g_byte_array_new ();
      guint16 len = strlen (dicts[i]);
      guint8 prefix[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, len & 0xff, len >> 8 };
      g_byte_array_append (b, prefix, 10);
      g_byte_array_append (b, (const guint8 *) dicts[i], len);
      g_clear_error (&error);
      g_assert_false (sa_npy_header_parse (b->data, b->len, b->len + 4096, "mem.npy", &h, &error));
      g_assert_error (error, SA_ERROR, codes[i]);
      g_assert_nonnull (strstr (error->message, "mem.npy"));
    }
}

/* Found by fuzzing: a version 1.0 header whose dictionary is empty is 10 bytes long;
 * the reader used to copy a 12-byte prefix into it. */
static void
test_empty_v1_header (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "npz",
                                                 "regression-npy-v1-empty-header", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaNpz) npz = sa_npz_open (path, &error);
  SaNpyHeader h;
  g_autofree double *v = NULL;

  g_assert_no_error (error);
  v = sa_npz_read_f64 (npz, sa_npz_get_array_name (npz, 0), &h, &error);
  g_assert_null (v);
  g_assert_error (error, SA_ERROR, SA_ERROR_BAD_HEADER);
}

static void
test_write_roundtrip (void)
{
  g_autofree char *path = scratch ("written.npz");
  g_autoptr (GError) error = NULL;
  float m[3 * 20];
  gint64 ids[3] = { 42150, -1, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (m); i++)
    m[i] = i * 0.5f - 7.0f;
  {
    g_autoptr (SaNpzWriter) w = sa_npz_writer_new (path, &error);
    g_assert_no_error (error);
    /* 3 rows of 17 columns out of a stride of 20 */
    g_assert_true (sa_npz_writer_add_f32 (w, "rp", m, 3, 17, 20, FALSE, &error));
    /* the same rows from one pointer each, in reverse order */
    const float *rows[3] = { m + 40, m + 20, m };
    g_assert_true (sa_npz_writer_add_f32_rows (w, "rows", rows, 3, 17, &error));
    g_assert_true (sa_npz_writer_add_i64 (w, "clip_id", ids, 3, &error));
    g_assert_true (sa_npz_writer_commit (w, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr (SaNpz) npz = sa_npz_open (path, &error);
    SaNpyHeader h;
    g_autofree double *v = sa_npz_read_f64 (npz, "rp", &h, &error);
    g_autofree double *r = sa_npz_read_f64 (npz, "rows", &h, &error);
    g_autofree gint64 *id = sa_npz_read_i64 (npz, "clip_id", &h, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      for (guint j = 0; j < 17; j++)
        {
          g_assert_cmpfloat (v[i * 17 + j], ==, m[i * 20 + j]);
          g_assert_cmpfloat (r[i * 17 + j], ==, m[(2 - i) * 20 + j]);
        }
    g_assert_cmpint (id[2], ==, G_MAXINT64);
  }
  /* the array data is 64-byte aligned in the file */
  {
    g_autofree guint8 *d = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (path, (char **) &d, &len, NULL));
    gsize at = 30 + (d[26] | d[27] << 8) + (d[28] | d[29] << 8);
    gsize hdr = 10 + (d[at + 8] | d[at + 9] << 8);
    g_assert_cmpuint (at % 64, ==, 0);
    g_assert_cmpuint ((at + hdr) % 64, ==, 0);
  }
}

static void
test_writer_abort_keeps_old (void)
{
  g_autofree char *path = scratch ("keep.npz");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  gint64 ids[1] = { 1 };

  g_assert_true (g_file_set_contents (path, "old", 3, NULL));
  {
    g_autoptr (SaNpzWriter) w = sa_npz_writer_new (path, &error);
    g_assert_true (sa_npz_writer_add_i64 (w, "clip_id", ids, 1, &error));
    /* dropped without commit */
  }
  {
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "old");
  }
  /* no temporary file is left behind */
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)))
      g_assert_null (strstr (name, ".tmp-"));
  }
}

/* A file truncated (or rewritten in place, as np.savez does) while it is open: an
 * error that names the file, never SIGBUS (the file is read, not mapped). */
static void
test_truncated_while_open (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "truncated-while-open.npz", NULL);
  g_autofree float *data = g_new0 (float, 200000);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaNpzWriter) w = sa_npz_writer_new (path, &error);
  g_autoptr (SaNpz) npz = NULL;
  g_autofree double *v = NULL;
  SaNpyHeader h;

  g_assert_no_error (error);
  g_assert_true (sa_npz_writer_add_f32 (w, "a", data, 1000, 200, 0, FALSE, &error));
  g_assert_true (sa_npz_writer_commit (w, &error));
  npz = sa_npz_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (truncate (path, 4096), ==, 0);
  v = sa_npz_read_f64 (npz, "a", &h, &error);
  g_assert_null (v);
  g_assert_error (error, SA_ERROR, SA_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, path));
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  {
    g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "scratch-npz", NULL);
    g_mkdir_with_parents (dir, 0755);
  }
  g_test_add_func ("/soundalike/npz/layouts", test_layouts);
  g_test_add_func ("/soundalike/npz/one-d", test_one_d);
  g_test_add_func ("/soundalike/npz/integers", test_integers);
  g_test_add_func ("/soundalike/npz/errors", test_errors);
  g_test_add_func ("/soundalike/npz/header-limits", test_header_limits);
  g_test_add_func ("/soundalike/npz/write-roundtrip", test_write_roundtrip);
  g_test_add_func ("/soundalike/npz/empty-v1-header", test_empty_v1_header);
  g_test_add_func ("/soundalike/npz/writer-abort", test_writer_abort_keeps_old);
  g_test_add_func ("/soundalike/npz/truncated-while-open", test_truncated_while_open);
  return g_test_run ();
}
