/* sa-track.h: one track of a collection, as a light list item
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made on demand by the collection's GListModel: it holds the collection and
 * an index, and its string properties point into the collection's metadata
 * (nothing is copied per row).
 */
#pragma once

#include <glib-object.h>

#include "sa-collection.h"

G_BEGIN_DECLS

#define SA_TYPE_TRACK (sa_track_get_type ())
G_DECLARE_FINAL_TYPE (SaTrack, sa_track, SA, TRACK, GObject)

SaTrack *sa_track_new (SaCollection *collection, guint index);
SaCollection *sa_track_get_collection (SaTrack *self);
guint sa_track_get_index (SaTrack *self);
const char *sa_track_get_artist (SaTrack *self);
const char *sa_track_get_title (SaTrack *self);
const char *sa_track_get_album (SaTrack *self);
/* seconds; the clip length (segmentEnd - segmentStart) when the file is a full track */
double sa_track_get_duration (SaTrack *self);
gint64 sa_track_get_clip_id (SaTrack *self);
/* "3:07", or "" when unknown */
char *sa_format_duration (double seconds);

G_END_DECLS
