/* test-bad-inputs.c: the catalogue of malformed inputs
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file of bad-inputs/catalogue.txt gives exactly its error class, with a message
 * that names the file; cases that cannot be committed are made here (a folder named
 * x.flac, a missing file, a dangling symlink, a symlink loop in a music folder, an
 * unreadable file); an analysis of a folder holding the bad audio files writes nothing
 * for them into the collection and lists each in errors.csv.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sa-analyzer.h"
#include "sa-audio.h"
#include "sa-collection.h"
#include "sa-error.h"

static const char *const code_names[] = {
  "FAILED",      "IO",         "NOT_ZIP",      "TRUNCATED", "CORRUPT",
  "UNSUPPORTED", "BAD_HEADER", "TOO_LARGE",    "SHAPE",     "NOT_FINITE",
  "MISSING",     "CSV",        "ENCODING",     "EMPTY",     "INVALID_ARGUMENT",
  "NOT_FOUND",   "DECODE",     "TOO_SHORT",    "CANCELLED", "NOT_REGULAR",
  "NO_MEMORY",   "BUSY",       "NO_RESOURCES",
};

static int
code_of (const char *name)
{
  if (g_str_equal (name, "OK"))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (code_names); i++)
    if (g_str_equal (code_names[i], name))
      return (int) i;
  g_error ("unknown error class %s", name);
}

static GError *
try_input (const char *kind, const char *path)
{
  GError *error = NULL;

  if (g_str_equal (kind, "features") || g_str_equal (kind, "metadata"))
    {
      g_autofree char *good
          = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f32.npz", NULL);
      SaCollection *c = g_str_equal (kind, "features")
                            ? sa_collection_load (path, NULL, NULL, &error)
                            : sa_collection_load (good, path, NULL, &error);
      g_clear_object (&c);
    }
  else
    {
      SaFeatures f;
      if (sa_extract_file (path, NULL, NULL, FALSE, &f, NULL, NULL, &error))
        sa_features_clear (&f);
    }
  return error;
}

static void
expect (const char *kind, const char *path, int code)
{
  g_autoptr (GError) error = try_input (kind, path);

  if (code == -1)
    {
      /* OK: a hostile but valid file, read as numpy reads it */
      if (error != NULL)
        g_error ("%s was refused; expected it to load: %s", path, error->message);
      return;
    }

  if (error == NULL)
    g_error ("%s was accepted; expected %s", path, code_names[code]);
  if (!g_error_matches (error, SA_ERROR, code))
    g_error ("%s: got %s (%s), expected %s", path,
             error->domain == SA_ERROR ? code_names[error->code]
                                       : g_quark_to_string (error->domain),
             error->message, code_names[code]);
  if (strstr (error->message, path) == NULL)
    g_error ("%s: the message does not name the file: %s", path, error->message);
}

static void
test_catalogue (void)
{
  g_autofree char *list = g_test_build_filename (G_TEST_DIST, "bad-inputs", "catalogue.txt", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (list, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) f = NULL;
      g_autofree char *path = NULL;
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "|", 3);
      g_assert_cmpuint (g_strv_length (f), ==, 3);
      path = g_test_build_filename (G_TEST_DIST, "bad-inputs", "files", f[1], NULL);
      expect (f[0], path, code_of (f[2]));
      n++;
    }
  g_test_message ("%u catalogued inputs", n);
  g_assert_cmpuint (n, >=, 40);
}

static char *
scratch (const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "scratch-bad-inputs", name, NULL);
}

static void
test_made_here (void)
{
  g_autofree char *folder = scratch ("folder.flac");
  g_autofree char *missing = scratch ("missing.wav");
  g_autofree char *dangling = scratch ("dangling.mp3");
  g_autofree char *missing_npz = scratch ("missing.npz");
  g_autofree char *folder_npz = scratch ("folder.npz");

  g_mkdir_with_parents (folder, 0755);
  g_mkdir_with_parents (folder_npz, 0755);
  g_unlink (dangling);
  g_assert_cmpint (symlink ("/nonexistent/target.mp3", dangling), ==, 0);
  expect ("audio", folder, SA_ERROR_DECODE);
  expect ("audio", missing, SA_ERROR_IO);
  expect ("audio", dangling, SA_ERROR_IO);
  expect ("features", missing_npz, SA_ERROR_IO);
  expect ("features", folder_npz, SA_ERROR_NOT_REGULAR);
  /* not regular files: refused before anything can block or read without end */
  {
    g_autofree char *fifo = scratch ("features.fifo");
    g_unlink (fifo);
    g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
    expect ("features", fifo, SA_ERROR_NOT_REGULAR);
    expect ("metadata", fifo, SA_ERROR_NOT_REGULAR);
    expect ("features", "/dev/zero", SA_ERROR_NOT_REGULAR);
    expect ("metadata", "/dev/zero", SA_ERROR_NOT_REGULAR);
    expect ("features", "/proc/self/status", SA_ERROR_NOT_REGULAR);
    expect ("metadata", "/proc/self/status", SA_ERROR_NOT_REGULAR);
    expect ("metadata", folder_npz, SA_ERROR_NOT_REGULAR);
  }
  if (geteuid () != 0)
    {
      g_autofree char *locked = scratch ("locked.npz");
      g_autofree char *good
          = g_test_build_filename (G_TEST_DIST, "data", "formats", "small_f32.npz", NULL);
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (good, &data, &len, NULL));
      g_assert_true (g_file_set_contents (locked, data, len, NULL));
      g_chmod (locked, 0);
      expect ("features", locked, SA_ERROR_IO);
    }
  else
    g_test_message ("running as root: an unreadable file cannot be made, that case is left out");
}

/* The bad audio files in a music folder (with a symlink loop and a good file): the
 * analysis finishes, lists each bad file with its reason, and the collection holds only
 * the good one. */
static void
test_analysis_writes_nothing_for_failures (void)
{
  g_autofree char *music = scratch ("music");
  g_autofree char *out = scratch ("out");
  g_autofree char *loop = g_build_filename (music, "loop", NULL);
  g_autofree char *good_src = g_test_build_filename (G_TEST_BUILT, "signals", "short_7s.wav", NULL);
  g_autofree char *good = g_build_filename (music, "good.wav", NULL);
  const char *bad[] = { "garbage.mp3",          "empty.ogg",     "text.wav",
                        "truncated-header.wav", "too-short.wav", "size-lie.wav" };
  g_autoptr (GError) error = NULL;
  g_autoptr (SaCollection) c = NULL;
  SaAnalyzeOptions opts;
  SaAnalyzeProgress report;
  const char *inputs[] = { music, NULL };

  g_mkdir_with_parents (music, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *src
          = g_test_build_filename (G_TEST_DIST, "bad-inputs", "files", bad[i], NULL);
      g_autofree char *dst = g_build_filename (music, bad[i], NULL);
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (src, &data, &len, NULL));
      g_assert_true (g_file_set_contents (dst, data, len, NULL));
    }
  {
    g_autofree char *data = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (good_src, &data, &len, NULL));
    g_assert_true (g_file_set_contents (good, data, len, NULL));
  }
  g_unlink (loop);
  g_assert_cmpint (symlink (music, loop), ==, 0);

  sa_analyze_options_init (&opts);
  opts.failures = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (sa_analyze (inputs, out, &opts, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_files, ==, 1 + G_N_ELEMENTS (bad));
  g_assert_cmpuint (report.n_failed, ==, G_N_ELEMENTS (bad));
  g_assert_cmpuint (opts.failures->len, ==, G_N_ELEMENTS (bad));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gboolean named = FALSE;
      for (guint k = 0; k < opts.failures->len; k++)
        named |= strstr (g_ptr_array_index (opts.failures, k), bad[i]) != NULL;
      g_assert_true (named);
    }
  g_ptr_array_unref (opts.failures);
  {
    g_autofree char *npz = g_build_filename (out, "features.npz", NULL);
    g_autofree char *csv = g_build_filename (out, "metadata.csv", NULL);
    g_autofree char *errors_path = g_build_filename (out, "errors.csv", NULL);
    g_autofree char *errors = NULL;
    c = sa_collection_load (npz, csv, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sa_collection_get_n_tracks (c), ==, 1);
    g_assert_true (g_str_has_suffix (sa_collection_get_field (c, 0, SA_FIELD_PATH), "good.wav"));
    g_assert_true (g_file_get_contents (errors_path, &errors, NULL, NULL));
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      g_assert_nonnull (strstr (errors, bad[i]));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (sa_audio_init (NULL));
  {
    g_autofree char *dir = scratch ("");
    g_mkdir_with_parents (dir, 0755);
  }
  g_test_add_func ("/soundalike/bad-inputs/catalogue", test_catalogue);
  g_test_add_func ("/soundalike/bad-inputs/made-here", test_made_here);
  g_test_add_func ("/soundalike/bad-inputs/analysis", test_analysis_writes_nothing_for_failures);
  return g_test_run ();
}
