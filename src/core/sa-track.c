/* sa-track.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sa-track.h"

struct _SaTrack
{
  GObject parent_instance;
  SaCollection *collection;
  guint index;
};

G_DEFINE_FINAL_TYPE (SaTrack, sa_track, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_INDEX,
  PROP_ARTIST,
  PROP_TITLE,
  PROP_ALBUM,
  PROP_DURATION,
  PROP_CLIP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sa_track_finalize (GObject *object)
{
  g_clear_object (&SA_TRACK (object)->collection);
  G_OBJECT_CLASS (sa_track_parent_class)->finalize (object);
}

static void
sa_track_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SaTrack *self = SA_TRACK (object);

  switch (prop_id)
    {
      case PROP_INDEX:
        g_value_set_uint (value, self->index);
        break;
      case PROP_ARTIST:
        g_value_set_static_string (value, sa_track_get_artist (self));
        break;
      case PROP_TITLE:
        g_value_set_static_string (value, sa_track_get_title (self));
        break;
      case PROP_ALBUM:
        g_value_set_static_string (value, sa_track_get_album (self));
        break;
      case PROP_DURATION:
        g_value_set_double (value, sa_track_get_duration (self));
        break;
      case PROP_CLIP_ID:
        g_value_set_int64 (value, sa_track_get_clip_id (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_track_class_init (SaTrackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_track_finalize;
  object_class->get_property = sa_track_get_property;
  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ARTIST]
      = g_param_spec_string ("artist", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALBUM]
      = g_param_spec_string ("album", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIP_ID] = g_param_spec_int64 ("clip-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sa_track_init (SaTrack *self)
{
}

SaTrack *
sa_track_new (SaCollection *collection, guint index)
{
  SaTrack *self = g_object_new (SA_TYPE_TRACK, NULL);
  self->collection = g_object_ref (collection);
  self->index = index;
  return self;
}

SaCollection *
sa_track_get_collection (SaTrack *self)
{
  return self->collection;
}

guint
sa_track_get_index (SaTrack *self)
{
  return self->index;
}

const char *
sa_track_get_artist (SaTrack *self)
{
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_ARTIST);
}

const char *
sa_track_get_title (SaTrack *self)
{
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_TITLE);
}

const char *
sa_track_get_album (SaTrack *self)
{
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_ALBUM);
}

double
sa_track_get_duration (SaTrack *self)
{
  return sa_collection_get_duration (self->collection, self->index);
}

gint64
sa_track_get_clip_id (SaTrack *self)
{
  return sa_collection_get_clip_id (self->collection, self->index);
}

char *
sa_format_duration (double seconds)
{
  guint s;

  if (!(seconds > 0))
    return g_strdup ("");
  s = (guint) floor (seconds + 0.5);
  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}
