/* keytab.h - a dimension table (users.csv, items.csv) read by dense id: the
 * source's key of every id, and any further columns the caller keeps.
 *
 * The table's header starts `<idcol>,<key>` (user,user_id; item,movie_id;
 * item,work_id ...): the key column is whatever the second column is called,
 * so a source names its own keys.  Rows come in any order; every id must be
 * below n and appear once.  Ids without a row read as having no key.
 *
 * The fingerprint names the table a model was trained with (lib/glm.h
 * stores it): FNV-1a 64 over, for every id 0..n-1 in order, the key's bytes
 * and one 0xff byte (which UTF-8 text never holds; an id without a row adds
 * only the 0xff).  Two tables agree when their keys agree id by id.
 */
#ifndef GL_KEYTAB_H
#define GL_KEYTAB_H

#include "glm.h"
#include "glr.h"

#include <stdint.h>

#define KEYTAB_MAX_KEEP 4

struct keytab {
	char *path;                 /* as opened, owned */
	uint64_t n;                 /* ids 0..n-1 */
	uint64_t rows;              /* rows read */
	char *key_name;             /* the second column's name, owned */
	char **head;                /* header names, nhead of them */
	int nhead;
	int keep[1 + KEYTAB_MAX_KEEP]; /* header index of each kept column (0: the key) */
	int nkeep;
	char *text;                 /* the kept fields, NUL-terminated (lib/bigmem) */
	size_t text_len, text_cap;
	uint64_t *off;              /* n x nkeep: offset into text + 1; 0 = none */
	size_t off_size;            /* its bytes, as allocated */
	struct csvr *r;             /* open between keytab_open and keytab_read */
};

/* Open path and read its header, which must start idcol,<key>.  t->head
 * then lists the
 * columns, for keytab_keep.  0 or a gl_err (logged with the file); on
 * failure t is freed. */
int keytab_open(struct keytab *t, const char *path, const char *idcol, uint64_t n);

/* Keep the column named name too: its slot for keytab_get (1, 2, ...), or
 * -1 when the header has no such column (or KEYTAB_MAX_KEEP are kept). */
int keytab_keep(struct keytab *t, const char *name);

/* Read the rows.  An id that is not a decimal below n, or a second row for
 * an id, is GL_EFORMAT (logged with file, line and byte offset); on
 * failure t is freed. */
int keytab_read(struct keytab *t);

/* Where the table is: given when not NULL, else name in the folder of
 * beside (a file path) when such a file exists, else NULL.  *path is a new
 * string or NULL.  0 or GL_ENOMEM (logged). */
int keytab_locate(const char *given, const char *beside, const char *name, char **path);

/* 0 when every id 0..n-1 has a row (goodlens-filter writes them all), else
 * GL_EFORMAT, logged as "path has R rows for the N <what> of of". */
int keytab_require_all(const struct keytab *t, const char *what, const char *of);

/* keytab_load for the table of g's users (idcol "user") or items ("item"),
 * refusing one that is not g's: a row missing, or, when the table has an
 * n_ratings column (goodlens-filter writes one), an id whose count differs
 * from g's (the items' counts, a pass over every rating, are made by a
 * thread of their own while the table is read).  GL_EFORMAT logged as "path: user 5 has n_ratings 23 but
 * g_path holds 19 of its ratings: ...".  keep (may be NULL) names one
 * more column to keep: its slot in *slot, -1 when absent. */
int keytab_load_for(struct keytab *t, const char *path, const char *idcol, const struct glr *g,
		    const char *g_path, const char *keep, int *slot);

/* keytab_open + keytab_read: the keys alone. */
int keytab_load(struct keytab *t, const char *path, const char *idcol, uint64_t n);

void keytab_free(struct keytab *t);

/* Id's key ("" without a row). */
const char *keytab_key(const struct keytab *t, uint64_t id);

/* Id's field in kept slot s, or NULL (no row, or the row is short). */
const char *keytab_get(const struct keytab *t, uint64_t id, int s);

/* s as a dense id: decimal digits only (no sign, space or suffix) and
 * below limit.  0 and *id, or -1 (nothing logged). */
int keytab_parse_id(const char *s, uint64_t limit, uint32_t *id);

/* The first id whose key is key: 0 and *id, or -1. */
int keytab_find(const struct keytab *t, const char *key, uint32_t *id);

/* 1 when every row's key is a decimal integer without sign or leading
 * zeros (what MovieLens files hold), else 0. */
int keytab_keys_are_integers(const struct keytab *t);

/* The fingerprint (above), running: start from KEYTAB_FP_INIT and add the
 * key of every id in order (NULL or "" for an id without a row). */
#define KEYTAB_FP_INIT 0xcbf29ce484222325ull
uint64_t keytab_fp_add(uint64_t fp, const char *key);
uint64_t keytab_fingerprint(const struct keytab *t);

/* What a model records of this table (lib/glm.h; a key column's name is
 * kept to GLM_KEYCOL_LEN - 1 bytes, and compared so far). */
void keytab_glm_keys(const struct keytab *t, struct glm_keys *k);

/* Whether a table (its key column col, rows and fingerprint fp) is the one
 * the model recorded in k.  0 when it is, or when k records nothing (then
 * *unchecked is set); GL_EFORMAT, logged in one line naming path, what
 * differs and what to do, when it is not. */
int keytab_check(const struct glm_keys *k, const char *model_path, const char *path,
		 const char *col, uint64_t rows, uint64_t fp, int *unchecked);

#endif
