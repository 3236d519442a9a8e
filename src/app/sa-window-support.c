/* sa-window-support.c: what the window's parts show of a track, and the window's settings
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sa-compare-view.h"
#include "sa-query-header.h"
#include "sa-result.h"
#include "sa-results-view.h"
#include "sa-track.h"
#include "sa-window-private.h"

/* ---- what a track shows ---- */

char *
sa_window_track_title (SaCollection *c, guint track)
{
  return sa_collection_dup_display_title (c, track);
}

char *
sa_window_track_subtitle (SaCollection *c, guint track)
{
  const char *artist = sa_collection_get_field (c, track, SA_FIELD_ARTIST);
  const char *album = sa_collection_get_field (c, track, SA_FIELD_ALBUM);
  g_autofree char *path = NULL;

  if (*artist && *album)
    /* Translators: artist — album */
    return g_strdup_printf (_ ("%s — %s"), artist, album);
  if (*artist || *album)
    return g_strdup (*artist ? artist : album);
  /* untagged: where the file is */
  path = sa_collection_dup_display_path (c, track);
  if (path && *path)
    return g_path_get_dirname (path);
  return g_strdup (_ ("Unknown artist"));
}

/* No artist and no album anywhere: the lists show the folder instead. */
gboolean
sa_window_collection_is_untagged (SaCollection *c)
{
  guint n = sa_collection_get_n_tracks (c);

  for (guint i = 0; i < n; i++)
    if (*sa_collection_get_field (c, i, SA_FIELD_ARTIST)
        || *sa_collection_get_field (c, i, SA_FIELD_ALBUM))
      return FALSE;
  return n > 0;
}

static guint
sa_window_result_track (GListStore *results, guint i)
{
  g_autoptr (SaResult) r = g_list_model_get_item (G_LIST_MODEL (results), i);
  return sa_result_get_index (r);
}

/* A re-ranking keeps the SaResult of every track still among the results, updated in place:
 * when the tracks are the same in the same order no row is rebuilt and the list emits nothing
 * (a slider move), otherwise the one splice hands the list its old items back and it keeps
 * their rows (building a row's widgets is what a re-ranking cost). */
void
sa_window_fill_results (GListStore *results, SaSearch *search, SaCollection *c,
                        const double *weights, const SaHit *hits, guint n)
{
  guint n_sets = sa_collection_get_n_sets (c);
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (results));
  g_autoptr (GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);
  g_autoptr (GHashTable) old = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  gboolean same = old_n + 1 == n;

  for (guint i = 0; i < old_n; i++)
    {
      SaResult *r = g_list_model_get_item (G_LIST_MODEL (results), i);
      g_hash_table_insert (old, GUINT_TO_POINTER (sa_result_get_index (r)), r);
    }
  /* hits[0] is the query itself */
  for (guint i = 1; i < n; i++)
    {
      double parts[SA_MAX_SETS], sum = 0;
      SaResult *r = g_hash_table_lookup (old, GUINT_TO_POINTER (hits[i].track));

      sa_search_contributions (search, weights, hits[i].track, parts);
      for (guint s = 0; s < n_sets; s++)
        sum += parts[s];
      for (guint s = 0; s < n_sets; s++)
        parts[s] = sum > 0 ? parts[s] / sum : 0;
      if (r)
        {
          sa_result_update (r, i, hits[i].distance, parts, n_sets);
          same &= sa_result_get_index (r) == sa_window_result_track (results, i - 1);
          g_ptr_array_add (items, g_object_ref (r));
        }
      else
        {
          same = FALSE;
          g_ptr_array_add (items,
                           sa_result_new (c, hits[i].track, i, hits[i].distance, parts, n_sets));
        }
    }
  if (!same)
    g_list_store_splice (results, 0, old_n, items->pdata, items->len);
}

/* How many tracks a large collection's histogram shows (sa_search_samples_distances()):
 * enough for its 48 bins to keep their shape, few enough that their rows are read in a few
 * milliseconds. */
#define HISTOGRAM_SAMPLE 10000

/* The histogram of every track's distance, with the shown ones marked; in a large collection
 * the exact distances of a sample spread evenly over it (the histogram says so). */
void
sa_window_update_histogram (SaHistogram *histogram, SaSearch *search, SaCollection *c, int query,
                            const double *weights, const SaHit *hits, guint n)
{
  guint total = sa_collection_get_n_tracks (c), m = 0, shown;
  g_autofree double *all = NULL;
  g_autofree double *marks = g_new (double, MAX (n, 1));

  for (guint i = 1; i < n; i++)
    marks[m++] = hits[i].distance;
  if (sa_search_samples_distances (search))
    {
      g_autofree guint32 *tracks = g_new (guint32, HISTOGRAM_SAMPLE);
      all = g_new (double, HISTOGRAM_SAMPLE);
      shown = sa_search_sample_distances (search, weights, HISTOGRAM_SAMPLE, tracks, all);
      g_object_set (histogram, "sampled-from", total - (query >= 0 ? 1 : 0), NULL);
      sa_histogram_set (histogram, all, shown, marks, m);
      return;
    }
  all = g_new (double, total);
  sa_search_all_distances (search, weights, all);
  if (query >= 0)
    {
      /* the query itself is not a neighbour */
      all[query] = all[total - 1];
      total--;
    }
  g_object_set (histogram, "sampled-from", 0u, NULL);
  sa_histogram_set (histogram, all, total, marks, m);
}

/* ---- what the query header and the compare view show ---- */

void
sa_window_update_query_header (SaWindow *self)
{
  SaExample *example = sa_window_get_example (self);
  int track = sa_window_query_track (self);
  g_autofree char *subtitle = NULL, *title = NULL, *path = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-query", sa_window_has_query (self));
  if (!sa_window_has_query (self))
    {
      sa_query_header_set (self->query_header, NULL, NULL, NULL);
      return;
    }
  if (example)
    {
      const char *artist = sa_example_get_artist (example);
      if (*artist)
        /* Translators: the query came from a file that is not in the collection */
        subtitle = g_strdup_printf (_ ("%s — not in the collection"), artist);
      sa_query_header_set (self->query_header, sa_example_get_title (example),
                           subtitle ? subtitle : _ ("A file that is not in the collection"),
                           sa_example_get_path (example));
      return;
    }
  subtitle = sa_window_track_subtitle (self->collection, (guint) track);
  {
    g_autofree char *tags = sa_window_track_tags (self, track);
    if (tags && *tags)
      {
        /* Translators: the query's subtitle, then its tags from a tag file */
        char *with_tags = g_strdup_printf (_ ("%s · tags: %s"), subtitle, tags);
        g_free (subtitle);
        subtitle = with_tags;
      }
  }
  title = sa_window_track_title (self->collection, (guint) track);
  path = sa_collection_resolve_audio (self->collection, (guint) track);
  sa_query_header_set (
      self->query_header, title, subtitle,
      path ? path : sa_collection_get_field (self->collection, (guint) track, SA_FIELD_PATH));
}

/* The example's features as a row of the collection, made once. */
static const float *
example_row (SaWindow *self, SaExample *example)
{
  float *row = g_object_get_data (G_OBJECT (example), "sa-row");

  if (row == NULL)
    {
      row = sa_example_make_row (example, self->collection);
      g_object_set_data_full (G_OBJECT (example), "sa-row", row, g_aligned_free);
    }
  return row;
}

const float *
sa_window_query_row (SaWindow *self)
{
  if (sa_window_get_example (self))
    return example_row (self, sa_window_get_example (self));
  if (sa_window_query_track (self) >= 0)
    return sa_collection_get_row (self->collection, (guint) sa_window_query_track (self));
  return NULL;
}

/* The heat maps: the query against the selected result, or the nearest one. */
void
sa_window_update_compare (SaWindow *self)
{
  guint pos = sa_results_view_get_selected (self->similar_clips);
  g_autoptr (SaResult) r = NULL;
  g_autofree char *name = NULL;

  if (pos == GTK_INVALID_LIST_POSITION)
    pos = 0;
  r = g_list_model_get_item (G_LIST_MODEL (self->results), pos);
  if (r)
    name = sa_window_track_title (self->collection, sa_result_get_index (r));
  sa_compare_view_set (self->compare_view, self->collection, sa_window_query_row (self),
                       sa_query_header_get_title (self->query_header),
                       r ? sa_collection_get_row (self->collection, sa_result_get_index (r)) : NULL,
                       name, r ? sa_result_get_rank (r) : 0);
}

/* ---- settings ---- */

GSettings *
sa_window_open_settings (GtkWindow *window)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  GSettings *settings;

  if (schema == NULL)
    {
      g_message ("The GSettings schema %s is not installed: settings will not be kept", APP_ID);
      return NULL;
    }
  settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (window, g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (window);
  return settings;
}

gboolean
sa_window_settings_has_key (GSettings *settings, const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema && g_settings_schema_has_key (schema, key);
}

char *
sa_window_recall_for_collection (GSettings *settings, const char *key, SaCollection *c)
{
  g_autoptr (GVariant) map = NULL;
  const char *value = NULL;

  if (!sa_window_settings_has_key (settings, key))
    return NULL;
  map = g_settings_get_value (settings, key);
  if (!g_variant_lookup (map, sa_collection_get_features_path (c), "&s", &value))
    return NULL;
  return g_strdup (value);
}

void
sa_window_remember_for_collection (GSettings *settings, const char *key, SaCollection *c,
                                   const char *value)
{
  g_autoptr (GVariant) old = NULL;
  GVariantBuilder b;
  GVariantIter it;
  const char *k, *v;
  const char *features = sa_collection_get_features_path (c);

  if (!sa_window_settings_has_key (settings, key))
    return;
  old = g_settings_get_value (settings, key);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&it, old);
  while (g_variant_iter_next (&it, "{&s&s}", &k, &v))
    if (!g_str_equal (k, features))
      g_variant_builder_add (&b, "{ss}", k, v);
  if (value)
    g_variant_builder_add (&b, "{ss}", features, value);
  g_settings_set_value (settings, key, g_variant_builder_end (&b));
}

void
sa_window_settle_audio_root (GSettings *settings, SaCollection *c, const char *given)
{
  g_autofree char *root = NULL;

  if (given)
    sa_collection_set_audio_root (c, given);
  if (settings == NULL)
    return;
  if (given || sa_collection_get_audio_root (c))
    {
      sa_window_remember_for_collection (settings, "audio-folders", c,
                                         sa_collection_get_audio_root (c));
      return;
    }
  root = sa_window_recall_for_collection (settings, "audio-folders", c);
  if (root)
    sa_collection_set_audio_root (c, root);
}

void
sa_window_remember_collection (GSettings *settings, SaCollection *c)
{
  const char *metadata = sa_collection_get_metadata_path (c);

  if (settings == NULL)
    return;
  g_settings_set_string (settings, "last-features", sa_collection_get_features_path (c));
  g_settings_set_string (settings, "last-metadata", metadata ? metadata : "");
}

/* A collection whose features and metadata only partly match opens, and says what was left. */
void
sa_window_report_partial_match (SaWindow *self, SaCollection *c)
{
  const SaCollectionReport *r = sa_collection_get_report (c);
  g_autoptr (GString) text = NULL;
  guint total;

  if (r == NULL || (r->n_features_without_metadata == 0 && r->n_metadata_without_features == 0))
    return;
  total = r->n_features_without_metadata + r->n_metadata_without_features;
  text = g_string_new (NULL);
  /* Translators: the message when features and metadata match in part; the details follow */
  g_string_append_printf (
      text, g_dngettext (GETTEXT_PACKAGE, "%'u track left out", "%'u tracks left out", total),
      total);
  g_string_append (text, ": ");
  if (r->n_features_without_metadata)
    /* Translators: tracks of the features file that the metadata file does not list */
    g_string_append_printf (text, _ ("%'u without metadata"), r->n_features_without_metadata);
  if (r->n_features_without_metadata && r->n_metadata_without_features)
    g_string_append (text, ", ");
  if (r->n_metadata_without_features)
    /* Translators: rows of the metadata file that the features file has no features for */
    g_string_append_printf (text, _ ("%'u without features"), r->n_metadata_without_features);
  sa_window_show_message (self, text->str);
}

void
sa_window_load_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GtkCssProvider *css;

  if (g_object_get_data (G_OBJECT (display), "soundalike-css"))
    return;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/soundalike/Soundalike/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "soundalike-css", css, g_object_unref);
}
