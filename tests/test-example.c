/* test-example.c: query by example, sync and async (no GTK)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An example analysed from a file of a collection is exactly that file's row, and ranks it
 * first at distance 0; the async version gives the same; errors name the file; cancelling
 * reports G_IO_ERROR_CANCELLED.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sa-analyzer.h"
#include "sa-error.h"
#include "sa-example.h"
#include "sa-search.h"

static char *
signal_path (const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "signals", name, NULL);
}

typedef struct
{
  GMainLoop *loop;
  SaExample *example;
  GError *error;
  gboolean done;
} AsyncRun;

static void
on_analyzed (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncRun *r = data;

  g_assert_null (source);
  r->example = sa_example_analyze_finish (result, &r->error);
  r->done = TRUE;
  g_main_loop_quit (r->loop);
}

static SaExample *
analyze_async (const char *path, GCancellable *cancellable, gboolean cancel_now, GError **error)
{
  AsyncRun r = { g_main_loop_new (NULL, FALSE) };

  sa_example_analyze_async (path, cancellable, on_analyzed, &r);
  if (cancel_now)
    g_cancellable_cancel (cancellable);
  g_main_loop_run (r.loop);
  g_main_loop_unref (r.loop);
  g_assert_true (r.done);
  g_assert_true ((r.example == NULL) == (r.error != NULL));
  if (r.error)
    g_propagate_error (error, r.error);
  return r.example;
}

static void
test_sync_and_async (void)
{
  g_autofree char *path = signal_path ("clicks_120bpm.wav");
  g_autoptr (GError) error = NULL;
  g_autoptr (SaExample) sync = sa_example_analyze (path, NULL, &error);
  g_autoptr (SaExample) async = NULL;
  g_autofree char *title = NULL;
  SaFeatures direct = { 0 };

  g_assert_no_error (error);
  g_assert_cmpstr (sa_example_get_path (sync), ==, path);
  /* untagged: the file name */
  g_assert_cmpstr (sa_example_get_title (sync), ==, "clicks_120bpm.wav");
  g_assert_cmpstr (sa_example_get_artist (sync), ==, "");
  g_assert_cmpstr (sa_example_get_album (sync), ==, "");
  g_assert_cmpfloat (sa_example_get_duration (sync), >, 5);
  g_object_get (sync, "title", &title, NULL);
  g_assert_cmpstr (title, ==, "clicks_120bpm.wav");

  /* the same numbers as the extractor gives */
  g_assert_true (sa_extract_file (path, NULL, NULL, FALSE, &direct, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (sa_example_get_features (sync)->rp, sizeof direct.rp, direct.rp,
                   sizeof direct.rp);
  g_assert_cmpmem (sa_example_get_features (sync)->ssd, sizeof direct.ssd, direct.ssd,
                   sizeof direct.ssd);

  async = analyze_async (path, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sa_example_get_title (async), ==, "clicks_120bpm.wav");
  g_assert_cmpmem (sa_example_get_features (async)->rp, sizeof direct.rp, direct.rp,
                   sizeof direct.rp);
  g_assert_cmpmem (sa_example_get_features (async)->ssd, sizeof direct.ssd, direct.ssd,
                   sizeof direct.ssd);
  sa_features_clear (&direct);
}

static void
test_errors (void)
{
  g_autofree char *missing = g_test_build_filename (G_TEST_BUILT, "no-such-example.ogg", NULL);
  g_autofree char *short_clip = signal_path ("too_short_5s.wav");
  g_autofree char *clicks = signal_path ("clicks_120bpm.wav");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  SaExample *e;

  e = sa_example_analyze (missing, NULL, &error);
  g_assert_null (e);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no-such-example.ogg"));
  g_clear_error (&error);

  e = analyze_async (short_clip, NULL, FALSE, &error);
  g_assert_null (e);
  g_assert_error (error, SA_ERROR, SA_ERROR_TOO_SHORT);
  g_assert_nonnull (strstr (error->message, "too_short_5s.wav"));
  g_clear_error (&error);

  /* cancelled as soon as it starts, and cancelled before */
  e = analyze_async (clicks, cancellable, TRUE, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  e = sa_example_analyze (clicks, cancellable, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* the signals analysed into a collection, and one of them given again as an example */
static void
test_row_is_the_collections (void)
{
  g_autofree char *signals = g_test_build_filename (G_TEST_BUILT, "signals", NULL);
  g_autofree char *out = g_test_build_filename (G_TEST_BUILT, "scratch-example", NULL);
  g_autofree char *npz = g_build_filename (out, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (out, "metadata.csv", NULL);
  g_autofree char *path = signal_path ("pink_am_2hz.wav");
  const char *inputs[] = { signals, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaExample) e = NULL;
  g_autoptr (SaSearch) s = NULL;
  g_autofree float *row = NULL;
  SaAnalyzeOptions options;
  SaAnalyzeProgress report;
  SaHit hits[3];
  int track;

  sa_analyze_options_init (&options);
  g_assert_true (sa_analyze (inputs, out, &options, &report, NULL, &error));
  g_assert_no_error (error);
  c = sa_collection_load (npz, csv, NULL, &error);
  g_assert_no_error (error);
  track = sa_collection_find_clip_id (c, sa_clip_id_for_path (path));
  g_assert_cmpint (track, >=, 0);

  e = sa_example_analyze (path, NULL, &error);
  g_assert_no_error (error);
  row = sa_example_make_row (e, c);
  g_assert_cmpuint (((guintptr) row) % 64, ==, 0);
  g_assert_cmpmem (row, sa_collection_get_stride (c) * sizeof (float),
                   sa_collection_get_row (c, (guint) track),
                   sa_collection_get_stride (c) * sizeof (float));
  g_aligned_free (g_steal_pointer (&row));

  s = sa_search_new (c);
  row = sa_example_make_row (e, c);
  sa_search_set_query_vector (s, row);
  g_assert_cmpuint (sa_search_rank (s, NULL, 2, hits), ==, 3);
  g_assert_cmpuint (hits[1].track, ==, (guint) track);
  g_assert_cmpfloat (hits[1].distance, ==, 0);
  g_assert_cmpfloat (hits[2].distance, >, 0);
  g_aligned_free (g_steal_pointer (&row));
}

/* a set the extractor does not make gets the collection's mean (z = 0) */
static void
test_row_other_sets (void)
{
  g_autofree char *npz
      = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_extra_set.npz", NULL);
  g_autofree char *path = signal_path ("white_noise.wav");
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, NULL, NULL, &error);
  g_autoptr (SaExample) e = NULL;
  const double *mean;
  float *row;
  guint checked = 0;

  g_assert_no_error (error);
  e = sa_example_analyze (path, NULL, &error);
  g_assert_no_error (error);
  row = sa_example_make_row (e, c);
  mean = sa_collection_get_mean (c);
  for (guint si = 0; si < sa_collection_get_n_sets (c); si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (c, si);
      for (guint j = 0; j < set->padded; j++)
        {
          float want = 0;
          if (j >= set->length)
            want = 0;
          else if (g_str_equal (set->name, "rp"))
            want = (float) sa_example_get_features (e)->rp[j];
          else if (g_str_equal (set->name, "ssd"))
            want = (float) sa_example_get_features (e)->ssd[j];
          else
            want = (float) mean[set->offset + j];
          g_assert_cmpfloat (row[set->offset + j], ==, want);
          checked += !g_str_equal (set->name, "rp") && !g_str_equal (set->name, "ssd");
        }
    }
  g_assert_cmpuint (checked, >=, 20);
  g_aligned_free (row);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!sa_audio_init (&error))
    g_error ("%s", error->message);
  g_test_add_func ("/soundalike/example/sync-and-async", test_sync_and_async);
  g_test_add_func ("/soundalike/example/errors", test_errors);
  g_test_add_func ("/soundalike/example/row-is-the-collections", test_row_is_the_collections);
  g_test_add_func ("/soundalike/example/row-other-sets", test_row_other_sets);
  return g_test_run ();
}
