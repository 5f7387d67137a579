/* sample_grmeta.c - the Goodreads metadata files: books (the 29 UCSD keys),
 * works and authors, as JSON lines in the dump's own key order, every
 * scalar a string.  Counts come from the lines just written, scaled up per
 * work, so averages agree with the sample while looking like public data. */
#include "err.h"
#include "log.h"
#include "sample_date.h"
#include "sample_grmeta.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SPECIAL_RANKS 10

void sample_work_info(const struct sample_ctx *c, uint32_t w, struct sample_work *g)
{
	uint64_t h = sample_mix(c->o->seed ^ 0x776f726bULL, w);
	uint32_t rank = w < c->cat.p.items ? w : SAMPLE_NONE;
	static const char *const roles[] = { "Illustrator", "Translator", "Editor", "Narrator",
					     "Contributor", "Foreword" };
	sample_work_hist(c, w, g->hist);
	g->ratings = g->sum = 0;
	for (uint32_t k = 1; k < c->st.codes && k < 16; k++) {
		g->ratings += g->hist[k];
		g->sum += k * g->hist[k];
	}
	g->text_reviews = g->ratings / (6 + h % 20);
	g->reviews = g->ratings + g->ratings * (h >> 8) % 7 / 3;
	sample_title(g->title, c->o->seed, w, rank, sample_work_genre(c, w), SAMPLE_UTF8);
	sample_series(g->series, c->o->seed, w, &g->series_no);
	if (rank < SPECIAL_RANKS)
		g->series[0] = 0; /* the awkward titles stay exactly as planted */
	g->series_id = 100000 + (uint32_t)(sample_mix(h, 1) % 900000);
	if (g->series[0])
		snprintf(g->full, sizeof g->full, "%s (%s, #%d)", g->title, g->series, g->series_no);
	else
		snprintf(g->full, sizeof g->full, "%s", g->title);
	g->year = sample_work_year(c, w);
	g->month = 1 + (int)((h >> 16) % 12);
	g->day = 1 + (int)((h >> 24) % 28);
	g->author2 = SAMPLE_NONE;
	if ((h >> 32) % 7 == 0 && c->cat.authors > 1) {
		g->author2 = (uint32_t)((h >> 36) % c->cat.authors);
		if (g->author2 == c->cat.work_author[w])
			g->author2 = (g->author2 + 1) % c->cat.authors;
		g->role2 = roles[(h >> 40) % COUNT(roles)];
	}
}

/* "key": "value" with the separators of json.dumps. */
static void kv(struct sbuf *sb, const char *key, const char *val, int ascii, int first)
{
	if (!first)
		sb_put(sb, ", ", 2);
	sb_putc(sb, '"');
	sb_puts(sb, key);
	sb_put(sb, "\": ", 3);
	sb_json_str(sb, val, ascii);
}

static void kv_num(struct sbuf *sb, const char *key, uint64_t v, int first)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRIu64, (uint64_t)v);
	kv(sb, key, buf, 1, first);
}

/* A number, or "" when the dump would have none (share of 1/blank_in). */
static void kv_num_or_blank(struct sbuf *sb, const char *key, long v, uint64_t h, int blank_in)
{
	char buf[24] = "";
	if (h % (uint64_t)blank_in)
		snprintf(buf, sizeof buf, "%ld", v);
	kv(sb, key, buf, 1, 0);
}

static void average(char *buf, size_t n, uint64_t sum, uint64_t count)
{
	snprintf(buf, n, "%.2f", count ? (double)sum / (double)count : 0.0);
}

/* ISBN-10 and ISBN-13 with valid check digits, from 9 digits of h. */
static void isbns(uint64_t h, char isbn[11], char isbn13[14])
{
	char d[10];
	snprintf(d, sizeof d, "%09" PRIu64, (uint64_t)(h % 1000000000ULL));
	int s10 = 0, s13 = 9 * 1 + 7 * 3 + 8 * 1; /* the "978" prefix */
	for (int i = 0; i < 9; i++) {
		s10 += (10 - i) * (d[i] - '0');
		s13 += (d[i] - '0') * (i % 2 ? 1 : 3);
	}
	int c10 = (11 - s10 % 11) % 11, c13 = (10 - s13 % 10) % 10;
	snprintf(isbn, 11, "%s%c", d, c10 == 10 ? 'X' : '0' + c10);
	snprintf(isbn13, 14, "978%s%d", d, c13);
}

/* The URL slug of a title: runs of anything but ASCII letters and digits
 * become one underscore ("Old_Possum_s_Book_of_Practical_Cats"). */
static void slug(struct sbuf *sb, const char *title)
{
	int gap = 0;
	for (const unsigned char *s = (const unsigned char *)title; *s; s++) {
		int ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9');
		if (!ok) {
			gap = 1;
			continue;
		}
		if (gap && sb->len && sb->p[sb->len - 1] != '.')
			sb_putc(sb, '_');
		gap = 0;
		sb_putc(sb, (char)*s);
	}
}

static const char *const genre_shelf[SAMPLE_GENRES][4] = {
	{ "children", "childrens", "picture-books", "kids" },
	{ "graphic-novels", "comics", "manga", "graphic-novel" },
	{ "fantasy", "paranormal", "urban-fantasy", "magic" },
	{ "history", "biography", "non-fiction", "memoir" },
	{ "mystery", "thriller", "crime", "suspense" },
	{ "poetry", "poems", "poes\xc3\xad\x61", "verse" },
	{ "romance", "contemporary-romance", "chick-lit", "historical-romance" },
	{ "young-adult", "ya", "teen", "dystopian" },
};
static const char *const generic_shelf[] = {
	"currently-reading", "favorites", "fiction", "owned", "books-i-own", "library",
	"kindle", "re-read", "default", "my-books", "to-buy", "lu-en-fran\xc3\xa7\x61is",
};

/* [{"count": "15419", "name": "to-read"}, ...]: counts never increase,
 * names never repeat (genre shelves first, then generic ones). */
static void shelves(struct sbuf *sb, const struct sample_ctx *c, uint32_t w, uint64_t total,
		    uint64_t h, int ascii)
{
	int genre = sample_work_genre(c, w);
	int n = 1, generic = 0;
	for (uint64_t t = total; t > 1 && n < 12; t /= 3)
		n++;
	uint64_t count = total / 2 + 1;
	sb_puts(sb, ", \"popular_shelves\": [");
	for (int i = 0; i < n; i++) {
		const char *name;
		if (i == 0)
			name = "to-read";
		else if (i % 2 && i / 2 < 4)
			name = genre_shelf[genre][i / 2];
		else /* 5 is coprime with 12: distinct names */
			name = generic_shelf[(h + 5 * (uint64_t)generic++) % COUNT(generic_shelf)];
		char buf[24];
		snprintf(buf, sizeof buf, "%" PRIu64, (uint64_t)count);
		if (i)
			sb_put(sb, ", ", 2);
		sb_puts(sb, "{\"count\": ");
		sb_json_str(sb, buf, 1);
		sb_puts(sb, ", \"name\": ");
		sb_json_str(sb, name, ascii);
		sb_putc(sb, '}');
		count = count * (3 + (h >> (i * 2)) % 6) / 10;
		if (!count)
			count = 1;
	}
	sb_putc(sb, ']');
}

static void similar(struct sbuf *sb, const struct sample_ctx *c, uint64_t h)
{
	int n = (int)(h % 7);
	sb_puts(sb, ", \"similar_books\": [");
	for (int i = 0; i < n; i++) {
		char buf[16];
		uint32_t b = (uint32_t)(sample_mix(h, (uint64_t)i) % c->cat.books);
		snprintf(buf, sizeof buf, "%u", c->cat.gr_book[b]);
		if (i)
			sb_put(sb, ", ", 2);
		sb_json_str(sb, buf, 1);
	}
	sb_putc(sb, ']');
}

static void authors_list(struct sbuf *sb, const struct sample_ctx *c, uint32_t w,
			 const struct sample_work *g)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%u", c->cat.author_id[c->cat.work_author[w]]);
	sb_puts(sb, ", \"authors\": [{\"author_id\": ");
	sb_json_str(sb, buf, 1);
	sb_puts(sb, ", \"role\": \"\"}");
	if (g->author2 != SAMPLE_NONE) {
		snprintf(buf, sizeof buf, "%u", c->cat.author_id[g->author2]);
		sb_puts(sb, ", {\"author_id\": ");
		sb_json_str(sb, buf, 1);
		sb_puts(sb, ", \"role\": ");
		sb_json_str(sb, g->role2, 1);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}

/* Titles of the fixed awkward ranks choose their escaping, so a sample
 * always has both raw UTF-8 and \u escapes (with a surrogate pair). */
static int ascii_mode(uint32_t w, uint32_t items, uint64_t h)
{
	if (w < items && w < SPECIAL_RANKS && w >= 4)
		return w == 5 || w == 6;
	return h % 3 == 0;
}

static void book_line(struct sample_ctx *c, uint32_t b, const struct sample_work *g)
{
	struct sbuf *sb = &c->line;
	uint32_t w = c->cat.book_work[b], id = c->cat.gr_book[b];
	uint64_t h = sample_mix(c->o->seed ^ 0x626f6f6bULL, b);
	int ascii = ascii_mode(w, c->cat.p.items, h);
	int ebook = h % 10 == 0;
	uint32_t editions = c->cat.book_first[w + 1] - c->cat.book_first[w];
	uint64_t ratings = editions > 1 ? g->ratings / editions + (b == c->cat.book_first[w]) * (g->ratings % editions) : g->ratings;
	char isbn[11], isbn13[14], buf[160];
	static const char *const langs[] = { "", "", "", "", "eng", "eng", "eng", "en-US", "en-GB", "spa", "fre", "ger", "ita", "por", "jpn" };
	static const char *const formats[] = { "Paperback", "Paperback", "Hardcover", "Mass Market Paperback", "", "Trade Paperback", "Audiobook", "Board Book" };
	static const char *const publishers[] = { "Penguin Books", "Harcourt Brace & Company", "St. Martin's Press", "\xc3\x89\x64itions Gallimard", "Tor Books", "HarperCollins", "Vintage", "Scholastic Inc.", "" };
	static const char *const edition_info[] = { "", "", "", "", "", "", "First Edition", "Illustrated Edition", "Large Print", "25th Anniversary Edition" };

	isbns(h >> 4, isbn, isbn13);
	int no_isbn = ebook || (h >> 40) % 4 == 0;
	sb_puts(sb, "{");
	kv(sb, "isbn", no_isbn ? "" : isbn, 1, 1);
	kv_num(sb, "text_reviews_count", editions > 1 ? g->text_reviews / editions : g->text_reviews, 0);
	sb_puts(sb, ", \"series\": [");
	if (g->series[0]) {
		snprintf(buf, sizeof buf, "%u", g->series_id);
		sb_json_str(sb, buf, 1);
	}
	sb_putc(sb, ']');
	kv(sb, "country_code", "US", 1, 0);
	kv(sb, "language_code", langs[(h >> 8) % COUNT(langs)], 1, 0);
	shelves(sb, c, w, g->reviews, h, ascii);
	snprintf(buf, sizeof buf, "B00%07" PRIu64, (uint64_t)(h % 10000000ULL));
	kv(sb, "asin", ebook ? buf : "", 1, 0);
	kv(sb, "is_ebook", ebook ? "true" : "false", 1, 0);
	average(buf, sizeof buf, g->sum, g->ratings);
	kv(sb, "average_rating", buf, 1, 0);
	snprintf(buf, sizeof buf, "B0%08" PRIu64, (uint64_t)((h >> 20) % 100000000ULL));
	kv(sb, "kindle_asin", (h >> 12) % 3 == 0 ? buf : "", 1, 0);
	similar(sb, c, h >> 3);
	struct sbuf desc = { 0 };
	sample_description(&desc, c->o->seed, w, g->title);
	sb_putc(&desc, 0);
	kv(sb, "description", desc.oom ? "" : desc.p, ascii, 0);
	sb_free(&desc);
	kv(sb, "format", ebook ? "Kindle Edition" : formats[(h >> 16) % COUNT(formats)], 1, 0);
	size_t mark = sb->len;
	sb_puts(sb, "https://www.goodreads.com/book/show/");
	sb_u64(sb, id);
	sb_putc(sb, '.');
	slug(sb, g->title);
	size_t link_len = sb->len - mark;
	char link[sizeof "https://www.goodreads.com/book/show/." + 16 + SAMPLE_TITLE_MAX];
	snprintf(link, sizeof link, "%.*s", (int)link_len, sb->p + mark);
	sb->len = mark;
	kv(sb, "link", link, 1, 0);
	authors_list(sb, c, w, g);
	kv(sb, "publisher", publishers[(h >> 20) % COUNT(publishers)], ascii, 0);
	kv_num_or_blank(sb, "num_pages", 24 + (long)((h >> 24) % 800), h >> 30, 7);
	kv_num_or_blank(sb, "publication_day", g->day, h >> 33, 3);
	kv(sb, "isbn13", (h >> 40) % 8 == 0 && !ebook ? "" : isbn13, 1, 0);
	kv_num_or_blank(sb, "publication_month", g->month, h >> 35, 4);
	kv(sb, "edition_information", edition_info[(h >> 44) % COUNT(edition_info)], 1, 0);
	kv_num_or_blank(sb, "publication_year", g->year + (b != c->cat.book_first[w]) * (int)((h >> 48) % 9), h >> 37, 9);
	kv(sb, "url", link, 1, 0);
	if ((h >> 50) % 8 == 0)
		snprintf(buf, sizeof buf, "https://s.gr-assets.com/assets/nophoto/book/111x148-bcc042a9c91a29c1d680899eff700a03.png");
	else
		snprintf(buf, sizeof buf, "https://images.gr-assets.com/books/%" PRIu64 "m/%u.jpg",
			 (uint64_t)(1200000000ULL + (h >> 20) % 300000000ULL), id);
	kv(sb, "image_url", buf, 1, 0);
	kv_num(sb, "book_id", id, 0);
	kv_num(sb, "ratings_count", ratings, 0);
	kv_num(sb, "work_id", c->cat.work_id[w], 0);
	kv(sb, "title", g->full, ascii, 0);
	kv(sb, "title_without_series", g->title, ascii, 0);
	sb_put(sb, "}\n", 2);
}

static int write_books(struct sample_ctx *c)
{
	char name[128];
	struct gzw w;
	struct sample_work g;
	struct sample_perm order;
	if (c->genre >= 0)
		snprintf(name, sizeof name, "goodreads_books_%s.json.gz", sample_genre_names[c->genre]);
	else
		snprintf(name, sizeof name, "goodreads_books.json.gz");
	int err = sample_file_open(c, &w, name, 1);
	if (err)
		return err;
	/* The dump is in no useful order; neither is this. */
	sample_perm_init(&order, c->cat.books, c->o->seed ^ 0x626f6f6b73ULL);
	for (uint64_t j = 0; j < c->cat.books && !err; j++) {
		uint32_t b = (uint32_t)sample_perm_fwd(&order, j), wk = c->cat.book_work[b];
		if (c->cat.book_missing[b] || !sample_work_in_scope(c, wk))
			continue;
		sample_work_info(c, wk, &g);
		book_line(c, b, &g);
		err = sample_file_line(c, &w);
		c->meta_books++;
	}
	return sample_file_close(&w, err);
}

static void work_line(struct sample_ctx *c, uint32_t wk, const struct sample_work *g)
{
	struct sbuf *sb = &c->line;
	uint64_t h = sample_mix(c->o->seed ^ 0x776f726b32ULL, wk);
	char dist[160];
	int n = 0;
	for (int k = 5; k >= 1; k--)
		n += snprintf(dist + n, sizeof dist - (size_t)n, "%d:%" PRIu64 "|", k,
			      (uint64_t)g->hist[k]);
	snprintf(dist + n, sizeof dist - (size_t)n, "total:%" PRIu64, (uint64_t)g->ratings);
	sb_putc(sb, '{');
	kv_num(sb, "books_count", c->cat.book_first[wk + 1] - c->cat.book_first[wk], 1);
	kv_num(sb, "reviews_count", g->reviews, 0);
	kv_num_or_blank(sb, "original_publication_month", g->month, h, 3);
	kv(sb, "default_description_language_code", "", 1, 0);
	kv_num(sb, "text_reviews_count", g->text_reviews, 0);
	kv_num(sb, "best_book_id", c->cat.gr_book[c->cat.book_first[wk]], 0);
	kv_num_or_blank(sb, "original_publication_year", g->year, h >> 8, 20);
	kv(sb, "original_title", (h >> 16) % 8 ? g->title : "", (h >> 20) % 3 == 0, 0);
	kv(sb, "rating_dist", dist, 1, 0);
	kv(sb, "default_chaptering_book_id", "", 1, 0);
	kv_num_or_blank(sb, "original_publication_day", g->day, h >> 24, 3);
	kv(sb, "original_language_id", "", 1, 0);
	kv_num(sb, "ratings_count", g->ratings, 0);
	kv(sb, "media_type", "book", 1, 0);
	kv_num(sb, "ratings_sum", g->sum, 0);
	kv_num(sb, "work_id", c->cat.work_id[wk], 0);
	sb_put(sb, "}\n", 2);
}

/* Per-author totals over the works in scope (main and second authors). */
struct author_tally {
	uint64_t ratings, sum, text;
};

static int write_works(struct sample_ctx *c, struct author_tally *at)
{
	struct gzw w;
	struct sample_work g;
	struct sample_perm order;
	int err = sample_file_open(c, &w, "goodreads_book_works.json.gz", 1);
	if (err)
		return err;
	sample_perm_init(&order, c->cat.works, c->o->seed ^ 0x776f726b73ULL);
	for (uint64_t j = 0; j < c->cat.works && !err; j++) {
		uint32_t wk = (uint32_t)sample_perm_fwd(&order, j);
		if (!sample_work_in_scope(c, wk))
			continue;
		sample_work_info(c, wk, &g);
		work_line(c, wk, &g);
		err = sample_file_line(c, &w);
		uint32_t who[2] = { c->cat.work_author[wk], g.author2 };
		for (int i = 0; i < 2; i++) {
			if (who[i] == SAMPLE_NONE)
				continue;
			at[who[i]].ratings += g.ratings;
			at[who[i]].sum += g.sum;
			at[who[i]].text += g.text_reviews + 1; /* +1: marks "has a work" */
		}
	}
	return sample_file_close(&w, err);
}

static int write_authors(struct sample_ctx *c, const struct author_tally *at)
{
	struct gzw w;
	char buf[32], name[SAMPLE_NAME_MAX];
	int err = sample_file_open(c, &w, "goodreads_book_authors.json.gz", 1);
	if (err)
		return err;
	for (uint32_t a = 0; a < c->cat.authors && !err; a++) {
		struct sbuf *sb = &c->line;
		if (!at[a].text)
			continue;
		uint64_t h = sample_mix(c->o->seed ^ 0x617574686f72ULL, a);
		average(buf, sizeof buf, at[a].sum, at[a].ratings);
		sb_putc(sb, '{');
		kv(sb, "average_rating", buf, 1, 1);
		kv_num(sb, "author_id", c->cat.author_id[a], 0);
		kv_num(sb, "text_reviews_count", at[a].text - 1, 0);
		sample_name(name, c->o->seed, a, SAMPLE_UTF8);
		kv(sb, "name", name, h % 3 == 0, 0);
		kv_num(sb, "ratings_count", at[a].ratings, 0);
		sb_put(sb, "}\n", 2);
		err = sample_file_line(c, &w);
	}
	return sample_file_close(&w, err);
}

int sample_goodreads_meta(struct sample_ctx *c)
{
	struct author_tally *at = calloc(c->cat.authors, sizeof *at);
	if (!at) {
		log_error("out of memory for %u authors", c->cat.authors);
		return GL_ENOMEM;
	}
	int err = write_books(c);
	if (!err)
		err = write_works(c, at);
	if (!err)
		err = write_authors(c, at);
	free(at);
	return err;
}
