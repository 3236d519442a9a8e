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
#include "sa-marks.h"
#include "sa-moments.h"
#include "sa-quality.h"
#include "sa-quality-panel.h"
#include "sa-format.h"
#include "sa-tuning-row.h"
#include "sa-result.h"
#include "sa-search.h"
#include "sa-store.h"
#include "sa-track.h"
#include "sa-window.h"
#include "sa-weights-panel.h"

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

/* The render node of @w once it has been mapped, laid out and drawn: a slow build (ASan)
 * may take seconds to get there, and the renderer must never be given NULL. */
static GskRenderNode *
wait_for_node (GtkWidget *w, int *width, int *height)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (w);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + 120 * G_USEC_PER_SEC;

  for (;;)
    {
      *width = gtk_widget_get_width (w);
      *height = gtk_widget_get_height (w);
      if (gtk_widget_get_mapped (w) && *width > 0 && *height > 0)
        {
          g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
          GskRenderNode *node;

          gdk_paintable_snapshot (paintable, snapshot, *width, *height);
          node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
          if (node)
            {
              if (g_get_monotonic_time () - start > G_USEC_PER_SEC)
                g_test_message ("%s: drawn after %.1f s", G_OBJECT_TYPE_NAME (w),
                                (g_get_monotonic_time () - start) / 1e6);
              return node;
            }
        }
      if (g_get_monotonic_time () > end)
        g_error ("%s “%s” has no render node after 120 s (mapped %d, visible %d, %d x %d): "
                 "it was never drawn",
                 G_OBJECT_TYPE_NAME (w), gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)),
                 gtk_widget_get_mapped (w), gtk_widget_get_visible (w), *width, *height);
      gtk_widget_queue_draw (w);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static GdkTexture *
render_texture (GtkWidget *w, int *width, int *height)
{
  g_autoptr (GskRenderNode) node = wait_for_node (w, width, height);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (w)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, *width, *height));
}

/* The popovers open in @w's widget tree. */
static void
find_open_popovers (GtkWidget *w, GPtrArray *out)
{
  if (GTK_IS_POPOVER (w) && gtk_widget_get_mapped (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    find_open_popovers (c, out);
}

/* Where @popover's widget is in @window's coordinates: a popover is a surface of its own
 * (a popup), placed relative to the window's surface; each surface has its widget at an
 * offset (the window's shadow, say). */
static void
popover_origin (GtkWidget *window, GtkWidget *popover, double *x, double *y)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (popover));
  double wx, wy, px, py;

  gtk_native_get_surface_transform (GTK_NATIVE (window), &wx, &wy);
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &px, &py);
  *x = gdk_popup_get_position_x (GDK_POPUP (surface)) + px - wx;
  *y = gdk_popup_get_position_y (GDK_POPUP (surface)) + py - wy;
}

/* A PNG of @window (or of a popover alone) as it is seen: the window's own drawing holds
 * none of its open popovers, so each is drawn over it where its surface is (the picture
 * grows when a popover reaches past the window's edge, as it does on the screen). */
static void
save_png (SaWindow *window, const char *name)
{
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr (GPtrArray) popovers = g_ptr_array_new ();
  g_autoptr (GPtrArray) nodes
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  graphene_rect_t bounds;
  int width, height;

  g_ptr_array_add (nodes, wait_for_node (GTK_WIDGET (window), &width, &height));
  graphene_rect_init (&bounds, 0, 0, width, height);
  if (!GTK_IS_POPOVER (window))
    find_open_popovers (GTK_WIDGET (window), popovers);
  gtk_snapshot_append_node (snapshot, g_ptr_array_index (nodes, 0));
  for (guint i = 0; i < popovers->len; i++)
    {
      GtkWidget *popover = g_ptr_array_index (popovers, i);
      int pw, ph;
      GskRenderNode *pnode = wait_for_node (popover, &pw, &ph);
      double x, y;

      g_ptr_array_add (nodes, pnode);
      popover_origin (GTK_WIDGET (window), popover, &x, &y);
      g_test_message ("%s: a popover of %d x %d at %.0f, %.0f", name, pw, ph, x, y);
      graphene_rect_union (&bounds, &GRAPHENE_RECT_INIT ((float) x, (float) y, pw, ph), &bounds);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
      gtk_snapshot_append_node (snapshot, pnode);
      gtk_snapshot_restore (snapshot);
    }
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (
      gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (window))), node, &bounds);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s (%d x %d)", path, gdk_texture_get_width (texture),
                  gdk_texture_get_height (texture));
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
suggestion_left_applied (SaWindow *w)
{
  SaWeightsPanel *panel = SA_WEIGHTS_PANEL (child (w, "weights_panel"));
  return sa_weights_panel_get_suggestion_state (panel) != SA_SUGGESTION_APPLIED;
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
  /* win.show-tuning (Ctrl+T) hides the weights and options, remembered, and shows them again */
  {
    GtkRevealer *revealer = GTK_REVEALER (child (window, "tuning_revealer"));
    GtkToggleButton *button = GTK_TOGGLE_BUTTON (child (window, "tuning_button"));
    g_autoptr (GSettings) settings = g_settings_new ("io.github.soundalike.Soundalike");

    g_assert_true (gtk_revealer_get_reveal_child (revealer));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tuning", NULL));
    g_assert_false (gtk_revealer_get_reveal_child (revealer));
    g_assert_false (gtk_toggle_button_get_active (button));
    g_assert_false (g_settings_get_boolean (settings, "show-tuning"));
    g_signal_emit_by_name (button, "clicked"); /* a click on Tuning */
    g_assert_true (gtk_revealer_get_reveal_child (revealer));
    g_assert_true (gtk_toggle_button_get_active (button));
    g_assert_true (g_settings_get_boolean (settings, "show-tuning"));
  }
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
  g_autoptr (GdkTexture) texture = NULL;
  char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  int width, height;
  guchar *data;
  gsize stride;

  texture = render_texture (w, &width, &height);
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  stride = (gsize) width * 4;
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

/* ---- issue 14: mutual proximity, marks, suggested weights ---- */

static gboolean
mp_settled (SaWindow *w)
{
  SaMpState state = sa_tuning_row_get_state (SA_TUNING_ROW (child (w, "tuning_row")));
  return state != SA_MP_STATE_COMPUTING;
}

/* The window's results equal the core's with the same weights and moments (NULL: plain). */
static void
assert_results_match_mp (SaWindow *window, SaCollection *c, SaMetric metric, SaMoments *moments,
                         double rp, double ssd)
{
  GListModel *results = sa_window_get_results (window);
  g_autoptr (SaSearch) s = sa_search_new (c);
  double w[2] = { rp, ssd };
  SaHit hits[11];
  guint n;

  sa_search_set_metric (s, metric);
  sa_search_set_exclude (s, SA_EXCLUDE_SAME_FILE);
  if (moments)
    g_assert_true (sa_search_set_mutual_proximity (s, moments));
  sa_search_set_query (s, (guint) sa_window_get_query (window));
  n = sa_search_rank (s, w, 10, hits);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, n - 1);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i - 1);
      g_assert_cmpuint (sa_result_get_index (r), ==, hits[i].track);
      g_assert_cmpfloat (sa_result_get_distance (r), ==, hits[i].distance);
    }
}

/* While the moments are computed the row shows a bar and "Computing… N %" that only grow,
 * from 0; when they are there, "Ready" and no bar.  (The fixture is small: the bar may go
 * from 0 to done between two looks.) */
static void
assert_mp_progress (SaWindow *window, SaTuningRow *row)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (child (window, "mp_progress"));
  GtkLabel *status = GTK_LABEL (child (window, "status_label"));
  double last = 0;
  guint looks = 0;
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_assert_cmpfloat (sa_tuning_row_get_progress (row), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Computing… 0%");
  while (sa_tuning_row_get_state (row) == SA_MP_STATE_COMPUTING && g_get_monotonic_time () < end)
    {
      double p = sa_tuning_row_get_progress (row);
      g_autofree char *percent = sa_format_percent (p, 0);
      g_autofree char *text = g_strdup_printf ("Computing… %s", percent);

      g_assert_cmpfloat (p, >=, last);
      g_assert_cmpfloat (p, <=, 1);
      g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, p);
      g_assert_cmpstr (gtk_label_get_text (status), ==, text);
      if (p > 0 && last == 0) /* once, for people to look at */
        save_png (window, "window-mp-computing.png");
      last = p;
      looks++;
      g_main_context_iteration (NULL, FALSE);
    }
  g_test_message ("moments: %u looks at the progress, the last at %.2f", looks, last);
  g_assert_cmpint (sa_tuning_row_get_state (row), !=, SA_MP_STATE_COMPUTING);
  g_assert_cmpfloat (sa_tuning_row_get_progress (row), ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Ready");
}

static gboolean
quality_measured (SaWindow *w)
{
  return !sa_quality_panel_is_busy (SA_QUALITY_PANEL (child (w, "quality_panel")));
}

/* The panel shows what sa-quality measures for the same setting and sample of queries. */
static void
assert_quality_matches_core (SaWindow *window, SaCollection *c, double rp, double ssd,
                             const char *column)
{
  SaQualityOptions o;
  g_autoptr (SaQuality) q = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *skew = NULL, *p = NULL;

  sa_quality_options_init (&o, c);
  o.weights[0] = rp;
  o.weights[1] = ssd;
  o.n_queries = MIN (sa_collection_get_n_tracks (c), SA_QUALITY_PANEL_MAX_QUERIES);
  if (column)
    o.labels = sa_labels_from_column (c, column, &error);
  g_assert_no_error (error);
  q = sa_quality_evaluate (c, &o, NULL, &error);
  g_assert_no_error (error);
  skew = sa_format_decimal (q->skewness, 2);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (window, "skew_label"))), ==, skew);
  if (column)
    {
      p = sa_format_decimal (q->precision_at_k, 3);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (window, "precision_label"))), ==, p);
    }
  else
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (window, "precision_label"))), ==, "–");
  g_assert_true (q->sampled);
  g_assert_nonnull (
      strstr (gtk_label_get_text (GTK_LABEL (child (window, "quality_status"))), "Sampled"));
  if (o.labels)
    sa_labels_free (o.labels);
}

static void
select_result (SaWindow *window, guint pos)
{
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (
                                         GTK_COLUMN_VIEW (child (window, "results_view")))),
                                     pos);
}

static int
result_mark (SaWindow *window, guint pos)
{
  g_autoptr (SaResult) r = g_list_model_get_item (sa_window_get_results (window), pos);
  return sa_result_get_mark (r);
}

static guint
result_track (SaWindow *window, guint pos)
{
  g_autoptr (SaResult) r = g_list_model_get_item (sa_window_get_results (window), pos);
  return sa_result_get_index (r);
}

static void
test_quality (void)
{
  g_autofree char *src_npz
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "features.npz", NULL);
  g_autofree char *src_csv
      = g_test_build_filename (G_TEST_DIST, "data", "tutorial", "metadata.csv", NULL);
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "window-quality", NULL);
  g_autofree char *npz = g_build_filename (dir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (dir, "metadata.csv", NULL);
  g_autofree char *marks_path = NULL;
  g_autofree char *src_tags_path = g_test_build_filename (
      G_TEST_DIST, "data", "ismir2018_tut_part_2_similarity_labels_subset.csv", NULL);
  g_autofree char *tags = g_build_filename (dir, "tags.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  g_autoptr (SaMoments) moments = NULL;
  g_autoptr (SaMarks) saved = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  SaWindow *window;
  SaTuningRow *row;
  GtkRange *rp, *ssd;
  guint query = 404, good, bad;
  double r0 = 0, s0 = 0;

  /* a copy of the fixture: marks and moments are written beside the collection */
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (g_file_get_contents (src_npz, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (npz, contents, length, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (src_csv, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (csv, contents, length, NULL));
  g_clear_pointer (&contents, g_free);
  c = sa_collection_load (npz, csv, NULL, &error);
  g_assert_no_error (error);
  marks_path = sa_marks_default_path (c);
  g_unlink (marks_path);
  g_unlink (tags);
  {
    g_autofree char *cache = sa_moments_cache_path (c, SA_METRIC_EUCLIDEAN, TRUE, 0);
    g_unlink (cache);
  }

  window = new_window (1400, 900);
  sa_window_set_collection (window, c);
  row = SA_TUNING_ROW (child (window, "tuning_row"));
  rp = GTK_RANGE (child (window, "rp_scale"));
  ssd = GTK_RANGE (child (window, "ssd_scale"));
  gtk_range_set_value (rp, 0.5);
  gtk_range_set_value (ssd, 0.9);
  sa_window_select_track (window, query);
  g_assert_cmpint (sa_tuning_row_get_state (row), ==, SA_MP_STATE_OFF);
  assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, NULL, 0.5, 0.9);

  /* 1. mutual proximity: computed in the background, then the ranking is the core's MP */
  sa_tuning_row_set_mutual_proximity (row, TRUE);
  g_assert_cmpint (sa_tuning_row_get_state (row), ==, SA_MP_STATE_COMPUTING);
  assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, NULL, 0.5, 0.9); /* until ready */
  assert_mp_progress (window, row);
  g_assert_cmpint (sa_tuning_row_get_state (row), ==, SA_MP_STATE_READY);
  moments = sa_moments_get (c, SA_METRIC_EUCLIDEAN, TRUE, 0, NULL, &error); /* the cache */
  g_assert_no_error (error);
  assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, moments, 0.5, 0.9);
  gtk_range_set_value (rp, 0.1); /* the slider path with MP */
  assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, moments, 0.1, 0.9);
  spin (300);
  save_png (window, "window-mutual-proximity.png");
  /* cosine has none: the switch says why and the ranking is the plain one */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (window, "metric_dropdown")), 2);
  g_assert_cmpint (sa_tuning_row_get_state (row), ==, SA_MP_STATE_UNAVAILABLE);
  g_assert_false (gtk_widget_get_sensitive (child (window, "mp_switch")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (child (window, "mp_switch")), "cosine"));
  sa_window_select_track (window, query);
  assert_results_match_mp (window, c, SA_METRIC_COSINE, NULL, 0.1, 0.9);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (window, "metric_dropdown")), 0);
  sa_window_select_track (window, query);
  g_assert_true (wait_for (mp_settled, window, 120));
  g_assert_cmpint (sa_tuning_row_get_state (row), ==, SA_MP_STATE_READY);
  assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, moments, 0.1, 0.9);
  /* off: exactly the plain ranking again */
  sa_tuning_row_set_mutual_proximity (row, FALSE);
  g_assert_cmpint (sa_tuning_row_get_state (row), ==, SA_MP_STATE_OFF);
  assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, NULL, 0.1, 0.9);
  gtk_range_set_value (rp, 0.5);

  /* 3 (before any mark). Suggest Weights says what to do */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
  g_assert_nonnull (strstr (sa_window_get_message (window), "No marks yet"));

  /* 2. marks: + on the selected result, the row's button for another; saved beside the
   * collection and shown on the rows */
  select_result (window, 0);
  good = result_track (window, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-good", NULL);
  g_assert_cmpint (result_mark (window, 0), ==, SA_MARK_GOOD);
  bad = result_track (window, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark", "(uu)", bad, SA_MARK_BAD);
  g_assert_cmpint (result_mark (window, 1), ==, SA_MARK_BAD);
  g_assert_cmpint (result_mark (window, 2), ==, SA_MARK_NONE);
  /* - twice on the same result: marked, then unmarked */
  select_result (window, 2);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-bad", NULL);
  g_assert_cmpint (result_mark (window, 2), ==, SA_MARK_BAD);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mark-bad", NULL);
  g_assert_cmpint (result_mark (window, 2), ==, SA_MARK_NONE);
  saved = sa_marks_load (marks_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sa_marks_get_n (saved), ==, 2);
  g_assert_cmpint (sa_marks_get (saved, sa_collection_get_clip_id (c, query),
                                 sa_collection_get_clip_id (c, good)),
                   ==, SA_MARK_GOOD);
  g_assert_cmpint (sa_marks_get (saved, sa_collection_get_clip_id (c, query),
                                 sa_collection_get_clip_id (c, bad)),
                   ==, SA_MARK_BAD);
  spin (300);
  save_png (window, "window-marks.png");

  /* 3. Suggest Weights: shown on the sliders, which stay; Apply moves them (the results follow);
   * Restore puts back the exact weights from before.  The sliders start where the marked
   * pair is out of order, so that the suggestion has to move them. */
  {
    g_autoptr (SaSearch) s = sa_search_new (c);
    gboolean found = FALSE;
    sa_search_set_exclude (s, SA_EXCLUDE_SAME_FILE);
    sa_search_set_query (s, query);
    /* the nearest such setting to the tutorial's 0.5/0.9 */
    for (int i = 0; i <= 20; i++)
      for (int j = 1; j <= 20; j++)
        {
          double w[2] = { i / 20.0, j / 20.0 };
          if (sa_search_distance (s, w, good) > sa_search_distance (s, w, bad)
              && (!found || hypot (w[0] - 0.5, w[1] - 0.9) < hypot (r0 - 0.5, s0 - 0.9)))
            {
              r0 = w[0];
              s0 = w[1];
              found = TRUE;
            }
        }
    g_assert_true (found);
    g_test_message ("the marked pair is out of order at rp %.2f, ssd %.2f", r0, s0);
  }
  gtk_range_set_value (rp, r0);
  gtk_range_set_value (ssd, s0);
  {
    SaWeightsPanel *panel = SA_WEIGHTS_PANEL (child (window, "weights_panel"));
    GtkStack *stack = GTK_STACK (child (window, "tuning_stack"));
    GtkWidget *bar = child (window, "suggestion_bar");
    GtkLabel *summary = GTK_LABEL (child (window, "suggestion_label"));
    double w[SA_MAX_SETS];
    g_autoptr (SaSearch) s = sa_search_new (c);
    guint good_at = G_MAXUINT, bad_at = G_MAXUINT;

    sa_search_set_exclude (s, SA_EXCLUDE_SAME_FILE);
    sa_search_set_query (s, query);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
    g_test_message ("%s", gtk_label_get_text (summary));
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_SHOWN);
    g_assert_true (gtk_stack_get_visible_child (stack) == bar);
    g_assert_true (g_str_has_prefix (gtk_label_get_text (summary), "Suggested rp "));
    g_assert_nonnull (strstr (gtk_label_get_text (summary), "1 of 1 marked pair in order, 0 now"));
    g_assert_true (gtk_widget_get_visible (child (window, "apply_suggestion_button")));
    g_assert_false (gtk_widget_get_visible (child (window, "restore_weights_button")));
    g_assert_true (gtk_widget_get_visible (child (window, "dismiss_suggestion_button")));
    /* keyboard: the focus is on Apply */
    g_assert_true (gtk_window_get_focus (GTK_WINDOW (window))
                   == child (window, "apply_suggestion_button"));
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (rp), "suggestion"));
    g_assert_cmpfloat (gtk_range_get_value (rp), ==, r0); /* not moved */
    g_assert_cmpfloat (gtk_range_get_value (ssd), ==, s0);
    assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, NULL, r0, s0);
    /* a slider moved by hand makes it stale */
    gtk_range_set_value (rp, r0 == 1 ? 0.99 : r0 + 0.01);
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_NONE);
    g_assert_true (gtk_stack_get_visible_child (stack) != bar);
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (rp), "suggestion"));
    gtk_range_set_value (rp, r0);
    /* so does a new metric; Dismiss hides it and nothing moves */
    gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (child (window, "metric_dropdown")), 1);
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_NONE);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (child (window, "metric_dropdown")), 0);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-suggestion", NULL);
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_NONE);
    g_assert_true (gtk_stack_get_visible_child (stack) != bar);
    g_assert_cmpfloat (gtk_range_get_value (rp), ==, r0);
    g_assert_cmpfloat (gtk_range_get_value (ssd), ==, s0);
    /* shown again: a picture, then Apply */
    gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
    g_assert_true (sa_weights_panel_get_suggestion (panel, w));
    spin (300);
    save_png (window, "window-suggestion.png");
    gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-suggestion", NULL);
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_APPLIED);
    g_assert_cmpfloat (gtk_range_get_value (rp), ==, w[0]);
    g_assert_cmpfloat (gtk_range_get_value (ssd), ==, w[1]);
    g_assert_true (w[0] != r0 || w[1] != s0); /* moved */
    for (guint i = 0; i < g_list_model_get_n_items (sa_window_get_results (window)); i++)
      {
        guint t = result_track (window, i);
        good_at = t == good ? i : good_at;
        bad_at = t == bad ? i : bad_at;
      }
    g_assert_cmpuint (good_at, <, bad_at); /* re-ranked: the good match first */
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (rp), "suggestion"));
    assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, NULL, w[0], w[1]);
    /* the suggestion puts the pair in order */
    g_assert_cmpfloat (sa_search_distance (s, w, good), <, sa_search_distance (s, w, bad));
    g_assert_nonnull (strstr (sa_window_get_message (window), "applied"));
    g_assert_true (gtk_widget_get_visible (child (window, "restore_weights_button")));
    g_assert_false (gtk_widget_get_visible (child (window, "apply_suggestion_button")));
    g_assert_true (g_str_has_prefix (gtk_label_get_text (summary), "Weights rp "));
    spin (300);
    save_png (window, "window-suggestion-applied.png");
    /* suggested again where the pair is in order: no other weights are clearly better, so
     * nothing is previewed (and the applied one keeps its Restore) */
    gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
    g_assert_nonnull (strstr (sa_window_get_message (window), "do not clearly favour"));
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_APPLIED);
    /* Restore Previous Weights: exactly the ones before */
    g_test_message ("suggested %.17g %.17g", w[0], w[1]);
    /* the button, as the keyboard does it (it clicks a moment later) */
    g_assert_true (gtk_window_get_focus (GTK_WINDOW (window))
                   == child (window, "restore_weights_button"));
    g_assert_true (gtk_widget_activate (child (window, "restore_weights_button")));
    /* the click comes after the button's press animation: wait for it (a sanitizer build
     * under Xvfb can take longer than any fixed pause) */
    g_assert_true (wait_for (suggestion_left_applied, window, 60));
    spin (100);
    g_assert_cmpfloat (gtk_range_get_value (rp), ==, r0);
    g_assert_cmpfloat (gtk_range_get_value (ssd), ==, s0);
    g_assert_true (gtk_stack_get_visible_child (stack) != bar);
    assert_results_match_mp (window, c, SA_METRIC_EUCLIDEAN, NULL, r0, s0);
    g_assert_nonnull (strstr (sa_window_get_message (window), "restored"));
    spin (100);
    /* the focus, which was on the bar's button, is back on Suggest Weights */
    g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == child (window, "suggest_button"));
    /* a new collection clears a suggestion */
    gtk_widget_activate_action (GTK_WIDGET (window), "win.suggest-weights", NULL);
    sa_window_set_collection (window, c);
    g_assert_cmpint (sa_weights_panel_get_suggestion_state (panel), ==, SA_SUGGESTION_NONE);
    g_assert_true (gtk_stack_get_visible_child (stack) != bar);
    sa_window_select_track (window, query);
  }
  gtk_range_set_value (rp, 0.5);
  gtk_range_set_value (ssd, 0.9);

  /* 4. the quality panel: measured in a thread when shown, and again when a slider moves */
  gtk_menu_button_popup (GTK_MENU_BUTTON (child (window, "quality_button")));
  spin (100);
  g_assert_true (sa_quality_panel_is_busy (SA_QUALITY_PANEL (child (window, "quality_panel"))));
  g_assert_true (wait_for (quality_measured, window, 120));
  assert_quality_matches_core (window, c, 0.5, 0.9, NULL);
  {
    /* a label column: precision at 10 */
    GtkDropDown *labels = GTK_DROP_DOWN (child (window, "label_dropdown"));
    GListModel *names = gtk_drop_down_get_model (labels);
    guint album = GTK_INVALID_LIST_POSITION;
    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "album"))
        album = i;
    g_assert_cmpuint (album, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (labels, album);
  }
  gtk_range_set_value (rp, 0.2);
  spin (50);
  gtk_range_set_value (rp, 0.25); /* debounced: one measurement, of the last value */
  g_assert_true (wait_for (quality_measured, window, 120));
  assert_quality_matches_core (window, c, 0.25, 0.9, "album");
  spin (300);
  save_png (window, "window-quality.png");
  /* the popover is a surface of its own: save_png only needs a GtkNative */
  save_png (
      (SaWindow *) gtk_widget_get_ancestor (child (window, "quality_panel"), GTK_TYPE_POPOVER),
      "window-quality-panel.png");
  {
    /* a hub opens as the query */
    GtkListBoxRow *hub
        = gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (window, "hubs_list")), 0);
    guint track;
    g_assert_nonnull (hub);
    track = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (hub), "track"));
    g_signal_emit_by_name (hub, "activate");
    g_assert_cmpint (sa_window_get_query (window), ==, track);
  }
  gtk_range_set_value (rp, 0.5);
  close_window (window);

  /* the marks persist: a new window shows them */
  window = new_window (1400, 900);
  sa_window_set_collection (window, c);
  sa_window_select_track (window, query);
  for (guint i = 0; i < g_list_model_get_n_items (sa_window_get_results (window)); i++)
    {
      guint t = result_track (window, i);
      g_assert_cmpint (result_mark (window, i), ==,
                       t == good  ? SA_MARK_GOOD
                       : t == bad ? SA_MARK_BAD
                                  : SA_MARK_NONE);
    }
  /* 5. tags: a damaged tag file changes nothing; the tutorial's shows on the query and the
   * results, and is the quality panel's relevance (a copy: it is removed below) */
  g_assert_true (g_file_get_contents (src_tags_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (tags, contents, length, NULL));
  g_clear_pointer (&contents, g_free);
  {
    g_autofree char *src_tags = g_test_build_filename (
        G_TEST_DIST, "data", "ismir2018_tut_part_2_similarity_labels_subset.csv", NULL);
    g_autofree char *bad_tags = g_build_filename (dir, "bad-tags.csv", NULL);
    g_autoptr (SaLabels) l = sa_labels_load_tags (c, tags, &error);
    GListModel *results = sa_window_get_results (window);
    guint tagged = G_MAXUINT, shown = 0;

    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (bad_tags, ",rock,pop\n22356,1,x\n", -1, NULL));
    g_assert_false (sa_window_open_tags (window, bad_tags, &error));
    g_assert_nonnull (strstr (error->message, "bad-tags.csv"));
    g_clear_error (&error);
    for (guint t = 0; t < sa_collection_get_n_tracks (c) && tagged == G_MAXUINT; t++)
      if (sa_labels_get_n (l, t) > 0)
        tagged = t;
    g_assert_true (sa_window_open_tags (window, tags, &error));
    g_assert_no_error (error);
    sa_window_select_track (window, tagged);
    {
      g_autofree char *described = sa_labels_describe (l, tagged);
      g_assert_nonnull (
          strstr (gtk_label_get_text (GTK_LABEL (child (window, "subtitle"))), described));
    }
    for (guint i = 0; i < g_list_model_get_n_items (results); i++)
      {
        g_autoptr (SaResult) r = g_list_model_get_item (results, i);
        g_autofree char *d = sa_labels_describe (l, sa_result_get_index (r));
        g_assert_cmpstr (sa_result_get_tags (r), ==, d);
        shown += *d != '\0';
      }
    g_assert_cmpuint (shown, >, 0);
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (child (window, "label_dropdown"))),
                      ==, 1);
    gtk_menu_button_popup (GTK_MENU_BUTTON (child (window, "quality_button")));
    spin (100);
    g_assert_true (wait_for (quality_measured, window, 120));
    {
      SaQualityOptions o;
      g_autoptr (SaQuality) q = NULL;
      g_autofree char *p = NULL;
      sa_quality_options_init (&o, c);
      o.n_queries = SA_QUALITY_PANEL_MAX_QUERIES;
      o.labels = l;
      q = sa_quality_evaluate (c, &o, NULL, &error);
      g_assert_no_error (error);
      p = sa_format_decimal (q->precision_at_k, 3);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (window, "precision_label"))), ==, p);
    }
    spin (300);
    save_png (window, "window-tags.png");
    save_png (
        (SaWindow *) gtk_widget_get_ancestor (child (window, "quality_panel"), GTK_TYPE_POPOVER),
        "window-quality-tags.png");
    gtk_popover_popdown (
        GTK_POPOVER (gtk_widget_get_ancestor (child (window, "quality_panel"), GTK_TYPE_POPOVER)));
  }
  /* a new collection cancels moments being computed: nothing arrives late */
  sa_tuning_row_set_mutual_proximity (SA_TUNING_ROW (child (window, "tuning_row")), TRUE);
  sa_window_set_collection (window, c);
  g_assert_true (wait_for (mp_settled, window, 120));
  sa_tuning_row_set_mutual_proximity (SA_TUNING_ROW (child (window, "tuning_row")), FALSE);
  close_window (window);

  /* 6. the tag file and the label column are remembered for the collection */
  window = new_window (1400, 900);
  sa_window_set_collection (window, c);
  sa_window_select_track (window, query);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (child (window, "label_dropdown"))),
                    ==, 1); /* "Tags" */
  g_assert_cmpstr (
      gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (
                                      GTK_DROP_DOWN (child (window, "label_dropdown")))),
                                  1),
      ==, "Tags");
  {
    g_autoptr (SaLabels) l = sa_labels_load_tags (c, tags, &error);
    g_autoptr (SaResult) r = g_list_model_get_item (sa_window_get_results (window), 0);
    g_autofree char *d = NULL;
    g_assert_no_error (error);
    d = sa_labels_describe (l, sa_result_get_index (r));
    g_assert_cmpstr (sa_result_get_tags (r), ==, d);
  }
  /* another label column, chosen by the user: remembered too */
  {
    GtkDropDown *labels = GTK_DROP_DOWN (child (window, "label_dropdown"));
    GListModel *names = gtk_drop_down_get_model (labels);
    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "album"))
        gtk_drop_down_set_selected (labels, i);
  }
  close_window (window);
  window = new_window (1400, 900);
  sa_window_set_collection (window, c);
  {
    GtkDropDown *labels = GTK_DROP_DOWN (child (window, "label_dropdown"));
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (labels)),
                                                 gtk_drop_down_get_selected (labels)),
                     ==, "album");
  }
  close_window (window);
  /* the remembered tag file damaged, then gone: said quietly, nothing else changes */
  g_assert_true (g_file_set_contents (tags, ",rock,pop\n22356,1,x\n", -1, NULL));
  window = new_window (1400, 900);
  sa_window_set_collection (window, c);
  g_test_message ("%s", sa_window_get_message (window));
  g_assert_nonnull (strstr (sa_window_get_message (window), "could not be read"));
  g_assert_nonnull (strstr (sa_window_get_message (window), "tags.csv"));
  {
    GListModel *names = gtk_drop_down_get_model (GTK_DROP_DOWN (child (window, "label_dropdown")));
    for (guint i = 0; i < g_list_model_get_n_items (names); i++) /* no "Tags" */
      g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), !=, "Tags");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names),
                                                 gtk_drop_down_get_selected (GTK_DROP_DOWN (
                                                     child (window, "label_dropdown")))),
                     ==, "album"); /* still the column chosen */
  }
  close_window (window);
  g_unlink (tags);
  window = new_window (1400, 900);
  sa_window_set_collection (window, c);
  g_test_message ("%s", sa_window_get_message (window));
  g_assert_nonnull (strstr (sa_window_get_message (window), "is gone"));
  g_assert_nonnull (strstr (sa_window_get_message (window), "tags.csv"));
  sa_window_select_track (window, query);
  g_assert_true (sa_window_get_query (window) == (int) query);
  close_window (window);
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
  static const char *pages[]
      = { "welcome", "no-query", "list", "compare", "no-match", "quality", "suggestion" };
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
              if (g_str_equal (pages[p], "quality"))
                {
                  /* the popover, drawn over the window where it opens */
                  gtk_menu_button_popup (GTK_MENU_BUTTON (child (window, "quality_button")));
                  spin (100);
                  g_assert_true (wait_for (quality_measured, window, 120));
                }
              if (g_str_equal (pages[p], "suggestion"))
                {
                  double w[SA_MAX_SETS] = { 0.8, 0.35 };
                  sa_weights_panel_show_suggestion (
                      SA_WEIGHTS_PANEL (child (window, "weights_panel")), w,
                      "Suggested rp 0.80, ssd 0.35: 12 of 15 marked pairs in order, 9 now");
                }
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

/* A collection large enough for the compact scan (forced here, on a copy of the tutorial's
 * features with a store of its own): the histogram shows the exact distances of an even
 * sample (here every track but the query: the sample is larger than the collection), says
 * so, and the results are still the core's. */
static void
test_sampled_histogram (void)
{
  g_autofree char *tutorial
      = g_build_filename (g_test_get_dir (G_TEST_DIST), "data", "tutorial", NULL);
  g_autofree char *npz = g_build_filename (tutorial, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (tutorial, "metadata.csv", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("soundalike-sampled-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (tmp, "features.npz", NULL);
  g_autofree char *contents = NULL, *store = NULL;
  const char *tooltip;
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  GtkWidget *histogram;
  SaWindow *window;
  gsize length;
  guint n, from = 0;

  g_assert_true (g_file_get_contents (npz, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, &error));
  g_setenv ("SOUNDALIKE_COMPACT_MIN_TRACKS", "1", TRUE);
  c = sa_collection_load (copy, csv, NULL, &error);
  g_unsetenv ("SOUNDALIKE_COMPACT_MIN_TRACKS");
  g_assert_no_error (error);
  g_assert_nonnull (sa_collection_get_codes (c, NULL));
  n = sa_collection_get_n_tracks (c);
  window = g_object_ref_sink (sa_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_set_collection (window, c);
  gtk_range_set_value (GTK_RANGE (child (window, "rp_scale")), 0.5);
  gtk_range_set_value (GTK_RANGE (child (window, "ssd_scale")), 0.9);
  sa_window_select_track (window, 404);
  spin (200);
  histogram = child (window, "histogram");
  g_assert_cmpuint (sa_histogram_get_n_values (SA_HISTOGRAM (histogram)), ==, n - 1);
  g_object_get (histogram, "sampled-from", &from, NULL);
  g_assert_cmpuint (from, ==, n - 1);
  tooltip = gtk_widget_get_tooltip_text (histogram);
  g_assert_nonnull (strstr (tooltip, "spread evenly"));
  assert_results_match_core (window, c, 0.5, 0.9);
  /* a slider move keeps the sample (and the results the core's) */
  gtk_range_set_value (GTK_RANGE (child (window, "rp_scale")), 0.2);
  assert_results_match_core (window, c, 0.2, 0.9);
  g_assert_cmpuint (sa_histogram_get_n_values (SA_HISTOGRAM (histogram)), ==, n - 1);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  store = sa_store_dir_for (copy, csv);
  g_clear_pointer (&c, g_object_unref);
  sa_store_remove (store);
  g_remove (copy);
  g_rmdir (tmp);
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
  g_test_add_func ("/soundalike/window/quality", test_quality);
  g_test_add_func ("/soundalike/window/sampled-histogram", test_sampled_histogram);
  return g_test_run ();
}
