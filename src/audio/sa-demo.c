/* sa-demo.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "sa-audio.h"
#include "sa-demo.h"
#include "sa-error.h"
#include "sa-rng.h"

#define SR      44100
#define SECONDS 30
#define N       (SR * SECONDS)
#define TWO_PI  (2.0 * G_PI)

/* Written into the files' tags, so not translated: the audio is the same bytes everywhere. */
static const char *const family_names[SA_DEMO_N_FAMILIES] = {
  "Sine Pads",       "Saw Arpeggios", "Square Bass",    "FM Bells",
  "Plucked Strings", "Drum Machine",  "Noise Textures", "Brush Swing",
};
static const guint tempi[SA_DEMO_N_TEMPI] = { 70, 90, 110, 130, 150, 180 };

const char *
sa_demo_family_name (guint family)
{
  g_return_val_if_fail (family < SA_DEMO_N_FAMILIES, NULL);
  return family_names[family];
}

guint
sa_demo_tempo (guint tempo_index)
{
  g_return_val_if_fail (tempo_index < SA_DEMO_N_TEMPI, 0);
  return tempi[tempo_index];
}

static double
noise (SaRng *r)
{
  return 2.0 * sa_rng_uniform (r) - 1.0;
}

static double
midi_hz (double note)
{
  return 440.0 * pow (2.0, (note - 69.0) / 12.0);
}

/* note onsets: every @step beats from 0, with the off-beats delayed by @swing of a step */
typedef struct
{
  double beat;  /* seconds per beat */
  double step;  /* beats between onsets */
  double swing; /* 0: straight; 1/3: triplet swing */
} Grid;

static double
onset_time (const Grid *g, guint k)
{
  double t = k * g->step * g->beat;
  if (k % 2 == 1)
    t += g->swing * g->step * g->beat;
  return t;
}

static void
add_tone (double *x, double start, double dur, double freq, double amp, int shape, double decay)
{
  gsize a = (gsize) (start * SR), b = MIN ((gsize) ((start + dur) * SR), (gsize) N);

  for (gsize i = a; i < b; i++)
    {
      double t = (double) (i - a) / SR;
      double env = (1.0 - exp (-t / 0.005)) * exp (-t / decay);
      double ph = TWO_PI * freq * t, v = 0;
      switch (shape)
        {
          case 0: /* sine */
            v = sin (ph);
            break;
          case 1: /* sawtooth, 12 harmonics */
            for (int h = 1; h <= 12; h++)
              v += sin (h * ph) / h;
            v *= 0.6;
            break;
          case 2: /* square, odd harmonics */
            for (int h = 1; h <= 11; h += 2)
              v += sin (h * ph) / h;
            break;
          case 3: /* FM bell: carrier and a 3.5x modulator whose index decays */
            v = sin (ph + 4.0 * exp (-t / 0.4) * sin (3.5 * ph));
            break;
        }
      x[i] += amp * env * v;
    }
}

/* Karplus-Strong plucked string */
static void
add_pluck (double *x, double start, double freq, double amp, SaRng *rng)
{
  guint period = (guint) (SR / freq);
  g_autofree double *buf = g_new (double, period);
  gsize a = (gsize) (start * SR), len = (gsize) (1.2 * SR);

  for (guint i = 0; i < period; i++)
    buf[i] = noise (rng);
  for (gsize i = 0; i < len && a + i < N; i++)
    {
      guint j = (guint) (i % period), k = (guint) ((i + 1) % period);
      double v = buf[j];
      buf[j] = 0.996 * 0.5 * (buf[j] + buf[k]);
      x[a + i] += amp * v;
    }
}

static void
add_kick (double *x, double start, double amp)
{
  gsize a = (gsize) (start * SR);
  double phase = 0;
  for (gsize i = 0; i < (gsize) (0.35 * SR) && a + i < N; i++)
    {
      double t = (double) i / SR;
      double f = 45.0 + 110.0 * exp (-t / 0.04);
      phase += TWO_PI * f / SR;
      x[a + i] += amp * sin (phase) * exp (-t / 0.12);
    }
}

/* noise through a one-pole low-pass (lp) or high-pass (hp) filter */
static void
add_noise (double *x, double start, double dur, double amp, double decay, double cutoff,
           gboolean high, SaRng *rng)
{
  gsize a = (gsize) (start * SR);
  double c = exp (-TWO_PI * cutoff / SR), lp = 0;
  for (gsize i = 0; i < (gsize) (dur * SR) && a + i < N; i++)
    {
      double t = (double) i / SR, n = noise (rng);
      lp = (1 - c) * n + c * lp;
      x[a + i] += amp * (high ? n - lp : lp) * exp (-t / decay);
    }
}

static void
synthesise (guint family, guint tempo_index, double *x)
{
  SaRng rng = { 0x50d0a11c0ull + family * 1000 + tempo_index };
  double beat = 60.0 / tempi[tempo_index];
  static const double chords[4][3]
      = { { 57, 60, 64 }, { 53, 57, 60 }, { 55, 59, 62 }, { 52, 55, 59 } };
  static const double penta[5] = { 0, 2, 4, 7, 9 };
  Grid g = { beat, 1.0, 0.0 };
  guint k;

  memset (x, 0, sizeof (double) * N);
  switch (family)
    {
      case 0: /* soft sine chords on every beat */
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          for (int v = 0; v < 3; v++)
            add_tone (x, onset_time (&g, k), beat * 1.5, midi_hz (chords[(k / 4) % 4][v]), 0.25, 0,
                      beat * 0.5);
        break;
      case 1: /* sawtooth arpeggio on eighths */
        g.step = 0.5;
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          add_tone (x, onset_time (&g, k), beat * 0.5, midi_hz (chords[(k / 8) % 4][k % 3] + 12),
                    0.35, 1, beat * 0.15);
        break;
      case 2: /* square bass line on beats */
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          add_tone (x, onset_time (&g, k), beat * 0.9,
                    midi_hz (chords[(k / 4) % 4][k % 2 ? 2 : 0] - 24), 0.4, 2, beat * 0.3);
        break;
      case 3: /* FM bells on beats */
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          add_tone (x, onset_time (&g, k), beat * 2.0, midi_hz (72 + penta[sa_rng_next (&rng) % 5]),
                    0.3, 3, 0.6);
        break;
      case 4: /* plucked strings on eighths */
        g.step = 0.5;
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          add_pluck (x, onset_time (&g, k),
                     midi_hz (55 + penta[sa_rng_next (&rng) % 5] + 12 * (k % 2)), 0.5, &rng);
        break;
      case 5: /* drum machine: kick on 1 and 3, snare on 2 and 4, closed hats on eighths */
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          {
            double t = onset_time (&g, k);
            if (k % 2 == 0)
              add_kick (x, t, 0.9);
            else
              {
                add_noise (x, t, 0.2, 0.5, 0.06, 3000, FALSE, &rng);
                add_tone (x, t, 0.15, 190, 0.3, 0, 0.05);
              }
            add_noise (x, t, 0.05, 0.25, 0.015, 7000, TRUE, &rng);
            add_noise (x, t + beat / 2, 0.05, 0.2, 0.015, 7000, TRUE, &rng);
          }
        break;
      case 6: /* swelling band of noise on every beat */
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          add_noise (x, onset_time (&g, k), beat, 0.6, beat * 0.35, 800, FALSE, &rng);
        break;
      case 7: /* brushes and a walking bass, swung eighths */
        g.step = 0.5;
        g.swing = 1.0 / 3.0;
        for (k = 0; onset_time (&g, k) < SECONDS; k++)
          {
            double t = onset_time (&g, k);
            add_noise (x, t, beat * 0.4, 0.35, beat * 0.12, 2500, TRUE, &rng);
            if (k % 2 == 0)
              add_tone (x, t, beat, midi_hz (40 + penta[(k / 2) % 5]), 0.5, 0, beat * 0.4);
          }
        break;
      default:
        g_assert_not_reached ();
    }
}

static gboolean
write_wav (const char *path, const double *x, GError **error)
{
  g_autofree guint8 *data = g_malloc (44 + (gsize) N * 2);
  double peak = 0;
  guint8 *p = data;

#define PUT16(v) (p[0] = (v) &0xff, p[1] = ((v) >> 8) & 0xff, p += 2)
#define PUT32(v) (PUT16 ((v) &0xffff), PUT16 (((guint32) (v)) >> 16))
  memcpy (p, "RIFF", 4), p += 4;
  PUT32 (36 + N * 2);
  memcpy (p, "WAVEfmt ", 8), p += 8;
  PUT32 (16);
  PUT16 (1);
  PUT16 (1);
  PUT32 (SR);
  PUT32 (SR * 2);
  PUT16 (2);
  PUT16 (16);
  memcpy (p, "data", 4), p += 4;
  PUT32 (N * 2);
  for (gsize i = 0; i < N; i++)
    peak = MAX (peak, fabs (x[i]));
  for (gsize i = 0; i < N; i++)
    {
      double v = nearbyint (x[i] / (peak > 0 ? peak : 1) * 0.8 * 32767.0);
      gint16 s = (gint16) CLAMP (v, -32768, 32767);
      PUT16 ((guint16) s);
    }
#undef PUT16
#undef PUT32
  return g_file_set_contents (path, (const char *) data, 44 + (gsize) N * 2, error);
}

/* WAV -> FLAC with tags, through GStreamer (deterministic: flacenc writes no dates) */
static gboolean
encode_flac (const char *wav, const char *flac, const char *title, const char *artist,
             const char *album, guint track, GCancellable *cancellable, GError **error)
{
  g_autofree char *desc = g_strdup_printf (
      "filesrc name=src ! wavparse ! audioconvert ! flacenc name=enc ! filesink name=sink");
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, error);
  g_autoptr (GstElement) src = NULL, enc = NULL, sink = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  GstTagList *tags;

  if (pipeline == NULL)
    return FALSE;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  enc = gst_bin_get_by_name (GST_BIN (pipeline), "enc");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", wav, NULL);
  g_object_set (sink, "location", flac, NULL);
  tags = gst_tag_list_new (GST_TAG_TITLE, title, GST_TAG_ARTIST, artist, GST_TAG_ALBUM, album,
                           GST_TAG_TRACK_NUMBER, track, NULL);
  gst_tag_setter_merge_tags (GST_TAG_SETTER (enc), tags, GST_TAG_MERGE_REPLACE_ALL);
  gst_tag_list_unref (tags);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* in slices of 50 ms, so that a cancelled build stops within one */
  for (guint waited = 0; msg == NULL && waited < 60 * 20; waited++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      msg = gst_bus_timed_pop_filtered (bus, 50 * GST_MSECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS)
    {
      g_autoptr (GError) gst_error = NULL;
      if (msg)
        gst_message_parse_error (msg, &gst_error, NULL);
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot write the demo audio: %s"), flac,
                   gst_error ? gst_error->message : _ ("timed out"));
      return FALSE;
    }
  return TRUE;
}

gboolean
sa_demo_write_audio (const char *audio_dir, void (*progress) (guint, guint, gpointer),
                     gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_autofree double *x = g_new (double, N);
  g_autofree char *wav = g_build_filename (audio_dir, ".synth.wav", NULL);

  if (!sa_audio_init (error))
    return FALSE;
  if (g_mkdir_with_parents (audio_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot create the folder: %s"), audio_dir,
                   g_strerror (saved));
      return FALSE;
    }
  for (guint f = 0; f < SA_DEMO_N_FAMILIES; f++)
    for (guint t = 0; t < SA_DEMO_N_TEMPI; t++)
      {
        guint i = f * SA_DEMO_N_TEMPI + t;
        g_autofree char *name
            = g_strdup_printf ("%02u %s %u BPM.flac", i + 1, family_names[f], tempi[t]);
        g_autofree char *path = g_build_filename (audio_dir, name, NULL);
        g_autofree char *tmp = g_strconcat (path, ".part", NULL);
        g_autofree char *title = g_strdup_printf ("%s at %u BPM", family_names[f], tempi[t]);
        g_autofree char *album = g_strdup_printf ("%u BPM", tempi[t]);

        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          {
            g_unlink (wav); /* the previous clip's synthesis */
            return FALSE;
          }
        if (!g_file_test (path, G_FILE_TEST_EXISTS))
          {
            synthesise (f, t, x);
            if (g_cancellable_set_error_if_cancelled (cancellable, error)
                || !write_wav (wav, x, error)
                || !encode_flac (wav, tmp, title, sa_demo_family_name (f), album, i + 1,
                                 cancellable, error))
              {
                g_unlink (wav);
                g_unlink (tmp);
                return FALSE;
              }
            if (g_rename (tmp, path) != 0)
              {
                int saved = errno;
                g_set_error (error, SA_ERROR, SA_ERROR_IO, _ ("%s: cannot write: %s"), path,
                             g_strerror (saved));
                g_unlink (wav);
                g_unlink (tmp);
                return FALSE;
              }
          }
        if (progress)
          progress (i + 1, SA_DEMO_N_CLIPS, progress_data);
      }
  g_unlink (wav);
  return TRUE;
}

char *
sa_demo_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "soundalike", "demo", NULL);
}

gboolean
sa_demo_is_ready (const char *dir)
{
  g_autofree char *npz = g_build_filename (dir, "features.npz", NULL);
  g_autofree char *csv = g_build_filename (dir, "metadata.csv", NULL);
  g_autofree char *done = g_build_filename (dir, "complete", NULL);
  return g_file_test (npz, G_FILE_TEST_IS_REGULAR) && g_file_test (csv, G_FILE_TEST_IS_REGULAR)
         && g_file_test (done, G_FILE_TEST_IS_REGULAR);
}

typedef struct
{
  void (*progress) (guint, guint, gpointer);
  gpointer data;
} Relay;

static void
relay_analysis (const SaAnalyzeProgress *p, gpointer user_data)
{
  Relay *r = user_data;
  /* the second half of the work */
  if (r->progress)
    r->progress (SA_DEMO_N_CLIPS + p->n_done, 2 * SA_DEMO_N_CLIPS, r->data);
}

static void
relay_audio (guint done, guint total, gpointer user_data)
{
  Relay *r = user_data;
  if (r->progress)
    r->progress (done, 2 * SA_DEMO_N_CLIPS, r->data);
}

gboolean
sa_demo_create (const char *dir, void (*progress) (guint, guint, gpointer), gpointer progress_data,
                GCancellable *cancellable, GError **error)
{
  g_autofree char *audio = g_build_filename (dir, "audio", NULL);
  g_autofree char *done = g_build_filename (dir, "complete", NULL);
  const char *inputs[] = { audio, NULL };
  Relay relay = { progress, progress_data };
  SaAnalyzeOptions options;
  SaAnalyzeProgress report;

  if (!sa_demo_write_audio (audio, relay_audio, &relay, cancellable, error))
    return FALSE;
  sa_analyze_options_init (&options);
  options.progress = relay_analysis;
  options.progress_data = &relay;
  if (!sa_analyze (inputs, dir, &options, &report, cancellable, error))
    return FALSE;
  if (report.n_failed > 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_DECODE,
                   _ ("%u demo clips could not be analysed (see %s/errors.csv)"), report.n_failed,
                   dir);
      return FALSE;
    }
  return g_file_set_contents (done, "", 0, error);
}

/* ---- on a worker thread ---- */

typedef struct
{
  char *dir;
  SaDemoProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_notify;
  GMutex lock;
  guint done, total;
  gboolean pending; /* an idle is on its way to the caller's context */
} DemoJob;

static void
demo_job_free (DemoJob *job)
{
  if (job->progress_notify)
    job->progress_notify (job->progress_data);
  g_mutex_clear (&job->lock);
  g_free (job->dir);
  g_free (job);
}

/* on the caller's main context */
static gboolean
demo_progress_idle (gpointer data)
{
  GTask *task = data;
  DemoJob *job = g_task_get_task_data (task);
  guint done, total;

  g_mutex_lock (&job->lock);
  done = job->done;
  total = job->total;
  job->pending = FALSE;
  g_mutex_unlock (&job->lock);
  if (!g_task_get_completed (task) && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    job->progress (done, total, job->progress_data);
  return G_SOURCE_REMOVE;
}

/* on the worker: keep the latest count, and wake the caller once for any number of steps */
static void
demo_progress_post (guint done, guint total, gpointer data)
{
  GTask *task = data;
  DemoJob *job = g_task_get_task_data (task);
  gboolean post;

  g_mutex_lock (&job->lock);
  job->done = done;
  job->total = total;
  post = !job->pending;
  job->pending = TRUE;
  g_mutex_unlock (&job->lock);
  if (post)
    {
      GSource *idle = g_idle_source_new ();
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, demo_progress_idle, g_object_ref (task), g_object_unref);
      g_source_set_static_name (idle, "[soundalike] demo progress");
      g_source_attach (idle, g_task_get_context (task));
      g_source_unref (idle);
    }
}

static void
demo_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DemoJob *job = task_data;
  GError *error = NULL;

  if (sa_demo_create (job->dir, job->progress ? demo_progress_post : NULL, task, cancellable,
                      &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sa_demo_create_async (const char *dir, SaDemoProgressFunc progress, gpointer progress_data,
                      GDestroyNotify progress_notify, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  DemoJob *job;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (DemoJob, 1);
  job->dir = dir ? g_strdup (dir) : sa_demo_default_dir ();
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_notify = progress_notify;
  g_mutex_init (&job->lock);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sa_demo_create_async);
  g_task_set_name (task, "[soundalike] demo");
  g_task_set_task_data (task, job, (GDestroyNotify) demo_job_free);
  /* a cancelled build reports G_IO_ERROR_CANCELLED even when it got to the end */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, demo_thread);
}

gboolean
sa_demo_create_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sa_demo_create_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
