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

static int
cmd_query (int argc, char **argv)
{
  g_autofree char *features = NULL, *metadata = NULL, *title = NULL, *metric_s = NULL;
  g_autofree char *weights_s = NULL, *exclude_s = NULL, *format_s = NULL, *audio_root = NULL;
  g_autofree char *clip_id_s = NULL;
  gboolean no_scaling = FALSE, no_standardize = FALSE;
  int top = 10;
  GOptionEntry entries[] = {
    { "features", 0, 0, G_OPTION_ARG_FILENAME, &features, N_ ("Feature file (.npz)"), "F.npz" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &metadata, N_ ("Metadata file (.csv)"), "M.csv" },
    { "clip-id", 0, 0, G_OPTION_ARG_STRING, &clip_id_s, N_ ("The query's clip id"), "ID" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title,
      N_ ("The first track whose title contains this text (case-insensitive)"), "SUBSTRING" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric_s,
      N_ ("euclidean (default), manhattan or cosine"), "METRIC" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &weights_s,
      N_ ("Feature-set weights (default rp=0.5,ssd=0.9)"), "SET=W,..." },
    { "no-set-scaling", 0, 0, G_OPTION_ARG_NONE, &no_scaling,
      N_ ("Do not divide each set's sum by its length"), NULL },
    { "no-standardize", 0, 0, G_OPTION_ARG_NONE, &no_standardize,
      N_ ("Use the raw values instead of z-scores"), NULL },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, N_ ("Number of results (default 10)"), "K" },
    { "exclude-same", 0, 0, G_OPTION_ARG_STRING, &exclude_s,
      N_ ("Leave out tracks by the query's artist or from its album"), "artist|album" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_s, N_ ("tsv (default) or m3u"), "FORMAT" },
    { "audio-root", 0, 0, G_OPTION_ARG_FILENAME, &audio_root,
      N_ ("Folder where the audio files are (paths are matched by their last parts)"), "DIR" },
    { NULL },
  };
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaSearch) s = NULL;
  g_autofree SaHit *hits = NULL;
  double weights[SA_MAX_SETS];
  SaMetric metric = SA_METRIC_EUCLIDEAN;
  SaExclude exclude = SA_EXCLUDE_NONE;
  gboolean m3u = FALSE;
  GError *error = NULL;
  int query = -1;
  guint n_hits, n;
  int status = 0;

  if (!sa_cli_parse ("query", NULL, _ ("Find the tracks most similar to one track."), entries,
                     &argc, &argv, &status))
    return status;
  if (features == NULL)
    return sa_cli_usage_error ("query", _ ("--features is required"));
  if ((clip_id_s == NULL) == (title == NULL))
    return sa_cli_usage_error ("query", _ ("give exactly one of --clip-id and --title"));
  if (metric_s && !sa_metric_from_string (metric_s, &metric))
    return sa_cli_usage_error ("query", _ ("--metric must be euclidean, manhattan or cosine"));
  if (exclude_s)
    {
      g_auto (GStrv) parts = g_strsplit (exclude_s, ",", -1);
      for (guint i = 0; parts[i]; i++)
        {
          if (g_str_equal (parts[i], "artist"))
            exclude |= SA_EXCLUDE_SAME_ARTIST;
          else if (g_str_equal (parts[i], "album"))
            exclude |= SA_EXCLUDE_SAME_ALBUM;
          else
            return sa_cli_usage_error ("query", _ ("--exclude-same must be artist or album"));
        }
    }
  if (format_s)
    {
      if (g_str_equal (format_s, "m3u"))
        m3u = TRUE;
      else if (!g_str_equal (format_s, "tsv"))
        return sa_cli_usage_error ("query", _ ("--format must be tsv or m3u"));
    }

  c = sa_collection_load (features, metadata, NULL, &error);
  if (c == NULL)
    return sa_cli_fail (error);
  sa_collection_set_audio_root (c, audio_root);
  n = sa_collection_get_n_tracks (c);
  if (weights_s)
    {
      if (!sa_search_parse_weights (c, weights_s, weights, &error))
        return sa_cli_fail (error);
    }
  else
    sa_search_default_weights (c, weights);
  if (top < 0 || (guint) top > n - 1)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("--top %d is out of range: this collection has %u other tracks"), top, n - 1);
      return sa_cli_usage_error ("query", msg);
    }

  if (clip_id_s)
    {
      gint64 id;
      if (!sa_parse_clip_id (clip_id_s, &id))
        return sa_cli_usage_error ("query", _ ("--clip-id must be an integer"));
      query = sa_collection_find_clip_id (c, id);
      if (query < 0)
        {
          g_printerr (_ ("soundalike-cli query: clip id %s is not in the collection\n"), clip_id_s);
          return 1;
        }
    }
  else
    {
      g_autofree char *needle = g_utf8_casefold (title, -1);
      guint matches = 0;
      for (guint t = 0; t < n; t++)
        {
          g_autofree char *hay
              = g_utf8_casefold (sa_collection_get_field (c, t, SA_FIELD_TITLE), -1);
          if (strstr (hay, needle))
            {
              if (query < 0)
                query = (int) t;
              matches++;
            }
        }
      if (query < 0)
        {
          g_printerr (_ ("soundalike-cli query: no track title contains '%s'\n"), title);
          return 1;
        }
      if (matches > 1)
        g_printerr (
            _ ("soundalike-cli query: %u titles contain '%s'; using clip id %" PRId64 " (%s)\n"),
            matches, title, sa_collection_get_clip_id (c, query),
            sa_collection_get_field (c, query, SA_FIELD_TITLE));
    }

  s = sa_search_new (c);
  sa_search_set_metric (s, metric);
  sa_search_set_standardize (s, !no_standardize);
  sa_search_set_set_scaling (s, !no_scaling);
  sa_search_set_exclude (s, exclude);
  sa_search_set_query (s, (guint) query);
  hits = g_new (SaHit, (gsize) top + 1);
  n_hits = sa_search_rank (s, weights, (guint) top, hits);

  if (m3u)
    {
      g_autoptr (SaM3u) playlist = sa_m3u_new ();
      for (guint i = 0; i < n_hits; i++)
        sa_m3u_add_track (playlist, c, hits[i].track);
      fputs (sa_m3u_get_text (playlist), stdout);
      return 0;
    }
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
  { "demo", sa_cli_demo, N_ ("Make the built-in demo collection") },
  { "bench", sa_cli_bench, N_ ("Measure loading and search speed") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _ ("Usage: soundalike-cli COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _ ("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _ (commands[i].help));
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
