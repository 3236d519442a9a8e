/* sa-example.c: query by example
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sa-example.h"

struct _SaExample
{
  GObject parent_instance;
  char *path;
  char *title;
  char *artist;
  char *album;
  double duration;
  SaFeatures features;
};

G_DEFINE_FINAL_TYPE (SaExample, sa_example, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_TITLE,
  PROP_ARTIST,
  PROP_ALBUM,
  PROP_DURATION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
sa_example_finalize (GObject *object)
{
  SaExample *self = SA_EXAMPLE (object);

  g_free (self->path);
  g_free (self->title);
  g_free (self->artist);
  g_free (self->album);
  sa_features_clear (&self->features);
  G_OBJECT_CLASS (sa_example_parent_class)->finalize (object);
}

static void
sa_example_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SaExample *self = SA_EXAMPLE (object);

  switch (prop_id)
    {
      case PROP_PATH:
        g_value_set_string (value, self->path);
        break;
      case PROP_TITLE:
        g_value_set_string (value, self->title);
        break;
      case PROP_ARTIST:
        g_value_set_string (value, self->artist);
        break;
      case PROP_ALBUM:
        g_value_set_string (value, self->album);
        break;
      case PROP_DURATION:
        g_value_set_double (value, self->duration);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_example_class_init (SaExampleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_example_finalize;
  object_class->get_property = sa_example_get_property;

  props[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ARTIST]
      = g_param_spec_string ("artist", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ALBUM]
      = g_param_spec_string ("album", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
sa_example_init (SaExample *self)
{
}

/* a tag as UTF-8, "" when missing */
static char *
tag_text (const char *tag)
{
  return tag ? g_utf8_make_valid (tag, -1) : g_strdup ("");
}

SaExample *
sa_example_analyze (const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr (SaExample) self = NULL;
  g_autoptr (SaAudio) audio = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SA_TYPE_EXAMPLE, NULL);
  if (!sa_extract_file (path, NULL, NULL, FALSE, &self->features, &audio, cancellable, error))
    return NULL;
  self->path = g_strdup (path);
  if (audio->title && *audio->title)
    self->title = tag_text (audio->title);
  else
    self->title = g_filename_display_basename (path);
  self->artist = tag_text (audio->artist);
  self->album = tag_text (audio->album);
  self->duration = (double) audio->n_samples / SA_SAMPLE_RATE;
  return g_steal_pointer (&self);
}

static void
example_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  SaExample *example = sa_example_analyze (task_data, cancellable, &error);

  if (example)
    g_task_return_pointer (task, example, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sa_example_analyze_async (const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_example_analyze_async);
  g_task_set_name (task, "[soundalike] query by example");
  g_task_set_task_data (task, g_strdup (path), g_free);
  /* an example analysed after it was cancelled is of no use: report the cancellation */
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, example_thread);
}

SaExample *
sa_example_analyze_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sa_example_analyze_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sa_example_get_path (SaExample *self)
{
  g_return_val_if_fail (SA_IS_EXAMPLE (self), NULL);
  return self->path;
}

const char *
sa_example_get_title (SaExample *self)
{
  g_return_val_if_fail (SA_IS_EXAMPLE (self), NULL);
  return self->title;
}

const char *
sa_example_get_artist (SaExample *self)
{
  g_return_val_if_fail (SA_IS_EXAMPLE (self), NULL);
  return self->artist;
}

const char *
sa_example_get_album (SaExample *self)
{
  g_return_val_if_fail (SA_IS_EXAMPLE (self), NULL);
  return self->album;
}

double
sa_example_get_duration (SaExample *self)
{
  g_return_val_if_fail (SA_IS_EXAMPLE (self), 0);
  return self->duration;
}

const SaFeatures *
sa_example_get_features (SaExample *self)
{
  g_return_val_if_fail (SA_IS_EXAMPLE (self), NULL);
  return &self->features;
}

float *
sa_example_make_row (SaExample *self, SaCollection *collection)
{
  guint stride;
  const double *mean;
  float *row;

  g_return_val_if_fail (SA_IS_EXAMPLE (self), NULL);
  g_return_val_if_fail (SA_IS_COLLECTION (collection), NULL);

  stride = sa_collection_get_stride (collection);
  mean = sa_collection_get_mean (collection);
  row = g_aligned_alloc0 (stride, sizeof (float), 64);
  for (guint si = 0; si < sa_collection_get_n_sets (collection); si++)
    {
      const SaFeatureSet *set = sa_collection_get_set (collection, si);
      gboolean rp = g_str_equal (set->name, "rp") && set->length == SA_RP_LENGTH;
      gboolean ssd = g_str_equal (set->name, "ssd") && set->length == SA_SSD_LENGTH;
      for (guint j = 0; j < set->length; j++)
        /* in the collection's stored units (a column may be rescaled) */
        row[set->offset + j]
            = rp    ? sa_collection_to_stored (collection, set->offset + j, self->features.rp[j])
              : ssd ? sa_collection_to_stored (collection, set->offset + j, self->features.ssd[j])
                    : (float) mean[set->offset + j];
    }
  return row;
}
