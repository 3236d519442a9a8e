/* sa-result.h: one similar track in a result list
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sa-track.h"

G_BEGIN_DECLS

#define SA_TYPE_RESULT (sa_result_get_type ())
G_DECLARE_FINAL_TYPE (SaResult, sa_result, SA, RESULT, GObject)

/* @parts: each feature set's share of the distance (0..1, summing to 1), or NULL */
SaResult *sa_result_new (SaCollection *collection, guint track, guint rank, double distance,
                         const double *parts, guint n_parts);
SaTrack *sa_result_get_track (SaResult *self);
guint sa_result_get_index (SaResult *self); /* the track's index in the collection */
guint sa_result_get_rank (SaResult *self);
double sa_result_get_distance (SaResult *self);
double sa_result_get_part (SaResult *self, guint set);

G_END_DECLS
