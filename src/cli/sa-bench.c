/* sa-bench.c: soundalike-cli bench
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one line per figure, "figure<TAB>median_ms<TAB>runs":
 *   load      import the files: read, join, statistics, write the collection's store
 *   open      open an imported collection (its store) until it can answer a query
 *   query     a full query (one pass over the matrix) and the top 10
 *   reweight  new weights for the same query and the top 10 (no pass over the matrix): the
 *             first set's slider moves (0.25 to 1.35 times its default), the others stay,
 *             so the ranking changes as it does under a user's hand
 *   query_float  (only when the compact scan is used) the same queries by the plain float
 *             scan on both cores, alternately with them: the reference the compact scan
 *             must equal
 *   stream    one plain pass summing the whole matrix: the memory-bandwidth floor
 * and peak_rss_mb, the peak resident memory of the process through the import, the opens and
 * the queries, before the references query_float and stream read every page of the matrix
 * (the synthetic collection is written by a child process, so it is not counted).
 *   moments      the mutual-proximity moments on all cores (sa-moments.h; up to 3 runs)
 *   moments_ref  the same by the pair-by-pair path they replaced, alternately with moments;
 *                moments_cpu, moments_ref_cpu: their processor time (all threads);
 *                moments_min, moments_ref_min: the fastest runs; moments_speedup: the
 *                median of the per-run ratios; moments_identical: 1 when the values agree
 *                bit for bit (the header names the kernels' instruction set)
 *   query_plain  a full query, timed alternately with query_mp (the same load)
 *   query_mp     a full query ranked by mutual proximity
 *   reweight_mp  new weights for the same query with mutual proximity
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sa-audio.h"
#include "sa-bench.h"
#include "sa-cli-private.h"
#include "sa-collection.h"
#include "sa-error.h"
#include "sa-inflate.h"
#include "sa-kernel-pairs.h"
#include "sa-metadata.h"
#include "sa-moments.h"
#include "sa-npz.h"
#include "sa-rng.h"
#include "sa-search.h"
#include "sa-store.h"

static inline float
uniform (SaRng *rng)
{
  return (float) ((sa_rng_next (rng) >> 40) * (1.0 / 16777216.0));
}

gboolean
sa_bench_write_synthetic (const char *dir, guint n, GError **error)
{
  const guint n_rp = 1440, n_ssd = 168, n_clusters = 64;
  g_autofree float *rp = g_new (float, (gsize) n *n_rp);
  g_autofree float *ssd = g_new (float, (gsize) n *n_ssd);
  g_autofree float *centres = g_new (float, (gsize) n_clusters *(n_rp + n_ssd));
  g_autofree gint64 *ids = g_new (gint64, n);
  g_autofree char *npz_path = g_build_filename (dir, "features.npz", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "metadata.csv", NULL);
  g_autoptr (SaNpzWriter) w = NULL;
  g_autoptr (SaMetadataWriter) mw = NULL;
  const char *columns[]
      = { "clip_id", "mp3_path", "track_number", "title", "artist", "album", NULL };
  SaRng state = { 0x5eed0000ull + n };

  for (gsize i = 0; i < (gsize) n_clusters * (n_rp + n_ssd); i++)
    centres[i] = uniform (&state);
  for (guint i = 0; i < n; i++)
    {
      const float *c = centres + (gsize) (sa_rng_next (&state) % n_clusters) * (n_rp + n_ssd);
      for (guint j = 0; j < n_rp; j++)
        rp[(gsize) i * n_rp + j] = 0.1f * c[j] + 0.02f * uniform (&state);
      for (guint j = 0; j < n_ssd; j++)
        ssd[(gsize) i * n_ssd + j] = 10.0f * c[n_rp + j] + uniform (&state);
      ids[i] = 2 * (gint64) i + 1;
    }
  w = sa_npz_writer_new (npz_path, error);
  if (w == NULL || !sa_npz_writer_add_f32 (w, "rp", rp, n, n_rp, n_rp, FALSE, error)
      || !sa_npz_writer_add_f32 (w, "ssd", ssd, n, n_ssd, n_ssd, FALSE, error)
      || !sa_npz_writer_add_i64 (w, "clip_id", ids, n, error) || !sa_npz_writer_commit (w, error))
    return FALSE;

  mw = sa_metadata_writer_new (columns);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i);
      g_autofree char *id = g_strdup_printf ("%" PRId64 ".0", ids[i]);
      g_autofree char *path = g_strdup_printf ("D:/Data/mp3_full/%x/track-%u.mp3", i % 16, i);
      g_autofree char *num = g_strdup_printf ("%u", i % 12 + 1);
      g_autofree char *title = g_strdup_printf ("Track %u", i);
      g_autofree char *artist = g_strdup_printf ("Artist %u", i / 40);
      g_autofree char *album = g_strdup_printf ("Album %u", i / 10);
      const char *cells[] = { id, path, num, title, artist, album };
      sa_metadata_writer_add_row (mw, index, cells);
    }
  return sa_metadata_writer_save (mw, csv_path, error);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_double);
  if (times->len == 0)
    return NAN;
  if (times->len % 2)
    return g_array_index (times, double, times->len / 2);
  return 0.5
         * (g_array_index (times, double, times->len / 2 - 1)
            + g_array_index (times, double, times->len / 2));
}

static void
report (const char *figure, GArray *times)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_print ("%s\t%s\t%u\n", figure, g_ascii_formatd (num, sizeof num, "%.4f", median (times)),
           times->len);
}

#define NOW_MS() (g_get_monotonic_time () / 1000.0)

/* the process's processor time (user + system), in ms: for work that is bound by the
 * processor, what a loaded machine inflates least (idle wall time ~ cpu / cores) */
static double
cpu_ms (void)
{
  struct rusage u;
  getrusage (RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3
         + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

/* decode: the GStreamer pipeline to mono float; extract: RP and SSD from the samples in
 * memory on one core; realtime: audio seconds per second of work */
static int
bench_extract (const char *path, int runs)
{
  g_autoptr (GArray) t_decode = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_extract = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (SaAudio) audio = NULL;
  g_autoptr (SaRpSsd) plan = sa_rpssd_new ();
  GError *error = NULL;
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  double seconds, d, e;
  SaFeatures f;

  for (int r = 0; r < runs; r++)
    {
      double t0 = NOW_MS ();
      g_clear_pointer (&audio, sa_audio_free);
      audio = sa_audio_decode (path, NULL, &error);
      if (audio == NULL)
        return sa_cli_fail (error);
      g_array_append_val (t_decode, (double){ NOW_MS () - t0 });
    }
  for (int r = 0; r < runs; r++)
    {
      /* normalising again is a division by 1: every run does the same work */
      double t0 = NOW_MS ();
      if (!sa_audio_extract (audio, NULL, plan, FALSE, &f, path, NULL, &error))
        return sa_cli_fail (error);
      g_array_append_val (t_extract, (double){ NOW_MS () - t0 });
    }
  seconds = (double) audio->n_samples / SA_SAMPLE_RATE;
  g_print ("# %s: %.1f s of audio, %u segments\n", path, seconds, f.n_segments);
  report ("decode", t_decode);
  report ("extract", t_extract);
  d = median (t_decode);
  e = median (t_extract);
  g_print ("realtime_extract\t%s\t%u\n",
           g_ascii_formatd (num, sizeof num, "%.0f", seconds * 1000 / e), t_extract->len);
  g_print ("realtime_decode_extract\t%s\t%u\n",
           g_ascii_formatd (num, sizeof num, "%.0f", seconds * 1000 / (d + e)), t_extract->len);
  return 0;
}

/* One query and its top 10, timed into @times; returns the nearest distance. */
static double
time_query (SaSearch *s, guint q, const double *weights, SaHit *hits, GArray *times)
{
  guint n = sa_collection_get_n_tracks (sa_search_get_collection (s));
  double t0 = NOW_MS ();
  sa_search_set_query (s, q);
  sa_search_rank (s, weights, MIN (10, n - 1), hits);
  g_array_append_val (times, (double){ NOW_MS () - t0 });
  return hits[0].distance;
}

int
sa_cli_bench (int argc, char **argv)
{
  g_autofree char *features = NULL, *metadata = NULL, *extract = NULL;
  int synthetic = 0, runs = 0, inflate_parts = 0;
  gboolean no_mp = FALSE;
  GOptionEntry entries[] = {
    { "features", 0, 0, G_OPTION_ARG_FILENAME, &features, N_ ("Feature file (.npz)"), "F.npz" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &metadata, N_ ("Metadata file (.csv)"), "M.csv" },
    { "synthetic", 0, 0, G_OPTION_ARG_INT, &synthetic,
      N_ ("Measure a synthetic collection of N x 1608 features instead"), "N" },
    { "extract", 0, 0, G_OPTION_ARG_FILENAME, &extract,
      N_ ("Measure decoding and feature extraction of an audio file instead"), "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, N_ ("Repetitions of each figure"), "R" },
    { "no-mp", 0, 0, G_OPTION_ARG_NONE, &no_mp,
      N_ ("Leave out the mutual-proximity figures (their moments cost n x 1,024 distances)"),
      NULL },
    { "inflate-parts", 0, 0, G_OPTION_ARG_INT, &inflate_parts,
      N_ ("Inflate a large compressed member in at most N parts (1: on one thread, to compare)"),
      "N" },
    { NULL },
  };
  g_autofree char *tmpdir = NULL;
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaSearch) s = NULL;
  g_autoptr (GArray) t_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_open = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *store_dir = NULL;
  g_autoptr (GArray) t_query = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_reweight = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_query_float = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_stream = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_moments = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_moments_ref = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_moments_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_moments_ref_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean moments_same = FALSE;
  g_autoptr (GArray) t_query_mp = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_query_plain = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) t_reweight_mp = g_array_new (FALSE, FALSE, sizeof (double));
  GError *error = NULL;
  SaHit hits[11];
  double weights[SA_MAX_SETS];
  volatile double sink = 0;
  struct rusage usage;
  guint n;
  int status = 0;

  if (!sa_cli_parse ("bench", NULL, _ ("Measure loading and search speed."), entries, &argc, &argv,
                     &status))
    return status;
  if (inflate_parts < 0)
    return sa_cli_usage_error ("bench", _ ("--inflate-parts must be 1 or more"));
  sa_inflate_set_max_parts ((guint) inflate_parts);
  if (extract)
    return bench_extract (extract, runs > 0 ? runs : 7);
  if ((features == NULL) == (synthetic <= 0))
    return sa_cli_usage_error ("bench", _ ("give either --features or --synthetic N"));
  if (synthetic > 0)
    {
      tmpdir = g_dir_make_tmp ("soundalike-bench-XXXXXX", NULL);
      if (tmpdir != NULL)
        {
          /* in a child, so that generating it does not count in peak_rss_mb */
          int wstatus = 0;
          pid_t pid = fork ();
          if (pid == 0)
            _exit (sa_bench_write_synthetic (tmpdir, (guint) synthetic, NULL) ? 0 : 1);
          if (pid < 0 || waitpid (pid, &wstatus, 0) != pid || !WIFEXITED (wstatus)
              || WEXITSTATUS (wstatus) != 0)
            g_set_error (&error, SA_ERROR, SA_ERROR_IO,
                         _ ("%s: cannot write the synthetic collection"), tmpdir);
        }
      if (tmpdir == NULL || error != NULL)
        {
          if (error == NULL)
            g_set_error (&error, SA_ERROR, SA_ERROR_IO, _ ("cannot create a temporary folder"));
          return sa_cli_fail (error);
        }
      features = g_build_filename (tmpdir, "features.npz", NULL);
      metadata = g_build_filename (tmpdir, "metadata.csv", NULL);
    }

  if (runs <= 0)
    runs = synthetic >= 50000 ? 5 : 11;
  store_dir = sa_store_dir_for (features, metadata);
  for (int r = 0; r < runs; r++)
    {
      double t0;
      g_clear_object (&c);
      if (store_dir)
        sa_store_remove (store_dir);
      t0 = NOW_MS ();
      c = sa_collection_load (features, metadata, NULL, &error);
      if (c == NULL)
        return sa_cli_fail (error);
      double t1 = NOW_MS ();
      g_array_append_val (t_load, (double){ t1 - t0 });
    }
  /* open: the store is in place; ready to answer means the first query has run */
  for (int r = 0; r < runs; r++)
    {
      double t0;
      g_clear_object (&c);
      g_clear_pointer (&s, sa_search_free);
      t0 = NOW_MS ();
      c = sa_collection_load (features, metadata, NULL, &error);
      if (c == NULL)
        return sa_cli_fail (error);
      s = sa_search_new (c);
      sa_search_set_query (s, 0);
      sa_search_rank (s, NULL, MIN (10, sa_collection_get_n_tracks (c) - 1), hits);
      double t1 = NOW_MS ();
      g_array_append_val (t_open, (double){ t1 - t0 });
    }
  g_clear_pointer (&s, sa_search_free);
  n = sa_collection_get_n_tracks (c);
  s = sa_search_new (c);
  sa_search_default_weights (c, weights);

  for (int r = 0; r < MAX (runs, 21); r++)
    sink += time_query (s, (guint) ((r * 7919u) % n), weights, hits, t_query);
  /* the peak so far: import, open and the queries; the references that follow
   * (query_float, stream) read every page of the mapped matrix, which no search of a
   * collection with a compact copy does */
  getrusage (RUSAGE_SELF, &usage);
  if (sa_search_uses_compact (s))
    {
      SaSearch *f = sa_search_new (c);
      sa_search_set_compact (f, FALSE);
      for (int r = 0; r < MAX (runs, 7); r++)
        {
          guint q = (guint) ((r * 7919u) % n);
          sink += time_query (f, q, weights, hits, t_query_float);
          sink += time_query (s, q, weights, hits, t_query);
        }
      sa_search_free (f);
    }
  for (int r = 0; r < 201; r++)
    {
      double w[SA_MAX_SETS];
      for (guint i = 0; i < sa_collection_get_n_sets (c); i++)
        w[i] = weights[i];
      w[0] = weights[0] * (0.25 + (r % 12) / 10.0);
      double t0 = NOW_MS ();
      sa_search_rank (s, w, MIN (10, n - 1), hits);
      double t1 = NOW_MS ();
      g_array_append_val (t_reweight, (double){ t1 - t0 });
      sink += hits[1].distance;
    }
  for (int r = 0; r < MAX (runs, 21); r++)
    {
      double t0 = NOW_MS ();
      sink += sa_kernel_stream_sum (sa_collection_get_matrix (c),
                                    (gsize) n * sa_collection_get_stride (c));
      double t1 = NOW_MS ();
      g_array_append_val (t_stream, (double){ t1 - t0 });
    }
  if (!no_mp)
    {
      /* mutual proximity (issue 14) */
      g_autoptr (SaMoments) moments = NULL;
      /* the moments and the pair-by-pair path they replaced, alternately (same load) */
      for (int r = 0; r < MAX (1, MIN (runs, 3)); r++)
        {
          g_autoptr (SaMoments) ref = NULL;
          double t0 = NOW_MS (), c0 = cpu_ms ();
          g_clear_pointer (&moments, sa_moments_unref);
          moments = sa_moments_compute (c, SA_METRIC_EUCLIDEAN, TRUE, 0, 0, NULL, &error);
          if (moments == NULL)
            return sa_cli_fail (error);
          g_array_append_val (t_moments, (double){ NOW_MS () - t0 });
          g_array_append_val (t_moments_cpu, (double){ cpu_ms () - c0 });
          t0 = NOW_MS ();
          c0 = cpu_ms ();
          ref = sa_moments_compute_reference (c, SA_METRIC_EUCLIDEAN, TRUE, 0, 0, NULL, &error);
          if (ref == NULL)
            return sa_cli_fail (error);
          g_array_append_val (t_moments_ref, (double){ NOW_MS () - t0 });
          g_array_append_val (t_moments_ref_cpu, (double){ cpu_ms () - c0 });
          moments_same = memcmp (sa_moments_get_values (moments, 0), sa_moments_get_values (ref, 0),
                                 (gsize) n * sa_moments_get_n_values (ref) * sizeof (double))
                         == 0;
        }
      /* plain and MP queries interleaved, so that both see the same machine load */
      g_array_set_size (t_query_plain, 0);
      for (int r = 0; r < MAX (runs, 21); r++)
        {
          guint q = (guint) ((r * 7919u) % n);
          double t1 = NOW_MS ();
          sa_search_set_query (s, q);
          sa_search_rank (s, weights, MIN (10, n - 1), hits);
          g_array_append_val (t_query_plain, (double){ NOW_MS () - t1 });
          sink += hits[1].distance;
          sa_search_set_mutual_proximity (s, moments);
          t1 = NOW_MS ();
          sa_search_set_query (s, q);
          sa_search_rank (s, weights, MIN (10, n - 1), hits);
          g_array_append_val (t_query_mp, (double){ NOW_MS () - t1 });
          sink += hits[1].distance;
          sa_search_set_mutual_proximity (s, NULL);
        }
      sa_search_set_mutual_proximity (s, moments);
      for (int r = 0; r < 201; r++)
        {
          double w[SA_MAX_SETS];
          for (guint i = 0; i < sa_collection_get_n_sets (c); i++)
            w[i] = weights[i] * (0.5 + (r % 10) / 10.0);
          double t1 = NOW_MS ();
          sa_search_rank (s, w, MIN (10, n - 1), hits);
          g_array_append_val (t_reweight_mp, (double){ NOW_MS () - t1 });
          sink += hits[1].distance;
        }
      sa_search_set_mutual_proximity (s, NULL);
    }
  (void) sink;

  g_print ("# %u tracks x %u dimensions (%u with padding), %s; %s scan; moments: %s kernels\n", n,
           sa_collection_get_n_dims (c), sa_collection_get_stride (c), features,
           sa_search_uses_compact (s) ? "compact (exact re-rank)" : "plain",
           sa_kernel_pairs_get_isa ());
  report ("load", t_load);
  report ("open", t_open);
  report ("query", t_query);
  report ("reweight", t_reweight);
  if (t_query_float->len > 0)
    report ("query_float", t_query_float);
  report ("stream", t_stream);
  g_print ("peak_rss_mb\t%.1f\t1\n", usage.ru_maxrss / 1024.0);
  if (!no_mp)
    {
      report ("moments", t_moments);
      report ("moments_ref", t_moments_ref);
      report ("moments_cpu", t_moments_cpu);
      report ("moments_ref_cpu", t_moments_ref_cpu);
      {
        g_autoptr (GArray) ratio = g_array_new (FALSE, FALSE, sizeof (double));
        double lo = G_MAXDOUBLE, lo_ref = G_MAXDOUBLE;
        for (guint i = 0; i < t_moments->len; i++)
          {
            double a = g_array_index (t_moments, double, i),
                   b = g_array_index (t_moments_ref, double, i);
            lo = MIN (lo, a);
            lo_ref = MIN (lo_ref, b);
            g_array_append_val (ratio, (double){ a > 0 ? b / a : 0 });
          }
        {
          char num[G_ASCII_DTOSTR_BUF_SIZE];
          g_print ("moments_min\t%s\t%u\n", g_ascii_formatd (num, sizeof num, "%.4f", lo),
                   t_moments->len);
          g_print ("moments_ref_min\t%s\t%u\n", g_ascii_formatd (num, sizeof num, "%.4f", lo_ref),
                   t_moments->len);
          g_print ("moments_speedup\t%s\t%u\n",
                   g_ascii_formatd (num, sizeof num, "%.4f", median (ratio)), ratio->len);
        }
        g_print ("moments_identical\t%d\t1\n", moments_same);
      }
      report ("query_plain", t_query_plain);
      report ("query_mp", t_query_mp);
      report ("reweight_mp", t_reweight_mp);
    }

  g_clear_pointer (&s, sa_search_free);
  g_clear_object (&c);
  if (tmpdir && store_dir)
    sa_store_remove (store_dir);
  if (tmpdir)
    {
      g_unlink (features);
      g_unlink (metadata);
      g_rmdir (tmpdir);
    }
  return 0;
}
