/* test-extract.c: RP and SSD agree with rp_extract; decoding through GStreamer
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test signals are made by make-signals (a build step) and checked against the
 * published SHA-256 sums before use; the reference values are rp_extract's
 * (tests/data/reference/expected.csv).  Agreement asked for: 1e-5 relative per element,
 * reference zeros as |a| <= 1e-12; this test holds the extractor to 1e-6.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "sa-audio.h"
#include "sa-error.h"

#define TOLERANCE 1e-6

static char *
signal_path (const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "signals", name, NULL);
}

static void
test_signals_are_the_published_ones (void)
{
  g_autofree char *sums_path
      = g_test_build_filename (G_TEST_DIST, "data", "reference", "signals.sha256", NULL);
  g_autofree char *sums = NULL;
  g_auto (GStrv) lines = NULL;
  guint checked = 0;

  g_assert_true (g_file_get_contents (sums_path, &sums, NULL, NULL));
  lines = g_strsplit (sums, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) parts = g_strsplit (lines[i], "  ", 2);
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autofree char *sum = NULL;
      gsize len;

      if (parts[0] == NULL || parts[1] == NULL)
        continue;
      path = signal_path (parts[1]);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
      g_assert_cmpstr (sum, ==, parts[0]);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 10);
}

static double
compare (const char *what, const double *got, const double *ref, guint n)
{
  double worst = 0;

  for (guint i = 0; i < n; i++)
    {
      double err = ref[i] == 0 ? fabs (got[i]) : fabs (got[i] - ref[i]) / fabs (ref[i]);
      gboolean ok = ref[i] == 0 ? fabs (got[i]) <= 1e-12 : err <= TOLERANCE;
      if (!ok)
        g_error ("%s[%u]: got %.17g, reference %.17g (relative error %.3g)", what, i, got[i],
                 ref[i], err);
      if (ref[i] != 0)
        worst = MAX (worst, err);
    }
  return worst;
}

static void
test_reference_values (void)
{
  g_autofree char *csv_path
      = g_test_build_filename (G_TEST_DIST, "data", "reference", "expected.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  double worst = 0;
  guint n_signals = 0;

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autofree char *path = signal_path (cells[0]);
      g_autoptr (GError) error = NULL;
      double ref[SA_RP_LENGTH + SA_SSD_LENGTH];
      g_autofree char *what = NULL;
      SaFeatures f;

      g_assert_cmpuint (g_strv_length (cells), ==, 1 + SA_RP_LENGTH + SA_SSD_LENGTH);
      for (guint j = 0; j < SA_RP_LENGTH + SA_SSD_LENGTH; j++)
        ref[j] = g_ascii_strtod (cells[j + 1], NULL);
      g_assert_true (sa_extract_file (path, NULL, NULL, FALSE, &f, NULL, NULL, &error));
      g_assert_no_error (error);
      what = g_strdup_printf ("%s rp", cells[0]);
      worst = MAX (worst, compare (what, f.rp, ref, SA_RP_LENGTH));
      g_free (what);
      what = g_strdup_printf ("%s ssd", cells[0]);
      worst = MAX (worst, compare (what, f.ssd, ref + SA_RP_LENGTH, SA_SSD_LENGTH));
      n_signals++;
    }
  g_assert_cmpuint (n_signals, ==, 9);
  g_test_message ("9 signals, 1608 values each: worst relative error %.3g", worst);
}

static void
test_segment_counts (void)
{
  g_autofree char *path = signal_path ("stereo_diff.wav");
  SaFeatures f;

  /* 25 s: 4 segments, an even count (median of two middle values) */
  g_assert_true (sa_extract_file (path, NULL, NULL, TRUE, &f, NULL, NULL, NULL));
  g_assert_cmpuint (f.n_segments, ==, 4);
  for (guint j = 0; j < SA_RP_LENGTH; j += 101)
    {
      double v[4];
      for (guint k = 0; k < 4; k++)
        v[k] = f.seg_rp[k * SA_RP_LENGTH + j];
      /* the median lies between the 2nd and 3rd smallest */
      guint below = 0;
      for (guint k = 0; k < 4; k++)
        below += v[k] < f.rp[j];
      g_assert_cmpuint (below, <=, 2);
    }
  sa_features_clear (&f);

  /* rp_extract's segment rule */
  {
    SaSegmentOptions o = { 1, 2 };
    gsize first, stride;
    g_assert_cmpuint (sa_rpssd_segments (262143, NULL, NULL, NULL), ==, 0);
    g_assert_cmpuint (sa_rpssd_segments (262144, NULL, &first, NULL), ==, 1);
    g_assert_cmpuint (first, ==, 0);
    g_assert_cmpuint (sa_rpssd_segments (30 * 44100, NULL, NULL, NULL), ==, 5);
    /* under 45 s the skip and step are reset */
    g_assert_cmpuint (sa_rpssd_segments (30 * 44100, &o, &first, &stride), ==, 5);
    g_assert_cmpuint (stride, ==, 262144);
    /* 120 s: floor((floor((n - 2L) / L) - 1) / 2) + 1 = floor((18 - 1) / 2) + 1 = 9 */
    g_assert_cmpuint (sa_rpssd_segments (120 * 44100, &o, &first, &stride), ==, 9);
    g_assert_cmpuint (first, ==, 262144);
    g_assert_cmpuint (stride, ==, 2 * 262144);
  }
}

static void
test_too_short (void)
{
  g_autofree char *path = signal_path ("too_short_5s.wav");
  g_autoptr (GError) error = NULL;
  SaFeatures f;

  g_assert_false (sa_extract_file (path, NULL, NULL, FALSE, &f, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_TOO_SHORT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "220500 samples"));
}

static void
test_contours (void)
{
  g_autofree char *path
      = g_test_build_filename (G_TEST_DIST, "data", "reference", "contours.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  for (guint c = 0; c < 6; c++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[c + 1], ",", -1);
      for (guint b = 0; b < 24; b++)
        g_assert_cmpfloat_with_epsilon (sa_rpssd_contour (c, b),
                                        g_ascii_strtod (cells[b + 1], NULL), 1e-12);
    }
}

static void
test_silence_and_nan (void)
{
  g_autofree float *x = g_new0 (float, 300000 * 2);
  g_autoptr (SaAudio) a = sa_audio_new_from_interleaved (x, 300000, 2);
  g_autoptr (GError) error = NULL;
  SaFeatures f;

  /* all-silent audio stays silent and still gets features */
  g_assert_true (sa_audio_extract (a, NULL, NULL, FALSE, &f, "silence", NULL, &error));
  g_assert_cmpfloat (f.ssd[0], ==, pow (3.0 / 40.0, 2.642)); /* the sone floor */
  {
    g_autoptr (SaAudio) b = NULL;
    x[12345] = NAN;
    b = sa_audio_new_from_interleaved (x, 300000, 2);
    g_assert_false (sa_audio_extract (b, NULL, NULL, FALSE, &f, "nan-input", NULL, &error));
    g_assert_error (error, SA_ERROR, SA_ERROR_DECODE);
    g_assert_nonnull (strstr (error->message, "nan-input"));
  }
}

static void
expect_decode_error (const char *path, int code)
{
  g_autoptr (GError) error = NULL;
  SaFeatures f;

  g_assert_false (sa_extract_file (path, NULL, NULL, FALSE, &f, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_decode_errors (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "scratch-extract", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.mp3", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.ogg", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.flac", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.wav", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.wav", NULL);
  g_autofree char *src = signal_path ("white_noise.wav");
  guint8 junk[4096];

  g_mkdir_with_parents (folder, 0755);
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) (i * 7919 + 13);
  g_assert_true (g_file_set_contents (garbage, (char *) junk, sizeof junk, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  {
    g_autofree char *data = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (src, &data, &len, NULL));
    /* a WAV cut after 3 s of its 30: decodes, and is too short */
    g_assert_true (g_file_set_contents (truncated, data, 44 + 3 * 44100 * 2, NULL));
  }
  expect_decode_error (garbage, SA_ERROR_DECODE);
  expect_decode_error (empty, SA_ERROR_DECODE);
  expect_decode_error (folder, SA_ERROR_DECODE);
  expect_decode_error (missing, SA_ERROR_IO);
  expect_decode_error (truncated, SA_ERROR_TOO_SHORT);
}

/* Runs a gst-launch description to EOS. */
static void
run_pipeline (const char *desc)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* Encodes a reference WAV with a real GStreamer pipeline. */
static char *
encode (const char *wav, const char *encoder, const char *ext)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "scratch-extract", NULL);
  g_autofree char *base = g_path_get_basename (wav);
  char *out = g_strdup_printf ("%s/%s.%s", dir, base, ext);
  g_autofree char *desc
      = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! audioconvert ! %s ! "
                         "filesink location=\"%s\"",
                         wav, encoder, out);

  run_pipeline (desc);
  return out;
}

static void
test_other_formats (void)
{
  g_autofree char *wav = signal_path ("pink_am_2hz.wav");
  g_autofree char *flac = NULL, *ogg = NULL, *mp3 = NULL;
  SaFeatures ref, f;

  g_assert_true (sa_audio_init (NULL));
  g_assert_true (sa_extract_file (wav, NULL, NULL, FALSE, &ref, NULL, NULL, NULL));
  flac = encode (wav, "flacenc", "flac");
  ogg = encode (wav, "vorbisenc quality=0.6 ! oggmux", "ogg");
  mp3 = encode (wav, "lamemp3enc target=bitrate bitrate=192 ! id3v2mux", "mp3");

  /* FLAC is lossless: the very same values */
  g_assert_true (sa_extract_file (flac, NULL, NULL, FALSE, &f, NULL, NULL, NULL));
  compare ("flac rp", f.rp, ref.rp, SA_RP_LENGTH);
  compare ("flac ssd", f.ssd, ref.ssd, SA_SSD_LENGTH);
  /* lossy codecs: close, and certainly analysed */
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr (GError) error = NULL;
      double num = 0, den = 0;
      g_assert_true (sa_extract_file (k ? mp3 : ogg, NULL, NULL, FALSE, &f, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (f.n_segments, >=, 5);
      for (guint j = 0; j < SA_SSD_LENGTH; j += 24) /* the band means */
        for (guint b = 0; b < 20; b++)
          num += fabs (f.ssd[j + b] - ref.ssd[j + b]), den += fabs (ref.ssd[j + b]);
      g_assert_cmpfloat (num / den, <, 0.05);
    }
}

static void
test_tags (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "scratch-extract", NULL);
  g_autofree char *out = g_build_filename (dir, "tagged.ogg", NULL);
  g_autofree char *wav = signal_path ("short_7s.wav");
  g_autofree char *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! wavparse ! audioconvert ! "
      "taginject tags=\"title=Tremolo,artist=Ensemble,album=Signals,track-number=(uint)3\" ! "
      "vorbisenc ! oggmux ! filesink location=\"%s\"",
      wav, out);
  g_autoptr (SaAudio) a = NULL;

  run_pipeline (desc);
  a = sa_audio_decode (out, NULL, NULL);
  g_assert_nonnull (a);
  g_assert_cmpstr (a->title, ==, "Tremolo");
  g_assert_cmpstr (a->artist, ==, "Ensemble");
  g_assert_cmpstr (a->album, ==, "Signals");
  g_assert_cmpint (a->track_number, ==, 3);
}

/* A file longer than the memory limit is decoded twice and analysed segment by segment as
 * it streams by: the very same bits as analysing it in memory, for every segment option. */
static void
test_long_files_stream (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "scratch-extract", NULL);
  g_autofree char *ogg = g_build_filename (dir, "fifty-seconds.ogg", NULL);
  g_autofree char *other = g_build_filename (dir, "fifty-seconds-other.ogg", NULL);
  g_autofree char *desc = NULL;
  const SaSegmentOptions options[] = { SA_SEGMENT_OPTIONS_TUTORIAL, { 1, 2 } };

  /* 50.2 s of stereo, 2,162 buffers of 1,024 frames */
  desc = g_strdup_printf ("audiotestsrc wave=pink-noise num-buffers=2162 samplesperbuffer=1024 ! "
                          "audio/x-raw,rate=44100,channels=2 ! audioconvert ! "
                          "vorbisenc quality=0.3 ! oggmux ! filesink location=\"%s\"",
                          ogg);
  run_pipeline (desc);

  for (guint o = 0; o < G_N_ELEMENTS (options); o++)
    {
      g_autoptr (SaAudio) kept = NULL, streamed = NULL;
      g_autoptr (GError) error = NULL;
      SaFeatures a, b;

      sa_audio_set_memory_limit (G_MAXSIZE);
      g_assert_true (sa_extract_file (ogg, &options[o], NULL, TRUE, &a, &kept, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (kept->streamed);
      g_assert_cmpuint (kept->n_chunks, ==, 9);

      sa_audio_set_memory_limit (SA_SEGMENT_SAMPLES * sizeof (float)); /* one segment */
      g_assert_true (sa_extract_file (ogg, &options[o], NULL, TRUE, &b, &streamed, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (streamed->streamed);
      g_assert_cmpuint (streamed->n_chunks, ==, 1);
      g_assert_cmpuint (streamed->n_samples, ==, kept->n_samples);

      g_assert_cmpuint (a.n_segments, ==, o == 0 ? 8 : 3);
      g_assert_cmpuint (b.n_segments, ==, a.n_segments);
      g_assert_cmpmem (b.rp, sizeof b.rp, a.rp, sizeof a.rp);
      g_assert_cmpmem (b.ssd, sizeof b.ssd, a.ssd, sizeof a.ssd);
      g_assert_cmpmem (b.seg_rp, a.n_segments * SA_RP_LENGTH * sizeof (double), a.seg_rp,
                       a.n_segments * SA_RP_LENGTH * sizeof (double));
      g_assert_cmpmem (b.seg_ssd, a.n_segments * SA_SSD_LENGTH * sizeof (double), a.seg_ssd,
                       a.n_segments * SA_SSD_LENGTH * sizeof (double));
      g_assert_cmpfloat (a.rp[100], >, 0.0);
      sa_features_clear (&a);
      sa_features_clear (&b);
    }

  /* a file replaced between the two passes is an error, not a mixture of two files */
  {
    g_autoptr (SaAudio) audio = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *copy = g_strdup_printf (
        "audiotestsrc wave=white-noise num-buffers=2162 samplesperbuffer=1024 ! "
        "audio/x-raw,rate=44100,channels=1 ! audioconvert ! vorbisenc ! oggmux ! "
        "filesink location=\"%s\"",
        other);
    SaFeatures f;

    run_pipeline (copy);
    audio = sa_audio_decode (ogg, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (audio->streamed);
    g_assert_cmpint (g_rename (other, ogg), ==, 0);
    g_assert_false (sa_audio_extract (audio, NULL, NULL, FALSE, &f, ogg, NULL, &error));
    g_assert_error (error, SA_ERROR, SA_ERROR_DECODE);
    g_assert_nonnull (strstr (error->message, ogg));
  }
  sa_audio_set_memory_limit (SA_AUDIO_DEFAULT_MEMORY_LIMIT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (sa_audio_init (NULL));
  {
    g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "scratch-extract", NULL);
    g_mkdir_with_parents (dir, 0755);
  }
  g_test_add_func ("/soundalike/extract/signals-are-the-published-ones",
                   test_signals_are_the_published_ones);
  g_test_add_func ("/soundalike/extract/reference-values", test_reference_values);
  g_test_add_func ("/soundalike/extract/segment-counts", test_segment_counts);
  g_test_add_func ("/soundalike/extract/too-short", test_too_short);
  g_test_add_func ("/soundalike/extract/contours", test_contours);
  g_test_add_func ("/soundalike/extract/silence-and-nan", test_silence_and_nan);
  g_test_add_func ("/soundalike/extract/decode-errors", test_decode_errors);
  g_test_add_func ("/soundalike/extract/other-formats", test_other_formats);
  g_test_add_func ("/soundalike/extract/tags", test_tags);
  g_test_add_func ("/soundalike/extract/long-files-stream", test_long_files_stream);
  return g_test_run ();
}
