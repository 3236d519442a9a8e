/* sa-labels.h: what makes a neighbour relevant, per track
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Either one metadata column (artist, album, genre, ...: relevant = the same
 * non-empty value) or a tag file like the tutorial's part-2
 * ismir2018_tut_part_2_similarity_labels_subset.csv: the metadata's index column
 * (its first column), then one 0/1 column per tag; relevant = shares a tag.
 */
#pragma once

#include "sa-collection.h"

G_BEGIN_DECLS

typedef struct _SaLabels SaLabels;

SaLabels *sa_labels_from_column (SaCollection *collection, const char *column, GError **error);
SaLabels *sa_labels_load_tags (SaCollection *collection, const char *path, GError **error);
/* A path to an existing file: a tag file; else a metadata column name. */
SaLabels *sa_labels_new (SaCollection *collection, const char *column_or_file, GError **error);
void sa_labels_free (SaLabels *labels);

guint sa_labels_get_n_tracks (SaLabels *labels);
/* Tracks with at least one label. */
guint sa_labels_get_n_labelled (SaLabels *labels);
guint sa_labels_get_n_names (SaLabels *labels);
/* The labels of a track (0 when it has none). */
guint sa_labels_get_n (SaLabels *labels, guint track);
const char *sa_labels_get_name (SaLabels *labels, guint track, guint i);
/* "a, b, c" (a new string; "" when none). */
char *sa_labels_describe (SaLabels *labels, guint track);
gboolean sa_labels_share (SaLabels *labels, guint a, guint b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaLabels, sa_labels_free)

G_END_DECLS
