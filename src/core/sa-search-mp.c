/* sa-search-mp.c: ranking by mutual proximity
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a track x and the query q, with p = SF(D; mu_q, sd_q) * SF(D; mu_x, sd_x),
 * MP = 1 - p and the ranking key is log(MP / p) (sa_mp_value()): the same order,
 * without the ties that rounding makes of MP near 0 and of p near 0.  Ties are
 * broken by feature-file order.
 *
 * Top k without an erfc() per track: p <= SF(D; mu_q, sd_q), and that factor falls
 * with D.  Once the heap holds k tracks whose worst p is tau, every track whose
 * query factor is already below tau (with a margin far above rounding) is
 * skipped; the test is on the erfc argument, computed exactly as the full path
 * computes it, so skipping never changes a result.
 */
#include "config.h"

#include <math.h>

#include "sa-moments.h"
#include "sa-search-mp.h"

typedef struct
{
  SaMoments *m;
  SaCollection *c;
  const double *partial;
  guint n, ns;
  double coef[SA_MAX_SETS];
  double mu_q, sd_q;
} MpContext;

static void
context_init (MpContext *x, SaSearch *s, const double *weights)
{
  int q = sa_search_get_query (s);
  double qv[SA_MAX_SETS + SA_MAX_SETS * (SA_MAX_SETS + 1) / 2];

  x->m = sa_search_get_mutual_proximity (s);
  x->c = sa_search_get_collection (s);
  x->partial = sa_search_get_partials (s);
  x->n = sa_collection_get_n_tracks (x->c);
  x->ns = sa_collection_get_n_sets (x->c);
  sa_search_get_coefficients (s, weights, x->coef);
  if (q >= 0)
    sa_moments_combine (sa_moments_get_values (x->m, (guint) q), x->ns, x->coef, &x->mu_q,
                        &x->sd_q);
  else
    {
      sa_moments_of_row (x->m, s, sa_search_get_query_row (s), qv);
      sa_moments_combine (qv, x->ns, x->coef, &x->mu_q, &x->sd_q);
    }
}

static inline double
track_d (const MpContext *x, guint i)
{
  const double *p = x->partial + (gsize) i * x->ns;
  double acc = 0;

  for (guint si = 0; si < x->ns; si++)
    acc += x->coef[si] * p[si];
  return acc;
}

/* MP of track i at D = d; *key its ranking key */
static inline double
track_mp (const MpContext *x, guint i, double d, double *key)
{
  double mu, sd;

  sa_moments_combine (sa_moments_get_values (x->m, i), x->ns, x->coef, &mu, &sd);
  return sa_mp_value (sa_mp_arg (d, x->mu_q, x->sd_q), sa_mp_arg (d, mu, sd), key);
}

double
sa_search_mp_distance (SaSearch *s, const double *weights, guint track)
{
  MpContext x;

  context_init (&x, s, weights);
  return track_mp (&x, track, track_d (&x, track), NULL);
}

void
sa_search_mp_all (SaSearch *s, const double *weights, double *out, gboolean as_distance)
{
  MpContext x;

  context_init (&x, s, weights);
  for (guint i = 0; i < x.n; i++)
    {
      double key, mp = track_mp (&x, i, track_d (&x, i), &key);
      out[i] = as_distance ? mp : key;
    }
}

/* ---- top k: a max-heap on (key, track), key = -p ---- */

static inline gboolean
less (double ka, guint ta, double kb, guint tb)
{
  return ka < kb || (ka == kb && ta < tb);
}

static void
sift_down (SaHit *h, guint n, guint i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      if (l < n && less (h[m].distance, h[m].track, h[l].distance, h[l].track))
        m = l;
      if (r < n && less (h[m].distance, h[m].track, h[r].distance, h[r].track))
        m = r;
      if (m == i)
        return;
      SaHit t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
}

static void
sift_up (SaHit *h, guint i)
{
  while (i > 0)
    {
      guint p = (i - 1) / 2;
      if (!less (h[p].distance, h[p].track, h[i].distance, h[i].track))
        return;
      SaHit t = h[i];
      h[i] = h[p];
      h[p] = t;
      i = p;
    }
}

static int
compare_hits (gconstpointer a, gconstpointer b)
{
  const SaHit *x = a, *y = b;
  if (less (x->distance, x->track, y->distance, y->track))
    return -1;
  return less (y->distance, y->track, x->distance, x->track) ? 1 : 0;
}

/* An erfc argument beyond which erfc(t) / 2 is below the p of the ranking key
 * @key (bisection, with a relative margin of 1e-9); +inf when there is none. */
static double
cut_for (double key)
{
  double tau = 1.0 / (1.0 + exp (key)), lo = -40, hi = 40;

  tau *= 1.0 - 1e-9;
  if (!(tau > 0) || !(0.5 * erfc (hi) < tau))
    return INFINITY;
  for (int it = 0; it < 64; it++)
    {
      double mid = 0.5 * (lo + hi);
      if (0.5 * erfc (mid) < tau)
        hi = mid;
      else
        lo = mid;
    }
  return hi;
}

guint
sa_search_mp_rank (SaSearch *s, const double *weights, guint k, SaHit *hits)
{
  MpContext x;
  SaExclude exclude = sa_search_get_exclude (s);
  int query = sa_search_get_query (s);
  gboolean inside = query >= 0;
  guint q = inside ? (guint) query : G_MAXUINT;
  gboolean ea, eb, ef;
  guint ga = 0, gb = 0, gf = 0, n_heap = 0, since_cut = 0;
  double t_cut = INFINITY;
  SaHit *heap;

  context_init (&x, s, weights);
  k = MIN (k, x.n - (inside ? 1 : 0));
  ea = inside && (exclude & SA_EXCLUDE_SAME_ARTIST) != 0;
  eb = inside && (exclude & SA_EXCLUDE_SAME_ALBUM) != 0;
  ef = inside && (exclude & SA_EXCLUDE_SAME_FILE) != 0;
  if (ea)
    ga = sa_collection_get_group (x.c, q, SA_FIELD_ARTIST);
  if (eb)
    gb = sa_collection_get_group (x.c, q, SA_FIELD_ALBUM);
  if (ef)
    gf = sa_collection_get_group (x.c, q, SA_FIELD_PATH);

  hits[0].track = q;
  hits[0].distance = inside ? track_mp (&x, q, track_d (&x, q), NULL) : 0.0;
  heap = hits + 1;
  if (k == 0)
    return 1;
  for (guint i = 0; i < x.n; i++)
    {
      double d, key;
      if (i == q || (ea && sa_collection_get_group (x.c, i, SA_FIELD_ARTIST) == ga)
          || (eb && sa_collection_get_group (x.c, i, SA_FIELD_ALBUM) == gb)
          || (ef && sa_collection_get_group (x.c, i, SA_FIELD_PATH) == gf))
        continue;
      d = track_d (&x, i);
      if (sa_mp_arg (d, x.mu_q, x.sd_q) > t_cut)
        continue;
      track_mp (&x, i, d, &key);
      if (n_heap < k)
        {
          heap[n_heap].track = i;
          heap[n_heap].distance = key;
          sift_up (heap, n_heap++);
          if (n_heap == k)
            t_cut = cut_for (heap[0].distance);
        }
      else if (less (key, i, heap[0].distance, heap[0].track))
        {
          heap[0].track = i;
          heap[0].distance = key;
          sift_down (heap, n_heap, 0);
          /* a cut from an older, weaker threshold stays valid: refresh it now and then */
          if (++since_cut >= MAX (k, 8u))
            {
              t_cut = cut_for (heap[0].distance);
              since_cut = 0;
            }
        }
    }
  qsort (heap, n_heap, sizeof (SaHit), compare_hits);
  /* back from the key log(MP / (1 - MP)) to MP */
  for (guint i = 0; i < n_heap; i++)
    heap[i].distance = track_mp (&x, heap[i].track, track_d (&x, heap[i].track), NULL);
  return n_heap + 1;
}
