/* sa-loading-page.h: the page shown while a collection loads or a folder is analysed
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SA_TYPE_LOADING_PAGE (sa_loading_page_get_type ())
G_DECLARE_FINAL_TYPE (SaLoadingPage, sa_loading_page, SA, LOADING_PAGE, AdwBin)

/* What is under way; @fraction < 0 hides the progress bar; a @cancellable shows Cancel. */
void sa_loading_page_start (SaLoadingPage *self, const char *text, double fraction,
                            GCancellable *cancellable);
void sa_loading_page_set_text (SaLoadingPage *self, const char *text);
void sa_loading_page_set_fraction (SaLoadingPage *self, double fraction);
void sa_loading_page_stop (SaLoadingPage *self);

G_END_DECLS
