/* sa-player-bar.h: what plays, where it is, and the listening modes
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sa-player.h"

G_BEGIN_DECLS

#define SA_TYPE_PLAYER_BAR (sa_player_bar_get_type ())
G_DECLARE_FINAL_TYPE (SaPlayerBar, sa_player_bar, SA, PLAYER_BAR, GtkWidget)

void sa_player_bar_set_player (SaPlayerBar *self, SaPlayer *player);
/* The name of what plays; @path is its tooltip. */
void sa_player_bar_set_title (SaPlayerBar *self, const char *title, const char *path);

G_END_DECLS
