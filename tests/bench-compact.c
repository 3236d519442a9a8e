/* bench-compact.c: the compact scan against the plain one, in the same run
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-compact FEATURES.npz [METADATA.csv] [QUERIES]
 *
 * Opens a collection (from its store when there is one: run `soundalike-cli info` or
 * `bench` once to import it) and times, per query, interleaved: the exact top 10 by the
 * compact scan with each instruction set the processor has, the plain float scan (the
 * reference: the tutorial's ranking), and slider moves that change the weights' ratio
 * (rp from 0.25 to 1.4 times the default, ssd fixed) and ones that keep it.  Every
 * compact ranking is checked against the plain one; a difference is an error (exit 1).
 * Prints TSV: figure, median ms, runs.  Not a test: docs/performance.md.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "sa-collection.h"
#include "sa-compact.h"
#include "sa-search.h"

#define K 10

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *name, GArray *times)
{
  if (times->len == 0)
    return;
  g_array_sort (times, compare_doubles);
  printf ("%s\t%.3f\t%u\n", name, g_array_index (times, double, times->len / 2), times->len);
}

static gboolean
same (const SaHit *a, guint na, const SaHit *b, guint nb)
{
  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (a[i].track != b[i].track || a[i].distance != b[i].distance)
      return FALSE;
  return TRUE;
}

int
main (int argc, char **argv)
{
  const char *isas[] = { "avx512", "avx2", "sse" };
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  SaSearch *compact, *plain;
  g_autoptr (GArray) t_plain = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *t_isa[G_N_ELEMENTS (isas)];
  g_autoptr (GArray) t_slider = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_scale = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_slider_plain = g_array_new (FALSE, FALSE, sizeof (double));
  double defaults[SA_MAX_SETS];
  SaHit a[K + 1], b[K + 1];
  guint n, queries = argc > 3 ? (guint) atoi (argv[3]) : 9, mismatches = 0;
  double t0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FEATURES.npz [METADATA.csv] [QUERIES]\n", argv[0]);
      return 2;
    }
  t0 = now_ms ();
  c = sa_collection_load (argv[1], argc > 2 && argv[2][0] ? argv[2] : NULL, NULL, &error);
  if (c == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  n = sa_collection_get_n_tracks (c);
  printf ("# %u tracks, opened in %.0f ms; compact copy: %s; best kernel: %s\n", n, now_ms () - t0,
          sa_collection_get_codes (c, NULL) ? "yes" : "no", sa_compact_get_isa ());
  for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
    t_isa[i] = g_array_new (FALSE, FALSE, sizeof (double));
  compact = sa_search_new (c);
  plain = sa_search_new (c);
  sa_search_set_compact (plain, FALSE);
  sa_search_default_weights (c, defaults);

  for (guint r = 0; r < queries; r++)
    {
      guint q = (guint) (((guint64) r * 7919u + 17) % n);
      guint na, nb;

      t0 = now_ms ();
      sa_search_set_query (plain, q);
      na = sa_search_rank (plain, defaults, K, a);
      g_array_append_val (t_plain, (double){ now_ms () - t0 });
      for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
        {
          if (!sa_compact_set_isa (isas[i]))
            continue;
          t0 = now_ms ();
          sa_search_set_query (compact, q);
          nb = sa_search_rank (compact, defaults, K, b);
          g_array_append_val (t_isa[i], (double){ now_ms () - t0 });
          mismatches += !same (a, na, b, nb);
        }
      sa_compact_set_isa (NULL);
      /* slider moves: the ratio changes (and the same ratio, scaled) */
      for (guint m = 0; m < 12; m++)
        {
          double w[SA_MAX_SETS];
          for (guint si = 0; si < sa_collection_get_n_sets (c); si++)
            w[si] = defaults[si];
          w[0] = defaults[0] * (0.25 + 0.1 * m);
          t0 = now_ms ();
          nb = sa_search_rank (compact, w, K, b);
          g_array_append_val (t_slider, (double){ now_ms () - t0 });
          t0 = now_ms ();
          na = sa_search_rank (plain, w, K, a);
          g_array_append_val (t_slider_plain, (double){ now_ms () - t0 });
          mismatches += !same (a, na, b, nb);
          for (guint si = 0; si < sa_collection_get_n_sets (c); si++)
            w[si] = defaults[si] * (0.5 + 0.1 * m);
          t0 = now_ms ();
          nb = sa_search_rank (compact, w, K, b);
          g_array_append_val (t_scale, (double){ now_ms () - t0 });
          na = sa_search_rank (plain, w, K, a);
          mismatches += !same (a, na, b, nb);
        }
    }
  report ("query_plain", t_plain);
  for (guint i = 0; i < G_N_ELEMENTS (isas); i++)
    {
      g_autofree char *name = g_strdup_printf ("query_compact_%s", isas[i]);
      report (name, t_isa[i]);
      g_array_unref (t_isa[i]);
    }
  report ("slider_ratio", t_slider);
  report ("slider_ratio_plain", t_slider_plain);
  report ("slider_scale", t_scale);
  printf ("mismatches\t%u\n", mismatches);
  sa_search_free (compact);
  sa_search_free (plain);
  return mismatches ? 1 : 0;
}
