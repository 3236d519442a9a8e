/* test-m3u.c: the one playlist writer (no GTK)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sa-collection.h"
#include "sa-error.h"
#include "sa-m3u.h"

/* the playlist's lines, without the empty string after the final newline */
static GStrv
lines_of (const char *text)
{
  GStrv lines;
  guint n;

  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_free (lines[n - 1]);
  lines[n - 1] = NULL;
  return lines;
}

/* every entry is an #EXTINF line followed by a location that is not a directive */
static void
assert_well_formed (const char *text, guint n_entries)
{
  g_auto (GStrv) lines = lines_of (text);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * n_entries);
  g_assert_cmpstr (lines[0], ==, "#EXTM3U");
  for (guint i = 0; i < n_entries; i++)
    {
      g_assert_true (g_str_has_prefix (lines[1 + 2 * i], "#EXTINF:"));
      g_assert_false (g_str_has_prefix (lines[2 + 2 * i], "#"));
      g_assert_cmpstr (lines[2 + 2 * i], !=, "");
      g_assert_null (strchr (lines[1 + 2 * i], '\r'));
      g_assert_null (strchr (lines[2 + 2 * i], '\r'));
    }
}

static void
test_plain (void)
{
  g_autoptr (SaM3u) m = sa_m3u_new ();

  g_assert_cmpstr (sa_m3u_get_text (m), ==, "#EXTM3U\n");
  g_assert_true (sa_m3u_add (m, "/music/Ünïcode/01 Song.ogg", "Artist", "Song, live", 61.4));
  g_assert_true (sa_m3u_add (m, "audio/c0001.mp3", "", "Untitled", 0));
  g_assert_true (sa_m3u_add (m, "/music/no-title.flac", NULL, NULL, 1.5));
  g_assert_true (sa_m3u_add (m, "http://example.org/a.mp3", "A", "B", -3));
  g_assert_cmpuint (sa_m3u_get_n_entries (m), ==, 4);
  g_assert_cmpstr (sa_m3u_get_text (m), ==,
                   "#EXTM3U\n"
                   "#EXTINF:61,Artist - Song, live\n/music/Ünïcode/01 Song.ogg\n"
                   "#EXTINF:-1,Untitled\naudio/c0001.mp3\n"
                   "#EXTINF:2,no-title.flac\n/music/no-title.flac\n"
                   "#EXTINF:-1,A - B\nhttp://example.org/a.mp3\n");
}

/* issue 12: a newline in a title or artist must not write extra playlist entries */
static void
test_injection (void)
{
  g_autoptr (SaM3u) m = sa_m3u_new ();
  g_auto (GStrv) lines = NULL;

  g_assert_true (sa_m3u_add (m, "/music/a.ogg", "Evil\r\n#EXTINF:-1,x\r\n/etc/passwd",
                             "Title\n/etc/shadow\n#EXTINF:1,y", 10));
  g_assert_true (sa_m3u_add (m, "/music/b.ogg", "Tab\there", "vertical\v\fform\x7f", 10));
  /* NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH SEPARATOR (U+2029) */
  g_assert_true (
      sa_m3u_add (m, "/music/c.ogg", "nel\xc2\x85x", "ls\xe2\x80\xa8ps\xe2\x80\xa9", 10));
  /* invalid UTF-8 (a Latin-1 é) in the metadata */
  g_assert_true (sa_m3u_add (m, "/music/d.ogg", "caf\xe9", "\n\n", 10));
  assert_well_formed (sa_m3u_get_text (m), 4);
  lines = lines_of (sa_m3u_get_text (m));
  g_assert_cmpstr (lines[1], ==,
                   "#EXTINF:10,Evil #EXTINF:-1,x /etc/passwd - "
                   "Title /etc/shadow #EXTINF:1,y");
  g_assert_cmpstr (lines[2], ==, "/music/a.ogg");
  g_assert_cmpstr (lines[3], ==, "#EXTINF:10,Tab here - vertical form");
  g_assert_cmpstr (lines[5], ==, "#EXTINF:10,nel x - ls ps");
  /* an empty title after cleaning falls back to the file name */
  g_assert_cmpstr (lines[7], ==, "#EXTINF:10,caf\xef\xbf\xbd - d.ogg");
}

static void
assert_uri_round_trips (const char *uri, const char *filename)
{
  g_autofree char *back = g_filename_from_uri (uri, NULL, NULL);
  g_assert_true (g_str_has_prefix (uri, "file:///"));
  for (const char *p = uri; *p; p++)
    g_assert_true (*p > 0x20 && *p < 0x7f);
  g_assert_cmpstr (back, ==, filename);
}

static void
test_locations (void)
{
  g_autofree char *latin1 = sa_m3u_location ("/music/caf\xe9.ogg");
  g_autofree char *newline = sa_m3u_location ("/music/a\n#EXTINF:-1,x\nb.ogg");
  g_autofree char *cr = sa_m3u_location ("/music/a\rb.ogg");
  g_autofree char *hash = sa_m3u_location ("#hash.ogg");
  g_autofree char *space = sa_m3u_location ("/music/trailing.ogg ");
  g_autofree char *uri = sa_m3u_location ("file:///music/a b\nc.ogg");
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *hash_abs = g_build_filename (cwd, "#hash.ogg", NULL);
  g_autoptr (SaM3u) m = sa_m3u_new ();

  assert_uri_round_trips (latin1, "/music/caf\xe9.ogg");
  g_assert_cmpstr (latin1, ==, "file:///music/caf%E9.ogg");
  assert_uri_round_trips (newline, "/music/a\n#EXTINF:-1,x\nb.ogg");
  assert_uri_round_trips (cr, "/music/a\rb.ogg");
  assert_uri_round_trips (hash, hash_abs);
  assert_uri_round_trips (space, "/music/trailing.ogg ");
  g_assert_cmpstr (uri, ==, "file:///music/a%20b%0Ac.ogg");

  g_assert_false (sa_m3u_add (m, "", "A", "B", 1));
  g_assert_false (sa_m3u_add (m, NULL, "A", "B", 1));
  g_assert_true (sa_m3u_add (m, "/music/x\ny.ogg", NULL, NULL, 1e300));
  g_assert_true (sa_m3u_add (m, "/music/caf\xe9.ogg", NULL, NULL, NAN));
  assert_well_formed (sa_m3u_get_text (m), 2);
  /* an unknown file name is shown readably, not as raw bytes */
  g_assert_nonnull (strstr (sa_m3u_get_text (m), "#EXTINF:2147483647,x y.ogg\n"));
  g_assert_nonnull (strstr (sa_m3u_get_text (m), "#EXTINF:-1,caf\xef\xbf\xbd.ogg\n"));
}

/* tracks of a real collection whose metadata is hostile, written to a file and read back */
static void
test_collection (void)
{
  g_autofree char *npz
      = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f32.npz", NULL);
  g_autofree char *csv = g_test_build_filename (G_TEST_BUILT, "m3u-hostile.csv", NULL);
  g_autofree char *out = g_test_build_filename (G_TEST_BUILT, "m3u-hostile.m3u", NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_BUILT, "no-such-dir", "x.m3u", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaM3u) m = sa_m3u_new ();
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_set_contents (
      csv,
      "clip_id,mp3_path,title,artist,segmentStart,segmentEnd\n"
      "11,\"/music/one\n#EXTINF:-1,evil\n/etc/passwd.mp3\",\"One\n#EXTINF:-1,evil\",A,0,29\n"
      "12,audio/two.mp3,Two,\"B\r\n/etc/passwd\",10,40.6\n"
      "14,,No path,C,0,1\n",
      -1, NULL));
  c = sa_collection_load (npz, csv, NULL, &error);
  g_assert_no_error (error);
  for (guint t = 0; t < sa_collection_get_n_tracks (c); t++)
    sa_m3u_add_track (m, c, t);
  g_assert_cmpuint (sa_m3u_get_n_entries (m), ==, 2); /* the track without a path is left out */
  g_assert_true (sa_m3u_write (m, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, sa_m3u_get_text (m));
  assert_well_formed (text, 2);
  lines = lines_of (text);
  g_assert_cmpstr (lines[1], ==, "#EXTINF:29,A - One #EXTINF:-1,evil");
  assert_uri_round_trips (lines[2], "/music/one\n#EXTINF:-1,evil\n/etc/passwd.mp3");
  g_assert_cmpstr (lines[3], ==, "#EXTINF:31,B /etc/passwd - Two");
  g_assert_cmpstr (lines[4], ==, "audio/two.mp3");

  /* a folder that does not exist: an error that names the file, and nothing written */
  g_assert_false (sa_m3u_write (m, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "x.m3u"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_unlink (out);
  g_unlink (csv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/m3u/plain", test_plain);
  g_test_add_func ("/soundalike/m3u/injection", test_injection);
  g_test_add_func ("/soundalike/m3u/locations", test_locations);
  g_test_add_func ("/soundalike/m3u/collection", test_collection);
  return g_test_run ();
}
