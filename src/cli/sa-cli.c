/* sa-cli.c: soundalike-cli commands
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sa-bench.h"
#include "sa-cli-private.h"
#include "sa-cli.h"
#include "sa-collection.h"
#include "sa-error.h"
#include "sa-m3u.h"
#include "sa-moments.h"
#include "sa-search.h"

int
sa_cli_fail (GError *error)
{
  g_printerr ("soundalike-cli: %s\n", error->message);
  g_error_free (error);
  return 1;
}

int
sa_cli_usage_error (const char *command, const char *message)
{
  g_printerr ("soundalike-cli %s: %s\n", command, message);
  return 2;
}

/* The text options' values must be UTF-8 (GOption's own message names no option);
 * file names may be anything. */
static gboolean
check_utf8_values (const char *command, GOptionEntry *entries, int argc, char **argv, int *status)
{
  for (int i = 1; i < argc; i++)
    for (GOptionEntry *e = entries; e->long_name; e++)
      {
        gsize n = strlen (e->long_name);
        const char *value = NULL;
        if (e->arg != G_OPTION_ARG_STRING && e->arg != G_OPTION_ARG_STRING_ARRAY)
          continue;
        if (strncmp (argv[i], "--", 2) != 0 || strncmp (argv[i] + 2, e->long_name, n) != 0)
          continue;
        if (argv[i][2 + n] == '=')
          value = argv[i] + 3 + n;
        else if (argv[i][2 + n] == '\0' && i + 1 < argc)
          value = argv[i + 1];
        if (value && !g_utf8_validate (value, -1, NULL))
          {
            g_autofree char *msg = g_strdup_printf (
                _ ("--%s: the value is not valid UTF-8 text (is the terminal's encoding UTF-8?)"),
                e->long_name);
            *status = sa_cli_usage_error (command, msg);
            return FALSE;
          }
      }
  return TRUE;
}

/* Parses the options of one command; on failure prints one line and returns FALSE. */
gboolean
sa_cli_parse (const char *command, const char *parameter, const char *summary,
              GOptionEntry *entries, int *argc, char ***argv, int *status)
{
  g_autofree char *param = g_strdup_printf ("%s %s", command, parameter ? parameter : "");
  g_autoptr (GOptionContext) ctx = g_option_context_new (param);
  g_autoptr (GError) error = NULL;

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!check_utf8_values (command, entries, *argc, *argv, status))
    return FALSE;
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      *status = sa_cli_usage_error (command, error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- info ---- */

static int
cmd_info (int argc, char **argv)
{
  g_autofree char *features = NULL;
  g_autofree char *metadata = NULL;
  GOptionEntry entries[] = {
    { "features", 0, 0, G_OPTION_ARG_FILENAME, &features, N_ ("Feature file (.npz)"), "F.npz" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &metadata, N_ ("Metadata file (.csv)"), "M.csv" },
    { NULL },
  };
  g_autoptr (SaCollection) c = NULL;
  const SaCollectionReport *r;
  GError *error = NULL;
  int status = 0;

  if (!sa_cli_parse ("info", NULL, _ ("Describe a collection: its tracks and feature sets."),
                     entries, &argc, &argv, &status))
    return status;
  if (features == NULL)
    return sa_cli_usage_error ("info", _ ("--features is required"));
  c = sa_collection_load (features, metadata, NULL, &error);
  if (c == NULL)
    return sa_cli_fail (error);
  r = sa_collection_get_report (c);

  g_print ("%s\t%s\n", _ ("features"), features);
  if (metadata)
    g_print ("%s\t%s\n", _ ("metadata"), metadata);
  g_print ("%s\t%u\n", _ ("tracks in feature file"), r->n_feature_rows);
  if (metadata)
    g_print ("%s\t%u\n", _ ("tracks in metadata"), r->n_metadata_rows);
  g_print ("%s\t%u\n", _ ("tracks joined"), r->n_joined);
  for (guint i = 0; i < sa_collection_get_n_sets (c); i++)
    {
      const SaFeatureSet *set = sa_collection_get_set (c, i);
      g_print ("%s\t%s\t%u\n", _ ("feature set"), set->name, set->length);
    }
  for (guint i = 0; i < sa_collection_get_n_sets (c); i++)
    {
      const SaFeatureSet *set = sa_collection_get_set (c, i);
      char w[G_ASCII_DTOSTR_BUF_SIZE];
      g_print ("%s\t%s\t%s\n", _ ("default weight"), set->name,
               g_ascii_formatd (w, sizeof w, "%g", set->default_weight));
    }
  {
    const gboolean *zero = sa_collection_get_zero_variance (c);
    guint n_zero = 0;
    for (guint i = 0; i < sa_collection_get_n_sets (c); i++)
      {
        const SaFeatureSet *set = sa_collection_get_set (c, i);
        for (guint j = 0; j < set->length; j++)
          n_zero += zero[set->offset + j] ? 1 : 0;
      }
    g_print ("%s\t%u\n", _ ("constant dimensions"), n_zero);
  }
  if (metadata)
    {
      g_print ("%s\t%u\n", _ ("feature rows without metadata"), r->n_features_without_metadata);
      g_print ("%s\t%u\n", _ ("metadata rows without features"), r->n_metadata_without_features);
    }
  g_print ("%s\t%u\n", _ ("duplicate clip ids in feature file"), r->n_duplicate_feature_ids);
  if (metadata)
    g_print ("%s\t%u\n", _ ("duplicate clip ids in metadata"), r->n_duplicate_metadata_ids);
  for (const char *const *note = sa_collection_get_notes (c); *note; note++)
    g_print ("%s\t%s\n", _ ("note"), *note);
  return 0;
}

/* ---- query ---- */

static void
print_field (const char *text)
{
  for (const char *p = text; *p; p++)
    putchar (*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

static char *
track_path (SaCollection *c, guint t)
{
  char *resolved = sa_collection_resolve_audio (c, t);
  return resolved ? resolved : g_strdup (sa_collection_get_field (c, t, SA_FIELD_PATH));
}

typedef struct
{
  char *features, *metadata, *title, *metric, *weights, *exclude, *format, *audio_root;
  char *clip_id, *top, *mp_sample;
  gboolean no_scaling, no_standardize, mutual_proximity;
} QueryOptions;

static void
query_options_clear (QueryOptions *o)
{
  g_free (o->features);
  g_free (o->metadata);
  g_free (o->title);
  g_free (o->metric);
  g_free (o->weights);
  g_free (o->exclude);
  g_free (o->format);
  g_free (o->audio_root);
  g_free (o->clip_id);
  g_free (o->top);
  g_free (o->mp_sample);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QueryOptions, query_options_clear)

typedef struct
{
  SaMetric metric;
  SaExclude exclude;
  gboolean m3u;
  guint top;
  gboolean top_given;
  guint mp_sample;
} QuerySettings;

/* Checks the options that need no collection; returns -1, or the exit status. */
static int
query_check_options (const QueryOptions *o, QuerySettings *q)
{
  if (o->features == NULL)
    return sa_cli_usage_error ("query", _ ("--features is required"));
  if ((o->clip_id == NULL) == (o->title == NULL))
    return sa_cli_usage_error ("query", _ ("give exactly one of --clip-id and --title"));
  if (o->metric && !sa_metric_from_string (o->metric, &q->metric))
    return sa_cli_usage_error ("query", _ ("--metric must be euclidean, manhattan or cosine"));
  if (o->mutual_proximity && !sa_moments_supports_metric (q->metric))
    return sa_cli_usage_error ("query", _ ("--mutual-proximity works with euclidean or manhattan"));
  if (o->mp_sample)
    {
      guint64 v;
      /* decimal digits only, as --top */
      if (!g_ascii_string_to_unsigned (o->mp_sample, 10, 1, G_MAXINT32, &v, NULL)
          || !g_ascii_isdigit (o->mp_sample[0]))
        return sa_cli_usage_error ("query", _ ("--mp-sample must be a whole number from 1"));
      q->mp_sample = (guint) v;
    }
  if (o->exclude)
    {
      g_auto (GStrv) parts = g_strsplit (o->exclude, ",", -1);
      for (guint i = 0; parts[i]; i++)
        {
          if (g_str_equal (parts[i], "artist"))
            q->exclude |= SA_EXCLUDE_SAME_ARTIST;
          else if (g_str_equal (parts[i], "album"))
            q->exclude |= SA_EXCLUDE_SAME_ALBUM;
          else
            return sa_cli_usage_error ("query", _ ("--exclude-same must be artist or album"));
        }
    }
  if (o->format)
    {
      if (g_str_equal (o->format, "m3u"))
        q->m3u = TRUE;
      else if (!g_str_equal (o->format, "tsv"))
        return sa_cli_usage_error ("query", _ ("--format must be tsv or m3u"));
    }
  if (o->top)
    {
      guint64 v;
      /* decimal digits only: GOption's integers would take hex and octal */
      if (!g_ascii_string_to_unsigned (o->top, 10, 0, G_MAXINT32, &v, NULL)
          || !g_ascii_isdigit (o->top[0]))
        return sa_cli_usage_error ("query", _ ("--top must be a whole number from 0 (such as 10)"));
      q->top = (guint) v;
      q->top_given = TRUE;
    }
  return -1;
}

/* The query's track from --clip-id or --title; returns -1, or the exit status. */
static int
query_find_track (SaCollection *c, const QueryOptions *o, int *query)
{
  guint n = sa_collection_get_n_tracks (c);
  g_autofree char *needle = NULL;
  guint matches = 0;

  if (o->clip_id)
    {
      gint64 id;
      if (!sa_parse_clip_id (o->clip_id, &id))
        return sa_cli_usage_error ("query", _ ("--clip-id must be a decimal integer"));
      *query = sa_collection_find_clip_id (c, id);
      if (*query < 0)
        {
          g_printerr (_ ("soundalike-cli query: clip id %s is not in the collection\n"),
                      o->clip_id);
          return 1;
        }
      return -1;
    }
  needle = g_utf8_casefold (o->title, -1);
  for (guint t = 0; t < n; t++)
    {
      g_autofree char *hay = g_utf8_casefold (sa_collection_get_field (c, t, SA_FIELD_TITLE), -1);
      if (strstr (hay, needle))
        {
          if (*query < 0)
            *query = (int) t;
          matches++;
        }
    }
  if (*query < 0)
    {
      g_printerr (_ ("soundalike-cli query: no track title contains '%s'\n"), o->title);
      return 1;
    }
  if (matches > 1)
    g_printerr (
        _ ("soundalike-cli query: %u titles contain '%s'; using clip id %" PRId64 " (%s)\n"),
        matches, o->title, sa_collection_get_clip_id (c, *query),
        sa_collection_get_field (c, *query, SA_FIELD_TITLE));
  return -1;
}

/* --top beyond the other tracks is clamped, and the user is told. */
static void
query_clamp_top (SaCollection *c, QuerySettings *q)
{
  guint others = sa_collection_get_n_tracks (c) - 1;

  if (q->top <= others)
    return;
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "soundalike-cli query: the collection has %u other track; showing "
                           "%u instead of %u\n",
                           "soundalike-cli query: the collection has %u other tracks; showing "
                           "%u instead of %u\n",
                           others),
              others, others, q->top);
  q->top = others;
}

/* The one M3U writer of src/core (control characters in titles never make entries). */
static void
print_m3u (SaCollection *c, const SaHit *hits, guint n_hits)
{
  g_autoptr (SaM3u) playlist = sa_m3u_new ();

  for (guint i = 0; i < n_hits; i++)
    sa_m3u_add_track (playlist, c, hits[i].track);
  fputs (sa_m3u_get_text (playlist), stdout);
}

static void
print_tsv (SaCollection *c, const SaHit *hits, guint n_hits)
{
  g_print ("rank\tclip_id\tdistance\tartist\ttitle\talbum\tpath\n");
  for (guint i = 0; i < n_hits; i++)
    {
      guint t = hits[i].track;
      g_autofree char *path = track_path (c, t);
      char num[G_ASCII_DTOSTR_BUF_SIZE];

      g_print ("%u\t%" PRId64 "\t%s\t", i, sa_collection_get_clip_id (c, t),
               g_ascii_formatd (num, sizeof num, "%.12g", hits[i].distance));
      print_field (sa_collection_get_field (c, t, SA_FIELD_ARTIST));
      putchar ('\t');
      print_field (sa_collection_get_field (c, t, SA_FIELD_TITLE));
      putchar ('\t');
      print_field (sa_collection_get_field (c, t, SA_FIELD_ALBUM));
      putchar ('\t');
      print_field (path);
      putchar ('\n');
    }
}

static int
cmd_query (int argc, char **argv)
{
  g_auto (QueryOptions) o = { 0 };
  GOptionEntry entries[] = {
    { "features", 0, 0, G_OPTION_ARG_FILENAME, &o.features, N_ ("Feature file (.npz)"), "F.npz" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &o.metadata, N_ ("Metadata file (.csv)"), "M.csv" },
    { "clip-id", 0, 0, G_OPTION_ARG_STRING, &o.clip_id, N_ ("The query's clip id"), "ID" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &o.title,
      N_ ("The first track whose title contains this text (case-insensitive)"), "SUBSTRING" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &o.metric,
      N_ ("euclidean (default), manhattan or cosine"), "METRIC" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &o.weights,
      N_ ("Feature-set weights (default rp=0.5,ssd=0.9)"), "SET=W,..." },
    { "no-set-scaling", 0, 0, G_OPTION_ARG_NONE, &o.no_scaling,
      N_ ("Do not divide each set's sum by its length"), NULL },
    { "no-standardize", 0, 0, G_OPTION_ARG_NONE, &o.no_standardize,
      N_ ("Use the raw values instead of z-scores"), NULL },
    { "top", 0, 0, G_OPTION_ARG_STRING, &o.top, N_ ("Number of results (default 10)"), "K" },
    { "mutual-proximity", 0, 0, G_OPTION_ARG_NONE, &o.mutual_proximity,
      N_ ("Rank by mutual proximity (fewer hubs; euclidean or manhattan)"), NULL },
    { "mp-sample", 0, 0, G_OPTION_ARG_STRING, &o.mp_sample,
      N_ ("Reference tracks per track for mutual proximity (default: all up to 4096 tracks, else "
          "1024)"),
      "S" },
    { "exclude-same", 0, 0, G_OPTION_ARG_STRING, &o.exclude,
      N_ ("Leave out tracks by the query's artist or from its album"), "artist|album" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, N_ ("tsv (default) or m3u"), "FORMAT" },
    { "audio-root", 0, 0, G_OPTION_ARG_FILENAME, &o.audio_root,
      N_ ("Folder where the audio files are (paths are matched by their last parts)"), "DIR" },
    { NULL },
  };
  QuerySettings q = { SA_METRIC_EUCLIDEAN, SA_EXCLUDE_NONE, FALSE, 10, FALSE, 0 };
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaSearch) s = NULL;
  g_autofree SaHit *hits = NULL;
  double weights[SA_MAX_SETS];
  GError *error = NULL;
  int query = -1;
  guint n_hits;
  int status = 0;

  /* 1. the options, and what can be checked without the collection */
  if (!sa_cli_parse ("query", NULL, _ ("Find the tracks most similar to one track."), entries,
                     &argc, &argv, &status))
    return status;
  if ((status = query_check_options (&o, &q)) >= 0)
    return status;
  /* 2. the collection */
  c = sa_collection_load (o.features, o.metadata, NULL, &error);
  if (c == NULL)
    return sa_cli_fail (error);
  sa_collection_set_audio_root (c, o.audio_root);
  /* 3. the weights, on top of the collection's defaults */
  sa_search_default_weights (c, weights);
  if (o.weights && !sa_search_parse_weights (c, o.weights, weights, &error))
    return sa_cli_fail (error);
  /* 4. the query's track, and no more results than there are other tracks */
  if ((status = query_find_track (c, &o, &query)) >= 0)
    return status;
  query_clamp_top (c, &q);
  /* 5. one pass over the matrix, then the ranking */
  s = sa_search_new (c);
  sa_search_set_metric (s, q.metric);
  sa_search_set_standardize (s, !o.no_standardize);
  sa_search_set_set_scaling (s, !o.no_scaling);
  sa_search_set_exclude (s, q.exclude);
  if (o.mutual_proximity)
    {
      /* the per-track moments: from their cache beside the collection, or computed once */
      g_autoptr (SaMoments) moments
          = sa_moments_get (c, q.metric, !o.no_standardize, q.mp_sample, NULL, &error);
      if (moments == NULL)
        return sa_cli_fail (error);
      sa_search_set_mutual_proximity (s, moments);
    }
  sa_search_set_query (s, (guint) query);
  hits = g_new (SaHit, (gsize) q.top + 1);
  n_hits = sa_search_rank (s, weights, q.top, hits);
  /* 6. the results */
  if (q.m3u)
    print_m3u (c, hits, n_hits);
  else
    print_tsv (c, hits, n_hits);
  return 0;
}

/* ---- dispatch ---- */

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *help;
} Command;

static const Command commands[] = {
  { "info", cmd_info, N_ ("Describe a collection (feature file and metadata)") },
  { "query", cmd_query, N_ ("Rank a collection by similarity to one track") },
  { "extract", sa_cli_extract, N_ ("Compute RP and SSD features of one audio file") },
  { "analyze", sa_cli_analyze, N_ ("Analyse folders of audio into a collection") },
  { "merge", sa_cli_merge, N_ ("Join the collections of analysis shards into one") },
  { "demo", sa_cli_demo, N_ ("Make the built-in demo collection") },
  { "bench", sa_cli_bench, N_ ("Measure loading and search speed") },
  { "evaluate", sa_cli_evaluate, N_ ("Measure precision@k, mAP and hubness of a setting") },
  { "suggest-weights", sa_cli_suggest_weights, N_ ("Learn feature-set weights from marks") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _ ("Usage: soundalike-cli COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _ ("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, _ (commands[i].help));
  fprintf (out, "\n%s\n", _ ("Run 'soundalike-cli COMMAND --help' for a command's options."));
}

int
sa_cli_run (int argc, char **argv)
{
  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("soundalike-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);
  g_printerr (_ ("soundalike-cli: unknown command '%s' (see 'soundalike-cli --help')\n"), argv[1]);
  return 2;
}
