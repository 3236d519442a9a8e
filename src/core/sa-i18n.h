/* sa-i18n.h: where the translations are, installed or in the build folder
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogues are looked up, in this order:
 *   1. $SOUNDALIKE_LOCALEDIR, when set (a staged install: DESTDIR=... meson install);
 *   2. the build folder's po/ when the program runs from a meson build folder (found by
 *      walking up from the program to the folder holding meson-private/), so that
 *      ./_build/src/app/soundalike speaks German under LANGUAGE=de without any setup;
 *   3. LOCALEDIR, where meson install puts them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* setlocale (LC_ALL, ""), then binds the text domain (UTF-8) to sa_i18n_get_localedir (). */
void sa_i18n_init (void);
/* The folder chosen as above; owned by the library. */
const char *sa_i18n_get_localedir (void);

G_END_DECLS
