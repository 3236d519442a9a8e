/* sa-player.h: one playbin for the window (GStreamer only, no GTK)
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plays one clip at a time: a file, optionally between a start and an end time
 * (segmentStart/segmentEnd of a full track), from an offset into the clip.
 * Positions are relative to the clip.  Errors (a missing or undecodable file)
 * send the pipeline to READY and emit ::error with a message naming the file;
 * a machine without an audio device emits ::warning once and plays silently.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SA_TYPE_PLAYER (sa_player_get_type ())
G_DECLARE_FINAL_TYPE (SaPlayer, sa_player, SA, PLAYER, GObject)

SaPlayer *sa_player_new (void);
/* @tag identifies what is playing (a track index); -1 for nothing */
void sa_player_play (SaPlayer *self, const char *path, double clip_start, double clip_end,
                     double offset, int tag);
void sa_player_set_paused (SaPlayer *self, gboolean paused);
void sa_player_toggle (SaPlayer *self);
void sa_player_stop (SaPlayer *self);
void sa_player_seek (SaPlayer *self, double position);
gboolean sa_player_get_playing (SaPlayer *self);
double sa_player_get_position (SaPlayer *self);
double sa_player_get_duration (SaPlayer *self);
int sa_player_get_tag (SaPlayer *self);
const char *sa_player_get_path (SaPlayer *self);

G_END_DECLS
