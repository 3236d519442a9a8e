/* sa-m3u.c: the one M3U playlist writer
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sa-m3u.h"
#include "sa-metadata.h"

struct _SaM3u
{
  GString *text;
  guint n_entries;
};

SaM3u *
sa_m3u_new (void)
{
  SaM3u *self = g_new0 (SaM3u, 1);
  self->text = g_string_new ("#EXTM3U\n");
  return self;
}

void
sa_m3u_free (SaM3u *self)
{
  if (self == NULL)
    return;
  g_string_free (self->text, TRUE);
  g_free (self);
}

/* Characters that would end or split a line for some reader: the C0 and C1 controls
 * (newline, CR, tab, NEL...), DEL, and the Unicode line and paragraph separators. */
static gboolean
breaks_line (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);
  return type == G_UNICODE_CONTROL || type == G_UNICODE_LINE_SEPARATOR
         || type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

char *
sa_m3u_sanitize_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  /* every run of line-breaking characters becomes one space */
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (breaks_line (c))
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* A location that a reader takes back unchanged: UTF-8, printable, not a comment, no space at
 * either end (some players trim lines). */
static gboolean
is_plain (const char *location)
{
  gsize len = strlen (location);

  if (len == 0 || location[0] == '#' || !g_utf8_validate (location, (gssize) len, NULL))
    return FALSE;
  if (g_ascii_isspace (location[0]) || g_ascii_isspace (location[len - 1]))
    return FALSE;
  for (const char *p = location; *p; p = g_utf8_next_char (p))
    if (breaks_line (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* "scheme://": a URI, not a file name */
static gboolean
is_uri (const char *location)
{
  g_autofree char *scheme = g_uri_parse_scheme (location);
  return scheme != NULL && g_str_has_prefix (location + strlen (scheme), "://");
}

/* Percent-encodes every byte of a URI outside printable ASCII (spaces, controls, raw UTF-8
 * or Latin-1 bytes); what is already escaped stays as it is. */
static char *
escape_uri (const char *uri)
{
  GString *out = g_string_sized_new (strlen (uri));

  for (const guchar *p = (const guchar *) uri; *p; p++)
    {
      if (*p > 0x20 && *p < 0x7f)
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

char *
sa_m3u_location (const char *location)
{
  g_autofree char *absolute = NULL;
  char *uri;

  g_return_val_if_fail (location != NULL, NULL);

  if (is_plain (location))
    return g_strdup (location);
  if (is_uri (location))
    return escape_uri (location);
  /* a file name: relative ones are taken from the working folder, as the CLI gave them */
  absolute = g_canonicalize_filename (location, NULL);
  uri = g_filename_to_uri (absolute, NULL, NULL);
  return uri ? uri : escape_uri (absolute);
}

gboolean
sa_m3u_add (SaM3u *self, const char *location, const char *artist, const char *title,
            double seconds)
{
  g_autofree char *line = NULL, *name = NULL, *artist_s = NULL, *title_s = NULL;
  int whole = -1;

  g_return_val_if_fail (self != NULL, FALSE);

  if (location == NULL || *location == '\0')
    return FALSE;
  line = sa_m3u_location (location);
  artist_s = sa_m3u_sanitize_text (artist);
  title_s = sa_m3u_sanitize_text (title);
  if (*title_s == '\0')
    {
      g_autofree char *base = g_path_get_basename (location);
      g_autofree char *display = g_filename_display_name (base);
      g_free (title_s);
      title_s = sa_m3u_sanitize_text (display);
    }
  if (isfinite (seconds) && seconds > 0)
    whole = seconds < (double) G_MAXINT - 1 ? (int) (seconds + 0.5) : G_MAXINT;

  g_string_append_printf (self->text, "#EXTINF:%d,", whole);
  if (*artist_s)
    g_string_append_printf (self->text, "%s - ", artist_s);
  g_string_append_printf (self->text, "%s\n%s\n", title_s, line);
  self->n_entries++;
  return TRUE;
}

gboolean
sa_m3u_add_track (SaM3u *self, SaCollection *collection, guint track)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SA_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (track < sa_collection_get_n_tracks (collection), FALSE);

  path = sa_collection_resolve_audio (collection, track);
  if (path == NULL)
    path = g_strdup (sa_collection_get_field (collection, track, SA_FIELD_PATH));
  return sa_m3u_add (self, path, sa_collection_get_field (collection, track, SA_FIELD_ARTIST),
                     sa_collection_get_field (collection, track, SA_FIELD_TITLE),
                     sa_collection_get_duration (collection, track));
}

guint
sa_m3u_get_n_entries (SaM3u *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_entries;
}

const char *
sa_m3u_get_text (SaM3u *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text->str;
}

gboolean
sa_m3u_write (SaM3u *self, const char *path, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sa_write_file_atomic (path, self->text->str, self->text->len, error);
}
