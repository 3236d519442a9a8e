/* sa-walk.h: a walk through a collection: Back/Forward over queries, and the similarity radio
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history is a list of queries with a position, as in a web browser: a new query drops
 * whatever was ahead of the position and becomes the last entry; Back and Forward move the
 * position without recording.  A query is a track of the collection or, for query by
 * example, an object the caller gives (an SaExample), kept with a reference.
 *
 * The radio: while "radio" is on, the walk remembers the tracks played since it was turned
 * on (the query at that moment counts as played).  When a clip ends, the next query is the
 * best-ranked result not played yet; when every result has been played, there is none.
 * Turning the radio off forgets what was played.
 *
 * No GTK: the window binds its Back/Forward actions to "can-go-back"/"can-go-forward", and
 * its Radio toggle to "radio".
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SA_TYPE_WALK (sa_walk_get_type ())
G_DECLARE_FINAL_TYPE (SaWalk, sa_walk, SA, WALK, GObject)

SaWalk *sa_walk_new (void);

/* Makes a track (@track >= 0, @example NULL) or an example (@track -1, @example an object)
 * the query, on top of the history.  Returns FALSE, and changes nothing, when @track is
 * already the query (an example is always new). */
gboolean sa_walk_push (SaWalk *self, int track, GObject *example);
/* Moves one entry back or forward; FALSE (nothing changes) at either end. */
gboolean sa_walk_back (SaWalk *self);
gboolean sa_walk_forward (SaWalk *self);
gboolean sa_walk_can_go_back (SaWalk *self);
gboolean sa_walk_can_go_forward (SaWalk *self);
/* Forgets the history and what the radio played (a new collection); the radio stays on or off. */
void sa_walk_clear (SaWalk *self);

/* The query at the position: its track (-1 when there is none or it is an example) and its
 * example (NULL for a track; owned by the walk). */
int sa_walk_get_track (SaWalk *self);
GObject *sa_walk_get_example (SaWalk *self);
gboolean sa_walk_has_query (SaWalk *self);
guint sa_walk_get_length (SaWalk *self);
guint sa_walk_get_position (SaWalk *self); /* 0 when empty */

void sa_walk_set_radio (SaWalk *self, gboolean radio);
gboolean sa_walk_get_radio (SaWalk *self);
/* Records that @track was played (while the radio is on; otherwise nothing). */
void sa_walk_mark_played (SaWalk *self, guint track);
gboolean sa_walk_was_played (SaWalk *self, guint track);
/* The first of @results (a GListModel of SaResult, best first) the radio has not played, or -1:
 * also -1 when the radio is off. */
int sa_walk_next_unplayed (SaWalk *self, GListModel *results);
/* What the window does when a clip ends with the radio on: the next unplayed result becomes
 * the query (pushed) and is marked played.  Returns it, or -1 when the radio is off or has
 * played every result. */
int sa_walk_radio_advance (SaWalk *self, GListModel *results);

G_END_DECLS
