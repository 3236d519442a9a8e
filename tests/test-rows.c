/* test-rows.c: the properties list rows bind to (SaTrack, SaResult), without GTK
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sa-result.h"
#include "sa-track.h"

static SaCollection *
load (const char *npz_name, const char *csv_text)
{
  g_autofree char *npz = g_test_build_filename (G_TEST_DIST, "data", "formats", npz_name, NULL);
  g_autofree char *csv = g_test_build_filename (G_TEST_BUILT, "rows.csv", NULL);
  g_autoptr (GError) error = NULL;
  SaCollection *c;

  g_assert_true (g_file_set_contents (csv, csv_text, -1, NULL));
  c = sa_collection_load (npz, csv, NULL, &error);
  g_assert_no_error (error);
  g_unlink (csv);
  return c;
}

static SaTrack *
track_of (SaCollection *c, gint64 clip_id)
{
  int t = sa_collection_find_clip_id (c, clip_id);
  g_assert_cmpint (t, >=, 0);
  return sa_track_new (c, (guint) t);
}

static char *
string_property (gpointer object, const char *name)
{
  char *s = NULL;
  g_object_get (object, name, &s, NULL);
  g_assert_nonnull (s);
  g_assert_true (g_utf8_validate (s, -1, NULL));
  return s;
}

static void
assert_property (gpointer object, const char *name, const char *want)
{
  g_autofree char *got = string_property (object, name);
  g_assert_cmpstr (got, ==, want);
}

/* small_f32.npz holds clip ids 11..16 */
static const char rows_csv[]
    = "clip_id,mp3_path,title,artist,album,segmentStart,segmentEnd\n"
      "11,D:/x/mp3_full/a/c0001.mp3,,,,0,29.1\n"
      "12,file:///music/caf%E9/bad%0Aname.ogg,Saw Arpeggios at 110 BPM,Synth,110 BPM,0,30\n"
      "13,C:\\Music\\Band\\song.flac,Saw Arpeggios at 70 BPM,Synth,70 BPM,0,30\n"
      "14,/music/Saw/saw 9.ogg,saw arpeggios at 9 BPM,synth,9 BPM,0,30\n"
      "15,D:/loose.mp3,Éclair,Zed,,,\n"
      "16,,,,,,\n";

static void
test_track_paths (void)
{
  g_autoptr (SaCollection) c = load ("small_f32.npz", rows_csv);
  g_autoptr (SaTrack) untagged = track_of (c, 11);
  g_autoptr (SaTrack) uri = track_of (c, 12);
  g_autoptr (SaTrack) windows = track_of (c, 13);
  g_autoptr (SaTrack) loose = track_of (c, 15);
  g_autoptr (SaTrack) nothing = track_of (c, 16);
  gint64 clip_id = 0;

  /* untagged: the file name stands in for the title; the folder gives context */
  assert_property (untagged, "title", "");
  assert_property (untagged, "display-title", "c0001");
  assert_property (untagged, "file-name", "c0001.mp3");
  assert_property (untagged, "folder", "a");
  assert_property (untagged, "path", "D:/x/mp3_full/a/c0001.mp3");
  assert_property (untagged, "display-path", "D:/x/mp3_full/a/c0001.mp3");
  assert_property (untagged, "duration-text", "0:29");
  g_object_get (untagged, "clip-id", &clip_id, NULL);
  g_assert_cmpint (clip_id, ==, 11);

  /* a name that is not UTF-8, kept as a file:// URI: shown as the file, readably */
  assert_property (uri, "display-title", "Saw Arpeggios at 110 BPM");
  assert_property (uri, "path", "file:///music/caf%E9/bad%0Aname.ogg");
  {
    g_autofree char *shown = string_property (uri, "display-path");
    g_autofree char *folder = string_property (uri, "folder");
    g_autofree char *file = string_property (uri, "file-name");
    g_assert_true (g_str_has_prefix (shown, "/music/caf"));
    g_assert_true (g_str_has_prefix (folder, "caf"));
    g_assert_true (g_str_has_prefix (file, "bad"));
    g_assert_true (g_str_has_suffix (file, "name.ogg"));
  }

  assert_property (windows, "file-name", "song.flac");
  assert_property (windows, "folder", "Band");
  assert_property (loose, "folder", ""); /* a drive is not a folder */
  assert_property (loose, "file-name", "loose.mp3");
  assert_property (loose, "duration-text", "");
  assert_property (nothing, "display-title", "");
  assert_property (nothing, "file-name", "");
  assert_property (nothing, "folder", "");
}

static guint
order_of (SaCollection *c, gint64 clip_id, const char *property)
{
  g_autoptr (SaTrack) t = track_of (c, clip_id);
  guint order = G_MAXUINT;
  g_object_get (t, property, &order, NULL);
  return order;
}

static void
test_natural_order (void)
{
  g_autoptr (SaCollection) c = load ("small_f32.npz", rows_csv);
  guint n = sa_collection_get_n_tracks (c);
  g_autofree gboolean *seen = g_new0 (gboolean, n);
  g_autofree char *k70 = sa_natural_sort_key ("Saw Arpeggios at 70 BPM");
  g_autofree char *k110 = sa_natural_sort_key ("Saw Arpeggios at 110 BPM");
  g_autoptr (SaTrack) t70 = track_of (c, 13);

  /* digit runs compare by value */
  g_assert_cmpint (strcmp (k70, k110), <, 0);
  assert_property (t70, "title-key", k70);
  g_assert_cmpuint (order_of (c, 14, "title-order"), <, order_of (c, 13, "title-order"));
  g_assert_cmpuint (order_of (c, 13, "title-order"), <, order_of (c, 12, "title-order"));
  /* the untagged track sorts by its file name, "c0001", before the saws */
  g_assert_cmpuint (order_of (c, 11, "title-order"), <, order_of (c, 14, "title-order"));
  g_assert_cmpuint (order_of (c, 14, "album-order"), <, order_of (c, 13, "album-order"));
  g_assert_cmpuint (order_of (c, 13, "album-order"), <, order_of (c, 12, "album-order"));
  g_assert_cmpuint (order_of (c, 12, "artist-order"), <, order_of (c, 15, "artist-order"));
  /* each order is a permutation of 0..n-1 */
  for (guint t = 0; t < n; t++)
    {
      guint o = sa_collection_get_natural_order (c, t, SA_FIELD_TITLE);
      g_assert_cmpuint (o, <, n);
      g_assert_false (seen[o]);
      seen[o] = TRUE;
    }
}

static void
test_result_properties (void)
{
  g_autoptr (SaCollection) c = load ("small_extra_set.npz", rows_csv);
  g_autoptr (SaCollection) plain = load ("small_f32.npz", rows_csv);
  const double parts[3] = { 0.25, 0.5, 0.25 };
  int t = sa_collection_find_clip_id (c, 11);
  g_autoptr (SaResult) r = sa_result_new (c, (guint) t, 3, 1.5, parts, 3);
  g_autoptr (SaResult) q = sa_result_new (plain, 0, 1, 0.5, parts, 2);
  g_autoptr (SaTrack) track = NULL;
  double rp = -1, ssd = -1, other = -1, distance = -1;
  guint rank = 0, index = G_MAXUINT, order = G_MAXUINT;

  g_assert_cmpint (t, >=, 0);
  g_object_get (r, "rp-share", &rp, "ssd-share", &ssd, "other-share", &other, "distance", &distance,
                "rank", &rank, "index", &index, "title-order", &order, "track", &track, NULL);
  g_assert_cmpint (sa_collection_find_set (c, "rp"), ==, 0);
  g_assert_cmpfloat (rp, ==, 0.25);
  g_assert_cmpfloat (ssd, ==, 0.5);
  g_assert_cmpfloat (other, ==, 0.25);
  g_assert_cmpfloat (distance, ==, 1.5);
  g_assert_cmpuint (rank, ==, 3);
  g_assert_cmpuint (index, ==, (guint) t);
  g_assert_cmpuint (order, ==, sa_collection_get_natural_order (c, (guint) t, SA_FIELD_TITLE));
  g_assert_cmpuint (sa_track_get_index (track), ==, (guint) t);
  assert_property (r, "display-title", "c0001");
  assert_property (r, "folder", "a");
  assert_property (r, "file-name", "c0001.mp3");
  assert_property (r, "display-path", "D:/x/mp3_full/a/c0001.mp3");
  g_assert_cmpfloat (sa_result_get_share (r, "mfcc"), ==, 0.25);
  g_assert_cmpfloat (sa_result_get_share (r, "nope"), ==, 0);
  g_assert_cmpuint (sa_result_get_n_parts (r), ==, 3);

  g_object_get (q, "rp-share", &rp, "ssd-share", &ssd, "other-share", &other, NULL);
  g_assert_cmpfloat (rp, ==, 0.25);
  g_assert_cmpfloat (ssd, ==, 0.5);
  g_assert_cmpfloat (other, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/rows/track-paths", test_track_paths);
  g_test_add_func ("/soundalike/rows/natural-order", test_natural_order);
  g_test_add_func ("/soundalike/rows/result-properties", test_result_properties);
  return g_test_run ();
}
