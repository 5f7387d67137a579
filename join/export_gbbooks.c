#include "export_gbbooks.h"

#include "buf.h"
#include "csvwrite.h"
#include "err.h"
#include "log.h"
#include "export_lookup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { B_WORK, B_ISBN, B_ISBN13, B_AUTHORS, B_TITLE, B_LANG, B_AVG, B_COUNT, B_IMAGE, B_N };
static const char *const book_cols[B_N] = {"work_id", "isbn", "isbn13", "author_ids", "title",
					    "language_code", "average_rating", "ratings_count",
					    "image_url"};
enum { W_BEST, W_OTITLE, W_OYEAR, W_COUNT, W_TEXT, W_R1, W_N = W_R1 + 5 };
static const char *const work_cols[W_N] = {"best_book_id", "original_title",
					   "original_publication_year", "ratings_count",
					   "text_reviews_count", "ratings_1", "ratings_2",
					   "ratings_3", "ratings_4", "ratings_5"};
static const char *const name_col[1] = {"name"};

struct meta {
	struct lookup books, works, editions, authors;
	uint32_t *bslot, *wslot; /* per listed book: its slot in books and works */
};

void gbbooks_small_url(const char *url, size_t len, char *out, size_t cap)
{
	size_t n = len < cap - 1 ? len : cap - 1;
	memcpy(out, url, n);
	out[n] = 0;
	char *slash = strrchr(out, '/');
	if (slash && slash > out && slash[-1] == 'm' && slash - out >= 2 &&
	    slash[-2] >= '0' && slash[-2] <= '9') {
		slash[-1] = 's';
		return;
	}
	char *np = strstr(out, "/nophoto/");
	char *big = np ? strstr(np, "111x148") : NULL;
	if (big && strlen(out) + 1 < cap) {
		memmove(big + 5, big + 7, strlen(big + 7) + 1);
		memcpy(big, "50x75", 5);
	}
}

/* 1 when path should be read.  Only an absent file is skipped, with a
 * warning; one that is there but unreadable is read, so the reader reports
 * the fault and the export fails instead of leaving columns empty. */
static int exists(const char *path, const char *what)
{
	if (access(path, R_OK) == 0 || errno != ENOENT)
		return 1;
	log_warn("%s: cannot read it: the %s columns of books.csv stay empty", path, what);
	return 0;
}

/* Load every table, each keyed by what the previous one found. */
static int load(struct meta *m, const struct rowstore *ids, const char *books, const char *works,
		const char *authors)
{
	const char *f[B_N];
	size_t len[B_N];
	int err = 0;
	for (uint64_t b = 0; !err && b < ids->n; b++) {
		rowstore_get(ids, b, f, len, 1);
		err = lookup_want(&m->books, f[0], len[0], &m->bslot[b]);
	}
	if (!err && exists(books, "books.csv"))
		err = lookup_load(&m->books, books, "book_id", book_cols, B_N);
	for (uint64_t b = 0; !err && b < ids->n; b++) {
		lookup_get(&m->books, m->bslot[b], f, len);
		uint32_t e;
		err = lookup_want(&m->works, f[B_WORK], len[B_WORK], &m->wslot[b]);
		if (!err)
			err = lookup_want(&m->editions, f[B_WORK], len[B_WORK], &e);
		/* author_ids "a|b|c": want each */
		for (size_t s = 0, i = 0; !err && i <= len[B_AUTHORS]; i++)
			if (i == len[B_AUTHORS] || f[B_AUTHORS][i] == '|') {
				err = lookup_want(&m->authors, f[B_AUTHORS] + s, i - s, &e);
				s = i + 1;
			}
	}
	if (!err && m->works.keys.n && exists(works, "works.csv"))
		err = lookup_load(&m->works, works, "work_id", work_cols, W_N);
	if (!err && m->editions.keys.n && exists(books, "books.csv"))
		err = lookup_load(&m->editions, books, "work_id", NULL, 0);
	if (!err && m->authors.keys.n && exists(authors, "authors.csv"))
		err = lookup_load(&m->authors, authors, "author_id", name_col, 1);
	if (err == GL_ENOMEM)
		log_error("out of memory reading the book metadata");
	return err;
}

/* ", "-joined names of author_ids (ids without a name are left out). */
static int author_names(const struct meta *m, const char *ids, size_t n, struct buf *out)
{
	buf_clear(out);
	for (size_t s = 0, i = 0; i <= n; i++) {
		if (i < n && ids[i] != '|')
			continue;
		uint32_t slot;
		const char *name;
		size_t nl;
		if (i > s && intern_find(&m->authors.keys, ids + s, i - s, &slot) &&
		    lookup_get(&m->authors, slot, &name, &nl) && nl) {
			if ((out->len && buf_add(out, ", ", 2)) || buf_add(out, name, nl))
				return GL_ENOMEM;
		}
		s = i + 1;
	}
	return 0;
}

static void field(FILE *fp, const char *s, size_t n)
{
	putc(',', fp);
	csvw_field(fp, s, n);
}

static int write_rows(FILE *fp, const struct meta *m, const struct rowstore *ids)
{
	struct buf names = {0};
	uint64_t missing = 0;
	fputs("book_id,goodreads_book_id,best_book_id,work_id,books_count,isbn,isbn13,authors,"
	      "original_publication_year,original_title,title,language_code,average_rating,"
	      "ratings_count,work_ratings_count,work_text_reviews_count,ratings_1,ratings_2,"
	      "ratings_3,ratings_4,ratings_5,image_url,small_image_url\n",
	      fp);
	for (uint64_t b = 0; b < ids->n; b++) {
		const char *id, *bf[B_N], *wf[W_N];
		size_t idl, bl[B_N], wl[W_N];
		rowstore_get(ids, b, &id, &idl, 1);
		/* A table that was not given has no columns: its fields stay empty. */
		for (int c = 0; c < B_N; c++)
			bf[c] = "", bl[c] = 0;
		for (int c = 0; c < W_N; c++)
			wf[c] = "", wl[c] = 0;
		missing += !lookup_get(&m->books, m->bslot[b], bf, bl);
		lookup_get(&m->works, m->wslot[b], wf, wl);
		uint32_t e;
		uint32_t editions = intern_find(&m->editions.keys, bf[B_WORK], bl[B_WORK], &e)
					    ? m->editions.count[e] : 0;
		if (author_names(m, bf[B_AUTHORS], bl[B_AUTHORS], &names)) {
			buf_free(&names);
			log_error("out of memory writing books.csv");
			return GL_ENOMEM;
		}
		fprintf(fp, "%" PRIu64, (uint64_t)b + 1);
		field(fp, id, idl);
		field(fp, wf[W_BEST], wl[W_BEST]);
		field(fp, bf[B_WORK], bl[B_WORK]);
		if (bl[B_WORK])
			fprintf(fp, ",%u", editions);
		else
			putc(',', fp);
		field(fp, bf[B_ISBN], bl[B_ISBN]);
		field(fp, bf[B_ISBN13], bl[B_ISBN13]);
		field(fp, names.p ? names.p : "", names.len);
		field(fp, wf[W_OYEAR], wl[W_OYEAR]);
		field(fp, wf[W_OTITLE], wl[W_OTITLE]);
		field(fp, bf[B_TITLE], bl[B_TITLE]);
		field(fp, bf[B_LANG], bl[B_LANG]);
		field(fp, bf[B_AVG], bl[B_AVG]);
		field(fp, bf[B_COUNT], bl[B_COUNT]);
		field(fp, wf[W_COUNT], wl[W_COUNT]);
		field(fp, wf[W_TEXT], wl[W_TEXT]);
		for (int r = 0; r < 5; r++)
			field(fp, wf[W_R1 + r], wl[W_R1 + r]);
		field(fp, bf[B_IMAGE], bl[B_IMAGE]);
		char small[2048];
		gbbooks_small_url(bf[B_IMAGE], bl[B_IMAGE], small, sizeof small);
		field(fp, small, strlen(small));
		putc('\n', fp);
	}
	if (missing)
		log_info("%" PRIu64 " of the %" PRIu64
			 " books have no row in books.csv: only their ids are "
			 "filled",
			 (uint64_t)missing, (uint64_t)ids->n);
	buf_free(&names);
	return 0;
}

int gbbooks_write(FILE *fp, const struct rowstore *ids, const char *books, const char *works,
		  const char *authors)
{
	struct meta m;
	memset(&m, 0, sizeof m);
	lookup_init(&m.books);
	lookup_init(&m.works);
	lookup_init(&m.editions);
	lookup_init(&m.authors);
	m.bslot = malloc((ids->n ? ids->n : 1) * sizeof *m.bslot);
	m.wslot = malloc((ids->n ? ids->n : 1) * sizeof *m.wslot);
	int err = m.bslot && m.wslot ? 0 : GL_ENOMEM;
	if (err)
		log_error("out of memory writing books.csv");
	if (!err)
		err = load(&m, ids, books, works, authors);
	if (!err)
		err = write_rows(fp, &m, ids);
	lookup_free(&m.books);
	lookup_free(&m.works);
	lookup_free(&m.editions);
	lookup_free(&m.authors);
	free(m.bslot);
	free(m.wslot);
	return err;
}
