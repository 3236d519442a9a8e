/* sa-compare-view.h: the heat maps of the query and one result
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-collection.h"

G_BEGIN_DECLS

#define SA_TYPE_COMPARE_VIEW (sa_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (SaCompareView, sa_compare_view, SA, COMPARE_VIEW, GtkWidget)

/* @query_row and @clip_row are padded rows of @collection (NULL: none); the names are shown. */
void sa_compare_view_set (SaCompareView *self, SaCollection *collection, const float *query_row,
                          const char *query_name, const float *clip_row, const char *clip_name,
                          guint clip_rank);
/* The line that says what is compared. */
const char *sa_compare_view_get_heading (SaCompareView *self);

G_END_DECLS
