/* sa-table.h: a small CSV table (header + rows of text), read with libcsv
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the side files that are not metadata: tag files (one 0/1 column per tag)
 * and marks.  RFC 4180 quoting, UTF-8, a blank line is skipped, every row must
 * have the header's number of fields.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SaTable SaTable;

SaTable *sa_table_load (const char *path, GError **error);
SaTable *sa_table_parse (const char *data, gsize len, const char *where, GError **error);
void sa_table_free (SaTable *table);

guint sa_table_get_n_rows (SaTable *table);
guint sa_table_get_n_columns (SaTable *table);
const char *sa_table_get_column_name (SaTable *table, guint column);
int sa_table_find_column (SaTable *table, const char *name);
/* Never NULL. */
const char *sa_table_get (SaTable *table, guint row, guint column);
/* The file's line of a row (for messages). */
guint sa_table_get_line (SaTable *table, guint row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaTable, sa_table_free)

G_END_DECLS
