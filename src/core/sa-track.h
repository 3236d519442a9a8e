/* sa-track.h: one track of a collection, as a light list item
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made on demand by the collection's GListModel: it holds the collection and
 * an index, and its string properties point into the collection's metadata
 * (nothing is copied per row).
 *
 * Properties for list bindings (<lookup> in the templates), all read-only:
 *   index, clip-id, artist, title, album, duration (seconds), duration-text ("3:07"),
 *   path          the path as the metadata gives it (may be a file:// URI),
 *   display-path  the same for people: a file:// URI decoded, always UTF-8 (a tooltip),
 *   file-name     the last part of the path,
 *   folder        the name of the folder the file is in ("" when the path has none),
 *   display-title the title, else the file name without its extension (untagged files),
 *   title-key     a natural-order collation key of display-title ("70 BPM" before "110 BPM"),
 *   title-order, artist-order, album-order
 *                 the track's place (0..n-1) when the collection is sorted naturally by that
 *                 field (digit runs compare as numbers, case and accents as the locale says;
 *                 ties in collection order).  GTK 4.8's GtkStringSorter cannot collate
 *                 naturally: sort with a GtkNumericSorter on these.  Computed for the whole
 *                 collection on first use (about 0.2 s per 100,000 tracks), then shared.
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
/* the metadata's path; "" when there is none */
const char *sa_track_get_path (SaTrack *self);
/* newly allocated, UTF-8 */
char *sa_track_dup_display_path (SaTrack *self);
char *sa_track_dup_file_name (SaTrack *self);
char *sa_track_dup_folder (SaTrack *self);
char *sa_track_dup_display_title (SaTrack *self);
guint sa_track_get_title_order (SaTrack *self);

/* The same for any track of a collection, without making an SaTrack. */
char *sa_collection_dup_display_path (SaCollection *collection, guint track);
char *sa_collection_dup_file_name (SaCollection *collection, guint track);
char *sa_collection_dup_folder (SaCollection *collection, guint track);
char *sa_collection_dup_display_title (SaCollection *collection, guint track);
/* @field: SA_FIELD_TITLE (the display title), SA_FIELD_ARTIST or SA_FIELD_ALBUM */
guint sa_collection_get_natural_order (SaCollection *collection, guint track, SaField field);

/* The tracks sorted naturally by a text of each (newly allocated by @dup_text, e.g.
 * sa_collection_dup_folder), ties in collection order: element r is the track at place r. */
typedef char *(*SaTextFunc) (SaCollection *collection, guint track);
guint *sa_collection_sort_naturally (SaCollection *collection, SaTextFunc dup_text);

/* A key that sorts @text naturally: case-folded, then g_utf8_collate_key_for_filename (digit
 * runs by value, the rest as the locale collates).  Compare keys with strcmp. */
char *sa_natural_sort_key (const char *text);

/* "3:07", or "" when unknown */
char *sa_format_duration (double seconds);

G_END_DECLS
