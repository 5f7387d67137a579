#include "export_goodbooks.h"

#include "buf.h"
#include "dedupe.h"
#include "dimid.h"
#include "err.h"
#include "export_gbbooks.h"
#include "fstate.h"
#include "glr.h"
#include "kcore.h"
#include "log.h"
#include "outfile.h"
#include "ratingsel.h"
#include "rowstore.h"
#include "topn.h"
#include "usort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long ull;

struct gb {
	const struct gb_opts *o;
	struct glr g;
	struct fstate s;
	uint32_t *book;      /* raw item -> book_id (1..N) or 0 */
	uint64_t nbooks;
	uint32_t *user;      /* raw user -> user_id (1..) or 0 */
	uint64_t *keys;      /* scratch for one row */
	uint64_t cap;
	struct buf path[5];
};

static const char *in_path(struct gb *b, int slot, const char *name)
{
	buf_clear(&b->path[slot]);
	return buf_printf(&b->path[slot], "%s/%s", b->o->indir, name) ? NULL : b->path[slot].p;
}

/* Choose and number the books, then the users. */
static int choose(struct gb *b)
{
	const struct gb_opts *o = b->o;
	struct fstate *s = &b->s;
	uint32_t *order;
	uint64_t m;
	int err = ratingsel_zeros(s, ZEROS_DROP);
	if (!err)
		err = dedupe_run(s, o->dedupe, NULL);
	if (!err)
		err = topn_rank(s, &order, &m);
	if (err)
		return err;
	b->nbooks = m < o->books ? m : o->books;
	b->book = calloc(b->g.n_items ? b->g.n_items : 1, sizeof *b->book);
	b->user = calloc(b->g.n_users ? b->g.n_users : 1, sizeof *b->user);
	if (!b->book || !b->user) {
		free(order);
		log_error("out of memory choosing books");
		return GL_ENOMEM;
	}
	for (uint64_t j = 0; j < b->nbooks; j++)
		b->book[order[j]] = (uint32_t)j + 1;
	free(order);
	if ((err = topn_run(s, o->books)))
		return err;
	/* With no item minimum one pass settles it: the users' counts only. */
	kcore_run(s, o->min_user, 0, NULL);
	uint32_t next = 0;
	for (uint64_t u = 0; u < b->g.n_users; u++)
		b->user[u] = s->ucount[u] ? ++next : 0;
	if (b->nbooks < o->books)
		log_warn("only %llu books have ratings: books.csv has %llu rows, not %llu",
			 (ull)b->nbooks, (ull)b->nbooks, (ull)o->books);
	return 0;
}

static int reserve(struct gb *b, uint64_t n)
{
	if (n <= b->cap)
		return 0;
	free(b->keys);
	b->cap = n > 1024 ? n : 1024;
	if (!(b->keys = malloc(b->cap * sizeof *b->keys))) {
		b->cap = 0;
		log_error("out of memory writing ratings.csv");
		return GL_ENOMEM;
	}
	return 0;
}

static int write_ratings(struct gb *b, FILE *fp)
{
	const struct glr *g = &b->g;
	fputs("user_id,book_id,rating\n", fp);
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!b->user[u])
			continue;
		uint64_t base = g->rowptr[u], n = 0;
		if (reserve(b, g->rowptr[u + 1] - base))
			return GL_ENOMEM;
		for (uint64_t k = base; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(&b->s, k))
				b->keys[n++] = (uint64_t)b->book[g->items[k]] << 32 | (k - base);
		usort_u64(b->keys, n);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t k = base + (uint32_t)b->keys[i];
			fprintf(fp, "%u,%u,%g\n", b->user[u], (uint32_t)(b->keys[i] >> 32),
				(double)fstate_value(&b->s, k) * g->scale);
		}
	}
	return 0;
}

/* Pairs of kept users and chosen books with a rating-0 row and no rated
 * row, by user then book. */
static int write_to_read(struct gb *b, FILE *fp)
{
	const struct glr *g = &b->g;
	fputs("user_id,book_id\n", fp);
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!b->user[u])
			continue;
		uint64_t n = 0;
		if (reserve(b, g->rowptr[u + 1] - g->rowptr[u]))
			return GL_ENOMEM;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (b->book[g->items[k]])
				b->keys[n++] = (uint64_t)b->book[g->items[k]] << 1 | (g->ratings[k] != 0);
		usort_u64(b->keys, n);
		for (uint64_t i = 0, j; i < n; i = j) {
			int rated = 0;
			for (j = i; j < n && b->keys[j] >> 1 == b->keys[i] >> 1; j++)
				rated |= (int)(b->keys[j] & 1);
			if (!rated)
				fprintf(fp, "%u,%llu\n", b->user[u], (ull)(b->keys[i] >> 1));
		}
	}
	return 0;
}

/* The Goodreads ids of the chosen books, in book_id order. */
static int book_ids(struct gb *b, struct rowstore *ids)
{
	const char *path = in_path(b, 0, "items.raw.csv");
	struct rowstore keys = {0};
	uint32_t *slot = NULL, *row = NULL;
	int err = path ? dimid_column(path, "item", "book_id", b->g.n_items, &keys, &slot, NULL)
		       : GL_ENOMEM;
	if (!err && !(row = malloc((b->nbooks ? b->nbooks : 1) * sizeof *row)))
		err = GL_ENOMEM;
	for (uint64_t i = 0; !err && i < b->g.n_items; i++)
		if (b->book[i])
			row[b->book[i] - 1] = slot[i];
	for (uint64_t j = 0; !err && j < b->nbooks; j++) {
		const char *f = "";
		size_t len = 0;
		if (row[j] != UINT32_MAX)
			rowstore_get(&keys, row[j], &f, &len, 1);
		else
			log_warn("%s: no row for book %llu of the export", path, (ull)j + 1);
		if (rowstore_add(ids, &f, &len, 1))
			err = GL_ENOMEM;
	}
	if (err == GL_ENOMEM)
		log_error("out of memory reading %s", path);
	rowstore_free(&keys);
	free(slot);
	free(row);
	return err;
}

static int write_all(struct gb *b)
{
	enum { RATINGS, TO_READ, BOOKS, N };
	static const char *const names[N] = {"ratings.csv", "to_read.csv", "books.csv"};
	struct outfile of[N];
	struct rowstore ids = {0};
	struct buf p = {0};
	int err = book_ids(b, &ids);
	memset(of, 0, sizeof of);
	for (int n = 0; !err && n < N; n++) {
		buf_clear(&p);
		err = buf_printf(&p, "%s/%s", b->o->outdir, names[n]) ? GL_ENOMEM
								       : outfile_open(&of[n], p.p);
		if (!err)
			setvbuf(of[n].fp, NULL, _IOFBF, (size_t)1 << 20);
	}
	if (!err)
		err = write_ratings(b, of[RATINGS].fp);
	if (!err)
		err = write_to_read(b, of[TO_READ].fp);
	const char *books = in_path(b, 2, "books.csv"), *works = in_path(b, 3, "works.csv");
	const char *authors = in_path(b, 4, "authors.csv");
	if (!err)
		err = books && works && authors ? gbbooks_write(of[BOOKS].fp, &ids, books, works, authors)
						: GL_ENOMEM;
	if (err)
		outfile_abort_set(of, N);
	else
		err = outfile_commit_set(of, N);
	rowstore_free(&ids);
	buf_free(&p);
	return err;
}

int export_goodbooks(const struct gb_opts *o)
{
	struct gb b;
	memset(&b, 0, sizeof b);
	b.o = o;
	const char *path = in_path(&b, 0, "ratings.raw.glr");
	int err = path ? glr_open(&b.g, path, 0) : GL_ENOMEM;
	if (err)
		goto done;
	if (!(err = fstate_init(&b.s, &b.g)))
		err = choose(&b);
	if (!err)
		err = write_all(&b);
	fstate_free(&b.s);
	glr_close(&b.g);
done:
	free(b.book);
	free(b.user);
	free(b.keys);
	for (int i = 0; i < 5; i++)
		buf_free(&b.path[i]);
	return err;
}
