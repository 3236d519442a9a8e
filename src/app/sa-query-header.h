/* sa-query-header.h: the query's title, what it is, and its play button
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_QUERY_HEADER (sa_query_header_get_type ())
G_DECLARE_FINAL_TYPE (SaQueryHeader, sa_query_header, SA, QUERY_HEADER, GtkWidget)

/* @title NULL: no query. @path, if known, is the tooltip. */
void sa_query_header_set (SaQueryHeader *self, const char *title, const char *subtitle,
                          const char *path);
const char *sa_query_header_get_title (SaQueryHeader *self);
void sa_query_header_set_playing (SaQueryHeader *self, gboolean playing);

G_END_DECLS
