/* test-demo.c: the demo collection, end to end
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates the 48 clips, analyses them with the real pipeline, and checks that the
 * neighbours make sense: with the default weights the top 5 hold at least 4 clips of
 * the query's own family on average; rhythm-only weights favour the same tempo and
 * timbre-only weights the same family.  A second generation gives the same bytes.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sa-demo.h"
#include "sa-search.h"

static char *demo_dir;

static double
share_in_top5 (SaCollection *c, double rp, double ssd, SaField field)
{
  g_autoptr (SaSearch) s = sa_search_new (c);
  double w[2] = { rp, ssd }, sum = 0;
  guint n = sa_collection_get_n_tracks (c);
  SaHit hits[6];

  for (guint q = 0; q < n; q++)
    {
      guint same = 0, got;
      sa_search_set_query (s, q);
      got = sa_search_rank (s, w, 5, hits);
      for (guint i = 1; i < got; i++)
        same += sa_collection_get_group (c, hits[i].track, field)
                == sa_collection_get_group (c, q, field);
      sum += same / 5.0;
    }
  return sum / n;
}

static void
test_neighbours (void)
{
  g_autofree char *npz = g_build_filename (demo_dir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (demo_dir, "metadata.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv, NULL, &error);
  double p5, tempo_rp, tempo_ssd, family_rp, family_ssd;

  g_assert_no_error (error);
  g_assert_cmpuint (sa_collection_get_n_tracks (c), ==, SA_DEMO_N_CLIPS);
  /* artist = family, album = tempo */
  p5 = share_in_top5 (c, 0.5, 0.9, SA_FIELD_ARTIST);
  tempo_rp = share_in_top5 (c, 1, 0, SA_FIELD_ALBUM);
  tempo_ssd = share_in_top5 (c, 0, 1, SA_FIELD_ALBUM);
  family_rp = share_in_top5 (c, 1, 0, SA_FIELD_ARTIST);
  family_ssd = share_in_top5 (c, 0, 1, SA_FIELD_ARTIST);
  g_test_message ("precision@5 by family %.3f; same tempo: RP only %.3f, SSD only %.3f; "
                  "same family: RP only %.3f, SSD only %.3f",
                  p5, tempo_rp, tempo_ssd, family_rp, family_ssd);
  g_assert_cmpfloat (p5, >=, 0.8);
  g_assert_cmpfloat (tempo_rp, >, tempo_ssd);
  g_assert_cmpfloat (family_ssd, >, family_rp);
}

static void
test_same_bytes (void)
{
  g_autofree char *again = g_test_build_filename (G_TEST_BUILT, "demo-again", NULL);
  g_autofree char *first = g_build_filename (demo_dir, "audio", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = NULL;
  const char *name;
  guint compared = 0;

  /* always a fresh generation, never files of an earlier run */
  {
    g_autoptr (GDir) old = g_dir_open (again, 0, NULL);
    const char *n;
    while (old && (n = g_dir_read_name (old)))
      {
        g_autofree char *f = g_build_filename (again, n, NULL);
        g_unlink (f);
      }
  }
  g_assert_true (sa_demo_write_audio (again, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  d = g_dir_open (first, 0, NULL);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *a = g_build_filename (first, name, NULL);
      g_autofree char *b = g_build_filename (again, name, NULL);
      g_autofree char *da = NULL, *db = NULL;
      gsize la, lb;
      g_assert_true (g_file_get_contents (a, &da, &la, NULL));
      g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
      g_assert_cmpmem (da, la, db, lb);
      compared++;
    }
  g_assert_cmpuint (compared, ==, SA_DEMO_N_CLIPS);
}

/* ---- cancelling the first build (issue 13) ---- */

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  guint cancel_at; /* cancel once this many steps are reported; 0: never */
  guint done_at_cancel;
  guint last_done;
  guint n_progress;
  gboolean finished;
  gboolean ok;
  GError *error;
} DemoRun;

static void
on_run_progress (guint done, guint total, gpointer data)
{
  DemoRun *r = data;

  g_assert_false (r->finished);
  g_assert_cmpuint (total, ==, 2 * SA_DEMO_N_CLIPS);
  g_assert_cmpuint (done, >=, r->last_done);
  g_assert_cmpuint (done, <=, total);
  r->last_done = done;
  r->n_progress++;
  if (r->cancel_at && done >= r->cancel_at && !g_cancellable_is_cancelled (r->cancellable))
    {
      r->done_at_cancel = done;
      g_cancellable_cancel (r->cancellable);
    }
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  DemoRun *r = data;

  g_assert_null (source);
  r->ok = sa_demo_create_finish (result, &r->error);
  r->finished = TRUE;
  g_main_loop_quit (r->loop);
}

static void
run_demo (const char *dir, guint cancel_at, DemoRun *r)
{
  memset (r, 0, sizeof *r);
  r->loop = g_main_loop_new (NULL, FALSE);
  r->cancellable = g_cancellable_new ();
  r->cancel_at = cancel_at;
  sa_demo_create_async (dir, on_run_progress, r, NULL, r->cancellable, on_run_done, r);
  g_main_loop_run (r->loop);
  g_main_loop_unref (r->loop);
  g_object_unref (r->cancellable);
  g_assert_true (r->finished);
}

/* the finished clips in @dir/audio; fails on any temporary left behind */
static guint
count_clips (const char *dir)
{
  g_autofree char *audio = g_build_filename (dir, "audio", NULL);
  g_autoptr (GDir) d = g_dir_open (audio, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)))
    {
      g_assert_false (g_str_has_suffix (name, ".part"));
      g_assert_false (g_str_has_suffix (name, ".wav"));
      n += g_str_has_suffix (name, ".flac");
    }
  return n;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_cancel (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "demo-cancel", NULL);
  g_autofree char *npz = g_build_filename (dir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (dir, "metadata.csv", NULL);
  g_autofree char *npz0 = g_build_filename (demo_dir, "features.npz", NULL);
  g_autofree char *csv0 = g_build_filename (demo_dir, "metadata.csv", NULL);
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) resumed = NULL, straight = NULL;
  DemoRun r;
  guint n;

  remove_tree (dir);

  /* the sync version, cancelled before it starts: nothing is written */
  g_cancellable_cancel (cancelled);
  g_assert_false (sa_demo_create (dir, NULL, NULL, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_clips (dir), ==, 0);

  /* cancelled while writing the audio: it stops within a clip or so */
  run_demo (dir, 2, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  n = count_clips (dir);
  g_test_message ("cancelled at %u of 96: %u clips written", r.done_at_cancel, n);
  g_assert_cmpuint (n, >=, r.done_at_cancel);
  g_assert_cmpuint (n, <=, r.done_at_cancel + 2);
  g_assert_false (sa_demo_is_ready (dir));

  /* cancelled while analysing: the audio goes on from where it stopped, the collection is not
   * marked complete */
  run_demo (dir, SA_DEMO_N_CLIPS + 4, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_cmpuint (count_clips (dir), ==, SA_DEMO_N_CLIPS);
  g_assert_false (sa_demo_is_ready (dir));

  /* and finished: the same collection as a build that was never interrupted */
  run_demo (dir, 0, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (r.last_done, ==, 2 * SA_DEMO_N_CLIPS);
  g_assert_true (sa_demo_is_ready (dir));
  resumed = sa_collection_load (npz, csv, NULL, &error);
  g_assert_no_error (error);
  straight = sa_collection_load (npz0, csv0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_collection_get_n_tracks (resumed), ==, SA_DEMO_N_CLIPS);
  g_assert_cmpuint (sa_collection_get_stride (resumed), ==, sa_collection_get_stride (straight));
  for (guint t = 0; t < SA_DEMO_N_CLIPS; t++)
    {
      const char *title = sa_collection_get_field (resumed, t, SA_FIELD_TITLE);
      guint u = 0;
      while (u < SA_DEMO_N_CLIPS
             && !g_str_equal (title, sa_collection_get_field (straight, u, SA_FIELD_TITLE)))
        u++;
      g_assert_cmpuint (u, <, SA_DEMO_N_CLIPS);
      g_assert_cmpmem (sa_collection_get_row (resumed, t),
                       sa_collection_get_stride (resumed) * sizeof (float),
                       sa_collection_get_row (straight, u),
                       sa_collection_get_stride (straight) * sizeof (float));
    }
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  demo_dir = g_test_build_filename (G_TEST_BUILT, "demo", NULL);
  /* analysed anew every run (the audio is kept: the same-bytes test checks it) */
  {
    g_autofree char *done = g_build_filename (demo_dir, "complete", NULL);
    g_unlink (done);
  }
  if (!sa_demo_create (demo_dir, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  g_test_add_func ("/soundalike/demo/neighbours", test_neighbours);
  g_test_add_func ("/soundalike/demo/same-bytes", test_same_bytes);
  g_test_add_func ("/soundalike/demo/cancel", test_cancel);
  return g_test_run ();
}
