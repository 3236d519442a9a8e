/* test-walk.c: Back/Forward over queries and the similarity radio (no GTK)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sa-result.h"
#include "sa-walk.h"

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_history (void)
{
  g_autoptr (SaWalk) w = sa_walk_new ();
  g_autoptr (GObject) example = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) example2 = g_object_new (G_TYPE_OBJECT, NULL);
  guint back_notes = 0, track_notes = 0;
  gboolean can_back;
  int track;

  g_signal_connect (w, "notify::can-go-back", G_CALLBACK (count_notify), &back_notes);
  g_signal_connect (w, "notify::track", G_CALLBACK (count_notify), &track_notes);

  g_assert_false (sa_walk_has_query (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, -1);
  g_assert_false (sa_walk_can_go_back (w));
  g_assert_false (sa_walk_can_go_forward (w));
  g_assert_false (sa_walk_back (w));
  g_assert_false (sa_walk_forward (w));

  g_assert_true (sa_walk_push (w, 3, NULL));
  g_assert_false (sa_walk_can_go_back (w));
  g_assert_true (sa_walk_push (w, 5, NULL));
  g_assert_false (sa_walk_push (w, 5, NULL)); /* the same query: not recorded twice */
  g_assert_true (sa_walk_push (w, 7, NULL));
  g_assert_cmpuint (sa_walk_get_length (w), ==, 3);
  g_assert_cmpuint (sa_walk_get_position (w), ==, 2);
  g_assert_cmpuint (track_notes, ==, 3);
  g_object_get (w, "can-go-back", &can_back, "track", &track, NULL);
  g_assert_true (can_back);
  g_assert_cmpint (track, ==, 7);

  g_assert_true (sa_walk_back (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, 5);
  g_assert_true (sa_walk_back (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, 3);
  g_assert_false (sa_walk_back (w));
  g_assert_true (sa_walk_can_go_forward (w));
  g_assert_true (sa_walk_forward (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, 5);

  /* a new query from the middle drops what was ahead */
  g_assert_true (sa_walk_push (w, 9, NULL));
  g_assert_cmpuint (sa_walk_get_length (w), ==, 3);
  g_assert_false (sa_walk_can_go_forward (w));
  g_assert_true (sa_walk_back (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, 5);
  g_assert_true (sa_walk_forward (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, 9);

  /* examples: always new, kept with a reference, -1 as a track */
  g_assert_true (sa_walk_push (w, -1, example));
  g_assert_true (sa_walk_push (w, -1, example2));
  g_assert_cmpint (sa_walk_get_track (w), ==, -1);
  g_assert_true (sa_walk_get_example (w) == example2);
  g_assert_true (sa_walk_has_query (w));
  g_assert_true (sa_walk_back (w));
  g_assert_true (sa_walk_get_example (w) == example);
  g_assert_true (sa_walk_back (w));
  g_assert_null (sa_walk_get_example (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, 9);
  /* a track after an example is a new query even if it equals the one before */
  g_assert_true (sa_walk_forward (w));
  g_assert_true (sa_walk_push (w, 9, NULL));
  g_assert_cmpuint (sa_walk_get_length (w), ==, 5);

  g_assert_cmpuint (back_notes, >, 0);
  sa_walk_clear (w);
  g_assert_false (sa_walk_has_query (w));
  g_assert_cmpuint (sa_walk_get_length (w), ==, 0);
  g_assert_false (sa_walk_can_go_back (w));
  g_assert_false (sa_walk_can_go_forward (w));
  g_assert_cmpint (sa_walk_get_track (w), ==, -1);
}

/* results ranked best first, as the window's results model holds them */
static GListStore *
results_of (SaCollection *c, const guint *tracks, guint n)
{
  GListStore *store = g_list_store_new (SA_TYPE_RESULT);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (SaResult) r = sa_result_new (c, tracks[i], i + 1, 0.1 * (i + 1), NULL, 0);
      g_list_store_append (store, r);
    }
  return store;
}

static void
test_radio (void)
{
  g_autofree char *npz
      = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f32.npz", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, NULL, NULL, &error);
  g_autoptr (SaWalk) w = sa_walk_new ();
  g_autoptr (GListStore) from0 = NULL, from2 = NULL;
  gboolean radio = FALSE;

  g_assert_no_error (error);
  from0 = results_of (c, (guint[]){ 2, 4, 1, 5, 3 }, 5);
  from2 = results_of (c, (guint[]){ 0, 4, 3 }, 3);

  /* off: nothing is remembered, nothing is next */
  sa_walk_push (w, 0, NULL);
  sa_walk_mark_played (w, 2);
  g_assert_false (sa_walk_was_played (w, 2));
  g_assert_cmpint (sa_walk_next_unplayed (w, G_LIST_MODEL (from0)), ==, -1);
  g_assert_cmpint (sa_walk_radio_advance (w, G_LIST_MODEL (from0)), ==, -1);
  g_assert_cmpuint (sa_walk_get_length (w), ==, 1);

  /* on: the query counts as played; the best unplayed result comes next */
  g_object_set (w, "radio", TRUE, NULL);
  g_object_get (w, "radio", &radio, NULL);
  g_assert_true (radio);
  g_assert_true (sa_walk_was_played (w, 0));
  g_assert_false (sa_walk_was_played (w, 2));
  g_assert_cmpint (sa_walk_next_unplayed (w, G_LIST_MODEL (from0)), ==, 2);
  /* the user played result 4 by hand: it is skipped too */
  sa_walk_mark_played (w, 4);
  g_assert_cmpint (sa_walk_radio_advance (w, G_LIST_MODEL (from0)), ==, 2);
  g_assert_cmpint (sa_walk_get_track (w), ==, 2);
  g_assert_true (sa_walk_was_played (w, 2));
  g_assert_cmpuint (sa_walk_get_length (w), ==, 2);
  /* from 2: 0 and 4 are played, so 3 */
  g_assert_cmpint (sa_walk_radio_advance (w, G_LIST_MODEL (from2)), ==, 3);
  g_assert_cmpint (sa_walk_get_track (w), ==, 3);
  /* all of from2 played now */
  g_assert_cmpint (sa_walk_next_unplayed (w, G_LIST_MODEL (from2)), ==, -1);
  g_assert_cmpint (sa_walk_radio_advance (w, G_LIST_MODEL (from2)), ==, -1);
  g_assert_cmpint (sa_walk_get_track (w), ==, 3);
  /* Back and Forward leave what was played alone */
  g_assert_true (sa_walk_back (w));
  g_assert_true (sa_walk_was_played (w, 3));

  /* off and on again: a fresh walk from the current query */
  sa_walk_set_radio (w, FALSE);
  g_assert_false (sa_walk_was_played (w, 3));
  sa_walk_set_radio (w, TRUE);
  g_assert_true (sa_walk_was_played (w, 2)); /* the query after Back */
  g_assert_false (sa_walk_was_played (w, 3));
  g_assert_cmpint (sa_walk_next_unplayed (w, G_LIST_MODEL (from0)), ==, 4);

  /* a new collection: nothing played, the radio stays on */
  sa_walk_clear (w);
  g_assert_true (sa_walk_get_radio (w));
  g_assert_false (sa_walk_was_played (w, 2));
  g_assert_cmpint (sa_walk_next_unplayed (w, G_LIST_MODEL (from0)), ==, 2);
  /* the radio turned on without a query: nothing counts as played */
  {
    g_autoptr (SaWalk) fresh = sa_walk_new ();
    sa_walk_set_radio (fresh, TRUE);
    g_assert_cmpint (sa_walk_radio_advance (fresh, G_LIST_MODEL (from2)), ==, 0);
    g_assert_cmpint (sa_walk_get_track (fresh), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/walk/history", test_history);
  g_test_add_func ("/soundalike/walk/radio", test_radio);
  return g_test_run ();
}
