/* sa-rng.h: a small deterministic random generator (splitmix64)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Steele, Lea and Flood's splitmix64: the same numbers on every machine, for synthetic
 * data that must be the same bytes every time (the demo collection, benchmarks).
 */
#pragma once

#include <glib.h>

typedef struct
{
  guint64 state;
} SaRng;

static inline guint64
sa_rng_next (SaRng *rng)
{
  guint64 z = (rng->state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* uniform in [0, 1): the top 53 bits */
static inline double
sa_rng_uniform (SaRng *rng)
{
  return (double) (sa_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}
