/* goodlens-join: an SQL-style hash join of two CSV files (join/join_hash.h). */
#include "cli.h"
#include "delim.h"
#include "err.h"
#include "join_hash.h"
#include "join_stats.h"
#include "log.h"
#include "outfile.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "goodlens-join"

static void usage(void)
{
	fputs("usage: " PROG " [options] --on KEYS LEFT.csv RIGHT.csv\n"
	      "\n"
	      "Join two CSV files (with header rows) on key columns, as SQL's\n"
	      "LEFT JOIN ... USING (keys) and its relatives do, and report the keys\n"
	      "that found no partner on either side.  One side is held in memory, the\n"
	      "other is streamed; gzip input is read as such; '-' is stdin.\n"
	      "\n"
	      "  -k, --on KEYS           key columns: NAME when both sides call it the\n"
	      "                          same, LEFT=RIGHT when they differ; several\n"
	      "                          separated by ',' (book_id or item_key=book_id,lang)\n"
	      "  -t, --kind KIND         inner (default), left, right, full, semi (left\n"
	      "                          rows with a match) or anti (left rows without)\n"
	      "  -o, --out FILE          joined CSV (default '-': stdout)\n"
	      "  -s, --stats FILE        per-side counts and up to 20 unmatched keys:\n"
	      "                          side,file,rows,keys,matched_keys,unmatched_keys,\n"
	      "                          unmatched_rows,examples\n"
	      "      --build SIDE        auto (default: the smaller file), left or right:\n"
	      "                          the side held in memory; rows come out in the\n"
	      "                          order of the other side (see below)\n"
	      "      --suffix S          appended to a right column name that clashes\n"
	      "                          with an earlier one (default _right)\n"
	      "      --rename OLD=NEW    write RIGHT's column OLD as NEW (several:\n"
	      "                          OLD=NEW,OLD2=NEW2); a RIGHT column already\n"
	      "                          called NEW gets the suffix (name=title makes\n"
	      "                          name the title column)\n"
	      "      --right-columns C   write only these RIGHT columns, by their header\n"
	      "                          names, in this order (several separated by\n"
	      "                          ','; default: every one that is not a key), as\n"
	      "                          SQL's select list does (book_id + title:\n"
	      "                          --right-columns title)\n"
	      "      --delimiter D       field delimiter of both inputs: , ; | :: tab\n"
	      "                          space (or comma semicolon pipe colons); default:\n"
	      "                          detected per file from its first lines (',' for\n"
	      "                          stdin or a pipe).  The output is always ','\n"
	      "      --empty-keys MODE   null (default): a key with an empty column\n"
	      "                          matches nothing, like SQL NULL; value: the\n"
	      "                          empty string is a key like any other\n"
	      "      --max-build-rows N  fail when the in-memory side has more rows\n"
	      "                          (default 0: no limit)\n"
	      "      --max-build-bytes N fail when the in-memory side needs more memory\n"
	      "                          (default 4294967296; 0: no limit)\n"
	      "      --threads N         1: read each side and use its rows in turn;\n"
	      "                          2 (default): read it on a second thread\n"
	      "                          while the rows before are held or joined\n"
	      "                          (the same output either way)\n"
	      "  -q, --quiet             errors only\n"
	      "  -v, --verbose           more detail on stderr\n"
	      "  -h, --help              this text\n"
	      "  -V, --version           version\n"
	      "\n"
	      "Output: every left column, then the right columns that are not keys\n"
	      "(or those --right-columns names).\n"
	      "A key column holds the left value, or the right one on rows without a\n"
	      "left side.  Duplicate keys give every pair.  Row order: the streamed\n"
	      "side's input order, each row's matches in the in-memory side's order,\n"
	      "then the unmatched in-memory rows (right, full, left joins) in input\n"
	      "order; semi and anti joins keep the left order.\n"
	      "\n"
	      "Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n",
	      stdout);
}

enum { OPT_BUILD = 256, OPT_SUFFIX, OPT_EMPTY, OPT_MAX_ROWS, OPT_MAX_BYTES, OPT_RENAME,
       OPT_DELIMITER, OPT_COLUMNS, OPT_THREADS };

static const struct option longopts[] = {
	{"on", required_argument, NULL, 'k'},
	{"kind", required_argument, NULL, 't'},
	{"out", required_argument, NULL, 'o'},
	CLI_OUT_ALIASES('o'),
	{"stats", required_argument, NULL, 's'},
	{"build", required_argument, NULL, OPT_BUILD},
	{"suffix", required_argument, NULL, OPT_SUFFIX},
	{"empty-keys", required_argument, NULL, OPT_EMPTY},
	{"max-build-rows", required_argument, NULL, OPT_MAX_ROWS},
	{"max-build-bytes", required_argument, NULL, OPT_MAX_BYTES},
	{"rename", required_argument, NULL, OPT_RENAME},
	{"right-columns", required_argument, NULL, OPT_COLUMNS},
	{"delimiter", required_argument, NULL, OPT_DELIMITER},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static const char *const kinds[] = {"inner", "left", "right", "full", "semi", "anti", NULL};
static const char *const builds[] = {"auto", "left", "right", NULL};
static const char *const empties[] = {"null", "value", NULL};

/* Parse the command line into o (names point into argv).  0, CLI_DONE
 * when --help or --version has been answered, or GL_EUSAGE (logged). */
static int parse(int argc, char **argv, struct join_opts *o, int *verbosity)
{
	int c, err = 0;
	o->out = "-";
	o->max_build_bytes = (uint64_t)4 << 30;
	o->delim = DELIM_NONE;
	opterr = 0;
	while (!err && (c = getopt_long(argc, argv, ":k:t:o:s:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': err = join_parse_keys(o, optarg); break;
		case 't': err = cli_choice("--kind", optarg, kinds, &o->kind); break;
		case 'o': o->out = optarg; break;
		case 's': o->stats = optarg; break;
		case OPT_BUILD: err = cli_choice("--build", optarg, builds, &o->build); break;
		case OPT_SUFFIX: o->suffix = optarg; break;
		case OPT_EMPTY: err = cli_choice("--empty-keys", optarg, empties, &o->empty); break;
		case OPT_MAX_ROWS: err = cli_u64("--max-build-rows", optarg, &o->max_build_rows); break;
		case OPT_MAX_BYTES:
			err = cli_u64("--max-build-bytes", optarg, &o->max_build_bytes);
			break;
		case OPT_RENAME: err = join_parse_renames(o, optarg); break;
		case OPT_COLUMNS: err = join_parse_columns(o, optarg); break;
		case OPT_THREADS: {
			uint32_t n = 0;
			if (!(err = cli_u32("--threads", optarg, &n)) && (n < 1 || n > 2)) {
				log_error("invalid value for --threads: '%s' (expected 1 or 2)", optarg);
				err = GL_EUSAGE;
			}
			o->threads = (int)n;
			break;
		}
		case OPT_DELIMITER:
			if ((o->delim = delim_parse(optarg)) == DELIM_NONE) {
				log_error("invalid value for --delimiter: '%s' (one of , ; | :: tab "
					  "space, or comma semicolon pipe colons)",
					  optarg);
				err = GL_EUSAGE;
			}
			break;
		case 'q': *verbosity = LOG_QUIET; break;
		case 'v': *verbosity = LOG_VERBOSE; break;
		case 'h': usage(); return CLI_DONE;
		case 'V': cli_version(PROG); return CLI_DONE;
		default: return cli_bad_option(c, argv, longopts);
		}
	}
	if (err)
		return err;
	if (!o->nkeys) {
		log_error("--on is required: name the key columns");
		return GL_EUSAGE;
	}
	if (o->ncolumns && (o->kind == JOIN_SEMI || o->kind == JOIN_ANTI)) {
		log_error("--right-columns with --kind %s: a %s join writes no right column; "
			  "leave --right-columns out",
			  kinds[o->kind], kinds[o->kind]);
		return GL_EUSAGE;
	}
	if (argc - optind != 2) {
		log_error("expected two files, LEFT and RIGHT (got %d)", argc - optind);
		return GL_EUSAGE;
	}
	o->left = argv[optind];
	o->right = argv[optind + 1];
	return 0;
}

/* The join, and its counts on stderr with --verbose. */
static int run(const struct join_opts *o)
{
	struct join_result res;
	int err = join_run(o, &res);
	if (!err) {
		log_debug("%" PRIu64 " rows out; %s side in memory; %" PRIu64 " left and %" PRIu64
			  " right rows "
			  "unmatched",
			  (uint64_t)res.out_rows, res.built ? "right" : "left",
			  (uint64_t)res.side[0].unmatched_rows,
			  (uint64_t)res.side[1].unmatched_rows);
		join_result_free(&res);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct join_opts o;
	memset(&o, 0, sizeof o);
	int verbosity = LOG_NORMAL;
	log_init(PROG, verbosity);
	int err = parse(argc, argv, &o, &verbosity);
	if (err)
		return cli_parse_status(PROG, err);
	log_init(PROG, verbosity);
	outfile_signals();
	return cli_status(run(&o));
}
