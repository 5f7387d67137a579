/* sample_sidecar.c - what the lines leave behind: counts, the noise floor,
 * and the two sidecar files that tell tests and reports the planted truth. */
#include "cli.h"
#include "err.h"
#include "log.h"
#include "sample_sidecar.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int sample_stats_init(struct sample_ctx *c)
{
	struct sample_stats *s = &c->st;
	const struct sample_scale *sc = &c->model.p.scale;
	memset(s, 0, sizeof *s);
	s->codes = (uint32_t)lround(sc->hi / sc->step) + 1;
	s->book_hist = calloc((size_t)c->cat.books * s->codes + 1, sizeof *s->book_hist);
	s->user_lines = calloc((size_t)c->o->users + 1, sizeof *s->user_lines);
	s->user_ratings = calloc((size_t)c->o->users + 1, sizeof *s->user_ratings);
	if (!s->book_hist || !s->user_lines || !s->user_ratings) {
		log_error("out of memory for the statistics of %u books", c->cat.books);
		sample_stats_free(s);
		return GL_ENOMEM;
	}
	return 0;
}

void sample_stats_free(struct sample_stats *s)
{
	free(s->book_hist);
	free(s->user_lines);
	free(s->user_ratings);
	memset(s, 0, sizeof *s);
}

void sample_stats_add(struct sample_ctx *c, const struct sample_event *e)
{
	struct sample_stats *s = &c->st;
	s->lines++;
	s->book_hist[(size_t)e->book * s->codes + e->code]++;
	s->user_lines[e->user]++;
	if (!e->code) {
		s->shelved++;
		return;
	}
	double v = e->code * c->model.p.scale.step, var, mae;
	s->ratings++;
	s->dups += (e->flags & SAMPLE_EV_DUP) != 0;
	s->user_ratings[e->user]++;
	s->sum += v;
	s->sumsq += v * v;
	/* The floor is over the lines written: the expected squared error of
	 * the best predictor, E[rating | truth], on each of them. */
	sample_floor(&c->model.p.scale, c->model.p.noise, e->truth, &var, &mae);
	s->var_sum += var;
	s->mae_sum += mae;
}

/* Counts the sidecar reports, derived once from the statistics. */
struct tally {
	uint64_t users, rated_users, items, rated_items, works;
	uint64_t min_user, min_item;
	uint64_t orphans, missing;
};

static uint64_t book_ratings(const struct sample_stats *s, uint32_t b)
{
	uint64_t n = 0;
	for (uint32_t k = 1; k < s->codes; k++)
		n += s->book_hist[(size_t)b * s->codes + k];
	return n;
}

static void tally(const struct sample_ctx *c, struct tally *t)
{
	const struct sample_stats *s = &c->st;
	const struct sample_catalog *cat = &c->cat;
	memset(t, 0, sizeof *t);
	t->min_user = t->min_item = UINT64_MAX;
	for (uint32_t u = 0; u < c->o->users; u++) {
		t->users += s->user_lines[u] > 0;
		if (s->user_ratings[u]) {
			t->rated_users++;
			if (s->user_ratings[u] < t->min_user)
				t->min_user = s->user_ratings[u];
		}
	}
	for (uint32_t w = 0; w < cat->works; w++) {
		uint64_t lines = 0, rated = 0;
		if (!sample_work_in_scope(c, w))
			continue;
		for (uint32_t b = cat->book_first[w]; b < cat->book_first[w + 1]; b++) {
			uint64_t r = book_ratings(s, b), all = r + s->book_hist[(size_t)b * s->codes];
			t->items += all > 0;
			t->rated_items += r > 0;
			t->missing += cat->book_missing[b];
			lines += all;
			rated += r;
		}
		t->orphans += w >= cat->p.items;
		t->works += lines > 0;
		if (rated && rated < t->min_item)
			t->min_item = rated;
	}
	if (t->min_user == UINT64_MAX)
		t->min_user = 0;
	if (t->min_item == UINT64_MAX)
		t->min_item = 0;
}

static void kv_u(struct gzw *w, const char *k, uint64_t v) { gzw_printf(w, "%s=%" PRIu64 "\n", k, v); }
static void kv_d(struct gzw *w, const char *k, double v) { gzw_printf(w, "%s=%.6g\n", k, v); }
static void kv_f(struct gzw *w, const char *k, double v) { gzw_printf(w, "%s=%.6f\n", k, v); }
static void kv_s(struct gzw *w, const char *k, const char *v) { gzw_printf(w, "%s=%s\n", k, v); }

static void write_counts(struct sample_ctx *c, struct gzw *w, const struct tally *t)
{
	const struct sample_stats *s = &c->st;
	kv_u(w, "users", t->users);
	kv_u(w, "items", t->items);
	kv_u(w, "works", t->works);
	kv_u(w, "rated_users", t->rated_users);
	kv_u(w, "rated_items", t->rated_items);
	kv_u(w, "lines", s->lines);
	kv_u(w, "ratings", s->ratings);
	kv_u(w, "shelved", s->shelved);
	kv_u(w, "duplicates", s->dups);
	kv_u(w, "min_user_ratings", t->min_user);
	kv_u(w, "min_item_ratings", t->min_item);
	kv_u(w, "model_users", c->o->users);
	kv_u(w, "model_items", c->o->items);
	kv_u(w, "metadata_books", c->meta_books);
	kv_u(w, "missing_books", t->missing);
	kv_u(w, "orphan_books", t->orphans);
	kv_u(w, "map_missing_users", c->map_users_dropped);
	kv_u(w, "map_missing_books", c->map_books_dropped);
}

static void write_model(struct sample_ctx *c, struct gzw *w)
{
	const struct sample_model *m = &c->model;
	const struct sample_format_info *f = c->f;
	kv_u(w, "factors", m->p.factors);
	kv_u(w, "genres", SAMPLE_GENRES);
	kv_u(w, "polarising", m->polarising);
	kv_d(w, "noise", m->p.noise);
	kv_d(w, "mu", m->p.mu);
	kv_d(w, "step", m->p.scale.step);
	kv_d(w, "lo", m->p.scale.lo);
	kv_d(w, "hi", m->p.scale.hi);
	kv_d(w, "user_bias_sd", m->user_bias_sd);
	kv_d(w, "item_bias_sd", m->item_bias_sd);
	kv_f(w, "user_factor_sd", m->user_factor_sd);
	kv_d(w, "genre_sd", m->genre_sd);
	kv_d(w, "item_spread_sd", m->item_spread_sd);
	kv_d(w, "popularity_exponent", c->o->popularity_exponent);
	kv_d(w, "activity_exponent", c->o->activity_exponent);
	kv_u(w, "min_per_user", c->o->min_per_user);
	kv_u(w, "min_per_item", c->o->min_per_item);
	kv_d(w, "zero_share", f->shelves ? c->o->zero_share : 0);
	kv_d(w, "dup_share", f->dups ? c->o->dup_share : 0);
	kv_d(w, "missing_share", f->editions ? c->o->missing_books : 0);
	kv_d(w, "orphan_share", c->o->orphan_books);
	kv_u(w, "editions", f->editions ? c->o->editions : 1);
	kv_s(w, "order", sample_order_names[c->order]);
}

static void write_floor(struct sample_ctx *c, struct gzw *w)
{
	const struct sample_stats *s = &c->st;
	double n = s->ratings ? (double)s->ratings : 1;
	double mean = s->sum / n;
	double var = s->sumsq / n - mean * mean;
	kv_f(w, "mean_rating", mean);
	kv_f(w, "sd_rating", sqrt(var > 0 ? var : 0));
	kv_f(w, "floor_rmse", sqrt(s->var_sum / n));
	kv_f(w, "floor_mae", s->mae_sum / n);
}

static int write_planted(struct sample_ctx *c, int data_files)
{
	struct gzw w;
	struct tally t;
	int err = sample_file_open(c, &w, "planted.txt", 0);
	if (err)
		return err;
	tally(c, &t);
	gzw_puts(&w, "# goodlens-sample planted model: key=value, see docs/SAMPLE.md\n");
	kv_s(&w, "generator", "goodlens-sample " GOODLENS_VERSION);
	kv_s(&w, "format", c->f->name);
	kv_s(&w, "genre", c->genre >= 0 ? sample_genre_names[c->genre] : "");
	kv_u(&w, "seed", c->o->seed);
	write_counts(c, &w, &t);
	write_model(c, &w);
	write_floor(c, &w);
	gzw_puts(&w, "files=");
	for (int i = 0; i < data_files; i++)
		gzw_printf(&w, "%s%s", i ? "," : "", c->files[i]);
	gzw_puts(&w, "\n");
	return sample_file_close(&w, 0);
}

static int write_items(struct sample_ctx *c)
{
	const struct sample_model *m = &c->model;
	const struct sample_catalog *cat = &c->cat;
	uint32_t k = m->p.factors;
	int with_work = c->f->ids == SAMPLE_IDS_GOODREADS || c->f->ids == SAMPLE_IDS_RANK;
	struct gzw w;
	int err = sample_file_open(c, &w, "planted_items.csv", 0);
	if (err)
		return err;
	gzw_puts(&w, "item_id,work_id,genre,polarising,rank,ratings,bias");
	for (uint32_t f = 0; f < k; f++)
		gzw_printf(&w, ",q%u", f);
	gzw_puts(&w, "\n");
	for (uint32_t i = 0; i < m->p.items && !gzw_error(&w); i++) {
		if (!sample_work_in_scope(c, i))
			continue;
		for (uint32_t b = cat->book_first[i]; b < cat->book_first[i + 1]; b++) {
			struct sbuf *sb = &c->line;
			sb_u64(sb, cat->book_id[b]);
			sb_putc(sb, ',');
			if (with_work)
				sb_u64(sb, cat->work_id[i]);
			sb_putc(sb, ',');
			sb_puts(sb, sample_genre_names[m->genre[i]]);
			sb_puts(sb, m->polar[i] ? ",1," : ",0,");
			sb_u64(sb, i);
			sb_putc(sb, ',');
			sb_u64(sb, book_ratings(&c->st, b));
			sb_putc(sb, ',');
			sb_fixed(sb, m->bias[i], 6);
			for (uint32_t f = 0; f < k; f++) {
				sb_putc(sb, ',');
				sb_fixed(sb, m->q[(size_t)i * k + f], 6);
			}
			sb_putc(sb, '\n');
			if ((err = sample_file_line(c, &w)) != 0)
				break;
		}
	}
	return sample_file_close(&w, err);
}

int sample_sidecar_write(struct sample_ctx *c)
{
	int data_files = c->nfiles;
	int err = write_items(c);
	if (!err)
		err = write_planted(c, data_files);
	return err;
}
