/* test-player.c: the real playbin (with a fakesink: there is no audio device here)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <string.h>

#include "sa-player.h"

static char *clip;

static void
make_clip (void)
{
  g_autofree char *desc = NULL;
  g_autoptr (GstElement) p = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;

  clip = g_test_build_filename (G_TEST_BUILT, "player-clip.wav", NULL);
  /* 2 s of a 440 Hz tone */
  desc = g_strdup_printf ("audiotestsrc num-buffers=86 samplesperbuffer=1024 ! "
                          "audio/x-raw,rate=44100,channels=1 ! wavenc ! filesink location=\"%s\"",
                          clip);
  p = gst_parse_launch (desc, NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (p, GST_STATE_NULL);
}

typedef struct
{
  gboolean reached_playing;
  double max_position;
  gboolean eos;
  char *error;
} Seen;

static void
on_playing (SaPlayer *player, GParamSpec *pspec, Seen *seen)
{
  seen->reached_playing |= sa_player_get_playing (player);
}

static void
on_position (SaPlayer *player, GParamSpec *pspec, Seen *seen)
{
  seen->max_position = MAX (seen->max_position, sa_player_get_position (player));
}

static void
on_eos (SaPlayer *player, Seen *seen)
{
  seen->eos = TRUE;
}

static void
on_error (SaPlayer *player, const char *message, Seen *seen)
{
  g_free (seen->error);
  seen->error = g_strdup (message);
}

static void
run_until (gboolean *flag, guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  while (!*flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static SaPlayer *
new_player (Seen *seen)
{
  SaPlayer *player = sa_player_new ();
  g_signal_connect (player, "notify::playing", G_CALLBACK (on_playing), seen);
  g_signal_connect (player, "notify::position", G_CALLBACK (on_position), seen);
  g_signal_connect (player, "eos", G_CALLBACK (on_eos), seen);
  g_signal_connect (player, "error", G_CALLBACK (on_error), seen);
  return player;
}

static void
test_play_to_eos (void)
{
  Seen seen = { 0 };
  g_autoptr (SaPlayer) player = new_player (&seen);

  sa_player_play (player, clip, 0, 0, 0, 7);
  run_until (&seen.eos, 15);
  g_assert_null (seen.error);
  g_assert_true (seen.reached_playing);
  g_assert_true (seen.eos);
  g_assert_cmpfloat (seen.max_position, >, 0.5);
  g_assert_cmpfloat_with_epsilon (sa_player_get_duration (player), 2.0, 0.05);
  g_assert_cmpint (sa_player_get_tag (player), ==, 7);
}

static void
test_clip_bounds (void)
{
  Seen seen = { 0 };
  g_autoptr (SaPlayer) player = new_player (&seen);
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  /* segmentStart 1.0, segmentEnd 1.5: half a second */
  sa_player_play (player, clip, 1.0, 1.5, 0, 1);
  run_until (&seen.eos, 15);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_assert_true (seen.eos);
  g_assert_cmpfloat_with_epsilon (sa_player_get_duration (player), 0.5, 1e-9);
  g_assert_cmpfloat (seen.max_position, <=, 0.5);
  g_assert_cmpfloat (elapsed, <, 1.4); /* not the whole 2 s file */
}

static void
test_missing_file (void)
{
  Seen seen = { 0 };
  g_autoptr (SaPlayer) player = new_player (&seen);

  sa_player_play (player, "/nonexistent/folder/gone.mp3", 0, 0, 0, 3);
  g_assert_nonnull (seen.error);
  g_assert_nonnull (strstr (seen.error, "gone.mp3"));
  g_assert_false (sa_player_get_playing (player));
  g_free (seen.error);
}

static void
test_undecodable_file (void)
{
  Seen seen = { 0 };
  g_autoptr (SaPlayer) player = new_player (&seen);
  g_autofree char *bad = g_test_build_filename (G_TEST_BUILT, "player-garbage.mp3", NULL);
  gboolean got_error = FALSE;
  gint64 end;

  g_assert_true (g_file_set_contents (bad, "this is not audio at all, just text", -1, NULL));
  sa_player_play (player, bad, 0, 0, 0, 3);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (seen.error == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  got_error = seen.error != NULL;
  g_assert_true (got_error);
  g_assert_nonnull (strstr (seen.error, "player-garbage.mp3"));
  g_free (seen.error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("SOUNDALIKE_AUDIO_SINK", "fakesink", TRUE);
  make_clip ();
  g_test_add_func ("/soundalike/player/play-to-eos", test_play_to_eos);
  g_test_add_func ("/soundalike/player/clip-bounds", test_clip_bounds);
  g_test_add_func ("/soundalike/player/missing-file", test_missing_file);
  g_test_add_func ("/soundalike/player/undecodable-file", test_undecodable_file);
  return g_test_run ();
}
