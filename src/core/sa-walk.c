/* sa-walk.c: Back/Forward over queries, and the similarity radio
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sa-result.h"
#include "sa-walk.h"

typedef struct
{
  int track;
  GObject *example;
} Entry;

struct _SaWalk
{
  GObject parent_instance;
  GArray *entries; /* Entry */
  guint position;
  gboolean radio;
  GHashTable *played; /* track + 1, while the radio is on */
};

G_DEFINE_FINAL_TYPE (SaWalk, sa_walk, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TRACK,
  PROP_EXAMPLE,
  PROP_LENGTH,
  PROP_POSITION,
  PROP_CAN_GO_BACK,
  PROP_CAN_GO_FORWARD,
  PROP_RADIO,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
entry_clear (Entry *e)
{
  g_clear_object (&e->example);
}

static void
sa_walk_finalize (GObject *object)
{
  SaWalk *self = SA_WALK (object);

  g_array_unref (self->entries);
  g_clear_pointer (&self->played, g_hash_table_unref);
  G_OBJECT_CLASS (sa_walk_parent_class)->finalize (object);
}

static void
sa_walk_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SaWalk *self = SA_WALK (object);

  switch (prop_id)
    {
      case PROP_TRACK:
        g_value_set_int (value, sa_walk_get_track (self));
        break;
      case PROP_EXAMPLE:
        g_value_set_object (value, sa_walk_get_example (self));
        break;
      case PROP_LENGTH:
        g_value_set_uint (value, self->entries->len);
        break;
      case PROP_POSITION:
        g_value_set_uint (value, self->position);
        break;
      case PROP_CAN_GO_BACK:
        g_value_set_boolean (value, sa_walk_can_go_back (self));
        break;
      case PROP_CAN_GO_FORWARD:
        g_value_set_boolean (value, sa_walk_can_go_forward (self));
        break;
      case PROP_RADIO:
        g_value_set_boolean (value, self->radio);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_walk_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_RADIO:
        sa_walk_set_radio (SA_WALK (object), g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_walk_class_init (SaWalkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sa_walk_finalize;
  object_class->get_property = sa_walk_get_property;
  object_class->set_property = sa_walk_set_property;

  props[PROP_TRACK] = g_param_spec_int ("track", NULL, NULL, -1, G_MAXINT, -1, ro);
  props[PROP_EXAMPLE] = g_param_spec_object ("example", NULL, NULL, G_TYPE_OBJECT, ro);
  props[PROP_LENGTH] = g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, ro);
  props[PROP_CAN_GO_FORWARD] = g_param_spec_boolean ("can-go-forward", NULL, NULL, FALSE, ro);
  props[PROP_RADIO]
      = g_param_spec_boolean ("radio", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
sa_walk_init (SaWalk *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
}

SaWalk *
sa_walk_new (void)
{
  return g_object_new (SA_TYPE_WALK, NULL);
}

static const Entry *
current (SaWalk *self)
{
  return self->entries->len ? &g_array_index (self->entries, Entry, self->position) : NULL;
}

/* after any change of the history: one notification per property */
static void
notify_moved (SaWalk *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRACK]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXAMPLE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LENGTH]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POSITION]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_GO_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_GO_FORWARD]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
sa_walk_push (SaWalk *self, int track, GObject *example)
{
  Entry e;

  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  g_return_val_if_fail ((track >= 0) == (example == NULL), FALSE);
  g_return_val_if_fail (example == NULL || G_IS_OBJECT (example), FALSE);

  if (example == NULL && track == sa_walk_get_track (self))
    return FALSE;
  if (self->entries->len > 0)
    g_array_set_size (self->entries, self->position + 1);
  e.track = track;
  e.example = example ? g_object_ref (example) : NULL;
  g_array_append_val (self->entries, e);
  self->position = self->entries->len - 1;
  notify_moved (self);
  return TRUE;
}

static gboolean
step (SaWalk *self, int delta)
{
  if (delta < 0 ? !sa_walk_can_go_back (self) : !sa_walk_can_go_forward (self))
    return FALSE;
  self->position += delta;
  notify_moved (self);
  return TRUE;
}

gboolean
sa_walk_back (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return step (self, -1);
}

gboolean
sa_walk_forward (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return step (self, +1);
}

gboolean
sa_walk_can_go_back (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return self->entries->len > 0 && self->position > 0;
}

gboolean
sa_walk_can_go_forward (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return self->entries->len > 0 && self->position + 1 < self->entries->len;
}

void
sa_walk_clear (SaWalk *self)
{
  g_return_if_fail (SA_IS_WALK (self));

  g_array_set_size (self->entries, 0);
  self->position = 0;
  if (self->played)
    g_hash_table_remove_all (self->played);
  notify_moved (self);
}

int
sa_walk_get_track (SaWalk *self)
{
  const Entry *e;

  g_return_val_if_fail (SA_IS_WALK (self), -1);
  e = current (self);
  return e ? e->track : -1;
}

GObject *
sa_walk_get_example (SaWalk *self)
{
  const Entry *e;

  g_return_val_if_fail (SA_IS_WALK (self), NULL);
  e = current (self);
  return e ? e->example : NULL;
}

gboolean
sa_walk_has_query (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return self->entries->len > 0;
}

guint
sa_walk_get_length (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), 0);
  return self->entries->len;
}

guint
sa_walk_get_position (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), 0);
  return self->position;
}

void
sa_walk_set_radio (SaWalk *self, gboolean radio)
{
  int track;

  g_return_if_fail (SA_IS_WALK (self));

  radio = !!radio;
  if (radio == self->radio)
    return;
  self->radio = radio;
  /* a new radio walk: only the query counts as played */
  g_clear_pointer (&self->played, g_hash_table_unref);
  if (radio)
    {
      self->played = g_hash_table_new (NULL, NULL);
      track = sa_walk_get_track (self);
      if (track >= 0)
        sa_walk_mark_played (self, (guint) track);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RADIO]);
}

gboolean
sa_walk_get_radio (SaWalk *self)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return self->radio;
}

void
sa_walk_mark_played (SaWalk *self, guint track)
{
  g_return_if_fail (SA_IS_WALK (self));
  g_return_if_fail (track < G_MAXUINT);

  if (self->played)
    g_hash_table_add (self->played, GUINT_TO_POINTER (track + 1));
}

gboolean
sa_walk_was_played (SaWalk *self, guint track)
{
  g_return_val_if_fail (SA_IS_WALK (self), FALSE);
  return self->played && track < G_MAXUINT
         && g_hash_table_contains (self->played, GUINT_TO_POINTER (track + 1));
}

int
sa_walk_next_unplayed (SaWalk *self, GListModel *results)
{
  guint n;

  g_return_val_if_fail (SA_IS_WALK (self), -1);
  g_return_val_if_fail (G_IS_LIST_MODEL (results), -1);

  if (!self->radio)
    return -1;
  n = g_list_model_get_n_items (results);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (SaResult) r = g_list_model_get_item (results, i);
      guint track = sa_result_get_index (r);
      if (!sa_walk_was_played (self, track))
        return (int) track;
    }
  return -1;
}

int
sa_walk_radio_advance (SaWalk *self, GListModel *results)
{
  int track;

  g_return_val_if_fail (SA_IS_WALK (self), -1);
  g_return_val_if_fail (G_IS_LIST_MODEL (results), -1);

  track = sa_walk_next_unplayed (self, results);
  if (track >= 0)
    {
      sa_walk_push (self, track, NULL);
      sa_walk_mark_played (self, (guint) track);
    }
  return track;
}
