/* test-format.c: numbers in the user's locale (C, and German: de_DE.UTF-8 must exist; install-deps.sh
 * generates it)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>

#include "sa-format.h"
#include "sa-i18n.h"

#define assert_formats(call, want)                                                                 \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *got_ = (call);                                                                \
    g_assert_true (g_utf8_validate (got_, -1, NULL));                                              \
    g_assert_cmpstr (got_, ==, (want));                                                            \
  }                                                                                                \
  G_STMT_END

static void
test_c_locale (void)
{
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  assert_formats (sa_format_count (100000), "100000");
  assert_formats (sa_format_count (0), "0");
  assert_formats (sa_format_decimal (1.42487, 4), "1.4249");
  assert_formats (sa_format_decimal (0.5, 2), "0.50");
  assert_formats (sa_format_decimal (-0.00001, 2), "0.00"); /* never "-0.00" */
  assert_formats (sa_format_decimal (-1.25, 1), "-1.2");
  assert_formats (sa_format_decimal (NAN, 2), "–");
  assert_formats (sa_format_decimal (INFINITY, 2), "–");
  assert_formats (sa_format_significant (4.58e-05, 2), "0.000046"); /* never "4.58e-05" */
  assert_formats (sa_format_significant (1e-9, 2), "0.000000");
  assert_formats (sa_format_significant (0, 3), "0");
  assert_formats (sa_format_significant (1234.56, 4), "1235");
  assert_formats (sa_format_significant (0.123456, 3), "0.123");
  assert_formats (sa_format_percent (0.65, 0), "65%");
  assert_formats (sa_format_percent (0.505, 1), "50.5%");
}

static void
test_german (void)
{
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      /* not a skip: a skipped test is a failure in CI */
      g_test_message ("the de_DE.UTF-8 locale is missing: run build-aux/install-deps.sh");
      g_test_fail ();
      return;
    }
  /* the translations from the build folder, found without SOUNDALIKE_LOCALEDIR */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_unsetenv ("SOUNDALIKE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, sa_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  assert_formats (sa_format_count (100000), "100.000");
  assert_formats (sa_format_count (1234567), "1.234.567");
  assert_formats (sa_format_count (999), "999");
  assert_formats (sa_format_decimal (1.42487, 4), "1,4249");
  assert_formats (sa_format_decimal (0.5, 2), "0,50");
  assert_formats (sa_format_decimal (12345.5, 1), "12.345,5");
  assert_formats (sa_format_significant (4.58e-05, 2), "0,000046");
  assert_formats (sa_format_percent (0.65, 0), "65\u00a0%");
  assert_formats (sa_format_percent (0.505, 1), "50,5\u00a0%");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C.UTF-8");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soundalike/format/c-locale", test_c_locale);
  g_test_add_func ("/soundalike/format/german", test_german);
  return g_test_run ();
}
