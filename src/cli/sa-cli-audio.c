/* sa-cli-audio.c: soundalike-cli extract and analyze
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "sa-analyzer.h"
#include "sa-audio.h"
#include "sa-cli-private.h"
#include "sa-demo.h"
#include "sa-error.h"
#include "sa-merge.h"

/* Strict numbers for the options: decimal digits only (no hex, sign, spaces or exponent),
 * within a range; the message names the option. */
static gboolean
parse_count (const char *command, const char *option, const char *text, guint min, guint max,
             guint *out, int *status)
{
  guint64 v = 0;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_isdigit (text[0]) || !g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_autofree char *msg = g_strdup_printf (_ ("--%s: “%s” is not a whole number from %u to %u"),
                                              option, valid, min, max);
      *status = sa_cli_usage_error (command, msg);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

static gboolean
parse_seconds (const char *command, const char *option, const char *text, double min, double max,
               double *out, int *status)
{
  gboolean ok = text && g_ascii_isdigit (text[0]);
  char *end = NULL;
  double v = 0;

  if (text == NULL)
    return TRUE;
  for (const char *c = text; ok && *c; c++)
    ok = g_ascii_isdigit (*c) || *c == '.';
  if (ok)
    v = g_ascii_strtod (text, &end);
  if (!ok || *end != '\0' || !(v >= min && v <= max))
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_autofree char *msg = g_strdup_printf (
          _ ("--%s: “%s” is not a number of seconds from %s to %s"), option, valid,
          g_ascii_formatd (a, sizeof a, "%g", min), g_ascii_formatd (b, sizeof b, "%g", max));
      *status = sa_cli_usage_error (command, msg);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

#define MAX_SEGMENT_OPTION 1000
#define MAX_JOBS           256
#define MAX_CHECKPOINT_S   86400.0

static void
print_vector (const char *set, const char *segment, const double *v, guint n, gboolean rows)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];

  if (rows)
    {
      g_print ("%s%s%s", segment ? segment : "", segment ? "," : "", set);
      for (guint i = 0; i < n; i++)
        g_print (",%s", g_ascii_formatd (num, sizeof num, "%.17g", v[i]));
      g_print ("\n");
      return;
    }
  for (guint i = 0; i < n; i++)
    g_print ("%s%s%s,%u,%s\n", segment ? segment : "", segment ? "," : "", set, i,
             g_ascii_formatd (num, sizeof num, "%.17g", v[i]));
}

int
sa_cli_extract (int argc, char **argv)
{
  gboolean segments = FALSE, rows = FALSE;
  g_autofree char *skip_text = NULL, *step_text = NULL;
  guint skip = 0, step = 1;
  GOptionEntry entries[] = {
    { "segments", 0, 0, G_OPTION_ARG_NONE, &segments,
      N_ ("Also print every segment's values (first column: segment number)"), NULL },
    { "rows", 0, 0, G_OPTION_ARG_NONE, &rows, N_ ("One row per set instead of set,index,value"),
      NULL },
    { "skip", 0, 0, G_OPTION_ARG_STRING, &skip_text,
      N_ ("Segments skipped at each end (rp_extract's skip_leadin_fadeout; default 0)"), "K" },
    { "step", 0, 0, G_OPTION_ARG_STRING, &step_text,
      N_ ("Analyse every K-th segment (rp_extract's step_width; default 1)"), "K" },
    { NULL },
  };
  SaSegmentOptions opts;
  SaFeatures f;
  GError *error = NULL;
  int status = 0;

  if (!sa_cli_parse ("extract", "FILE",
                     _ ("Compute the Rhythm Patterns (rp, 1440 values) and Statistical Spectrum "
                        "Descriptors (ssd, 168 values) of one audio file."),
                     entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return sa_cli_usage_error ("extract", _ ("give exactly one audio file"));
  if (!parse_count ("extract", "skip", skip_text, 0, MAX_SEGMENT_OPTION, &skip, &status)
      || !parse_count ("extract", "step", step_text, 1, MAX_SEGMENT_OPTION, &step, &status))
    return status;
  opts.skip_segments = skip;
  opts.step = step;
  if (!sa_extract_file (argv[1], &opts, NULL, segments, &f, NULL, NULL, &error))
    return sa_cli_fail (error);
  if (!rows)
    g_print (segments ? "segment,set,index,value\n" : "set,index,value\n");
  if (segments)
    for (guint k = 0; k < f.n_segments; k++)
      {
        g_autofree char *label = g_strdup_printf ("%u", k);
        print_vector ("rp", label, f.seg_rp + (gsize) k * SA_RP_LENGTH, SA_RP_LENGTH, rows);
        print_vector ("ssd", label, f.seg_ssd + (gsize) k * SA_SSD_LENGTH, SA_SSD_LENGTH, rows);
      }
  print_vector ("rp", segments ? "all" : NULL, f.rp, SA_RP_LENGTH, rows);
  print_vector ("ssd", segments ? "all" : NULL, f.ssd, SA_SSD_LENGTH, rows);
  sa_features_clear (&f);
  return 0;
}

typedef struct
{
  gboolean show;
  gboolean tty;
  gint64 start;
  guint first_done; /* reused files are not part of the rate */
  GMutex lock;
} Progress;

static void
format_duration (char *buf, gsize len, double seconds)
{
  guint s = (guint) (seconds + 0.5);
  if (s >= 3600)
    g_snprintf (buf, len, "%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  else
    g_snprintf (buf, len, "%u:%02u", s / 60, s % 60);
}

static void
on_progress (const SaAnalyzeProgress *p, gpointer user_data)
{
  Progress *pr = user_data;
  double elapsed = (g_get_monotonic_time () - pr->start) / 1e6;
  guint fresh = p->n_done - p->n_reused;
  guint todo = p->n_files - p->n_done;
  double rate = elapsed > 0 ? fresh / elapsed : 0;
  char eta[32] = "?";

  if (!pr->show)
    return;
  if (rate > 0)
    format_duration (eta, sizeof eta, todo / rate);
  g_mutex_lock (&pr->lock);
  if (pr->tty)
    fputc ('\r', stderr);
  fprintf (stderr, _ ("%u/%u files, %.1f files/s, %u failed, time left %s"), p->n_done, p->n_files,
           rate, p->n_failed, eta);
  fputs (pr->tty ? "\033[K" : "\n", stderr);
  fflush (stderr);
  g_mutex_unlock (&pr->lock);
}

static gboolean
on_sigint (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  GError *error;
  SaAnalyzeProgress report;
} AnalyzeResult;

static void
on_analyzed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AnalyzeResult *r = user_data;
  r->ok = sa_analyze_finish (result, &r->report, &r->error);
  g_main_loop_quit (r->loop);
}

int
sa_cli_analyze (int argc, char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *shard = NULL;
  g_autofree char *jobs_text = NULL, *skip_text = NULL, *step_text = NULL;
  g_autofree char *checkpoint_text = NULL;
  guint jobs = 0, skip = 0, step = 1;
  double checkpoint = 10;
  gboolean progress = FALSE, quiet = FALSE, prune = FALSE, follow = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Folder for features.npz, metadata.csv and errors.csv"), "OUTDIR" },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs_text,
      N_ ("Files analysed at once (default: one per core)"), "N" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress,
      N_ ("Show progress even when stderr is not a terminal"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Show no progress"), NULL },
    { "skip", 0, 0, G_OPTION_ARG_STRING, &skip_text,
      N_ ("Segments skipped at each end (rp_extract's skip_leadin_fadeout; default 0)"), "K" },
    { "step", 0, 0, G_OPTION_ARG_STRING, &step_text,
      N_ ("Analyse every K-th segment (rp_extract's step_width; default 1)"), "K" },
    { "checkpoint", 0, 0, G_OPTION_ARG_STRING, &checkpoint_text,
      N_ ("Save the results so far every N seconds (default 10)"), "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard,
      N_ ("Analyse only shard K of N (1 <= K <= N), split by a hash of each file's path in the "
          "folder; join the shards with 'soundalike-cli merge'"),
      "K/N" },
    { "prune", 0, 0, G_OPTION_ARG_NONE, &prune,
      N_ ("Mirror the inputs: remove every track whose file is not in them"), NULL },
    { "follow-symlinks", 0, 0, G_OPTION_ARG_NONE, &follow,
      N_ ("Follow symbolic links inside the folders (each folder once)"), NULL },
    { NULL },
  };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SaAnalyzeOptions opts;
  Progress pr = { 0 };
  AnalyzeResult r = { 0 };
  guint sig;
  int status = 0;

  if (!sa_cli_parse ("analyze", "DIR|FILE…",
                     _ ("Analyse audio files (folders recursively) into a collection.\n\n"
                        "A run adds new files and updates changed ones. It removes a track only "
                        "when its file is gone from a folder analysed in this run (one that "
                        "still exists and has audio in it); the tracks of folders analysed "
                        "earlier stay. --prune makes the collection mirror the inputs exactly. "
                        "An input that does not exist or cannot be read is an error and "
                        "nothing is changed. Symbolic links inside the folders are not "
                        "followed unless --follow-symlinks is given. One run at a time writes "
                        "to an output folder."),
                     entries, &argc, &argv, &status))
    return status;
  if (output == NULL)
    return sa_cli_usage_error ("analyze", _ ("--output is required"));
  if (argc < 2)
    return sa_cli_usage_error ("analyze", _ ("give at least one folder or file"));
  if (!parse_count ("analyze", "jobs", jobs_text, 1, MAX_JOBS, &jobs, &status)
      || !parse_count ("analyze", "skip", skip_text, 0, MAX_SEGMENT_OPTION, &skip, &status)
      || !parse_count ("analyze", "step", step_text, 1, MAX_SEGMENT_OPTION, &step, &status)
      || !parse_seconds ("analyze", "checkpoint", checkpoint_text, 0.01, MAX_CHECKPOINT_S,
                         &checkpoint, &status))
    return status;
  sa_analyze_options_init (&opts);
  if (shard)
    {
      g_autoptr (GError) shard_error = NULL;
      if (!sa_shard_parse (shard, &opts.shard, &shard_error))
        return sa_cli_usage_error ("analyze", shard_error->message);
    }
  opts.n_jobs = jobs;
  opts.segments.skip_segments = skip;
  opts.segments.step = step;
  opts.checkpoint_ms = (guint) MAX (1, checkpoint * 1000);
  opts.prune = prune;
  opts.follow_symlinks = follow;
  pr.tty = isatty (STDERR_FILENO);
  pr.show = !quiet && (pr.tty || progress);
  pr.start = g_get_monotonic_time ();
  g_mutex_init (&pr.lock);
  opts.progress = on_progress;
  opts.progress_data = &pr;

  sig = g_unix_signal_add (SIGINT, on_sigint, cancellable);
  r.loop = loop;
  sa_analyze_async ((const char *const *) argv + 1, output, &opts, cancellable, on_analyzed, &r);
  g_main_loop_run (loop);
  g_source_remove (sig);
  if (pr.show && pr.tty)
    fputc ('\n', stderr);
  g_mutex_clear (&pr.lock);

  if (!r.ok && !g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return sa_cli_fail (r.error);
  if (!quiet)
    {
      g_autofree char *shown = g_filename_display_name (output);
      g_printerr (_ ("%u files: %u analysed, %u unchanged, %u failed, %u removed; results in %s\n"),
                  r.report.n_files, r.report.n_analysed, r.report.n_reused, r.report.n_failed,
                  r.report.n_removed, shown);
      if (r.report.n_kept > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%u track from folders not analysed in this run was kept "
                                 "(--prune removes it)\n",
                                 "%u tracks from folders not analysed in this run were kept "
                                 "(--prune removes them)\n",
                                 r.report.n_kept),
                    r.report.n_kept);
      if (r.report.n_other_shards > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u track of the other shards was kept\n",
                                 "%u tracks of the other shards were kept\n",
                                 r.report.n_other_shards),
                    r.report.n_other_shards);
      if (r.report.n_links_skipped > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%u symbolic link was not followed (--follow-symlinks follows "
                                 "links)\n",
                                 "%u symbolic links were not followed (--follow-symlinks "
                                 "follows links)\n",
                                 r.report.n_links_skipped),
                    r.report.n_links_skipped);
      if (r.report.n_failed > 0)
        {
          g_autofree char *errors = g_build_filename (output, "errors.csv", NULL);
          g_printerr (_ ("The files that failed and why: %s\n"), errors);
        }
    }
  if (r.error)
    {
      g_printerr (_ ("Interrupted: the results so far are saved; run the same command again to "
                     "continue.\n"));
      g_error_free (r.error);
      return 130;
    }
  return 0;
}

int
sa_cli_merge (int argc, char **argv)
{
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Print no summary"), NULL },
    { NULL },
  };
  GError *error = NULL;
  SaMergeReport r;
  int status = 0;

  if (!sa_cli_parse ("merge", "OUTDIR SHARD_OUTDIR…",
                     _ ("Join collections written by 'soundalike-cli analyze --shard K/N' (or any "
                        "analyze runs) into OUTDIR. A file in several inputs is one row, the "
                        "newest analysis of it; the failure lists are joined; rows already in "
                        "OUTDIR stay unless an input has the same file."),
                     entries, &argc, &argv, &status))
    return status;
  if (argc < 3)
    return sa_cli_usage_error ("merge", _ ("give the output folder and at least one input folder"));
  if (!sa_merge (argv[1], (const char *const *) argv + 2, &r, &error))
    return sa_cli_fail (error);
  if (!quiet)
    {
      g_printerr (_ ("%u inputs: %u tracks, %u failed files, %u duplicates joined; results in "
                     "%s\n"),
                  r.n_inputs, r.n_rows, r.n_failures, r.n_duplicates, argv[1]);
      if (r.n_incomplete > 0)
        g_printerr (_ ("Left out %u rows whose features and metadata disagree (an interrupted "
                       "run?): run that shard's analyze again, then merge.\n"),
                    r.n_incomplete);
    }
  return 0;
}

static void
on_demo_progress (guint done, guint total, gpointer user_data)
{
  if (GPOINTER_TO_INT (user_data))
    {
      fprintf (stderr, "\r");
      fprintf (stderr, _ ("Making the demo collection: %u%%"), done * 100 / MAX (total, 1));
      fprintf (stderr, "\033[K");
      fflush (stderr);
    }
}

int
sa_cli_demo (int argc, char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Folder for the demo (default: the cache folder)"), "OUTDIR" },
    { NULL },
  };
  GError *error = NULL;
  gboolean tty = isatty (STDERR_FILENO);
  int status = 0;

  if (!sa_cli_parse ("demo", NULL,
                     _ ("Make the built-in demo collection: 48 synthesised clips, analysed."),
                     entries, &argc, &argv, &status))
    return status;
  if (output == NULL)
    output = sa_demo_default_dir ();
  if (!sa_demo_create (output, on_demo_progress, GINT_TO_POINTER (tty), NULL, &error))
    return sa_cli_fail (error);
  if (tty)
    fputc ('\n', stderr);
  g_print ("%s\n", output);
  return 0;
}
