/* sa-cli-quality.c: soundalike-cli evaluate and suggest-weights
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "sa-cli-private.h"
#include "sa-collection.h"
#include "sa-error.h"
#include "sa-labels.h"
#include "sa-marks.h"
#include "sa-moments.h"
#include "sa-quality.h"
#include "sa-search.h"
#include "sa-suggest.h"

static void
print_value (const char *name, double v)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_print ("%s\t%s\n", name, isnan (v) ? "nan" : g_ascii_formatd (num, sizeof num, "%.10g", v));
}

int
sa_cli_evaluate (int argc, char **argv)
{
  g_autofree char *features = NULL, *metadata = NULL, *label_column = NULL, *tags = NULL;
  g_autofree char *metric_s = NULL, *weights_s = NULL, *exclude_column = NULL;
  gboolean mutual_proximity = FALSE, no_scaling = FALSE, no_standardize = FALSE;
  int k = 10, mp_sample = 0, n_queries = 0, top_hubs = 0;
  GOptionEntry entries[] = {
    { "features", 0, 0, G_OPTION_ARG_FILENAME, &features, N_ ("Feature file (.npz)"), "F.npz" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &metadata, N_ ("Metadata file (.csv)"), "M.csv" },
    { "label-column", 0, 0, G_OPTION_ARG_STRING, &label_column,
      N_ ("Metadata column whose equal values count as relevant (or a tag file)"), "COL" },
    { "tags", 0, 0, G_OPTION_ARG_FILENAME, &tags,
      N_ ("Tag file: the metadata's index, then one 0/1 column per tag; relevant = shares a tag"),
      "TAGS.csv" },
    { "k", 0, 0, G_OPTION_ARG_INT, &k, N_ ("Neighbours per query (default 10)"), "K" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric_s,
      N_ ("euclidean (default), manhattan or cosine"), "METRIC" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &weights_s,
      N_ ("Feature-set weights (default rp=0.5,ssd=0.9)"), "SET=W,..." },
    { "no-set-scaling", 0, 0, G_OPTION_ARG_NONE, &no_scaling,
      N_ ("Do not divide each set's sum by its length"), NULL },
    { "no-standardize", 0, 0, G_OPTION_ARG_NONE, &no_standardize,
      N_ ("Use the raw values instead of z-scores"), NULL },
    { "mutual-proximity", 0, 0, G_OPTION_ARG_NONE, &mutual_proximity,
      N_ ("Rank by mutual proximity (fewer hubs; euclidean or manhattan)"), NULL },
    { "mp-sample", 0, 0, G_OPTION_ARG_INT, &mp_sample,
      N_ ("Reference tracks per track for mutual proximity (default: all up to 4096 tracks, else "
          "1024)"),
      "S" },
    { "exclude-same-track", 0, 0, G_OPTION_ARG_STRING, &exclude_column,
      N_ ("Leave out neighbours with the query's value in this column (e.g. clips of one "
          "recording)"),
      "COL" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries,
      N_ ("Queries: a fixed random sample of N tracks (default all, or 1000 above 20,000 "
          "tracks)"),
      "N" },
    { "top-hubs", 0, 0, G_OPTION_ARG_INT, &top_hubs,
      N_ ("Also list the N tracks found most often (hubs)"), "N" },
    { NULL },
  };
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaLabels) labels = NULL;
  g_autoptr (SaMoments) moments = NULL;
  g_autoptr (SaQuality) q = NULL;
  SaQualityOptions o;
  SaMetric metric = SA_METRIC_EUCLIDEAN;
  GError *error = NULL;
  int status = 0;

  if (!sa_cli_parse ("evaluate", NULL,
                     _ ("Measure the neighbours of a setting: precision@k and mAP against a "
                        "label, and hubness (k-occurrence skewness, antihubs, Robin Hood "
                        "index).  Prints name<TAB>value lines."),
                     entries, &argc, &argv, &status))
    return status;
  if (features == NULL)
    return sa_cli_usage_error ("evaluate", _ ("--features is required"));
  if (label_column && tags)
    return sa_cli_usage_error ("evaluate", _ ("give at most one of --label-column and --tags"));
  if (k < 1)
    return sa_cli_usage_error ("evaluate", _ ("--k must be at least 1"));
  if (mp_sample < 0 || n_queries < 0 || top_hubs < 0)
    return sa_cli_usage_error ("evaluate",
                               _ ("--mp-sample, --queries and --top-hubs must be positive"));
  if (metric_s && !sa_metric_from_string (metric_s, &metric))
    return sa_cli_usage_error ("evaluate", _ ("--metric must be euclidean, manhattan or cosine"));
  if (mutual_proximity && !sa_moments_supports_metric (metric))
    return sa_cli_usage_error ("evaluate",
                               _ ("--mutual-proximity works with euclidean or manhattan"));

  c = sa_collection_load (features, metadata, NULL, &error);
  if (c == NULL)
    return sa_cli_fail (error);
  sa_quality_options_init (&o, c);
  if (weights_s && !sa_search_parse_weights (c, weights_s, o.weights, &error))
    return sa_cli_fail (error);
  if (label_column)
    labels = sa_labels_new (c, label_column, &error);
  else if (tags)
    labels = sa_labels_load_tags (c, tags, &error);
  if ((label_column || tags) && labels == NULL)
    return sa_cli_fail (error);
  if (mutual_proximity)
    {
      moments = sa_moments_get (c, metric, !no_standardize, (guint) mp_sample, NULL, &error);
      if (moments == NULL)
        return sa_cli_fail (error);
    }
  o.metric = metric;
  o.standardize = !no_standardize;
  o.set_scaling = !no_scaling;
  o.moments = moments;
  o.k = (guint) k;
  o.labels = labels;
  o.exclude_column = exclude_column;
  o.n_queries = (guint) n_queries;
  q = sa_quality_evaluate (c, &o, NULL, &error);
  if (q == NULL)
    return sa_cli_fail (error);
  if (q->sampled)
    g_printerr (_ ("soundalike-cli evaluate: %u of %u tracks as queries (a fixed random sample; "
                   "--queries changes the number); the hubness figures are estimates\n"),
                q->n_queries, q->n_tracks);

  g_print ("k\t%u\n", q->k);
  g_print ("tracks\t%u\n", q->n_tracks);
  g_print ("queries\t%u\n", q->n_queries);
  g_print ("queries_sampled\t%d\n", q->sampled ? 1 : 0);
  if (labels)
    {
      g_print ("labelled_queries\t%u\n", q->n_labelled_queries);
      print_value ("precision_at_k", q->precision_at_k);
      print_value ("map", q->map);
    }
  print_value ("k_occurrence_skewness", q->skewness);
  print_value ("antihub_rate", q->antihub_rate);
  g_print ("max_k_occurrence\t%u\n", q->max_k_occurrence);
  print_value ("robinhood", q->robinhood);
  if (top_hubs > 0)
    {
      g_autofree guint *hubs = g_new (guint, top_hubs);
      guint n = sa_quality_top_hubs (q, (guint) top_hubs, hubs);
      for (guint i = 0; i < n; i++)
        g_print ("hub\t%" G_GINT64_FORMAT "\t%u\t%s\n", sa_collection_get_clip_id (c, hubs[i]),
                 q->k_occurrence[hubs[i]], sa_collection_get_field (c, hubs[i], SA_FIELD_TITLE));
    }
  return 0;
}

int
sa_cli_suggest_weights (int argc, char **argv)
{
  g_autofree char *features = NULL, *metadata = NULL, *marks_path = NULL;
  g_autofree char *metric_s = NULL, *weights_s = NULL;
  gboolean no_scaling = FALSE, no_standardize = FALSE;
  GOptionEntry entries[] = {
    { "features", 0, 0, G_OPTION_ARG_FILENAME, &features, N_ ("Feature file (.npz)"), "F.npz" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &metadata, N_ ("Metadata file (.csv)"), "M.csv" },
    { "marks", 0, 0, G_OPTION_ARG_FILENAME, &marks_path,
      N_ ("Marks: query_clip_id,result_clip_id,mark (good or bad); default: the collection's"),
      "MARKS.csv" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric_s, N_ ("euclidean (default) or manhattan"),
      "METRIC" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &weights_s,
      N_ ("The current weights (default rp=0.5,ssd=0.9)"), "SET=W,..." },
    { "no-set-scaling", 0, 0, G_OPTION_ARG_NONE, &no_scaling,
      N_ ("Do not divide each set's sum by its length"), NULL },
    { "no-standardize", 0, 0, G_OPTION_ARG_NONE, &no_standardize,
      N_ ("Use the raw values instead of z-scores"), NULL },
    { NULL },
  };
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaMarks) marks = NULL;
  g_autofree char *default_marks = NULL;
  double current[SA_MAX_SETS];
  SaSuggestion sug;
  SaMetric metric = SA_METRIC_EUCLIDEAN;
  GError *error = NULL;
  int status = 0;

  if (!sa_cli_parse ("suggest-weights", NULL,
                     _ ("Suggest the feature-set weights that put the most marked pairs in order "
                        "(every good result of a query before every bad one).  Prints "
                        "name<TAB>value lines."),
                     entries, &argc, &argv, &status))
    return status;
  if (features == NULL)
    return sa_cli_usage_error ("suggest-weights", _ ("--features is required"));
  if (metric_s && !sa_metric_from_string (metric_s, &metric))
    return sa_cli_usage_error ("suggest-weights", _ ("--metric must be euclidean or manhattan"));
  c = sa_collection_load (features, metadata, NULL, &error);
  if (c == NULL)
    return sa_cli_fail (error);
  if (weights_s)
    {
      if (!sa_search_parse_weights (c, weights_s, current, &error))
        return sa_cli_fail (error);
    }
  else
    sa_search_default_weights (c, current);
  if (marks_path == NULL)
    marks_path = sa_marks_default_path (c);
  if (!g_file_test (marks_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("soundalike-cli suggest-weights: %s: no such file\n"), marks_path);
      return 1;
    }
  marks = sa_marks_load (marks_path, &error);
  if (marks == NULL)
    return sa_cli_fail (error);
  if (!sa_suggest_weights (c, marks, metric, !no_standardize, !no_scaling, current, &sug, &error))
    return sa_cli_fail (error);
  if (sug.n_pairs == 0)
    g_printerr (_ ("soundalike-cli suggest-weights: %s: no query has both a good and a bad mark; "
                   "the weights stay as they are\n"),
                marks_path);
  for (guint si = 0; si < sa_collection_get_n_sets (c); si++)
    print_value (sa_collection_get_set (c, si)->name, sug.weights[si]);
  g_print ("pairs\t%u\n", sug.n_pairs);
  g_print ("satisfied_current\t%u\n", sug.n_satisfied_current);
  g_print ("satisfied_suggested\t%u\n", sug.n_satisfied);
  if (sug.n_marks_unknown)
    g_print ("marks_not_in_collection\t%u\n", sug.n_marks_unknown);
  return 0;
}
