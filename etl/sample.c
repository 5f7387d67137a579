#include "sample.h"

#include "err.h"
#include "log.h"
#include "outfile.h"
#include "progress.h"
#include "sample_date.h"
#include "sample_write.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *const sample_format_names[] = {
	"goodreads", "goodreads-genre", "goodreads-csv", "goodbooks", "ml-100k", "ml-1m",
	"ml-10m", "ml-csv", "ml-kaggle", "all", NULL,
};

const char *const sample_genre_names[] = {
	"children", "comics_graphic", "fantasy_paranormal", "history_biography",
	"mystery_thriller_crime", "poetry", "romance", "young_adult", NULL,
};

const char *const sample_order_names[] = { "user", "random", "item", NULL };

/* The genre file `all` writes when --genre is not given. */
#define ALL_DEFAULT_GENRE 2

/* Time windows of the real releases (UTC seconds). */
#define T_GOODREADS_START 1167609600 /* 2007-01-01 */
#define T_GOODREADS_END 1509494400   /* 2017-11-01, the crawl */
#define DAY 86400

/* Macros, not const objects: C11 does not let a const object initialise
 * another object of static storage (clang rejects it, gcc allows it). */
#define STARS { 1, 5, 1 }
#define HALF_STARS { 0.5, 5, 0.5 }

/* Indexed by enum sample_format (all but SAMPLE_ALL). */
static const struct sample_format_info formats[] = {
	{ "goodreads", 3.8, STARS, 1, 1, 0, SAMPLE_IDS_GOODREADS, SAMPLE_UTF8, SAMPLE_ORDER_USER,
	  SAMPLE_WITHIN_NEWEST, T_GOODREADS_START, T_GOODREADS_END, 0, &sample_writer_goodreads },
	{ "goodreads-genre", 3.8, STARS, 1, 1, 0, SAMPLE_IDS_GOODREADS, SAMPLE_UTF8,
	  SAMPLE_ORDER_USER, SAMPLE_WITHIN_NEWEST, T_GOODREADS_START, T_GOODREADS_END, 0,
	  &sample_writer_goodreads },
	{ "goodreads-csv", 3.8, STARS, 1, 1, 0, SAMPLE_IDS_GOODREADS, SAMPLE_UTF8,
	  SAMPLE_ORDER_USER, SAMPLE_WITHIN_NEWEST, T_GOODREADS_START, T_GOODREADS_END, 0,
	  &sample_writer_goodreads_csv },
	{ "goodbooks", 3.8, STARS, 1, 0, 1, SAMPLE_IDS_RANK, SAMPLE_UTF8, SAMPLE_ORDER_USER,
	  SAMPLE_WITHIN_ITEM, T_GOODREADS_START, T_GOODREADS_END, 0, &sample_writer_goodbooks },
	/* u.data is not sorted; ratings.dat of 1m is by user, unsorted within */
	{ "ml-100k", 3.55, STARS, 0, 0, 0, SAMPLE_IDS_DENSE, SAMPLE_LATIN1, SAMPLE_ORDER_RANDOM,
	  SAMPLE_WITHIN_RANDOM, 874724710, 893286638, 20 * DAY, &sample_writer_ml100k },
	{ "ml-1m", 3.55, STARS, 0, 0, 0, SAMPLE_IDS_DENSE, SAMPLE_LATIN1, SAMPLE_ORDER_USER,
	  SAMPLE_WITHIN_RANDOM, 956703932, 1046454590, 30 * DAY, &sample_writer_ml1m },
	{ "ml-10m", 3.5, HALF_STARS, 0, 0, 0, SAMPLE_IDS_GAPPY, SAMPLE_UTF8, SAMPLE_ORDER_USER,
	  SAMPLE_WITHIN_ITEM, 789652009, 1231131736, 60 * DAY, &sample_writer_ml10m },
	{ "ml-csv", 3.5, HALF_STARS, 0, 0, 0, SAMPLE_IDS_GAPPY, SAMPLE_UTF8, SAMPLE_ORDER_USER,
	  SAMPLE_WITHIN_ITEM, 828124615, 1537799250, 60 * DAY, &sample_writer_mlcsv },
	{ "ml-kaggle", 3.5, HALF_STARS, 0, 0, 0, SAMPLE_IDS_GAPPY, SAMPLE_UTF8, SAMPLE_ORDER_USER,
	  SAMPLE_WITHIN_ITEM, 789652009, 1427784002, 60 * DAY, &sample_writer_mlkaggle },
};

void sample_opts_default(struct sample_opts *o)
{
	memset(o, 0, sizeof *o);
	o->format = -1;
	o->genre = -1;
	o->seed = 1;
	o->users = 2000;
	o->items = 1000;
	o->interactions = 50000;
	o->factors = 8;
	o->noise = 0.7;
	o->zero_share = 0.3;
	o->missing_books = 0.03;
	o->orphan_books = 0.02;
	o->dup_share = 0.002;
	o->map_missing = 0;
	o->editions = 1;
	o->popularity_exponent = 0.8;
	o->activity_exponent = 0.6;
	o->order = -1;
	o->gzip_level = GZW_DEFAULT_LEVEL;
	o->sort_budget = (size_t)4 << 20; /* ~200 MB of held lines */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
}

static int bad(const char *what)
{
	log_error("%s", what);
	return GL_EUSAGE;
}

static int share_ok(double x, double most) { return x >= 0 && x <= most; }

int sample_opts_check(const struct sample_opts *o)
{
	if (o->format < 0 || o->format > SAMPLE_ALL)
		return bad("--format is required (try --help for the list)");
	if (!o->out || !*o->out)
		return bad("--out DIR is required");
	if (o->format == SAMPLE_GOODREADS_GENRE && o->genre < 0)
		return bad("--format goodreads-genre needs --genre");
	if (!o->users || o->users > 100000000u)
		return bad("--users must be 1..100000000");
	if (!o->items || o->items > 100000000u)
		return bad("--items must be 1..100000000");
	if (!o->interactions || (double)o->interactions > (double)o->users * o->items)
		return bad("--interactions must be 1..users*items");
	if (!o->factors || o->factors > 256)
		return bad("--factors must be 1..256");
	if (!share_ok(o->noise, 10))
		return bad("--noise must be 0..10");
	if (!share_ok(o->zero_share, 0.95))
		return bad("--zero-share must be 0..0.95");
	if (!share_ok(o->missing_books, 0.9) || !share_ok(o->orphan_books, 10))
		return bad("--missing-books must be 0..0.9 and --orphan-books 0..10");
	if (!share_ok(o->dup_share, 1) || !share_ok(o->map_missing, 1))
		return bad("--dup-share and --map-missing must be 0..1");
	if (!o->editions || o->editions > 64)
		return bad("--editions must be 1..64");
	if (!share_ok(o->popularity_exponent, 5) || !share_ok(o->activity_exponent, 5))
		return bad("--popularity-exponent and --activity-exponent must be 0..5");
	if (o->gzip_level < 0 || o->gzip_level > 9)
		return bad("--gzip-level must be 0..9");
	if (o->threads < 1 || o->threads > GZW_MAX_THREADS)
		return bad("--threads must be 1..32");
	if (o->sort_budget < 1024)
		return bad("sort budget too small");
	return 0;
}

/* ---- helpers the writers share ------------------------------------------ */

int sample_file_open(struct sample_ctx *c, struct gzw *w, const char *name, int gz)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/%s", c->dir, name) >= (int)sizeof path) {
		log_error("output path too long: %s/%s", c->dir, name);
		return GL_EUSAGE;
	}
	if (c->nfiles == SAMPLE_MAX_FILES) {
		log_error("internal: too many output files");
		return GL_ELIMIT;
	}
	char *copy = strdup(name);
	if (!copy) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	/* the file is a member of the run's set: written to a temporary that
	 * sample_run renames with all the others */
	const char *to;
	int err = outfile_reserve(&c->set[c->nfiles], path, &to);
	if (err) {
		free(copy);
		return err;
	}
	err = gzw_open(w, to, gz ? c->o->gzip_level : GZW_PLAIN);
	if (!err && gz)
		err = gzw_threads(w, c->o->threads);
	if (err) {
		gzw_abort(w);
		outfile_abort(&c->set[c->nfiles]);
		free(copy);
		return err;
	}
	c->files[c->nfiles++] = copy;
	return 0;
}

int sample_file_line(struct sample_ctx *c, struct gzw *w)
{
	if (c->line.oom) {
		log_error("out of memory formatting a line");
		return GL_ENOMEM;
	}
	int err = gzw_write(w, c->line.p, c->line.len);
	sb_reset(&c->line);
	return err;
}

int sample_file_close(struct gzw *w, int err)
{
	if (!err)
		return gzw_commit(w);
	gzw_abort(w);
	return err;
}

const char *sample_user_hex(struct sample_ctx *c, uint32_t u)
{
	if (c->user_cached != u || !c->user_hex[0]) {
		/* 32 digits fit the 33-byte array, so sb never grows (it could
		 * not: the array is not from malloc). */
		struct sbuf sb = { c->user_hex, 0, sizeof c->user_hex, 0 };
		uint64_t h = sample_mix(c->o->seed ^ 0x75736572ULL, u);
		sb_hex(&sb, h, sample_mix(h, u), 16);
		c->user_hex[32] = 0;
		c->user_cached = u;
	}
	return c->user_hex;
}

int sample_work_genre(const struct sample_ctx *c, uint32_t w)
{
	if (w < c->model.p.items)
		return c->model.genre[w];
	return (int)(sample_mix(c->o->seed ^ 0x67656e7265ULL, w) % SAMPLE_GENRES);
}

int sample_work_in_scope(const struct sample_ctx *c, uint32_t w)
{
	return c->genre < 0 || sample_work_genre(c, w) == c->genre;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Inverse of a modulo n (gcd(a, n) = 1), by the extended Euclid. */
static uint64_t mod_inverse(uint64_t a, uint64_t n)
{
	int64_t t = 0, nt = 1;
	int64_t r = (int64_t)n, nr = (int64_t)(a % n);
	while (nr) {
		int64_t q = r / nr, x;
		x = t - q * nt;
		t = nt;
		nt = x;
		x = r - q * nr;
		r = nr;
		nr = x;
	}
	return (uint64_t)(t < 0 ? t + (int64_t)n : t);
}

void sample_perm_init(struct sample_perm *p, uint64_t n, uint64_t seed)
{
	p->n = n ? n : 1;
	p->b = sample_mix(seed, 1) % p->n;
	p->a = p->n > 2 ? 2 + sample_mix(seed, 2) % (p->n - 2) : 1;
	while (gcd(p->a, p->n) != 1)
		p->a = p->a + 1 < p->n ? p->a + 1 : 1;
	p->ainv = mod_inverse(p->a, p->n);
}

uint64_t sample_perm_fwd(const struct sample_perm *p, uint64_t x)
{
	return (uint64_t)(((unsigned __int128)p->a * x + p->b) % p->n);
}

uint64_t sample_perm_inv(const struct sample_perm *p, uint64_t y)
{
	uint64_t d = (y + p->n - p->b % p->n) % p->n;
	return (uint64_t)(((unsigned __int128)p->ainv * d) % p->n);
}

void sample_work_hist(const struct sample_ctx *c, uint32_t w, uint64_t *hist)
{
	const struct sample_stats *st = &c->st;
	uint64_t total = 0, h = sample_mix(c->o->seed ^ 0x68697374ULL, w);
	memset(hist, 0, sizeof *hist * st->codes);
	for (uint32_t b = c->cat.book_first[w]; b < c->cat.book_first[w + 1]; b++)
		for (uint32_t k = 1; k < st->codes; k++) {
			hist[k] += st->book_hist[(size_t)b * st->codes + k];
			total += st->book_hist[(size_t)b * st->codes + k];
		}
	if (total) {
		uint64_t scale = 1 + h % 40;
		for (uint32_t k = 1; k < st->codes; k++)
			hist[k] *= scale;
		return;
	}
	/* Never rated here: a few ratings drawn around the item's mean. */
	struct rng r;
	rng_init(&r, h, 7);
	double t = c->model.p.mu + (w < c->model.p.items ? c->model.bias[w] : 0);
	double sd = sqrt(c->model.p.noise * c->model.p.noise + 0.4);
	uint32_t n = 3 + (uint32_t)(h % 40);
	for (uint32_t j = 0; j < n; j++)
		hist[sample_scale_code(&c->model.p.scale, t + sd * rng_normal(&r))]++;
}

int sample_work_year(const struct sample_ctx *c, uint32_t w)
{
	uint64_t h = sample_mix(c->o->seed ^ 0x79656172ULL, w);
	struct sample_civil end;
	sample_civil_from_unix(c->f->t_end, &end);
	unsigned roll = (unsigned)(h % 100);
	h /= 100;
	if (c->f->ids == SAMPLE_IDS_GOODREADS || c->f->ids == SAMPLE_IDS_RANK) {
		if (roll < 65)
			return end.year - (int)(h % 28);
		if (roll < 95)
			return 1900 + (int)(h % 90);
		return (int)(h % 2650) - 750; /* the Iliad is in there too */
	}
	/* Films: mostly the twenty years before the data set. */
	if (roll < 80)
		return end.year - (int)(h % 20);
	return 1920 + (int)(h % (uint64_t)(end.year - 1940));
}

/* ---- one format --------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int on_line(void *vc, const struct sample_event *e)
{
	struct sample_ctx *c = vc;
	if (c->genre >= 0 && c->model.genre[e->item] != c->genre)
		return 0;
	sample_stats_add(c, e);
	progress_tick(&c->prog, c->st.lines, c->out[0].bytes_in + c->out[1].bytes_in);
	return c->f->writer->line(c, e);
}

static int build(struct sample_ctx *c)
{
	const struct sample_opts *o = c->o;
	const struct sample_format_info *f = c->f;
	struct sample_model_params mp = {
		.seed = o->seed, .items = o->items, .factors = o->factors,
		.mu = f->mu, .noise = o->noise, .scale = f->scale,
	};
	struct sample_catalog_params cp = {
		.seed = o->seed, .items = o->items, .editions = f->editions ? o->editions : 1,
		.orphan_share = o->orphan_books, .missing_share = f->editions ? o->missing_books : 0,
		.ids = f->ids,
	};
	int err = sample_model_init(&c->model, &mp);
	if (!err)
		err = sample_catalog_init(&c->cat, &cp);
	if (err)
		return err;
	struct sample_gen_params gp = {
		.seed = o->seed, .users = o->users, .interactions = o->interactions,
		.zero_share = f->shelves ? o->zero_share : 0, .dup_share = f->dups ? o->dup_share : 0,
		.popularity_exponent = o->popularity_exponent,
		.activity_exponent = o->activity_exponent,
		.min_per_user = o->min_per_user, .min_per_item = o->min_per_item,
		.t_start = (uint32_t)f->t_start, .t_end = (uint32_t)f->t_end, .session = f->session,
		.book_first = c->cat.book_first,
	};
	err = sample_gen_init(&c->gen, &c->model, &gp);
	if (!err)
		err = sample_stats_init(c);
	return err;
}

static void teardown(struct sample_ctx *c)
{
	for (int i = 0; i < SAMPLE_LINE_FILES; i++)
		gzw_abort(&c->out[i]);
	for (int i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	sb_free(&c->line);
	sample_stats_free(&c->st);
	sample_gen_free(&c->gen);
	sample_catalog_free(&c->cat);
	sample_model_free(&c->model);
}

static int run_format(const struct sample_opts *o, int format, const char *dir, int genre,
		      struct outfile *set)
{
	struct sample_ctx c;
	memset(&c, 0, sizeof c);
	c.o = o;
	c.set = set;
	c.f = &formats[format];
	c.dir = dir;
	c.genre = format == SAMPLE_GOODREADS_GENRE ? genre : -1;
	c.order = o->order >= 0 ? (enum sample_order)o->order : c.f->order;
	if (format == SAMPLE_GOODBOOKS && o->goodbooks_by_book && o->order < 0)
		c.order = SAMPLE_ORDER_ITEM;
	c.user_cached = UINT32_MAX;
	c.t0 = now();
	progress_start(&c.prog, c.f->name, 0, log_verbosity() < LOG_NORMAL);

	int err = build(&c);
	if (!err)
		err = c.f->writer->open(&c);
	if (!err) {
		struct sample_order_spec spec = {
			.order = c.order, .within = c.f->within, .book_key = c.cat.book_key,
			.books = c.cat.books, .seed = o->seed, .budget = o->sort_budget,
			.emit = on_line, .ctx = &c,
		};
		err = sample_order_run(&c.gen, &spec);
	}
	for (int i = 0; i < SAMPLE_LINE_FILES; i++)
		if (!err && c.out[i].of.fp)
			err = sample_file_close(&c.out[i], 0);
	if (!err)
		err = c.f->writer->meta(&c);
	if (!err)
		err = sample_sidecar_write(&c);
	progress_end(&c.prog);
	if (!err)
		log_debug("%s: %" PRIu64 " lines (%" PRIu64 " ratings) in %.2f s", c.f->name,
			  c.st.lines, c.st.ratings, now() - c.t0);
	teardown(&c);
	return err;
}

int sample_run(const struct sample_opts *o)
{
	int err = sample_opts_check(o);
	if (err)
		return err;
	if ((err = outfile_mkdirs(o->out)) != 0)
		return err;
	/* Every file of the run, committed as one set at the end: SAMPLE_MAX_FILES
	 * members for each format, in format order. */
	enum { SET_N = SAMPLE_ALL * SAMPLE_MAX_FILES };
	struct outfile *set = calloc(SET_N, sizeof *set);
	if (!set) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	if (o->format != SAMPLE_ALL)
		err = run_format(o, o->format, o->out, o->genre, set);
	for (int f = 0; o->format == SAMPLE_ALL && f < SAMPLE_ALL && !err; f++) {
		char dir[4096];
		if (snprintf(dir, sizeof dir, "%s/%s", o->out, sample_format_names[f]) >=
		    (int)sizeof dir) {
			log_error("output path too long: %s", o->out);
			err = GL_EUSAGE;
			break;
		}
		err = outfile_mkdirs(dir);
		if (!err)
			err = run_format(o, f, dir, o->genre >= 0 ? o->genre : ALL_DEFAULT_GENRE,
					 set + f * SAMPLE_MAX_FILES);
	}
	if (err)
		outfile_abort_set(set, SET_N);
	else
		err = outfile_commit_set(set, SET_N);
	free(set);
	return err;
}
