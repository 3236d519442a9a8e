/* sa-welcome-page.h: the first page, with nothing open
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SA_TYPE_WELCOME_PAGE (sa_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (SaWelcomePage, sa_welcome_page, SA, WELCOME_PAGE, AdwBin)

/* The error of the last attempt to open something, shown under the buttons (NULL: none). */
void sa_welcome_page_set_error (SaWelcomePage *self, const char *error);
const char *sa_welcome_page_get_error (SaWelcomePage *self);

G_END_DECLS
