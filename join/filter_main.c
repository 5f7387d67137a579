/* goodlens-filter: from ratings.raw.glr to ratings.glr (join/filter.h). */
#include "cli.h"
#include "dedupe.h"
#include "err.h"
#include "filter.h"
#include "log.h"
#include "outfile.h"
#include "parwrite.h"
#include "ratingsel.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "goodlens-filter"

static void usage(void)
{
	fputs("usage: " PROG " [options] ratings.raw.glr\n"
	      "\n"
	      "Narrow a raw ratings file to a training file: each step below is\n"
	      "optional unless marked, runs in this order, and is reported as a row\n"
	      "of filter.stats.csv (step,rows,users,items).  Writes ratings.glr\n"
	      "(sorted rows, split bitmap), users.csv, items.csv (the source tables'\n"
	      "columns, ids renumbered 0..n-1 keeping their order, plus n_ratings and\n"
	      "mean_rating) and filter.stats.csv.\n"
	      "\n"
	      "Inputs:\n"
	      "  -u, --users FILE          users.raw.csv (user,user_id): carried into\n"
	      "                            users.csv; without it users.csv has\n"
	      "                            user,raw_user,n_ratings,mean_rating\n"
	      "  -i, --items FILE          items.raw.csv or items.titled.csv: carried into\n"
	      "                            items.csv (likewise item,raw_item,... without)\n"
	      "  -o, --out DIR             where the outputs go (default .; created if\n"
	      "                            missing)\n"
	      "\n"
	      "Steps:\n"
	      "      --inner               the SQL inner join of the ratings with --items\n"
	      "                            (and --users when given): drop the ratings of\n"
	      "                            items (users) without a row in the table; without\n"
	      "                            it such a rating is an error.  Runs first, so\n"
	      "                            dedupe and the k-core see the joined ratings\n"
	      "      --keep-zero           keep rating 0 (shelved, not rated); by default\n"
	      "                            those rows are dropped\n"
	      "      --implicit[=WHICH]    implicit feedback, every kept rating becomes 1:\n"
	      "                            shelved (default) keeps only the rating 0 rows,\n"
	      "                            all keeps every row\n"
	      "      --rating-range LO,HI  keep ratings with LO <= stars <= HI\n"
	      "      --dedupe MODE         always done: one rating per (user, item);\n"
	      "                            latest (default: the latest time, ties and\n"
	      "                            files without times: the later in the file),\n"
	      "                            first (earliest time, or earlier in the file),\n"
	      "                            mean (the mean, rounded to the scale, halves\n"
	      "                            up), drop-all (drop every duplicated pair)\n"
	      "      --item-key KEY        book (default) or work: merge editions into\n"
	      "                            works by the work_id column of --items, then\n"
	      "                            dedupe again; items.csv is then one row per\n"
	      "                            work (item,work_id,...,book_ids)\n"
	      "      --top-items N         keep the N items with the most ratings (ties:\n"
	      "                            the lower id)\n"
	      "      --min-user-ratings U  k-core: every user keeps at least U ratings\n"
	      "      --min-item-ratings I  and every item at least I, repeated until\n"
	      "                            nothing changes\n"
	      "      --sample-users N      keep N users, or a fraction when N has a '.'\n"
	      "                            (0.1), chosen at random with --seed\n"
	      "      --split SPEC          always done: random:FRAC (default random:0.2),\n"
	      "                            time:FRAC (the latest FRAC of ratings),\n"
	      "                            last:K (each user's K latest, never all of a\n"
	      "                            user's), or none\n"
	      "      --seed N              seed for sampling and the random split\n"
	      "                            (default 42)\n"
	      "\n"
	      "      --threads N           threads for the passes over the ratings\n"
	      "                            (default: the CPUs, at most 8; the outputs\n"
	      "                            are the same for any N)\n"
	      "  -q, --quiet               errors only\n"
	      "  -v, --verbose             the counts after each step on stderr\n"
	      "  -h, --help                this text\n"
	      "  -V, --version             version\n"
	      "\n"
	      "Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n",
	      stdout);
}

enum {
	OPT_KEEP_ZERO = 256, OPT_IMPLICIT, OPT_RANGE, OPT_DEDUPE, OPT_ITEM_KEY, OPT_TOP,
	OPT_MIN_USER, OPT_MIN_ITEM, OPT_SAMPLE, OPT_SPLIT, OPT_SEED, OPT_INNER, OPT_THREADS
};

#define MAX_THREADS 16

static const struct option longopts[] = {
	{"users", required_argument, NULL, 'u'},
	{"items", required_argument, NULL, 'i'},
	{"out", required_argument, NULL, 'o'},
	CLI_OUT_ALIASES('o'),
	{"keep-zero", no_argument, NULL, OPT_KEEP_ZERO},
	{"implicit", optional_argument, NULL, OPT_IMPLICIT},
	{"rating-range", required_argument, NULL, OPT_RANGE},
	{"dedupe", required_argument, NULL, OPT_DEDUPE},
	{"item-key", required_argument, NULL, OPT_ITEM_KEY},
	{"top-items", required_argument, NULL, OPT_TOP},
	{"min-user-ratings", required_argument, NULL, OPT_MIN_USER},
	{"min-item-ratings", required_argument, NULL, OPT_MIN_ITEM},
	{"sample-users", required_argument, NULL, OPT_SAMPLE},
	{"split", required_argument, NULL, OPT_SPLIT},
	{"seed", required_argument, NULL, OPT_SEED},
	{"inner", no_argument, NULL, OPT_INNER},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static const char *const dedupes[] = {"latest", "first", "mean", "drop-all", NULL};
static const char *const item_keys[] = {"book", "work", NULL};
static const char *const implicits[] = {"shelved", "all", NULL};

static int parse_sample(const char *arg, struct filter_opts *o)
{
	if (strchr(arg, '.')) {
		o->sample = 2;
		if (cli_double("--sample-users", arg, &o->sample_frac))
			return GL_EUSAGE;
		if (o->sample_frac <= 0 || o->sample_frac > 1) {
			log_error("invalid value for --sample-users: '%s' (a fraction must be in "
				  "(0, 1])",
				  arg);
			return GL_EUSAGE;
		}
		return 0;
	}
	o->sample = 1;
	return cli_u64("--sample-users", arg, &o->sample_count);
}

static int option(int c, const char *arg, struct filter_opts *o, int *zeros_set)
{
	int which = 0;
	switch (c) {
	case 'u': o->users = arg; return 0;
	case 'i': o->items = arg; return 0;
	case 'o': o->outdir = arg; return 0;
	case OPT_KEEP_ZERO:
	case OPT_IMPLICIT:
		if ((*zeros_set)++) {
			log_error("--keep-zero and --implicit exclude each other");
			return GL_EUSAGE;
		}
		if (c == OPT_KEEP_ZERO) {
			o->zeros = ZEROS_KEEP;
			return 0;
		}
		if (arg && cli_choice("--implicit", arg, implicits, &which))
			return GL_EUSAGE;
		o->zeros = which ? ZEROS_IMPLICIT_ALL : ZEROS_IMPLICIT;
		return 0;
	case OPT_RANGE: o->range = 1; return cli_range("--rating-range", arg, &o->lo, &o->hi);
	case OPT_DEDUPE: return cli_choice("--dedupe", arg, dedupes, &o->dedupe);
	case OPT_ITEM_KEY: return cli_choice("--item-key", arg, item_keys, &o->works);
	case OPT_TOP: return cli_u64("--top-items", arg, &o->top_items);
	case OPT_MIN_USER: return cli_u32("--min-user-ratings", arg, &o->min_user);
	case OPT_MIN_ITEM: return cli_u32("--min-item-ratings", arg, &o->min_item);
	case OPT_SAMPLE: return parse_sample(arg, o);
	case OPT_SPLIT: return split_parse(arg, &o->split);
	case OPT_SEED: return cli_u64("--seed", arg, &o->seed);
	case OPT_INNER: o->inner = 1; return 0;
	case OPT_THREADS: {
		uint32_t n;
		if (cli_u32("--threads", arg, &n))
			return GL_EUSAGE;
		if (n < 1 || n > MAX_THREADS) {
			log_error("invalid value for --threads: '%s' (expected 1..%d)", arg,
				  MAX_THREADS);
			return GL_EUSAGE;
		}
		o->threads = (int)n;
		return 0;
	}
	default: return GL_EUSAGE;
	}
}

/* 0, CLI_DONE when --help or --version has been answered, or GL_EUSAGE. */
static int parse(int argc, char **argv, struct filter_opts *o, int *verbosity)
{
	int c, zeros_set = 0;
	o->outdir = ".";
	o->seed = 42;
	o->threads = parw_default_threads();
	o->split.kind = SPLIT_RANDOM;
	o->split.frac = 0.2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":u:i:o:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': *verbosity = LOG_QUIET; break;
		case 'v': *verbosity = LOG_VERBOSE; break;
		case 'h': usage(); return CLI_DONE;
		case 'V': cli_version(PROG); return CLI_DONE;
		case '?':
		case ':': return cli_bad_option(c, argv, longopts);
		default:
			if (option(c, optarg, o, &zeros_set))
				return GL_EUSAGE;
		}
	}
	if (argc - optind != 1) {
		log_error("expected one ratings file (got %d)", argc - optind);
		return GL_EUSAGE;
	}
	o->ratings = argv[optind];
	if (o->inner && !o->items && !o->users) {
		log_error("--inner needs --items or --users: the tables to join the ratings with");
		return GL_EUSAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct filter_opts o;
	memset(&o, 0, sizeof o);
	int verbosity = LOG_NORMAL;
	log_init(PROG, verbosity);
	int err = parse(argc, argv, &o, &verbosity);
	if (err)
		return cli_parse_status(PROG, err);
	log_init(PROG, verbosity);
	outfile_signals();
	return cli_status(filter_run(&o));
}
