/* sa-open-dialog.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sa-open-dialog.h"

struct _SaOpenDialog
{
  GtkWindow parent_instance;

  GtkButton *open_button;
  GtkButton *cancel_button;
  GtkButton *features_button;
  GtkButton *metadata_button;
  GtkButton *audio_button;
  GtkLabel *features_label;
  GtkLabel *metadata_label;
  GtkLabel *audio_label;

  char *features;
  char *metadata;
  char *audio;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (SaOpenDialog, sa_open_dialog, GTK_TYPE_WINDOW)

enum
{
  SIGNAL_OPEN,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
show_path (GtkLabel *label, const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  gtk_label_set_label (label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), path);
}

/* A metadata file next to the features: metadata.csv, or the only .csv there. */
static char *
guess_metadata (const char *features)
{
  g_autofree char *dir = g_path_get_dirname (features);
  g_autofree char *plain = g_build_filename (dir, "metadata.csv", NULL);
  g_autoptr (GDir) d = NULL;
  const char *name;
  char *found = NULL;
  guint n = 0;

  if (g_file_test (plain, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&plain);
  d = g_dir_open (dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".csv") && !g_str_equal (name, "errors.csv"))
      {
        g_free (found);
        found = g_build_filename (dir, name, NULL);
        n++;
      }
  if (n == 1)
    return found;
  g_free (found);
  return NULL;
}

void
sa_open_dialog_set_features (SaOpenDialog *self, const char *path)
{
  g_free (self->features);
  self->features = g_strdup (path);
  show_path (self->features_label, path);
  if (self->metadata == NULL)
    {
      g_autofree char *guess = guess_metadata (path);
      if (guess)
        {
          self->metadata = g_steal_pointer (&guess);
          show_path (self->metadata_label, self->metadata);
        }
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), TRUE);
}

typedef enum
{
  PICK_FEATURES,
  PICK_METADATA,
  PICK_AUDIO
} Pick;

static void
on_chooser_response (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SaOpenDialog *self = SA_OPEN_DIALOG (user_data);
  Pick pick = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "pick"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path && pick == PICK_FEATURES)
        sa_open_dialog_set_features (self, path);
      else if (path && pick == PICK_METADATA)
        {
          g_free (self->metadata);
          self->metadata = g_strdup (path);
          show_path (self->metadata_label, path);
        }
      else if (path)
        {
          g_free (self->audio);
          self->audio = g_strdup (path);
          show_path (self->audio_label, path);
        }
    }
  g_clear_object (&self->chooser);
}

static void
pick (SaOpenDialog *self, Pick what)
{
  static const char *titles[] = { N_ ("Choose a Feature File"), N_ ("Choose a Metadata File"),
                                  N_ ("Choose the Audio Folder") };
  GtkFileChooserAction action
      = what == PICK_AUDIO ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN;

  g_clear_object (&self->chooser);
  self->chooser
      = gtk_file_chooser_native_new (_ (titles[what]), GTK_WINDOW (self), action, NULL, NULL);
  if (what != PICK_AUDIO)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, what == PICK_FEATURES ? _ ("numpy feature files (.npz)")
                                                              : _ ("Metadata (.csv)"));
      gtk_file_filter_add_pattern (filter, what == PICK_FEATURES ? "*.npz" : "*.csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
      g_object_unref (filter);
    }
  g_object_set_data (G_OBJECT (self->chooser), "pick", GINT_TO_POINTER (what));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_features_clicked (SaOpenDialog *self)
{
  pick (self, PICK_FEATURES);
}

static void
on_metadata_clicked (SaOpenDialog *self)
{
  pick (self, PICK_METADATA);
}

static void
on_audio_clicked (SaOpenDialog *self)
{
  pick (self, PICK_AUDIO);
}

static void
on_open_clicked (SaOpenDialog *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, self->features, self->metadata, self->audio);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_cancel_clicked (SaOpenDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
sa_open_dialog_dispose (GObject *object)
{
  SaOpenDialog *self = SA_OPEN_DIALOG (object);

  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_OPEN_DIALOG);
  G_OBJECT_CLASS (sa_open_dialog_parent_class)->dispose (object);
}

static void
sa_open_dialog_finalize (GObject *object)
{
  SaOpenDialog *self = SA_OPEN_DIALOG (object);

  g_free (self->features);
  g_free (self->metadata);
  g_free (self->audio);
  G_OBJECT_CLASS (sa_open_dialog_parent_class)->finalize (object);
}

static void
sa_open_dialog_class_init (SaOpenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_open_dialog_dispose;
  object_class->finalize = sa_open_dialog_finalize;
  signals[SIGNAL_OPEN]
      = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/soundalike/Soundalike/sa-open-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, features_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, metadata_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, audio_button);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, features_label);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, metadata_label);
  gtk_widget_class_bind_template_child (widget_class, SaOpenDialog, audio_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sa_open_dialog_init (SaOpenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->features_button, "clicked", G_CALLBACK (on_features_clicked),
                            self);
  g_signal_connect_swapped (self->metadata_button, "clicked", G_CALLBACK (on_metadata_clicked),
                            self);
  g_signal_connect_swapped (self->audio_button, "clicked", G_CALLBACK (on_audio_clicked), self);
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (on_open_clicked), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
}

SaOpenDialog *
sa_open_dialog_new (GtkWindow *parent)
{
  return g_object_new (SA_TYPE_OPEN_DIALOG, "transient-for", parent, NULL);
}
