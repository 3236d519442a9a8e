/* sa-example.h: query by example, a file from outside the collection analysed as a query
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decodes and extracts one audio file with the same pipeline as the analysis (sa-audio.h),
 * and keeps what the window shows of it (title from the tags, else the file name) and its
 * RP and SSD vectors.  sa_example_make_row lays them out as a row of a given collection, so
 * that SaSearch can rank the collection against it.
 */
#pragma once

#include <gio/gio.h>

#include "sa-audio.h"
#include "sa-collection.h"

G_BEGIN_DECLS

#define SA_TYPE_EXAMPLE (sa_example_get_type ())
G_DECLARE_FINAL_TYPE (SaExample, sa_example, SA, EXAMPLE, GObject)

/* Blocking: for the CLI and tests.  Errors name the file (SA_ERROR_DECODE, SA_ERROR_TOO_SHORT,
 * ...); a cancelled analysis is G_IO_ERROR_CANCELLED. */
SaExample *sa_example_analyze (const char *path, GCancellable *cancellable, GError **error);
/* The same on a worker thread; @callback runs on the caller's thread-default main context. */
void sa_example_analyze_async (const char *path, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
SaExample *sa_example_analyze_finish (GAsyncResult *result, GError **error);

/* Properties of the same names: "path", "title", "artist", "album", "duration". */
const char *sa_example_get_path (SaExample *self);
/* The title tag, else the file name (for display, always UTF-8). */
const char *sa_example_get_title (SaExample *self);
const char *sa_example_get_artist (SaExample *self); /* "" when untagged */
const char *sa_example_get_album (SaExample *self);  /* "" when untagged */
double sa_example_get_duration (SaExample *self);    /* seconds of audio */
const SaFeatures *sa_example_get_features (SaExample *self);

/* A padded row of sa_collection_get_stride (@collection) floats, 64-byte aligned (free it with
 * g_aligned_free): the example's RP and SSD in the collection's "rp" and "ssd" sets, and the
 * collection's mean in any other set (a set the extractor does not make counts as average,
 * z = 0).  Padding is 0. */
float *sa_example_make_row (SaExample *self, SaCollection *collection);

G_END_DECLS
