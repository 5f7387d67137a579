/* goodlens-extract: raw Goodreads, goodbooks and MovieLens dumps in, the
 * ratings fact file and dimension tables out.  Options here; the work is in
 * extract.c and the src_*.c readers. */
#include "cli.h"
#include "delim.h"
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
"  users.raw.csv      user,<key>   (user_id; user_id_csv for goodreads-csv;\n"
"                     for --source csv the user column's name)\n"
"  items.raw.csv      item,<key>   (book_id, book_id_csv or movie_id; for\n"
"                     --source csv the item column's name)\n"
"  books.csv works.csv authors.csv movies.csv user_id_map.csv book_id_map.csv\n"
"                     from metadata files (docs/ARCHITECTURE.md has columns)\n"
"  extract.stats.csv  per file and total: bytes, lines, records, kept,\n"
"                     users, items, and a count per bad-record class\n"
"\n"
"Options:\n"
"  -o, --out DIR        output folder (created if missing)\n"
"  -s, --source KIND    kind of every FILE instead of detecting it: one of the\n"
"                       kinds below (csv: a ratings file of any layout)\n"
"      --max-bad N|P%%   fail when more than N records (or P percent of all\n"
"                       records) are skipped; default 1%% (as make pipeline):\n"
"                       a damaged file fails; 100%% keeps going whatever\n"
"      --strict         fail at the first bad record (repairs included)\n"
"      --max-line BYTES longest line or CSV record kept (default 4194304);\n"
"                       longer ones are skipped as too_long in bounded memory\n"
"      --max-keys N     most distinct users (and items) allowed (default: no\n"
"                       limit below 2^32 - 2)\n"
"      --sort-mem MIB   memory for ordering ratings that are not grouped by\n"
"                       user (default 256); less memory means more passes\n"
"      --threads N      threads parsing Goodreads JSON lines, 1..64 (default:\n"
"                       the CPUs, at most 8; on 2 CPUs, one while it keeps up\n"
"                       with the inflate); outputs are the same for every N\n"
"      --encoding ENC   MovieLens text: auto (default: each field UTF-8 if it\n"
"                       is valid, else Latin-1), utf8, latin1; u.item is\n"
"                       always Latin-1 unless utf8 is given\n"
"  -q, --quiet          no warnings, no progress line\n"
"  -v, --verbose        say what each file is and what was written\n"
"  -h, --help           this text\n"
"  -V, --version        version\n"
"\n");
	xkind_help(stdout);
	printf("\n"
"A ratings file of any layout (--source csv; never detected):\n"
"      --columns user=COL,item=COL,rating=COL[,time=COL]\n"
"                       the columns that hold each, by header name (or by\n"
"                       number from 1 with --no-header); e.g.\n"
"                       --columns user=rater,item=film,rating=score,time=when\n"
"      --no-header      the first line is data\n"
"      --delimiter D    , ; | :: tab space (or comma semicolon pipe colons);\n"
"                       default: detected from the first lines (',' when\n"
"                       reading stdin or a pipe)\n"
"      --scale LO,HI[,STEP]\n"
"                       the ratings' scale (e.g. 1,10 or 0.5,5,0.1); STEP\n"
"                       defaults to 1 for whole LO and HI, else 0.5.  Default\n"
"                       0.5,5 in half steps (whole ratings are 1..5).  Values\n"
"                       are stored exactly (.glr scale 0.5, or STEP when finer\n"
"                       or HI is above 127.5); LO must be above 0 (0 means\n"
"                       shelved) and HI/STEP at most 255.  A rating off the\n"
"                       scale or not a number is a bad record (bad_rating)\n"
"  time is unix seconds or an ISO 8601 date (2020-01-02, 2020-01-02T10:00:00Z);\n"
"  users.raw.csv and items.raw.csv name their key column as the user and\n"
"  item columns (user_id, item_id with --no-header or for columns called\n"
"  user and item).  It reads goodlens-export ratings-csv back.\n"
"\n"
"Bad records are skipped and counted by class: bad_json, bad_fields,\n"
"missing_field, bad_type, bad_rating, bad_id, too_long; repaired and kept:\n"
"bad_date (time 0), bad_utf8 (U+FFFD).  The first ten are shown with file,\n"
"line and byte offset.  A truncated or corrupt gzip stream, a read error or\n"
"a full disk fail the run (exit 1).\n"
"\n"
"Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n");
}

enum { O_MAX_BAD = 256, O_STRICT, O_MAX_LINE, O_MAX_KEYS, O_SORT_MEM, O_ENCODING, O_COLUMNS,
       O_NO_HEADER, O_DELIMITER, O_SCALE, O_THREADS };

static const struct option longopts[] = {
	{"out", required_argument, NULL, 'o'},
	CLI_OUT_ALIASES('o'),
	{"source", required_argument, NULL, 's'},
	{"max-bad", required_argument, NULL, O_MAX_BAD},
	{"strict", no_argument, NULL, O_STRICT},
	{"max-line", required_argument, NULL, O_MAX_LINE},
	{"max-keys", required_argument, NULL, O_MAX_KEYS},
	{"sort-mem", required_argument, NULL, O_SORT_MEM},
	{"encoding", required_argument, NULL, O_ENCODING},
	{"columns", required_argument, NULL, O_COLUMNS},
	{"no-header", no_argument, NULL, O_NO_HEADER},
	{"delimiter", required_argument, NULL, O_DELIMITER},
	{"scale", required_argument, NULL, O_SCALE},
	{"threads", required_argument, NULL, O_THREADS},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static int parse_delimiter(const char *arg, int *out)
{
	if ((*out = delim_parse(arg)) != DELIM_NONE)
		return 0;
	log_error("invalid value for --delimiter: '%s' (one of , ; | :: tab space, or the names "
		  "comma semicolon pipe colons tab space)",
		  arg);
	return GL_EUSAGE;
}

/* The --source csv options go together: 0 or GL_EUSAGE (logged). */
static int check_csv(struct xopts *o)
{
	const struct xcols *c = &o->csv;
	const char *opt = c->given         ? "--columns"
			  : c->no_header   ? "--no-header"
			  : c->delim >= 0  ? "--delimiter"
			  : c->scale_given ? "--scale"
					   : NULL;
	if (o->source != XK_CSV) {
		if (!opt)
			return 0;
		log_error("%s is for --source csv (a ratings file of any layout); add --source csv "
			  "--columns user=COL,item=COL,rating=COL, or leave %s out for the "
			  "built-in layouts",
			  opt, opt);
		return GL_EUSAGE;
	}
	if (!c->given) {
		log_error("--source csv needs --columns user=COL,item=COL,rating=COL[,time=COL]: the "
			  "names of those columns in the header (or their numbers with --no-header)");
		return GL_EUSAGE;
	}
	return c->no_header ? xcols_positions(&o->csv) : 0;
}

/* Options into o: 0, GL_EUSAGE (logged), or CLI_DONE after --help/--version. */
static int parse(int argc, char **argv, struct xopts *o, int *verbosity)
{
	static const char *const encodings[] = {"auto", "utf8", "latin1", NULL};
	const char *kinds[XK_N + 1];
	uint64_t v;
	int c, err = 0;
	opterr = 0;
	while (!err && (c = getopt_long(argc, argv, ":o:s:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out_dir = optarg; break;
		case 's': err = cli_choice("--source", optarg, xkind_names(kinds), &o->source); break;
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
		case O_COLUMNS: err = xcols_parse(&o->csv, optarg); break;
		case O_NO_HEADER: o->csv.no_header = 1; break;
		case O_DELIMITER: err = parse_delimiter(optarg, &o->csv.delim); break;
		case O_SCALE:
			err = rscale_parse(&o->csv.scale, optarg);
			o->csv.scale_given = 1;
			break;
		case O_THREADS:
			if (!(err = cli_u64("--threads", optarg, &v)) && (v < 1 || v > 64)) {
				log_error("invalid value for --threads: '%s' (1 to 64)", optarg);
				err = GL_EUSAGE;
			}
			o->threads = (int)v;
			break;
		case 'q': *verbosity = LOG_QUIET, o->quiet = 1; break;
		case 'v': *verbosity = LOG_VERBOSE; break;
		case 'h': usage(); return CLI_DONE;
		case 'V': cli_version(PROG); return CLI_DONE;
		default: return cli_bad_option(c, argv, longopts);
		}
	}
	if (!err)
		err = check_csv(o);
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
	/* --max-bad 1% by default: a damaged file fails here as in the pipeline */
	struct xopts o = {.source = XK_NONE, .encoding = XENC_AUTO,
			  .rep = {.limit = 2, .max_pct = 1.0}, .csv = {.delim = DELIM_NONE},
			  .cpus = cli_cpus()};
	rscale_default(&o.csv.scale);
	int verbosity = LOG_NORMAL;
	log_init(PROG, LOG_NORMAL);
	int err = parse(argc, argv, &o, &verbosity);
	if (err)
		return cli_parse_status(PROG, err);
	log_init(PROG, verbosity);
	outfile_signals();
	return cli_status(extract_run(&o, argv + optind, argc - optind));
}
