#include "filter_dimtab.h"

#include "buf.h"
#include "csvread.h"
#include "csvwrite.h"
#include "dimid.h"
#include "err.h"
#include "log.h"
#include "rowstore.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

struct dimtab {
	const struct dimtab_opts *o;
	size_t nf;
	char **names;          /* source header, owned */
	int idcol, groupcol, keycol;
	int *plan;             /* output columns: source indexes */
	size_t nplan;
	struct rowstore rows;  /* kept source rows */
	uint32_t *slot;        /* new id -> row in rows */
	struct rowstore keys;  /* grouped: one key per raw id with a row */
	uint32_t *keyidx;      /* raw id -> its key in keys */
	/* Per raw id, one bit each: it supplies a row (rowmap is not NONE), its
	 * row was taken, it has a group (groupmap is not NONE), its key was
	 * taken.  Rows come in file order, ids at random: the bits fit in the
	 * cache where the maps do not, so a row that is not kept costs no
	 * cache miss, and one that is costs one (rowmap) instead of two. */
	uint64_t *want, *seen, *gwant, *kseen;
	uint64_t dups;
	uint64_t dup_line;
	/* streaming (a plain table): while rows come in id order they are
	 * written as they come, to fp through out; from the first that comes
	 * early on, the rest are held in rows */
	FILE *fp;
	struct csvb out;
	uint64_t next;         /* the next new id to write */
	int disorder;          /* a row came before its turn: hold the rest */
	const char **f;        /* a held row's fields, nf of them */
	size_t *len;
};

static void dimtab_free(struct dimtab *d);

/* How many ids (or group members) ahead the writer asks the cache for the
 * rows it is about to read at random. */
#define PREFETCH_AHEAD 16

/* Rows are built in memory and written this many bytes at a time. */
#define FLUSH_AT ((size_t)1 << 20)

/* ",n_ratings,mean_rating" and the newline. */
static void stats_cols(struct csvb *b, const struct dimtab_opts *o, uint32_t id)
{
	uint32_t n = o->cnt[id];
	csvb_byte(b, ',');
	csvb_u64(b, n);
	csvb_byte(b, ',');
	csvb_fixed(b, n ? (double)o->sum[id] * o->scale / n : 0.0, 4);
	csvb_byte(b, '\n');
}

static void write_header(const struct dimtab *d, FILE *fp)
{
	for (size_t c = 0; c < d->nplan; c++) {
		if (c)
			putc(',', fp);
		csvw_str(fp, d->names[d->plan[c]]);
	}
	if (d->o->groupcol) {
		putc(',', fp);
		csvw_str(fp, d->names[d->keycol]);
		putc('s', fp);
	}
	fputs(",n_ratings,mean_rating\n", fp);
}

/* The plan's columns of one row, the id renumbered (without the grouped
 * column and the stats, which follow). */
static void put_cols(struct csvb *out, const struct dimtab *d, uint64_t id, const char *const *f,
		     const size_t *len)
{
	for (size_t c = 0; c < d->nplan; c++) {
		if (c)
			csvb_byte(out, ',');
		if (d->plan[c] == d->idcol)
			csvb_u64(out, id);
		else
			csvb_field(out, f[d->plan[c]], len[d->plan[c]]);
	}
}

/* Write b out once it holds FLUSH_AT bytes (at the end: whatever it holds).
 * 0 or GL_ENOMEM; a failed write shows in fp's error flag, which the
 * caller's outfile_commit reports with the file's name. */
static int flush(struct csvb *b, FILE *fp, int end)
{
	int err = end || b->len >= FLUSH_AT ? csvb_write(b, fp) : b->err;
	return err == GL_EIO ? 0 : err;
}

/* No source table: <id>,raw_<id>,n_ratings,mean_rating. */
static int write_bare(const struct dimtab_opts *o, FILE *fp)
{
	struct csvb b = {0};
	int err = 0;
	fprintf(fp, "%s,raw_%s,n_ratings,mean_rating\n", o->idcol, o->idcol);
	for (uint64_t r = 0; r < o->n_raw && !err; r++) {
		uint32_t id = o->rowmap[r];
		if (id == NONE)
			continue;
		csvb_u64(&b, id);
		csvb_byte(&b, ',');
		csvb_u64(&b, r);
		stats_cols(&b, o, id);
		err = flush(&b, fp, 0);
	}
	if (!err)
		err = flush(&b, fp, 1);
	csvb_free(&b);
	return err;
}

static int is_stat_col(const char *name)
{
	return strcmp(name, "n_ratings") == 0 || strcmp(name, "mean_rating") == 0;
}

/* Which source columns go out, in which order. */
static int make_plan(struct dimtab *d)
{
	const struct dimtab_opts *o = d->o;
	d->plan = malloc(d->nf * sizeof *d->plan);
	if (!d->plan)
		return GL_ENOMEM;
	if (o->groupcol) {
		d->plan[d->nplan++] = d->idcol;
		d->plan[d->nplan++] = d->groupcol;
	}
	for (size_t c = 0; c < d->nf; c++) {
		int ci = (int)c;
		if (is_stat_col(d->names[c]))
			continue;
		if (o->groupcol && (ci == d->idcol || ci == d->groupcol || ci == d->keycol))
			continue;
		d->plan[d->nplan++] = ci;
	}
	return 0;
}

static int read_header(struct dimtab *d, struct csvr **r)
{
	const struct dimtab_opts *o = d->o;
	struct csvr_rec h;
	int err = dimid_open(r, &h, o->in, o->idcol, &d->idcol, o->groupcol, &d->groupcol);
	if (err)
		return err;
	d->nf = h.n;
	if (!(d->names = calloc(h.n, sizeof *d->names)))
		return GL_ENOMEM;
	for (size_t i = 0; i < h.n; i++)
		if (!(d->names[i] = strdup(h.f[i])))
			return GL_ENOMEM;
	if (o->groupcol) {
		if (d->groupcol < 0) {
			log_error("%s: no column '%s' in the header", o->in, o->groupcol);
			return GL_EFORMAT;
		}
		d->keycol = -1;
		for (size_t c = 0; c < h.n && d->keycol < 0; c++)
			if ((int)c != d->idcol && (int)c != d->groupcol)
				d->keycol = (int)c;
		if (d->keycol < 0) {
			log_error("%s: no key column besides '%s' and '%s'", o->in, o->idcol,
				  o->groupcol);
			return GL_EFORMAT;
		}
	}
	return make_plan(d);
}

static int bit(const uint64_t *b, uint64_t i) { return (b[i >> 6] >> (i & 63)) & 1; }
static void set_bit(uint64_t *b, uint64_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }

/* The bits of ids whose map entry is not NONE; NULL without memory. */
static uint64_t *map_bits(const uint32_t *map, uint64_t n)
{
	uint64_t *b = calloc(n / 64 + 1, sizeof *b);
	for (uint64_t i = 0; b && i < n; i++)
		if (map[i] != NONE)
			set_bit(b, i);
	return b;
}

/* Streaming, the rows so far in id order: write the row of id d->next
 * (fields f, len).  0 or GL_ENOMEM. */
static int stream_row(struct dimtab *d, const char *const *f, const size_t *len)
{
	put_cols(&d->out, d, d->next, f, len);
	stats_cols(&d->out, d->o, (uint32_t)d->next);
	d->next++;
	return flush(&d->out, d->fp, 0);
}

/* Keep rec if its raw id supplies a row or, grouped, a key (streaming: write
 * it now if every row before it is written and none is held). */
static int take_row(struct dimtab *d, const struct csvr_rec *rec)
{
	const struct dimtab_opts *o = d->o;
	uint32_t raw;
	int err = dimid_parse(o->in, rec, d->idcol, o->n_raw, &raw);
	if (err)
		return err;
	if (rec->n != d->nf) {
		log_at(o->in, rec->lineno, rec->offset, "%zu fields, the header has %zu", rec->n,
		       d->nf);
		return GL_EFORMAT;
	}
	if (bit(d->want, raw) && bit(d->seen, raw)) {
		if (!d->dups++)
			d->dup_line = rec->lineno;
	} else if (bit(d->want, raw) && d->fp && !d->disorder && o->rowmap[raw] == d->next) {
		set_bit(d->seen, raw);
		if ((err = stream_row(d, (const char *const *)rec->f, rec->len)))
			return err;
	} else if (bit(d->want, raw)) {
		/* a row before its turn: from here on every row is held and
		 * written at the end, as a table in no order is (writing held
		 * rows between reading others would cost the cache both) */
		d->disorder = 1;
		set_bit(d->seen, raw);
		d->slot[o->rowmap[raw]] = (uint32_t)d->rows.n;
		if (rowstore_add(&d->rows, (const char *const *)rec->f, rec->len, rec->n))
			return GL_ENOMEM;
	}
	if (o->groupcol && bit(d->gwant, raw) && !bit(d->kseen, raw)) {
		set_bit(d->kseen, raw);
		d->keyidx[raw] = (uint32_t)d->keys.n;
		const char *k = rec->f[d->keycol];
		if (rowstore_add(&d->keys, &k, &rec->len[d->keycol], 1))
			return GL_ENOMEM;
	}
	return 0;
}

static int read_rows(struct dimtab *d)
{
	const struct dimtab_opts *o = d->o;
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int rc, err = 0;
	d->slot = malloc((o->n_new ? o->n_new : 1) * sizeof *d->slot);
	if (o->groupcol)
		d->keyidx = malloc((o->n_raw ? o->n_raw : 1) * sizeof *d->keyidx);
	d->want = map_bits(o->rowmap, o->n_raw);
	d->seen = calloc(o->n_raw / 64 + 1, sizeof *d->seen);
	if (o->groupcol) {
		d->gwant = map_bits(o->groupmap, o->n_raw);
		d->kseen = calloc(o->n_raw / 64 + 1, sizeof *d->kseen);
	}
	if (!d->slot || !d->want || !d->seen ||
	    (o->groupcol && (!d->keyidx || !d->gwant || !d->kseen)))
		return GL_ENOMEM;
	memset(d->slot, 0xff, o->n_new * sizeof *d->slot);
	if (o->groupcol)
		memset(d->keyidx, 0xff, o->n_raw * sizeof *d->keyidx);
	err = read_header(d, &r);
	if (!err) {
		d->f = malloc(d->nf * sizeof *d->f);
		d->len = malloc(d->nf * sizeof *d->len);
		if (!d->f || !d->len)
			err = GL_ENOMEM;
		else if (d->fp)
			write_header(d, d->fp);
	}
	while (!err && (rc = csvr_next(r, &rec)) != 0)
		err = rc < 0 ? rc : take_row(d, &rec);
	csvr_close(r);
	if (err)
		return err;
	if (d->dups)
		log_warn("%s: %" PRIu64
			 " row%s repeat%s an earlier %s id (the first row is kept; e.g. "
			 "line %" PRIu64 ")",
			 o->in, (uint64_t)d->dups, d->dups > 1 ? "s" : "", d->dups > 1 ? "" : "s",
			 o->idcol, (uint64_t)d->dup_line);
	for (uint64_t raw = 0; raw < o->n_raw; raw++)
		if (bit(d->want, raw) && !bit(d->seen, raw)) {
			log_error("%s: no row for %s %" PRIu64
				  ", which the filtered ratings keep (--inner "
				  "drops the ratings of ids without a row)",
				  o->in, o->idcol, (uint64_t)raw);
			return GL_EFORMAT;
		}
	return 0;
}

/* Grouped: for each new id the raw ids (ascending) whose keys it lists. */
static int group_lists(struct dimtab *d, uint64_t **start, uint32_t **members)
{
	const struct dimtab_opts *o = d->o;
	uint64_t *st = calloc(o->n_new + 1, sizeof *st);
	uint32_t *mem = malloc((d->keys.n ? d->keys.n : 1) * sizeof *mem);
	if (!st || !mem) {
		free(st);
		free(mem);
		return GL_ENOMEM;
	}
	for (uint64_t raw = 0; raw < o->n_raw; raw++)
		if (d->keyidx[raw] != NONE)
			st[o->groupmap[raw] + 1]++;
	for (uint64_t i = 0; i < o->n_new; i++)
		st[i + 1] += st[i];
	uint64_t *fill = malloc((o->n_new ? o->n_new : 1) * sizeof *fill);
	if (!fill) {
		free(st);
		free(mem);
		return GL_ENOMEM;
	}
	memcpy(fill, st, o->n_new * sizeof *fill);
	for (uint64_t raw = 0; raw < o->n_raw; raw++)
		if (d->keyidx[raw] != NONE)
			mem[fill[o->groupmap[raw]]++] = (uint32_t)raw;
	free(fill);
	*start = st;
	*members = mem;
	return 0;
}

static int write_group(struct csvb *out, const struct dimtab *d, const uint64_t *st,
		       const uint32_t *mem, uint32_t id, struct buf *b)
{
	buf_clear(b);
	uint64_t n = st[d->o->n_new];
	for (uint64_t j = st[id]; j < st[id + 1]; j++) {
		const char *k;
		size_t kl;
		/* the members are read in order, their keys at random: ask ahead */
		if (j + PREFETCH_AHEAD < n)
			__builtin_prefetch(&d->keyidx[mem[j + PREFETCH_AHEAD]]);
		if (j + PREFETCH_AHEAD / 2 < n)
			rowstore_prefetch(&d->keys, d->keyidx[mem[j + PREFETCH_AHEAD / 2]]);
		rowstore_get(&d->keys, d->keyidx[mem[j]], &k, &kl, 1);
		if ((j > st[id] && buf_addc(b, '|')) || buf_add(b, k, kl))
			return GL_ENOMEM;
	}
	csvb_byte(out, ',');
	csvb_field(out, b->p ? b->p : "", b->len);
	return 0;
}

/* The rows held, in id order from the first not written yet (streaming:
 * d->next; else 0, after the header). */
static int write_rows(struct dimtab *d, FILE *fp)
{
	const struct dimtab_opts *o = d->o;
	uint64_t *st = NULL;
	uint32_t *mem = NULL;
	struct buf b = {0};
	int err = o->groupcol ? group_lists(d, &st, &mem) : 0;
	if (err)
		goto done;
	if (!d->fp)
		write_header(d, fp);
	for (uint64_t id = d->next; id < o->n_new && !err; id++) {
		/* rows are kept in file order and written in id order: ask ahead */
		if (id + PREFETCH_AHEAD < o->n_new)
			rowstore_prefetch_index(&d->rows, d->slot[id + PREFETCH_AHEAD]);
		if (id + PREFETCH_AHEAD / 2 < o->n_new)
			rowstore_prefetch(&d->rows, d->slot[id + PREFETCH_AHEAD / 2]);
		rowstore_get(&d->rows, d->slot[id], d->f, d->len, d->nf);
		put_cols(&d->out, d, id, d->f, d->len);
		if (o->groupcol && (err = write_group(&d->out, d, st, mem, (uint32_t)id, &b)))
			goto done;
		stats_cols(&d->out, o, (uint32_t)id);
		err = flush(&d->out, fp, 0);
	}
	if (!err)
		err = flush(&d->out, fp, 1);
done:
	buf_free(&b);
	free(st);
	free(mem);
	return err;
}

/* Read the rows to write: all the kept ones, or (streaming, fp not NULL)
 * those that come before their turn, the others written as they come. */
static int dimtab_load(struct dimtab **out, const struct dimtab_opts *o, FILE *fp)
{
	struct dimtab *d = calloc(1, sizeof *d);
	*out = NULL;
	if (!d) {
		log_error("out of memory rewriting %s", o->in ? o->in : "a table");
		return GL_ENOMEM;
	}
	d->o = o;
	d->fp = fp;
	d->groupcol = d->keycol = -1;
	int err = o->in ? read_rows(d) : 0;
	if (err == GL_ENOMEM)
		log_error("out of memory rewriting %s", o->in);
	if (err) {
		dimtab_free(d);
		return err;
	}
	*out = d;
	return 0;
}

static int dimtab_put(struct dimtab *d, FILE *fp)
{
	const struct dimtab_opts *o = d->o;
	int err = o->in ? write_rows(d, fp) : write_bare(o, fp);
	if (err == GL_ENOMEM && o->in)
		log_error("out of memory rewriting %s", o->in);
	else if (err == GL_ENOMEM)
		log_error("out of memory writing the %s table", o->idcol);
	return err;
}

static void dimtab_free(struct dimtab *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->names && i < d->nf; i++)
		free(d->names[i]);
	free(d->names);
	free(d->plan);
	free(d->slot);
	free(d->keyidx);
	free(d->want);
	free(d->seen);
	free(d->gwant);
	free(d->kseen);
	rowstore_free(&d->rows);
	rowstore_free(&d->keys);
	csvb_free(&d->out);
	free(d->f);
	free(d->len);
	free(d);
}

int dimtab_write(const struct dimtab_opts *o, FILE *fp)
{
	struct dimtab *d;
	/* a plain table streams; a grouped one lists keys from rows anywhere
	 * in the file, so it is read whole first */
	int stream = o->in && !o->groupcol;
	int err = dimtab_load(&d, o, stream ? fp : NULL);
	if (!err)
		err = dimtab_put(d, fp);
	dimtab_free(d);
	return err;
}
