#include "join_hash.h"

#include "buf.h"
#include "join_buildtab.h"
#include "csvread.h"
#include "csvwrite.h"
#include "delim.h"
#include "err.h"
#include "join_key.h"
#include "log.h"
#include "outfile.h"
#include "progress.h"
#include "join_stats.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { L = 0, R = 1 };

struct side {
	const char *path;
	struct csvr *r;
	size_t nf;
	char **names;             /* header, owned */
	int key[JOIN_MAX_KEYS];   /* key column indexes */
	struct join_side *st;     /* its statistics in the result */
	uint32_t examples;        /* unmatched keys listed so far */
	struct buf ex;            /* those keys, '|'-separated */
};

struct join {
	const struct join_opts *o;
	struct side s[2];
	int b;                    /* build side: L or R */
	struct buildtab bt;
	struct intern miss;       /* the streamed side's unmatched keys */
	struct outfile of;
	struct csvb out;          /* output rows, written to of a block at a time */
	int *lkey;                /* per left column: its key index or -1 */
	uint8_t *rkey;            /* per right column: 1 = a key column */
	size_t *rout;             /* the right columns written, in output order */
	size_t nrout;
	const char **bf;          /* a decoded build row */
	size_t *blen;
	struct buf key;
	uint64_t out_rows;
	struct progress prog;     /* on stderr while a side is read */
};

int join_parse_keys(struct join_opts *o, char *spec)
{
	char *save = NULL;
	for (char *tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq = 0;
		const char *l = tok, *r = eq ? eq + 1 : tok;
		if (!*l || !*r) {
			log_error("invalid value for --on: empty column name");
			return GL_EUSAGE;
		}
		if (o->nkeys == JOIN_MAX_KEYS) {
			log_error("invalid value for --on: more than %d key columns", JOIN_MAX_KEYS);
			return GL_EUSAGE;
		}
		o->lkeys[o->nkeys] = l;
		o->rkeys[o->nkeys] = r;
		o->nkeys++;
	}
	if (!o->nkeys) {
		log_error("invalid value for --on: no key column");
		return GL_EUSAGE;
	}
	return 0;
}

int join_parse_columns(struct join_opts *o, char *spec)
{
	char *save = NULL;
	for (char *tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (o->ncolumns == JOIN_MAX_COLUMNS) {
			log_error("invalid value for --right-columns: more than %d columns",
				  JOIN_MAX_COLUMNS);
			return GL_EUSAGE;
		}
		o->columns[o->ncolumns++] = tok;
	}
	if (!o->ncolumns) {
		log_error("invalid value for --right-columns: no column name");
		return GL_EUSAGE;
	}
	return 0;
}

int join_parse_renames(struct join_opts *o, char *spec)
{
	char *save = NULL;
	for (char *tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq || eq == tok || !eq[1]) {
			log_error("invalid value for --rename: '%s' (expected OLD=NEW)", tok);
			return GL_EUSAGE;
		}
		if (o->nrenames == JOIN_MAX_RENAMES) {
			log_error("invalid value for --rename: more than %d columns", JOIN_MAX_RENAMES);
			return GL_EUSAGE;
		}
		*eq = 0;
		o->rename_from[o->nrenames] = tok;
		o->rename_to[o->nrenames] = eq + 1;
		o->nrenames++;
	}
	return 0;
}

/* Size of path for choosing the build side; UINT64_MAX for a pipe. */
static uint64_t file_size(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return UINT64_MAX;
	return (uint64_t)st.st_size;
}

static int open_side(struct side *s, const char *path, const char *const *keys, size_t nkeys,
		     int delim)
{
	struct csvr_rec rec;
	s->path = path;
	int err = delim == DELIM_NONE ? delim_sniff(path, &delim) : 0;
	if (err)
		return err;
	if (delim == DELIM_NONE)
		delim = DELIM_COMMA;
	log_debug("%s: fields split on %s", path, delim_show(delim));
	struct csvr_opts ro = {.delim = delim_text(delim)[0], .dcolon = delim == DELIM_DCOLON};
	if ((err = csvr_open(&s->r, path, &ro)))
		return err;
	err = csvr_next(s->r, &rec);
	if (err < 0)
		return err;
	if (err == 0 || rec.too_long) {
		log_error("%s: %s", path, err ? "header row too long" : "empty file, expected a header row");
		return GL_EFORMAT;
	}
	s->nf = rec.n;
	s->names = calloc(rec.n, sizeof *s->names);
	if (!s->names)
		return GL_ENOMEM;
	for (size_t i = 0; i < rec.n; i++)
		if (!(s->names[i] = strdup(rec.f[i])))
			return GL_ENOMEM;
	for (size_t k = 0; k < nkeys; k++) {
		s->key[k] = csvr_find(&rec, keys[k]);
		if (s->key[k] < 0) {
			log_error("%s: no column '%s' in the header (split on %s)", path, keys[k],
				  delim_show(delim));
			return GL_EFORMAT;
		}
	}
	return 0;
}

/* A row read but not joined: a record too long or ragged. */
#define ROW_BAD 2

/* Next data row of side s, neither counted nor reported: 1, 0 at the end,
 * ROW_BAD, or an error (logged by the reader).  Safe on a thread of its
 * own: it touches s->r and nothing else. */
static int read_row(const struct side *s, struct csvr_rec *rec)
{
	int rc = csvr_next(s->r, rec);
	if (rc <= 0)
		return rc;
	return rec->too_long || rec->n != s->nf ? ROW_BAD : 1;
}

/* Report the row read_row found bad (GL_EFORMAT). */
static int bad_row(const struct side *s, const struct csvr_rec *rec)
{
	if (rec->too_long)
		log_at(s->path, rec->lineno, rec->offset, "record too long");
	else
		log_at(s->path, rec->lineno, rec->offset, "%zu fields, the header has %zu", rec->n,
		       s->nf);
	return GL_EFORMAT;
}

/* Next data row of side s: 1, 0 at the end, or an error (logged). */
static int next_row(struct join *j, struct side *s, struct csvr_rec *rec)
{
	int rc = read_row(s, rec);
	if (rc <= 0) {
		progress_end(&j->prog);
		return rc;
	}
	progress_tick(&j->prog, s->st->rows, gzl_bytes_in(csvr_stream(s->r)));
	if (rc == ROW_BAD)
		return bad_row(s, rec);
	s->st->rows++;
	return 1;
}

/* Note an unmatched key of side s for the examples column. */
static int add_example(struct join *j, struct side *s, const char *key, size_t klen)
{
	if (s->examples >= JOIN_EXAMPLES)
		return 0;
	if ((s->examples++ && buf_addc(&s->ex, '|')) ||
	    joinkey_show(&s->ex, key, klen, j->o->nkeys))
		return GL_ENOMEM;
	return 0;
}

static int taken(char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static int write_header(struct join *j)
{
	FILE *fp = j->of.fp;
	const struct side *l = &j->s[L], *r = &j->s[R];
	const char *suffix = j->o->suffix ? j->o->suffix : "_right";
	struct buf name = {0};
	char **seen = calloc(l->nf + r->nf, sizeof *seen);
	size_t nseen = 0;
	int err = seen ? 0 : GL_ENOMEM;
	for (size_t i = 0; !err && i < l->nf; i++) {
		if (i)
			putc_unlocked(',', fp);
		csvw_str(fp, l->names[i]);
		seen[nseen++] = l->names[i];
	}
	int keep_right = j->o->kind != JOIN_SEMI && j->o->kind != JOIN_ANTI;
	for (size_t k = 0; !err && keep_right && k < j->nrout; k++) {
		size_t c = j->rout[k];
		buf_clear(&name);
		err = buf_adds(&name, r->names[c]);
		while (!err && taken(seen, nseen, name.p))
			err = buf_adds(&name, suffix);
		if (!err && !(seen[nseen] = strdup(name.p)))
			err = GL_ENOMEM;
		if (err)
			break;
		nseen++;
		putc(',', fp);
		csvw_str(fp, name.p);
	}
	putc('\n', fp);
	for (size_t k = l->nf; seen && k < nseen; k++)
		free(seen[k]);
	free(seen);
	buf_free(&name);
	if (err)
		log_error("out of memory writing the header of %s", j->o->out);
	return err;
}

/* Output rows are built in memory and written this many bytes at a time. */
#define JOIN_FLUSH ((size_t)1 << 20)

/* One output row from a left row (lf/ll, NULL when absent) and a right row.
 * A failed allocation stays in j->out.err and a failed write in the
 * FILE's error flag, both reported when the output is flushed. */
static void emit(struct join *j, const char *const *lf, const size_t *ll, const char *const *rf,
		 const size_t *rl)
{
	struct csvb *b = &j->out;
	const struct side *l = &j->s[L], *r = &j->s[R];
	for (size_t i = 0; i < l->nf; i++) {
		if (i)
			csvb_byte(b, ',');
		if (lf)
			csvb_field(b, lf[i], ll[i]);
		else if (j->lkey[i] >= 0)
			csvb_field(b, rf[r->key[j->lkey[i]]], rl[r->key[j->lkey[i]]]);
	}
	if (j->o->kind != JOIN_SEMI && j->o->kind != JOIN_ANTI)
		for (size_t k = 0; k < j->nrout; k++) {
			csvb_byte(b, ',');
			if (rf)
				csvb_field(b, rf[j->rout[k]], rl[j->rout[k]]);
		}
	csvb_byte(b, '\n');
	j->out_rows++;
	if (b->len >= JOIN_FLUSH)
		csvb_write(b, j->of.fp);
}

/* Emit a streamed row with a build row (or none), each on its own side. */
static void emit_pair(struct join *j, const struct csvr_rec *rec, uint32_t brow)
{
	const char *const *sf = (const char *const *)rec->f;
	const char *const *bf = NULL;
	const size_t *bl = NULL;
	if (brow != BT_NONE) {
		rowstore_get(&j->bt.rows, brow, j->bf, j->blen, j->s[j->b].nf);
		bf = j->bf;
		bl = j->blen;
	}
	if (j->b == R)
		emit(j, sf, rec->len, bf, bl);
	else
		emit(j, bf, bl, sf, rec->len);
}

static void start_progress(struct join *j, const struct side *s)
{
	uint64_t size = file_size(s->path);
	progress_start(&j->prog, s->path, size == UINT64_MAX ? 0 : size,
		       log_verbosity() == LOG_QUIET);
}

static int over_limit(struct join *j, const struct csvr_rec *rec)
{
	const struct join_opts *o = j->o;
	const char *what = NULL;
	uint64_t limit = 0;
	if (o->max_build_rows && j->bt.rows.n > o->max_build_rows)
		what = "--max-build-rows", limit = o->max_build_rows;
	else if (o->max_build_bytes && buildtab_memory(&j->bt) > o->max_build_bytes)
		what = "--max-build-bytes", limit = o->max_build_bytes;
	if (!what)
		return 0;
	log_at(j->s[j->b].path, rec->lineno, rec->offset,
	       "the in-memory side of the join passes %s (%" PRIu64 "); build from the smaller "
	       "table (--build) or raise the limit",
	       what, limit);
	return GL_ELIMIT;
}

/* Whether the kind keeps unmatched rows of side (L or R). */
static int keeps_unmatched(int kind, int side)
{
	switch (kind) {
	case JOIN_LEFT: return side == L;
	case JOIN_RIGHT: return side == R;
	case JOIN_FULL: return 1;
	case JOIN_ANTI: return side == L;
	default: return 0;
	}
}

/* The streamed side is read JOIN_BATCH rows at a time: each row's fields
 * and key are copied out of the reader's buffer, then the hash slots of
 * the batch's keys, their stored keys and the build rows they match are
 * asked of the cache one step per pass over the batch, and only then are
 * the rows joined, in input order.  A probe is a few dependent cache
 * misses into tables of megabytes (perf: 45% of a join's time was the
 * look-up and the build row's first byte); asked together, the misses of
 * a batch overlap instead of following one another. */
#define JOIN_BATCH 16

struct batch {
	size_t nf, n, cap;           /* rows held, and room for */
	const uint8_t *need;         /* per field: 1 = copied; NULL: every field */
	struct buf text;             /* "", the rows' fields, then their keys */
	size_t *foff, *flen;         /* per row, per field: offset in text, length */
	char **f;                    /* the same as pointers, once the batch is full */
	size_t *koff, *klen;         /* per row: its key in text */
	int *null;
	uint32_t *g;
	struct csvr_rec *rec;
	/* a block of the reader thread (stream_threaded): */
	int rc;                      /* read_row's last result: 1 = more may follow */
	struct csvr_rec bad;         /* the row when rc is ROW_BAD (no fields) */
	uint64_t bytes_in;           /* the input's bytes read, for the progress line */
};

static int batch_init(struct batch *b, size_t nf, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->nf = nf;
	b->cap = cap;
	b->foff = malloc(cap * nf * sizeof *b->foff);
	b->flen = malloc(cap * nf * sizeof *b->flen);
	b->f = malloc(cap * nf * sizeof *b->f);
	b->koff = malloc(cap * sizeof *b->koff);
	b->klen = malloc(cap * sizeof *b->klen);
	b->null = malloc(cap * sizeof *b->null);
	b->g = malloc(cap * sizeof *b->g);
	b->rec = malloc(cap * sizeof *b->rec);
	return b->foff && b->flen && b->f && b->koff && b->klen && b->null && b->g && b->rec
		       ? 0
		       : GL_ENOMEM;
}

static void batch_free(struct batch *b)
{
	buf_free(&b->text);
	free(b->foff);
	free(b->flen);
	free(b->f);
	free(b->koff);
	free(b->klen);
	free(b->null);
	free(b->g);
	free(b->rec);
}

/* Copy rec and its key (NULL or not) into the batch as row b->n. */
static int batch_add(struct batch *b, const struct csvr_rec *rec, const char *key, size_t klen,
		     int null)
{
	size_t i = b->n, *foff = b->foff + i * b->nf, *flen = b->flen + i * b->nf;
	for (size_t c = 0; c < b->nf; c++) {
		if (b->need && !b->need[c]) {
			foff[c] = flen[c] = 0; /* never read: the "" at the text's start */
			continue;
		}
		size_t len = rec->len[c];
		if (buf_reserve(&b->text, len + 1))
			return GL_ENOMEM;
		foff[c] = b->text.len;
		flen[c] = len;
		memcpy(b->text.p + b->text.len, rec->f[c], len);
		b->text.len += len;
		b->text.p[b->text.len++] = 0;
	}
	b->koff[i] = b->text.len;
	b->klen[i] = null ? 0 : klen;
	if (!null && buf_add(&b->text, key, klen))
		return GL_ENOMEM;
	b->null[i] = null;
	b->rec[i] = (struct csvr_rec){.n = rec->n, .lineno = rec->lineno, .offset = rec->offset};
	b->n++;
	return 0;
}

/* Read rows of side s into b (emptied first) until it holds b->cap rows
 * or max bytes of text, *rc the last read's result (1: more may follow),
 * then point the rows' fields into b.  With reader set (the reader
 * thread) rows are read by read_row: nothing is counted or reported, a
 * bad row stays in b->bad for the joining thread to report, and keys are
 * made in kb; else by next_row, keys in j->key.  0 or an error (logged). */
static int batch_read(struct join *j, struct side *s, struct batch *b, int reader,
		      struct buf *kb, size_t max, int *rc)
{
	struct csvr_rec rec;
	b->n = 0;
	buf_clear(&b->text);
	if (buf_addc(&b->text, 0)) { /* offset 0: the "" of the fields not copied */
		log_error("out of memory reading %s", s->path);
		return GL_ENOMEM;
	}
	while (b->n < b->cap && b->text.len < max) {
		*rc = reader ? read_row(s, &rec) : next_row(j, s, &rec);
		if (*rc == ROW_BAD)
			b->bad = (struct csvr_rec){.n = rec.n, .lineno = rec.lineno,
						   .offset = rec.offset, .too_long = rec.too_long};
		if (*rc != 1)
			break;
		const char *key;
		size_t klen;
		int null = joinkey_make(kb, rec.f, rec.len, s->key, j->o->nkeys,
					j->o->empty == JOIN_EMPTY_NULL, &key, &klen);
		if (null < 0)
			return null;
		if (batch_add(b, &rec, key, klen, null)) {
			log_error("out of memory reading %s", s->path);
			return GL_ENOMEM;
		}
	}
	for (size_t i = 0; i < b->n; i++) {
		for (size_t c = 0; c < b->nf; c++)
			b->f[i * b->nf + c] = b->text.p + b->foff[i * b->nf + c];
		b->rec[i].f = b->f + i * b->nf;
		b->rec[i].len = b->flen + i * b->nf;
	}
	return 0;
}

/* Ask the cache for the hash slots of rows [from, to)'s keys, then for
 * the keys stored there. */
static void batch_prefetch(struct join *j, struct batch *b, size_t from, size_t to)
{
	for (int step = 0; step < 2; step++)
		for (size_t i = from; i < to; i++)
			if (!b->null[i])
				intern_prefetch(&j->bt.keys, b->text.p + b->koff[i], b->klen[i], step);
}

/* Read up to JOIN_BATCH rows of side s into b, *rc as next_row returns it
 * for the last, and ask the cache for their keys' slots.  0 or an error
 * (logged). */
static int batch_fill(struct join *j, struct side *s, struct batch *b, int *rc)
{
	int err = batch_read(j, s, b, 0, &j->key, SIZE_MAX, rc);
	if (!err)
		batch_prefetch(j, b, 0, b->n);
	return err;
}

/* The batch's look-ups, and the cache asked for the build rows they find. */
static void batch_find(struct join *j, struct batch *b, size_t from, size_t to)
{
	const struct buildtab *t = &j->bt;
	for (size_t i = from; i < to; i++) {
		b->g[i] = b->null[i] ? BT_NONE : buildtab_find(t, b->text.p + b->koff[i], b->klen[i]);
		if (b->g[i] != BT_NONE)
			rowstore_prefetch_index(&t->rows, t->head[b->g[i]]);
	}
	for (size_t i = from; i < to; i++)
		if (b->g[i] != BT_NONE)
			rowstore_prefetch(&t->rows, t->head[b->g[i]]);
}

/* Join one streamed row whose key found group g (BT_NONE: none). */
static int probe(struct join *j, struct side *s, const struct csvr_rec *rec, const char *key,
		 size_t klen, int null, uint32_t g)
{
	int st = !j->b, kind = j->o->kind;
	if (g != BT_NONE) {
		j->bt.matched[g] = 1;
		if (kind == JOIN_SEMI || kind == JOIN_ANTI) {
			if (kind == JOIN_SEMI && st == L)
				emit_pair(j, rec, BT_NONE);
			return 0;
		}
		for (uint32_t b = j->bt.head[g]; b != BT_NONE; b = j->bt.next[b])
			emit_pair(j, rec, b);
		return 0;
	}
	s->st->unmatched_rows++;
	if (!null) {
		uint32_t id;
		int added = intern_put(&j->miss, key, klen, &id);
		if (added < 0) {
			log_error("out of memory reading %s", s->path);
			return added;
		}
		if (added && add_example(j, s, key, klen))
			return GL_ENOMEM;
	}
	if (keeps_unmatched(kind, st))
		emit_pair(j, rec, BT_NONE);
	return 0;
}

/* The batch for reading side s, and its progress line started. */
static int batch_begin(struct join *j, struct side *s, struct batch *b)
{
	int err = batch_init(b, s->nf, JOIN_BATCH);
	if (err) {
		batch_free(b);
		log_error("out of memory reading %s", s->path);
		return err;
	}
	start_progress(j, s);
	return 0;
}

/* Add rows [from, to) of b to the build table, in input order. */
static int build_rows(struct join *j, struct side *s, struct batch *b, size_t from, size_t to)
{
	int err = 0;
	for (size_t i = from; i < to && !err; i++) {
		const struct csvr_rec *rec = &b->rec[i];
		err = buildtab_add(&j->bt, b->text.p + b->koff[i], b->klen[i], b->null[i], rec->f,
				   rec->len, s->nf);
		if (err == GL_ELIMIT)
			log_at(s->path, rec->lineno, rec->offset,
			       "more than 2^32 - 2 rows or keys on the in-memory side");
		else if (err)
			log_error("out of memory reading %s", s->path);
		else
			err = over_limit(j, rec);
	}
	return err;
}

/* The build side on one thread, a batch at a time (batch_fill asks for the
 * hash slots its rows' keys go to). */
static int load_build_serial(struct join *j)
{
	struct side *s = &j->s[j->b];
	struct batch b;
	int rc = 1, err = batch_begin(j, s, &b);
	if (err)
		return err;
	while (!err && rc == 1) {
		if ((err = batch_fill(j, s, &b, &rc)) || rc < 0)
			break;
		err = build_rows(j, s, &b, 0, b.n);
	}
	batch_free(&b);
	return err ? err : rc;
}

/* A streamed right row is read only at its key columns and the right
 * columns written (emit): only those are copied into a batch.  A left row
 * is written whole (NULL: every field). */
static int stream_need(struct join *j, const struct side *s, uint8_t **need)
{
	*need = NULL;
	if (j->b == R)
		return 0;
	if (!(*need = calloc(s->nf, 1))) {
		log_error("out of memory reading %s", s->path);
		return GL_ENOMEM;
	}
	for (size_t c = 0; c < s->nf; c++)
		(*need)[c] = j->rkey[c];
	for (size_t k = 0; k < j->nrout; k++)
		(*need)[j->rout[k]] = 1;
	return 0;
}

/* The stream on one thread: read a batch, join it, and again. */
static int stream_serial(struct join *j, const uint8_t *need)
{
	struct side *s = &j->s[!j->b];
	struct batch b;
	int rc = 1, err = batch_begin(j, s, &b);
	if (err)
		return err;
	b.need = need;
	while (!err && rc == 1) {
		if ((err = batch_fill(j, s, &b, &rc)) || rc < 0)
			break;
		batch_find(j, &b, 0, b.n);
		for (size_t i = 0; i < b.n && !err; i++)
			err = probe(j, s, &b.rec[i], b.text.p + b.koff[i], b.klen[i], b.null[i],
				    b.g[i]);
	}
	batch_free(&b);
	return err ? err : rc;
}

/* A side on two threads: a reader thread parses it into blocks of rows
 * (its CSV, their keys, the fields the join needs) while this thread uses
 * the blocks before, in order, JOIN_BATCH rows at a time as the serial
 * loops do: the same rows, the same output.  The reader reports nothing
 * itself but what csvr_next logs (I/O and gzip errors, a quote never
 * closed): a bad row goes to this thread, which reports it once it has
 * used every row before it.  Only running out of memory, or the build
 * side passing --max-build-rows or --max-build-bytes within the blocks
 * read ahead (4 MiB at most) of such an error, stops this thread early
 * enough for the reader's message to come too, and first. */
#define JOIN_RING 4
#define JOIN_BLOCK_ROWS 2048
#define JOIN_BLOCK_BYTES ((size_t)1 << 20)

struct ring {
	struct join *j;
	struct side *s;
	struct batch blk[JOIN_RING];
	struct buf key;              /* the reader's composite keys */
	size_t head, count;          /* the oldest full block; full blocks */
	int stop;                    /* the joining thread wants no more */
	int err;                     /* the reader's error (logged) */
	pthread_mutex_t mu;
	pthread_cond_t can_fill, can_take;
};

static void *reader_main(void *arg)
{
	struct ring *g = arg;
	for (size_t n = 0;; n++) {
		pthread_mutex_lock(&g->mu);
		while (g->count == JOIN_RING && !g->stop)
			pthread_cond_wait(&g->can_fill, &g->mu);
		int stop = g->stop;
		pthread_mutex_unlock(&g->mu);
		if (stop)
			break;
		struct batch *b = &g->blk[n % JOIN_RING];
		int rc = 1;
		int err = batch_read(g->j, g->s, b, 1, &g->key, JOIN_BLOCK_BYTES, &rc);
		b->rc = err ? err : rc;
		b->bytes_in = gzl_bytes_in(csvr_stream(g->s->r));
		pthread_mutex_lock(&g->mu);
		g->count++;
		pthread_cond_signal(&g->can_take);
		pthread_mutex_unlock(&g->mu);
		if (b->rc != 1)
			break;
	}
	return NULL;
}

typedef int block_fn(struct join *j, struct side *s, struct batch *b);

/* Add block b's rows to the build table, JOIN_BATCH at a time. */
static int build_block(struct join *j, struct side *s, struct batch *b)
{
	int err = 0;
	for (size_t w = 0; w < b->n && !err; w += JOIN_BATCH) {
		size_t e = b->n - w < JOIN_BATCH ? b->n : w + JOIN_BATCH;
		batch_prefetch(j, b, w, e);
		progress_tick(&j->prog, s->st->rows, b->bytes_in);
		s->st->rows += e - w;
		err = build_rows(j, s, b, w, e);
	}
	return err;
}

/* Join block b's rows, JOIN_BATCH at a time. */
static int join_block(struct join *j, struct side *s, struct batch *b)
{
	int err = 0;
	for (size_t w = 0; w < b->n && !err; w += JOIN_BATCH) {
		size_t e = b->n - w < JOIN_BATCH ? b->n : w + JOIN_BATCH;
		batch_prefetch(j, b, w, e);
		batch_find(j, b, w, e);
		for (size_t i = w; i < e && !err; i++) {
			progress_tick(&j->prog, s->st->rows, b->bytes_in);
			s->st->rows++;
			err = probe(j, s, &b->rec[i], b->text.p + b->koff[i], b->klen[i], b->null[i],
				    b->g[i]);
		}
	}
	return err;
}

/* 0 and side s used (by use, a block at a time), 1 when no thread could
 * be started (nothing read: the serial loop does it), or an error
 * (logged). */
static int read_threaded(struct join *j, struct side *s, const uint8_t *need, block_fn *use)
{
	struct ring *g = calloc(1, sizeof *g);
	int err = g ? 0 : GL_ENOMEM;
	size_t ready = 0;
	for (; !err && ready < JOIN_RING; ready++) {
		if ((err = batch_init(&g->blk[ready], s->nf, JOIN_BLOCK_ROWS))) {
			batch_free(&g->blk[ready]);
			break;
		}
		g->blk[ready].need = need;
	}
	if (err)
		log_error("out of memory reading %s", s->path);
	pthread_t tid;
	int started = 0;
	if (!err) {
		g->j = j;
		g->s = s;
		pthread_mutex_init(&g->mu, NULL);
		pthread_cond_init(&g->can_fill, NULL);
		pthread_cond_init(&g->can_take, NULL);
		started = pthread_create(&tid, NULL, reader_main, g) == 0;
		if (!started) {
			pthread_mutex_destroy(&g->mu);
			pthread_cond_destroy(&g->can_fill);
			pthread_cond_destroy(&g->can_take);
		}
	}
	int rc = started ? 1 : 0;
	if (started) {
		start_progress(j, s);
		for (size_t n = 0; !err && rc == 1; n++) {
			pthread_mutex_lock(&g->mu);
			while (g->count == 0)
				pthread_cond_wait(&g->can_take, &g->mu);
			pthread_mutex_unlock(&g->mu);
			struct batch *b = &g->blk[n % JOIN_RING];
			err = use(j, s, b);
			rc = b->rc;
			if (!err && rc == ROW_BAD)
				err = bad_row(s, &b->bad);
			pthread_mutex_lock(&g->mu);
			g->count--;
			pthread_cond_signal(&g->can_fill);
			pthread_mutex_unlock(&g->mu);
		}
		progress_end(&j->prog);
		pthread_mutex_lock(&g->mu);
		g->stop = 1;
		pthread_cond_signal(&g->can_fill);
		pthread_mutex_unlock(&g->mu);
		pthread_join(tid, NULL);
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->can_fill);
		pthread_cond_destroy(&g->can_take);
	}
	for (size_t i = 0; g && i < ready; i++)
		batch_free(&g->blk[i]);
	if (g)
		buf_free(&g->key);
	free(g);
	if (err)
		return err;
	if (rc < 0)
		return rc;
	return started ? 0 : 1;
}

static int load_build(struct join *j)
{
	int err = j->o->threads == 1 ? 1 : read_threaded(j, &j->s[j->b], NULL, build_block);
	return err == 1 ? load_build_serial(j) : err;
}

static int stream(struct join *j)
{
	struct side *s = &j->s[!j->b];
	uint8_t *need;
	int err = stream_need(j, s, &need);
	if (err)
		return err;
	err = j->o->threads == 1 ? 1 : read_threaded(j, s, need, join_block);
	if (err == 1)
		err = stream_serial(j, need);
	free(need);
	return err;
}

/* After the stream: the build rows the kind keeps on their own, and the
 * build side's statistics. */
static int finish_build(struct join *j)
{
	struct side *s = &j->s[j->b];
	struct buildtab *t = &j->bt;
	int kind = j->o->kind;
	for (uint64_t r = 0; r < t->rows.n; r++) {
		uint32_t g = t->grp[r];
		int matched = g != BT_NONE && t->matched[g];
		if (!matched)
			s->st->unmatched_rows++;
		int out = kind == JOIN_SEMI ? matched : !matched && keeps_unmatched(kind, j->b);
		if (!out || (kind == JOIN_SEMI && j->b != L))
			continue;
		rowstore_get(&t->rows, r, j->bf, j->blen, s->nf);
		if (j->b == L)
			emit(j, j->bf, j->blen, NULL, NULL);
		else
			emit(j, NULL, NULL, j->bf, j->blen);
	}
	uint64_t matched = 0;
	for (uint32_t g = 0; g < buildtab_groups(t); g++) {
		if (t->matched[g]) {
			matched++;
			continue;
		}
		if (s->examples >= JOIN_EXAMPLES)
			continue;
		buf_clear(&j->key);
		size_t len = intern_key(&t->keys, g, NULL, 0);
		if (buf_reserve(&j->key, len + 1))
			return GL_ENOMEM;
		intern_key(&t->keys, g, j->key.p, len + 1);
		if (add_example(j, s, j->key.p, len))
			return GL_ENOMEM;
	}
	struct join_side *bs = s->st, *ss = j->s[!j->b].st;
	bs->keys = buildtab_groups(t);
	bs->matched_keys = ss->matched_keys = matched;
	bs->unmatched_keys = bs->keys - matched;
	ss->unmatched_keys = j->miss.n;
	ss->keys = matched + j->miss.n;
	return 0;
}

/* Name right column c name; another right column of that name steps aside
 * with the suffix, so the renamed one keeps it. */
static int set_name(struct side *r, size_t c, const char *name, const char *suffix)
{
	char *to = strdup(name);
	if (!to)
		return GL_ENOMEM;
	free(r->names[c]);
	r->names[c] = to;
	for (size_t d = 0; d < r->nf; d++) {
		if (d == c || strcmp(r->names[d], to) != 0)
			continue;
		struct buf b = {0};
		int err = buf_adds(&b, to);
		while (!err && taken(r->names, r->nf, b.p))
			err = buf_adds(&b, suffix ? suffix : "_right");
		if (err) {
			buf_free(&b);
			return GL_ENOMEM;
		}
		free(r->names[d]);
		r->names[d] = b.p; /* the buffer's bytes, NUL-terminated, now owned here */
	}
	return 0;
}

/* --rename: give right columns their new names (keys found already). */
static int rename_right(struct join *j)
{
	struct side *r = &j->s[R];
	for (size_t k = 0; k < j->o->nrenames; k++) {
		const char *from = j->o->rename_from[k];
		size_t c = 0;
		while (c < r->nf && strcmp(r->names[c], from) != 0)
			c++;
		if (c == r->nf) {
			log_error("%s: no column '%s' to rename (--rename %s=%s)", r->path, from, from,
				  j->o->rename_to[k]);
			return GL_EFORMAT;
		}
		for (size_t i = 0; i < j->o->nkeys; i++)
			if (r->key[i] == (int)c) {
				log_error("--rename %s=%s: %s is a key column of %s, which the output "
					  "names as the left side does",
					  from, j->o->rename_to[k], from, r->path);
				return GL_EUSAGE;
			}
		int err = set_name(r, c, j->o->rename_to[k], j->o->suffix);
		if (err)
			return err;
	}
	return 0;
}

/* --right-columns: the right columns written, found by their header names
 * before --rename gives them new ones. */
static int select_right(struct join *j)
{
	const struct side *r = &j->s[R];
	const struct join_opts *o = j->o;
	j->rout = malloc((o->ncolumns ? o->ncolumns : r->nf) * sizeof *j->rout);
	if (!j->rout)
		return GL_ENOMEM;
	for (size_t k = 0; k < o->ncolumns; k++) {
		size_t c = 0;
		while (c < r->nf && strcmp(r->names[c], o->columns[k]) != 0)
			c++;
		if (c == r->nf) {
			log_error("%s: no column '%s' (--right-columns); its header has %zu columns: "
				  "name them as the header does",
				  r->path, o->columns[k], r->nf);
			return GL_EFORMAT;
		}
		for (size_t i = 0; i < o->nkeys; i++)
			if (r->key[i] == (int)c) {
				log_error("--right-columns %s: %s is a key column of %s; the output has "
					  "it among the left columns already",
					  o->columns[k], o->columns[k], r->path);
				return GL_EUSAGE;
			}
		for (size_t i = 0; i < k; i++)
			if (j->rout[i] == c) {
				log_error("--right-columns names '%s' twice", o->columns[k]);
				return GL_EUSAGE;
			}
		j->rout[k] = c;
	}
	j->nrout = o->ncolumns;
	return 0;
}

/* Which column of each side is a key; scratch for decoding build rows. */
static int plan_columns(struct join *j)
{
	const struct side *l = &j->s[L], *r = &j->s[R];
	size_t nb = j->s[j->b].nf;
	j->lkey = malloc(l->nf * sizeof *j->lkey);
	j->rkey = calloc(r->nf, 1);
	j->bf = malloc(nb * sizeof *j->bf);
	j->blen = malloc(nb * sizeof *j->blen);
	if (!j->lkey || !j->rkey || !j->bf || !j->blen)
		return GL_ENOMEM;
	for (size_t i = 0; i < l->nf; i++)
		j->lkey[i] = -1;
	for (size_t k = j->o->nkeys; k-- > 0;) {
		j->lkey[l->key[k]] = (int)k;
		j->rkey[r->key[k]] = 1;
	}
	if (!j->o->ncolumns)
		for (size_t c = 0; c < r->nf; c++)
			if (!j->rkey[c])
				j->rout[j->nrout++] = c;
	return 0;
}

static int choose_build(const struct join_opts *o)
{
	if (o->build == JOIN_BUILD_LEFT)
		return L;
	if (o->build == JOIN_BUILD_RIGHT)
		return R;
	return file_size(o->left) < file_size(o->right) ? L : R;
}

static int run(struct join *j, struct join_result *res)
{
	const struct join_opts *o = j->o;
	if (strcmp(o->left, "-") == 0 && strcmp(o->right, "-") == 0) {
		log_error("only one side of a join can be read from stdin");
		return GL_EUSAGE;
	}
	j->b = choose_build(o);
	res->built = j->b;
	for (int s = 0; s < 2; s++) {
		j->s[s].st = &res->side[s];
		res->side[s].file = s == L ? o->left : o->right;
	}
	int err = open_side(&j->s[L], o->left, o->lkeys, o->nkeys, o->delim);
	if (!err)
		err = open_side(&j->s[R], o->right, o->rkeys, o->nkeys, o->delim);
	if (!err)
		err = select_right(j);
	if (!err)
		err = rename_right(j);
	if (!err)
		err = plan_columns(j);
	if (!err)
		err = outfile_open(&j->of, o->out);
	if (!err) {
		setvbuf(j->of.fp, NULL, _IOFBF, (size_t)1 << 20);
		err = write_header(j);
	}
	if (!err)
		err = load_build(j);
	if (!err)
		err = stream(j);
	if (!err)
		err = finish_build(j);
	/* the rows still in memory; a failed write is outfile_flush's to report */
	if (!err && (err = csvb_write(&j->out, j->of.fp)) == GL_EIO)
		err = 0;
	progress_end(&j->prog);
	if (err == GL_ENOMEM)
		log_error("out of memory");
	if (err) {
		outfile_abort(&j->of);
		return err;
	}
	res->out_rows = j->out_rows;
	for (int s = 0; s < 2; s++) {
		struct side *sd = &j->s[s];
		if (buf_addc(&sd->ex, 0) == 0)
			res->side[s].examples = strdup(sd->ex.p);
	}
	/* The table and its statistics as one set: a full disk, a bad --stats
	 * path or a failed rename keeps the earlier pair. */
	enum { OUT_TABLE, OUT_STATS, OUT_N };
	struct outfile out[OUT_N] = {j->of, {.slot = -1}};
	memset(&j->of, 0, sizeof j->of); /* the set has it now */
	if (o->stats && (err = join_write_stats(&out[OUT_STATS], o->stats, res))) {
		outfile_abort_set(out, OUT_N);
		return err;
	}
	return outfile_commit_set(out, OUT_N);
}

int join_run(const struct join_opts *o, struct join_result *res)
{
	struct join_result tmp;
	struct join j;
	memset(&j, 0, sizeof j);
	j.o = o;
	if (!res)
		res = &tmp;
	memset(res, 0, sizeof *res);
	buildtab_init(&j.bt);
	intern_init(&j.miss, 0);
	int err = run(&j, res);
	for (int s = 0; s < 2; s++) {
		csvr_close(j.s[s].r);
		for (size_t i = 0; j.s[s].names && i < j.s[s].nf; i++)
			free(j.s[s].names[i]);
		free(j.s[s].names);
		buf_free(&j.s[s].ex);
	}
	buildtab_free(&j.bt);
	intern_free(&j.miss);
	free(j.lkey);
	free(j.rkey);
	free(j.rout);
	free(j.bf);
	free(j.blen);
	buf_free(&j.key);
	csvb_free(&j.out);
	if (res == &tmp || err)
		join_result_free(res);
	return err;
}
