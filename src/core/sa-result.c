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
  int mark;   /* SaMarkKind, set by the window */
  char *tags; /* the track's tags, set by the window, or NULL */
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
  PROP_INDEX,
  PROP_CLIP_ID,
  PROP_PATH,
  PROP_DISPLAY_PATH,
  PROP_FILE_NAME,
  PROP_FOLDER,
  PROP_DISPLAY_TITLE,
  PROP_TITLE_KEY,
  PROP_TITLE_ORDER,
  PROP_DURATION,
  PROP_DURATION_TEXT,
  PROP_RP_SHARE,
  PROP_SSD_SHARE,
  PROP_OTHER_SHARE,
  PROP_MARK,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sa_result_finalize (GObject *object)
{
  g_clear_object (&SA_RESULT (object)->track);
  g_free (SA_RESULT (object)->tags);
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
      case PROP_RP_SHARE:
        g_value_set_double (value, sa_result_get_share (self, "rp"));
        break;
      case PROP_SSD_SHARE:
        g_value_set_double (value, sa_result_get_share (self, "ssd"));
        break;
      case PROP_OTHER_SHARE:
        g_value_set_double (value, sa_result_get_other_share (self));
        break;
      case PROP_MARK:
        g_value_set_int (value, self->mark);
        break;
      case PROP_TAGS:
        g_value_set_string (value, self->tags);
        break;
      case PROP_INDEX:
      case PROP_CLIP_ID:
      case PROP_PATH:
      case PROP_DISPLAY_PATH:
      case PROP_FILE_NAME:
      case PROP_FOLDER:
      case PROP_DISPLAY_TITLE:
      case PROP_TITLE_KEY:
      case PROP_TITLE_ORDER:
      case PROP_DURATION:
      case PROP_DURATION_TEXT:
        /* the track's property of the same name */
        g_object_get_property (G_OBJECT (self->track), g_param_spec_get_name (pspec), value);
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
  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIP_ID] = g_param_spec_int64 ("clip-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_PATH] = g_param_spec_string ("display-path", NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE_NAME] = g_param_spec_string ("file-name", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDER]
      = g_param_spec_string ("folder", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_TITLE] = g_param_spec_string ("display-title", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE_KEY] = g_param_spec_string ("title-key", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE_ORDER] = g_param_spec_uint ("title-order", NULL, NULL, 0, G_MAXUINT, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION_TEXT] = g_param_spec_string ("duration-text", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RP_SHARE] = g_param_spec_double ("rp-share", NULL, NULL, 0, 1, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SSD_SHARE] = g_param_spec_double ("ssd-share", NULL, NULL, 0, 1, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OTHER_SHARE] = g_param_spec_double ("other-share", NULL, NULL, 0, 1, 0,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MARK]
      = g_param_spec_int ("mark", NULL, NULL, 0, 2, 0,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TAGS]
      = g_param_spec_string ("tags", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
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
  SaResult *self;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), NULL);
  g_return_val_if_fail (parts != NULL || n_parts == 0, NULL);

  self = g_object_new (SA_TYPE_RESULT, NULL);
  self->track = sa_track_new (collection, track);
  self->rank = rank;
  self->distance = distance;
  self->n_parts = MIN (n_parts, SA_MAX_SETS);
  if (parts)
    for (guint i = 0; i < self->n_parts; i++)
      /* a share is 0..1; a NaN from a 0/0 upstream shows as nothing */
      self->parts[i] = parts[i] >= 0 ? MIN (parts[i], 1.0) : 0.0;
  return self;
}

void
sa_result_update (SaResult *self, guint rank, double distance, const double *parts, guint n_parts)
{
  gboolean shares = FALSE;

  g_return_if_fail (SA_IS_RESULT (self));
  g_return_if_fail (parts != NULL || n_parts == 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->rank != rank)
    {
      self->rank = rank;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANK]);
    }
  if (self->distance != distance)
    {
      self->distance = distance;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISTANCE]);
    }
  n_parts = MIN (n_parts, SA_MAX_SETS);
  for (guint i = 0; i < MAX (n_parts, self->n_parts); i++)
    {
      double part = i < n_parts && parts[i] >= 0 ? MIN (parts[i], 1.0) : 0.0;
      if (i >= self->n_parts || self->parts[i] != part)
        shares = TRUE;
      self->parts[i] = part;
    }
  shares |= self->n_parts != n_parts;
  self->n_parts = n_parts;
  if (shares)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RP_SHARE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SSD_SHARE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTHER_SHARE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

SaTrack *
sa_result_get_track (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), NULL);
  return self->track;
}

guint
sa_result_get_index (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  return sa_track_get_index (self->track);
}

guint
sa_result_get_rank (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  return self->rank;
}

double
sa_result_get_distance (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  return self->distance;
}

double
sa_result_get_part (SaResult *self, guint set)
{
  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  return set < self->n_parts ? self->parts[set] : 0.0;
}

guint
sa_result_get_n_parts (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  return self->n_parts;
}

double
sa_result_get_share (SaResult *self, const char *set_name)
{
  int set;

  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  g_return_val_if_fail (set_name != NULL, 0);

  set = sa_collection_find_set (sa_track_get_collection (self->track), set_name);
  return set >= 0 ? sa_result_get_part (self, (guint) set) : 0.0;
}

double
sa_result_get_other_share (SaResult *self)
{
  double sum = 0;
  int rp, ssd;

  g_return_val_if_fail (SA_IS_RESULT (self), 0);

  rp = sa_collection_find_set (sa_track_get_collection (self->track), "rp");
  ssd = sa_collection_find_set (sa_track_get_collection (self->track), "ssd");
  for (guint i = 0; i < self->n_parts; i++)
    if ((int) i != rp && (int) i != ssd)
      sum += self->parts[i];
  return MIN (sum, 1.0);
}

int
sa_result_get_mark (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), 0);
  return self->mark;
}

void
sa_result_set_mark (SaResult *self, int mark)
{
  g_return_if_fail (SA_IS_RESULT (self));
  if (self->mark == mark)
    return;
  self->mark = mark;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARK]);
}

const char *
sa_result_get_tags (SaResult *self)
{
  g_return_val_if_fail (SA_IS_RESULT (self), NULL);
  return self->tags;
}

void
sa_result_set_tags (SaResult *self, const char *tags)
{
  g_return_if_fail (SA_IS_RESULT (self));
  if (g_strcmp0 (self->tags, tags) == 0)
    return;
  g_free (self->tags);
  self->tags = g_strdup (tags);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}
