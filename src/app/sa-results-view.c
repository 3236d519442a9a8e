/* sa-results-view.c: the ranked results as a column view, or a status page
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text columns are described in ui/sa-results-view.ui (lookups on SaResult); the play
 * button and the contribution bar need code and have signal factories here.
 *
 * Signals: "play" (track) when a row's play button is pressed (the row is selected first:
 * what plays is what is selected); "walk" (track) on Enter or a double click (the window
 * makes the result the query); notify::selected-track when the selection moves.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sa-contribution-bar.h"
#include "sa-format.h"
#include "sa-result.h"
#include "sa-results-view.h"

struct _SaResultsView
{
  GtkWidget parent_instance;

  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkColumnView *results_view;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *play_column;
  GtkColumnViewColumn *share_column;
  GtkColumnViewColumn *folder_column;
  GtkColumnViewColumn *tags_column;
  GtkColumnViewColumn *artist_column;
  GtkColumnViewColumn *album_column;

  int playing_track;
  gboolean playing;
  GPtrArray *row_buttons; /* the bound play buttons */
};

enum
{
  PROP_0,
  PROP_SELECTED_TRACK,
  N_PROPS
};

enum
{
  PLAY,
  WALK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SaResultsView, sa_results_view, GTK_TYPE_WIDGET)

/* ---- closures used by the template's rows ---- */

static char *
format_rank (gpointer unused, guint rank)
{
  return g_strdup_printf ("%u", rank);
}

/* in the user's locale: "1,4249" in German */
static char *
format_distance (gpointer unused, double distance)
{
  /* mutual proximity puts near neighbours at tiny values: three significant digits, with an
   * exponent below a millionth (printf's %e writes the locale's decimal mark) */
  if (distance > 0 && distance < 1e-6)
    return g_strdup_printf ("%.2e", distance);
  if (distance > 0 && distance < 0.001)
    return sa_format_significant (distance, 3);
  return sa_format_decimal (distance, 4);
}

/* ---- the play button of a row ---- */

static void
update_row_button (SaResultsView *self, GtkButton *button)
{
  int track = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "track")) - 1;
  gboolean playing = track >= 0 && track == self->playing_track && self->playing;

  gtk_button_set_icon_name (button, playing ? "media-playback-pause-symbolic"
                                            : "media-playback-start-symbolic");
  if (playing)
    gtk_widget_add_css_class (GTK_WIDGET (button), "playing");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), "playing");
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), playing ? _ ("Pause") : _ ("Play This Clip"));
}

static void
on_row_play_clicked (GtkButton *button, SaResultsView *self)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (button), "item");
  int track = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "track")) - 1;

  if (track < 0)
    return;
  /* the row played is the row selected: A/B and the heat maps follow it */
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  g_signal_emit (self, signals[PLAY], 0, (guint) track);
}

static void
setup_play (GtkSignalListItemFactory *factory, GtkListItem *item, SaResultsView *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "row-play");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* the row keeps the focus: Enter walks, Space plays and pauses */
  gtk_widget_set_focusable (button, FALSE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Play this clip"), -1);
  g_object_set_data (G_OBJECT (button), "item", item);
  g_signal_connect (button, "clicked", G_CALLBACK (on_row_play_clicked), self);
  gtk_list_item_set_child (item, button);
}

static void
bind_play (GtkSignalListItemFactory *factory, GtkListItem *item, SaResultsView *self)
{
  GtkButton *button = GTK_BUTTON (gtk_list_item_get_child (item));
  SaResult *result = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (button), "track",
                     GINT_TO_POINTER (sa_result_get_index (result) + 1));
  g_ptr_array_add (self->row_buttons, button);
  update_row_button (self, button);
}

static void
unbind_play (GtkSignalListItemFactory *factory, GtkListItem *item, SaResultsView *self)
{
  GtkWidget *button = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (button), "track", NULL);
  g_ptr_array_remove_fast (self->row_buttons, button);
}

/* ---- the contribution bar of a row ---- */

static void
setup_share (GtkSignalListItemFactory *factory, GtkListItem *item, SaResultsView *self)
{
  GtkWidget *bar = sa_contribution_bar_new ();
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_list_item_set_child (item, bar);
}

static void
update_share (SaResult *r, GParamSpec *pspec, SaContributionBar *bar)
{
  sa_contribution_bar_set_share (bar, sa_result_get_share (r, "rp"));
}

/* a re-ranking updates the result in place (the row stays bound): the bar follows it */
static void
bind_share (GtkSignalListItemFactory *factory, GtkListItem *item, SaResultsView *self)
{
  SaResult *r = gtk_list_item_get_item (item);
  GtkWidget *bar = gtk_list_item_get_child (item);

  update_share (r, NULL, SA_CONTRIBUTION_BAR (bar));
  g_signal_connect_object (r, "notify::rp-share", G_CALLBACK (update_share), bar, 0);
}

static void
unbind_share (GtkSignalListItemFactory *factory, GtkListItem *item, SaResultsView *self)
{
  SaResult *r = gtk_list_item_get_item (item);

  if (r)
    g_signal_handlers_disconnect_by_func (r, update_share, gtk_list_item_get_child (item));
}

static GtkListItemFactory *
signal_factory (GCallback setup, GCallback bind, GCallback unbind, SaResultsView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  if (unbind)
    g_signal_connect (factory, "unbind", unbind, self);
  return factory;
}

/* ---- the view ---- */

void
sa_results_view_set_model (SaResultsView *self, GListModel *results)
{
  g_return_if_fail (SA_IS_RESULTS_VIEW (self));
  gtk_single_selection_set_model (self->selection, results);
}

void
sa_results_view_set_show_folder (SaResultsView *self, gboolean show)
{
  g_return_if_fail (SA_IS_RESULTS_VIEW (self));
  /* no tags: the folder instead of empty Artist and Album columns */
  gtk_column_view_column_set_visible (self->folder_column, show);
  gtk_column_view_column_set_visible (self->artist_column, !show);
  gtk_column_view_column_set_visible (self->album_column, !show);
}

void
sa_results_view_set_show_tags (SaResultsView *self, gboolean show)
{
  g_return_if_fail (SA_IS_RESULTS_VIEW (self));
  gtk_column_view_column_set_visible (self->tags_column, show);
}

void
sa_results_view_set_playing (SaResultsView *self, int track, gboolean playing)
{
  g_return_if_fail (SA_IS_RESULTS_VIEW (self));

  self->playing_track = track;
  self->playing = playing;
  for (guint i = 0; i < self->row_buttons->len; i++)
    update_row_button (self, g_ptr_array_index (self->row_buttons, i));
}

void
sa_results_view_set_empty (SaResultsView *self, const char *title, const char *description)
{
  g_return_if_fail (SA_IS_RESULTS_VIEW (self));

  if (title)
    {
      adw_status_page_set_title (self->empty_page, title);
      adw_status_page_set_description (self->empty_page, description);
    }
  gtk_stack_set_visible_child_name (self->stack, title ? "empty" : "list");
}

int
sa_results_view_get_selected_track (SaResultsView *self)
{
  SaResult *r = gtk_single_selection_get_selected_item (self->selection);
  return r ? (int) sa_result_get_index (r) : -1;
}

guint
sa_results_view_get_selected (SaResultsView *self)
{
  return gtk_single_selection_get_selected (self->selection);
}

void
sa_results_view_select (SaResultsView *self, guint position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

void
sa_results_view_select_track (SaResultsView *self, int track)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint pos = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; track >= 0 && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (model, i);
      if ((int) sa_result_get_index (r) == track)
        pos = i;
    }
  gtk_single_selection_set_selected (self->selection, pos);
}

void
sa_results_view_focus (SaResultsView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->results_view));
}

static void
on_selected (SaResultsView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TRACK]);
}

/* Enter or a double click: the result becomes the query (a step of a walk). */
static void
on_activate (SaResultsView *self, guint position, GtkColumnView *view)
{
  g_autoptr (SaResult) r = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (r)
    g_signal_emit (self, signals[WALK], 0, sa_result_get_index (r));
}

static void
sa_results_view_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
      case PROP_SELECTED_TRACK:
        g_value_set_int (value, sa_results_view_get_selected_track (SA_RESULTS_VIEW (object)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
sa_results_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SA_TYPE_RESULTS_VIEW);
  /* children of the template without an id are ours to unparent */
  for (GtkWidget *c; (c = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (c);
  G_OBJECT_CLASS (sa_results_view_parent_class)->dispose (object);
}

static void
sa_results_view_finalize (GObject *object)
{
  g_ptr_array_unref (SA_RESULTS_VIEW (object)->row_buttons);
  G_OBJECT_CLASS (sa_results_view_parent_class)->finalize (object);
}

static void
sa_results_view_class_init (SaResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_results_view_dispose;
  object_class->finalize = sa_results_view_finalize;
  object_class->get_property = sa_results_view_get_property;
  properties[PROP_SELECTED_TRACK] = g_param_spec_int (
      "selected-track", NULL, NULL, -1, G_MAXINT, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[PLAY] = g_signal_new ("play", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[WALK] = g_signal_new ("walk", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  g_type_ensure (SA_TYPE_RESULT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, stack);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, results_view);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, selection);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, play_column);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, share_column);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, folder_column);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, tags_column);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, artist_column);
  gtk_widget_class_bind_template_child (widget_class, SaResultsView, album_column);
  gtk_widget_class_bind_template_callback (widget_class, on_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_bind_template_callback (widget_class, format_rank);
  gtk_widget_class_bind_template_callback (widget_class, format_distance);
}

static void
sa_results_view_init (SaResultsView *self)
{
  g_autoptr (GtkListItemFactory) play = NULL, share = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->playing_track = -1;
  self->row_buttons = g_ptr_array_new ();
  play = signal_factory (G_CALLBACK (setup_play), G_CALLBACK (bind_play), G_CALLBACK (unbind_play),
                         self);
  share = signal_factory (G_CALLBACK (setup_share), G_CALLBACK (bind_share),
                          G_CALLBACK (unbind_share), self);
  gtk_column_view_column_set_factory (self->play_column, play);
  gtk_column_view_column_set_factory (self->share_column, share);
}
