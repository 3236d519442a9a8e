/* sa-format.h: numbers for people, in the user's locale
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything the window shows as a number goes through these: the thousands separator and
 * the decimal mark follow LC_NUMERIC (setlocale (LC_ALL, "") at start-up, as main () does):
 * 100000 is "100,000" in English, "100.000" in German, "100 000" in French; 1.42487 with four
 * decimals is "1,4249" in German.  Never for files or for output that programs read (the CLI's
 * TSV, CSV, M3U): those use g_ascii_formatd.  All return newly allocated UTF-8.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A count with the locale's thousands separator: "100.000". */
char *sa_format_count (guint64 n);
/* @value with @decimals digits after the locale's decimal mark: "1,4249".  Never "-0,00":
 * a value that rounds to zero is written as zero.  NaN and infinities are "–". */
char *sa_format_decimal (double value, guint decimals);
/* @value with about @significant digits and no exponent (histogram axes, small distances):
 * 0.0000458 is "0,000046" with 2, 1234.5 is "1.235" (at most 6 decimals). */
char *sa_format_significant (double value, guint significant);
/* @fraction (0.65) as a percentage with @decimals digits, as the language writes it:
 * "65%" in English, "65 %" (a no-break space) in German. */
char *sa_format_percent (double fraction, guint decimals);

G_END_DECLS
