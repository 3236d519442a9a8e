/* sa-moments.c: per-track distance moments for mutual proximity
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sa-error.h"
#include "sa-metadata.h"
#include "sa-moments.h"
#include "sa-rng.h"

#define SAMPLE_SEED  0x4d505341ull /* "MPSA": the same sample on every run */
#define BLOCK        64            /* tracks compared with each chunk of references (~400 KB) */
#define REF_CHUNK    32            /* references per chunk (~200 KB): both stay in cache */
#define CACHE_MAGIC  "SOUNDALIKE-MOMENTS 1\n"
#define ENDIAN_CHECK 0x01020304u

struct _SaMoments
{
  gint ref_count;
  SaMetric metric;
  gboolean standardize;
  guint n, ns, nv;
  guint n_sample;
  guint *sample;  /* ascending track indices */
  double *values; /* n x nv */
};

SaMoments *
sa_moments_ref (SaMoments *m)
{
  g_atomic_int_inc (&m->ref_count);
  return m;
}

void
sa_moments_unref (SaMoments *m)
{
  if (m == NULL || !g_atomic_int_dec_and_test (&m->ref_count))
    return;
  g_free (m->sample);
  g_free (m->values);
  g_free (m);
}

/* in a GLib atomic reference-counted box */
struct _SaMomentsProgress
{
  gint done;  /* tracks finished */
  gint total; /* 0 until the work is known */
};

SaMomentsProgress *
sa_moments_progress_new (void)
{
  return g_atomic_rc_box_new0 (SaMomentsProgress);
}

SaMomentsProgress *
sa_moments_progress_ref (SaMomentsProgress *p)
{
  return g_atomic_rc_box_acquire (p);
}

void
sa_moments_progress_unref (SaMomentsProgress *p)
{
  if (p)
    g_atomic_rc_box_release (p);
}

double
sa_moments_progress_get_fraction (SaMomentsProgress *p)
{
  gint total = g_atomic_int_get (&p->total);
  gint done = g_atomic_int_get (&p->done);

  return total > 0 ? CLAMP ((double) done / total, 0.0, 1.0) : 0.0;
}

/* a new start (the cache was not there), or the end */
static void
progress_start (SaMomentsProgress *p, guint total)
{
  if (p == NULL)
    return;
  g_atomic_int_set (&p->done, 0);
  g_atomic_int_set (&p->total, (gint) MAX (total, 1));
}

static void
progress_finish (SaMomentsProgress *p)
{
  if (p == NULL)
    return;
  g_atomic_int_set (&p->total, 1);
  g_atomic_int_set (&p->done, 1);
}

static SaMoments *
moments_new (SaMetric metric, gboolean standardize, guint n, guint ns, guint n_sample)
{
  SaMoments *m = g_new0 (SaMoments, 1);

  m->ref_count = 1;
  m->metric = metric;
  m->standardize = !!standardize;
  m->n = n;
  m->ns = ns;
  m->nv = ns + ns * (ns + 1) / 2;
  m->n_sample = n_sample;
  m->sample = g_new0 (guint, MAX (n_sample, 1));
  m->values = g_new0 (double, (gsize) n * m->nv);
  return m;
}

gboolean
sa_moments_supports_metric (SaMetric metric)
{
  return metric == SA_METRIC_EUCLIDEAN || metric == SA_METRIC_MANHATTAN;
}

SaMetric
sa_moments_get_metric (SaMoments *m)
{
  return m->metric;
}

gboolean
sa_moments_get_standardize (SaMoments *m)
{
  return m->standardize;
}

guint
sa_moments_get_n_tracks (SaMoments *m)
{
  return m->n;
}

guint
sa_moments_get_n_sets (SaMoments *m)
{
  return m->ns;
}

const guint *
sa_moments_get_sample (SaMoments *m, guint *n)
{
  if (n)
    *n = m->n_sample;
  return m->sample;
}

guint
sa_moments_get_n_values (SaMoments *m)
{
  return m->nv;
}

const double *
sa_moments_get_values (SaMoments *m, guint track)
{
  g_return_val_if_fail (track < m->n, NULL);
  return m->values + (gsize) track * m->nv;
}

static guint
effective_sample (guint sample, guint n)
{
  if (sample == 0)
    sample = n <= SA_MOMENTS_ALL_MAX ? n : SA_MOMENTS_DEFAULT_SAMPLE;
  return MIN (sample, n);
}

/* The first @k of a Fisher-Yates shuffle of 0..n-1 driven by splitmix64, sorted. */
static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

static void
choose_sample (guint n, guint k, guint *out)
{
  SaRng rng = { SAMPLE_SEED };
  g_autofree guint *perm = NULL;

  if (k >= n)
    {
      for (guint i = 0; i < n; i++)
        out[i] = i;
      return;
    }
  perm = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    perm[i] = i;
  for (guint i = 0; i < k; i++)
    {
      guint j = i + (guint) (sa_rng_next (&rng) % (n - i));
      guint t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  memcpy (out, perm, k * sizeof (guint));
  qsort (out, k, sizeof (guint), compare_uint);
}

/* Means, then covariances (population, two passes) of @count rows of @a (ns wide). */
static void
summarise (const double *a, guint count, guint ns, double *values)
{
  double *mean = values, *cov = values + ns;

  for (guint s = 0; s < ns; s++)
    {
      double acc = 0;
      for (guint r = 0; r < count; r++)
        acc += a[(gsize) r * ns + s];
      mean[s] = count ? acc / count : 0;
    }
  for (guint s = 0; s < ns; s++)
    for (guint t = s; t < ns; t++)
      {
        double acc = 0;
        for (guint r = 0; r < count; r++)
          acc += (a[(gsize) r * ns + s] - mean[s]) * (a[(gsize) r * ns + t] - mean[t]);
        *cov++ = count ? acc / count : 0;
      }
}

void
sa_moments_of_row (SaMoments *m, SaSearch *search, const float *row, double *values)
{
  SaCollection *c = sa_search_get_collection (search);
  g_autofree double *a = g_new (double, (gsize) m->n_sample * m->ns);

  g_autofree const float **ys = g_new (const float *, MAX (m->n_sample, 1));

  for (guint r = 0; r < m->n_sample; r++)
    ys[r] = sa_collection_get_row (c, m->sample[r]);
  sa_search_pair_partials_n (search, row, ys, m->n_sample, a);
  summarise (a, m->n_sample, m->ns, values);
}

typedef struct
{
  SaMoments *m;
  SaSearch *search;
  SaCollection *c;
  const float *refs; /* n_sample padded rows, contiguous */
  guint stride;
  gint next_block;
  gboolean reference;
  GCancellable *cancellable;
  SaMomentsProgress *progress; /* or NULL */
} Job;

static gpointer
worker (gpointer data)
{
  Job *job = data;
  SaMoments *m = job->m;
  const guint ns = m->ns, S = m->n_sample;
  g_autofree double *a = g_new (double, (gsize) BLOCK *S *ns);
  const guint n_blocks = (m->n + BLOCK - 1) / BLOCK;

  for (;;)
    {
      guint b = (guint) g_atomic_int_add (&job->next_block, 1);
      guint first, last;
      guint count[BLOCK] = { 0 };

      if (b >= n_blocks || g_cancellable_is_cancelled (job->cancellable))
        break;
      first = b * BLOCK;
      last = MIN (first + BLOCK, m->n);
      /* tiles of BLOCK tracks x REF_CHUNK references, so that neither is read from
       * memory again for every pair */
      for (guint r0 = 0; r0 < S; r0 += REF_CHUNK)
        for (guint i = first; i < last; i++)
          {
            const float *x = sa_collection_get_row (job->c, i);
            guint bi = i - first;
            const float *ys[REF_CHUNK];
            guint k = 0;
            for (guint r = r0; r < MIN (r0 + REF_CHUNK, S); r++)
              if (m->sample[r] != i) /* never its own reference */
                ys[k++] = job->refs + (gsize) r * job->stride;
            if (job->reference) /* the pair-by-pair path, for comparison */
              for (guint r = 0; r < k; r++)
                sa_search_pair_partials (job->search, x, ys[r],
                                         a + ((gsize) bi * S + count[bi] + r) * ns);
            else
              sa_search_pair_partials_n (job->search, x, ys, k,
                                         a + ((gsize) bi * S + count[bi]) * ns);
            count[bi] += k;
          }
      for (guint i = first; i < last; i++)
        summarise (a + (gsize) (i - first) * S * ns, count[i - first], ns,
                   m->values + (gsize) i * m->nv);
      if (job->progress)
        g_atomic_int_add (&job->progress->done, (gint) (last - first));
    }
  return NULL;
}

static SaMoments *
compute (SaCollection *c, SaMetric metric, gboolean standardize, guint sample, guint n_threads,
         gboolean reference, SaMomentsProgress *progress, GCancellable *cancellable, GError **error)
{
  guint n = sa_collection_get_n_tracks (c), ns = sa_collection_get_n_sets (c);
  guint stride = sa_collection_get_stride (c);
  g_autoptr (SaSearch) search = NULL;
  g_autoptr (GPtrArray) threads = NULL;
  SaMoments *m;
  float *refs;
  Job job = { 0 };

  if (!sa_moments_supports_metric (metric))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("Mutual proximity needs the euclidean or manhattan metric, not %s"),
                   sa_metric_to_string (metric));
      return NULL;
    }
  if (n < 2)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
                   _ ("%s: mutual proximity needs at least 2 tracks"),
                   sa_collection_get_features_path (c));
      return NULL;
    }
  m = moments_new (metric, standardize, n, ns, effective_sample (sample, n));
  choose_sample (n, m->n_sample, m->sample);

  search = sa_search_new (c);
  sa_search_set_metric (search, metric);
  sa_search_set_standardize (search, standardize);
  refs = g_aligned_alloc (MAX ((gsize) m->n_sample * stride, 16), sizeof (float), 64);
  for (guint r = 0; r < m->n_sample; r++)
    memcpy (refs + (gsize) r * stride, sa_collection_get_row (c, m->sample[r]),
            stride * sizeof (float));

  job.m = m;
  job.search = search;
  job.c = c;
  job.refs = refs;
  job.stride = stride;
  job.reference = reference;
  job.cancellable = cancellable;
  job.progress = progress;
  progress_start (progress, n);
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, 64);
  threads = g_ptr_array_new ();
  for (guint t = 1; t < n_threads; t++)
    g_ptr_array_add (threads, g_thread_new ("sa-moments", worker, &job));
  worker (&job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  g_aligned_free (refs);

  if (g_cancellable_is_cancelled (cancellable))
    {
      sa_moments_unref (m);
      g_set_error (error, SA_ERROR, SA_ERROR_CANCELLED, _ ("Mutual proximity: cancelled"));
      return NULL;
    }
  return m;
}

SaMoments *
sa_moments_compute (SaCollection *c, SaMetric metric, gboolean standardize, guint sample,
                    guint n_threads, GCancellable *cancellable, GError **error)
{
  return compute (c, metric, standardize, sample, n_threads, FALSE, NULL, cancellable, error);
}

SaMoments *
sa_moments_compute_reference (SaCollection *c, SaMetric metric, gboolean standardize, guint sample,
                              guint n_threads, GCancellable *cancellable, GError **error)
{
  return compute (c, metric, standardize, sample, n_threads, TRUE, NULL, cancellable, error);
}

/* ---- the cache ---- */

/* What the moments depend on: the files' identity and the collection's content. */
static char *
cache_key (SaCollection *c, SaMetric metric, gboolean standardize, guint n_sample)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *paths[]
      = { sa_collection_get_features_path (c), sa_collection_get_metadata_path (c) };
  guint n = sa_collection_get_n_tracks (c), stride = sa_collection_get_stride (c);
  g_autofree char *head = NULL;

  head = g_strdup_printf ("n=%u sets=%u stride=%u metric=%s standardize=%d sample=%u seed=%llx;", n,
                          sa_collection_get_n_sets (c), stride, sa_metric_to_string (metric),
                          !!standardize, n_sample, (unsigned long long) SAMPLE_SEED);
  g_checksum_update (sum, (const guchar *) head, -1);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      GStatBuf st;
      g_autofree char *line = NULL;
      if (paths[i] == NULL || g_stat (paths[i], &st) != 0)
        line = g_strdup ("-;");
      else
        line = g_strdup_printf ("%lld:%lld;", (long long) st.st_size, (long long) st.st_mtime);
      g_checksum_update (sum, (const guchar *) line, -1);
    }
  for (guint si = 0; si < sa_collection_get_n_sets (c); si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (c, si);
      g_autofree char *line = g_strdup_printf ("%s:%u:%u;", set->name, set->offset, set->length);
      g_checksum_update (sum, (const guchar *) line, -1);
    }
  for (guint t = 0; t < n; t++)
    {
      gint64 id = sa_collection_get_clip_id (c, t);
      g_checksum_update (sum, (const guchar *) &id, sizeof id);
    }
  g_checksum_update (sum, (const guchar *) sa_collection_get_mean (c), stride * sizeof (double));
  g_checksum_update (sum, (const guchar *) sa_collection_get_std (c), stride * sizeof (double));
  return g_strdup (g_checksum_get_string (sum));
}

char *
sa_moments_cache_path (SaCollection *c, SaMetric metric, gboolean standardize, guint sample)
{
  const char *features = sa_collection_get_features_path (c);
  g_autofree char *dir = g_path_get_dirname (features);
  g_autofree char *base = g_path_get_basename (features);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot && dot != base)
    *dot = '\0';
  name = g_strdup_printf ("%s.mp-%s%s-%u.cache", base, sa_metric_to_string (metric),
                          standardize ? "" : "-raw",
                          effective_sample (sample, sa_collection_get_n_tracks (c)));
  if (g_access (dir, W_OK) != 0)
    {
      g_autofree char *abs = g_canonicalize_filename (features, NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, abs, -1);
      g_autofree char *cache_name = g_strdup_printf ("%.16s-%s", hash, name);
      return g_build_filename (g_get_user_cache_dir (), "soundalike", "moments", cache_name, NULL);
    }
  return g_build_filename (dir, name, NULL);
}

gboolean
sa_moments_save (SaMoments *m, SaCollection *c, const char *path, GError **error)
{
  g_autofree char *key = cache_key (c, m->metric, m->standardize, m->n_sample);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  guint32 head[5] = { ENDIAN_CHECK, m->n, m->ns, m->nv, m->n_sample };

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the folder: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  g_byte_array_append (out, (const guint8 *) CACHE_MAGIC, strlen (CACHE_MAGIC));
  g_byte_array_append (out, (const guint8 *) key, 64);
  g_byte_array_append (out, (const guint8 *) "\n", 1);
  g_byte_array_append (out, (const guint8 *) head, sizeof head);
  for (guint r = 0; r < m->n_sample; r++)
    {
      guint32 v = m->sample[r];
      g_byte_array_append (out, (const guint8 *) &v, sizeof v);
    }
  g_byte_array_append (out, (const guint8 *) m->values, (guint) ((gsize) m->n * m->nv * 8));
  return sa_write_file_atomic (path, (const char *) out->data, out->len, error);
}

SaMoments *
sa_moments_load (SaCollection *c, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  gsize len = 0, off, need;
  guint32 head[5];
  SaMoments *m;
  const gsize magic = strlen (CACHE_MAGIC);

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (len < magic + 65 + sizeof head || memcmp (data, CACHE_MAGIC, magic) != 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, _ ("%s: not a Soundalike moments file"),
                   path);
      return NULL;
    }
  memcpy (head, data + magic + 65, sizeof head);
  if (head[0] != ENDIAN_CHECK || head[1] != sa_collection_get_n_tracks (c)
      || head[2] != sa_collection_get_n_sets (c) || head[3] != head[2] + head[2] * (head[2] + 1) / 2
      || head[4] == 0 || head[4] > head[1])
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                   _ ("%s: made for another collection (or damaged)"), path);
      return NULL;
    }
  off = magic + 65 + sizeof head;
  need = off + (gsize) head[4] * 4 + (gsize) head[1] * head[3] * 8;
  if (len != need)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TRUNCATED, _ ("%s: %zu bytes where %zu were expected"),
                   path, len, need);
      return NULL;
    }
  {
    /* the metric and standardisation are in the key; try the two each file name allows */
    static const SaMetric metrics[] = { SA_METRIC_EUCLIDEAN, SA_METRIC_MANHATTAN };
    gboolean found = FALSE;
    SaMetric metric = SA_METRIC_EUCLIDEAN;
    gboolean standardize = TRUE;
    for (guint i = 0; i < G_N_ELEMENTS (metrics) && !found; i++)
      for (int z = 1; z >= 0 && !found; z--)
        {
          g_autofree char *key = cache_key (c, metrics[i], z, head[4]);
          if (memcmp (key, data + magic, 64) == 0)
            {
              found = TRUE;
              metric = metrics[i];
              standardize = z;
            }
        }
    if (!found)
      {
        g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                     _ ("%s: made for another version of the collection"), path);
        return NULL;
      }
    m = moments_new (metric, standardize, head[1], head[2], head[4]);
  }
  for (guint r = 0; r < m->n_sample; r++)
    {
      guint32 v;
      memcpy (&v, data + off + (gsize) r * 4, 4);
      if (v >= m->n || (r > 0 && v <= m->sample[r - 1]))
        {
          sa_moments_unref (m);
          g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, _ ("%s: damaged sample list"), path);
          return NULL;
        }
      m->sample[r] = v;
    }
  memcpy (m->values, data + off + (gsize) m->n_sample * 4, (gsize) m->n * m->nv * 8);
  for (gsize i = 0; i < (gsize) m->n * m->nv; i++)
    if (!isfinite (m->values[i]))
      {
        sa_moments_unref (m);
        g_set_error (error, SA_ERROR, SA_ERROR_NOT_FINITE, _ ("%s: damaged values"), path);
        return NULL;
      }
  return m;
}

static SaMoments *
get_with_progress (SaCollection *c, SaMetric metric, gboolean standardize, guint sample,
                   SaMomentsProgress *progress, GCancellable *cancellable, GError **error)
{
  g_autofree char *path = sa_moments_cache_path (c, metric, standardize, sample);
  g_autoptr (GError) local = NULL;
  SaMoments *m = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      m = sa_moments_load (c, path, &local);
      if (m
          && (m->metric != metric || m->standardize != !!standardize
              || m->n_sample != effective_sample (sample, m->n)))
        g_clear_pointer (&m, sa_moments_unref);
      if (m)
        {
          progress_finish (progress);
          return m;
        }
      g_debug ("moments cache: %s", local ? local->message : "other settings");
      g_clear_error (&local);
    }
  m = compute (c, metric, standardize, sample, 0, FALSE, progress, cancellable, error);
  if (m && !sa_moments_save (m, c, path, &local))
    g_debug ("moments cache not written: %s", local->message);
  if (m)
    progress_finish (progress);
  return m;
}

SaMoments *
sa_moments_get (SaCollection *c, SaMetric metric, gboolean standardize, guint sample,
                GCancellable *cancellable, GError **error)
{
  return get_with_progress (c, metric, standardize, sample, NULL, cancellable, error);
}

typedef struct
{
  SaCollection *c;
  SaMetric metric;
  gboolean standardize;
  guint sample;
  SaMomentsProgress *progress;
} GetData;

static void
get_data_free (gpointer p)
{
  GetData *d = p;
  g_object_unref (d->c);
  sa_moments_progress_unref (d->progress);
  g_free (d);
}

static void
get_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GetData *d = task_data;
  GError *error = NULL;
  SaMoments *m = get_with_progress (d->c, d->metric, d->standardize, d->sample, d->progress,
                                    cancellable, &error);

  if (m)
    g_task_return_pointer (task, m, (GDestroyNotify) sa_moments_unref);
  else
    g_task_return_error (task, error);
}

void
sa_moments_get_async (SaCollection *c, SaMetric metric, gboolean standardize, guint sample,
                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  sa_moments_get_async_with_progress (c, metric, standardize, sample, NULL, cancellable, callback,
                                      user_data);
}

void
sa_moments_get_async_with_progress (SaCollection *c, SaMetric metric, gboolean standardize,
                                    guint sample, SaMomentsProgress *progress,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GetData *d = g_new0 (GetData, 1);

  d->c = g_object_ref (c);
  d->metric = metric;
  d->standardize = standardize;
  d->sample = sample;
  d->progress = progress ? sa_moments_progress_ref (progress) : NULL;
  g_task_set_source_tag (task, sa_moments_get_async);
  g_task_set_check_cancellable (task, FALSE); /* SA_ERROR_CANCELLED, as the sync call */
  g_task_set_task_data (task, d, get_data_free);
  g_task_run_in_thread (task, get_thread);
}

SaMoments *
sa_moments_get_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
