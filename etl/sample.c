#include "sample.h"

#include "cli.h"
#include "clock.h"
#include "err.h"
#include "log.h"
#include "outfile.h"
#include "progress.h"
#include "sample_goodbooks.h"
#include "sample_goodreads.h"
#include "sample_movielens.h"
#include "sample_sidecar.h"
#include "sample_write.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const sample_format_names[] = {
	"goodreads", "goodreads-genre", "goodreads-csv", "goodbooks", "ml-100k", "ml-1m",
	"ml-10m", "ml-csv", "ml-kaggle", "all", NULL,
};

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
	int cpus = cli_cpus();
	o->threads = cpus > 8 ? 8 : cpus;
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

/* ---- one format --------------------------------------------------------- */

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
	c.t0 = clock_now();
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
			  c.st.lines, c.st.ratings, clock_now() - c.t0);
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
