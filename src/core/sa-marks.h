/* sa-marks.h: the user's good and bad matches
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mark says that a result is a good (or a bad) match for a query; both are
 * clip ids.  Marks persist per collection in a CSV file beside it
 * (query_clip_id,result_clip_id,mark with mark "good" or "bad"), written
 * atomically; sa-suggest.h learns weights from them.
 */
#pragma once

#include "sa-collection.h"

G_BEGIN_DECLS

typedef enum
{
  SA_MARK_NONE,
  SA_MARK_GOOD,
  SA_MARK_BAD,
} SaMarkKind;

typedef struct _SaMarks SaMarks;

SaMarks *sa_marks_new (void);
/* A missing file is an empty set of marks; a damaged one is an error. */
SaMarks *sa_marks_load (const char *path, GError **error);
gboolean sa_marks_save (SaMarks *marks, const char *path, GError **error);
void sa_marks_free (SaMarks *marks);

/* Beside the feature file (or in the user's data folder when that cannot be written). */
char *sa_marks_default_path (SaCollection *collection);

/* SA_MARK_NONE removes the mark. */
void sa_marks_set (SaMarks *marks, gint64 query, gint64 result, SaMarkKind kind);
SaMarkKind sa_marks_get (SaMarks *marks, gint64 query, gint64 result);
guint sa_marks_get_n (SaMarks *marks);
/* In the order they were made. */
void sa_marks_get_nth (SaMarks *marks, guint i, gint64 *query, gint64 *result, SaMarkKind *kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMarks, sa_marks_free)

G_END_DECLS
