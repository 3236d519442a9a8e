/* sa-result.h: one similar track in a result list
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Properties for list bindings, all read-only: track, rank, distance; the track's artist,
 * title, album, index, clip-id, path, display-path, file-name, folder, display-title,
 * title-key, title-order, duration, duration-text (see sa-track.h); and the shares of the
 * distance: rp-share (rhythm), ssd-share (timbre), other-share (every other set), each 0..1.
 */
#pragma once

#include "sa-track.h"

G_BEGIN_DECLS

#define SA_TYPE_RESULT (sa_result_get_type ())
G_DECLARE_FINAL_TYPE (SaResult, sa_result, SA, RESULT, GObject)

/* @parts: each feature set's share of the distance (0..1, summing to 1), or NULL */
SaResult *sa_result_new (SaCollection *collection, guint track, guint rank, double distance,
                         const double *parts, guint n_parts);
/* A re-ranked result keeps its object (its row in a list keeps its widgets): the new rank,
 * distance and shares, notified. */
void sa_result_update (SaResult *self, guint rank, double distance, const double *parts,
                       guint n_parts);
SaTrack *sa_result_get_track (SaResult *self);
guint sa_result_get_index (SaResult *self); /* the track's index in the collection */
guint sa_result_get_rank (SaResult *self);
double sa_result_get_distance (SaResult *self);
double sa_result_get_part (SaResult *self, guint set); /* 0 for a set it has no share of */
guint sa_result_get_n_parts (SaResult *self);
/* The share of the set called @set_name ("rp", "ssd"); 0 when the collection has no such set. */
double sa_result_get_share (SaResult *self, const char *set_name);
/* The shares of every set but rp and ssd, summed. */
double sa_result_get_other_share (SaResult *self);

/* The user's mark of this result for its query (an SaMarkKind, sa-marks.h: 0 none, 1 good,
 * 2 bad): the "mark" property, notified on change. */
int sa_result_get_mark (SaResult *self);
void sa_result_set_mark (SaResult *self, int mark);
/* The track's tags ("piano, classical"), from a tag file the user opened: "tags", or NULL. */
const char *sa_result_get_tags (SaResult *self);
void sa_result_set_tags (SaResult *self, const char *tags);

G_END_DECLS
