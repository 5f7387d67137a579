/* goodlens-export: the data in other tools' layouts (join/export_*.h). */
#include "cli.h"
#include "dedupe.h"
#include "err.h"
#include "export_goodbooks.h"
#include "export_ratings.h"
#include "export_ucsd.h"
#include "log.h"
#include "outfile.h"
#include "parwrite.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "goodlens-export"
enum { OPT_USERS = 512 }; /* beside the other OPT_ values, after them */

static void usage(void)
{
	fputs("usage: " PROG " goodbooks   [options] --in DIR --out DIR\n"
	      "       " PROG " ucsd-csv    [options] --in DIR --out DIR\n"
	      "       " PROG " ratings-csv [options] [--out FILE] ratings.glr\n"
	      "\n"
	      "Write goodlens data in the layouts other tools and tutorials expect.\n"
	      "\n"
	      "goodbooks: the Kaggle goodbooks-10k layout from goodlens-extract's output\n"
	      "  of the UCSD Goodreads JSON dumps (DIR holds ratings.raw.glr,\n"
	      "  items.raw.csv, books.csv, works.csv, authors.csv): rating 0 rows set\n"
	      "  aside, duplicates removed, the N most rated books numbered 1..N by\n"
	      "  popularity, then users with at least U of those ratings numbered\n"
	      "  from 1.  Writes ratings.csv (user_id,book_id,rating), to_read.csv\n"
	      "  (user_id,book_id: shelved, never rated) and books.csv (the 23\n"
	      "  goodbooks columns from books, works and authors).\n"
	      "      --books N             books to keep (default 10000)\n"
	      "      --min-user-ratings U  ratings a user needs (default 2)\n"
	      "      --dedupe MODE         latest (default), first, mean or drop-all\n"
	      "\n"
	      "ucsd-csv: goodreads_interactions.csv (user_id,book_id,is_read,rating,\n"
	      "  is_reviewed), user_id_map.csv and book_id_map.csv from\n"
	      "  goodlens-extract's output of the JSON dump (DIR holds\n"
	      "  ratings.raw.glr, users.raw.csv, items.raw.csv); every raw rating,\n"
	      "  rating 0 included; is_read and is_reviewed from the file's read and\n"
	      "  reviewed bitmaps (0 where it has none).\n"
	      "\n"
	      "ratings-csv: one ratings file from a ratings.glr, with the source's keys\n"
	      "  from users.csv and items.csv (beside it, or named below).\n"
	      "      --format F            fastai (default): user,item,rating, then the\n"
	      "                            keys named as in the tables (user_id,\n"
	      "                            movie_id ...), title and is_valid (1 = the\n"
	      "                            validation set): CollabDataLoaders.from_df\n"
	      "                            reads it as is, and ColSplitter('is_valid')\n"
	      "                            keeps goodlens' split;\n"
	      "                            keys: the keys alone (user_id,book_id ...),\n"
	      "                            rating, title and is_valid, with no dense\n"
	      "                            ids: the table a person reads;\n"
	      "                            libmf: \"user item rating\" lines (dense ids);\n"
	      "                            movielens: userId,movieId,rating,timestamp\n"
	      "                            with the source's ids where its keys are\n"
	      "                            integers (MovieLens, goodbooks, Goodreads\n"
	      "                            book_id), else (no table, or keys such as\n"
	      "                            Goodreads' hex user_id) dense ids counted\n"
	      "                            from 1; timestamp 0 where the file has none\n"
	      "      --users FILE          users.csv (user,<key>,...); default: beside\n"
	      "                            the ratings file\n"
	      "      --items FILE          items.csv (item,<key>[,title],...); likewise\n"
	      "      --subset S            all (default), train or valid\n"
	      "\n"
	      "  -i, --in DIR              input folder (default .)\n"
	      "      --threads N           threads formatting the rows (default: the\n"
	      "                            CPUs, at most 8; the output is the same for\n"
	      "                            any N)\n"
	      "  -o, --out PATH            goodbooks, ucsd-csv: the output folder (default\n"
	      "                            .; created if missing); ratings-csv: the output\n"
	      "                            file (default '-': stdout)\n"
	      "  -q, --quiet               errors only\n"
	      "  -v, --verbose             more detail\n"
	      "  -h, --help                this text\n"
	      "  -V, --version             version\n"
	      "\n"
	      "Outputs appear together or not at all.  Exit status: 0 success, 1 bad\n"
	      "input or failure, 2 bad usage.\n",
	      stdout);
}

enum { OPT_BOOKS = 256, OPT_MIN_USER, OPT_DEDUPE, OPT_FORMAT, OPT_ITEMS, OPT_SUBSET, OPT_THREADS };
#define MAX_THREADS 64

static const struct option longopts[] = {
	{"in", required_argument, NULL, 'i'},
	{"out", required_argument, NULL, 'o'},
	CLI_OUT_ALIASES('o'),
	{"books", required_argument, NULL, OPT_BOOKS},
	{"min-user-ratings", required_argument, NULL, OPT_MIN_USER},
	{"dedupe", required_argument, NULL, OPT_DEDUPE},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"items", required_argument, NULL, OPT_ITEMS},
	{"subset", required_argument, NULL, OPT_SUBSET},
	{"users", required_argument, NULL, OPT_USERS},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static const char *const layouts[] = {"goodbooks", "ucsd-csv", "ratings-csv", NULL};
enum { GOODBOOKS, UCSD, RATINGS };
static const char *const dedupes[] = {"latest", "first", "mean", "drop-all", NULL};
static const char *const formats[] = {"fastai", "libmf", "movielens", "keys", NULL};
static const char *const subsets[] = {"all", "train", "valid", NULL};

struct opts {
	int layout;
	const char *indir, *outdir, *out; /* out: -o as given, NULL = the default */
	struct gb_opts gb;
	struct rc_opts rc;
	int verbosity;
	uint32_t threads;
};

static int option(int c, const char *arg, struct opts *o)
{
	switch (c) {
	case 'i': o->indir = arg; return 0;
	case 'o': o->out = arg; return 0;
	case OPT_BOOKS: return cli_u64("--books", arg, &o->gb.books);
	case OPT_MIN_USER: return cli_u32("--min-user-ratings", arg, &o->gb.min_user);
	case OPT_DEDUPE: return cli_choice("--dedupe", arg, dedupes, &o->gb.dedupe);
	case OPT_FORMAT: return cli_choice("--format", arg, formats, &o->rc.format);
	case OPT_ITEMS: o->rc.items = arg; return 0;
	case OPT_USERS: o->rc.users = arg; return 0;
	case OPT_SUBSET: return cli_choice("--subset", arg, subsets, &o->rc.subset);
	case OPT_THREADS:
		if (cli_u32("--threads", arg, &o->threads))
			return GL_EUSAGE;
		if (o->threads < 1 || o->threads > MAX_THREADS) {
			log_error("invalid value for --threads: '%s' (expected 1..%d)", arg,
				  MAX_THREADS);
			return GL_EUSAGE;
		}
		return 0;
	case 'q': o->verbosity = LOG_QUIET; return 0;
	case 'v': o->verbosity = LOG_VERBOSE; return 0;
	default: return GL_EUSAGE;
	}
}

/* 0, CLI_DONE when --help or --version has been answered, or GL_EUSAGE. */
static int parse(int argc, char **argv, struct opts *o)
{
	int c;
	o->indir = o->outdir = ".";
	o->gb.books = 10000;
	o->gb.min_user = 2;
	o->verbosity = LOG_NORMAL;
	o->threads = (uint32_t)parw_default_threads();
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:o:qvhV", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage();
			return CLI_DONE;
		}
		if (c == 'V') {
			cli_version(PROG);
			return CLI_DONE;
		}
		if (c == '?' || c == ':')
			return cli_bad_option(c, argv, longopts);
		if (option(c, optarg, o))
			return GL_EUSAGE;
	}
	if (optind >= argc) {
		log_error("name a layout: goodbooks, ucsd-csv or ratings-csv");
		return GL_EUSAGE;
	}
	if (cli_choice("layout", argv[optind], layouts, &o->layout))
		return GL_EUSAGE;
	int want = o->layout == RATINGS ? 1 : 0;
	if (argc - optind - 1 != want) {
		log_error("%s takes %s", argv[optind],
			  want ? "one ratings file" : "no file arguments (use --in and --out)");
		return GL_EUSAGE;
	}
	if (want) {
		o->rc.ratings = argv[optind + 1];
		o->rc.out = o->out ? o->out : "-";
	} else if (o->out) {
		o->outdir = o->out;
	}
	return 0;
}

/* The layout asked for; goodbooks and ucsd-csv into a folder made first. */
static int run(struct opts *o)
{
	int err;
	o->gb.indir = o->indir;
	o->gb.threads = o->rc.threads = (int)o->threads;
	o->gb.outdir = o->outdir;
	if (o->layout != RATINGS && (err = outfile_mkdirs(o->outdir)))
		return err;
	switch (o->layout) {
	case GOODBOOKS: return export_goodbooks(&o->gb);
	case UCSD: return export_ucsd(o->indir, o->outdir, (int)o->threads);
	default: return export_ratings(&o->rc);
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	memset(&o, 0, sizeof o);
	log_init(PROG, LOG_NORMAL);
	int err = parse(argc, argv, &o);
	if (err)
		return cli_parse_status(PROG, err);
	log_init(PROG, o.verbosity);
	outfile_signals();
	return cli_status(run(&o));
}
