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
  return g_test_run ();
}
