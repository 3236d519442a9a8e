/* sa-m3u.h: the one M3U playlist writer (the CLI's --format m3u and the window's export)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Extended M3U in UTF-8: "#EXTM3U", then per entry "#EXTINF:SECONDS,ARTIST - TITLE" and the
 * location on the next line.  Whatever the metadata holds, one entry is exactly two lines:
 * control characters (newline, carriage return, tab, the C1 controls, the Unicode line and
 * paragraph separators) in a title or artist become a space, and invalid UTF-8 becomes U+FFFD.
 * A location that is not plain printable UTF-8 (a Latin-1 file name, a newline in a name, a name
 * starting with '#') is written as a file:// URI, which players decode back to the same bytes.
 */
#pragma once

#include <glib.h>

#include "sa-collection.h"

G_BEGIN_DECLS

typedef struct _SaM3u SaM3u;

/* An empty playlist: only the "#EXTM3U" header. */
SaM3u *sa_m3u_new (void);
void sa_m3u_free (SaM3u *self);

/* Adds one entry.  @location is a file name (any bytes) or a URI ("scheme://...").  @artist and
 * @title may be NULL or ""; without a title the entry is named by the location's file name.
 * @seconds <= 0 (or not finite) is written as -1, "unknown".  Returns FALSE, and adds nothing,
 * when @location is NULL or empty. */
gboolean sa_m3u_add (SaM3u *self, const char *location, const char *artist, const char *title,
                     double seconds);
/* Adds a track of @collection: its audio as found on this computer
 * (sa_collection_resolve_audio), else the path the metadata gives; its artist, title and
 * duration.  Returns FALSE when the track has no path at all. */
gboolean sa_m3u_add_track (SaM3u *self, SaCollection *collection, guint track);
guint sa_m3u_get_n_entries (SaM3u *self);

/* The playlist so far (owned by @self). */
const char *sa_m3u_get_text (SaM3u *self);
/* Writes the playlist to @path atomically (temporary file + rename). */
gboolean sa_m3u_write (SaM3u *self, const char *path, GError **error);

/* The building blocks, for tests: one line of text, and one location line (newly allocated). */
char *sa_m3u_sanitize_text (const char *text);
char *sa_m3u_location (const char *location);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaM3u, sa_m3u_free)

G_END_DECLS
