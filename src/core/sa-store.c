/* sa-store.c
 *
 * Copyright 2026 The Soundalike authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its errors are never shown: a store that cannot be opened or written is only a reason
 * to import the sources again, so the messages (for the debug log) are not translated.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sa-compact.h"
#include "sa-error.h"
#include "sa-metadata.h"
#include "sa-store.h"

#define MATRIX_MAGIC    "SAMATRX1"
#define INDEX_MAGIC     "SAINDEX1"
#define COMPACT_MAGIC   "SACODES1"
#define METADATA_MAGIC  "SAMETAD1"
#define BYTE_ORDER_MARK 0x01020304u
/* Raise it whenever what an import computes changes: older stores are imported again. */
#define STORE_VERSION      2
#define MATRIX_DATA_OFFSET 4096
#define HASH_SPAN          (1 << 20)

typedef struct
{
  guint32 present, pad;
  guint64 size;
  gint64 mtime_ns;
  guint8 hash[32];
} DiskFingerprint;

typedef struct
{
  char magic[8];
  guint32 byte_order, version;
  guint8 token[16];
  guint64 n_tracks, stride;
} MatrixHeader;

typedef struct
{
  char magic[8];
  guint32 byte_order, version;
  guint8 token[16];
  guint64 matrix_size;
  DiskFingerprint features, metadata;
  guint32 n_tracks, n_sets, stride, n_sections;
  guint32 report[8];
} IndexHeader;

typedef struct
{
  char name[24];
  guint64 offset, size;
} Section;

/* metadata.bin: this header, then sa_metadata_write_cache's block at METADATA_DATA_OFFSET */
typedef struct
{
  char magic[8];
  guint32 byte_order, version;
  guint8 token[16];
  DiskFingerprint metadata;
} MetadataHeader;

#define METADATA_DATA_OFFSET 128
G_STATIC_ASSERT (sizeof (MetadataHeader) <= METADATA_DATA_OFFSET);

typedef struct
{
  char name[64];
  guint32 offset, length, padded, pad;
  double default_weight;
} DiskSet;

static const char *const group_names[SA_STORE_N_GROUPS]
    = { "group_artist", "group_album", "group_path" };

struct _SaStore
{
  SaStoreContents contents;
  void *map;
  gsize map_size;
  int matrix_fd; /* kept open for sa_store_read_rows(), -1 when none */
  void *compact_map;
  gsize compact_size;
  guint8 token[16];
  char *index; /* the whole index file */
  gsize index_size;
  const Section *sections;
  guint n_sections;
};

char *
sa_store_dir_for (const char *features_path, const char *metadata_path)
{
  g_autofree char *a = NULL, *b = NULL, *key = NULL, *sum = NULL;

  if (g_getenv ("SOUNDALIKE_NO_STORE"))
    return NULL;
  a = g_canonicalize_filename (features_path, NULL);
  b = metadata_path ? g_canonicalize_filename (metadata_path, NULL) : g_strdup ("");
  key = g_strconcat (a, "\n", b, NULL);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  sum[24] = '\0';
  return g_strdup_printf ("%s/soundalike/collections/store-%s", g_get_user_data_dir (), sum);
}

static gboolean
read_at (int fd, void *buf, gsize len, goffset offset)
{
  guint8 *p = buf;
  while (len > 0)
    {
      ssize_t r = pread (fd, p, len, offset);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return FALSE;
      p += r;
      len -= (gsize) r;
      offset += r;
    }
  return TRUE;
}

static gboolean
fingerprint_one (const char *path, SaStoreFingerprint *fp, GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (HASH_SPAN);
  struct stat st;
  gsize len = sizeof fp->hash;
  guint64 head, tail_off;
  int fd;

  memset (fp, 0, sizeof *fp);
  /* only regular files have a store (a FIFO would block here; the import refuses it) */
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, "%s: not a regular file", path);
      return FALSE;
    }
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, SA_ERROR, SA_ERROR_IO, ("%s: cannot open the file: %s"), path,
                   g_strerror (e));
      return FALSE;
    }
  fp->present = TRUE;
  fp->size = (guint64) st.st_size;
  fp->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  /* the head and the tail (where a ZIP keeps its directory with every member's CRC-32) */
  head = MIN (fp->size, HASH_SPAN);
  tail_off = fp->size > 2 * HASH_SPAN ? fp->size - HASH_SPAN : head;
  if (!read_at (fd, buf, head, 0))
    goto fail;
  g_checksum_update (sum, buf, head);
  if (fp->size > head)
    {
      gsize n = fp->size - tail_off;
      if (!read_at (fd, buf, n, tail_off))
        goto fail;
      g_checksum_update (sum, buf, n);
    }
  g_checksum_update (sum, (const guchar *) &fp->size, sizeof fp->size);
  g_checksum_get_digest (sum, fp->hash, &len);
  close (fd);
  return TRUE;

fail:
  close (fd);
  g_set_error (error, SA_ERROR, SA_ERROR_IO, ("%s: cannot read the file"), path);
  return FALSE;
}

gboolean
sa_store_fingerprint (const char *features_path, const char *metadata_path, SaStoreSource *source,
                      GError **error)
{
  memset (source, 0, sizeof *source);
  if (!fingerprint_one (features_path, &source->features, error))
    return FALSE;
  return metadata_path == NULL || fingerprint_one (metadata_path, &source->metadata, error);
}

static void
to_disk (const SaStoreFingerprint *fp, DiskFingerprint *d)
{
  memset (d, 0, sizeof *d);
  d->present = fp->present;
  d->size = fp->size;
  d->mtime_ns = fp->mtime_ns;
  memcpy (d->hash, fp->hash, sizeof d->hash);
}

static gboolean
write_all (int fd, const void *data, gsize len)
{
  const guint8 *p = data;
  while (len > 0)
    {
      ssize_t w = write (fd, p, MIN (len, (gsize) 1 << 30));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return FALSE;
      p += w;
      len -= (gsize) w;
    }
  return TRUE;
}

/* A temporary file beside @path; on success renamed over it. */
typedef struct
{
  char *path, *tmp;
  int fd;
} AtomicFile;

static gboolean
atomic_open (AtomicFile *f, const char *path, GError **error)
{
  f->path = g_strdup (path);
  f->tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  f->fd = g_mkstemp_full (f->tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (f->fd < 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, ("%s: cannot create the file: %s"), path,
                   g_strerror (errno));
      g_clear_pointer (&f->tmp, g_free);
      g_clear_pointer (&f->path, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
atomic_commit (AtomicFile *f, gboolean ok, GError **error)
{
  int e = ok ? 0 : errno;

  if (f->fd >= 0 && close (f->fd) != 0 && ok)
    {
      ok = FALSE;
      e = errno;
    }
  f->fd = -1;
  if (ok && g_rename (f->tmp, f->path) != 0)
    {
      ok = FALSE;
      e = errno;
    }
  if (!ok)
    {
      if (f->tmp)
        g_unlink (f->tmp);
      g_set_error (error, SA_ERROR, SA_ERROR_IO, ("%s: cannot write the file: %s"), f->path,
                   g_strerror (e ? e : EIO));
    }
  g_clear_pointer (&f->tmp, g_free);
  g_clear_pointer (&f->path, g_free);
  return ok;
}

static void
add_section (GByteArray *body, GArray *table, const char *name, gconstpointer data, gsize size)
{
  static const guint8 zeros[64] = { 0 };
  Section s = { { 0 } };

  g_strlcpy (s.name, name, sizeof s.name);
  s.offset = body->len;
  s.size = size;
  g_byte_array_append (body, data, (guint) size);
  g_byte_array_append (body, zeros, (guint) ((64 - body->len % 64) % 64));
  g_array_append_val (table, s);
}

gboolean
sa_store_write (const char *dir, const SaStoreSource *source, const SaStoreContents *c,
                GError **error)
{
  g_autofree char *matrix_path = g_build_filename (dir, "features.f32", NULL);
  g_autofree char *index_path = g_build_filename (dir, "index.bin", NULL);
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GArray) table = g_array_new (FALSE, TRUE, sizeof (Section));
  g_autofree guint8 *page = g_malloc0 (MATRIX_DATA_OFFSET);
  MatrixHeader *mh = (MatrixHeader *) page;
  IndexHeader ih = { { 0 } };
  DiskSet sets[SA_MAX_SETS] = { { { 0 } } };
  gsize matrix_bytes = (gsize) c->n_tracks * c->stride * sizeof (float);
  gsize head_size, table_size;
  AtomicFile f = { NULL, NULL, -1 };
  gboolean ok;
  int fd;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, ("%s: cannot create the folder: %s"), dir,
                   g_strerror (errno));
      return FALSE;
    }

  /* the matrix first: an index is only ever put beside the matrix it names */
  memcpy (mh->magic, MATRIX_MAGIC, 8);
  mh->byte_order = BYTE_ORDER_MARK;
  mh->version = 1;
  for (guint i = 0; i < 4; i++)
    ((guint32 *) mh->token)[i] = g_random_int ();
  mh->n_tracks = c->n_tracks;
  mh->stride = c->stride;
  if (!atomic_open (&f, matrix_path, error))
    return FALSE;
  ok = write_all (f.fd, page, MATRIX_DATA_OFFSET) && write_all (f.fd, c->matrix, matrix_bytes);
  if (!atomic_commit (&f, ok, error))
    return FALSE;

  memcpy (ih.magic, INDEX_MAGIC, 8);
  ih.byte_order = BYTE_ORDER_MARK;
  ih.version = STORE_VERSION;
  memcpy (ih.token, mh->token, sizeof ih.token);
  ih.matrix_size = MATRIX_DATA_OFFSET + matrix_bytes;
  to_disk (&source->features, &ih.features);
  to_disk (&source->metadata, &ih.metadata);
  ih.n_tracks = c->n_tracks;
  ih.n_sets = c->n_sets;
  ih.stride = c->stride;
  ih.report[0] = c->report.n_feature_rows;
  ih.report[1] = c->report.n_metadata_rows;
  ih.report[2] = c->report.n_joined;
  ih.report[3] = c->report.n_features_without_metadata;
  ih.report[4] = c->report.n_metadata_without_features;
  ih.report[5] = c->report.n_duplicate_feature_ids;
  ih.report[6] = c->report.n_duplicate_metadata_ids;
  for (guint i = 0; i < c->n_sets; i++)
    {
      g_strlcpy (sets[i].name, c->sets[i].name, sizeof sets[i].name);
      sets[i].offset = c->sets[i].offset;
      sets[i].length = c->sets[i].length;
      sets[i].padded = c->sets[i].padded;
      sets[i].default_weight = c->sets[i].default_weight;
    }
  add_section (body, table, "sets", sets, c->n_sets * sizeof (DiskSet));
  add_section (body, table, "mean", c->mean, c->stride * sizeof (double));
  add_section (body, table, "std", c->std, c->stride * sizeof (double));
  add_section (body, table, "zero_variance", c->zero_variance, c->stride * sizeof (gboolean));
  add_section (body, table, "col_offset", c->col_offset, c->stride * sizeof (double));
  add_section (body, table, "col_scale", c->col_scale, c->stride * sizeof (double));
  {
    gsize len = 0;
    for (guint i = 0; i < c->n_notes; i++)
      len += strlen (c->notes + len) + 1;
    add_section (body, table, "notes", c->notes ? c->notes : "", len);
  }
  add_section (body, table, "clip_id", c->clip_ids, c->n_tracks * sizeof (gint64));
  add_section (body, table, "meta_row", c->meta_rows, c->n_tracks * sizeof (guint32));
  for (guint g = 0; g < SA_STORE_N_GROUPS; g++)
    if (c->groups[g])
      add_section (body, table, group_names[g], c->groups[g], c->n_tracks * sizeof (guint32));
  ih.n_sections = table->len;
  table_size = table->len * sizeof (Section);
  head_size = (sizeof ih + table_size + 63) / 64 * 64;
  for (guint i = 0; i < table->len; i++)
    g_array_index (table, Section, i).offset += head_size;

  if (!atomic_open (&f, index_path, error))
    return FALSE;
  fd = f.fd;
  ok = write_all (fd, &ih, sizeof ih) && write_all (fd, table->data, table_size)
       && write_all (fd, page + MATRIX_DATA_OFFSET - (head_size - sizeof ih - table_size),
                     head_size - sizeof ih - table_size)
       && write_all (fd, body->data, body->len);
  /* the padding written above comes from the zeroed tail of the header page */
  return atomic_commit (&f, ok, error);
}

static gboolean
same_fingerprint (const DiskFingerprint *d, const SaStoreFingerprint *fp)
{
  return d->present == (guint32) fp->present && d->size == fp->size && d->mtime_ns == fp->mtime_ns
         && memcmp (d->hash, fp->hash, sizeof d->hash) == 0;
}

gconstpointer
sa_store_get_section (SaStore *store, const char *name, gsize *size)
{
  for (guint i = 0; i < store->n_sections; i++)
    if (strncmp (store->sections[i].name, name, sizeof store->sections[i].name) == 0)
      {
        if (size)
          *size = store->sections[i].size;
        return store->index + store->sections[i].offset;
      }
  return NULL;
}

static gconstpointer
need_section (SaStore *store, const char *name, gsize size, const char *path, GError **error)
{
  gsize got = 0;
  gconstpointer p = sa_store_get_section (store, name, &got);

  if (p == NULL || got != size)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, ("%s: section '%s' is missing or damaged"),
                   path, name);
      return NULL;
    }
  return p;
}

static gsize
compact_size (const SaStoreContents *c)
{
  gsize codes = ((gsize) c->n_tracks * c->stride + 63) / 64 * 64;
  return MATRIX_DATA_OFFSET + codes + (gsize) c->n_tracks * c->n_sets * sizeof (float);
}

/* Maps compact.i8 when it belongs to this matrix; a missing or stale one is ignored. */
static void
open_compact (SaStore *store, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "compact.i8", NULL);
  SaStoreContents *c = &store->contents;
  MatrixHeader h;
  struct stat st;
  void *map;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  if (fstat (fd, &st) != 0 || (gsize) st.st_size != compact_size (c)
      || !read_at (fd, &h, sizeof h, 0) || memcmp (h.magic, COMPACT_MAGIC, 8) != 0
      || h.byte_order != BYTE_ORDER_MARK || memcmp (h.token, store->token, sizeof h.token) != 0
      || h.n_tracks != c->n_tracks || h.stride != c->stride)
    {
      close (fd);
      return;
    }
  map = mmap (NULL, compact_size (c), PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    return;
  store->compact_map = map;
  store->compact_size = compact_size (c);
  c->codes = (const gint8 *) map + MATRIX_DATA_OFFSET;
  c->code_errors = (const float *) ((const guint8 *) map + MATRIX_DATA_OFFSET
                                    + ((gsize) c->n_tracks * c->stride + 63) / 64 * 64);
}

gboolean
sa_store_write_compact (SaStore *store, const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "compact.i8", NULL);
  SaStoreContents *c = &store->contents;
  const gsize block = MAX (1, (32u << 20) / (c->stride * sizeof (float)));
  g_autofree guint8 *page = g_malloc0 (MATRIX_DATA_OFFSET);
  g_autofree gint8 *codes = g_malloc (block * c->stride);
  g_autofree float *errors = g_new (float, (gsize) c->n_tracks * c->n_sets);
  gsize codes_bytes = (gsize) c->n_tracks * c->stride;
  MatrixHeader *h = (MatrixHeader *) page;
  AtomicFile f = { NULL, NULL, -1 };
  gboolean ok;

  memcpy (h->magic, COMPACT_MAGIC, 8);
  h->byte_order = BYTE_ORDER_MARK;
  h->version = 1;
  memcpy (h->token, store->token, sizeof h->token);
  h->n_tracks = c->n_tracks;
  h->stride = c->stride;
  if (!atomic_open (&f, path, error))
    return FALSE;
  ok = write_all (f.fd, page, MATRIX_DATA_OFFSET);
  for (gsize r0 = 0; ok && r0 < c->n_tracks; r0 += block)
    {
      gsize nr = MIN (block, c->n_tracks - r0);
      const float *rows = c->matrix + r0 * c->stride;
      sa_compact_encode (rows, nr, c->stride, c->sets, c->n_sets, c->mean, c->std, c->zero_variance,
                         codes, errors + r0 * c->n_sets);
      ok = write_all (f.fd, codes, nr * c->stride);
      /* the mapped rows are not needed again: keep them out of the resident set */
      {
        guintptr a = (guintptr) rows & ~(guintptr) 4095;
        guintptr b = ((guintptr) (rows + nr * c->stride)) & ~(guintptr) 4095;
        if (b > a)
          madvise ((void *) a, b - a, MADV_DONTNEED);
      }
    }
  ok = ok && write_all (f.fd, page + 64, (64 - codes_bytes % 64) % 64)
       && write_all (f.fd, errors, (gsize) c->n_tracks * c->n_sets * sizeof (float));
  if (!atomic_commit (&f, ok, error))
    return FALSE;
  open_compact (store, dir);
  if (c->codes == NULL)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, "%s: cannot map the compact copy", path);
      return FALSE;
    }
  return TRUE;
}

SaStore *
sa_store_open (const char *dir, const SaStoreSource *source, GError **error)
{
  g_autofree char *matrix_path = g_build_filename (dir, "features.f32", NULL);
  g_autofree char *index_path = g_build_filename (dir, "index.bin", NULL);
  g_autoptr (SaStore) store = g_new0 (SaStore, 1);

  store->matrix_fd = -1;
  g_autoptr (GError) local = NULL;
  const IndexHeader *ih;
  const DiskSet *sets;
  MatrixHeader mh;
  struct stat st;
  SaStoreContents *c = &store->contents;
  int fd;

  if (!g_file_get_contents (index_path, &store->index, &store->index_size, &local))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND, ("%s: no store"), dir);
      return NULL;
    }
  ih = (const IndexHeader *) store->index;
  if (store->index_size < sizeof *ih || memcmp (ih->magic, INDEX_MAGIC, 8) != 0
      || ih->byte_order != BYTE_ORDER_MARK || ih->version != STORE_VERSION)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND, ("%s: not a store of this version"),
                   index_path);
      return NULL;
    }
  if (!same_fingerprint (&ih->features, &source->features)
      || !same_fingerprint (&ih->metadata, &source->metadata))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND, ("%s: the store was made from other files"),
                   index_path);
      return NULL;
    }
  if (ih->n_sets == 0 || ih->n_sets > SA_MAX_SETS || ih->n_tracks == 0 || ih->n_sections > 1024
      || sizeof *ih + (gsize) ih->n_sections * sizeof (Section) > store->index_size)
    goto corrupt;
  store->sections = (const Section *) (store->index + sizeof *ih);
  store->n_sections = ih->n_sections;
  for (guint i = 0; i < store->n_sections; i++)
    if (store->sections[i].offset > store->index_size
        || store->sections[i].size > store->index_size - store->sections[i].offset
        || store->sections[i].offset % 8 != 0)
      goto corrupt;

  c->n_tracks = ih->n_tracks;
  c->n_sets = ih->n_sets;
  c->stride = ih->stride;
  if ((sets = need_section (store, "sets", c->n_sets * sizeof (DiskSet), index_path, error)) == NULL
      || (c->mean = need_section (store, "mean", c->stride * sizeof (double), index_path, error))
             == NULL
      || (c->std = need_section (store, "std", c->stride * sizeof (double), index_path, error))
             == NULL
      || (c->zero_variance
          = need_section (store, "zero_variance", c->stride * sizeof (gboolean), index_path, error))
             == NULL
      || (c->col_offset
          = need_section (store, "col_offset", c->stride * sizeof (double), index_path, error))
             == NULL
      || (c->col_scale
          = need_section (store, "col_scale", c->stride * sizeof (double), index_path, error))
             == NULL
      || (c->clip_ids = need_section (store, "clip_id", (gsize) c->n_tracks * sizeof (gint64),
                                      index_path, error))
             == NULL
      || (c->meta_rows = need_section (store, "meta_row", (gsize) c->n_tracks * sizeof (guint32),
                                       index_path, error))
             == NULL)
    return NULL;
  for (guint i = 0, end = 0; i < c->n_sets; i++)
    {
      SaFeatureSet *s = &c->sets[i];
      s->name = (char *) sets[i].name;
      s->offset = sets[i].offset;
      s->length = sets[i].length;
      s->padded = sets[i].padded;
      s->default_weight = sets[i].default_weight;
      if (memchr (sets[i].name, '\0', sizeof sets[i].name) == NULL || s->offset != end
          || s->padded % 16 != 0 || s->length == 0 || s->length > s->padded)
        goto corrupt;
      end += s->padded;
      if (i + 1 == c->n_sets && end != c->stride)
        goto corrupt;
    }
  {
    gsize len = 0;
    const char *notes = sa_store_get_section (store, "notes", &len);
    if (notes == NULL || (len > 0 && notes[len - 1] != '\0'))
      goto corrupt;
    c->notes = notes;
    for (gsize i = 0; i < len; i++)
      c->n_notes += notes[i] == '\0';
  }
  for (guint g = 0; g < SA_STORE_N_GROUPS; g++)
    {
      gsize len = 0;
      const guint32 *groups = sa_store_get_section (store, group_names[g], &len);
      c->groups[g] = len == (gsize) c->n_tracks * sizeof (guint32) ? groups : NULL;
    }
  c->report.n_feature_rows = ih->report[0];
  c->report.n_metadata_rows = ih->report[1];
  c->report.n_joined = ih->report[2];
  c->report.n_features_without_metadata = ih->report[3];
  c->report.n_metadata_without_features = ih->report[4];
  c->report.n_duplicate_feature_ids = ih->report[5];
  c->report.n_duplicate_metadata_ids = ih->report[6];

  fd = g_open (matrix_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND, ("%s: cannot open the file: %s"),
                   matrix_path, g_strerror (errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || (guint64) st.st_size != ih->matrix_size
      || ih->matrix_size != MATRIX_DATA_OFFSET + (guint64) c->n_tracks * c->stride * sizeof (float)
      || !read_at (fd, &mh, sizeof mh, 0) || memcmp (mh.magic, MATRIX_MAGIC, 8) != 0
      || memcmp (mh.token, ih->token, sizeof mh.token) != 0 || mh.n_tracks != c->n_tracks
      || mh.stride != c->stride)
    {
      close (fd);
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT,
                   ("%s: the matrix does not belong to its index"), matrix_path);
      return NULL;
    }
  store->map_size = ih->matrix_size;
  store->map = mmap (NULL, store->map_size, PROT_READ, MAP_SHARED, fd, 0);
  if (store->map == MAP_FAILED)
    {
      close (fd);
      store->map = NULL;
      g_set_error (error, SA_ERROR, SA_ERROR_IO, ("%s: cannot map the file: %s"), matrix_path,
                   g_strerror (errno));
      return NULL;
    }
  store->matrix_fd = fd;
  c->matrix = (const float *) ((const guint8 *) store->map + MATRIX_DATA_OFFSET);
  memcpy (store->token, ih->token, sizeof store->token);
  open_compact (store, dir);
  return g_steal_pointer (&store);

corrupt:
  g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, ("%s: the store's index is damaged"), index_path);
  return NULL;
}

static gboolean
write_to_fd (gconstpointer data, gsize len, gpointer user_data)
{
  return write_all (*(int *) user_data, data, len);
}

gboolean
sa_store_write_metadata (SaStore *store, const char *dir, const SaStoreSource *source,
                         SaMetadata *md, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "metadata.bin", NULL);
  guint8 page[METADATA_DATA_OFFSET] = { 0 };
  MetadataHeader *h = (MetadataHeader *) page;
  AtomicFile f = { NULL, NULL, -1 };
  gboolean ok;

  memcpy (h->magic, METADATA_MAGIC, 8);
  h->byte_order = BYTE_ORDER_MARK;
  h->version = STORE_VERSION;
  memcpy (h->token, store->token, sizeof h->token);
  to_disk (&source->metadata, &h->metadata);
  if (!atomic_open (&f, path, error))
    return FALSE;
  ok = write_all (f.fd, page, sizeof page) && sa_metadata_write_cache (md, write_to_fd, &f.fd);
  return atomic_commit (&f, ok, error);
}

typedef struct
{
  void *map;
  gsize size;
} Mapping;

static void
unmap (gpointer data)
{
  Mapping *m = data;
  munmap (m->map, m->size);
  g_free (m);
}

SaMetadata *
sa_store_open_metadata (SaStore *store, const char *dir, const SaStoreSource *source,
                        GError **error)
{
  g_autofree char *path = g_build_filename (dir, "metadata.bin", NULL);
  g_autoptr (GBytes) whole = NULL, block = NULL;
  const MetadataHeader *h;
  struct stat st;
  Mapping *m;
  void *map;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND, "%s: cannot open the file: %s", path,
                   g_strerror (errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || st.st_size <= METADATA_DATA_OFFSET)
    {
      close (fd);
      g_set_error (error, SA_ERROR, SA_ERROR_CORRUPT, "%s: too short", path);
      return NULL;
    }
  map = mmap (NULL, (gsize) st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_IO, "%s: cannot map the file: %s", path,
                   g_strerror (errno));
      return NULL;
    }
  m = g_new (Mapping, 1);
  m->map = map;
  m->size = (gsize) st.st_size;
  whole = g_bytes_new_with_free_func (map, m->size, unmap, m);
  h = map;
  if (memcmp (h->magic, METADATA_MAGIC, 8) != 0 || h->byte_order != BYTE_ORDER_MARK
      || h->version != STORE_VERSION || memcmp (h->token, store->token, sizeof h->token) != 0
      || !same_fingerprint (&h->metadata, &source->metadata))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_NOT_FOUND,
                   "%s: made for another store, version or file", path);
      return NULL;
    }
  block = g_bytes_new_from_bytes (whole, METADATA_DATA_OFFSET, m->size - METADATA_DATA_OFFSET);
  return sa_metadata_new_from_cache (block, error);
}

const SaStoreContents *
sa_store_get_contents (SaStore *store)
{
  return &store->contents;
}

gboolean
sa_store_read_rows (SaStore *store, guint first, guint count, float *dst)
{
  const SaStoreContents *c = &store->contents;
  gsize row_bytes = (gsize) c->stride * sizeof (float);
  gsize len = (gsize) count * row_bytes, done = 0;
  off_t at = (off_t) MATRIX_DATA_OFFSET + (off_t) first * (off_t) row_bytes;

  if (store->matrix_fd < 0 || (guint64) first + count > c->n_tracks)
    return FALSE;
  while (done < len)
    {
      ssize_t r = pread (store->matrix_fd, (guint8 *) dst + done, len - done, at + (off_t) done);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return FALSE;
      done += (gsize) r;
    }
  return TRUE;
}

void
sa_store_release_matrix (SaStore *store)
{
  if (store->map)
    madvise (store->map, store->map_size, MADV_DONTNEED);
}

void
sa_store_free (SaStore *store)
{
  if (store == NULL)
    return;
  if (store->map)
    munmap (store->map, store->map_size);
  if (store->matrix_fd >= 0)
    close (store->matrix_fd);
  if (store->compact_map)
    munmap (store->compact_map, store->compact_size);
  g_free (store->index);
  g_free (store);
}

void
sa_store_remove (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}
