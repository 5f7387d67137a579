/* goodlens-sample: write synthetic ratings dumps in the real file formats,
 * from a planted model whose noise floor is known (docs/SAMPLE.md). */
#include "cli.h"
#include "err.h"
#include "log.h"
#include "outfile.h"
#include "sample.h"
#include "sample_order.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define PROG "goodlens-sample"

static void usage(void)
{
	struct sample_opts d;
	sample_opts_default(&d);
	printf("usage: %s --format NAME --out DIR [options]\n"
	       "\n"
	       "Write synthetic ratings data in the exact layout of a public dump, drawn\n"
	       "from a planted low-rank model, plus DIR/planted.txt (sizes, model, noise\n"
	       "floor) and DIR/planted_items.csv (true item genre, bias, factors).\n"
	       "\n"
	       "formats:\n"
	       "  goodreads        goodreads_interactions_dedup.json.gz, goodreads_books.json.gz,\n"
	       "                   goodreads_book_works.json.gz, goodreads_book_authors.json.gz\n"
	       "  goodreads-genre  goodreads_interactions_G.json.gz, goodreads_books_G.json.gz,\n"
	       "                   works and authors (needs --genre G)\n"
	       "  goodreads-csv    goodreads_interactions.csv, user_id_map.csv, book_id_map.csv\n"
	       "  goodbooks        ratings.csv, books.csv, to_read.csv (goodbooks-10k)\n"
	       "  ml-100k          u.data, u.item, u.user, u.info\n"
	       "  ml-1m            ratings.dat, movies.dat, users.dat\n"
	       "  ml-10m           ratings.dat, movies.dat (half stars)\n"
	       "  ml-csv           ratings.csv, movies.csv (ml-20m/25m/32m/latest)\n"
	       "  ml-kaggle        rating.csv, movie.csv (Kaggle's ml-20m)\n"
	       "  all              each of the above into DIR/<format>/\n"
	       "\n"
	       "options:\n"
	       "  --format NAME            one of the formats above\n"
	       "  -o, --out DIR            output folder (created if missing)\n"
	       "  --genre G                children, comics_graphic, fantasy_paranormal,\n"
	       "                           history_biography, mystery_thriller_crime, poetry,\n"
	       "                           romance, young_adult\n"
	       "  --seed N                 random seed (default %" PRIu64 ")\n"
	       "  --users N                users (default %u)\n"
	       "  --items N                planted items (works) (default %u)\n"
	       "  --interactions N         target lines, ratings + shelved (default %" PRIu64 ")\n"
	       "  --factors K              planted rank (default %u)\n"
	       "  --noise SD               rating noise (default %g)\n"
	       "  --zero-share X           Goodreads lines shelved, rating 0 (default %g)\n"
	       "  --missing-books X        rated books left out of the books file (default %g)\n"
	       "  --orphan-books X         unrated books added, x items (default %g)\n"
	       "  --editions N             up to N books per work (default %u)\n"
	       "  --dup-share X            goodbooks: repeated (user, book) lines (default %g)\n"
	       "  --map-missing X          goodreads-csv: map rows left out (default %g)\n"
	       "  --popularity-exponent A  item weight (rank+1)^-A, 0 = uniform (default %g)\n"
	       "  --activity-exponent B    user activity U^-B, 0 = uniform (default %g)\n"
	       "  --min-per-user N         at least N ratings per user\n"
	       "  --min-per-item N         at least N ratings per item (work)\n"
	       "  --order user|random|item line order (default: the format's own)\n"
	       "  --goodbooks-order user|book  goodbooks layout: user (default) is GitHub's\n"
	       "                           current one (user_id,book_id,rating; books.csv\n"
	       "                           book_id,goodreads_book_id,...), book the first\n"
	       "                           release as on Kaggle (book_id,user_id,rating\n"
	       "                           sorted by book; books.csv id,book_id,...)\n"
	       "  --gzip-level N           0..9 (default %d)\n"
	       "  --threads N              gzip threads, 1..32 (default: the CPUs, at most 8;\n"
	       "                           the output is the same for any N)\n"
	       "  -q, --quiet              errors only\n"
	       "  -v, --verbose            more detail\n"
	       "  -h, --help               this text\n"
	       "  -V, --version            the version\n"
	       "\n"
	       "exit status: 0 success, 1 failure, 2 bad usage\n",
	       PROG, (uint64_t)d.seed, d.users, d.items, (uint64_t)d.interactions, d.factors,
	       d.noise, d.zero_share, d.missing_books, d.orphan_books, d.editions, d.dup_share,
	       d.map_missing, d.popularity_exponent, d.activity_exponent, d.gzip_level);
}

enum {
	OPT_FORMAT = 256, OPT_OUT, OPT_GENRE, OPT_SEED, OPT_USERS, OPT_ITEMS, OPT_INTER,
	OPT_FACTORS, OPT_NOISE, OPT_ZERO, OPT_MISSING, OPT_ORPHAN, OPT_EDITIONS, OPT_DUP,
	OPT_MAP, OPT_POP, OPT_ACT, OPT_MINU, OPT_MINI, OPT_ORDER, OPT_GBORDER, OPT_LEVEL,
	OPT_THREADS,
};

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "out", required_argument, NULL, OPT_OUT },
	CLI_OUT_ALIASES(OPT_OUT),
	{ "genre", required_argument, NULL, OPT_GENRE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "users", required_argument, NULL, OPT_USERS },
	{ "items", required_argument, NULL, OPT_ITEMS },
	{ "interactions", required_argument, NULL, OPT_INTER },
	{ "factors", required_argument, NULL, OPT_FACTORS },
	{ "noise", required_argument, NULL, OPT_NOISE },
	{ "zero-share", required_argument, NULL, OPT_ZERO },
	{ "missing-books", required_argument, NULL, OPT_MISSING },
	{ "orphan-books", required_argument, NULL, OPT_ORPHAN },
	{ "editions", required_argument, NULL, OPT_EDITIONS },
	{ "dup-share", required_argument, NULL, OPT_DUP },
	{ "map-missing", required_argument, NULL, OPT_MAP },
	{ "popularity-exponent", required_argument, NULL, OPT_POP },
	{ "activity-exponent", required_argument, NULL, OPT_ACT },
	{ "min-per-user", required_argument, NULL, OPT_MINU },
	{ "min-per-item", required_argument, NULL, OPT_MINI },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "goodbooks-order", required_argument, NULL, OPT_GBORDER },
	{ "gzip-level", required_argument, NULL, OPT_LEVEL },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char *const goodbooks_orders[] = { "user", "book", NULL };

/* One option's value into o.  0 or GL_EUSAGE (logged). */
static int set_option(struct sample_opts *o, int c, const char *arg, const char **out)
{
	uint32_t level;
	int err;
	switch (c) {
	case OPT_FORMAT: return cli_choice("--format", arg, sample_format_names, &o->format);
	case 'o':
	case OPT_OUT: *out = arg; return 0;
	case OPT_GENRE: return cli_choice("--genre", arg, sample_genre_names, &o->genre);
	case OPT_SEED: return cli_u64("--seed", arg, &o->seed);
	case OPT_USERS: return cli_u32("--users", arg, &o->users);
	case OPT_ITEMS: return cli_u32("--items", arg, &o->items);
	case OPT_INTER: return cli_u64("--interactions", arg, &o->interactions);
	case OPT_FACTORS: return cli_u32("--factors", arg, &o->factors);
	case OPT_NOISE: return cli_double("--noise", arg, &o->noise);
	case OPT_ZERO: return cli_double("--zero-share", arg, &o->zero_share);
	case OPT_MISSING: return cli_double("--missing-books", arg, &o->missing_books);
	case OPT_ORPHAN: return cli_double("--orphan-books", arg, &o->orphan_books);
	case OPT_EDITIONS: return cli_u32("--editions", arg, &o->editions);
	case OPT_DUP: return cli_double("--dup-share", arg, &o->dup_share);
	case OPT_MAP: return cli_double("--map-missing", arg, &o->map_missing);
	case OPT_POP: return cli_double("--popularity-exponent", arg, &o->popularity_exponent);
	case OPT_ACT: return cli_double("--activity-exponent", arg, &o->activity_exponent);
	case OPT_MINU: return cli_u32("--min-per-user", arg, &o->min_per_user);
	case OPT_MINI: return cli_u32("--min-per-item", arg, &o->min_per_item);
	case OPT_ORDER: return cli_choice("--order", arg, sample_order_names, &o->order);
	case OPT_GBORDER:
		return cli_choice("--goodbooks-order", arg, goodbooks_orders, &o->goodbooks_by_book);
	case OPT_THREADS:
		if ((err = cli_u32("--threads", arg, &level)) != 0)
			return err;
		o->threads = level > 64 ? 64 : (int)level; /* 0 and > 32: rejected by the check */
		return 0;
	case OPT_LEVEL:
		if ((err = cli_u32("--gzip-level", arg, &level)) != 0)
			return err;
		o->gzip_level = level > 9 ? 10 : (int)level; /* 10: rejected by the check */
		return 0;
	}
	return GL_EUSAGE;
}

/* Options into o: 0, GL_EUSAGE (logged), or CLI_DONE after --help/--version. */
static int parse(int argc, char **argv, struct sample_opts *o, int *verbosity)
{
	const char *out = NULL;
	int c, err = 0;
	opterr = 0;
	while (!err && (c = getopt_long(argc, argv, ":o:qvhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'q': *verbosity = LOG_QUIET; break;
		case 'v': *verbosity = LOG_VERBOSE; break;
		case 'h': usage(); return CLI_DONE;
		case 'V': cli_version(PROG); return CLI_DONE;
		case '?':
		case ':': err = cli_bad_option(c, argv, long_opts); break;
		default: err = set_option(o, c, optarg, &out); break;
		}
	}
	if (!err && optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		err = GL_EUSAGE;
	}
	o->out = out;
	return err ? err : sample_opts_check(o);
}

int main(int argc, char **argv)
{
	struct sample_opts o;
	int verbosity = LOG_NORMAL;
	sample_opts_default(&o);
	log_init(PROG, LOG_NORMAL);
	int err = parse(argc, argv, &o, &verbosity);
	if (err)
		return cli_parse_status(PROG, err);
	log_init(PROG, verbosity);
	outfile_signals();
	return cli_status(sample_run(&o));
}
