/* sa-collection.h: features joined with metadata
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A collection is what the tutorial builds before its search: the feature file's
 * rows joined with the metadata on clip_id (inner join), in feature-file order.
 * Every 2-D float array of the .npz with one row per clip_id is a feature set
 * (rp, ssd, ...).  The sets are kept once, as one float32 row-major matrix whose
 * rows and sets start at multiples of 64 bytes (padding is zero), together with
 * the per-dimension mean and population standard deviation over the joined
 * rows (the inputs of the tutorial's z-score).
 */
#pragma once

#include <gio/gio.h>

#include "sa-metadata.h"

G_BEGIN_DECLS

#define SA_TYPE_COLLECTION (sa_collection_get_type ())
G_DECLARE_FINAL_TYPE (SaCollection, sa_collection, SA, COLLECTION, GObject)

#define SA_MAX_SETS 16
/* The most dimensions of one set, and of all sets together (padded). */
#define SA_MAX_SET_LENGTH (1u << 20)

typedef struct
{
  char *name;
  guint offset;          /* first column in the padded row */
  guint length;          /* number of dimensions */
  guint padded;          /* length rounded up to 16 */
  double default_weight; /* rp 0.5, ssd 0.9; an extra set next to them 0, else 1 */
} SaFeatureSet;

typedef struct
{
  guint n_feature_rows;
  guint n_metadata_rows;
  guint n_joined;
  guint n_features_without_metadata;
  guint n_metadata_without_features;
  guint n_duplicate_feature_ids;
  guint n_duplicate_metadata_ids;
} SaCollectionReport;

/* Well-known metadata columns */
typedef enum
{
  SA_FIELD_ARTIST,
  SA_FIELD_TITLE,
  SA_FIELD_ALBUM,
  SA_FIELD_PATH,
  SA_FIELD_TRACK_NUMBER,
  SA_FIELD_SEGMENT_START,
  SA_FIELD_SEGMENT_END,
  SA_FIELD_DURATION,
  SA_N_FIELDS
} SaField;

SaCollection *sa_collection_load (const char *features_path, const char *metadata_path,
                                  GCancellable *cancellable, GError **error);
void sa_collection_load_async (const char *features_path, const char *metadata_path,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
SaCollection *sa_collection_load_finish (GAsyncResult *result, GError **error);

const char *sa_collection_get_features_path (SaCollection *self);
const char *sa_collection_get_metadata_path (SaCollection *self);
const SaCollectionReport *sa_collection_get_report (SaCollection *self);

guint sa_collection_get_n_tracks (SaCollection *self);
guint sa_collection_get_n_sets (SaCollection *self);
const SaFeatureSet *sa_collection_get_set (SaCollection *self, guint index);
int sa_collection_find_set (SaCollection *self, const char *name);
guint sa_collection_get_n_dims (SaCollection *self); /* sum of set lengths */
guint sa_collection_get_stride (SaCollection *self); /* floats per padded row */
const float *sa_collection_get_matrix (SaCollection *self);
/* Whether the matrix is a read-only mapping of the collection's store (sa-store.h). */
gboolean sa_collection_is_mapped (SaCollection *self);
/* The compact copy of the matrix for the scan (sa-compact.h): one byte per value and, per
 * track, one error bound per set; NULL when there is none.  Stores of collections with at
 * least SA_COMPACT_MIN_TRACKS tracks (or the SOUNDALIKE_COMPACT_MIN_TRACKS environment
 * variable) keep one. */
#define SA_COMPACT_MIN_TRACKS 200000
const gint8 *sa_collection_get_codes (SaCollection *self, const float **errors);
/* A mapped matrix: lets go of the pages read so far (the compact scan reads only a few
 * rows per query; without this they would add up to the whole matrix). */
void sa_collection_release_pages (SaCollection *self);
/* Row @track for a one-off read: from the store into @buf (stride floats, 64-byte aligned)
 * with pread, so that its page is not mapped; the row in memory when there is no store. */
const float *sa_collection_read_row (SaCollection *self, guint track, float *buf);
const float *sa_collection_get_row (SaCollection *self, guint track);
/* The matrix holds *stored* values: a column whose raw magnitude is outside
 * [2^-20, 2^20) (values near 1e-30, denormals, near 3e38, float64 beyond float range)
 * is kept as (raw - offset) * 2^k so that its differences survive in float; every
 * other column is stored as it is (offset 0, scale 1).  Mean and std are of the
 * stored values (z-scores are the same either way), per padded column; padding
 * and zero-variance columns have std 0.  Code that needs the file's numbers (an
 * export, the analyzer's reuse of rows) reads them with get_raw_value() or
 * copy_raw(); code that puts numbers from outside next to the matrix (query by
 * example) converts them with to_stored(). */
const double *sa_collection_get_mean (SaCollection *self);
const double *sa_collection_get_std (SaCollection *self);
const gboolean *sa_collection_get_zero_variance (SaCollection *self);
void sa_collection_get_column_scaling (SaCollection *self, guint column, double *offset,
                                       double *scale);
double sa_collection_get_raw_value (SaCollection *self, guint track, guint column);
/* @n raw values of @track from padded column @column on, narrowed to float. */
void sa_collection_copy_raw (SaCollection *self, guint track, guint column, guint n, float *out);
float sa_collection_to_stored (SaCollection *self, guint column, double raw);

/* Translated sentences about what was read but not used: members of the archive that
 * are not arrays, arrays that are not feature sets, extra sets (weight 0), tracks left
 * out by the join and why.  NULL-terminated; empty when everything was used. */
const char *const *sa_collection_get_notes (SaCollection *self);

gint64 sa_collection_get_clip_id (SaCollection *self, guint track);
int sa_collection_find_clip_id (SaCollection *self, gint64 clip_id);
/* Never NULL ("" when unknown). */
const char *sa_collection_get_field (SaCollection *self, guint track, SaField field);
/* Any metadata column by name; "" when absent. */
const char *sa_collection_get_column (SaCollection *self, guint track, const char *column);
SaMetadata *sa_collection_get_metadata (SaCollection *self);
/* Small integer ids: tracks with equal artist (album, audio file) have equal ids. */
guint sa_collection_get_group (SaCollection *self, guint track, SaField field);

/* Seconds: the "duration" column, else segmentEnd - segmentStart; 0 when unknown. */
double sa_collection_get_duration (SaCollection *self, guint track);
/* The clip's start and end in its audio file (segmentStart, segmentEnd), when known. */
gboolean sa_collection_get_clip_bounds (SaCollection *self, guint track, double *start,
                                        double *end);
/* Whether the track's artist, title or album contains @casefolded_needle. */
gboolean sa_collection_track_matches (SaCollection *self, guint track,
                                      const char *casefolded_needle);

/* The folder under which foreign audio paths are looked up by their trailing components. */
void sa_collection_set_audio_root (SaCollection *self, const char *audio_root);
const char *sa_collection_get_audio_root (SaCollection *self);
/* A local path for the track's audio, or NULL when it cannot be found. */
char *sa_collection_resolve_audio (SaCollection *self, guint track);

G_END_DECLS
