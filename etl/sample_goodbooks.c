/* sample_goodbooks.c - Kaggle's goodbooks-10k: ratings.csv, to_read.csv and
 * books.csv.  Book ids are 1..n in popularity order, as in the real files;
 * books.csv is what pandas wrote: minimal quoting, years as "2008.0",
 * isbn13 as "9.78043902348e+12", averages as Python floats, blanks for NaN. */
#include "err.h"
#include "log.h"
#include "sample_goodbooks.h"
#include "sample_grmeta.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int gb_open(struct sample_ctx *c)
{
	int by_book = c->o->goodbooks_by_book;
	int err = sample_file_open(c, &c->out[0], "ratings.csv", 0);
	if (!err)
		err = gzw_puts(&c->out[0], by_book ? "book_id,user_id,rating\n" : "user_id,book_id,rating\n");
	if (!err)
		err = sample_file_open(c, &c->out[1], "to_read.csv", 0);
	if (!err)
		err = gzw_puts(&c->out[1], "user_id,book_id\n");
	return err;
}

static int gb_line(struct sample_ctx *c, const struct sample_event *e)
{
	struct sbuf *sb = &c->line;
	uint64_t user = (uint64_t)e->user + 1, book = c->cat.book_id[e->book];
	if (!e->code) {
		sb_u64(sb, user);
		sb_putc(sb, ',');
		sb_u64(sb, book);
		sb_putc(sb, '\n');
		return sample_file_line(c, &c->out[1]);
	}
	int by_book = c->o->goodbooks_by_book;
	sb_u64(sb, by_book ? book : user);
	sb_putc(sb, ',');
	sb_u64(sb, by_book ? user : book);
	sb_putc(sb, ',');
	sb_u64(sb, e->code);
	sb_putc(sb, '\n');
	return sample_file_line(c, &c->out[0]);
}

/* isbn as pandas left it: read as a number where it could be, so a leading
 * zero is lost ("439023483"); with an X it stayed text. */
static void isbn_field(struct sbuf *sb, uint64_t h)
{
	char d[11];
	if (h % 14 == 0)
		return;
	snprintf(d, sizeof d, "%010" PRIu64, (uint64_t)((h >> 4) % 10000000000ULL));
	if ((h >> 40) % 11 == 0)
		d[9] = 'X';
	sb_puts(sb, d[9] == 'X' ? d : d + (d[0] == '0'));
}

static void isbn13_field(struct sbuf *sb, uint64_t h)
{
	char buf[32];
	if (h % 16 == 1)
		return;
	double v = 9780000000000.0 + (double)((h >> 8) % 10000000000ULL);
	snprintf(buf, sizeof buf, "%.12g", v); /* Python 2's str(float) */
	sb_puts(sb, buf);
}

static void authors_field(struct sbuf *sb, struct sample_ctx *c, uint32_t w, const struct sample_work *g)
{
	char one[SAMPLE_NAME_MAX], all[2 * SAMPLE_NAME_MAX + 4];
	sample_name(one, c->o->seed, c->cat.work_author[w], SAMPLE_UTF8);
	if (g->author2 == SAMPLE_NONE) {
		sb_csv(sb, one, 0);
		return;
	}
	char two[SAMPLE_NAME_MAX];
	sample_name(two, c->o->seed, g->author2, SAMPLE_UTF8);
	snprintf(all, sizeof all, "%s, %s", one, two);
	sb_csv(sb, all, 0);
}

static void image_fields(struct sbuf *sb, uint64_t h, uint32_t id)
{
	char buf[160];
	if (h % 9 == 0) {
		sb_puts(sb, "https://s.gr-assets.com/assets/nophoto/book/111x148-bcc042a9c91a29c1d680899eff700a03.png,"
			    "https://s.gr-assets.com/assets/nophoto/book/50x75-a91bf249278a81aabab721ef782c4a74.png");
		return;
	}
	uint64_t stamp = 1200000000ULL + (h >> 16) % 300000000ULL;
	snprintf(buf, sizeof buf,
		 "https://images.gr-assets.com/books/%" PRIu64 "m/%u.jpg,"
		 "https://images.gr-assets.com/books/%" PRIu64 "s/%u.jpg",
		 stamp, id, stamp, id);
	sb_puts(sb, buf);
}

static void book_row(struct sbuf *sb, struct sample_ctx *c, uint32_t b)
{
	static const char *const langs[] = { "eng", "eng", "eng", "eng", "eng", "eng", "en-US",
					     "en-US", "en-GB", "", "", "spa", "fre", "ger", "en-CA" };
	struct sample_work g;
	uint32_t w = c->cat.book_work[b];
	uint64_t h = sample_mix(c->o->seed ^ 0x676f6f64626bULL, b);
	sample_work_info(c, w, &g);
	sb_u64(sb, c->cat.book_id[b]);
	sb_putc(sb, ',');
	sb_u64(sb, c->cat.gr_book[b]);
	sb_putc(sb, ',');
	sb_u64(sb, h % 20 ? c->cat.gr_book[b] : c->cat.gr_book[(b + 1) % c->cat.books]);
	sb_putc(sb, ',');
	sb_u64(sb, c->cat.work_id[w]);
	sb_putc(sb, ',');
	sb_u64(sb, 1 + (h >> 8) % 300);
	sb_putc(sb, ',');
	isbn_field(sb, h >> 3);
	sb_putc(sb, ',');
	isbn13_field(sb, h >> 5);
	sb_putc(sb, ',');
	authors_field(sb, c, w, &g);
	sb_putc(sb, ',');
	if ((h >> 20) % 50) {
		sb_i64(sb, g.year);
		sb_puts(sb, ".0");
	}
	sb_putc(sb, ',');
	if ((h >> 26) % 12)
		sb_csv(sb, g.title, 0);
	sb_putc(sb, ',');
	sb_csv(sb, g.full, 0);
	sb_putc(sb, ',');
	sb_puts(sb, langs[(h >> 30) % COUNT(langs)]);
	sb_putc(sb, ',');
	sb_pyfloat2(sb, g.ratings ? (double)g.sum / (double)g.ratings : 0);
	sb_putc(sb, ',');
	sb_u64(sb, g.ratings - g.ratings * ((h >> 34) % 8) / 100);
	sb_putc(sb, ',');
	sb_u64(sb, g.ratings);
	sb_putc(sb, ',');
	sb_u64(sb, g.text_reviews);
	for (int k = 1; k <= 5; k++) {
		sb_putc(sb, ',');
		sb_u64(sb, g.hist[k]);
	}
	sb_putc(sb, ',');
	image_fields(sb, h >> 38, c->cat.gr_book[b]);
	sb_putc(sb, '\n');
}

static int gb_meta(struct sample_ctx *c)
{
	struct gzw w;
	int err = sample_file_open(c, &w, "books.csv", 0);
	if (err)
		return err;
	/* The first release (ratings by book, as on Kaggle) named the ids
	 * id,book_id; the current one (GitHub master) book_id,goodreads_book_id. */
	gzw_puts(&w, c->o->goodbooks_by_book ? "id,book_id," : "book_id,goodreads_book_id,");
	gzw_puts(&w, "best_book_id,work_id,books_count,isbn,isbn13,authors,"
		     "original_publication_year,original_title,title,language_code,average_rating,"
		     "ratings_count,work_ratings_count,work_text_reviews_count,ratings_1,ratings_2,"
		     "ratings_3,ratings_4,ratings_5,image_url,small_image_url\n");
	/* Ids are 1..n in book index order already. */
	for (uint32_t b = 0; b < c->cat.books && !err; b++) {
		book_row(&c->line, c, b);
		err = sample_file_line(c, &w);
		c->meta_books++;
	}
	return sample_file_close(&w, err);
}

const struct sample_writer sample_writer_goodbooks = { gb_open, gb_line, gb_meta };
