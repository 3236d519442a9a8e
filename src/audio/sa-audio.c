/* sa-audio.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <float.h>
#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sa-audio.h"
#include "sa-error.h"

GST_DEBUG_CATEGORY_STATIC (sa_audio_debug);
#define GST_CAT_DEFAULT sa_audio_debug

#define L SA_SEGMENT_SAMPLES
/* no sample and no message for this long: the pipeline is stuck */
#define STALL_TIMEOUT_US (60 * G_USEC_PER_SEC)

/* chunks of L samples kept per file before it is streamed instead */
static gint max_chunks = SA_AUDIO_DEFAULT_MEMORY_LIMIT / (L * sizeof (float));

void
sa_audio_set_memory_limit (gsize bytes)
{
  g_atomic_int_set (&max_chunks, (gint) CLAMP (bytes / (L * sizeof (float)), 1, G_MAXINT));
}

/* File descriptors: a decoding pipeline holds about 4 (the file, the bus's poll, the
 * thread wake-ups) and loading plug-ins needs a few more for a moment. */
#define FDS_BASE         6
#define FDS_PER_PIPELINE 4
#define FDS_PROBE_MAX    256

gboolean
sa_audio_check_descriptors (guint n_pipelines, guint *max_pipelines, GError **error)
{
  guint want = FDS_BASE + FDS_PER_PIPELINE * CLAMP (n_pipelines, 1, 60);
  int fds[FDS_PROBE_MAX];
  guint n = 0;
  int saved = 0;
  struct rlimit lim;

  /* first the soft limit up to the hard one: descriptors are not scarce, only limited */
  if (getrlimit (RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max && lim.rlim_cur < 4096)
    {
      lim.rlim_cur = MIN (lim.rlim_max, 4096);
      setrlimit (RLIMIT_NOFILE, &lim);
    }
  while (n < want)
    {
      int fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          saved = errno;
          break;
        }
      fds[n++] = fd;
    }
  for (guint i = 0; i < n; i++)
    close (fds[i]);
  if (n < FDS_BASE + FDS_PER_PIPELINE)
    {
      unsigned long long limit = getrlimit (RLIMIT_NOFILE, &lim) == 0 ? lim.rlim_cur : 0;
      g_set_error (error, SA_ERROR, SA_ERROR_NO_RESOURCES,
                   _ ("Cannot decode audio: %s: only %u file descriptors are free (the limit, "
                      "ulimit -n, is %llu) and decoding needs at least %d; raise the limit, "
                      "for example with ulimit -n 1024"),
                   g_strerror (saved ? saved : EMFILE), n, limit, FDS_BASE + FDS_PER_PIPELINE);
      return FALSE;
    }
  if (max_pipelines)
    *max_pipelines = MAX (1, (n - FDS_BASE) / FDS_PER_PIPELINE);
  return TRUE;
}

gboolean
sa_audio_init (GError **error)
{
  static gsize done = 0;
  static gboolean ok = FALSE;
  static GError *init_error = NULL;

  if (g_once_init_enter (&done))
    {
      ok = gst_init_check (NULL, NULL, &init_error);
      GST_DEBUG_CATEGORY_INIT (sa_audio_debug, "soundalike-audio", 0, "Soundalike decoding");
      g_once_init_leave (&done, 1);
    }
  if (!ok && error)
    *error = g_error_copy (init_error);
  return ok;
}

void
sa_audio_free (SaAudio *a)
{
  if (a == NULL)
    return;
  for (guint i = 0; i < a->n_chunks; i++)
    g_free (a->chunks[i]);
  g_free (a->chunks);
  g_free (a->title);
  g_free (a->artist);
  g_free (a->album);
  g_free (a->path);
  g_free (a);
}

/* The largest |x[i]| of @x and @peak; *@finite becomes FALSE on NaN or Inf. */
static float
block_peak (const float *x, gsize n, float peak, gboolean *finite)
{
  gboolean ok = TRUE;

  for (gsize i = 0; i < n; i++)
    {
      float v = fabsf (x[i]);
      ok &= v <= FLT_MAX; /* false for NaN and Inf */
      peak = v > peak ? v : peak;
    }
  *finite = ok;
  return peak;
}

static gsize
first_nonfinite (const float *x, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (x[i]))
      return i;
  return G_MAXSIZE;
}

static void
normalize_block (float *x, gsize n, float peak)
{
  if (peak >= FLT_MIN && peak != 1.0f)
    for (gsize i = 0; i < n; i++)
      x[i] = x[i] / peak; /* a float division, not a product with 1/peak */
}

/* Samples [@offset, @offset + @n) of a streamed file went by: keep only their peak. */
static void
scan_streamed (SaAudio *a, const float *x, gsize n, gsize offset)
{
  gboolean finite;

  a->peak = block_peak (x, n, a->peak, &finite);
  if (!finite && a->first_nonfinite == G_MAXSIZE)
    a->first_nonfinite = offset + first_nonfinite (x, n);
}

/* Too long to keep: remember the peak of the chunks so far (all full) and keep one chunk as
 * scratch space. */
static void
start_streaming (SaAudio *a)
{
  a->streamed = TRUE;
  a->peak = 0.0f;
  a->first_nonfinite = G_MAXSIZE;
  for (guint c = 0; c < a->n_chunks; c++)
    {
      scan_streamed (a, a->chunks[c], L, (gsize) c * L);
      if (c > 0)
        g_free (a->chunks[c]);
    }
  if (a->n_chunks == 0)
    a->chunks = g_new (float *, 1), a->chunks[0] = g_new (float, L);
  a->n_chunks = 1;
}

/* Appends frames of @channels interleaved floats, mixed to mono in float. */
static void
append_frames (SaAudio *a, const float *data, gsize frames, guint channels)
{
  while (frames > 0)
    {
      gsize pos = a->n_samples % L;
      gsize n = MIN (frames, L - pos);
      float *out;

      if (pos == 0 && !a->streamed)
        {
          /* only a file can be streamed: it is decoded again to be analysed */
          if (a->path && a->n_chunks >= (guint) g_atomic_int_get (&max_chunks))
            start_streaming (a);
          else
            {
              a->chunks = g_renew (float *, a->chunks, a->n_chunks + 1);
              a->chunks[a->n_chunks++] = g_new (float, L);
            }
        }
      out = (a->streamed ? a->chunks[0] : a->chunks[a->n_chunks - 1]) + pos;
      if (channels == 1)
        memcpy (out, data, n * sizeof (float));
      else if (channels == 2)
        for (gsize i = 0; i < n; i++)
          out[i] = (data[2 * i] + data[2 * i + 1]) / 2.0f;
      else
        for (gsize i = 0; i < n; i++)
          {
            float sum = 0.0f;
            for (guint c = 0; c < channels; c++)
              sum += data[i * channels + c];
            out[i] = sum / (float) channels;
          }
      if (a->streamed)
        scan_streamed (a, out, n, a->n_samples);
      data += n * channels;
      frames -= n;
      a->n_samples += n;
      if (a->on_chunk && a->n_samples % L == 0)
        a->on_chunk (a->on_chunk_data, a->n_samples / L - 1, a->chunks[0]);
    }
}

SaAudio *
sa_audio_new_from_interleaved (const float *data, gsize frames, guint channels)
{
  SaAudio *a = g_new0 (SaAudio, 1);

  g_return_val_if_fail (channels > 0, NULL);
  a->source_channels = channels;
  a->source_rate = SA_SAMPLE_RATE;
  append_frames (a, data, frames, channels);
  return a;
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static gboolean
check_rate (guint rate, const char *where, GError **error)
{
  if (rate == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_BAD_HEADER,
                   _ ("%s: the header says the sample rate is 0 Hz"), where);
      return FALSE;
    }
  if (rate < SA_AUDIO_MIN_RATE || rate > SA_AUDIO_MAX_RATE)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                   _ ("%s: the sample rate %u Hz cannot be analysed (from %d to %d Hz can)"), where,
                   rate, SA_AUDIO_MIN_RATE, SA_AUDIO_MAX_RATE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_length (double seconds, const char *where, GError **error)
{
  if (seconds > SA_AUDIO_MAX_SECONDS)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_LARGE,
                   _ ("%s: %.0f minutes of audio is longer than the %d minutes that are "
                      "analysed"),
                   where, seconds / 60, SA_AUDIO_MAX_SECONDS / 60);
      return FALSE;
    }
  return TRUE;
}

gboolean
sa_audio_check_wav_header (const guint8 *data, gsize len, guint64 file_size, const char *where,
                           GError **error)
{
  gsize pos = 12;
  guint channels = 0, block_align = 0;
  guint32 rate = 0;
  gboolean have_format = FALSE;

  if (len < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WAVE", 4) != 0)
    return TRUE;
  while (pos + 8 <= len)
    {
      const guint8 *chunk = data + pos;
      guint32 size = le32 (chunk + 4);

      if (memcmp (chunk, "fmt ", 4) == 0 && !have_format)
        {
          if (size < 16 || pos + 8 + 16 > len)
            return TRUE; /* cut short: the decoder says what is wrong */
          channels = le16 (chunk + 10);
          rate = le32 (chunk + 12);
          block_align = le16 (chunk + 20);
          have_format = TRUE;
          if (channels == 0)
            {
              g_set_error (error, SA_ERROR, SA_ERROR_BAD_HEADER,
                           _ ("%s: the header says the audio has 0 channels"), where);
              return FALSE;
            }
          if (channels > SA_AUDIO_MAX_CHANNELS)
            {
              g_set_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED,
                           _ ("%s: %u channels cannot be analysed (at most %d can)"), where,
                           channels, SA_AUDIO_MAX_CHANNELS);
              return FALSE;
            }
          if (!check_rate (rate, where, error))
            return FALSE;
        }
      else if (memcmp (chunk, "data", 4) == 0)
        {
          /* 0 and 0xFFFFFFFF mean "unknown" (a stream, or RF64) */
          guint64 held = file_size > pos + 8 ? file_size - (pos + 8) : 0;
          if (have_format && block_align > 0 && size != 0 && size != G_MAXUINT32)
            return check_length ((double) MIN (size, held) / block_align / rate, where, error);
          return TRUE;
        }
      pos += 8 + (gsize) size + (size & 1);
    }
  return TRUE;
}

/* The header check on the first 64 KiB of @path. */
static gboolean
precheck_file (const char *path, GError **error)
{
  guint8 head[65536];
  FILE *f = g_fopen (path, "rb");
  GStatBuf st;
  gsize n;

  if (f == NULL)
    return TRUE; /* the decoder says why it cannot be opened */
  n = fread (head, 1, sizeof head, f);
  fclose (f);
  if (g_stat (path, &st) != 0)
    st.st_size = 0;
  return sa_audio_check_wav_header (head, n, (guint64) st.st_size, path, error);
}

typedef struct
{
  GstElement *convert;
  gint audio_linked; /* atomic */
  gint no_more_pads; /* atomic */
  gint buffers;      /* atomic: progress, for the stall check */
  gint bad_rate;     /* atomic: the audio stream's rate, when it cannot be analysed */
  gint too_long;     /* atomic: the audio went on past SA_AUDIO_MAX_SECONDS */
  SaAudio *audio;    /* written on the streaming thread until EOS or error */
} PadState;

/* Runs on the streaming thread: no hand-over of every buffer to another thread. */
static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer user_data)
{
  PadState *st = user_data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buf;
  GstMapInfo map;
  int channels = 1;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buf = gst_sample_get_buffer (sample);
  gst_structure_get_int (gst_caps_get_structure (gst_sample_get_caps (sample), 0), "channels",
                         &channels);
  if (channels < 1)
    channels = 1;
  st->audio->source_channels = (guint) channels;
  if (st->audio->n_samples > (gsize) SA_AUDIO_MAX_SECONDS * SA_SAMPLE_RATE)
    {
      g_atomic_int_set (&st->too_long, 1);
      return GST_FLOW_ERROR;
    }
  if (gst_buffer_map (buf, &map, GST_MAP_READ))
    {
      append_frames (st->audio, (const float *) map.data, map.size / (sizeof (float) * channels),
                     (guint) channels);
      gst_buffer_unmap (buf, &map);
    }
  g_atomic_int_inc (&st->buffers);
  return GST_FLOW_OK;
}

static void
on_pad_added (GstElement *decodebin, GstPad *pad, PadState *st)
{
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "audio/"))
    {
      int rate = 0;
      /* refused before any work: a 1 Hz stream would be resampled 44,100 times over */
      if (gst_structure_get_int (gst_caps_get_structure (caps, 0), "rate", &rate)
          && (rate < SA_AUDIO_MIN_RATE || rate > SA_AUDIO_MAX_RATE))
        {
          g_atomic_int_set (&st->bad_rate, MAX (rate, 1));
          return;
        }
    }
  if (g_str_has_prefix (name, "audio/")
      && g_atomic_int_compare_and_exchange (&st->audio_linked, 0, 1))
    {
      g_autoptr (GstPad) sink = gst_element_get_static_pad (st->convert, "sink");
      if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
        g_atomic_int_set (&st->audio_linked, 0);
    }
  else
    {
      /* other streams (video, a second audio stream) go nowhere, without a not-linked error */
      GstElement *bin = GST_ELEMENT (gst_element_get_parent (decodebin));
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr (GstPad) sinkpad = NULL;
      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (bin), sink);
      gst_element_sync_state_with_parent (sink);
      sinkpad = gst_element_get_static_pad (sink, "sink");
      gst_pad_link (pad, sinkpad);
      gst_object_unref (bin);
    }
}

static void
on_no_more_pads (GstElement *decodebin, PadState *st)
{
  g_atomic_int_set (&st->no_more_pads, 1);
}

static void
merge_tags (SaAudio *a, GstTagList *tags)
{
  char *s = NULL;
  guint n;

  if (a->title == NULL && gst_tag_list_get_string (tags, GST_TAG_TITLE, &s))
    a->title = s;
  if (a->artist == NULL && gst_tag_list_get_string (tags, GST_TAG_ARTIST, &s))
    a->artist = s;
  if (a->album == NULL && gst_tag_list_get_string (tags, GST_TAG_ALBUM, &s))
    a->album = s;
  if (a->track_number == 0 && gst_tag_list_get_uint (tags, GST_TAG_TRACK_NUMBER, &n))
    a->track_number = (int) n;
}

static void
set_decode_error (GError **error, const char *path, const GError *gst_error)
{
  g_set_error (error, SA_ERROR, SA_ERROR_DECODE, _ ("%s: cannot decode: %s"), path,
               gst_error ? gst_error->message : _ ("unknown error"));
}

typedef struct
{
  GstElement *pipeline;
  GstBus *bus;
  PadState st;
  gint64 last_progress; /* when a buffer or a message last arrived */
  int last_buffers;
} Decoder;

/* Step 1: what is refused before building anything: too few file descriptors, a missing or
 * special file, a WAV header that cannot be analysed. */
static gboolean
check_source (const char *path, GError **error)
{
  if (!sa_audio_check_descriptors (1, NULL, error) || !sa_audio_init (error))
    return FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: no such file"), path);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE, _ ("%s: not a regular file"), path);
      return FALSE;
    }
  return precheck_file (path, error);
}

/* Step 2: uridecodebin ! audioconvert ! audioresample ! appsink (F32LE at 44,100 Hz), the
 * samples appended to @a on the streaming thread. */
static gboolean
build_pipeline (Decoder *d, const char *path, SaAudio *a, GError **error)
{
  g_autofree char *uri = NULL;
  g_autoptr (GstCaps) caps = NULL;
  GstElement *src, *convert, *resample, *sink;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  GError *local_error = NULL;

  uri = gst_filename_to_uri (path, &local_error);
  if (uri == NULL)
    {
      set_decode_error (error, path, local_error);
      g_clear_error (&local_error);
      return FALSE;
    }
  d->pipeline = gst_object_ref_sink (gst_pipeline_new ("soundalike-decode"));
  src = gst_element_factory_make ("uridecodebin", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (!src || !convert || !resample || !sink)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE,
                   _ ("%s: cannot decode: GStreamer's base plugins are missing"), path);
      return FALSE;
    }
  caps = gst_caps_from_string ("audio/x-raw,format=F32LE,rate=44100,layout=interleaved");
  g_object_set (src, "uri", uri, NULL);
  g_object_set (sink, "caps", caps, "sync", FALSE, "max-buffers", 64, NULL);
  gst_bin_add_many (GST_BIN (d->pipeline), src, convert, resample, sink, NULL);
  if (!gst_element_link_many (convert, resample, sink, NULL))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE, _ ("%s: cannot build the decoder"), path);
      return FALSE;
    }
  d->st.convert = convert;
  d->st.audio = a;
  g_signal_connect (src, "pad-added", G_CALLBACK (on_pad_added), &d->st);
  g_signal_connect (src, "no-more-pads", G_CALLBACK (on_no_more_pads), &d->st);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, &d->st, NULL);
  d->bus = gst_element_get_bus (d->pipeline);
  return TRUE;
}

/* Step 3: set it playing; a failure has its reason on the bus. */
static gboolean
start_pipeline (Decoder *d, const char *path, GError **error)
{
  GError *local_error = NULL;

  if (gst_element_set_state (d->pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
    return TRUE;
  {
    g_autoptr (GstMessage) msg = gst_bus_pop_filtered (d->bus, GST_MESSAGE_ERROR);
    if (msg)
      gst_message_parse_error (msg, &local_error, NULL);
  }
  set_decode_error (error, path, local_error);
  g_clear_error (&local_error);
  return FALSE;
}

/* What the streaming thread found wrong (a rate that cannot be analysed, audio too long):
 * said before GStreamer's own, vaguer, error. */
static gboolean
check_stream_flags (Decoder *d, const char *path, GError **error)
{
  int rate = g_atomic_int_get (&d->st.bad_rate);

  if (rate)
    return check_rate ((guint) rate, path, error);
  if (g_atomic_int_get (&d->st.too_long))
    return check_length (SA_AUDIO_MAX_SECONDS + 1.0, path, error);
  return TRUE;
}

/* Step 4: one message from the bus: the end, an error, or tags. */
static gboolean
handle_message (Decoder *d, GstMessage *msg, const char *path, gboolean *done, GError **error)
{
  GError *local_error = NULL;

  switch (GST_MESSAGE_TYPE (msg))
    {
      case GST_MESSAGE_EOS:
        *done = TRUE;
        break;
      case GST_MESSAGE_ERROR:
        if (!check_stream_flags (d, path, error))
          return FALSE;
        gst_message_parse_error (msg, &local_error, NULL);
        set_decode_error (error, path, local_error);
        g_clear_error (&local_error);
        return FALSE;
      case GST_MESSAGE_TAG:
        {
          GstTagList *tags = NULL;
          gst_message_parse_tag (msg, &tags);
          merge_tags (d->st.audio, tags);
          gst_tag_list_unref (tags);
        }
        break;
      default:
        break;
    }
  d->last_progress = g_get_monotonic_time ();
  return TRUE;
}

/* Step 5: between messages: no audio stream at all, or a decoder that stopped. */
static gboolean
check_progress (Decoder *d, const char *path, GError **error)
{
  int buffers = g_atomic_int_get (&d->st.buffers);

  if (buffers != d->last_buffers)
    {
      d->last_buffers = buffers;
      d->last_progress = g_get_monotonic_time ();
    }
  if (!check_stream_flags (d, path, error))
    return FALSE;
  if (g_atomic_int_get (&d->st.no_more_pads) && !g_atomic_int_get (&d->st.audio_linked))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE, _ ("%s: the file has no audio stream"), path);
      return FALSE;
    }
  if (g_get_monotonic_time () - d->last_progress > STALL_TIMEOUT_US)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE,
                   _ ("%s: cannot decode: the decoder stopped making progress"), path);
      return FALSE;
    }
  return TRUE;
}

/* Steps 4 and 5 until the end of the stream, an error, or cancellation. */
static gboolean
run_pipeline (Decoder *d, const char *path, GCancellable *cancellable, GError **error)
{
  gboolean done = FALSE;

  guint immediate = 0;

  d->last_progress = g_get_monotonic_time ();
  while (!done)
    {
      g_autoptr (GstMessage) msg = NULL;
      gint64 before = g_get_monotonic_time ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      msg = gst_bus_timed_pop_filtered (d->bus, 100 * GST_MSECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_TAG);
      /* a bus that cannot wait (its poll could not be made: no file descriptor left) returns
       * at once: stop instead of spinning */
      immediate = msg == NULL && g_get_monotonic_time () - before < 1000 ? immediate + 1 : 0;
      if (immediate > 100)
        {
          g_set_error (error, SA_ERROR, SA_ERROR_NO_RESOURCES,
                       _ ("%s: cannot decode: GStreamer cannot wait for the decoder (are file "
                          "descriptors exhausted? see ulimit -n)"),
                       path);
          return FALSE;
        }
      if (msg && !handle_message (d, msg, path, &done, error))
        return FALSE;
      if (!done && !check_progress (d, path, error))
        return FALSE;
    }
  return TRUE;
}

/* Decodes @path into @a (appending; its streaming state and chunk hook decide what is kept). */
static gboolean
decode_into (const char *path, SaAudio *a, GCancellable *cancellable, GError **error)
{
  Decoder d = { 0 };
  gboolean ok;

  ok = check_source (path, error) && build_pipeline (&d, path, a, error)
       && start_pipeline (&d, path, error) && run_pipeline (&d, path, cancellable, error);
  /* the streaming thread is done with @a once the pipeline is stopped */
  if (d.pipeline)
    gst_element_set_state (d.pipeline, GST_STATE_NULL);
  g_clear_object (&d.bus);
  g_clear_object (&d.pipeline);
  return ok;
}

SaAudio *
sa_audio_decode (const char *path, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (SaAudio) a = g_new0 (SaAudio, 1);

  a->source_rate = SA_SAMPLE_RATE;
  a->path = g_strdup (path);
  if (!decode_into (path, a, cancellable, error))
    return NULL;
  return g_steal_pointer (&a);
}

gboolean
sa_audio_normalize (SaAudio *a, const char *where, GError **error)
{
  gsize bad = G_MAXSIZE;
  float peak = 0.0f;

  g_return_val_if_fail (a != NULL, FALSE);

  if (a->streamed)
    bad = a->first_nonfinite;
  else
    for (guint c = 0; c < a->n_chunks && bad == G_MAXSIZE; c++)
      {
        gsize n = MIN ((gsize) L, a->n_samples - (gsize) c * L);
        gboolean finite;

        peak = block_peak (a->chunks[c], n, peak, &finite);
        if (!finite)
          bad = (gsize) c * L + first_nonfinite (a->chunks[c], n);
      }
  if (bad != G_MAXSIZE)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE, _ ("%s: sample %zu is not a finite number"),
                   where, bad);
      return FALSE;
    }
  if (!a->streamed)
    for (guint c = 0; c < a->n_chunks; c++)
      normalize_block (a->chunks[c], MIN ((gsize) L, a->n_samples - (gsize) c * L), peak);
  return TRUE;
}

void
sa_features_clear (SaFeatures *f)
{
  g_return_if_fail (f != NULL);

  g_clear_pointer (&f->seg_rp, g_free);
  g_clear_pointer (&f->seg_ssd, g_free);
}

typedef struct
{
  SaRpSsd *plan;
  gsize first, stride;
  guint n, n_done;
  float peak;
  double *seg_rp, *seg_ssd;
} Replay;

/* The second pass of a streamed file, on the streaming thread: analyse the segments as they
 * arrive (the extracting thread waits on the bus meanwhile, so the plan is not shared). */
static void
replay_chunk (gpointer user_data, gsize index, float *chunk)
{
  Replay *r = user_data;
  gsize start = index * L, k;

  if (start < r->first || (start - r->first) % r->stride != 0)
    return;
  k = (start - r->first) / r->stride;
  if (k >= r->n)
    return;
  normalize_block (chunk, L, r->peak);
  sa_rpssd_segment (r->plan, chunk, r->seg_rp + k * SA_RP_LENGTH, r->seg_ssd + k * SA_SSD_LENGTH);
  r->n_done++;
}

static gboolean
replay_segments (SaAudio *a, Replay *r, const char *where, GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (SaAudio) b = g_new0 (SaAudio, 1);

  start_streaming (b); /* from the first sample */
  b->on_chunk = replay_chunk;
  b->on_chunk_data = r;
  if (!decode_into (a->path, b, cancellable, error))
    return FALSE;
  if (r->n_done != r->n || b->n_samples != a->n_samples || b->peak != a->peak)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE,
                   _ ("%s: the file decoded differently the second time (was it changed?)"), where);
      return FALSE;
    }
  return TRUE;
}

gboolean
sa_audio_extract (SaAudio *a, const SaSegmentOptions *options, SaRpSsd *plan,
                  gboolean keep_segments, SaFeatures *f, const char *where,
                  GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (f != NULL, FALSE);

  g_autoptr (SaRpSsd) own_plan = NULL;
  g_autofree double *seg_rp = NULL, *seg_ssd = NULL;
  gsize first = 0, stride = L;
  guint n;

  memset (f, 0, sizeof *f);
  n = sa_rpssd_segments (a->n_samples, options, &first, &stride);
  if (n == 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_TOO_SHORT,
                   _ ("%s: too short: %zu"
                      " samples (%.2f s); at least %d samples (%.2f s) are needed"),
                   where, a->n_samples, (double) a->n_samples / SA_SAMPLE_RATE, L,
                   (double) L / SA_SAMPLE_RATE);
      return FALSE;
    }
  if (!sa_audio_normalize (a, where, error))
    return FALSE;
  if (plan == NULL)
    plan = own_plan = sa_rpssd_new ();
  seg_rp = g_new (double, (gsize) n *SA_RP_LENGTH);
  seg_ssd = g_new (double, (gsize) n *SA_SSD_LENGTH);
  if (a->streamed)
    {
      Replay r = { plan, first, stride, n, 0, a->peak, seg_rp, seg_ssd };

      if (!replay_segments (a, &r, where, cancellable, error))
        return FALSE;
    }
  else
    for (guint k = 0; k < n; k++)
      {
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return FALSE;
        sa_rpssd_segment (plan, a->chunks[(first + k * stride) / L],
                          seg_rp + (gsize) k * SA_RP_LENGTH, seg_ssd + (gsize) k * SA_SSD_LENGTH);
      }
  sa_rpssd_combine (seg_rp, seg_ssd, n, f->rp, f->ssd);
  f->n_segments = n;
  if (keep_segments)
    {
      f->seg_rp = g_steal_pointer (&seg_rp);
      f->seg_ssd = g_steal_pointer (&seg_ssd);
    }
  return TRUE;
}

gboolean
sa_extract_file (const char *path, const SaSegmentOptions *options, SaRpSsd *plan,
                 gboolean keep_segments, SaFeatures *features, SaAudio **audio_out,
                 GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (features != NULL, FALSE);

  g_autoptr (SaAudio) a = sa_audio_decode (path, cancellable, error);

  if (a == NULL)
    return FALSE;
  if (!sa_audio_extract (a, options, plan, keep_segments, features, path, cancellable, error))
    return FALSE;
  if (audio_out)
    *audio_out = g_steal_pointer (&a);
  return TRUE;
}
