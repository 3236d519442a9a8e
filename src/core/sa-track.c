/* sa-track.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

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
  PROP_DURATION_TEXT,
  PROP_PATH,
  PROP_DISPLAY_PATH,
  PROP_FILE_NAME,
  PROP_FOLDER,
  PROP_DISPLAY_TITLE,
  PROP_TITLE_KEY,
  PROP_TITLE_ORDER,
  PROP_ARTIST_ORDER,
  PROP_ALBUM_ORDER,
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
      case PROP_DURATION_TEXT:
        g_value_take_string (value, sa_format_duration (sa_track_get_duration (self)));
        break;
      case PROP_PATH:
        g_value_set_static_string (value, sa_track_get_path (self));
        break;
      case PROP_DISPLAY_PATH:
        g_value_take_string (value, sa_track_dup_display_path (self));
        break;
      case PROP_FILE_NAME:
        g_value_take_string (value, sa_track_dup_file_name (self));
        break;
      case PROP_FOLDER:
        g_value_take_string (value, sa_track_dup_folder (self));
        break;
      case PROP_DISPLAY_TITLE:
        g_value_take_string (value, sa_track_dup_display_title (self));
        break;
      case PROP_TITLE_KEY:
        {
          g_autofree char *title = sa_track_dup_display_title (self);
          g_value_take_string (value, sa_natural_sort_key (title));
        }
        break;
      case PROP_TITLE_ORDER:
        g_value_set_uint (
            value, sa_collection_get_natural_order (self->collection, self->index, SA_FIELD_TITLE));
        break;
      case PROP_ARTIST_ORDER:
        g_value_set_uint (value, sa_collection_get_natural_order (self->collection, self->index,
                                                                  SA_FIELD_ARTIST));
        break;
      case PROP_ALBUM_ORDER:
        g_value_set_uint (
            value, sa_collection_get_natural_order (self->collection, self->index, SA_FIELD_ALBUM));
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
  properties[PROP_DURATION_TEXT] = g_param_spec_string ("duration-text", NULL, NULL, NULL,
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
  properties[PROP_ARTIST_ORDER] = g_param_spec_uint ("artist-order", NULL, NULL, 0, G_MAXUINT, 0,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALBUM_ORDER] = g_param_spec_uint ("album-order", NULL, NULL, 0, G_MAXUINT, 0,
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
  SaTrack *self;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (index < sa_collection_get_n_tracks (collection), NULL);

  self = g_object_new (SA_TYPE_TRACK, NULL);
  self->collection = g_object_ref (collection);
  self->index = index;
  return self;
}

SaCollection *
sa_track_get_collection (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return self->collection;
}

guint
sa_track_get_index (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), 0);
  return self->index;
}

const char *
sa_track_get_artist (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_ARTIST);
}

const char *
sa_track_get_title (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_TITLE);
}

const char *
sa_track_get_album (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_ALBUM);
}

double
sa_track_get_duration (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), 0);
  return sa_collection_get_duration (self->collection, self->index);
}

gint64
sa_track_get_clip_id (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), 0);
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

const char *
sa_track_get_path (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_get_field (self->collection, self->index, SA_FIELD_PATH);
}

char *
sa_track_dup_display_path (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_dup_display_path (self->collection, self->index);
}

char *
sa_track_dup_file_name (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_dup_file_name (self->collection, self->index);
}

char *
sa_track_dup_folder (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_dup_folder (self->collection, self->index);
}

char *
sa_track_dup_display_title (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), NULL);
  return sa_collection_dup_display_title (self->collection, self->index);
}

guint
sa_track_get_title_order (SaTrack *self)
{
  g_return_val_if_fail (SA_IS_TRACK (self), 0);
  return sa_collection_get_natural_order (self->collection, self->index, SA_FIELD_TITLE);
}

/* ---- paths for people ---- */

char *
sa_collection_dup_display_path (SaCollection *collection, guint track)
{
  const char *path;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), NULL);

  path = sa_collection_get_field (collection, track, SA_FIELD_PATH);
  /* a name that is not UTF-8 is kept as a file:// URI (issue 12): show the file it names */
  if (g_str_has_prefix (path, "file://"))
    {
      g_autofree char *filename = g_filename_from_uri (path, NULL, NULL);
      if (filename)
        return g_filename_display_name (filename);
    }
  return g_utf8_make_valid (path, -1);
}

/* the path's components, split at '/' and, for the tutorial's Windows paths, '\' */
static GStrv
path_parts (SaCollection *collection, guint track)
{
  g_autofree char *display = sa_collection_dup_display_path (collection, track);
  GPtrArray *parts = g_ptr_array_new ();
  g_auto (GStrv) all = NULL;

  g_strdelimit (display, "\\", '/');
  all = g_strsplit (display, "/", -1);
  for (guint i = 0; all[i]; i++)
    if (*all[i])
      g_ptr_array_add (parts, g_strdup (all[i]));
  g_ptr_array_add (parts, NULL);
  return (GStrv) g_ptr_array_free (parts, FALSE);
}

char *
sa_collection_dup_file_name (SaCollection *collection, guint track)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), NULL);

  parts = path_parts (collection, track);
  n = g_strv_length (parts);
  return g_strdup (n ? parts[n - 1] : "");
}

char *
sa_collection_dup_folder (SaCollection *collection, guint track)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), NULL);

  parts = path_parts (collection, track);
  n = g_strv_length (parts);
  /* "D:" of "D:/song.mp3" is a drive, not a folder */
  if (n < 2 || (n == 2 && g_str_has_suffix (parts[0], ":")))
    return g_strdup ("");
  return g_strdup (parts[n - 2]);
}

char *
sa_collection_dup_display_title (SaCollection *collection, guint track)
{
  const char *title;
  char *name, *dot;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), NULL);

  title = sa_collection_get_field (collection, track, SA_FIELD_TITLE);
  if (*title)
    return g_strdup (title);
  /* untagged: the file name without its extension, as the analysis names such tracks */
  name = sa_collection_dup_file_name (collection, track);
  dot = strrchr (name, '.');
  if (dot && dot != name)
    *dot = '\0';
  return name;
}

char *
sa_natural_sort_key (const char *text)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  /* case-folded first: "saw" and "Saw" side by side even in the C locale */
  folded = g_utf8_casefold (text, -1);
  return g_utf8_collate_key_for_filename (folded, -1);
}

/* ---- natural order, computed once per collection and field ---- */

typedef struct
{
  char **keys;
} OrderSort;

static int
compare_by_key (gconstpointer a, gconstpointer b, gpointer data)
{
  const OrderSort *o = data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  int c = strcmp (o->keys[i], o->keys[j]);
  return c ? c : (i > j) - (i < j);
}

guint *
sa_collection_sort_naturally (SaCollection *collection, SaTextFunc dup_text)
{
  guint n = sa_collection_get_n_tracks (collection);
  guint *by_key = g_new (guint, MAX (n, 1));
  OrderSort o = { g_new (char *, MAX (n, 1)) };

  for (guint t = 0; t < n; t++)
    {
      g_autofree char *text = dup_text (collection, t);
      o.keys[t] = sa_natural_sort_key (text);
      by_key[t] = t;
    }
  g_qsort_with_data (by_key, (gint) n, sizeof (guint), compare_by_key, &o);
  for (guint t = 0; t < n; t++)
    g_free (o.keys[t]);
  g_free (o.keys);
  return by_key;
}

static char *
dup_artist (SaCollection *collection, guint track)
{
  return g_strdup (sa_collection_get_field (collection, track, SA_FIELD_ARTIST));
}

static char *
dup_album (SaCollection *collection, guint track)
{
  return g_strdup (sa_collection_get_field (collection, track, SA_FIELD_ALBUM));
}

static guint *
natural_order_new (SaCollection *collection, SaField field)
{
  guint n = sa_collection_get_n_tracks (collection);
  g_autofree guint *by_key = sa_collection_sort_naturally (
      collection, field == SA_FIELD_TITLE    ? sa_collection_dup_display_title
                  : field == SA_FIELD_ARTIST ? dup_artist
                                             : dup_album);
  guint *order = g_new (guint, MAX (n, 1));

  for (guint r = 0; r < n; r++)
    order[by_key[r]] = r;
  return order;
}

static GMutex order_lock;

guint
sa_collection_get_natural_order (SaCollection *collection, guint track, SaField field)
{
  static GQuark quarks[SA_N_FIELDS];
  guint *order;

  g_return_val_if_fail (SA_IS_COLLECTION (collection), 0);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), 0);
  g_return_val_if_fail (
      field == SA_FIELD_TITLE || field == SA_FIELD_ARTIST || field == SA_FIELD_ALBUM, 0);

  g_mutex_lock (&order_lock);
  if (quarks[field] == 0)
    {
      g_autofree char *name = g_strdup_printf ("sa-natural-order-%d", (int) field);
      quarks[field] = g_quark_from_string (name);
    }
  order = g_object_get_qdata (G_OBJECT (collection), quarks[field]);
  if (order == NULL)
    {
      order = natural_order_new (collection, field);
      g_object_set_qdata_full (G_OBJECT (collection), quarks[field], order, g_free);
    }
  g_mutex_unlock (&order_lock);
  return order[track];
}
