/* sa-format.c: numbers for people, in the user's locale
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>

#include "sa-format.h"

/* glibc can write a thousands separator that is not valid UTF-8 in some locales' legacy
 * encodings; the window needs UTF-8 whatever the locale's charset */
static char *
to_utf8 (char *text)
{
  char *utf8;

  if (g_utf8_validate (text, -1, NULL))
    return text;
  utf8 = g_locale_to_utf8 (text, -1, NULL, NULL, NULL);
  g_free (text);
  return utf8 ? utf8 : g_strdup ("?");
}

char *
sa_format_count (guint64 n)
{
  return to_utf8 (g_strdup_printf ("%'" PRIu64, n));
}

char *
sa_format_decimal (double value, guint decimals)
{
  g_return_val_if_fail (decimals <= 17, NULL);

  if (!isfinite (value))
    return g_strdup ("–");
  /* what would print as -0.00 is 0.00 */
  if (fabs (value) < 0.5 * pow (10.0, -(double) decimals))
    value = 0;
  return to_utf8 (g_strdup_printf ("%'.*f", (int) decimals, value));
}

char *
sa_format_significant (double value, guint significant)
{
  int decimals;

  g_return_val_if_fail (significant >= 1 && significant <= 17, NULL);

  if (!isfinite (value))
    return g_strdup ("–");
  if (value == 0)
    return sa_format_decimal (0, 0);
  decimals = (int) significant - 1 - (int) floor (log10 (fabs (value)));
  return sa_format_decimal (value, (guint) CLAMP (decimals, 0, 6));
}

char *
sa_format_percent (double fraction, guint decimals)
{
  g_autofree char *number = sa_format_decimal (100.0 * fraction, decimals);

  /* Translators: a percentage; %s is the number.  Write it as your language does, for
   * example "%s %%" with a no-break space in German and French. */
  return g_strdup_printf (_ ("%s%%"), number);
}
