/* sa-window-private.h: what the window's own files share
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sa-window.c: pages, the query, playback; sa-window-files.c: the actions that open, analyse
 * and save files; sa-window-support.c: small helpers (what a track shows, settings).
 */
#pragma once

#include <adwaita.h>

#include "sa-collection.h"
#include "sa-example.h"
#include "sa-histogram.h"
#include "sa-loading-page.h"
#include "sa-welcome-page.h"
#include "sa-weights-panel.h"
#include "sa-walk.h"
#include "sa-results-view.h"
#include "sa-query-header.h"
#include "sa-player-bar.h"
#include "sa-compare-view.h"
#include "sa-collection-pane.h"
#include "sa-search.h"
#include "sa-labels.h"
#include "sa-marks.h"
#include "sa-moments.h"
#include "sa-window.h"

G_BEGIN_DECLS

struct _SaWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  SaWelcomePage *welcome_page;
  SaLoadingPage *loading_page;
  SaCollectionPane *collection_pane;
  SaQueryHeader *query_header;
  GtkRevealer *tuning_revealer;
  SaWeightsPanel *weights_panel;
  SaHistogram *histogram;
  GtkStack *results_stack;
  SaResultsView *similar_clips;
  SaCompareView *compare_view;
  SaPlayerBar *player_bar;
  GtkWidget *player_separator;

  SaCollection *collection;
  SaSearch *search;
  GListStore *results;
  SaWalk *walk; /* the query, its history and the radio */
  SaPlayer *player;
  int last_heard;    /* the result auditioned last: B of A/B */
  gboolean audition; /* play each result as it is selected */
  GSettings *settings;
  GCancellable *loading;
  GCancellable *example_job;
  char *pending_audio_root;
  AdwToast *toast; /* the message shown, until it is dismissed */

  /* sa-window-quality.c: mutual proximity, marks, suggested weights */
  SaMoments *moments;        /* computed for the collection, or NULL */
  GCancellable *moments_job; /* the moments being computed */
  SaMetric moments_job_metric;
  SaMomentsProgress *moments_progress; /* how far the job is */
  guint moments_tick;                  /* shows moments_progress on the tuning row */
  SaMarks *marks;
  char *marks_path; /* NULL: marks are not saved (the file there is damaged) */
  SaLabels *tags;   /* from a tag file the user opened, or NULL */
  char *tags_path;
  gboolean restoring_labels; /* the label choice moves, but not by the user */
  gboolean have_undo_weights;
  double undo_weights[SA_MAX_SETS];
};

#define SA_EXAMPLE_TAG G_MAXINT /* the player's tag for a query from outside the collection */

/* What a row shows: the title, else the file name; "artist — album", else the folder. */
char *sa_window_track_title (SaCollection *c, guint track);
char *sa_window_track_subtitle (SaCollection *c, guint track);
gboolean sa_window_collection_is_untagged (SaCollection *c);
void sa_window_fill_results (GListStore *results, SaSearch *search, SaCollection *c,
                             const double *weights, const SaHit *hits, guint n);
void sa_window_update_histogram (SaHistogram *histogram, SaSearch *search, SaCollection *c,
                                 int query, const double *weights, const SaHit *hits, guint n);

GSettings *sa_window_open_settings (GtkWindow *window);
/* Whether @settings (may be NULL) has @key: an older installed schema may lack newer keys. */
gboolean sa_window_settings_has_key (GSettings *settings, const char *key);
/* The audio folder: @given (remembered), else the one remembered for the collection. */
void sa_window_settle_audio_root (GSettings *settings, SaCollection *c, const char *given);
void sa_window_remember_collection (GSettings *settings, SaCollection *c);
/* A dictionary key (a{ss}) of the settings, by the collection's feature file: the value
 * remembered (a new string) or NULL; remember NULL to forget.  Nothing when the schema
 * installed has no such key. */
char *sa_window_recall_for_collection (GSettings *settings, const char *key, SaCollection *c);
void sa_window_remember_for_collection (GSettings *settings, const char *key, SaCollection *c,
                                        const char *value);
void sa_window_report_partial_match (SaWindow *self, SaCollection *c);
void sa_window_load_css (GtkWidget *widget);

/* in sa-window.c, for sa-window-files.c */
void sa_window_show_toast (SaWindow *self, const char *text, const char *button,
                           const char *action);
void sa_window_show_error (SaWindow *self, const char *text);
/* A message shown after the one shown now, which it does not replace. */
void sa_window_show_message_after (SaWindow *self, const char *text);
GCancellable *sa_window_begin_work (SaWindow *self, const char *text, double fraction,
                                    gboolean cancellable);
void sa_window_end_work (SaWindow *self);
gboolean sa_window_is_working_on (SaWindow *self, GCancellable *cancellable);
SaLoadingPage *sa_window_get_loading_page (SaWindow *self);
GCancellable *sa_window_begin_example (SaWindow *self);
void sa_window_end_example (SaWindow *self);
void sa_window_set_example (SaWindow *self, SaExample *example);
SaExample *sa_window_get_example (SaWindow *self);
void sa_window_set_audio_root (SaWindow *self, const char *root);

gboolean sa_window_has_query (SaWindow *self);
int sa_window_query_track (SaWindow *self);
int sa_window_query_tag (SaWindow *self);
void sa_window_set_query (SaWindow *self, int track);
void sa_window_show_query (SaWindow *self);
void sa_window_update_playing_marks (SaWindow *self);
void sa_window_on_result_selected (SaWindow *self);

/* in sa-window-playback.c */
void sa_window_on_result_play (SaWindow *self, guint track);
void sa_window_audition (SaWindow *self, int track);
void sa_window_set_audition (SaWindow *self, gboolean on);
void sa_window_set_radio (SaWindow *self, gboolean on);
void sa_window_class_add_playback_actions (GtkWidgetClass *widget_class);
void sa_window_init_playback (SaWindow *self);

/* in sa-window.c, for sa-window-quality.c */
void sa_window_rerank (SaWindow *self);
/* sa-window-support.c: the query header and the compare view follow the query */
void sa_window_update_query_header (SaWindow *self);
void sa_window_update_compare (SaWindow *self);
const float *sa_window_query_row (SaWindow *self);

/* in sa-window-quality.c */
void sa_window_class_add_quality_actions (GtkWidgetClass *widget_class);
void sa_window_init_quality (SaWindow *self);
void sa_window_quality_set_collection (SaWindow *self);
/* At the end of sa_window_set_collection: the tag file and label choice remembered for it. */
void sa_window_quality_restore (SaWindow *self);
/* After a metric change or a switch flip: MP on, off, or being computed. */
void sa_window_update_mutual_proximity (SaWindow *self);
/* The marks of the results shown (after each rerank). */
void sa_window_show_marks (SaWindow *self);
/* The setting the quality panel measures (at each rerank). */
void sa_window_update_quality_panel (SaWindow *self);
/* "a, b" for a track when a tag file is open (a new string), else NULL. */
char *sa_window_track_tags (SaWindow *self, int track);
void sa_window_quality_dispose (SaWindow *self);

/* in sa-window-files.c */
void sa_window_class_add_file_actions (GtkWidgetClass *widget_class);
void sa_window_add_drop_target (SaWindow *self);

G_END_DECLS
