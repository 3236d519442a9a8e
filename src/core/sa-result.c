/* sa-result.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sa-result.h"

struct _SaResult
{
  GObject parent_instance;
  SaTrack *track;
  guint rank;
  double distance;
  double parts[SA_MAX_SETS];
  guint n_parts;
};

G_DEFINE_FINAL_TYPE (SaResult, sa_result, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TRACK,
  PROP_RANK,
  PROP_DISTANCE,
  PROP_ARTIST,
  PROP_TITLE,
  PROP_ALBUM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sa_result_finalize (GObject *object)
{
  g_clear_object (&SA_RESULT (object)->track);
  G_OBJECT_CLASS (sa_result_parent_class)->finalize (object);
}

static void
sa_result_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SaResult *self = SA_RESULT (object);

  switch (prop_id)
    {
      case PROP_TRACK:
        g_value_set_object (value, self->track);
        break;
      case PROP_RANK:
        g_value_set_uint (value, self->rank);
        break;
      case PROP_DISTANCE:
        g_value_set_double (value, self->distance);
        break;
      case PROP_ARTIST:
        g_value_set_static_string (value, sa_track_get_artist (self->track));
        break;
      case PROP_TITLE:
        g_value_set_static_string (value, sa_track_get_title (self->track));
        break;
      case PROP_ALBUM:
        g_value_set_static_string (value, sa_track_get_album (self->track));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_result_class_init (SaResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_result_finalize;
  object_class->get_property = sa_result_get_property;
  properties[PROP_TRACK] = g_param_spec_object ("track", NULL, NULL, SA_TYPE_TRACK,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RANK] = g_param_spec_uint ("rank", NULL, NULL, 0, G_MAXUINT, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISTANCE] = g_param_spec_double ("distance", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ARTIST]
      = g_param_spec_string ("artist", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALBUM]
      = g_param_spec_string ("album", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sa_result_init (SaResult *self)
{
}

SaResult *
sa_result_new (SaCollection *collection, guint track, guint rank, double distance,
               const double *parts, guint n_parts)
{
  SaResult *self = g_object_new (SA_TYPE_RESULT, NULL);

  self->track = sa_track_new (collection, track);
  self->rank = rank;
  self->distance = distance;
  self->n_parts = MIN (n_parts, SA_MAX_SETS);
  if (parts)
    for (guint i = 0; i < self->n_parts; i++)
      self->parts[i] = parts[i];
  return self;
}

SaTrack *
sa_result_get_track (SaResult *self)
{
  return self->track;
}

guint
sa_result_get_index (SaResult *self)
{
  return sa_track_get_index (self->track);
}

guint
sa_result_get_rank (SaResult *self)
{
  return self->rank;
}

double
sa_result_get_distance (SaResult *self)
{
  return self->distance;
}

double
sa_result_get_part (SaResult *self, guint set)
{
  return set < self->n_parts ? self->parts[set] : 0.0;
}
