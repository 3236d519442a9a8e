/* sa-player.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "sa-player.h"

GST_DEBUG_CATEGORY_STATIC (sa_player_debug);
#define GST_CAT_DEFAULT sa_player_debug

#define PLAY_FLAG_AUDIO (1 << 1)

struct _SaPlayer
{
  GObject parent_instance;

  GstElement *playbin;
  GstBus *bus;
  guint bus_watch;
  guint tick;

  char *path;
  int tag;
  double clip_start, clip_end; /* seconds in the file; end 0: to the end */
  double pending_offset;       /* a seek asked for before preroll, or -1 */
  gboolean want_playing;
  gboolean playing;
  gboolean warned_no_device;
  double duration;
};

G_DEFINE_FINAL_TYPE (SaPlayer, sa_player, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  PROP_TAG,
  N_PROPS
};

enum
{
  SIGNAL_ERROR,
  SIGNAL_WARNING,
  SIGNAL_EOS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_playing (SaPlayer *self, gboolean playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static gboolean
on_tick (gpointer user_data)
{
  g_object_notify_by_pspec (G_OBJECT (user_data), properties[PROP_POSITION]);
  return G_SOURCE_CONTINUE;
}

static void
stop_tick (SaPlayer *self)
{
  g_clear_handle_id (&self->tick, g_source_remove);
}

static void
apply_pending_seek (SaPlayer *self)
{
  gint64 start, stop;

  if (self->pending_offset < 0)
    return;
  start = (gint64) ((self->clip_start + self->pending_offset) * GST_SECOND);
  stop = self->clip_end > 0 ? (gint64) (self->clip_end * GST_SECOND) : -1;
  self->pending_offset = -1;
  gst_element_seek (self->playbin, 1.0, GST_FORMAT_TIME,
                    GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, start,
                    stop >= 0 ? GST_SEEK_TYPE_SET : GST_SEEK_TYPE_NONE, stop);
}

static void
check_audio_device (SaPlayer *self)
{
  g_autoptr (GstElement) sink = NULL;

  if (self->warned_no_device)
    return;
  g_object_get (self->playbin, "audio-sink", &sink, NULL);
  if (sink && GST_IS_BIN (sink))
    {
      /* autoaudiosink falls back to a fakesink when no device works */
      g_autoptr (GstIterator) it = gst_bin_iterate_sinks (GST_BIN (sink));
      GValue item = G_VALUE_INIT;
      gboolean only_fake = FALSE;
      while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
        {
          GstElement *child = g_value_get_object (&item);
          GstElementFactory *factory = gst_element_get_factory (child);
          only_fake = factory && g_str_equal (GST_OBJECT_NAME (factory), "fakesink");
          g_value_reset (&item);
        }
      g_value_unset (&item);
      if (only_fake)
        {
          self->warned_no_device = TRUE;
          g_signal_emit (self, signals[SIGNAL_WARNING], 0,
                         _ ("No audio output device was found: playback is silent"));
        }
    }
}

static void
handle_state_changed (SaPlayer *self, GstMessage *msg)
{
  GstState old, state, pending;

  if (GST_MESSAGE_SRC (msg) != GST_OBJECT (self->playbin))
    return;
  gst_message_parse_state_changed (msg, &old, &state, &pending);
  if (state == GST_STATE_PLAYING)
    {
      if (self->tick == 0)
        self->tick = g_timeout_add (100, on_tick, self);
      check_audio_device (self);
      set_playing (self, TRUE);
    }
  else
    {
      stop_tick (self);
      set_playing (self, FALSE);
    }
}

static void
handle_async_done (SaPlayer *self, GstMessage *msg)
{
  gint64 dur;

  if (self->pending_offset >= 0)
    {
      apply_pending_seek (self); /* another async-done follows the flush */
      return;
    }
  if (self->clip_end > 0)
    self->duration = self->clip_end - self->clip_start;
  else if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &dur) && dur > 0)
    self->duration = (double) dur / GST_SECOND - self->clip_start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  if (self->want_playing)
    gst_element_set_state (self->playbin, GST_STATE_PLAYING);
}

static void
handle_error (SaPlayer *self, GstMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = self->path ? g_path_get_basename (self->path) : g_strdup ("?");

  gst_message_parse_error (msg, &error, &debug);
  GST_WARNING_OBJECT (self->playbin, "%s (%s)", error->message, debug ? debug : "");
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->playbin), GST_DEBUG_GRAPH_SHOW_ALL,
                                     "soundalike-error");
  /* READY: every element stops processing buffers */
  gst_element_set_state (self->playbin, GST_STATE_READY);
  stop_tick (self);
  self->want_playing = FALSE;
  self->pending_offset = -1;
  set_playing (self, FALSE);
  text = g_strdup_printf (_ ("Cannot play “%s”: %s"), name, error->message);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, text);
}

static void
handle_eos (SaPlayer *self, GstMessage *msg)
{
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  self->want_playing = FALSE;
  stop_tick (self);
  set_playing (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_EOS], 0);
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  SaPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (msg))
    {
      case GST_MESSAGE_STATE_CHANGED:
        handle_state_changed (self, msg);
        break;
      case GST_MESSAGE_ASYNC_DONE:
        handle_async_done (self, msg);
        break;
      case GST_MESSAGE_ERROR:
        handle_error (self, msg);
        break;
      case GST_MESSAGE_EOS:
        handle_eos (self, msg);
        break;
      default:
        break;
    }
  return G_SOURCE_CONTINUE;
}

static void
sa_player_dispose (GObject *object)
{
  SaPlayer *self = SA_PLAYER (object);

  stop_tick (self);
  if (self->playbin)
    {
      g_clear_handle_id (&self->bus_watch, g_source_remove);
      gst_bus_set_flushing (self->bus, TRUE);
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      gst_clear_object (&self->bus);
      gst_clear_object (&self->playbin);
    }
  G_OBJECT_CLASS (sa_player_parent_class)->dispose (object);
}

static void
sa_player_finalize (GObject *object)
{
  g_free (SA_PLAYER (object)->path);
  G_OBJECT_CLASS (sa_player_parent_class)->finalize (object);
}

static void
sa_player_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SaPlayer *self = SA_PLAYER (object);

  switch (prop_id)
    {
      case PROP_PLAYING:
        g_value_set_boolean (value, self->playing);
        break;
      case PROP_POSITION:
        g_value_set_double (value, sa_player_get_position (self));
        break;
      case PROP_DURATION:
        g_value_set_double (value, self->duration);
        break;
      case PROP_TAG:
        g_value_set_int (value, self->tag);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_player_class_init (SaPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sa_player_dispose;
  object_class->finalize = sa_player_finalize;
  object_class->get_property = sa_player_get_property;

  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] = g_param_spec_double ("position", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TAG] = g_param_spec_int ("tag", NULL, NULL, -1, G_MAXINT, -1,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_WARNING] = g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_EOS] = g_signal_new ("eos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                      NULL, NULL, G_TYPE_NONE, 0);
  GST_DEBUG_CATEGORY_INIT (sa_player_debug, "soundalike-player", 0, "Soundalike playback");
}

static void
sa_player_init (SaPlayer *self)
{
  const char *sink_name = g_getenv ("SOUNDALIKE_AUDIO_SINK");
  GstElement *audio_sink;

  self->tag = -1;
  self->pending_offset = -1;
  self->playbin = gst_element_factory_make ("playbin", "soundalike-player");
  if (self->playbin == NULL)
    return;
  gst_object_ref_sink (self->playbin);
  /* an explicit sink (tests use fakesink); by default autoaudiosink, inspected for a device */
  audio_sink
      = gst_element_factory_make (sink_name && *sink_name ? sink_name : "autoaudiosink", NULL);
  if (audio_sink && sink_name && g_str_equal (sink_name, "fakesink"))
    g_object_set (audio_sink, "sync", TRUE, NULL);
  g_object_set (self->playbin, "flags", PLAY_FLAG_AUDIO, NULL);
  if (audio_sink)
    g_object_set (self->playbin, "audio-sink", audio_sink, NULL);
  self->bus = gst_element_get_bus (self->playbin);
  self->bus_watch = gst_bus_add_watch (self->bus, on_bus_message, self);
}

SaPlayer *
sa_player_new (void)
{
  return g_object_new (SA_TYPE_PLAYER, NULL);
}

void
sa_player_play (SaPlayer *self, const char *path, double clip_start, double clip_end, double offset,
                int tag)
{
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SA_IS_PLAYER (self));
  if (self->playbin == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0,
                     _ ("Cannot play: GStreamer's playbin is not installed"));
      return;
    }
  gst_element_set_state (self->playbin, GST_STATE_READY);
  g_free (self->path);
  self->path = g_strdup (path);
  self->tag = tag;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAG]);
  self->clip_start = MAX (clip_start, 0);
  self->clip_end = clip_end > clip_start ? clip_end : 0;
  self->duration = self->clip_end > 0 ? self->clip_end - self->clip_start : 0;
  self->pending_offset
      = self->clip_start > 0 || self->clip_end > 0 || offset > 0 ? MAX (offset, 0) : -1;
  self->want_playing = TRUE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *text = g_strdup_printf (_ ("Cannot play “%s”: the file is missing"), name);
      self->want_playing = FALSE;
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, text);
      return;
    }
  uri = gst_filename_to_uri (path, &error);
  if (uri == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
      return;
    }
  g_object_set (self->playbin, "uri", uri, NULL);
  /* PAUSED first: the clip's start and stop are applied at preroll, then PLAYING */
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
}

void
sa_player_set_paused (SaPlayer *self, gboolean paused)
{
  g_return_if_fail (SA_IS_PLAYER (self));

  if (self->playbin == NULL || self->path == NULL)
    return;
  self->want_playing = !paused;
  gst_element_set_state (self->playbin, paused ? GST_STATE_PAUSED : GST_STATE_PLAYING);
}

void
sa_player_toggle (SaPlayer *self)
{
  GstState state = GST_STATE_NULL;

  g_return_if_fail (SA_IS_PLAYER (self));

  if (self->playbin == NULL || self->path == NULL)
    return;
  gst_element_get_state (self->playbin, &state, NULL, 0);
  if (state == GST_STATE_READY || state == GST_STATE_NULL)
    {
      /* after an error or at the very start: play again from the clip's start */
      g_autofree char *path = g_strdup (self->path);
      sa_player_play (self, path, self->clip_start, self->clip_end, 0, self->tag);
      return;
    }
  if (!self->playing && sa_player_get_position (self) >= self->duration - 0.05
      && self->duration > 0)
    sa_player_seek (self, 0); /* at the end: from the start */
  sa_player_set_paused (self, self->playing || self->want_playing);
}

void
sa_player_stop (SaPlayer *self)
{
  g_return_if_fail (SA_IS_PLAYER (self));

  if (self->playbin == NULL)
    return;
  self->want_playing = FALSE;
  self->pending_offset = -1;
  gst_element_set_state (self->playbin, GST_STATE_READY);
  stop_tick (self);
  set_playing (self, FALSE);
  self->tag = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAG]);
}

void
sa_player_seek (SaPlayer *self, double position)
{
  GstState state = GST_STATE_NULL;

  g_return_if_fail (SA_IS_PLAYER (self));

  if (self->playbin == NULL)
    return;
  gst_element_get_state (self->playbin, &state, NULL, 0);
  if (state < GST_STATE_PAUSED)
    {
      self->pending_offset = MAX (position, 0);
      return;
    }
  self->pending_offset = MAX (position, 0);
  apply_pending_seek (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gboolean
sa_player_get_playing (SaPlayer *self)
{
  g_return_val_if_fail (SA_IS_PLAYER (self), FALSE);

  return self->playing;
}

double
sa_player_get_position (SaPlayer *self)
{
  gint64 pos;

  g_return_val_if_fail (SA_IS_PLAYER (self), 0);

  if (self->playbin == NULL || self->pending_offset >= 0)
    return MAX (self->pending_offset, 0);
  if (!gst_element_query_position (self->playbin, GST_FORMAT_TIME, &pos))
    return 0;
  if (self->duration > 0)
    return CLAMP ((double) pos / GST_SECOND - self->clip_start, 0, self->duration);
  return MAX ((double) pos / GST_SECOND - self->clip_start, 0);
}

double
sa_player_get_duration (SaPlayer *self)
{
  g_return_val_if_fail (SA_IS_PLAYER (self), 0);

  return self->duration;
}

int
sa_player_get_tag (SaPlayer *self)
{
  g_return_val_if_fail (SA_IS_PLAYER (self), -1);

  return self->tag;
}

const char *
sa_player_get_path (SaPlayer *self)
{
  g_return_val_if_fail (SA_IS_PLAYER (self), NULL);

  return self->path;
}
