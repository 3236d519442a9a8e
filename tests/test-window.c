/* test-window.c: the real window, driven under Xvfb
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads the tutorial-layout fixture, selects a track and checks the results against
 * the core search, moves the RP slider and checks the new order is the one the core
 * predicts, filters the list, asks for a clip whose audio is missing, and writes PNGs
 * of the window (1400x900 and 900x600, light and dark) to the build folder.
 */
#include "config.h"

#include <gst/gst.h>
#include <adwaita.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sa-compare-view.h"
#include "sa-feature-map.h"
#include "sa-player.h"
#include "sa-results-view.h"
#include "sa-histogram.h"
#include "sa-result.h"
#include "sa-search.h"
#include "sa-track.h"
#include "sa-window.h"

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* A widget of the window's parts, by its id in their templates. */
static GtkWidget *
find_id (GtkWidget *w, const char *name)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));

  if (id && g_str_equal (id, name))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_id (c, name);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
child (SaWindow *window, const char *name)
{
  GtkWidget *w = find_id (GTK_WIDGET (window), name);
  if (w == NULL)
    g_error ("no widget “%s” in the window", name);
  return w;
}

static void
save_png (SaWindow *window, const char *name)
{
  GtkWidget *w = GTK_WIDGET (window);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (w);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int width, height;

  /* slow builds (sanitizers) take a while to map and lay out the window */
  while ((!gtk_widget_get_mapped (w) || gtk_widget_get_width (w) < 100)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  gtk_test_widget_wait_for_draw (w);
  width = gtk_widget_get_width (w);
  height = gtk_widget_get_height (w);
  /* the paintable is empty until the widget has been drawn once */
  for (;;)
    {
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node || g_get_monotonic_time () > end)
        break;
      snapshot = gtk_snapshot_new ();
      gtk_widget_queue_draw (w);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (w)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s (%d x %d)", path, width, height);
}

/* The results the window shows equal the core search with the same settings. */
static void
assert_results_match_core (SaWindow *window, SaCollection *c, double rp, double ssd)
{
  GListModel *results = sa_window_get_results (window);
  g_autoptr (SaSearch) s = sa_search_new (c);
  double w[2] = { rp, ssd };
  SaHit hits[11];
  guint n;

  sa_search_set_exclude (s, SA_EXCLUDE_SAME_FILE);
  sa_search_set_query (s, (guint) sa_window_get_query (window));
  n = sa_search_rank (s, w, 10, hits);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, n - 1);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i - 1);
      g_assert_cmpuint (sa_result_get_index (r), ==, hits[i].track);
      g_assert_cmpfloat (sa_result_get_distance (r), ==, hits[i].distance);
      g_assert_cmpuint (sa_result_get_rank (r), ==, i);
    }
}

static void
test_window (void)
{
  g_autofree char *npz
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "features.npz", NULL);
  g_autofree char *csv
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "metadata.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv, NULL, &error);
  SaWindow *window;
  GListModel *results;
  g_autoptr (GArray) before = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean changed = FALSE;
  guint query = 404;

  g_assert_no_error (error);
  window = sa_window_new (NULL);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_set_collection (window, c);
  /* the tutorial's features and metadata match in part: the window says what was left out */
  g_assert_nonnull (sa_window_get_message (window));
  g_assert_nonnull (strstr (sa_window_get_message (window), "left out"));
  spin (300);

  /* selecting a track makes it the query; results equal the core search */
  sa_window_select_track (window, query);
  g_assert_cmpint (sa_window_get_query (window), ==, query);
  assert_results_match_core (window, c, 0.5, 0.9);
  results = sa_window_get_results (window);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      guint t = sa_result_get_index (r);
      g_assert_cmpuint (t, !=, query); /* the query is in the header, not a result */
      g_array_append_val (before, t);
    }
  spin (200);
  save_png (window, "window-1400x900.png");

  /* select a result, then move the RP slider: the order follows the core */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (
                                         GTK_COLUMN_VIEW (child (window, "results_view")))),
                                     2);
  {
    guint selected_track = g_array_index (before, guint, 2);
    gtk_range_set_value (GTK_RANGE (child (window, "rp_scale")), 0.05);
    assert_results_match_core (window, c, 0.05, 0.9);
    for (guint i = 0; i < g_list_model_get_n_items (results); i++)
      {
        g_autoptr (SaResult) r = g_list_model_get_item (results, i);
        changed |= sa_result_get_index (r) != g_array_index (before, guint, i);
        if (sa_result_get_index (r) == selected_track)
          {
            /* still in the list: still selected */
            GtkSingleSelection *sel = GTK_SINGLE_SELECTION (
                gtk_column_view_get_model (GTK_COLUMN_VIEW (child (window, "results_view"))));
            g_assert_cmpuint (gtk_single_selection_get_selected (sel), ==, i);
          }
      }
    g_assert_true (changed);
  }
  gtk_range_set_value (GTK_RANGE (child (window, "rp_scale")), 1.0);
  assert_results_match_core (window, c, 1.0, 0.9);

  /* the search filters by artist, title or album */
  {
    GListModel *shown = sa_window_get_shown_tracks (window);
    g_autofree char *needle = g_utf8_casefold ("études, vol. 1", -1);
    guint expected = 0;
    gint64 end;
    for (guint t = 0; t < sa_collection_get_n_tracks (c); t++)
      expected += sa_collection_track_matches (c, t, needle);
    g_assert_cmpuint (expected, >, 0);
    g_assert_cmpuint (expected, <, sa_collection_get_n_tracks (c));
    gtk_editable_set_text (GTK_EDITABLE (child (window, "search_entry")), "Études, vol. 1");
    end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (g_list_model_get_n_items (shown) != expected && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, expected);
    for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
      {
        g_autoptr (SaTrack) t = g_list_model_get_item (shown, i);
        g_assert_true (sa_collection_track_matches (c, sa_track_get_index (t), needle));
      }
    /* the query stays */
    g_assert_cmpint (sa_window_get_query (window), ==, query);
  }

  /* a clip whose audio is not on this machine: a message in the window, browsing goes on */
  sa_window_play_track (window, query, 0);
  g_assert_nonnull (sa_window_get_message (window));
  g_assert_nonnull (strstr (sa_window_get_message (window), "not on this computer"));
  spin (400);
  save_png (window, "window-message.png");

  /* small and dark */
  gtk_editable_set_text (GTK_EDITABLE (child (window, "search_entry")), "");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  spin (500);
  save_png (window, "window-900x600.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  spin (500);
  save_png (window, "window-dark.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static gboolean
wait_for (gboolean (*cond) (SaWindow *), SaWindow *window, guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  while (!cond (window) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return cond (window);
}

static gboolean
showing_browser (SaWindow *w)
{
  return !sa_window_is_busy (w)
         && g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (child (w, "stack"))),
                         "browser");
}

static gboolean
not_busy (SaWindow *w)
{
  return !sa_window_is_busy (w);
}

static SaWindow *
new_window (int width, int height)
{
  SaWindow *window = sa_window_new (NULL);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (SaWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* The collection list follows the query: its row is selected and scrolled into view. */
static void
assert_collection_shows (SaWindow *window, guint track)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (child (window, "collection_view"));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  guint pos = gtk_single_selection_get_selected (selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));
  double middle;

  g_assert_cmpuint (pos, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (sa_track_get_index (gtk_single_selection_get_selected_item (selection)), ==,
                    track);
  /* the list scrolls once it is laid out: wait for that (slow sanitized builds take a while),
   * then compare where the view is, as a fraction of the list, with where the row is */
  for (gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;;)
    {
      spin (50);
      middle = gtk_adjustment_get_upper (adj) > 0
                   ? (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) / 2)
                         / gtk_adjustment_get_upper (adj)
                   : -1;
      if (fabs (middle - (pos + 0.5) / n) < 0.05 || g_get_monotonic_time () > end)
        break;
    }
  g_test_message ("track %u at row %u of %u; the view's middle at %.3f", track, pos, n, middle);
  g_assert_cmpfloat (fabs (middle - (pos + 0.5) / n), <, 0.05);
}

/* Activating a result makes it the query; Back and Forward walk the history. */
static void
test_walk (void)
{
  g_autofree char *npz
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "features.npz", NULL);
  g_autofree char *csv
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "metadata.csv", NULL);
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv, NULL, NULL);
  SaWindow *window = g_object_ref_sink (sa_window_new (NULL));
  guint first = 2000, second; /* far down the list: the list must scroll to it */

  sa_window_set_collection (window, c);
  /* settings persist (the earlier test left rp at 1.0): back to the tutorial's weights */
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (child (window, "rp_scale"))), ==, 1.0);
  gtk_range_set_value (GTK_RANGE (child (window, "rp_scale")), 0.5);
  gtk_range_set_value (GTK_RANGE (child (window, "ssd_scale")), 0.9);
  /* a query chosen before the window is shown: the list scrolls to it once it is laid out */
  sa_window_select_track (window, first);
  spin (100);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  assert_collection_shows (window, first);
  {
    g_autoptr (SaResult) r = g_list_model_get_item (sa_window_get_results (window), 2);
    second = sa_result_get_index (r);
  }
  /* Enter or a double click on the third result */
  g_signal_emit_by_name (child (window, "results_view"), "activate", 2);
  g_assert_cmpint (sa_window_get_query (window), ==, second);
  assert_collection_shows (window, second);
  assert_results_match_core (window, c, 0.5, 0.9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpint (sa_window_get_query (window), ==, first);
  assert_collection_shows (window, first);
  assert_results_match_core (window, c, 0.5, 0.9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL));
  g_assert_cmpint (sa_window_get_query (window), ==, second);
  assert_collection_shows (window, second);
  /* sorted by a column, the rows are found all the same */
  {
    GtkColumnView *view = GTK_COLUMN_VIEW (child (window, "collection_view"));
    g_autoptr (GtkColumnViewColumn) title
        = g_list_model_get_item (gtk_column_view_get_columns (view), 1);
    gtk_column_view_sort_by_column (view, title, GTK_SORT_DESCENDING);
    spin (100);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
    assert_collection_shows (window, first);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL));
    assert_collection_shows (window, second);
    /* item 4: titles sort naturally ("no. 9" before "no. 10") */
    gtk_column_view_sort_by_column (view, title, GTK_SORT_ASCENDING);
    spin (100);
    {
      GListModel *shown = sa_window_get_shown_tracks (window);
      const char *prefix = "Made-up \"track\", no. ";
      long last = -1;
      guint seen = 0;
      for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
        {
          g_autoptr (SaTrack) t = g_list_model_get_item (shown, i);
          const char *tt = sa_track_get_title (t);
          if (g_str_has_prefix (tt, prefix))
            {
              long number = strtol (tt + strlen (prefix), NULL, 10);
              g_assert_cmpint (number, >=, last);
              last = number;
              seen++;
            }
        }
      g_assert_cmpuint (seen, >, 10);
    }
    gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  }

  /* the playlist of the query and its results */
  {
    g_autofree char *m3u = g_test_build_filename (G_TEST_BUILT, "walk.m3u", NULL);
    g_autofree char *text = NULL;
    g_autoptr (GError) error = NULL;
    g_auto (GStrv) lines = NULL;
    g_assert_true (sa_window_export_playlist (window, m3u, &error));
    g_assert_true (g_file_get_contents (m3u, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "#EXTM3U\n"));
    lines = g_strsplit (text, "\n", -1);
    /* a header, then two lines per result (the query's audio is not on this machine) */
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * 10 + 1);
  }
  close_window (window);
}

static char *
render_widget_png (GtkWidget *w, const char *name, GBytes **pixels)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (w);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  int width, height;
  guchar *data;
  gsize stride;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((!gtk_widget_get_mapped (w) || gtk_widget_get_width (w) < 100)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  width = gtk_widget_get_width (w);
  height = gtk_widget_get_height (w);
  stride = (gsize) width * 4;
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (w)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  data = g_malloc (stride * height);
  gdk_texture_download (texture, data, stride);
  *pixels = g_bytes_new_take (data, stride * height);
  return path;
}

static guint
distinct_colours (GBytes *pixels)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  gsize n;
  const guint32 *p = g_bytes_get_data (pixels, &n);
  for (gsize i = 0; i < n / 4; i += 7)
    g_hash_table_add (seen, GUINT_TO_POINTER (p[i]));
  return g_hash_table_size (seen);
}

/* A folder analysed from the window opens as a collection; a file from outside finds its
 * neighbours; the heat maps draw the features of two clips differently. */
static void
test_analysis_and_example (void)
{
  g_autofree char *signals = g_test_build_filename (G_TEST_BUILT, "signals", NULL);
  g_autofree char *music = g_test_build_filename (G_TEST_BUILT, "window-music", NULL);
  const char *names[] = { "white_noise.wav", "clicks_120bpm.wav", "chord_tremolo_4hz.wav",
                          "sine440_m6dBFS.wav", "stereo_diff.wav" };
  SaWindow *window = new_window (1400, 900);
  GListModel *results;
  g_autoptr (GBytes) px1 = NULL, px2 = NULL;
  g_autofree char *png1 = NULL, *png2 = NULL;

  g_mkdir_with_parents (music, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *src = g_build_filename (signals, names[i], NULL);
      g_autofree char *dst = g_build_filename (music, names[i], NULL);
      g_autoptr (GFile) a = g_file_new_for_path (src);
      g_autoptr (GFile) b = g_file_new_for_path (dst);
      g_assert_true (g_file_copy (a, b, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
    }

  /* the same call the drop handler makes for a folder */
  sa_window_analyze_folder (window, music);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (window, "stack"))), ==,
                   "loading");
  g_assert_true (gtk_widget_get_visible (child (window, "progress")));
  spin (300);
  save_png (window, "window-analysing.png");
  g_assert_true (wait_for (showing_browser, window, 120));
  g_assert_nonnull (sa_window_get_collection (window));
  g_assert_cmpuint (sa_collection_get_n_tracks (sa_window_get_collection (window)), ==,
                    G_N_ELEMENTS (names));

  /* the same call the drop handler makes for an audio file */
  {
    g_autofree char *example = g_build_filename (signals, "pink_am_2hz.wav", NULL);
    sa_window_query_by_example (window, example);
    g_assert_true (wait_for (not_busy, window, 60));
    g_assert_cmpint (sa_window_get_query (window), ==, -1);
    results = sa_window_get_results (window);
    g_assert_cmpuint (g_list_model_get_n_items (results), ==, G_N_ELEMENTS (names));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (window, "title"))), ==,
                     "pink_am_2hz.wav");
    g_assert_cmpuint (sa_histogram_get_n_values (SA_HISTOGRAM (child (window, "histogram"))), ==,
                      G_N_ELEMENTS (names));
  }

  /* the heat maps of the query against two different clips */
  gtk_stack_set_visible_child_name (GTK_STACK (child (window, "results_stack")), "compare");
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (
                                         GTK_COLUMN_VIEW (child (window, "results_view")))),
                                     0);
  spin (400);
  png1 = render_widget_png (child (window, "rp_map"), "heatmap-1.png", &px1);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (
                                         GTK_COLUMN_VIEW (child (window, "results_view")))),
                                     3);
  spin (400);
  png2 = render_widget_png (child (window, "rp_map"), "heatmap-2.png", &px2);
  g_test_message ("heat maps: %s (%u colours), %s (%u colours)", png1, distinct_colours (px1), png2,
                  distinct_colours (px2));
  g_assert_cmpuint (distinct_colours (px1), >, 50);
  g_assert_false (g_bytes_equal (px1, px2));
  {
    g_autofree char *tip
        = sa_feature_map_describe (SA_FEATURE_MAP (child (window, "rp_map")), 100, 60);
    g_assert_nonnull (tip);
    g_assert_nonnull (strstr (tip, "Hz"));
    g_assert_nonnull (strstr (tip, "BPM"));
  }
  save_png (window, "window-compare.png");

  /* item 5: the compare view names the compared clip; with nothing selected, the nearest */
  {
    const char *heading
        = sa_compare_view_get_heading (SA_COMPARE_VIEW (child (window, "compare_view")));
    g_autoptr (SaResult) r = g_list_model_get_item (results, 3);
    g_assert_nonnull (strstr (heading, "compared with"));
    g_assert_nonnull (strstr (heading, sa_track_get_title (sa_result_get_track (r))));
    sa_results_view_select (SA_RESULTS_VIEW (child (window, "similar_clips")),
                            GTK_INVALID_LIST_POSITION);
    heading = sa_compare_view_get_heading (SA_COMPARE_VIEW (child (window, "compare_view")));
    g_assert_nonnull (strstr (heading, "(no. 1)"));
  }
  gtk_stack_set_visible_child_name (GTK_STACK (child (window, "results_stack")), "list");

  /* item 6: an untagged track shows its file name and folder */
  sa_window_select_track (window, 1);
  {
    const char *subtitle = gtk_label_get_label (GTK_LABEL (child (window, "subtitle")));
    g_assert_null (strstr (subtitle, "Unknown"));
    g_assert_nonnull (strstr (subtitle, "window-music"));
  }

  /* item 2: a row's play button selects its row, and A/B compares the query with the clip
   * heard last, not with the row selected since */
  {
    SaResultsView *view = SA_RESULTS_VIEW (child (window, "similar_clips"));
    SaPlayer *player = sa_window_get_player (window);
    g_autoptr (SaResult) r = g_list_model_get_item (results, 2);
    guint b = sa_result_get_index (r);
    g_signal_emit_by_name (view, "play", b);
    g_assert_cmpint (sa_results_view_get_selected_track (view), ==, b);
    g_assert_cmpint (sa_window_get_last_heard (window), ==, b);
    g_assert_cmpint (sa_player_get_tag (player), ==, b);
    sa_results_view_select (view, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
    g_assert_cmpint (sa_player_get_tag (player), ==, sa_window_get_query (window));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
    g_assert_cmpint (sa_player_get_tag (player), ==, b);
    g_assert_cmpint (sa_results_view_get_selected_track (view), ==, b);
    spin (300);
    save_png (window, "window-playing.png");
    sa_player_stop (player);
  }

  /* item 1: the rows' play buttons take no focus, so that Enter on a row walks */
  {
    GtkWidget *rv = child (window, "results_view");
    GtkWidget *button = NULL;
    for (GtkWidget *w = rv; w && button == NULL;)
      {
        if (GTK_IS_BUTTON (w) && gtk_widget_has_css_class (w, "row-play"))
          button = w;
        else if (gtk_widget_get_first_child (w))
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w && w != rv && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w && w != rv ? gtk_widget_get_next_sibling (w) : NULL;
          }
      }
    g_assert_nonnull (button);
    g_assert_false (gtk_widget_get_focusable (button));
  }
  close_window (window);
}

static void
test_welcome (void)
{
  SaWindow *window = sa_window_new (NULL);
  GtkStack *stack = GTK_STACK (child (window, "stack"));
  g_autofree char *bad
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "metadata.csv", NULL);
  gint64 end;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  spin (300);
  save_png (window, "window-welcome.png");

  /* a broken file: the error, with the file and the problem, on the start page */
  sa_window_open (window, bad, NULL, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "loading");
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_str_equal (gtk_stack_get_visible_child_name (stack), "loading")
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  g_assert_true (gtk_widget_get_visible (child (window, "error_label")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (window, "error_label"))), bad));
  spin (200);
  save_png (window, "window-welcome-error.png");

  /* a FIFO as the features file: an error at once, never a "Loading…" that does not end */
  {
    g_autofree char *fifo = g_test_build_filename (G_TEST_BUILT, "window-fifo.npz", NULL);
    g_unlink (fifo);
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    sa_window_open (window, fifo, NULL, NULL);
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
    g_assert_false (sa_window_is_busy (window));
    g_assert_nonnull (
        strstr (gtk_label_get_label (GTK_LABEL (child (window, "error_label"))), "not a regular"));
    g_unlink (fifo);
  }

  /* the demo's first build can be cancelled: back on the welcome page, nothing busy */
  sa_window_open_demo (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "loading");
  g_assert_true (gtk_widget_get_visible (child (window, "cancel")));
  g_signal_emit_by_name (child (window, "cancel"), "clicked");
  g_assert_true (wait_for (not_busy, window, 60));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The mean brightness (0..1) of a PNG the window wrote. */
static double
png_brightness (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  int w, h;
  g_autofree guchar *data = NULL;
  double sum = 0;

  g_assert_no_error (error);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, (gsize) w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    sum += (data[i * 4] + data[i * 4 + 1] + data[i * 4 + 2]) / (3 * 255.0);
  return sum / ((double) w * h);
}

/* Every page, light and dark, small and large: written for people to look at, and checked
 * for what can be checked (the size, and that dark is dark). */
static void
test_screenshots (void)
{
  g_autofree char *npz
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "features.npz", NULL);
  g_autofree char *csv
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "metadata.csv", NULL);
  g_autoptr (SaCollection) c = sa_collection_load (npz, csv, NULL, NULL);
  static const int sizes[][2] = { { 900, 600 }, { 1400, 900 } };
  static const char *pages[] = { "welcome", "no-query", "list", "compare", "no-match" };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (int dark = 0; dark < 2; dark++)
    for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          SaWindow *window = new_window (sizes[z][0], sizes[z][1]);
          g_autofree char *name = g_strdup_printf (
              "page-%s-%s-%dx%d.png", pages[p], dark ? "dark" : "light", sizes[z][0], sizes[z][1]);
          g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
          double light;

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
          if (p > 0)
            {
              sa_window_set_collection (window, c);
              if (!g_str_equal (pages[p], "no-query"))
                sa_window_select_track (window, 404);
              if (g_str_equal (pages[p], "compare"))
                gtk_stack_set_visible_child_name (GTK_STACK (child (window, "results_stack")),
                                                  "compare");
              if (g_str_equal (pages[p], "no-match"))
                gtk_editable_set_text (GTK_EDITABLE (child (window, "search_entry")),
                                       "no such artist anywhere");
            }
          spin (400);
          save_png (window, name);
          light = png_brightness (path);
          g_test_message ("%s: brightness %.2f", name, light);
          g_assert_cmpfloat (dark ? light : 1 - light, <, 0.5);
          close_window (window);
        }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char **argv)
{
  /* analysed collections go below the build folder, not the user's data folder */
  const char *built = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *data = g_build_filename (built ? built : ".", "window-xdg-data", NULL);
  g_autofree char *cache = g_build_filename (built ? built : ".", "window-xdg-cache", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE); /* the demo collection, built and cancelled */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gst_init (&argc, &argv);
  /* no cross-fades: a page is drawn as it is, not half-way from the one before */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_test_add_func ("/soundalike/window/welcome", test_welcome);
  g_test_add_func ("/soundalike/window/browse", test_window);
  g_test_add_func ("/soundalike/window/walk", test_walk);
  g_test_add_func ("/soundalike/window/analysis-and-example", test_analysis_and_example);
  g_test_add_func ("/soundalike/window/screenshots", test_screenshots);
  return g_test_run ();
}
