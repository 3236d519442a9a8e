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
 *
 * After a compact pass (sa-compact.h) only the bounds of every track's D are known: a
 * track is skipped when the query factor at its lower bound is already below tau (D is
 * no smaller, and the factor falls with D), and only the others get their exact sums from
 * the float matrix.  The k tracks with the smallest upper bounds are ranked first, so
 * that tau is tight from the start; a new weighting of the same query (a slider move)
 * starts from the last ranking's top k instead, whose sums are exact already.  The test on
 * the lower bound is division-free (set_cut()), and a track past it is still skipped by
 * its own factor or by p itself before its key is computed.  The result is the one the
 * full pass gives.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-moments.h"
#include "sa-search-mp.h"

typedef struct
{
  SaMoments *m;
  SaCollection *c;
  SaSearch *s;
  const double *partial; /* every track's exact sums, or NULL: a compact pass's bounds */
  const float *lo, *hi;  /* with bounds: theirs (sa_search_get_bounds()) */
  const double *factors;
  guint n, ns;
  double coef[SA_MAX_SETS];
  double mu_q, sd_q;
} MpContext;

/* @bounds: whether the ranking may work from a compact pass's bounds */
static void
context_init (MpContext *x, SaSearch *s, const double *weights, gboolean bounds)
{
  int q = sa_search_get_query (s);
  double qv[SA_MAX_SETS + SA_MAX_SETS * (SA_MAX_SETS + 1) / 2];
  gboolean bounded;

  x->m = sa_search_get_mutual_proximity (s);
  x->c = sa_search_get_collection (s);
  x->s = s;
  x->n = sa_collection_get_n_tracks (x->c);
  x->ns = sa_collection_get_n_sets (x->c);
  sa_search_get_coefficients (s, weights, x->coef);
  bounded = bounds && sa_search_is_bounded (s);
  for (guint si = 0; si < x->ns; si++)
    bounded = bounded && x->coef[si] >= 0;
  x->partial = bounded ? NULL : sa_search_get_partials (s);
  x->lo = x->hi = NULL;
  if (bounded)
    {
      x->lo = sa_search_get_bounds (s, FALSE, &x->factors);
      x->hi = sa_search_get_bounds (s, TRUE, &x->factors);
    }
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
track_d (const MpContext *x, guint i, float *scratch)
{
  const double *p = x->partial ? x->partial + (gsize) i * x->ns
                               : sa_search_get_exact_partials (x->s, i, scratch);
  double acc = 0;

  for (guint si = 0; si < x->ns; si++)
    acc += x->coef[si] * p[si];
  return acc;
}

/* a row's room for sa_search_get_exact_partials() */
static float *
new_scratch (const MpContext *x)
{
  return g_aligned_alloc (sa_collection_get_stride (x->c), sizeof (float), 64);
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
  guint32 t = track;
  double mp;

  sa_search_mp_of_tracks (s, weights, &t, 1, &mp);
  return mp;
}

void
sa_search_mp_all (SaSearch *s, const double *weights, double *out, gboolean as_distance)
{
  MpContext x;

  context_init (&x, s, weights, FALSE);
  for (guint i = 0; i < x.n; i++)
    {
      double key, mp = track_mp (&x, i, track_d (&x, i, NULL), &key);
      out[i] = as_distance ? mp : key;
    }
}

void
sa_search_mp_of_tracks (SaSearch *s, const double *weights, const guint32 *tracks, guint n,
                        double *out)
{
  MpContext x;
  float *scratch = NULL;

  context_init (&x, s, weights, TRUE);
  if (x.partial == NULL)
    scratch = new_scratch (&x);
  for (guint j = 0; j < n; j++)
    out[j] = track_mp (&x, tracks[j], track_d (&x, tracks[j], scratch), NULL);
  g_aligned_free (scratch);
}

/* ---- top k: a max-heap on (key, track), key = -p ---- */

/* From how many tracks the ranking runs on two threads */
#define MP_PARALLEL_MIN_ROWS 20000

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

/* The heap of the k best so far, and the cut its worst key allows (or a tighter one: any
 * k tracks' worst p is a valid threshold). */
typedef struct
{
  SaHit *heap;
  guint k, n_heap, since_cut;
  double worst;   /* the key the cuts are for: k tracks are at least this near */
  double t_cut;   /* an erfc argument beyond which a factor alone is below their p */
  double d_cut;   /* a D beyond which the query factor's argument certainly exceeds t_cut */
  double p_cut;   /* a p below theirs (by a relative 1e-6) */
  float *scratch; /* a row read from the store, or NULL with every track's sums known */
} MpTop;

#define MP_TOP_INIT(heap, k, scratch)                                                              \
  {                                                                                                \
    heap, k, 0, 0, INFINITY, INFINITY, INFINITY, 0, scratch                                        \
  }

/* Tightens the cuts to those of the key @worst (a looser one is ignored).  d_cut: the D that
 * certainly passes t_cut, sa_mp_arg (D, mu_q, sd_q) > t_cut for every D > d_cut, with a
 * margin (1e-9 of the magnitudes) far above the few roundings either side makes, so the
 * division-free test skips only tracks the exact test would skip.  p_cut: the p of @worst
 * (key = log ((1 - p) / p)) less a margin far above the roundings of the key and of
 * erfc. */
static void
set_cut (const MpContext *x, MpTop *t, double worst)
{
  double scale = x->sd_q * G_SQRT2, cut;

  if (!(worst < t->worst))
    return;
  t->worst = worst;
  t->p_cut = (1.0 / (1.0 + exp (worst))) * (1.0 - 1e-6);
  cut = t->t_cut = cut_for (worst);
  if (!(x->sd_q > 0) || !isfinite (cut) || !isfinite (scale))
    {
      t->d_cut = INFINITY;
      return;
    }
  t->d_cut = x->mu_q + cut * scale + 1e-9 * (fabs (x->mu_q) + fabs (cut) * scale);
  /* a cut at or just above 0: far enough from mu_q that the argument cannot underflow to 0 */
  if (cut >= 0)
    t->d_cut = MAX (t->d_cut, x->mu_q + scale * 1e-200);
}

static inline double
lower_key (const MpContext *x, guint i)
{
  return sa_search_bound_key (x->lo, x->factors, x->ns, x->coef, i);
}

/* Offers track @i: skipped when its query factor (at its lower bound, then at its exact
 * D) is already below the heap's worst p, or its own factor, or their product p (two erfc,
 * where the key takes four and three logarithms). */
static void
offer (const MpContext *x, MpTop *t, guint i)
{
  double d, key, tq, tx, mu, sd;

  if (x->partial == NULL && sa_mp_arg (lower_key (x, i), x->mu_q, x->sd_q) > t->t_cut)
    return;
  d = track_d (x, i, t->scratch);
  tq = sa_mp_arg (d, x->mu_q, x->sd_q);
  if (tq > t->t_cut)
    return;
  sa_moments_combine (sa_moments_get_values (x->m, i), x->ns, x->coef, &mu, &sd);
  tx = sa_mp_arg (d, mu, sd);
  if (tx > t->t_cut || 0.25 * erfc (tq) * erfc (tx) < t->p_cut)
    return;
  /* what track_mp() computes */
  sa_mp_value (tq, tx, &key);
  if (t->n_heap < t->k)
    {
      t->heap[t->n_heap].track = i;
      t->heap[t->n_heap].distance = key;
      sift_up (t->heap, t->n_heap++);
      if (t->n_heap == t->k)
        set_cut (x, t, t->heap[0].distance);
    }
  else if (less (key, i, t->heap[0].distance, t->heap[0].track))
    {
      t->heap[0].track = i;
      t->heap[0].distance = key;
      sift_down (t->heap, t->n_heap, 0);
      /* a cut from an older, weaker threshold stays valid: refresh it now and then */
      if (++t->since_cut >= MAX (t->k, 8u))
        {
          set_cut (x, t, t->heap[0].distance);
          t->since_cut = 0;
        }
    }
}

typedef struct
{
  guint q;
  gboolean ea, eb, ef;
  guint ga, gb, gf;
} MpExclusion;

static gboolean
excluded (const MpContext *x, const MpExclusion *e, guint i)
{
  return i == e->q || (e->ea && sa_collection_get_group (x->c, i, SA_FIELD_ARTIST) == e->ga)
         || (e->eb && sa_collection_get_group (x->c, i, SA_FIELD_ALBUM) == e->gb)
         || (e->ef && sa_collection_get_group (x->c, i, SA_FIELD_PATH) == e->gf);
}

static int
compare_tracks (gconstpointer a, gconstpointer b)
{
  guint x = ((const SaHit *) a)->track, y = ((const SaHit *) b)->track;
  return x < y ? -1 : x > y;
}

/* The k tracks of [@begin, @end) with the smallest upper bounds of D (likely near in MP
 * too), ascending by track, into @seeds; how many. */
static guint
find_seeds (const MpContext *x, const MpExclusion *e, guint begin, guint end, guint k, SaHit *seeds)
{
  guint n = 0;

  for (guint i = begin; i < end; i++)
    {
      double hi;
      if (excluded (x, e, i))
        continue;
      hi = sa_search_bound_key (x->hi, x->factors, x->ns, x->coef, i);
      if (n < k)
        {
          seeds[n].track = i;
          seeds[n].distance = hi;
          sift_up (seeds, n++);
        }
      else if (less (hi, i, seeds[0].distance, seeds[0].track))
        {
          seeds[0].track = i;
          seeds[0].distance = hi;
          sift_down (seeds, n, 0);
        }
    }
  qsort (seeds, n, sizeof (SaHit), compare_tracks);
  return n;
}

/* The k best of tracks [begin, end), on a thread of its own for the second half.  @seeds
 * (ascending by track, in the range) are offered first; without them, and with bounds,
 * the range's own are found. */
typedef struct
{
  const MpContext *x;
  const MpExclusion *e;
  guint begin, end;
  MpTop top;
  const SaHit *seeds;
  guint n_seeds;
} MpRange;

static gpointer
rank_range (gpointer data)
{
  MpRange *r = data;
  const MpContext *x = r->x;
  g_autofree SaHit *found = NULL;
  const SaHit *seeds = r->seeds;
  guint n_seeds = r->n_seeds;

  if (x->partial == NULL && seeds == NULL)
    {
      found = g_new (SaHit, r->top.k);
      n_seeds = find_seeds (x, r->e, r->begin, r->end, r->top.k, found);
      seeds = found;
    }
  for (guint j = 0; j < n_seeds; j++)
    offer (x, &r->top, seeds[j].track);
  for (guint i = r->begin, next = 0; i < r->end; i++)
    {
      if (next < n_seeds && seeds[next].track == i)
        {
          next++;
          continue;
        }
      /* the division-free test first (set_cut()), then the exact one in offer() */
      if (x->partial == NULL && lower_key (x, i) > r->top.d_cut)
        continue;
      if (!excluded (x, r->e, i))
        offer (x, &r->top, i);
    }
  return NULL;
}

/* A new weighting of the same query (a slider move): the last top k of this pass are the
 * seeds instead of a pass over the upper bounds (their exact sums are known already).  Both
 * halves start from the cut of all of them, each offers the seeds in its range first. */
static void
seed_from_last (const MpContext *x, const MpExclusion *e, MpRange *half, guint split, guint k,
                SaHit **seeds)
{
  const guint32 *last;
  guint n_last = 0, n = 0;
  MpTop all = MP_TOP_INIT (NULL, k, half[0].top.scratch);

  last = sa_search_recall_mp_top (x->s, &n_last);
  if (last == NULL)
    return;
  *seeds = g_new (SaHit, MAX (n_last, 1));
  for (guint j = 0; j < n_last; j++)
    if (last[j] < x->n && !excluded (x, e, last[j]))
      (*seeds)[n++] = (SaHit){ .track = last[j], .distance = 0 };
  qsort (*seeds, n, sizeof (SaHit), compare_tracks);
  all.heap = g_new (SaHit, k);
  for (guint j = 0; j < n; j++)
    if (j == 0 || (*seeds)[j].track != (*seeds)[j - 1].track)
      offer (x, &all, (*seeds)[j].track);
  g_free (all.heap);
  for (guint h = 0; h < 2; h++)
    {
      const SaHit *b = *seeds, *end = *seeds + n;
      while (b < end && b->track < half[h].begin)
        b++;
      half[h].seeds = b;
      while (b < end && b->track < half[h].end)
        b++;
      half[h].n_seeds = (guint) (b - half[h].seeds);
      set_cut (x, &half[h].top, all.worst);
    }
}

guint
sa_search_mp_rank (SaSearch *s, const double *weights, guint k, SaHit *hits)
{
  MpContext x;
  SaExclude exclude = sa_search_get_exclude (s);
  int query = sa_search_get_query (s);
  gboolean inside = query >= 0;
  MpExclusion e = { inside ? (guint) query : G_MAXUINT };
  MpRange half[2];
  g_autofree SaHit *heaps = NULL;
  g_autofree SaHit *seeds = NULL;
  guint split, n_heap;
  GThread *t = NULL;
  float *scratch[2] = { NULL, NULL };

  context_init (&x, s, weights, TRUE);
  if (x.partial == NULL)
    for (guint h = 0; h < 2; h++)
      scratch[h] = new_scratch (&x);
  k = MIN (k, x.n - (inside ? 1 : 0));
  e.ea = inside && (exclude & SA_EXCLUDE_SAME_ARTIST) != 0;
  e.eb = inside && (exclude & SA_EXCLUDE_SAME_ALBUM) != 0;
  e.ef = inside && (exclude & SA_EXCLUDE_SAME_FILE) != 0;
  if (e.ea)
    e.ga = sa_collection_get_group (x.c, e.q, SA_FIELD_ARTIST);
  if (e.eb)
    e.gb = sa_collection_get_group (x.c, e.q, SA_FIELD_ALBUM);
  if (e.ef)
    e.gf = sa_collection_get_group (x.c, e.q, SA_FIELD_PATH);

  hits[0].track = e.q;
  hits[0].distance = inside ? track_mp (&x, e.q, track_d (&x, e.q, scratch[0]), NULL) : 0.0;
  if (k == 0)
    {
      for (guint h = 0; h < 2; h++)
        g_aligned_free (scratch[h]);
      return 1;
    }
  /* each half its own k best (every track's exact sums are its own: no two threads make the
   * same track's), then the k best of both */
  split = x.n >= MP_PARALLEL_MIN_ROWS && g_get_num_processors () > 1 ? x.n / 2 : x.n;
  heaps = g_new (SaHit, 2 * k);
  half[0] = (MpRange){ &x, &e, 0, split, MP_TOP_INIT (heaps, k, scratch[0]) };
  half[1] = (MpRange){ &x, &e, split, x.n, MP_TOP_INIT (heaps + k, k, scratch[1]) };
  if (x.partial == NULL)
    seed_from_last (&x, &e, half, split, k, &seeds);
  if (split < x.n)
    t = g_thread_try_new ("sa-search-mp", rank_range, &half[1], NULL);
  rank_range (&half[0]);
  if (t)
    g_thread_join (t);
  else if (split < x.n)
    rank_range (&half[1]);
  memmove (heaps + half[0].top.n_heap, heaps + k, half[1].top.n_heap * sizeof (SaHit));
  n_heap = half[0].top.n_heap + half[1].top.n_heap;
  qsort (heaps, n_heap, sizeof (SaHit), compare_hits);
  n_heap = MIN (n_heap, k);
  if (x.partial == NULL)
    sa_search_remember_mp_top (s, heaps, n_heap);
  /* back from the key log(MP / (1 - MP)) to MP */
  for (guint i = 0; i < n_heap; i++)
    {
      hits[1 + i].track = heaps[i].track;
      hits[1 + i].distance
          = track_mp (&x, heaps[i].track, track_d (&x, heaps[i].track, scratch[0]), NULL);
    }
  for (guint h = 0; h < 2; h++)
    g_aligned_free (scratch[h]);
  return n_heap + 1;
}
