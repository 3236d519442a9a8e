/* sa-collection.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <sys/mman.h>
#include <string.h>

#include "sa-collection.h"
#include "sa-error.h"
#include "sa-npz.h"
#include "sa-store.h"
#include "sa-track.h"

struct _SaCollection
{
  GObject parent_instance;

  char *features_path;
  char *metadata_path;
  char *metadata_dir;
  char *audio_root;
  SaCollectionReport report;

  guint n_tracks;
  guint n_sets;
  SaFeatureSet sets[SA_MAX_SETS];
  guint n_dims;
  guint stride;
  float *matrix;  /* n_tracks x stride, 64-byte aligned */
  SaStore *store; /* when set, matrix points into its read-only mapping */
  double *mean;
  double *std;
  gboolean *zero_variance;

  gint64 *clip_ids;
  guint *meta_rows; /* metadata row of each track, or G_MAXUINT */
  SaMetadata *metadata;
  int columns[SA_N_FIELDS];
  guint *groups[SA_N_FIELDS];
  GHashTable *by_clip_id; /* gint64 -> track + 1 */

  GMutex search_lock;
  char **haystack; /* casefolded "artist title album" per track, built on first search */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SaCollection, sa_collection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *list)
{
  return SA_TYPE_TRACK;
}

static guint
get_n_items (GListModel *list)
{
  return SA_COLLECTION (list)->n_tracks;
}

static gpointer
get_item (GListModel *list, guint position)
{
  SaCollection *self = SA_COLLECTION (list);

  if (position >= self->n_tracks)
    return NULL;
  return sa_track_new (self, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
sa_collection_finalize (GObject *object)
{
  SaCollection *self = SA_COLLECTION (object);

  for (guint i = 0; i < self->n_sets; i++)
    g_free (self->sets[i].name);
  for (guint i = 0; i < SA_N_FIELDS; i++)
    g_free (self->groups[i]);
  if (self->store == NULL)
    g_free (self->matrix);
  g_clear_pointer (&self->store, sa_store_free);
  g_free (self->mean);
  g_free (self->std);
  g_free (self->zero_variance);
  g_free (self->clip_ids);
  g_free (self->meta_rows);
  g_clear_pointer (&self->metadata, sa_metadata_free);
  g_clear_pointer (&self->by_clip_id, g_hash_table_unref);
  g_free (self->features_path);
  g_free (self->metadata_path);
  g_free (self->metadata_dir);
  g_free (self->audio_root);
  g_strfreev (self->haystack);
  g_mutex_clear (&self->search_lock);

  G_OBJECT_CLASS (sa_collection_parent_class)->finalize (object);
}

static void
sa_collection_class_init (SaCollectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sa_collection_finalize;
}

static void
sa_collection_init (SaCollection *self)
{
  for (guint i = 0; i < SA_N_FIELDS; i++)
    self->columns[i] = -1;
  g_mutex_init (&self->search_lock);
}

/* The matrix: 2 MiB aligned and backed by transparent huge pages where the
 * kernel offers them (far fewer page faults for a 600 MB matrix); not zeroed,
 * every used column is written by load_set() and the padding by zero_padding(). */
static float *
alloc_matrix (gsize n_floats)
{
  const gsize huge = 2 << 20;
  gsize bytes = MAX (n_floats * sizeof (float), 64);
  void *p = NULL;

  if (bytes >= huge)
    {
      bytes = (bytes + huge - 1) / huge * huge;
      if (posix_memalign (&p, huge, bytes) != 0)
        g_error ("out of memory allocating %zu bytes", bytes);
#ifdef MADV_HUGEPAGE
      madvise (p, bytes, MADV_HUGEPAGE);
#endif
      return p;
    }
  if (posix_memalign (&p, 64, bytes) != 0)
    g_error ("out of memory allocating %zu bytes", bytes);
  return p;
}

static void
zero_padding (SaCollection *self)
{
  for (guint t = 0; t < self->n_tracks; t++)
    for (guint i = 0; i < self->n_sets; i++)
      {
        const SaFeatureSet *set = &self->sets[i];
        memset (self->matrix + (gsize) t * self->stride + set->offset + set->length, 0,
                (set->padded - set->length) * sizeof (float));
      }
}

/* Tells which arrays are feature sets and checks their shapes. */
static void finish_load (SaCollection *self);
static void ensure_compact (SaStore *store, const char *dir);

static gboolean
find_sets (SaCollection *self, SaNpz *npz, guint64 n_rows, GError **error)
{
  for (guint i = 0; i < sa_npz_get_n_arrays (npz); i++)
    {
      const char *name = sa_npz_get_array_name (npz, i);
      gboolean required = g_str_equal (name, "rp") || g_str_equal (name, "ssd");
      g_autoptr (SaNpzStream) s = NULL;
      SaNpyHeader h;

      if (g_str_equal (name, "clip_id"))
        continue;
      s = sa_npz_open_array (npz, name, &h, error);
      if (s == NULL)
        return FALSE;
      if (!sa_dtype_is_float (h.dtype) || h.ndim != 2)
        {
          if (required)
            {
              g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                           _ ("%s: array '%s' must be a 2-D float array, not %u-D %s"),
                           sa_npz_get_path (npz), name, h.ndim,
                           sa_dtype_to_string (h.dtype, h.big_endian));
              return FALSE;
            }
          continue;
        }
      if (h.shape[0] != n_rows)
        {
          if (required)
            {
              g_set_error (error, SA_ERROR, SA_ERROR_SHAPE,
                           _ ("%s: array '%s' has %" PRIu64 " rows but 'clip_id' has %" PRIu64),
                           sa_npz_get_path (npz), name, h.shape[0], n_rows);
              return FALSE;
            }
          continue;
        }
      if (h.shape[1] == 0 || h.shape[1] > 1u << 20)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_SHAPE,
                       _ ("%s: array '%s' has %" PRIu64 " columns"), sa_npz_get_path (npz), name,
                       h.shape[1]);
          return FALSE;
        }
      if (self->n_sets == SA_MAX_SETS)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED, _ ("%s: more than %u feature sets"),
                       sa_npz_get_path (npz), SA_MAX_SETS);
          return FALSE;
        }
      self->sets[self->n_sets].name = g_strdup (name);
      self->sets[self->n_sets].length = (guint) h.shape[1];
      self->sets[self->n_sets].padded = ((guint) h.shape[1] + 15) / 16 * 16;
      self->sets[self->n_sets].offset = self->stride;
      self->stride += self->sets[self->n_sets].padded;
      self->n_dims += (guint) h.shape[1];
      self->n_sets++;
    }
  if (self->n_sets == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING,
                   _ ("%s: no feature arrays (2-D float arrays such as 'rp' and 'ssd')"),
                   sa_npz_get_path (npz));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_finite (SaNpz *npz, const SaFeatureSet *set, const float *row, guint64 file_row,
              gint64 clip_id, GError **error)
{
  for (guint j = 0; j < set->length; j++)
    if (G_UNLIKELY (!isfinite (row[j])))
      {
        g_set_error (error, SA_ERROR, SA_ERROR_NOT_FINITE,
                     _ ("%s: array '%s', row %" PRIu64 " (clip_id %" PRId64 "), column %u is %s"),
                     sa_npz_get_path (npz), set->name, file_row, clip_id, j,
                     isnan (row[j]) ? "NaN" : "infinite");
        return FALSE;
      }
  return TRUE;
}

/* Streams one feature set into the matrix rows of the tracks that were kept. */
static gboolean
load_set (SaCollection *self, SaNpz *npz, const SaFeatureSet *set, const gint32 *dest,
          const gint64 *file_ids, guint64 n_rows, GCancellable *cancellable, GError **error)
{
  SaNpyHeader h;
  g_autoptr (SaNpzStream) s = sa_npz_open_array (npz, set->name, &h, error);
  gsize row_bytes;

  if (s == NULL)
    return FALSE;
  row_bytes = (gsize) h.shape[1] * h.item_size;
  if (!h.fortran_order)
    {
      const guint64 chunk_rows = MAX (1, (1u << 20) / row_bytes);
      g_autofree guint8 *buf = g_malloc (chunk_rows * row_bytes);

      for (guint64 r0 = 0; r0 < n_rows; r0 += chunk_rows)
        {
          guint64 nr = MIN (chunk_rows, n_rows - r0);
          if (g_cancellable_set_error_if_cancelled (cancellable, error)
              || !sa_npz_stream_read (s, buf, nr * row_bytes, error))
            return FALSE;
          for (guint64 r = 0; r < nr; r++)
            {
              gint32 t = dest[r0 + r];
              float *out;
              if (t < 0)
                continue;
              out = self->matrix + (gsize) t * self->stride + set->offset;
              sa_npy_convert_f32 (&h, buf + r * row_bytes, set->length, out);
              if (!check_finite (npz, set, out, r0 + r, file_ids[r0 + r], error))
                return FALSE;
            }
        }
    }
  else
    {
      g_autofree guint8 *raw = g_malloc (MAX (h.data_size, 1));
      if (!sa_npz_stream_read (s, raw, h.data_size, error))
        return FALSE;
      for (guint64 r = 0; r < n_rows; r++)
        {
          gint32 t = dest[r];
          float *out;
          if (t < 0)
            continue;
          out = self->matrix + (gsize) t * self->stride + set->offset;
          for (guint j = 0; j < set->length; j++)
            sa_npy_convert_f32 (&h, raw + ((gsize) j * n_rows + r) * h.item_size, 1, out + j);
          if (!check_finite (npz, set, out, r, file_ids[r], error))
            return FALSE;
        }
    }
  return sa_npz_stream_finish (s, error);
}

/* Mean and population standard deviation of every column, in double, two passes. */
static void
compute_statistics (SaCollection *self)
{
  guint d = self->stride;
  g_autofree double *sum = g_new0 (double, d);
  g_autofree float *lo = g_new (float, d);
  g_autofree float *hi = g_new (float, d);

  self->mean = g_new0 (double, d);
  self->std = g_new0 (double, d);
  self->zero_variance = g_new0 (gboolean, d);
  memcpy (lo, self->matrix, d * sizeof (float));
  memcpy (hi, self->matrix, d * sizeof (float));
  for (guint i = 0; i < self->n_tracks; i++)
    {
      const float *x = self->matrix + (gsize) i * d;
      for (guint j = 0; j < d; j++)
        {
          sum[j] += x[j];
          lo[j] = MIN (lo[j], x[j]);
          hi[j] = MAX (hi[j], x[j]);
        }
    }
  for (guint j = 0; j < d; j++)
    {
      self->mean[j] = sum[j] / self->n_tracks;
      sum[j] = 0;
    }
  for (guint i = 0; i < self->n_tracks; i++)
    {
      const float *x = self->matrix + (gsize) i * d;
      for (guint j = 0; j < d; j++)
        {
          double dev = x[j] - self->mean[j];
          sum[j] += dev * dev;
        }
    }
  for (guint j = 0; j < d; j++)
    {
      self->std[j] = sqrt (sum[j] / self->n_tracks);
      /* a constant column (also every padding column) contributes nothing: nan_to_num */
      self->zero_variance[j] = lo[j] == hi[j] || self->std[j] == 0.0;
      if (self->zero_variance[j])
        self->std[j] = 0.0;
    }
}

static void
build_groups (SaCollection *self)
{
  static const SaField grouped[] = { SA_FIELD_ARTIST, SA_FIELD_ALBUM, SA_FIELD_PATH };

  for (guint g = 0; g < G_N_ELEMENTS (grouped); g++)
    {
      SaField f = grouped[g];
      g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

      self->groups[f] = g_new (guint, MAX (self->n_tracks, 1));
      for (guint t = 0; t < self->n_tracks; t++)
        {
          const char *v = sa_collection_get_field (self, t, f);
          gpointer id;
          if (*v == '\0')
            {
              /* unknown values are never "the same" as another track's */
              self->groups[f][t] = G_MAXUINT - t;
              continue;
            }
          if (!g_hash_table_lookup_extended (ids, v, NULL, &id))
            {
              id = GUINT_TO_POINTER (g_hash_table_size (ids));
              g_hash_table_insert (ids, (gpointer) v, id);
            }
          self->groups[f][t] = GPOINTER_TO_UINT (id);
        }
    }
}

static SaCollection *
import_sources (const char *features_path, const char *metadata_path, GCancellable *cancellable,
                GError **error)
{
  g_autoptr (SaCollection) self = g_object_new (SA_TYPE_COLLECTION, NULL);
  g_autoptr (SaNpz) npz = NULL;
  g_autofree gint64 *file_ids = NULL;
  g_autofree gint32 *dest = NULL;
  g_autoptr (GHashTable) meta_by_id = NULL;
  g_autoptr (GHashTable) seen = NULL;
  g_autofree gint64 *meta_ids = NULL;
  SaNpyHeader h;
  guint64 n_rows;
  guint n;

  g_return_val_if_fail (features_path != NULL, NULL);

  self->features_path = g_strdup (features_path);
  self->metadata_path = g_strdup (metadata_path);
  self->metadata_dir = metadata_path ? g_path_get_dirname (metadata_path) : NULL;

  npz = sa_npz_open (features_path, error);
  if (npz == NULL)
    return NULL;
  if (!sa_npz_has_array (npz, "clip_id"))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING, _ ("%s: no 'clip_id' array"), features_path);
      return NULL;
    }
  file_ids = sa_npz_read_i64 (npz, "clip_id", &h, error);
  if (file_ids == NULL)
    return NULL;
  if (h.ndim == 2 && h.shape[1] != 1)
    {
      g_set_error (
          error, SA_ERROR, SA_ERROR_SHAPE,
          _ ("%s: 'clip_id' must be one id per row, not a %" PRIu64 " x %" PRIu64 " array"),
          features_path, h.shape[0], h.shape[1]);
      return NULL;
    }
  n_rows = h.shape[0];
  if (n_rows > G_MAXINT32)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE, _ ("%s: too many rows"), features_path);
      return NULL;
    }
  if (!find_sets (self, npz, n_rows, error))
    return NULL;

  if (metadata_path)
    {
      self->metadata = sa_metadata_load (metadata_path, error);
      if (self->metadata == NULL)
        return NULL;
    }

  /* the join: feature-file order, first occurrence of each id wins */
  meta_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  if (self->metadata)
    {
      guint nm = sa_metadata_get_n_rows (self->metadata);
      self->report.n_metadata_rows = nm;
      meta_ids = g_new (gint64, MAX (nm, 1));
      for (guint r = 0; r < nm; r++)
        {
          meta_ids[r] = sa_metadata_get_clip_id (self->metadata, r);
          if (g_hash_table_contains (meta_by_id, &meta_ids[r]))
            self->report.n_duplicate_metadata_ids++;
          else
            g_hash_table_insert (meta_by_id, &meta_ids[r], GUINT_TO_POINTER (r + 1));
        }
    }
  self->report.n_feature_rows = (guint) n_rows;
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  dest = g_new (gint32, MAX (n_rows, 1));
  self->clip_ids = g_new (gint64, MAX (n_rows, 1));
  self->meta_rows = g_new (guint, MAX (n_rows, 1));
  n = 0;
  for (guint64 r = 0; r < n_rows; r++)
    {
      gpointer m = NULL;
      dest[r] = -1;
      if (g_hash_table_contains (seen, &file_ids[r]))
        {
          self->report.n_duplicate_feature_ids++;
          continue;
        }
      g_hash_table_add (seen, &file_ids[r]);
      if (self->metadata)
        {
          m = g_hash_table_lookup (meta_by_id, &file_ids[r]);
          if (m == NULL)
            {
              self->report.n_features_without_metadata++;
              continue;
            }
          g_hash_table_remove (meta_by_id, &file_ids[r]);
        }
      dest[r] = (gint32) n;
      self->clip_ids[n] = file_ids[r];
      self->meta_rows[n] = m ? GPOINTER_TO_UINT (m) - 1 : G_MAXUINT;
      n++;
    }
  self->report.n_metadata_without_features = g_hash_table_size (meta_by_id);
  self->report.n_joined = self->n_tracks = n;
  if (n == 0)
    {
      if (self->metadata)
        g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
                     _ ("%s and %s have no clip_id in common: the collection would be empty"),
                     features_path, metadata_path);
      else
        g_set_error (error, SA_ERROR, SA_ERROR_EMPTY, _ ("%s: the feature file has no rows"),
                     features_path);
      return NULL;
    }

  self->matrix = alloc_matrix ((gsize) n * self->stride);
  zero_padding (self);
  for (guint i = 0; i < self->n_sets; i++)
    if (!load_set (self, npz, &self->sets[i], dest, file_ids, n_rows, cancellable, error))
      return NULL;

  compute_statistics (self);
  finish_load (self);
  return g_steal_pointer (&self);
}

/* What is built from the metadata and the clip ids, however the features were read. */
static void
finish_load (SaCollection *self)
{
  guint n = self->n_tracks;

  if (self->metadata)
    {
      static const char *names[SA_N_FIELDS][3] = {
        [SA_FIELD_ARTIST] = { "artist" },
        [SA_FIELD_TITLE] = { "title" },
        [SA_FIELD_ALBUM] = { "album" },
        [SA_FIELD_PATH] = { "mp3_path", "path" },
        [SA_FIELD_TRACK_NUMBER] = { "track_number" },
        [SA_FIELD_SEGMENT_START] = { "segmentStart" },
        [SA_FIELD_SEGMENT_END] = { "segmentEnd" },
        [SA_FIELD_DURATION] = { "duration" },
      };
      for (guint f = 0; f < SA_N_FIELDS; f++)
        for (guint k = 0; k < G_N_ELEMENTS (names[f]) && names[f][k]; k++)
          if ((self->columns[f] = sa_metadata_find_column (self->metadata, names[f][k])) >= 0)
            break;
    }
  self->by_clip_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint t = 0; t < n; t++)
    g_hash_table_insert (self->by_clip_id, &self->clip_ids[t], GUINT_TO_POINTER (t + 1));
  build_groups (self);
}

/* A collection from its store: the matrix is mapped, the statistics and the join are
 * read back; only the metadata CSV is parsed again.  Errors about the store (none, or
 * one made from other files) leave *error as SA_ERROR_NOT_FOUND or SA_ERROR_CORRUPT. */
static SaCollection *
open_store (const char *dir, const SaStoreSource *source, const char *features_path,
            const char *metadata_path, GError **error)
{
  g_autoptr (SaCollection) self = g_object_new (SA_TYPE_COLLECTION, NULL);
  const SaStoreContents *c;
  gsize d;

  self->store = sa_store_open (dir, source, error);
  if (self->store == NULL)
    return NULL;
  ensure_compact (self->store, dir);
  c = sa_store_get_contents (self->store);
  self->features_path = g_strdup (features_path);
  self->metadata_path = g_strdup (metadata_path);
  self->metadata_dir = metadata_path ? g_path_get_dirname (metadata_path) : NULL;
  self->report = c->report;
  self->n_tracks = c->n_tracks;
  self->n_sets = c->n_sets;
  self->stride = d = c->stride;
  for (guint i = 0; i < c->n_sets; i++)
    {
      self->sets[i] = c->sets[i];
      self->sets[i].name = g_strdup (c->sets[i].name);
      self->n_dims += c->sets[i].length;
    }
  self->matrix = (float *) c->matrix;
  self->mean = g_memdup2 (c->mean, d * sizeof (double));
  self->std = g_memdup2 (c->std, d * sizeof (double));
  self->zero_variance = g_memdup2 (c->zero_variance, d * sizeof (gboolean));
  self->clip_ids = g_memdup2 (c->clip_ids, (gsize) c->n_tracks * sizeof (gint64));
  self->meta_rows = g_memdup2 (c->meta_rows, (gsize) c->n_tracks * sizeof (guint));
  if (metadata_path)
    {
      g_autoptr (GError) local = NULL;
      self->metadata = sa_metadata_load (metadata_path, &local);
      if (self->metadata == NULL)
        {
          /* the same error an import would give */
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      for (guint t = 0; t < self->n_tracks; t++)
        if (self->meta_rows[t] >= sa_metadata_get_n_rows (self->metadata))
          {
            g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                         "%s: the store does not fit its metadata", dir);
            return NULL;
          }
    }
  finish_load (self);
  return g_steal_pointer (&self);
}

static gboolean
wants_compact (guint n_tracks)
{
  const char *env = g_getenv ("SOUNDALIKE_COMPACT_MIN_TRACKS");
  guint64 min = env ? g_ascii_strtoull (env, NULL, 10) : SA_COMPACT_MIN_TRACKS;
  return n_tracks >= min;
}

static void
ensure_compact (SaStore *store, const char *dir)
{
  g_autoptr (GError) error = NULL;
  const SaStoreContents *c = sa_store_get_contents (store);

  if (c->codes == NULL && wants_compact (c->n_tracks)
      && !sa_store_write_compact (store, dir, &error))
    g_debug ("no compact copy in %s: %s", dir, error->message);
}

/* Writes the store of a freshly imported collection, then maps it in place of the
 * matrix in memory (so that the two are not both held).  A store that cannot be
 * written (no space, no home folder) only costs the next open its speed. */
static void
save_store (SaCollection *self, const char *dir, const SaStoreSource *source)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SaStore) store = NULL;
  SaStoreContents c = { 0 };

  c.n_tracks = self->n_tracks;
  c.n_sets = self->n_sets;
  c.stride = self->stride;
  memcpy (c.sets, self->sets, sizeof c.sets);
  c.matrix = self->matrix;
  c.mean = self->mean;
  c.std = self->std;
  c.zero_variance = self->zero_variance;
  c.clip_ids = self->clip_ids;
  c.meta_rows = (const guint32 *) self->meta_rows;
  c.report = self->report;
  if (!sa_store_write (dir, source, &c, &error) || !(store = sa_store_open (dir, source, &error)))
    {
      g_debug ("not keeping a store of %s: %s", self->features_path, error->message);
      return;
    }
  g_free (self->matrix);
  self->matrix = (float *) sa_store_get_contents (store)->matrix;
  ensure_compact (store, dir);
  self->store = g_steal_pointer (&store);
}

SaCollection *
sa_collection_load (const char *features_path, const char *metadata_path, GCancellable *cancellable,
                    GError **error)
{
  g_autofree char *dir = NULL;
  SaStoreSource source;
  gboolean have_source = FALSE;
  SaCollection *self;

  g_return_val_if_fail (features_path != NULL, NULL);

  dir = sa_store_dir_for (features_path, metadata_path);
  if (dir && sa_store_fingerprint (features_path, metadata_path, &source, NULL))
    {
      g_autoptr (GError) local = NULL;
      have_source = TRUE;
      self = open_store (dir, &source, features_path, metadata_path, &local);
      if (self)
        return self;
      if (local->domain != SA_ERROR
          || (local->code != SA_ERROR_NOT_FOUND && local->code != SA_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  self = import_sources (features_path, metadata_path, cancellable, error);
  if (self && have_source)
    save_store (self, dir, &source);
  return self;
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  char **paths = task_data;
  GError *error = NULL;
  SaCollection *c
      = sa_collection_load (paths[0], paths[1][0] ? paths[1] : NULL, cancellable, &error);
  if (c)
    g_task_return_pointer (task, c, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sa_collection_load_async (const char *features_path, const char *metadata_path,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  char **paths = g_new0 (char *, 3);

  paths[0] = g_strdup (features_path);
  paths[1] = g_strdup (metadata_path ? metadata_path : "");
  g_task_set_source_tag (task, sa_collection_load_async);
  g_task_set_task_data (task, paths, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, load_thread);
}

SaCollection *
sa_collection_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sa_collection_get_features_path (SaCollection *self)
{
  return self->features_path;
}

const char *
sa_collection_get_metadata_path (SaCollection *self)
{
  return self->metadata_path;
}

const SaCollectionReport *
sa_collection_get_report (SaCollection *self)
{
  return &self->report;
}

guint
sa_collection_get_n_tracks (SaCollection *self)
{
  return self->n_tracks;
}

guint
sa_collection_get_n_sets (SaCollection *self)
{
  return self->n_sets;
}

const SaFeatureSet *
sa_collection_get_set (SaCollection *self, guint index)
{
  g_return_val_if_fail (index < self->n_sets, NULL);
  return &self->sets[index];
}

int
sa_collection_find_set (SaCollection *self, const char *name)
{
  for (guint i = 0; i < self->n_sets; i++)
    if (g_str_equal (self->sets[i].name, name))
      return i;
  return -1;
}

guint
sa_collection_get_n_dims (SaCollection *self)
{
  return self->n_dims;
}

guint
sa_collection_get_stride (SaCollection *self)
{
  return self->stride;
}

const float *
sa_collection_get_matrix (SaCollection *self)
{
  return self->matrix;
}

gboolean
sa_collection_is_mapped (SaCollection *self)
{
  return self->store != NULL;
}

const gint8 *
sa_collection_get_codes (SaCollection *self, const float **errors)
{
  const SaStoreContents *c = self->store ? sa_store_get_contents (self->store) : NULL;

  if (errors)
    *errors = c ? c->code_errors : NULL;
  return c ? c->codes : NULL;
}

const float *
sa_collection_get_row (SaCollection *self, guint track)
{
  g_return_val_if_fail (track < self->n_tracks, NULL);
  return self->matrix + (gsize) track * self->stride;
}

const double *
sa_collection_get_mean (SaCollection *self)
{
  return self->mean;
}

const double *
sa_collection_get_std (SaCollection *self)
{
  return self->std;
}

const gboolean *
sa_collection_get_zero_variance (SaCollection *self)
{
  return self->zero_variance;
}

gint64
sa_collection_get_clip_id (SaCollection *self, guint track)
{
  g_return_val_if_fail (track < self->n_tracks, -1);
  return self->clip_ids[track];
}

int
sa_collection_find_clip_id (SaCollection *self, gint64 clip_id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_clip_id, &clip_id)) - 1;
}

const char *
sa_collection_get_field (SaCollection *self, guint track, SaField field)
{
  g_return_val_if_fail (track < self->n_tracks && field < SA_N_FIELDS, "");
  if (self->metadata == NULL || self->meta_rows[track] == G_MAXUINT)
    return "";
  return sa_metadata_get (self->metadata, self->meta_rows[track], self->columns[field]);
}

const char *
sa_collection_get_column (SaCollection *self, guint track, const char *column)
{
  g_return_val_if_fail (track < self->n_tracks, "");
  if (self->metadata == NULL || self->meta_rows[track] == G_MAXUINT)
    return "";
  return sa_metadata_get (self->metadata, self->meta_rows[track],
                          sa_metadata_find_column (self->metadata, column));
}

SaMetadata *
sa_collection_get_metadata (SaCollection *self)
{
  return self->metadata;
}

guint
sa_collection_get_group (SaCollection *self, guint track, SaField field)
{
  g_return_val_if_fail (track < self->n_tracks, 0);
  g_return_val_if_fail (self->groups[field] != NULL, track);
  return self->groups[field][track];
}

void
sa_collection_set_audio_root (SaCollection *self, const char *audio_root)
{
  g_free (self->audio_root);
  self->audio_root = audio_root && *audio_root ? g_strdup (audio_root) : NULL;
}

const char *
sa_collection_get_audio_root (SaCollection *self)
{
  return self->audio_root;
}

char *
sa_collection_resolve_audio (SaCollection *self, guint track)
{
  g_autofree char *path = g_strdup (sa_collection_get_field (self, track, SA_FIELD_PATH));
  g_auto (GStrv) parts = NULL;
  guint n;

  if (*path == '\0')
    return NULL;
  g_strdelimit (path, "\\", '/');
  if (self->audio_root)
    {
      parts = g_strsplit (path, "/", -1);
      n = g_strv_length (parts);
      /* the longest trailing part that exists under the audio folder */
      for (guint k = n; k >= 1; k--)
        {
          g_autofree char *tail = g_strjoinv ("/", parts + (n - k));
          g_autofree char *candidate = NULL;
          if (*tail == '\0' || (k == n && g_path_is_absolute (path)))
            continue;
          candidate = g_build_filename (self->audio_root, tail, NULL);
          if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
            return g_steal_pointer (&candidate);
        }
    }
  if (g_path_is_absolute (path))
    return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
  if (self->metadata_dir)
    {
      g_autofree char *candidate = g_build_filename (self->metadata_dir, path, NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

double
sa_collection_get_duration (SaCollection *self, guint track)
{
  const char *d = sa_collection_get_field (self, track, SA_FIELD_DURATION);
  double start, end;

  if (*d)
    return g_ascii_strtod (d, NULL);
  if (sa_collection_get_clip_bounds (self, track, &start, &end))
    return end - start;
  return 0;
}

gboolean
sa_collection_get_clip_bounds (SaCollection *self, guint track, double *start, double *end)
{
  const char *a = sa_collection_get_field (self, track, SA_FIELD_SEGMENT_START);
  const char *b = sa_collection_get_field (self, track, SA_FIELD_SEGMENT_END);
  char *ea = NULL, *eb = NULL;

  if (*a == '\0' || *b == '\0')
    return FALSE;
  *start = g_ascii_strtod (a, &ea);
  *end = g_ascii_strtod (b, &eb);
  return *ea == '\0' && *eb == '\0' && *start >= 0 && *end > *start;
}

gboolean
sa_collection_track_matches (SaCollection *self, guint track, const char *casefolded_needle)
{
  g_return_val_if_fail (track < self->n_tracks, FALSE);
  if (casefolded_needle == NULL || *casefolded_needle == '\0')
    return TRUE;
  g_mutex_lock (&self->search_lock);
  if (self->haystack == NULL)
    {
      self->haystack = g_new0 (char *, self->n_tracks + 1);
      for (guint t = 0; t < self->n_tracks; t++)
        {
          g_autofree char *joined
              = g_strjoin ("\n", sa_collection_get_field (self, t, SA_FIELD_ARTIST),
                           sa_collection_get_field (self, t, SA_FIELD_TITLE),
                           sa_collection_get_field (self, t, SA_FIELD_ALBUM), NULL);
          self->haystack[t] = g_utf8_casefold (joined, -1);
        }
    }
  g_mutex_unlock (&self->search_lock);
  return strstr (self->haystack[track], casefolded_needle) != NULL;
}
