/* sample_goodreads.c - the Goodreads interaction files: the UCSD JSON lines
 * (goodreads_interactions_dedup.json.gz and the per-genre files) and the
 * integer CSV with its two id maps.  Both draw a line's details from the
 * same function, so for one seed they carry the same interactions. */
#include "err.h"
#include "log.h"
#include "sample_date.h"
#include "sample_goodreads.h"
#include "sample_grmeta.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

/* What a line says besides user, book and rating. */
struct gr_line {
	int is_read;
	const char *review;          /* "" when none */
	int64_t added, updated;
	int64_t read_at, started_at; /* 0 = "" */
	uint64_t review_a, review_b; /* the review_id's 128 bits */
};

static void gr_details(const struct sample_ctx *c, const struct sample_event *e, struct gr_line *d)
{
	struct rng r;
	rng_init(&r, c->o->seed ^ 0x64657461696cULL, ((uint64_t)e->user << 32) | e->detail);
	/* Rated books are read; a few shelved ones were read but not rated. */
	d->is_read = e->code ? rng_unit(&r) < 0.99 : rng_unit(&r) < 0.12;
	d->review = d->is_read && e->code && rng_unit(&r) < 0.06 ? sample_review(rng_u64(&r)) : "";
	d->added = e->when;
	d->updated = rng_unit(&r) < 0.35 ? d->added + (int64_t)rng_below(&r, 90 * DAY) : d->added;
	d->read_at = 0;
	d->started_at = 0;
	if (d->is_read && rng_unit(&r) < 0.7) {
		d->read_at = d->added + (int64_t)rng_below(&r, 80 * DAY) - 20 * DAY;
		if (rng_unit(&r) < 0.45)
			d->started_at = d->read_at - (1 + (int64_t)rng_below(&r, 40)) * DAY;
	}
	d->review_a = rng_u64(&r);
	d->review_b = rng_u64(&r);
}

static void json_date(struct sbuf *sb, const char *key, int64_t t, int day_only)
{
	char buf[SAMPLE_DATE_MAX];
	sb_puts(sb, key);
	if (!t) {
		sb_put(sb, "\"\"", 2);
		return;
	}
	size_t n = day_only ? sample_date_goodreads_day(buf, t) : sample_date_goodreads(buf, t);
	sb_putc(sb, '"');
	sb_put(sb, buf, n);
	sb_putc(sb, '"');
}

static int json_open(struct sample_ctx *c)
{
	char name[128];
	if (c->genre >= 0)
		snprintf(name, sizeof name, "goodreads_interactions_%s.json.gz",
			 sample_genre_names[c->genre]);
	else
		snprintf(name, sizeof name, "goodreads_interactions_dedup.json.gz");
	return sample_file_open(c, &c->out[0], name, 1);
}

/* Key order and separators exactly as Python's json.dumps wrote them. */
static int json_line(struct sample_ctx *c, const struct sample_event *e)
{
	struct sbuf *sb = &c->line;
	struct gr_line d;
	gr_details(c, e, &d);
	sb_puts(sb, "{\"user_id\": \"");
	sb_puts(sb, sample_user_hex(c, e->user));
	sb_puts(sb, "\", \"book_id\": \"");
	sb_u64(sb, c->cat.book_id[e->book]);
	sb_puts(sb, "\", \"review_id\": \"");
	sb_hex(sb, d.review_a, d.review_b, 16);
	sb_puts(sb, d.is_read ? "\", \"is_read\": true, \"rating\": " : "\", \"is_read\": false, \"rating\": ");
	sb_u64(sb, e->code);
	sb_puts(sb, ", \"review_text_incomplete\": ");
	sb_json_str(sb, d.review, 1);
	json_date(sb, ", \"date_added\": ", d.added, 0);
	json_date(sb, ", \"date_updated\": ", d.updated, 0);
	json_date(sb, ", \"read_at\": ", d.read_at, 1);
	json_date(sb, ", \"started_at\": ", d.started_at, 1);
	sb_put(sb, "}\n", 2);
	return sample_file_line(c, &c->out[0]);
}

const struct sample_writer sample_writer_goodreads = {
	json_open, json_line, sample_goodreads_meta,
};

/* ---- goodreads_interactions.csv and its maps ------------------------------ */

static int csv_open(struct sample_ctx *c)
{
	sample_perm_init(&c->book_perm, c->cat.books, c->o->seed ^ 0x626f6f6b637376ULL);
	int err = sample_file_open(c, &c->out[0], "goodreads_interactions.csv", 0);
	if (!err)
		err = gzw_puts(&c->out[0], "user_id,book_id,is_read,rating,is_reviewed\n");
	return err;
}

static int csv_line(struct sample_ctx *c, const struct sample_event *e)
{
	struct sbuf *sb = &c->line;
	struct gr_line d;
	gr_details(c, e, &d);
	sb_u64(sb, e->user);
	sb_putc(sb, ',');
	sb_u64(sb, sample_perm_fwd(&c->book_perm, e->book));
	sb_putc(sb, ',');
	sb_putc(sb, d.is_read ? '1' : '0');
	sb_putc(sb, ',');
	sb_u64(sb, e->code);
	sb_putc(sb, ',');
	sb_putc(sb, d.review[0] ? '1' : '0');
	sb_putc(sb, '\n');
	return sample_file_line(c, &c->out[0]);
}

/* A map row left out on purpose (--map-missing): the real maps may lack
 * keys that the interactions use, and readers must say so, not crash. */
static int dropped(const struct sample_ctx *c, uint64_t salt, uint64_t key)
{
	if (c->o->map_missing <= 0)
		return 0;
	uint64_t h = sample_mix(c->o->seed ^ salt, key);
	return (double)(h >> 11) * 0x1.0p-53 < c->o->map_missing;
}

static int write_user_map(struct sample_ctx *c)
{
	struct gzw w;
	int err = sample_file_open(c, &w, "user_id_map.csv", 0);
	if (err)
		return err;
	gzw_puts(&w, "user_id_csv,user_id\n");
	for (uint32_t u = 0; u < c->o->users && !err; u++) {
		if (dropped(c, 0x756d6170ULL, u)) {
			c->map_users_dropped += c->st.user_lines[u] > 0;
			continue;
		}
		sb_u64(&c->line, u);
		sb_putc(&c->line, ',');
		sb_puts(&c->line, sample_user_hex(c, u));
		sb_putc(&c->line, '\n');
		err = sample_file_line(c, &w);
	}
	return sample_file_close(&w, err);
}

static int write_book_map(struct sample_ctx *c)
{
	const struct sample_stats *st = &c->st;
	struct gzw w;
	int err = sample_file_open(c, &w, "book_id_map.csv", 0);
	if (err)
		return err;
	gzw_puts(&w, "book_id_csv,book_id\n");
	for (uint64_t j = 0; j < c->cat.books && !err; j++) {
		uint32_t b = (uint32_t)sample_perm_inv(&c->book_perm, j);
		if (dropped(c, 0x626d6170ULL, b)) {
			int used = 0;
			for (uint32_t k = 0; k < st->codes; k++)
				used |= st->book_hist[(size_t)b * st->codes + k] != 0;
			c->map_books_dropped += used;
			continue;
		}
		sb_u64(&c->line, j);
		sb_putc(&c->line, ',');
		sb_u64(&c->line, c->cat.gr_book[b]);
		sb_putc(&c->line, '\n');
		err = sample_file_line(c, &w);
		c->meta_books++;
	}
	return sample_file_close(&w, err);
}

static int csv_meta(struct sample_ctx *c)
{
	int err = write_user_map(c);
	if (!err)
		err = write_book_map(c);
	return err;
}

const struct sample_writer sample_writer_goodreads_csv = { csv_open, csv_line, csv_meta };
