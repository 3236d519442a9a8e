/* sa-suggest.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "sa-error.h"
#include "sa-moments.h"
#include "sa-rng.h"
#include "sa-suggest.h"

typedef struct
{
  double angle;
  int delta;   /* +1: the pair holds from here on; -1: it stops holding */
  guint query; /* the ordinal of the pair's query */
} Event;

static int
compare_events (gconstpointer a, gconstpointer b)
{
  const Event *x = a, *y = b;
  return x->angle < y->angle ? -1 : x->angle > y->angle;
}

/* pairs: n x ns coefficients delta; a pair holds when sum_s w_s delta_s < 0 */
static gboolean
pair_holds (const double *delta, guint p, guint ns, const double *w)
{
  double acc = 0;
  for (guint s = 0; s < ns; s++)
    acc += w[s] * delta[(gsize) p * ns + s];
  return acc < 0;
}

static guint
count_satisfied (const double *delta, guint n, guint ns, const double *w)
{
  guint count = 0;

  for (guint p = 0; p < n; p++)
    count += pair_holds (delta, p, ns, w);
  return count;
}

static double
scale_of (const double *w, guint ns)
{
  double m = 0;
  for (guint s = 0; s < ns; s++)
    m = MAX (m, w[s]);
  return m;
}

/* How many standard errors a count must beat the current weights' count by. */
#define SIGNIFICANT_Z 2.0

/* The two-set sweep.  Every open interval (prev, next) of angles between consecutive
 * events has a count of pairs in order, in all and per query.  A count differs from
 * the current weights' count by a sum over the queries of per-query differences; a
 * query's pairs share its marks, so the queries, not the pairs, are the independent
 * samples, and the standard error of that sum is sqrt (Q) times the deviation of the
 * per-query differences.  Only an interval that beats the current count by more than
 * SIGNIFICANT_Z of those errors (a one-sided test at 2.3 % for one interval; the many
 * intervals tested are not corrected for) may be suggested: the best of them, nearest
 * the current angle among equals, at its middle.  When none does, the marks cannot
 * tell the weights apart from the current ones, and those stay. */
static void
sweep_two (const double *delta, const guint *query_of, guint n, guint n_queries,
           const double *current, double *best_angle)
{
  g_autoptr (GArray) events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_autofree int *count_q = g_new0 (int, MAX (n_queries, 1));
  g_autofree int *cur_q = g_new0 (int, MAX (n_queries, 1));
  double current_angle = atan2 (current[1], current[0]);
  double prev = 0, best_dist = INFINITY, sum = 0, sum2 = 0;
  guint count = 0, cur_count = 0, best = 0;

  for (guint p = 0; p < n; p++)
    {
      double a = delta[2 * p], b = delta[2 * p + 1];
      guint q = query_of[p];
      if (pair_holds (delta, p, 2, current))
        cur_q[q]++, cur_count++;
      /* at angle 0+ (weights (1, 0+)): a cos t + b sin t < 0 */
      if (a != 0 && b != 0 && (a > 0) != (b > 0))
        {
          /* changes sign at atan(-a / b) inside (0, pi/2) */
          Event e = { atan (-a / b), a < 0 ? -1 : +1, q };
          g_array_append_val (events, e);
          if (a < 0)
            count_q[q]++, count++;
        }
      else if (a <= 0 && b <= 0 && (a < 0 || b < 0)) /* the same all the way */
        count_q[q]++, count++;
    }
  g_array_sort (events, compare_events);
  for (guint q = 0; q < n_queries; q++)
    {
      double d = count_q[q] - cur_q[q];
      sum += d;
      sum2 += d * d;
    }
  *best_angle = current_angle;
  for (guint i = 0; i <= events->len; i++)
    {
      double next = i < events->len ? g_array_index (events, Event, i).angle : G_PI_2;
      if (next > prev || i == events->len)
        {
          /* the open interval (prev, next) */
          double var = MAX (0.0, sum2 / n_queries - (sum / n_queries) * (sum / n_queries));
          double dist = current_angle < prev   ? prev - current_angle
                        : current_angle > next ? current_angle - next
                                               : 0;
          if (count > cur_count && count - cur_count > SIGNIFICANT_Z * sqrt (n_queries * var)
              && (count > best || (count == best && dist < best_dist)))
            {
              best = count;
              best_dist = dist;
              *best_angle = 0.5 * (prev + next);
            }
        }
      if (i < events->len)
        {
          const Event *e = &g_array_index (events, Event, i);
          double d = count_q[e->query] - cur_q[e->query];
          sum += e->delta;
          sum2 += (d + e->delta) * (d + e->delta) - d * d;
          count_q[e->query] += e->delta;
          count += e->delta;
          prev = e->angle;
        }
    }
}

static void
search_many (const double *delta, guint n, guint ns, const double *current, double *best_w)
{
  SaRng rng = { 0x53554747ull };
  double w[SA_MAX_SETS];
  guint best;

  memcpy (best_w, current, ns * sizeof (double));
  best = count_satisfied (delta, n, ns, best_w);
  for (guint restart = 0; restart < 8; restart++)
    {
      guint here;
      if (restart == 0)
        memcpy (w, current, ns * sizeof (double));
      else
        for (guint s = 0; s < ns; s++)
          w[s] = sa_rng_uniform (&rng);
      here = count_satisfied (delta, n, ns, w);
      for (double step = 2.0; step > 1.01; step = sqrt (step))
        for (gboolean improved = TRUE; improved;)
          {
            improved = FALSE;
            for (guint s = 0; s < ns; s++)
              {
                const double factors[] = { step, 1 / step, 0 };
                for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
                  {
                    double old = w[s], c;
                    w[s] = old > 0 ? old * factors[f] : factors[f] > 0 ? 0.05 : 0;
                    c = count_satisfied (delta, n, ns, w);
                    if (c > here && scale_of (w, ns) > 0)
                      {
                        here = c;
                        improved = TRUE;
                      }
                    else
                      w[s] = old;
                  }
              }
          }
      if (here > best)
        {
          best = here;
          memcpy (best_w, w, ns * sizeof (double));
        }
    }
}

gboolean
sa_suggest_weights (SaCollection *c, SaMarks *marks, SaMetric metric, gboolean standardize,
                    gboolean set_scaling, const double *current, SaSuggestion *out, GError **error)
{
  guint ns = sa_collection_get_n_sets (c), n_marks = sa_marks_get_n (marks);
  g_autoptr (SaSearch) s = NULL;
  g_autoptr (GArray) delta = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) query_of = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_queries = 0;
  g_autoptr (GHashTable) done = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *queries = g_new (gint64, MAX (n_marks, 1));
  double len[SA_MAX_SETS], cur_scale;

  memset (out, 0, sizeof *out);
  memcpy (out->weights, current, ns * sizeof (double));
  if (!sa_moments_supports_metric (metric))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("Suggested weights need the euclidean or manhattan metric, not %s"),
                   sa_metric_to_string (metric));
      return FALSE;
    }
  for (guint si = 0; si < ns; si++)
    len[si] = set_scaling ? sa_collection_get_set (c, si)->length : 1;

  s = sa_search_new (c);
  sa_search_set_metric (s, metric);
  sa_search_set_standardize (s, standardize);
  for (guint i = 0; i < n_marks; i++)
    {
      gint64 q, r;
      SaMarkKind k;
      int qt;
      const double *partial;
      g_autoptr (GArray) good = NULL, bad = NULL;

      sa_marks_get_nth (marks, i, &q, &r, &k);
      qt = sa_collection_find_clip_id (c, q);
      if (qt < 0 || sa_collection_find_clip_id (c, r) < 0)
        {
          out->n_marks_unknown++;
          continue;
        }
      queries[i] = q;
      if (g_hash_table_contains (done, &queries[i]))
        continue;
      g_hash_table_add (done, &queries[i]);
      good = g_array_new (FALSE, FALSE, sizeof (guint));
      bad = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint j = i; j < n_marks; j++)
        {
          gint64 q2, r2;
          SaMarkKind k2;
          int rt;
          sa_marks_get_nth (marks, j, &q2, &r2, &k2);
          rt = sa_collection_find_clip_id (c, r2);
          if (q2 != q || rt < 0 || rt == qt)
            continue;
          g_array_append_val (k2 == SA_MARK_GOOD ? good : bad, rt);
        }
      if (good->len == 0 || bad->len == 0)
        continue;
      sa_search_set_query (s, (guint) qt);
      partial = sa_search_get_partials (s);
      for (guint g = 0; g < good->len; g++)
        for (guint b = 0; b < bad->len; b++)
          {
            guint tg = g_array_index (good, guint, g), tb = g_array_index (bad, guint, b);
            for (guint si = 0; si < ns; si++)
              {
                double d
                    = (partial[(gsize) tg * ns + si] - partial[(gsize) tb * ns + si]) / len[si];
                g_array_append_val (delta, d);
              }
            g_array_append_val (query_of, n_queries);
            out->n_pairs++;
          }
      n_queries++;
    }
  out->n_satisfied_current
      = count_satisfied ((const double *) delta->data, out->n_pairs, ns, current);
  out->n_satisfied = out->n_satisfied_current;
  if (out->n_pairs == 0)
    return TRUE;

  cur_scale = scale_of (current, ns);
  if (cur_scale <= 0)
    cur_scale = 1;
  if (ns == 2)
    {
      double angle;
      sweep_two ((const double *) delta->data, (const guint *) query_of->data, out->n_pairs,
                 n_queries, current, &angle);
      if (angle != atan2 (current[1], current[0]))
        {
          out->weights[0] = cos (angle);
          out->weights[1] = sin (angle);
        }
    }
  else if (ns == 1)
    out->weights[0] = current[0];
  else
    search_many ((const double *) delta->data, out->n_pairs, ns, current, out->weights);
  /* a suggestion scaled so that its largest weight is the current largest; the current
   * weights, when kept, stay exactly as they are ((w c) / c need not be w) */
  if (memcmp (out->weights, current, ns * sizeof (double)) != 0)
    {
      double sc = scale_of (out->weights, ns);
      for (guint si = 0; si < ns; si++)
        out->weights[si] = sc > 0 ? out->weights[si] * cur_scale / sc : current[si];
    }
  out->n_satisfied = count_satisfied ((const double *) delta->data, out->n_pairs, ns, out->weights);
  if (out->n_satisfied < out->n_satisfied_current)
    {
      /* never worse than where the user is */
      memcpy (out->weights, current, ns * sizeof (double));
      out->n_satisfied = out->n_satisfied_current;
    }
  return TRUE;
}
