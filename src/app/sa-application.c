/* sa-application.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sa-application.h"
#include "sa-window.h"

struct _SaApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (SaApplication, sa_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "features", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("Feature file (.npz) to open"), "F.npz" },
  { "metadata", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Its metadata file (.csv); by default the one beside it"), "M.csv" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Open the built-in demo collection (made on first use)"), NULL },
  { "audio-root", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Folder where the collection's audio files are"), "DIR" },
  { NULL },
};

static SaWindow *
get_window (SaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (sa_window_new (GTK_APPLICATION (self)));
  return SA_WINDOW (window);
}

static void
reopen_last (SaApplication *self, SaWindow *window)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *features = NULL, *metadata = NULL;

  if (schema == NULL)
    return;
  settings = g_settings_new (APP_ID);
  features = g_settings_get_string (settings, "last-features");
  metadata = g_settings_get_string (settings, "last-metadata");
  if (*features && g_file_test (features, G_FILE_TEST_IS_REGULAR))
    sa_window_open (window, features, *metadata ? metadata : NULL, NULL);
}

static void
sa_application_activate (GApplication *app)
{
  SaApplication *self = SA_APPLICATION (app);
  GtkWindow *existing = gtk_application_get_active_window (GTK_APPLICATION (app));
  SaWindow *window = get_window (self);

  if (existing == NULL)
    reopen_last (self, window);
  gtk_window_present (GTK_WINDOW (window));
}

static char *
path_arg (GApplicationCommandLine *cmdline, GVariantDict *dict, const char *name)
{
  const char *value = NULL;
  g_autoptr (GFile) file = NULL;

  if (!g_variant_dict_lookup (dict, name, "^&ay", &value) || value == NULL || *value == '\0')
    return NULL;
  file = g_application_command_line_create_file_for_arg (cmdline, value);
  return g_file_get_path (file);
}

static int
sa_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  SaApplication *self = SA_APPLICATION (app);
  GVariantDict *dict = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *features = path_arg (cmdline, dict, "features");
  g_autofree char *metadata = path_arg (cmdline, dict, "metadata");
  g_autofree char *audio = path_arg (cmdline, dict, "audio-root");
  SaWindow *window;

  if (g_variant_dict_contains (dict, "demo"))
    {
      window = get_window (self);
      sa_window_open_demo (window);
      gtk_window_present (GTK_WINDOW (window));
      return 0;
    }
  if (features == NULL)
    {
      if (metadata || audio)
        {
          g_application_command_line_printerr (cmdline, "%s\n",
                                               _ ("--metadata and --audio-root need --features"));
          return 2;
        }
      g_application_activate (app);
      return 0;
    }
  window = get_window (self);
  sa_window_open (window, features, metadata, audio);
  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
action_quit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (user_data));
}

static void
action_about (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *developers[] = { "The Soundalike authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  adw_show_about_window (
      parent, "application-name", _ ("Soundalike"), "application-icon", APP_ID, "version",
      PACKAGE_VERSION, "comments",
      _ ("Find the music that sounds alike: rhythm and timbre similarity, following the ISMIR "
         "2018 tutorial “Deep Learning for MIR”"),
      "license-type", GTK_LICENSE_GPL_3_0, "developers", developers, "developer-name",
      _ ("The Soundalike authors"), "website", "https://github.com/soundalike/soundalike",
      "translator-credits", _ ("translator-credits"), NULL);
}

static void
sa_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "quit", action_quit },
    { "about", action_about },
  };
  const char *quit[] = { "<Control>q", NULL };
  const char *help[] = { "<Control>question", NULL };
  const char *tuning[] = { "<Control>t", NULL };

  G_APPLICATION_CLASS (sa_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-tuning", tuning);
}

static void
sa_application_class_init (SaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = sa_application_activate;
  app_class->startup = sa_application_startup;
  app_class->command_line = sa_application_command_line;
}

static void
sa_application_init (SaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (
      G_APPLICATION (self), _ ("Browse a music collection by how the clips sound."));
}

SaApplication *
sa_application_new (void)
{
  return g_object_new (SA_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE, "resource-base-path",
                       "/io/github/soundalike/Soundalike", NULL);
}
