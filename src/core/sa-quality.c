/* sa-quality.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "sa-error.h"
#include "sa-quality.h"
#include "sa-rng.h"

#define QUERY_SEED 0x51554552ull /* "QUER" */

typedef struct
{
  double key;
  guint track;
} Item;

static inline gboolean
item_less (const Item *a, const Item *b)
{
  return a->key < b->key || (a->key == b->key && a->track < b->track);
}

static int
compare_items (gconstpointer a, gconstpointer b)
{
  return item_less (a, b) ? -1 : item_less (b, a) ? 1 : 0;
}

void
sa_quality_options_init (SaQualityOptions *o, SaCollection *c)
{
  memset (o, 0, sizeof *o);
  o->metric = SA_METRIC_EUCLIDEAN;
  o->standardize = TRUE;
  o->set_scaling = TRUE;
  o->k = 10;
  sa_search_default_weights (c, o->weights);
}

void
sa_quality_free (SaQuality *q)
{
  if (q == NULL)
    return;
  g_free (q->k_occurrence);
  g_free (q->precision);
  g_free (q);
}

typedef struct
{
  SaCollection *c;
  const SaQualityOptions *o;
  const guint *queries;
  guint n_queries;
  const guint *group; /* exclude_column's value ids, G_MAXUINT for empty; or NULL */
  gint next;
  GCancellable *cancellable;
  double *precision, *ap; /* per query */
  GMutex lock;
  guint *k_occurrence;
} Job;

/* max-heap of the k best items */
static void
heap_push (Item *h, guint *n, guint k, Item it)
{
  guint i;

  if (*n < k)
    {
      i = (*n)++;
      h[i] = it;
      while (i > 0 && item_less (&h[(i - 1) / 2], &h[i]))
        {
          Item t = h[i];
          h[i] = h[(i - 1) / 2];
          h[(i - 1) / 2] = t;
          i = (i - 1) / 2;
        }
      return;
    }
  if (!item_less (&it, &h[0]))
    return;
  h[0] = it;
  i = 0;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      if (l < *n && item_less (&h[m], &h[l]))
        m = l;
      if (r < *n && item_less (&h[m], &h[r]))
        m = r;
      if (m == i)
        break;
      Item t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
}

static gpointer
worker (gpointer data)
{
  Job *job = data;
  const SaQualityOptions *o = job->o;
  guint n = sa_collection_get_n_tracks (job->c);
  g_autoptr (SaSearch) s = sa_search_new (job->c);
  g_autofree double *keys = g_new (double, n);
  g_autofree Item *top = g_new (Item, o->k + 1);
  g_autofree Item *rel = g_new (Item, n);
  g_autofree guint *hist = g_new (guint, n + 1);
  g_autofree guint *kocc = g_new0 (guint, n);

  sa_search_set_metric (s, o->metric);
  sa_search_set_standardize (s, o->standardize);
  sa_search_set_set_scaling (s, o->set_scaling);
  if (o->moments)
    sa_search_set_mutual_proximity (s, o->moments);

  for (;;)
    {
      guint qi = (guint) g_atomic_int_add (&job->next, 1), q, n_top = 0, n_rel = 0;
      gboolean labelled;

      if (qi >= job->n_queries || g_cancellable_is_cancelled (job->cancellable))
        break;
      q = job->queries[qi];
      sa_search_set_query (s, q);
      sa_search_all_keys (s, o->weights, keys);
      labelled = o->labels && sa_labels_get_n (o->labels, q) > 0;
      for (guint i = 0; i < n; i++)
        {
          Item it = { keys[i], i };
          if (i == q
              || (job->group && job->group[q] != G_MAXUINT && job->group[i] == job->group[q]))
            continue;
          heap_push (top, &n_top, o->k, it);
          if (labelled && sa_labels_share (o->labels, q, i))
            rel[n_rel++] = it;
        }
      qsort (top, n_top, sizeof (Item), compare_items);
      for (guint j = 0; j < n_top; j++)
        kocc[top[j].track]++;
      job->precision[qi] = NAN;
      job->ap[qi] = NAN;
      if (!labelled)
        continue;
      {
        guint hits = 0;
        for (guint j = 0; j < n_top; j++)
          hits += sa_labels_share (o->labels, q, top[j].track);
        job->precision[qi] = n_top ? (double) hits / n_top : 0;
      }
      if (n_rel == 0)
        continue;
      /* average precision: the rank of every relevant track from how many
       * non-relevant ones come before it */
      qsort (rel, n_rel, sizeof (Item), compare_items);
      memset (hist, 0, (n_rel + 1) * sizeof (guint));
      for (guint i = 0; i < n; i++)
        {
          Item it = { keys[i], i };
          guint lo = 0, hi = n_rel;
          if (i == q || (job->group && job->group[q] != G_MAXUINT && job->group[i] == job->group[q])
              || sa_labels_share (o->labels, q, i))
            continue;
          while (lo < hi)
            {
              guint mid = (lo + hi) / 2;
              if (item_less (&rel[mid], &it))
                lo = mid + 1;
              else
                hi = mid;
            }
          hist[lo]++; /* before the lo-th relevant track */
        }
      {
        double sum = 0;
        guint before = 0;
        for (guint r = 0; r < n_rel; r++)
          {
            before += hist[r];
            sum += (double) (r + 1) / (double) (r + 1 + before);
          }
        job->ap[qi] = sum / n_rel;
      }
    }
  g_mutex_lock (&job->lock);
  for (guint i = 0; i < n; i++)
    job->k_occurrence[i] += kocc[i];
  g_mutex_unlock (&job->lock);
  return NULL;
}

static guint *
sample_queries (guint n, guint k)
{
  SaRng rng = { QUERY_SEED };
  guint *perm = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    perm[i] = i;
  for (guint i = 0; i < k && i < n; i++)
    {
      guint j = i + (guint) (sa_rng_next (&rng) % (n - i));
      guint t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  return perm;
}

SaQuality *
sa_quality_evaluate (SaCollection *c, const SaQualityOptions *o, GCancellable *cancellable,
                     GError **error)
{
  guint n = sa_collection_get_n_tracks (c);
  g_autofree guint *own_queries = NULL;
  g_autofree guint *group = NULL;
  g_autofree double *ap = NULL;
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  SaQuality *q;
  Job job = { 0 };
  guint n_threads = o->n_threads ? o->n_threads : g_get_num_processors ();

  if (n < 2)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_EMPTY,
                   _ ("%s: a quality estimate needs at least 2 tracks"),
                   sa_collection_get_features_path (c));
      return NULL;
    }
  if (o->k == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT, _ ("k must be at least 1"));
      return NULL;
    }
  if (o->labels && sa_labels_get_n_tracks (o->labels) != n)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_SHAPE, _ ("the labels are for another collection"));
      return NULL;
    }
  if (o->exclude_column)
    {
      SaMetadata *md = sa_collection_get_metadata (c);
      g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
      if (md == NULL || sa_metadata_find_column (md, o->exclude_column) < 0)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_MISSING, _ ("%s: no column '%s'"),
                       md ? sa_collection_get_metadata_path (c)
                          : sa_collection_get_features_path (c),
                       o->exclude_column);
          return NULL;
        }
      group = g_new (guint, n);
      for (guint t = 0; t < n; t++)
        {
          const char *v = sa_collection_get_column (c, t, o->exclude_column);
          gpointer id;
          if (*v == '\0')
            group[t] = G_MAXUINT;
          else if (g_hash_table_lookup_extended (ids, v, NULL, &id))
            group[t] = GPOINTER_TO_UINT (id);
          else
            {
              group[t] = g_hash_table_size (ids);
              g_hash_table_insert (ids, (gpointer) v, GUINT_TO_POINTER (group[t]));
            }
        }
    }

  q = g_new0 (SaQuality, 1);
  q->k = MIN (o->k, n - 1);
  q->n_tracks = n;
  if (o->queries)
    {
      job.queries = o->queries;
      job.n_queries = o->n_queries;
      for (guint i = 0; i < o->n_queries; i++)
        if (o->queries[i] >= n)
          {
            sa_quality_free (q);
            g_set_error (error, SA_ERROR, SA_ERROR_INVALID_ARGUMENT,
                         _ ("query %u is not a track of the collection"), o->queries[i]);
            return NULL;
          }
    }
  else
    {
      guint want = o->n_queries                     ? o->n_queries
                   : n > SA_QUALITY_ALL_QUERIES_MAX ? SA_QUALITY_SAMPLE_QUERIES
                                                    : n;
      want = MIN (want, n);
      own_queries = want < n ? sample_queries (n, want) : sample_queries (n, 0);
      job.queries = own_queries;
      job.n_queries = want;
      q->sampled = want < n;
    }
  q->n_queries = job.n_queries;
  q->k_occurrence = g_new0 (guint, n);
  q->precision = g_new (double, MAX (job.n_queries, 1));
  ap = g_new (double, MAX (job.n_queries, 1));

  {
    SaQualityOptions local = *o;
    local.k = q->k;
    job.o = &local;
    job.c = c;
    job.group = group;
    job.cancellable = cancellable;
    job.precision = q->precision;
    job.ap = ap;
    job.k_occurrence = q->k_occurrence;
    g_mutex_init (&job.lock);
    n_threads = CLAMP (n_threads, 1, MAX (job.n_queries, 1));
    for (guint t = 1; t < n_threads; t++)
      g_ptr_array_add (threads, g_thread_new ("sa-quality", worker, &job));
    worker (&job);
    for (guint t = 0; t < threads->len; t++)
      g_thread_join (g_ptr_array_index (threads, t));
    g_mutex_clear (&job.lock);
  }
  if (g_cancellable_is_cancelled (cancellable))
    {
      sa_quality_free (q);
      g_set_error (error, SA_ERROR, SA_ERROR_CANCELLED, _ ("Quality estimate: cancelled"));
      return NULL;
    }

  /* in query order, so the sums do not depend on the threads */
  {
    double sp = 0, sa = 0;
    for (guint i = 0; i < job.n_queries; i++)
      {
        if (!isnan (q->precision[i]))
          {
            sp += q->precision[i];
            q->n_labelled_queries++;
          }
        if (!isnan (ap[i]))
          {
            sa += ap[i];
            q->n_map_queries++;
          }
      }
    q->precision_at_k = q->n_labelled_queries ? sp / q->n_labelled_queries : NAN;
    q->map = q->n_map_queries ? sa / q->n_map_queries : NAN;
  }
  {
    double mean = 0, m2 = 0, m3 = 0, dev = 0, total = 0;
    guint antihubs = 0;
    for (guint i = 0; i < n; i++)
      {
        mean += q->k_occurrence[i];
        q->max_k_occurrence = MAX (q->max_k_occurrence, q->k_occurrence[i]);
        antihubs += q->k_occurrence[i] == 0;
      }
    total = mean;
    mean /= n;
    for (guint i = 0; i < n; i++)
      {
        double d = q->k_occurrence[i] - mean;
        m2 += d * d;
        m3 += d * d * d;
        dev += fabs (d);
      }
    m2 /= n;
    m3 /= n;
    q->skewness = m2 > 0 ? m3 / pow (m2, 1.5) : NAN;
    q->antihub_rate = (double) antihubs / n;
    q->robinhood = total > 0 ? dev / (2 * total) : NAN;
  }
  return q;
}

guint
sa_quality_top_hubs (SaQuality *q, guint n, guint *tracks)
{
  g_autofree Item *all = g_new (Item, q->n_tracks);

  for (guint i = 0; i < q->n_tracks; i++)
    {
      all[i].key = -(double) q->k_occurrence[i];
      all[i].track = i;
    }
  qsort (all, q->n_tracks, sizeof (Item), compare_items);
  n = MIN (n, q->n_tracks);
  for (guint i = 0; i < n; i++)
    tracks[i] = all[i].track;
  return n;
}
