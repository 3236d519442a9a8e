/* sa-mark-buttons.h: a result's good and bad match buttons, in its row
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_MARK_BUTTONS (sa_mark_buttons_get_type ())
G_DECLARE_FINAL_TYPE (SaMarkButtons, sa_mark_buttons, SA, MARK_BUTTONS, GtkWidget)

/* "result" (an SaResult, or NULL): the row's result; the buttons show its "mark" and a
 * click activates win.mark with (its track, the new mark). */

G_END_DECLS
