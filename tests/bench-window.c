/* bench-window.c: the window's timings on a large collection, under Xvfb
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   xvfb-run -a -s "-screen 0 1400x900x24" _build/tests/bench-window F.npz M.csv [FILTER]
 *
 * Prints the time to open the collection (load off the main thread until the list is shown),
 * to scroll the list (ten pages down, then to the end), to sort it by clicking the Title header
 * (twice: ascending, then descending) and the Artist header (descending), to select a track (a query pass,
 * the results, the histogram, the list drawn; then five more, and the resident memory before and
 * after), the mean of 50 moves of the RP slider
 * (re-weighting and redrawing), and a filter typed into the search (FILTER, "artist 4" by default).  For the open, the scroll,
 * the sorts and the filter it also prints the longest the main loop stalled meanwhile: a
 * 10 ms timeout runs throughout, and the largest gap between two of its ticks is the freeze
 * a user would see.  With SOUNDALIKE_BENCH_PNG=DIR it saves the window while the first sort
 * runs (DIR/sorting.png, when it takes more than 0.2 s) and after the sorts (DIR/sorted.png).
 * A benchmark for docs/performance.md, not a test: nothing here is asserted.
 */
#include "config.h"

#include <adwaita.h>
#include <gst/gst.h>

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sa-window.h"

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

static void
painted (GdkFrameClock *clock, gboolean *done)
{
  *done = TRUE;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until the window has painted one frame after now: what was queued
 * since is then on screen. @whole redraws all of the window; otherwise only what changed is
 * drawn (a frame is requested anyway, so this returns even when nothing changed: waiting for
 * a second frame that nothing asked for is what made the first version hang). */
static void
drawn (GtkWidget *w, gboolean whole)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (w);
  gboolean done = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted), &done);
  guint wake = g_timeout_add (100, tick, NULL);
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  if (whole)
    gtk_widget_queue_draw (w);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (!done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_signal_handler_disconnect (clock, id);
  if (!done)
    {
      g_printerr ("the window painted no frame in 120 s\n");
      exit (1);
    }
}

/* The longest gap between two ticks of a 10 ms timeout on the main loop. */
static gint64 stall_last, stall_max;

static gboolean
stall_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  stall_max = MAX (stall_max, now - stall_last);
  stall_last = now;
  return G_SOURCE_CONTINUE;
}

static void
stall_reset (void)
{
  stall_last = g_get_monotonic_time ();
  stall_max = 0;
}

static double
stall_ms (void)
{
  stall_tick (NULL); /* a phase that ended in a stall counts it */
  return stall_max / 1e3;
}

static void
changed (GListModel *model, guint position, guint removed, guint added, gboolean *done)
{
  *done = TRUE;
}

/* Runs the main loop until @model has changed (the rows of a search have arrived), then until
 * that is drawn. */
static void
until_changed (GtkWidget *window, GListModel *model, gboolean *done)
{
  gint64 end = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  while (!*done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (!*done)
    {
      g_printerr ("the list did not change in 300 s\n");
      exit (1);
    }
  drawn (window, FALSE);
}

/* With SOUNDALIKE_BENCH_PNG=DIR, the window as drawn now, in DIR/NAME. */
static void
snapshot_png (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("SOUNDALIKE_BENCH_PNG");
  g_autofree char *path = dir ? g_build_filename (dir, name, NULL) : NULL;
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  if (path == NULL)
    return;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("cannot write %s\n", path);
}

/* Runs the main loop while the count under the list says it is still sorting or searching
 * ("Sorting… 40 %"; a list sorted on the main thread never says so), then until drawn. */
static void
until_sorted (GtkWidget *window)
{
  GtkLabel *count = GTK_LABEL (find_id (window, "count_label"));
  gint64 end = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (5, tick, NULL);
  static gboolean shot;

  while (strstr (gtk_label_get_label (count), "\u2026") && g_get_monotonic_time () < end)
    {
      if (!shot && g_get_monotonic_time () > end - 300 * G_USEC_PER_SEC + 200000)
        {
          /* the progress, once (the first sort's, 0.2 s in) */
          drawn (window, FALSE);
          snapshot_png (window, "sorting.png");
          shot = TRUE;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  if (g_get_monotonic_time () >= end)
    {
      g_printerr ("the list was not sorted in 300 s\n");
      exit (1);
    }
  drawn (window, FALSE);
}

/* Clicks a column's header (sorts by it, or turns its direction) and waits for the rows. */
static double
sort_by (GtkWidget *window, guint column, GtkSortType order, double *stall)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find_id (window, "collection_view"));
  g_autoptr (GtkColumnViewColumn) c
      = g_list_model_get_item (gtk_column_view_get_columns (view), column);
  gint64 t0;

  stall_reset ();
  t0 = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (view, c, order);
  until_sorted (window);
  *stall = stall_ms ();
  return (g_get_monotonic_time () - t0) / 1e3;
}

/* The process's resident memory now (VmRSS), in MB. */
static double
resident_mb (void)
{
  g_autofree char *status = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (at = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (at + 6, NULL) / 1024.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  SaWindow *window;
  gint64 t0;
  double open_s, select_ms = 0, move_ms = 0, rerank_ms = 0, filter_ms, full_ms = 0;
  double open_stall, page_ms, page_stall, end_ms, end_stall, filter_stall;
  double sort_ms[3], sort_stall[3], select_more[5], rss_before, rss_after;
  GtkRange *rp;

  if (argc < 3)
    {
      g_printerr ("usage: %s FEATURES.npz METADATA.csv [FILTER]\n", argv[0]);
      return 2;
    }
  gtk_init ();
  adw_init ();
  gst_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = g_object_ref_sink (sa_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  drawn (GTK_WIDGET (window), FALSE);

  g_timeout_add (10, stall_tick, NULL);
  stall_reset ();
  t0 = g_get_monotonic_time ();
  sa_window_open (window, argv[1], argv[2], NULL);
  while (sa_window_is_busy (window))
    g_main_context_iteration (NULL, TRUE);
  drawn (GTK_WIDGET (window), FALSE);
  open_s = (g_get_monotonic_time () - t0) / 1e6;
  open_stall = stall_ms ();
  if (sa_window_get_collection (window) == NULL)
    {
      g_printerr ("the collection did not open: %s\n", sa_window_get_message (window));
      return 1;
    }

  /* scrolling: ten pages down, one frame each, then to the end */
  {
    GtkAdjustment *adj = gtk_scrollable_get_vadjustment (
        GTK_SCROLLABLE (find_id (GTK_WIDGET (window), "collection_view")));
    stall_reset ();
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < 10; i++)
      {
        gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj)
                                           + gtk_adjustment_get_page_size (adj));
        drawn (GTK_WIDGET (window), FALSE);
      }
    page_ms = (g_get_monotonic_time () - t0) / 1e3 / 10;
    page_stall = stall_ms ();
    stall_reset ();
    t0 = g_get_monotonic_time ();
    gtk_adjustment_set_value (adj,
                              gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
    drawn (GTK_WIDGET (window), FALSE);
    drawn (GTK_WIDGET (window), FALSE);
    end_ms = (g_get_monotonic_time () - t0) / 1e3;
    end_stall = stall_ms ();
    g_print ("rows %u, scrolled to %.0f of %.0f\n",
             g_list_model_get_n_items (sa_window_get_shown_tracks (window)),
             gtk_adjustment_get_value (adj), gtk_adjustment_get_upper (adj));
  }

  /* sorting: the Title header clicked twice, then the Artist header (columns 1 and 0); the
   * first click computes the titles' natural order, the second only turns it around */
  sort_ms[0] = sort_by (GTK_WIDGET (window), 1, GTK_SORT_ASCENDING, &sort_stall[0]);
  sort_ms[1] = sort_by (GTK_WIDGET (window), 1, GTK_SORT_DESCENDING, &sort_stall[1]);
  sort_ms[2] = sort_by (GTK_WIDGET (window), 0, GTK_SORT_DESCENDING, &sort_stall[2]);
  snapshot_png (GTK_WIDGET (window), "sorted.png");

  /* selecting tracks: the first, then five more (their median); resident memory before and
   * after (the process's peak so far includes the import, when there was one) */
  rss_before = resident_mb ();
  for (guint i = 0; i < G_N_ELEMENTS (select_more) + 1; i++)
    {
      guint n = sa_collection_get_n_tracks (sa_window_get_collection (window));
      t0 = g_get_monotonic_time ();
      sa_window_select_track (window, i == 0 ? 4242 % n : (guint) ((i * 7919u + 4242) % n));
      drawn (GTK_WIDGET (window), FALSE);
      if (i == 0)
        select_ms = (g_get_monotonic_time () - t0) / 1e3;
      else
        select_more[i - 1] = (g_get_monotonic_time () - t0) / 1e3;
    }
  qsort (select_more, G_N_ELEMENTS (select_more), sizeof (double), compare_doubles);
  rss_after = resident_mb ();
  snapshot_png (GTK_WIDGET (window), "selected.png");

  rp = GTK_RANGE (find_id (GTK_WIDGET (window), "rp_scale"));
  for (int i = 0; i < 50; i++)
    {
      t0 = g_get_monotonic_time ();
      gtk_range_set_value (rp, 0.02 * (i + 1)); /* re-ranks at once: the rest is drawing */
      rerank_ms += (g_get_monotonic_time () - t0) / 1e3;
      drawn (GTK_WIDGET (window), FALSE);
      move_ms += (g_get_monotonic_time () - t0) / 1e3;
    }
  move_ms /= 50;
  rerank_ms /= 50;

  /* what the renderer alone costs: all of the window, nothing changed */
  for (int i = 0; i < 10; i++)
    {
      t0 = g_get_monotonic_time ();
      drawn (GTK_WIDGET (window), TRUE);
      full_ms += (g_get_monotonic_time () - t0) / 1e3 / 10;
    }

  {
    /* the search entry waits before it searches: until the shown rows change */
    GListModel *shown = sa_window_get_shown_tracks (window);
    guint all = g_list_model_get_n_items (shown);
    gboolean done = FALSE;
    gulong id = g_signal_connect (shown, "items-changed", G_CALLBACK (changed), &done);
    stall_reset ();
    t0 = g_get_monotonic_time ();
    gtk_editable_set_text (GTK_EDITABLE (find_id (GTK_WIDGET (window), "search_entry")),
                           argc > 3 ? argv[3] : "artist 4");
    until_changed (GTK_WIDGET (window), shown, &done);
    g_signal_handler_disconnect (shown, id);
    filter_ms = (g_get_monotonic_time () - t0) / 1e3;
    filter_stall = stall_ms ();
    g_print ("tracks %u, filtered to %u\n", all, g_list_model_get_n_items (shown));
  }
  g_print ("renderer %s\nopen %.2f s (longest stall %.0f ms)\n"
           "page down %.1f ms (mean of 10; longest stall %.0f ms)\n"
           "scroll to the end %.1f ms (longest stall %.0f ms)\n"
           "sort by title %.0f ms (longest stall %.0f ms)\n"
           "sort by title, descending %.0f ms (longest stall %.0f ms)\n"
           "sort by artist, descending %.0f ms (longest stall %.0f ms)\n"
           "select %.1f ms, then %.1f ms (median of %u more); resident %.0f MB before, %.0f MB "
           "after\nslider move %.1f ms (mean of 50), of "
           "which the re-ranking %.1f ms\nthe whole window redrawn %.1f ms (mean of 10)\n"
           "filter %.0f ms (longest stall %.0f ms)\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), open_s, open_stall,
           page_ms, page_stall, end_ms, end_stall, sort_ms[0], sort_stall[0], sort_ms[1],
           sort_stall[1], sort_ms[2], sort_stall[2], select_ms,
           select_more[G_N_ELEMENTS (select_more) / 2], (guint) G_N_ELEMENTS (select_more),
           rss_before, rss_after, move_ms, rerank_ms, full_ms, filter_ms, filter_stall);
  {
    struct rusage usage;
    getrusage (RUSAGE_SELF, &usage);
    g_print ("resident at the end %.0f MB, peak %.0f MB\n", resident_mb (),
             usage.ru_maxrss / 1024.0);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return 0;
}
