/* sa-histogram.h: the distances of the whole collection from the query
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows whether the neighbours are close or merely the least far: a histogram of every
 * track's distance, with the shown results marked.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_HISTOGRAM (sa_histogram_get_type ())
G_DECLARE_FINAL_TYPE (SaHistogram, sa_histogram, SA, HISTOGRAM, GtkWidget)

GtkWidget *sa_histogram_new (void);
void sa_histogram_set (SaHistogram *self, const double *distances, guint n, const double *marks,
                       guint n_marks);
guint sa_histogram_get_n_values (SaHistogram *self);

G_END_DECLS
