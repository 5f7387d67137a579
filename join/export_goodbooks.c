#include "export_goodbooks.h"

#include "buf.h"
#include "csvwrite.h"
#include "dedupe.h"
#include "dimid.h"
#include "err.h"
#include "export_gbbooks.h"
#include "fstate.h"
#include "glr.h"
#include "kcore.h"
#include "log.h"
#include "outfile.h"
#include "parwrite.h"
#include "ratingsel.h"
#include "rowstore.h"
#include "topn.h"
#include "usort.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Raw ratings per chunk of rows formatted at once. */
#define GB_CHUNK 65536

struct gb {
	const struct gb_opts *o;
	struct glr g;
	struct fstate s;
	uint32_t *book;      /* raw item -> book_id (1..N) or 0 */
	uint64_t nbooks;
	uint32_t *user;      /* raw user -> user_id (1..) or 0 */
	struct csv_gtab gtab; /* each rating byte's text */
	uint64_t *ustart;    /* row chunk c: users [ustart[c], ustart[c + 1]) */
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
		log_warn("only %" PRIu64 " books have ratings: books.csv has %" PRIu64
			 " rows, not %" PRIu64,
			 (uint64_t)b->nbooks, (uint64_t)b->nbooks, (uint64_t)o->books);
	return 0;
}

/* Scratch keys for one user's row, grown as needed (one per chunk). */
struct keys {
	uint64_t *k, *tmp;
	uint64_t cap;
};

static int reserve(struct keys *s, uint64_t n)
{
	if (n <= s->cap)
		return 0;
	free(s->k);
	free(s->tmp);
	s->cap = n > 1024 ? n : 1024;
	s->k = malloc(s->cap * sizeof *s->k);
	s->tmp = malloc(s->cap * sizeof *s->tmp);
	if (!s->k || !s->tmp) {
		s->cap = 0;
		return GL_ENOMEM;
	}
	return 0;
}

/* Chunk c of ratings.csv: each kept user's ratings by book_id. */
static int fill_ratings(void *ctx, uint64_t c, struct csvb *out)
{
	const struct gb *b = ctx;
	const struct glr *g = &b->g;
	struct keys s = {0};
	int err = 0;
	for (uint64_t u = b->ustart[c]; !err && u < b->ustart[c + 1]; u++) {
		if (!b->user[u])
			continue;
		uint64_t base = g->rowptr[u], n = 0;
		if ((err = reserve(&s, g->rowptr[u + 1] - base)))
			break;
		for (uint64_t k = base; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(&b->s, k))
				s.k[n++] = (uint64_t)b->book[g->items[k]] << 32 | (k - base);
		usort_u64_hi(s.k, s.tmp, n); /* positions ascend: gathered in order */
		char head[24];
		size_t hn = csv_u64(head, b->user[u]);
		head[hn++] = ',';
		for (uint64_t i = 0; i < n; i++) {
			csvb_add(out, head, hn);
			csvb_u64(out, s.k[i] >> 32);
			csvb_byte(out, ',');
			csvb_gtab(out, &b->gtab, fstate_value(&b->s, base + (uint32_t)s.k[i]));
			csvb_byte(out, '\n');
		}
	}
	free(s.k);
	free(s.tmp);
	return err ? err : out->err;
}

/* Chunk c of to_read.csv: pairs of kept users and chosen books with a
 * rating-0 row and no rated row, by user then book. */
static int fill_to_read(void *ctx, uint64_t c, struct csvb *out)
{
	const struct gb *b = ctx;
	const struct glr *g = &b->g;
	struct keys s = {0};
	int err = 0;
	for (uint64_t u = b->ustart[c]; !err && u < b->ustart[c + 1]; u++) {
		if (!b->user[u])
			continue;
		uint64_t n = 0;
		if ((err = reserve(&s, g->rowptr[u + 1] - g->rowptr[u])))
			break;
		uint64_t base = g->rowptr[u];
		for (uint64_t k = base; k < g->rowptr[u + 1]; k++)
			if (b->book[g->items[k]])
				s.k[n++] = (uint64_t)b->book[g->items[k]] << 32 | (k - base);
		usort_u64_hi(s.k, s.tmp, n); /* positions ascend: gathered in order */
		char head[24];
		size_t hn = csv_u64(head, b->user[u]);
		head[hn++] = ',';
		for (uint64_t i = 0, j; i < n; i = j) {
			int rated = 0;
			for (j = i; j < n && s.k[j] >> 32 == s.k[i] >> 32; j++)
				rated |= g->ratings[base + (uint32_t)s.k[j]] != 0;
			if (!rated) {
				csvb_add(out, head, hn);
				csvb_u64(out, s.k[i] >> 32);
				csvb_byte(out, '\n');
			}
		}
	}
	free(s.k);
	free(s.tmp);
	return err ? err : out->err;
}

/* ratings.csv and to_read.csv, their rows made by o->threads threads. */
static int write_rows(struct gb *b, FILE *ratings, FILE *to_read)
{
	const struct glr *g = &b->g;
	uint64_t n_chunks;
	csv_gtab_init(&b->gtab, g->scale, 1);
	int err = parw_cut(g->rowptr, g->n_users, GB_CHUNK, &b->ustart, &n_chunks);
	fputs("user_id,book_id,rating\n", ratings);
	if (!err)
		err = parw_run(ratings, n_chunks, b->o->threads, fill_ratings, b);
	fputs("user_id,book_id\n", to_read);
	if (!err)
		err = parw_run(to_read, n_chunks, b->o->threads, fill_to_read, b);
	if (err == GL_ENOMEM)
		log_error("out of memory writing ratings.csv and to_read.csv");
	/* a failed write stopped the rows; outfile_flush says why */
	return err == GL_EIO ? 0 : err;
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
			log_warn("%s: no row for book %" PRIu64 " of the export", path,
				 (uint64_t)j + 1);
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

struct books_job {
	FILE *fp;
	const struct rowstore *ids;
	const char *books, *works, *authors;
	int err;
};

static void *books_thread(void *arg)
{
	struct books_job *j = arg;
	j->err = j->books && j->works && j->authors
			 ? gbbooks_write(j->fp, j->ids, j->books, j->works, j->authors)
			 : GL_ENOMEM;
	return NULL;
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
	/* books.csv (reading three metadata tables) on a thread of its own
	 * while the rows are written */
	struct books_job job = {.fp = err ? NULL : of[BOOKS].fp, .ids = &ids,
				.books = in_path(b, 2, "books.csv"),
				.works = in_path(b, 3, "works.csv"),
				.authors = in_path(b, 4, "authors.csv")};
	pthread_t tid;
	int threaded = !err && pthread_create(&tid, NULL, books_thread, &job) == 0;
	if (!err)
		err = write_rows(b, of[RATINGS].fp, of[TO_READ].fp);
	if (threaded)
		pthread_join(tid, NULL);
	else if (!err)
		books_thread(&job);
	if (!err)
		err = job.err;
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
	free(b.ustart);
	for (int i = 0; i < 5; i++)
		buf_free(&b.path[i]);
	return err;
}
