/* sa-search-mp.h: ranking by mutual proximity (private to the core)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sa-search.c hands over to these while moments are set (sa-moments.h).
 */
#pragma once

#include "sa-search.h"

G_BEGIN_DECLS

guint sa_search_mp_rank (SaSearch *search, const double *weights, guint k, SaHit *hits);
double sa_search_mp_distance (SaSearch *search, const double *weights, guint track);
/* 1 - SF * SF per track when @as_distance, else the ranking key -SF * SF. */
void sa_search_mp_all (SaSearch *search, const double *weights, double *out, gboolean as_distance);
/* 1 - SF * SF of @n tracks (their exact sums read as needed). */
void sa_search_mp_of_tracks (SaSearch *search, const double *weights, const guint32 *tracks,
                             guint n, double *out);

G_END_DECLS
