/* test-store.c: the collection store (mapped, checked against its sources)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sa-collection.h"
#include "sa-error.h"
#include "sa-metadata.h"
#include "sa-search.h"
#include "sa-store.h"

static char *
copy_to_build (const char *src, const char *name)
{
  g_autofree char *data = NULL;
  gsize len;
  char *dst = g_test_build_filename (G_TEST_BUILT, name, NULL);

  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (dst, data, (gssize) len, NULL));
  return dst;
}

static SaCollection *
load_plain (const char *features, const char *metadata)
{
  g_autoptr (GError) error = NULL;
  SaCollection *c;

  g_setenv ("SOUNDALIKE_NO_STORE", "1", TRUE);
  c = sa_collection_load (features, metadata, NULL, &error);
  g_unsetenv ("SOUNDALIKE_NO_STORE");
  g_assert_no_error (error);
  g_assert_false (sa_collection_is_mapped (c));
  return c;
}

static void
assert_same (SaCollection *a, SaCollection *b)
{
  guint n = sa_collection_get_n_tracks (a), d = sa_collection_get_stride (a);
  g_autoptr (SaSearch) sa = sa_search_new (a);
  g_autoptr (SaSearch) sb = sa_search_new (b);
  SaHit ha[11], hb[11];

  g_assert_cmpuint (n, ==, sa_collection_get_n_tracks (b));
  g_assert_cmpuint (d, ==, sa_collection_get_stride (b));
  g_assert_cmpuint (sa_collection_get_n_sets (a), ==, sa_collection_get_n_sets (b));
  for (guint i = 0; i < sa_collection_get_n_sets (a); i++)
    {
      g_assert_cmpstr (sa_collection_get_set (a, i)->name, ==, sa_collection_get_set (b, i)->name);
      g_assert_cmpuint (sa_collection_get_set (a, i)->offset, ==,
                        sa_collection_get_set (b, i)->offset);
    }
  for (guint i = 0; i < sa_collection_get_n_sets (a); i++)
    g_assert_cmpfloat (sa_collection_get_set (a, i)->default_weight, ==,
                       sa_collection_get_set (b, i)->default_weight);
  {
    const char *const *na = sa_collection_get_notes (a), *const *nb = sa_collection_get_notes (b);
    for (; *na && *nb; na++, nb++)
      g_assert_cmpstr (*na, ==, *nb);
    g_assert_true (*na == NULL && *nb == NULL);
  }
  for (guint j = 0; j < d; j++)
    {
      double oa, sa_, ob, sb_;
      sa_collection_get_column_scaling (a, j, &oa, &sa_);
      sa_collection_get_column_scaling (b, j, &ob, &sb_);
      g_assert_cmpfloat (oa, ==, ob);
      g_assert_cmpfloat (sa_, ==, sb_);
    }
  g_assert_cmpmem (sa_collection_get_matrix (a), (gsize) n * d * 4, sa_collection_get_matrix (b),
                   (gsize) n * d * 4);
  g_assert_cmpmem (sa_collection_get_mean (a), d * 8, sa_collection_get_mean (b), d * 8);
  g_assert_cmpmem (sa_collection_get_std (a), d * 8, sa_collection_get_std (b), d * 8);
  g_assert_cmpmem (sa_collection_get_report (a), sizeof (SaCollectionReport),
                   sa_collection_get_report (b), sizeof (SaCollectionReport));
  for (guint t = 0; t < n; t++)
    {
      g_assert_cmpint (sa_collection_get_clip_id (a, t), ==, sa_collection_get_clip_id (b, t));
      g_assert_cmpstr (sa_collection_get_field (a, t, SA_FIELD_TITLE), ==,
                       sa_collection_get_field (b, t, SA_FIELD_TITLE));
      g_assert_cmpuint (sa_collection_get_group (a, t, SA_FIELD_ARTIST), ==,
                        sa_collection_get_group (b, t, SA_FIELD_ARTIST));
      g_assert_cmpuint (sa_collection_get_group (a, t, SA_FIELD_ALBUM), ==,
                        sa_collection_get_group (b, t, SA_FIELD_ALBUM));
      g_assert_cmpuint (sa_collection_get_group (a, t, SA_FIELD_PATH), ==,
                        sa_collection_get_group (b, t, SA_FIELD_PATH));
    }
  for (guint q = 0; q < n; q += n / 7 + 1)
    {
      guint k;
      sa_search_set_query (sa, q);
      sa_search_set_query (sb, q);
      k = sa_search_rank (sa, NULL, 10, ha);
      g_assert_cmpuint (k, ==, sa_search_rank (sb, NULL, 10, hb));
      for (guint i = 0; i < k; i++)
        {
          g_assert_cmpuint (ha[i].track, ==, hb[i].track);
          g_assert_cmpfloat (ha[i].distance, ==, hb[i].distance);
        }
    }
}

/* The tutorial's two files, copied below the build folder as PREFIX-features.npz and
 * PREFIX-metadata.csv (a test may change them). */
static void
copy_tutorial (const char *prefix, char **features, char **metadata)
{
  g_autofree char *src_f
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "features.npz", NULL);
  g_autofree char *src_m
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "metadata.csv", NULL);
  g_autofree char *name_f = g_strconcat (prefix, "-features.npz", NULL);
  g_autofree char *name_m = g_strconcat (prefix, "-metadata.csv", NULL);

  *features = copy_to_build (src_f, name_f);
  *metadata = copy_to_build (src_m, name_m);
}

/* The first load imports and writes the store, the second maps it: the same collection. */
static void
test_round_trip (void)
{
  g_autofree char *features = NULL, *metadata = NULL;
  g_autofree char *dir
      = (copy_tutorial ("store", &features, &metadata), sa_store_dir_for (features, metadata));
  g_autoptr (SaCollection) plain = load_plain (features, metadata);
  g_autoptr (SaCollection) first = NULL, second = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_str_has_prefix (dir, g_get_user_data_dir ()));
  sa_store_remove (dir);
  first = sa_collection_load (features, metadata, NULL, &error);
  g_assert_no_error (error);
  /* the import maps its own fresh store instead of keeping the matrix in memory */
  g_assert_true (sa_collection_is_mapped (first));
  second = sa_collection_load (features, metadata, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sa_collection_is_mapped (second));
  g_assert_cmpuint (((guintptr) sa_collection_get_matrix (second)) % 64, ==, 0);
  assert_same (plain, first);
  assert_same (plain, second);
  sa_store_remove (dir);
}

/* A changed source is imported again; a damaged or foreign store is never used. */
static void
test_stale_and_damaged (void)
{
  g_autofree char *src_f
      = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f32.npz", NULL);
  g_autofree char *src_g
      = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f64_fortran_be.npz", NULL);
  g_autofree char *features = copy_to_build (src_f, "store-small.npz");
  g_autofree char *dir = sa_store_dir_for (features, NULL);
  g_autofree char *matrix = g_build_filename (dir, "features.f32", NULL);
  g_autofree char *index = g_build_filename (dir, "index.bin", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) plain = NULL;
  g_autoptr (SaStore) store = NULL;
  SaStoreSource source, other;
  SaCollection *c;

  sa_store_remove (dir);
  c = sa_collection_load (features, NULL, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (c);
  g_assert_true (g_file_test (matrix, G_FILE_TEST_IS_REGULAR));

  /* the right source opens it, any other source does not */
  g_assert_true (sa_store_fingerprint (features, NULL, &source, &error));
  store = sa_store_open (dir, &source, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, sa_store_free);
  g_assert_true (sa_store_fingerprint (src_g, NULL, &other, &error));
  g_assert_null (sa_store_open (dir, &other, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  other = source;
  other.features.mtime_ns++;
  g_assert_null (sa_store_open (dir, &other, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a truncated matrix: the store is refused and the collection imported again */
  g_assert_cmpint (truncate (matrix, 4096 + 100), ==, 0);
  g_assert_null (sa_store_open (dir, &source, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CORRUPT);
  g_clear_error (&error);
  plain = load_plain (features, NULL);
  c = sa_collection_load (features, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same (plain, c);
  g_object_unref (c);

  /* a damaged index */
  g_assert_true (g_file_set_contents (index, "SAINDEX1 and nothing else", -1, NULL));
  c = sa_collection_load (features, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same (plain, c);
  g_object_unref (c);

  /* the source replaced by other contents: the new contents, not the store's */
  {
    g_autofree char *data = NULL;
    gsize len;
    g_autoptr (SaCollection) other_plain = NULL;
    g_assert_true (g_file_get_contents (src_g, &data, &len, NULL));
    g_assert_true (g_file_set_contents (features, data, (gssize) len, NULL));
    other_plain = load_plain (features, NULL);
    c = sa_collection_load (features, NULL, NULL, &error);
    g_assert_no_error (error);
    assert_same (other_plain, c);
    g_object_unref (c);
  }
  sa_store_remove (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Every column of every track's metadata equal, and the metadata read from the cache or not. */
static void
assert_same_metadata (SaCollection *plain, SaCollection *c, gboolean cached)
{
  SaMetadata *a = sa_collection_get_metadata (plain), *b = sa_collection_get_metadata (c);
  guint nc = sa_metadata_get_n_columns (a);

  g_assert_cmpint (sa_metadata_is_cached (b), ==, cached);
  g_assert_cmpuint (sa_metadata_get_n_rows (a), ==, sa_metadata_get_n_rows (b));
  g_assert_cmpuint (nc, ==, sa_metadata_get_n_columns (b));
  for (guint j = 0; j < nc; j++)
    g_assert_cmpstr (sa_metadata_get_column_name (a, j), ==, sa_metadata_get_column_name (b, j));
  for (guint r = 0; r < sa_metadata_get_n_rows (a); r++)
    {
      g_assert_cmpint (sa_metadata_get_clip_id (a, r), ==, sa_metadata_get_clip_id (b, r));
      for (guint j = 0; j < nc; j++)
        g_assert_cmpstr (sa_metadata_get (a, r, (int) j), ==, sa_metadata_get (b, r, (int) j));
    }
  for (guint t = 0; t < sa_collection_get_n_tracks (plain); t++)
    for (guint j = 0; j < nc; j++)
      {
        const char *name = sa_metadata_get_column_name (a, j);
        g_assert_cmpstr (sa_collection_get_column (plain, t, name), ==,
                         sa_collection_get_column (c, t, name));
      }
}

static SaCollection *
load_checked (const char *features, const char *metadata)
{
  g_autoptr (GError) error = NULL;
  SaCollection *c = sa_collection_load (features, metadata, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (sa_collection_is_mapped (c));
  return c;
}

static void
damage_file (const char *path, gsize at, guint8 xor_with)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (at, <, len);
  data[at] ^= xor_with;
  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
}

/* The next open parses the CSV again (the cache is not used) and writes the cache again, which
 * the open after it reads: both equal to @plain, column by column. */
static void
assert_parsed_again (const char *features, const char *metadata, SaCollection *plain)
{
  SaCollection *c = load_checked (features, metadata);

  assert_same_metadata (plain, c, FALSE);
  g_object_unref (c);
  c = load_checked (features, metadata);
  assert_same_metadata (plain, c, TRUE);
  g_object_unref (c);
}

/* The parsed metadata is kept in the store (metadata.bin) and read back without parsing;
 * a damaged, foreign or stale one is never used, and the CSV is parsed again. */
static void
test_metadata_cache (void)
{
  g_autofree char *features = NULL, *metadata = NULL;
  g_autofree char *dir
      = (copy_tutorial ("store-md", &features, &metadata), sa_store_dir_for (features, metadata));
  g_autofree char *cache = g_build_filename (dir, "metadata.bin", NULL);
  g_autoptr (SaCollection) plain = load_plain (features, metadata);
  SaCollection *c;
  struct stat st;

  sa_store_remove (dir);
  /* the import writes it (and keeps what it parsed), the next open reads it */
  c = load_checked (features, metadata);
  assert_same_metadata (plain, c, FALSE);
  g_object_unref (c);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
  c = load_checked (features, metadata);
  assert_same_metadata (plain, c, TRUE);
  assert_same (plain, c);
  g_object_unref (c);

  /* truncated: parsed again, and written again */
  g_assert_cmpint (g_stat (cache, &st), ==, 0);
  g_assert_cmpint (truncate (cache, st.st_size - 1), ==, 0);
  assert_parsed_again (features, metadata, plain);
  g_assert_cmpint (truncate (cache, 100), ==, 0);
  assert_parsed_again (features, metadata, plain);

  /* a flipped byte in the strings (near the end), the clip ids, the offsets, the header
   * (the block starts at 128 with a 48-byte header, then 8 bytes per clip id) */
  for (guint k = 0; k < 4; k++)
    {
      gsize ids = 128 + 48,
            offsets = ids + 8 * (gsize) sa_collection_get_report (plain)->n_metadata_rows;
      gsize at[] = { 0, ids + 8 * 100 + 1, offsets + 4 * 300, 128 + 20 };
      g_assert_cmpint (g_stat (cache, &st), ==, 0);
      at[0] = st.st_size - 20;
      damage_file (cache, at[k], 0x20);
      assert_parsed_again (features, metadata, plain);
    }

  /* another version of the store's header (its third 32-bit word) */
  damage_file (cache, 12, 0x01);
  assert_parsed_again (features, metadata, plain);

  /* the CSV changed after the import (a letter of the first row's path, same size): imported
   * again, with the new path */
  {
    g_autofree char *data = NULL;
    g_autoptr (SaCollection) changed_plain = NULL;
    char *hit;
    gsize len;
    int path;
    g_assert_true (g_file_get_contents (metadata, &data, &len, NULL));
    hit = strstr (data, "\n");
    g_assert_nonnull (hit);
    hit = strchr (hit + 1, ',');
    g_assert_nonnull (hit);
    hit = strchr (hit + 1, ',');
    g_assert_nonnull (hit);
    /* the first letter of the first row's third field (mp3_path) becomes another */
    hit[1] = hit[1] == 'Q' ? 'R' : 'Q';
    g_assert_true (g_file_set_contents (metadata, data, (gssize) len, NULL));
    changed_plain = load_plain (features, metadata);
    assert_parsed_again (features, metadata, changed_plain);
    c = load_checked (features, metadata);
    path = sa_metadata_find_column (sa_collection_get_metadata (c), "mp3_path");
    g_assert_cmpint (path, >=, 0);
    g_assert_cmpint (sa_metadata_get (sa_collection_get_metadata (c), 0, path)[0], ==, hit[1]);
    g_object_unref (c);
  }
  sa_store_remove (dir);
}

/* A store that cannot be written (its folder is a file) costs nothing but speed. */
static void
test_unwritable (void)
{
  g_autofree char *src_f
      = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f32.npz", NULL);
  g_autofree char *features = copy_to_build (src_f, "store-unwritable.npz");
  g_autofree char *dir = sa_store_dir_for (features, NULL);
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaCollection) plain = load_plain (features, NULL);

  sa_store_remove (dir);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (dir, "not a folder", -1, NULL));
  c = sa_collection_load (features, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sa_collection_is_mapped (c));
  assert_same (plain, c);
  g_unlink (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/round-trip", test_round_trip);
  g_test_add_func ("/store/stale-and-damaged", test_stale_and_damaged);
  g_test_add_func ("/store/unwritable", test_unwritable);
  g_test_add_func ("/store/metadata-cache", test_metadata_cache);
  return g_test_run ();
}
