/* sa-open-dialog.h: choose a feature file, a metadata file and an audio folder
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_OPEN_DIALOG (sa_open_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SaOpenDialog, sa_open_dialog, SA, OPEN_DIALOG, GtkWindow)

/* ::open (features, metadata or NULL, audio folder or NULL) is emitted on Open. */
SaOpenDialog *sa_open_dialog_new (GtkWindow *parent);
void sa_open_dialog_set_features (SaOpenDialog *self, const char *path);

G_END_DECLS
