/* goodlens-extract: raw Goodreads, goodbooks and MovieLens dumps in, the
 * ratings fact file and dimension tables out.  Options here; the work is in
 * extract.c and the src_*.c readers. */
#include "cli.h"
#include "err.h"
#include "extract.h"
#include "extract_kind.h"
#include "log.h"
#include "outfile.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PROG "goodlens-extract"

static void usage(void)
{
	printf("usage: " PROG " --out DIR [options] FILE...\n"
"\n"
"Turn raw ratings dumps into the goodlens fact file and dimension tables.\n"
"FILE may be gzip'd (told by its magic bytes) or plain; '-' reads stdin\n"
"(then --source is required).  Interaction files (several allowed, e.g. all\n"
"eight Goodreads genre files) feed one ratings file with one user and one\n"
"item dictionary; metadata files become CSV tables.\n"
"\n"
"Writes into DIR (all or nothing: nothing is replaced if the run fails):\n"
"  ratings.raw.glr    the ratings, CSR by user, dense ids in order of first\n"
"                     appearance, scale 0.5 (byte = 2 x stars, 0 = shelved)\n"
"  users.raw.csv      user,<key>   (user_id; user_id_csv for goodreads-csv)\n"
"  items.raw.csv      item,<key>   (book_id, book_id_csv or movie_id)\n"
"  books.csv works.csv authors.csv movies.csv user_id_map.csv book_id_map.csv\n"
"                     from metadata files (docs/ARCHITECTURE.md has columns)\n"
"  extract.stats.csv  per file and total: bytes, lines, records, kept,\n"
"                     users, items, and a count per bad-record class\n"
"\n"
"Options:\n"
"  -o, --out DIR        output folder (created if missing)\n"
"  -s, --source KIND    kind of every FILE instead of detecting it; one of:\n"
"                       goodreads-json goodreads-books goodreads-works\n"
"                       goodreads-authors goodreads-csv goodreads-user-map\n"
"                       goodreads-book-map goodbooks-ratings goodbooks-to-read\n"
"                       goodbooks-books ml-udata ml-uitem ml-dat-ratings\n"
"                       ml-dat-movies ml-csv-ratings ml-csv-movies\n"
"      --max-bad N|P%%   fail when more than N records (or P percent of all\n"
"                       records) are skipped; default: no limit\n"
"      --strict         fail at the first bad record (repairs included)\n"
"      --max-line BYTES longest line or CSV record kept (default 4194304);\n"
"                       longer ones are skipped as too_long in bounded memory\n"
"      --max-keys N     most distinct users (and items) allowed (default: no\n"
"                       limit below 2^32 - 2)\n"
"      --sort-mem MIB   memory for ordering ratings that are not grouped by\n"
"                       user (default 256); less memory means more passes\n"
"      --threads N      threads parsing Goodreads JSON lines, 1..64 (default:\n"
"                       the CPUs, at most 8); outputs are the same for every N\n"
"      --encoding ENC   MovieLens text: auto (default: each field UTF-8 if it\n"
"                       is valid, else Latin-1), utf8, latin1; u.item is\n"
"                       always Latin-1 unless utf8 is given\n"
"  -q, --quiet          no warnings, no progress line\n"
"  -v, --verbose        say what each file is and what was written\n"
"  -h, --help           this text\n"
"  -V, --version        version\n"
"\n"
"Kinds are detected from the first line (JSON keys, CSV header, '::', tabs,\n"
"'|') and else from the name without .gz: goodreads_interactions*.json,\n"
"goodreads_reviews*.json, goodreads_books*.json, goodreads_book_works*.json,\n"
"goodreads_book_authors*.json, goodreads_interactions*.csv, user_id_map.csv,\n"
"book_id_map.csv, to_read.csv, u.data, u.item, ratings.dat, movies.dat,\n"
"rating.csv, movie.csv, movies.csv.\n"
"\n"
"Bad records are skipped and counted by class: bad_json, bad_fields,\n"
"missing_field, bad_type, bad_rating, bad_id, too_long; repaired and kept:\n"
"bad_date (time 0), bad_utf8 (U+FFFD).  The first ten are shown with file,\n"
"line and byte offset.  A truncated or corrupt gzip stream, a read error or\n"
"a full disk fail the run (exit 1).\n"
"\n"
"Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n");
}

enum { O_MAX_BAD = 256, O_STRICT, O_MAX_LINE, O_MAX_KEYS, O_SORT_MEM, O_ENCODING, O_THREADS };

static const struct option longopts[] = {
	{"out", required_argument, NULL, 'o'},
	{"source", required_argument, NULL, 's'},
	{"max-bad", required_argument, NULL, O_MAX_BAD},
	{"strict", no_argument, NULL, O_STRICT},
	{"max-line", required_argument, NULL, O_MAX_LINE},
	{"max-keys", required_argument, NULL, O_MAX_KEYS},
	{"sort-mem", required_argument, NULL, O_SORT_MEM},
	{"encoding", required_argument, NULL, O_ENCODING},
	{"threads", required_argument, NULL, O_THREADS},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* Options into o: 0, GL_EUSAGE (logged), or DONE after --help/--version. */
enum { DONE = 1 };

static int parse(int argc, char **argv, struct xopts *o, int *verbosity)
{
	static const char *const encodings[] = {"auto", "utf8", "latin1", NULL};
	uint64_t v;
	int c, err = 0;
	while (!err && (c = getopt_long(argc, argv, "o:s:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out_dir = optarg; break;
		case 's': err = cli_choice("--source", optarg, xkind_names(), &o->source); break;
		case O_MAX_BAD: err = xrep_parse_max(&o->rep, optarg); break;
		case O_STRICT: o->rep.strict = 1; break;
		case O_MAX_LINE:
			if (!(err = cli_u64("--max-line", optarg, &v)) && (v < 64 || v > (1ull << 31))) {
				log_error("invalid value for --max-line: '%s' (64 to 2147483648)", optarg);
				err = GL_EUSAGE;
			}
			o->max_line = (size_t)v;
			break;
		case O_MAX_KEYS: err = cli_u32("--max-keys", optarg, &o->max_keys); break;
		case O_SORT_MEM:
			if (!(err = cli_u64("--sort-mem", optarg, &v)) && (v < 1 || v > (1u << 20))) {
				log_error("invalid value for --sort-mem: '%s' (1 to 1048576 MiB)", optarg);
				err = GL_EUSAGE;
			}
			o->sort_mem = (size_t)v << 20;
			break;
		case O_ENCODING: err = cli_choice("--encoding", optarg, encodings, &o->encoding); break;
		case O_THREADS:
			if (!(err = cli_u64("--threads", optarg, &v)) && (v < 1 || v > 64)) {
				log_error("invalid value for --threads: '%s' (1 to 64)", optarg);
				err = GL_EUSAGE;
			}
			o->threads = (int)v;
			break;
		case 'q': *verbosity = LOG_QUIET, o->quiet = 1; break;
		case 'v': *verbosity = LOG_VERBOSE; break;
		case 'h': usage(); return DONE;
		case 'V': cli_version(PROG); return DONE;
		default: return GL_EUSAGE;
		}
	}
	if (!err && !o->out_dir) {
		log_error("--out DIR is required");
		err = GL_EUSAGE;
	}
	if (!err && optind >= argc) {
		log_error("no input files");
		err = GL_EUSAGE;
	}
	return err;
}

int main(int argc, char **argv)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct xopts o = {.source = XK_NONE, .encoding = XENC_AUTO,
			  .threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus};
	int verbosity = LOG_NORMAL;
	log_init(PROG, LOG_NORMAL);
	int err = parse(argc, argv, &o, &verbosity);
	log_init(PROG, verbosity);
	if (err == DONE)
		return EXIT_OK;
	if (err) {
		cli_usage_hint(PROG);
		return cli_exit(err);
	}
	outfile_signals();
	err = extract_run(&o, argv + optind, argc - optind);
	return cli_exit(err);
}
