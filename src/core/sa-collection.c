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
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <sys/mman.h>
#include <string.h>

#include "sa-collection.h"
#include "sa-error.h"
#include "sa-npz.h"
#include "sa-store.h"
#include "sa-track.h"

/* The largest power of two a column is scaled by (either way). */
#define SA_MAX_SCALE_EXP 500

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
  double *mean;   /* of the stored values */
  double *std;
  gboolean *zero_variance;
  /* stored = (raw - col_offset) * col_scale, per padded column (0 and 1 for most) */
  double *col_offset;
  double *col_scale;
  double *lo, *hi; /* raw range of every column over the kept rows (during loading) */

  gint64 *clip_ids;
  guint *meta_rows; /* metadata row of each track, or G_MAXUINT */
  SaMetadata *metadata;
  int columns[SA_N_FIELDS];
  guint *groups[SA_N_FIELDS];
  GHashTable *by_clip_id; /* gint64 -> track + 1 */

  GPtrArray *notes; /* char*, NULL-terminated */

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
  g_free (self->col_offset);
  g_free (self->col_scale);
  g_free (self->lo);
  g_free (self->hi);
  g_free (self->clip_ids);
  g_free (self->meta_rows);
  g_clear_pointer (&self->metadata, sa_metadata_free);
  g_clear_pointer (&self->by_clip_id, g_hash_table_unref);
  g_free (self->features_path);
  g_free (self->metadata_path);
  g_free (self->metadata_dir);
  g_free (self->audio_root);
  g_strfreev (self->haystack);
  g_ptr_array_unref (self->notes);
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
  self->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->notes, NULL);
  g_mutex_init (&self->search_lock);
}

/* The matrix: 2 MiB aligned and backed by transparent huge pages where the
 * kernel offers them (far fewer page faults for a 600 MB matrix); not zeroed,
 * every used column is written by load_set() and the padding by zero_padding().
 * NULL (and @error says how much was needed) when there is not enough memory. */
static float *
alloc_matrix (gsize n_floats, const char *where, GError **error)
{
  float *p = NULL;

  if (n_floats <= G_MAXSIZE / sizeof (float) - (2 << 20))
    p = sa_try_malloc_large (MAX (n_floats * sizeof (float), 64));
  if (p == NULL)
    {
      g_autofree char *size
          = g_format_size_full ((guint64) n_floats * sizeof (float), G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, SA_ERROR, SA_ERROR_NO_MEMORY,
                   _ ("%s: not enough memory for the feature matrix (%s needed)"), where, size);
    }
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

/* Whether an array is one the tutorial's files have: they are on (weight > 0) by default. */
static gboolean
is_known_set (const char *name)
{
  return g_str_equal (name, "rp") || g_str_equal (name, "ssd");
}

static void
add_note (SaCollection *self, char *note)
{
  g_ptr_array_insert (self->notes, (int) self->notes->len - 1, note);
}

/* Tells which arrays are feature sets and checks their shapes; every header is read
 * (and checked against the archive) before any payload. */
static void finish_load (SaCollection *self);
static void ensure_compact (SaStore *store, const char *dir);

static gboolean
find_sets (SaCollection *self, SaNpz *npz, guint64 n_rows, GError **error)
{
  gboolean has_known = FALSE;

  for (guint i = 0; i < sa_npz_get_n_arrays (npz); i++)
    has_known |= is_known_set (sa_npz_get_array_name (npz, i));
  for (guint i = 0; i < sa_npz_get_n_arrays (npz); i++)
    {
      const char *name = sa_npz_get_array_name (npz, i);
      gboolean required = is_known_set (name);
      g_autoptr (SaNpzStream) s = NULL;
      SaFeatureSet *set;
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
          add_note (self,
                    g_strdup_printf (_ ("array '%s' (%u-D %s) is not a feature set: ignored"), name,
                                     h.ndim, sa_dtype_to_string (h.dtype, h.big_endian)));
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
          add_note (self, g_strdup_printf (_ ("array '%s' has %" PRIu64 " rows, not one per "
                                              "clip_id (%" PRIu64 "): ignored"),
                                           name, h.shape[0], n_rows));
          continue;
        }
      if (h.shape[1] == 0 || h.shape[1] > SA_MAX_SET_LENGTH)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_SHAPE,
                       _ ("%s: array '%s' has %" PRIu64 " columns (a feature set has 1 to %u)"),
                       sa_npz_get_path (npz), name, h.shape[1], SA_MAX_SET_LENGTH);
          return FALSE;
        }
      if (self->n_sets == SA_MAX_SETS)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED, _ ("%s: more than %u feature sets"),
                       sa_npz_get_path (npz), SA_MAX_SETS);
          return FALSE;
        }
      if ((guint64) self->stride + h.shape[1] + 16 > SA_MAX_SET_LENGTH)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                       _ ("%s: the feature sets have more than %u dimensions together"),
                       sa_npz_get_path (npz), SA_MAX_SET_LENGTH);
          return FALSE;
        }
      set = &self->sets[self->n_sets];
      set->name = g_strdup (name);
      set->length = (guint) h.shape[1];
      set->padded = ((guint) h.shape[1] + 15) / 16 * 16;
      set->offset = self->stride;
      /* the tutorial's weights; an extra set is off until the user turns it on */
      set->default_weight = g_str_equal (name, "rp")    ? 0.5
                            : g_str_equal (name, "ssd") ? 0.9
                            : has_known                 ? 0.0
                                                        : 1.0;
      if (!required && has_known)
        add_note (self, g_strdup_printf (_ ("extra feature set '%s' (%u dimensions) has weight 0 "
                                            "unless it is given one (--weights %s=1)"),
                                         name, set->length, name));
      self->stride += set->padded;
      self->n_dims += set->length;
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
not_finite (SaNpz *npz, const SaFeatureSet *set, double v, guint64 file_row, gint64 clip_id,
            guint j, GError **error)
{
  g_set_error (error, SA_ERROR, SA_ERROR_NOT_FINITE,
               _ ("%s: array '%s', row %" PRIu64 " (clip_id %" PRId64 "), column %u is %s"),
               sa_npz_get_path (npz), set->name, file_row, clip_id, j,
               isnan (v) ? "NaN" : "infinite");
  return FALSE;
}

/* Widens the ranges of a converted row's columns; nonzero when a value is NaN or infinite
 * (v - v is NaN exactly then).  lo < v ? lo : v is what MIN gave (and what minpd does), down
 * to its choice between zeros.  Two columns a step with SSE2. */
static inline int
widen_one (double v, double *lo, double *hi)
{
  double z = v - v;
  *lo = *lo < v ? *lo : v;
  *hi = *hi > v ? *hi : v;
  return z != z;
}

#ifdef __SSE2__
/* two columns; the lanes of the result are set where a value is not finite */
static inline __m128d
widen_two (__m128d v, double *lo, double *hi, __m128d unordered)
{
  __m128d z = _mm_sub_pd (v, v);
  _mm_storeu_pd (lo, _mm_min_pd (_mm_loadu_pd (lo), v));
  _mm_storeu_pd (hi, _mm_max_pd (_mm_loadu_pd (hi), v));
  return _mm_or_pd (unordered, _mm_cmpunord_pd (z, z));
}
#endif

static int
widen_double (const double *restrict row, guint n, double *restrict lo, double *restrict hi)
{
  guint j = 0;
  int bad = 0;
#ifdef __SSE2__
  __m128d unordered = _mm_setzero_pd ();
  for (; j + 2 <= n; j += 2)
    unordered = widen_two (_mm_loadu_pd (row + j), lo + j, hi + j, unordered);
  bad = _mm_movemask_pd (unordered);
#endif
  for (; j < n; j++)
    bad |= widen_one (row[j], lo + j, hi + j);
  return bad;
}

static int
widen_float (const float *restrict row, guint n, double *restrict lo, double *restrict hi)
{
  guint j = 0;
  int bad = 0;
#ifdef __SSE2__
  __m128d unordered = _mm_setzero_pd ();
  for (; j + 4 <= n; j += 4)
    {
      __m128 f = _mm_loadu_ps (row + j);
      unordered = widen_two (_mm_cvtps_pd (f), lo + j, hi + j, unordered);
      unordered
          = widen_two (_mm_cvtps_pd (_mm_movehl_ps (f, f)), lo + j + 2, hi + j + 2, unordered);
    }
  bad = _mm_movemask_pd (unordered);
#endif
  for (; j < n; j++)
    bad |= widen_one (row[j], lo + j, hi + j);
  return bad;
}

/* to_stored() of 8 values: (raw - offset) scale, rounded to float.  The blocks of 8 here
 * have a fixed length so that the compiler makes vector code of them at -O2. */
static inline void
store_scaled8 (const double *restrict raw, const double *restrict offset,
               const double *restrict scale, float *restrict out)
{
  for (guint j = 0; j < 8; j++)
    out[j] = (float) ((raw[j] - offset[j]) * scale[j]);
}

static void
store_scaled (const double *raw, guint n, const double *offset, const double *scale, float *out)
{
  guint j = 0;

  for (; j + 8 <= n; j += 8)
    store_scaled8 (raw + j, offset + j, scale + j, out + j);
  for (; j < n; j++)
    out[j] = (float) ((raw[j] - offset[j]) * scale[j]);
}

/* Column sums of 8 columns of a row: sum += x, and sum += (x - mean)^2 */
static inline void
add_values8 (double *restrict sum, const float *restrict x)
{
  for (guint j = 0; j < 8; j++)
    sum[j] += x[j];
}

static inline void
add_squared_deviations8 (double *restrict sum, const float *restrict x, const double *restrict mean)
{
  for (guint j = 0; j < 8; j++)
    {
      double dev = x[j] - mean[j];
      sum[j] += dev * dev;
    }
}

/* Checks a converted row and widens the columns' ranges; the first value that is not
 * finite is an error naming it. */
static gboolean
check_row_f32 (SaNpz *npz, const SaFeatureSet *set, const float *row, double *lo, double *hi,
               guint64 file_row, gint64 clip_id, GError **error)
{
  if (G_UNLIKELY (widen_float (row, set->length, lo, hi)))
    for (guint j = 0; j < set->length; j++)
      if (!isfinite (row[j]))
        return not_finite (npz, set, row[j], file_row, clip_id, j, error);
  return TRUE;
}

static gboolean
check_row_f64 (SaNpz *npz, const SaFeatureSet *set, const double *row, double *lo, double *hi,
               guint64 file_row, gint64 clip_id, GError **error)
{
  if (G_UNLIKELY (widen_double (row, set->length, lo, hi)))
    for (guint j = 0; j < set->length; j++)
      if (!isfinite (row[j]))
        return not_finite (npz, set, row[j], file_row, clip_id, j, error);
  return TRUE;
}

/* How a column with raw values in [lo, hi] is stored in float: as is when its magnitude
 * is ordinary; otherwise centred and scaled by a power of two so that its spread is
 * about 1 (values near 1e-30, denormals or near 3e38 keep their differences). */
static void
choose_scaling (double lo, double hi, double *offset, double *scale)
{
  double m = MAX (fabs (lo), fabs (hi));
  double half = hi / 2 - lo / 2;

  *offset = 0;
  *scale = 1;
  if (m == 0 || (m >= 0x1p-20 && m < 0x1p20))
    return;
  *offset = lo / 2 + hi / 2;
  if (half > 0)
    *scale = ldexp (1.0, CLAMP (-ilogb (half), -SA_MAX_SCALE_EXP, SA_MAX_SCALE_EXP));
}

static inline float
to_stored (const SaCollection *self, guint j, double raw)
{
  return (float) ((raw - self->col_offset[j]) * self->col_scale[j]);
}

/* The next @len bytes of @s: in place when it was inflated whole, else read into @buf. */
static const guint8 *
next_chunk (SaNpzStream *s, guint8 *buf, gsize len, GError **error)
{
  const guint8 *p = sa_npz_stream_peek (s, len);

  if (p != NULL)
    return p;
  return sa_npz_stream_read (s, buf, len, error) ? buf : NULL;
}

/* Reads the kept rows of one float64 set streamed from the file (not inflated whole) once to
 * know each column's range, from a stream of its own. */
static gboolean
scan_f64_set (SaCollection *self, SaNpz *npz, const SaFeatureSet *set, const gint32 *dest,
              const gint64 *file_ids, guint64 n_rows, GCancellable *cancellable, GError **error)
{
  SaNpyHeader h;
  g_autoptr (SaNpzStream) s = sa_npz_open_array (npz, set->name, &h, error);
  gsize row_bytes;
  guint64 chunk_rows;
  g_autofree guint8 *buf = NULL;
  g_autofree double *row = NULL;

  if (s == NULL)
    return FALSE;
  row_bytes = (gsize) h.shape[1] * h.item_size;
  chunk_rows = h.fortran_order ? n_rows : MAX (1, (1u << 20) / row_bytes);
  if (!sa_npz_stream_prefetch (s))
    {
      buf = sa_try_malloc_n (MAX (chunk_rows, 1), row_bytes, sa_npz_get_path (npz), error);
      if (buf == NULL)
        return FALSE;
    }
  row = g_new (double, set->length);
  for (guint64 r0 = 0; r0 < n_rows; r0 += chunk_rows)
    {
      guint64 nr = MIN (chunk_rows, n_rows - r0);
      const guint8 *chunk;
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || (chunk = next_chunk (s, buf, nr * row_bytes, error)) == NULL)
        return FALSE;
      for (guint64 r = 0; r < nr; r++)
        {
          if (dest[r0 + r] < 0)
            continue;
          if (h.fortran_order)
            for (guint j = 0; j < set->length; j++)
              sa_npy_convert_f64 (&h, chunk + ((gsize) j * n_rows + r) * h.item_size, 1, row + j);
          else
            sa_npy_convert_f64 (&h, chunk + r * row_bytes, set->length, row);
          if (!check_row_f64 (npz, set, row, self->lo + set->offset, self->hi + set->offset, r0 + r,
                              file_ids[r0 + r], error))
            return FALSE;
        }
    }
  return sa_npz_stream_finish (s, error);
}

/* Which columns of @set need their values centred and scaled (see choose_scaling), into
 * @cols; how many. */
static guint
choose_set_scaling (SaCollection *self, const SaFeatureSet *set, guint *cols)
{
  guint n_cols = 0;

  for (guint j = set->offset; j < set->offset + set->length; j++)
    {
      choose_scaling (self->lo[j], self->hi[j], &self->col_offset[j], &self->col_scale[j]);
      if (self->col_offset[j] != 0 || self->col_scale[j] != 1)
        cols[n_cols++] = j;
    }
  return n_cols;
}

/* From how many rows a member held whole is stored by two threads */
#define STORE_HALVES_MIN_ROWS 4096

/* One pass of a set's rows into the matrix rows of the tracks kept. */
typedef struct
{
  SaCollection *self;
  SaNpz *npz;
  const SaFeatureSet *set;
  const SaNpyHeader *h;
  const gint32 *dest;
  const gint64 *file_ids;
  guint64 n_rows;
  gboolean check;    /* float64: widen the ranges as the values are stored (as they are) */
  const guint *cols; /* only these columns are written (float64), or NULL: all */
  guint n_cols;
} RowPass;

/* Stores one converted row: float32 as is (scaled later if needed), float64 through the
 * column's scaling (still the identity when p->check). */
static gboolean
store_row (const RowPass *p, const guint8 *src, gsize step, guint64 file_row, double *lo,
           double *hi, float *out, double *tmp, GError **error)
{
  const SaFeatureSet *set = p->set;
  const SaNpyHeader *h = p->h;
  gint64 clip_id = p->file_ids[file_row];

  if (h->dtype == SA_DTYPE_F32)
    {
      if (step == h->item_size)
        sa_npy_convert_f32 (h, src, set->length, out);
      else
        for (guint j = 0; j < set->length; j++)
          sa_npy_convert_f32 (h, src + j * step, 1, out + j);
      return check_row_f32 (p->npz, set, out, lo, hi, file_row, clip_id, error);
    }
  if (step == h->item_size)
    sa_npy_convert_f64 (h, src, set->length, tmp);
  else
    for (guint j = 0; j < set->length; j++)
      sa_npy_convert_f64 (h, src + j * step, 1, tmp + j);
  if (p->check && !check_row_f64 (p->npz, set, tmp, lo, hi, file_row, clip_id, error))
    return FALSE;
  store_scaled (tmp, set->length, p->self->col_offset + set->offset,
                p->self->col_scale + set->offset, out);
  return TRUE;
}

/* Rows [@begin, @end) of @chunk, whose first row is row @first of the set, widening the
 * ranges @lo and @hi (the set's columns). */
static gboolean
store_range (const RowPass *p, const guint8 *chunk, guint64 first, guint64 begin, guint64 end,
             double *lo, double *hi, GError **error)
{
  const SaNpyHeader *h = p->h;
  const SaFeatureSet *set = p->set;
  gsize row_bytes = (gsize) h->shape[1] * h->item_size;
  gsize step = h->fortran_order ? (gsize) p->n_rows * h->item_size : h->item_size;
  g_autofree double *tmp = g_new (double, set->length);
  g_autofree float *row = p->cols ? g_new (float, set->length) : NULL;

  for (guint64 r = begin; r < end; r++)
    {
      gint32 t = p->dest[r];
      guint64 at = r - first;
      const guint8 *src = h->fortran_order ? chunk + at * h->item_size : chunk + at * row_bytes;
      float *out;
      if (t < 0)
        continue;
      out = p->self->matrix + (gsize) t * p->self->stride + set->offset;
      if (!store_row (p, src, step, r, lo, hi, p->cols ? row : out, tmp, error))
        return FALSE;
      for (guint k = 0; k < p->n_cols; k++)
        out[p->cols[k] - set->offset] = row[p->cols[k] - set->offset];
    }
  return TRUE;
}

/* The second half of a member held whole, on a thread of its own, with ranges of its own. */
typedef struct
{
  const RowPass *p;
  const guint8 *data;
  guint64 begin, end;
  double *lo, *hi;
  gboolean ok;
  GError *error;
} RangeJob;

static gpointer
run_range_job (gpointer data)
{
  RangeJob *job = data;
  job->ok = store_range (job->p, job->data, 0, job->begin, job->end, job->lo, job->hi, &job->error);
  return NULL;
}

/* All rows of a member held whole (C order), the later half on a second thread.  The
 * halves' ranges are merged as one pass would have found them (of equal values, the later
 * one), and the earlier half's error comes first, as in one pass. */
static gboolean
store_halves (const RowPass *p, const guint8 *data, GError **error)
{
  const SaFeatureSet *set = p->set;
  guint n = set->length;
  double *lo = p->self->lo + set->offset, *hi = p->self->hi + set->offset;
  g_autofree double *lo2 = g_new (double, n);
  g_autofree double *hi2 = g_new (double, n);
  RangeJob job = { p, data, p->n_rows / 2, p->n_rows, lo2, hi2, FALSE, NULL };
  GThread *t;
  gboolean ok;

  for (guint j = 0; j < n; j++)
    {
      lo2[j] = INFINITY;
      hi2[j] = -INFINITY;
    }
  t = g_thread_try_new ("sa-import", run_range_job, &job, NULL);
  ok = store_range (p, data, 0, 0, job.begin, lo, hi, error);
  if (t)
    g_thread_join (t);
  else
    run_range_job (&job);
  if (ok && !job.ok)
    g_propagate_error (error, g_steal_pointer (&job.error));
  g_clear_error (&job.error);
  if (!(ok && job.ok))
    return FALSE;
  for (guint j = 0; j < n; j++)
    {
      lo[j] = lo[j] < lo2[j] ? lo[j] : lo2[j];
      hi[j] = hi[j] > hi2[j] ? hi[j] : hi2[j];
    }
  return TRUE;
}

/* One pass over the rows of @s (from its data on) into the matrix rows of the tracks kept. */
static gboolean
store_rows (const RowPass *p, SaNpzStream *s, GCancellable *cancellable, GError **error)
{
  const SaNpyHeader *h = p->h;
  g_autofree guint8 *buf = NULL;
  gsize row_bytes = (gsize) h->shape[1] * h->item_size;
  /* a Fortran-order array is one column after another: it is read whole */
  guint64 chunk_rows = h->fortran_order ? p->n_rows : MAX (1, (1u << 20) / row_bytes);
  double *lo = p->self->lo + p->set->offset, *hi = p->self->hi + p->set->offset;

  if (sa_npz_stream_prefetch (s))
    {
      /* held whole: a large one is stored by both cores (a column's range needs no order) */
      if (!h->fortran_order && p->n_rows >= STORE_HALVES_MIN_ROWS && g_get_num_processors () > 1)
        {
          const guint8 *data;
          if (g_cancellable_set_error_if_cancelled (cancellable, error)
              || (data = sa_npz_stream_peek (s, p->n_rows * row_bytes)) == NULL)
            return FALSE;
          return store_halves (p, data, error);
        }
    }
  else
    {
      buf = sa_try_malloc_n (MAX (chunk_rows, 1), row_bytes, sa_npz_get_path (p->npz), error);
      if (buf == NULL)
        return FALSE;
    }
  for (guint64 r0 = 0; r0 < p->n_rows; r0 += chunk_rows)
    {
      guint64 nr = MIN (chunk_rows, p->n_rows - r0);
      const guint8 *chunk;
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || (chunk = next_chunk (s, buf, nr * row_bytes, error)) == NULL
          || !store_range (p, chunk, r0, r0, r0 + nr, lo, hi, error))
        return FALSE;
    }
  return TRUE;
}

/* Streams one feature set (@s, opened at its data) into the matrix rows of the tracks kept.
 * A float64 set inflated whole is read once, its values stored as they are while the ranges
 * are found; the few columns that turn out to need scaling (magnitudes beyond 2^+-20) are
 * stored again from the inflated member.  Streamed from the file, a float64 set's ranges are
 * found first in a pass of their own. */
static gboolean
load_set (SaCollection *self, SaNpz *npz, const SaFeatureSet *set, SaNpzStream *s,
          const SaNpyHeader *h, const gint32 *dest, const gint64 *file_ids, guint64 n_rows,
          GCancellable *cancellable, GError **error)
{
  gboolean f64 = h->dtype != SA_DTYPE_F32;
  gboolean one_pass = f64 && sa_npz_stream_prefetch (s);
  g_autofree guint *cols = g_new (guint, set->length);
  guint n_cols;
  RowPass pass;

  if (f64 && !one_pass)
    {
      if (!scan_f64_set (self, npz, set, dest, file_ids, n_rows, cancellable, error))
        return FALSE;
      choose_set_scaling (self, set, cols);
    }
  pass = (RowPass){ self, npz, set, h, dest, file_ids, n_rows, one_pass, NULL, 0 };
  if (!store_rows (&pass, s, cancellable, error))
    return FALSE;
  if (one_pass && (n_cols = choose_set_scaling (self, set, cols)) > 0)
    {
      pass.check = FALSE;
      pass.cols = cols;
      pass.n_cols = n_cols;
      if (!sa_npz_stream_rewind (s) || !store_rows (&pass, s, cancellable, error))
        return FALSE;
    }
  if (!f64 && (n_cols = choose_set_scaling (self, set, cols)) > 0)
    /* float32 columns outside the ordinary range are rescaled in place */
    for (guint t = 0; t < self->n_tracks; t++)
      {
        float *x = self->matrix + (gsize) t * self->stride;
        for (guint k = 0; k < n_cols; k++)
          x[cols[k]] = to_stored (self, cols[k], x[cols[k]]);
      }
  return sa_npz_stream_finish (s, error);
}

/* Columns [@b0, @b1) of @set (multiples of 8 from its first): their means, then the sums of
 * squared deviations into @sum, each column's values added in row order. */
typedef struct
{
  SaCollection *self;
  const SaFeatureSet *set;
  guint b0, b1;
  double *sum;
} StatsJob;

static gpointer
run_stats_job (gpointer data)
{
  StatsJob *job = data;
  SaCollection *self = job->self;
  guint d = self->stride, j0 = job->set->offset;
  double *mean = self->mean + j0, *sum = job->sum;

  for (guint i = 0; i < self->n_tracks; i++)
    for (guint b = job->b0; b < job->b1; b += 8)
      add_values8 (sum + b, self->matrix + (gsize) i * d + j0 + b);
  for (guint j = job->b0; j < job->b1; j++)
    {
      mean[j] = sum[j] / self->n_tracks;
      sum[j] = 0;
    }
  for (guint i = 0; i < self->n_tracks; i++)
    for (guint b = job->b0; b < job->b1; b += 8)
      add_squared_deviations8 (sum + b, self->matrix + (gsize) i * d + j0 + b, mean + b);
  return NULL;
}

/* Mean and population standard deviation of the stored columns of @set (its padding
 * too), in double, two passes; a large set's columns split between two threads (each
 * column's sums are the same either way).  A column is constant when its raw values are all
 * equal, or its deviation is below what float rounding of its own magnitude can make. */
static void
compute_statistics (SaCollection *self, const SaFeatureSet *set)
{
  guint j0 = set->offset, n = set->padded;
  g_autofree double *sum = g_new0 (double, n);
  guint half = n / 16 * 8; /* n is a multiple of 16 */
  StatsJob later = { self, set, half, n, sum };
  StatsJob earlier = { self, set, 0, half, sum };
  GThread *thread = NULL;

  if (self->n_tracks >= STORE_HALVES_MIN_ROWS && half > 0 && g_get_num_processors () > 1)
    thread = g_thread_try_new ("sa-import", run_stats_job, &later, NULL);
  if (thread == NULL)
    earlier.b1 = n;
  run_stats_job (&earlier);
  if (thread)
    g_thread_join (thread);
  for (guint k = 0; k < n; k++)
    {
      guint j = j0 + k;
      double lo = (self->lo[j] - self->col_offset[j]) * self->col_scale[j];
      double hi = (self->hi[j] - self->col_offset[j]) * self->col_scale[j];
      double magnitude = MAX (fabs (lo), fabs (hi));

      self->std[j] = sqrt (sum[k] / self->n_tracks);
      /* a constant column (also every padding column) contributes nothing: nan_to_num */
      self->zero_variance[j] = self->lo[j] >= self->hi[j] || !(self->std[j] > magnitude * 0x1p-40);
      if (self->zero_variance[j])
        self->std[j] = 0.0;
    }
}

/* The fields whose groups are built, in the store's order (SaStoreContents.groups). */
static const SaField grouped_fields[SA_STORE_N_GROUPS]
    = { SA_FIELD_ARTIST, SA_FIELD_ALBUM, SA_FIELD_PATH };

/* Groups of equal values, unless the store has given them already. */
static void
build_groups (SaCollection *self)
{
  for (guint g = 0; g < SA_STORE_N_GROUPS; g++)
    {
      SaField f = grouped_fields[g];
      g_autoptr (GHashTable) ids = NULL;

      if (self->groups[f])
        continue;
      ids = g_hash_table_new (g_str_hash, g_str_equal);

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

/* Checks the header of 'clip_id': one integer per row (its data is read later). */
static gboolean
check_clip_id_header (SaNpz *npz, guint64 *n_rows, GError **error)
{
  const char *path = sa_npz_get_path (npz);
  g_autoptr (SaNpzStream) s = NULL;
  SaNpyHeader h;

  if (!sa_npz_has_array (npz, "clip_id"))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_MISSING, _ ("%s: no 'clip_id' array"), path);
      return FALSE;
    }
  s = sa_npz_open_array (npz, "clip_id", &h, error);
  if (s == NULL)
    return FALSE;
  if (h.ndim == 2 && h.shape[1] != 1)
    {
      g_set_error (
          error, SA_ERROR, SA_ERROR_SHAPE,
          _ ("%s: 'clip_id' must be one id per row, not a %" PRIu64 " x %" PRIu64 " array"), path,
          h.shape[0], h.shape[1]);
      return FALSE;
    }
  if (h.shape[0] > G_MAXINT32)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                   _ ("%s: 'clip_id' has %" PRIu64 " rows (at most %d are read)"), path, h.shape[0],
                   G_MAXINT32);
      return FALSE;
    }
  *n_rows = h.shape[0];
  return TRUE;
}

/* The join: feature-file order, first occurrence of each id wins; @dest gets each file
 * row's track (or -1). */
static gboolean
join_metadata (SaCollection *self, const gint64 *file_ids, guint64 n_rows, gint32 *dest,
               GError **error)
{
  g_autoptr (GHashTable) meta_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *meta_ids = NULL;
  guint n = 0;

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
  self->clip_ids = g_new (gint64, MAX (n_rows, 1));
  self->meta_rows = g_new (guint, MAX (n_rows, 1));
  for (guint64 r = 0; r < n_rows; r++)
    {
      gpointer m = NULL;
      dest[r] = -1;
      if (g_hash_table_contains (seen, &file_ids[r]))
        {
          self->report.n_duplicate_feature_ids++;
          continue;
        }
      g_hash_table_add (seen, (gpointer) &file_ids[r]);
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
  if (n > 0)
    return TRUE;
  if (self->metadata == NULL)
    g_set_error (error, SA_ERROR, SA_ERROR_EMPTY, _ ("%s: the feature file has no rows"),
                 self->features_path);
  else if (sa_metadata_get_n_rows (self->metadata) == 0)
    g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
                 _ ("%s: the metadata has a header but no rows: add one row per track, or open "
                    "the feature file without metadata"),
                 self->metadata_path);
  else
    g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
                 _ ("%s and %s have no clip_id in common: the collection would be empty (is "
                    "this the metadata of that feature file?)"),
                 self->features_path, self->metadata_path);
  return FALSE;
}

/* One feature set from its member to its statistics, on a thread of its own. */
typedef struct
{
  SaCollection *self;
  SaNpz *npz;
  const SaFeatureSet *set;
  SaNpzStream *stream;
  SaNpyHeader header;
  const gint32 *dest;
  const gint64 *file_ids;
  guint64 n_rows;
  GCancellable *cancellable;
  gboolean ok;
  GError *error;
} SetJob;

static gpointer
run_set_job (gpointer data)
{
  SetJob *job = data;

  sa_npz_stream_prefetch (job->stream); /* inflated whole where it can be */
  job->ok = load_set (job->self, job->npz, job->set, job->stream, &job->header, job->dest,
                      job->file_ids, job->n_rows, job->cancellable, &job->error);
  g_clear_pointer (&job->stream, sa_npz_stream_free); /* the inflated member, freed early */
  if (job->ok)
    compute_statistics (job->self, job->set);
  return NULL;
}

/* Opens every set's member, then reads each set on a thread of its own (inflate, convert,
 * statistics: rp and ssd side by side, every set into its own columns).  The first set's
 * error, in the archive's order, is the one reported. */
static gboolean
load_sets (SaCollection *self, SaNpz *npz, const gint32 *dest, const gint64 *file_ids,
           guint64 n_rows, GCancellable *cancellable, GError **error)
{
  SetJob jobs[SA_MAX_SETS] = { 0 };
  GThread *threads[SA_MAX_SETS] = { 0 };
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < self->n_sets; i++)
    {
      jobs[i] = (SetJob){ .self = self,
                          .npz = npz,
                          .set = &self->sets[i],
                          .dest = dest,
                          .file_ids = file_ids,
                          .n_rows = n_rows,
                          .cancellable = cancellable };
      jobs[i].stream = sa_npz_open_array (npz, self->sets[i].name, &jobs[i].header, error);
      ok = jobs[i].stream != NULL;
    }
  if (ok)
    {
      for (guint i = 1; i < self->n_sets; i++)
        threads[i] = g_thread_try_new ("sa-import", run_set_job, &jobs[i], NULL);
      run_set_job (&jobs[0]);
      for (guint i = 1; i < self->n_sets; i++)
        if (threads[i] != NULL)
          g_thread_join (threads[i]);
        else
          run_set_job (&jobs[i]);
    }
  for (guint i = 0; i < self->n_sets; i++)
    {
      if (ok && !jobs[i].ok)
        {
          g_propagate_error (error, g_steal_pointer (&jobs[i].error));
          ok = FALSE;
        }
      g_clear_error (&jobs[i].error);
      g_clear_pointer (&jobs[i].stream, sa_npz_stream_free);
    }
  return ok;
}

/* Every set into the matrix, rescaled where needed, with its statistics. */
static gboolean
load_matrix (SaCollection *self, SaNpz *npz, const gint32 *dest, const gint64 *file_ids,
             guint64 n_rows, GCancellable *cancellable, GError **error)
{
  self->matrix = alloc_matrix ((gsize) self->n_tracks * self->stride, self->features_path, error);
  if (self->matrix == NULL)
    return FALSE;
  self->col_offset = g_new0 (double, self->stride);
  self->col_scale = g_new (double, self->stride);
  self->lo = g_new (double, self->stride);
  self->hi = g_new (double, self->stride);
  self->mean = g_new0 (double, self->stride);
  self->std = g_new0 (double, self->stride);
  self->zero_variance = g_new0 (gboolean, self->stride);
  for (guint j = 0; j < self->stride; j++)
    {
      self->col_scale[j] = 1;
      self->lo[j] = INFINITY;
      self->hi[j] = -INFINITY;
    }
  zero_padding (self);
  if (!load_sets (self, npz, dest, file_ids, n_rows, cancellable, error))
    return FALSE;
  g_clear_pointer (&self->lo, g_free);
  g_clear_pointer (&self->hi, g_free);
  return TRUE;
}

/* The well-known metadata columns, by their header names. */
static void
find_columns (SaCollection *self)
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

  if (self->metadata == NULL)
    return;
  for (guint f = 0; f < SA_N_FIELDS; f++)
    for (guint k = 0; k < G_N_ELEMENTS (names[f]) && names[f][k]; k++)
      if ((self->columns[f] = sa_metadata_find_column (self->metadata, names[f][k])) >= 0)
        break;
}

/* Notes on what was read but is not used: the archive's other members, the join. */
static void
note_archive_and_join (SaCollection *self, SaNpz *npz)
{
  const SaCollectionReport *r = &self->report;

  for (guint i = 0; i < sa_npz_get_n_ignored (npz); i++)
    add_note (self, g_strdup (sa_npz_get_ignored (npz, i)));
  if (r->n_duplicate_feature_ids > 0)
    add_note (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%u feature row repeats an earlier clip_id: "
                                                  "the first row of each clip_id is used",
                                                  "%u feature rows repeat an earlier clip_id: "
                                                  "the first row of each clip_id is used",
                                                  r->n_duplicate_feature_ids),
                                     r->n_duplicate_feature_ids));
  if (self->metadata == NULL)
    return;
  if (r->n_features_without_metadata > 0)
    add_note (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%u of %u tracks left out: no row in the "
                                                  "metadata has its clip_id",
                                                  "%u of %u tracks left out: no row in the "
                                                  "metadata has their clip_id",
                                                  r->n_features_without_metadata),
                                     r->n_features_without_metadata,
                                     r->n_feature_rows - r->n_duplicate_feature_ids));
  if (r->n_metadata_without_features > 0)
    add_note (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%u metadata row has no features: left out",
                                                  "%u metadata rows have no features: left out",
                                                  r->n_metadata_without_features),
                                     r->n_metadata_without_features));
  if (r->n_duplicate_metadata_ids > 0)
    add_note (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%u metadata row repeats an earlier clip_id: "
                                                  "the first one is used",
                                                  "%u metadata rows repeat an earlier clip_id: "
                                                  "the first one is used",
                                                  r->n_duplicate_metadata_ids),
                                     r->n_duplicate_metadata_ids));
}

static SaCollection *
import_sources (const char *features_path, const char *metadata_path, GCancellable *cancellable,
                GError **error)
{
  g_autoptr (SaCollection) self = NULL;
  g_autoptr (SaNpz) npz = NULL;
  g_autofree gint64 *file_ids = NULL;
  g_autofree gint32 *dest = NULL;
  guint64 n_rows = 0;
  SaNpyHeader h;

  g_return_val_if_fail (features_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SA_TYPE_COLLECTION, NULL);
  self->features_path = g_strdup (features_path);
  self->metadata_path = g_strdup (metadata_path);
  self->metadata_dir = metadata_path ? g_path_get_dirname (metadata_path) : NULL;

  /* 1. the archive's directory, every array's header and shape: nothing large is read yet */
  npz = sa_npz_open (features_path, error);
  if (npz == NULL)
    return NULL;
  /* 2. the number of rows, from the header of 'clip_id' */
  if (!check_clip_id_header (npz, &n_rows, error))
    return NULL;
  /* 3. which arrays are feature sets: every header and shape, before any payload */
  if (!find_sets (self, npz, n_rows, error))
    return NULL;
  /* 4. the ids */
  file_ids = sa_npz_read_i64 (npz, "clip_id", &h, error);
  if (file_ids == NULL)
    return NULL;
  /* 5. the metadata, whole (it is small) */
  if (metadata_path)
    {
      self->metadata = sa_metadata_load (metadata_path, error);
      if (self->metadata == NULL)
        return NULL;
    }
  /* 6. the inner join on clip_id, which tells the matrix's size */
  dest = sa_try_malloc_n (MAX (n_rows, 1), sizeof (gint32), features_path, error);
  if (dest == NULL || !join_metadata (self, file_ids, n_rows, dest, error))
    return NULL;
  /* 7. the features into the matrix, and the per-column statistics */
  if (!load_matrix (self, npz, dest, file_ids, n_rows, cancellable, error))
    return NULL;
  /* 8. what the rest of the program looks up: columns, ids, groups, notes */
  finish_load (self);
  note_archive_and_join (self, npz);
  return g_steal_pointer (&self);
}

/* What is built from the metadata and the clip ids, however the features were read. */
static void
finish_load (SaCollection *self)
{
  find_columns (self);
  self->by_clip_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint t = 0; t < self->n_tracks; t++)
    g_hash_table_insert (self->by_clip_id, &self->clip_ids[t], GUINT_TO_POINTER (t + 1));
  build_groups (self);
}

/* A collection from its store: the matrix and the parsed metadata are mapped, the
 * statistics and the join are read back.  Errors about the store (none, or
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
  self->col_offset = g_memdup2 (c->col_offset, d * sizeof (double));
  self->col_scale = g_memdup2 (c->col_scale, d * sizeof (double));
  for (guint i = 0, at = 0; i < c->n_notes; i++)
    {
      add_note (self, g_strdup (c->notes + at));
      at += strlen (c->notes + at) + 1;
    }
  self->clip_ids = g_memdup2 (c->clip_ids, (gsize) c->n_tracks * sizeof (gint64));
  self->meta_rows = g_memdup2 (c->meta_rows, (gsize) c->n_tracks * sizeof (guint));
  if (metadata_path)
    {
      g_autoptr (GError) local = NULL;
      /* the parsed metadata from the store, mapped; else the CSV parsed again and kept */
      self->metadata = sa_store_open_metadata (self->store, dir, source, &local);
      if (self->metadata == NULL)
        {
          g_debug ("parsing %s again: %s", metadata_path, local->message);
          g_clear_error (&local);
          self->metadata = sa_metadata_load (metadata_path, &local);
          if (self->metadata == NULL)
            {
              /* the same error an import would give */
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          if (!sa_store_write_metadata (self->store, dir, source, self->metadata, &local))
            g_debug ("not keeping the parsed metadata: %s", local->message);
        }
      for (guint t = 0; t < self->n_tracks; t++)
        if (self->meta_rows[t] >= sa_metadata_get_n_rows (self->metadata))
          {
            g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                         "%s: the store does not fit its metadata", dir);
            return NULL;
          }
    }
  if (c->groups[0] && c->groups[1] && c->groups[2])
    for (guint g = 0; g < SA_STORE_N_GROUPS; g++)
      self->groups[grouped_fields[g]]
          = g_memdup2 (c->groups[g], (gsize) c->n_tracks * sizeof (guint));
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
  g_autoptr (GString) notes = NULL;
  SaStoreContents c = { 0 };

  c.n_tracks = self->n_tracks;
  c.n_sets = self->n_sets;
  c.stride = self->stride;
  memcpy (c.sets, self->sets, sizeof c.sets);
  c.matrix = self->matrix;
  c.mean = self->mean;
  c.std = self->std;
  c.zero_variance = self->zero_variance;
  c.col_offset = self->col_offset;
  c.col_scale = self->col_scale;
  notes = g_string_new (NULL);
  for (guint i = 0; i + 1 < self->notes->len; i++)
    g_string_append_len (notes, self->notes->pdata[i], strlen (self->notes->pdata[i]) + 1);
  c.notes = notes->str;
  c.n_notes = self->notes->len - 1;
  c.clip_ids = self->clip_ids;
  c.meta_rows = (const guint32 *) self->meta_rows;
  for (guint g = 0; g < SA_STORE_N_GROUPS; g++)
    c.groups[g] = self->groups[grouped_fields[g]];
  c.report = self->report;
  if (!sa_store_write (dir, source, &c, &error) || !(store = sa_store_open (dir, source, &error)))
    {
      g_debug ("not keeping a store of %s: %s", self->features_path, error->message);
      return;
    }
  if (self->metadata && !sa_store_write_metadata (store, dir, source, self->metadata, &error))
    {
      g_debug ("not keeping the parsed metadata of %s: %s", self->metadata_path, error->message);
      g_clear_error (&error);
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
  g_return_if_fail (features_path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

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
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sa_collection_get_features_path (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

  return self->features_path;
}

const char *
sa_collection_get_metadata_path (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

  return self->metadata_path;
}

const SaCollectionReport *
sa_collection_get_report (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

  return &self->report;
}

guint
sa_collection_get_n_tracks (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), 0);

  return self->n_tracks;
}

guint
sa_collection_get_n_sets (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), 0);

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
  g_return_val_if_fail (SA_IS_COLLECTION (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->n_sets; i++)
    if (g_str_equal (self->sets[i].name, name))
      return i;
  return -1;
}

guint
sa_collection_get_n_dims (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), 0);

  return self->n_dims;
}

guint
sa_collection_get_stride (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), 0);

  return self->stride;
}

const float *
sa_collection_get_matrix (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

  return self->matrix;
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
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

  return self->mean;
}

const double *
sa_collection_get_std (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

  return self->std;
}

const gboolean *
sa_collection_get_zero_variance (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);
  return self->zero_variance;
}

void
sa_collection_get_column_scaling (SaCollection *self, guint column, double *offset, double *scale)
{
  g_return_if_fail (SA_IS_COLLECTION (self) && column < self->stride);
  if (offset)
    *offset = self->col_offset[column];
  if (scale)
    *scale = self->col_scale[column];
}

double
sa_collection_get_raw_value (SaCollection *self, guint track, guint column)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), 0);
  g_return_val_if_fail (track < self->n_tracks && column < self->stride, 0);
  return self->matrix[(gsize) track * self->stride + column] / self->col_scale[column]
         + self->col_offset[column];
}

void
sa_collection_copy_raw (SaCollection *self, guint track, guint column, guint n, float *out)
{
  g_return_if_fail (SA_IS_COLLECTION (self) && out != NULL);
  g_return_if_fail (track < self->n_tracks && column <= self->stride && n <= self->stride - column);
  for (guint j = 0; j < n; j++)
    out[j] = (float) sa_collection_get_raw_value (self, track, column + j);
}

float
sa_collection_to_stored (SaCollection *self, guint column, double raw)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self) && column < self->stride, 0);
  return to_stored (self, column, raw);
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
sa_collection_read_row (SaCollection *self, guint track, float *buf)
{
  if (self->store && sa_store_read_rows (self->store, track, 1, buf))
    return buf;
  return self->matrix + (gsize) track * self->stride;
}

void
sa_collection_release_pages (SaCollection *self)
{
  if (self->store)
    sa_store_release_matrix (self->store);
}

const char *const *
sa_collection_get_notes (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);
  return (const char *const *) self->notes->pdata;
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
  g_return_val_if_fail (SA_IS_COLLECTION (self), -1);

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
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

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
  g_return_if_fail (SA_IS_COLLECTION (self));

  g_free (self->audio_root);
  self->audio_root = audio_root && *audio_root ? g_strdup (audio_root) : NULL;
}

const char *
sa_collection_get_audio_root (SaCollection *self)
{
  g_return_val_if_fail (SA_IS_COLLECTION (self), NULL);

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
  /* a path that is not UTF-8 is stored as a file:// URI (soundalike-cli analyze) */
  if (g_str_has_prefix (path, "file://"))
    {
      g_autofree char *local = g_filename_from_uri (path, NULL, NULL);
      if (local)
        {
          g_free (path);
          path = g_steal_pointer (&local);
        }
    }
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
          /* never out of the audio folder: only the parts after the last ".." */
          if (g_strv_contains ((const char *const *) parts + (n - k), ".."))
            continue;
          candidate = g_build_filename (self->audio_root, tail, NULL);
          if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
            return g_steal_pointer (&candidate);
        }
    }
  if (g_path_is_absolute (path))
    return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
  if (parts && g_strv_contains ((const char *const *) parts, ".."))
    return NULL; /* with an audio folder chosen, a relative path does not climb out of it */
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
