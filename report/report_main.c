/* goodlens-report: a pipeline's output folder -> CSV tables + report.html. */
#include "cli.h"
#include "err.h"
#include "log.h"
#include "outfile.h"
#include "report.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define PROG "goodlens-report"

static const char usage[] =
	"usage: goodlens-report [options] [--in] DIR [--out DIR]\n"
	"\n"
	"Read a pipeline's output folder (ratings.glr and items.csv; model.glm,\n"
	"users.csv, metrics.csv, train.summary.csv, extract.stats.csv, join.stats.csv,\n"
	"filter.stats.csv when present) and write one self-contained report.html\n"
	"(inline CSS and SVG, no script, no network) with the CSV tables beside it:\n"
	"funnel.csv ratings_hist.csv metrics.csv biases.csv pca.csv similar.csv\n"
	"crosstab.csv recommendations.csv.  A missing optional input leaves its\n"
	"section saying so.\n"
	"\n"
	"  -i, --in DIR            the pipeline's output folder (required; or give\n"
	"                          DIR alone, without --in)\n"
	"  -o, --out DIR           where to write (default: the --in folder; created\n"
	"                          if needed; metrics.csv is copied there)\n"
	"      --title TEXT        the data's name, in the heading before its measured\n"
	"                          counts (default: the --in folder's name)\n"
	"      --about TEXT        where the data comes from, a line under the heading\n"
	"                          (the pipeline gives the recipe's description)\n"
	"      --note TEXT         a line in the dataset section; repeatable (the\n"
	"                          pipeline notes each optional raw file not found)\n"
	"      --list N            items in each lowest/highest bias list (15)\n"
	"      --pca-items N       most-rated items in the PCA and on the map (1000)\n"
	"      --labels N          most-rated items offered a label on the map (60);\n"
	"                          labels that would overlap are left out\n"
	"      --similar-items N   most-rated items given nearest neighbours (20)\n"
	"      --neighbours K      nearest items listed for each (10)\n"
	"      --crosstab-users N  most active users in the crosstab (20)\n"
	"      --crosstab-items N  most-rated items in the crosstab (15)\n"
	"      --rec-users N       sample users given recommendations (5)\n"
	"      --rec-n N           recommendations (and top-rated items) per user (10)\n"
	"      --min-ratings N     items with fewer ratings are left out of the bias\n"
	"                          lists, neighbours and recommendations (5)\n"
	"      --seed N            picks the sample users (1)\n"
	"  -q, --quiet             no messages but errors\n"
	"  -v, --verbose           more messages\n"
	"  -h, --help              this help\n"
	"      --version           print the version\n"
	"\n"
	"Exit status: 0 done, 1 bad or missing input or failed write, 2 bad usage.\n";

enum {
	OPT_TITLE = 256,
	OPT_ABOUT,
	OPT_NOTE,
	OPT_LIST,
	OPT_PCA,
	OPT_LABELS,
	OPT_SIMILAR,
	OPT_NEIGHBOURS,
	OPT_XUSERS,
	OPT_XITEMS,
	OPT_RECUSERS,
	OPT_RECN,
	OPT_MIN,
	OPT_SEED,
	OPT_VERSION,
};

static const struct option longopts[] = {
	{"in", required_argument, NULL, 'i'},
	{"out", required_argument, NULL, 'o'},
	CLI_OUT_ALIASES('o'),
	{"title", required_argument, NULL, OPT_TITLE},
	{"about", required_argument, NULL, OPT_ABOUT},
	{"note", required_argument, NULL, OPT_NOTE},
	{"list", required_argument, NULL, OPT_LIST},
	{"pca-items", required_argument, NULL, OPT_PCA},
	{"labels", required_argument, NULL, OPT_LABELS},
	{"similar-items", required_argument, NULL, OPT_SIMILAR},
	{"neighbours", required_argument, NULL, OPT_NEIGHBOURS},
	{"crosstab-users", required_argument, NULL, OPT_XUSERS},
	{"crosstab-items", required_argument, NULL, OPT_XITEMS},
	{"rec-users", required_argument, NULL, OPT_RECUSERS},
	{"rec-n", required_argument, NULL, OPT_RECN},
	{"min-ratings", required_argument, NULL, OPT_MIN},
	{"seed", required_argument, NULL, OPT_SEED},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* Limits that keep a typo from asking for a chart nobody can read or a
 * table of millions of rows. */
static int bounded(const char *opt, const char *arg, uint32_t lo, uint32_t hi, uint32_t *out)
{
	if (cli_u32(opt, arg, out))
		return GL_EUSAGE;
	if (*out < lo || *out > hi) {
		log_error("invalid value for %s: '%s' (expected %u to %u)", opt, arg, lo, hi);
		return GL_EUSAGE;
	}
	return 0;
}

/* Options into o: 0, GL_EUSAGE (logged), or CLI_DONE after --help/--version. */
static int parse(int argc, char **argv, struct rep_opts *o, int *verbosity)
{
	int c, err = 0;
	opterr = 0;
	while (!err && (c = getopt_long(argc, argv, ":i:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': o->in = optarg; break;
		case 'o': o->out = optarg; break;
		case OPT_TITLE: o->title = optarg; break;
		case OPT_ABOUT: o->about = *optarg ? optarg : NULL; break;
		case OPT_NOTE:
			if (o->n_notes == REP_NOTES_MAX) {
				log_error("too many --note options (at most %d)", REP_NOTES_MAX);
				return GL_EUSAGE;
			}
			o->notes[o->n_notes++] = optarg;
			break;
		case OPT_LIST: err = bounded("--list", optarg, 1, 1000, &o->list_n); break;
		case OPT_PCA: err = bounded("--pca-items", optarg, 2, 100000, &o->pca_items); break;
		case OPT_LABELS: err = bounded("--labels", optarg, 0, 1000, &o->labels); break;
		case OPT_SIMILAR:
			err = bounded("--similar-items", optarg, 0, 10000, &o->similar_items);
			break;
		case OPT_NEIGHBOURS:
			err = bounded("--neighbours", optarg, 1, 1000, &o->neighbours);
			break;
		case OPT_XUSERS:
			err = bounded("--crosstab-users", optarg, 1, 200, &o->cross_users);
			break;
		case OPT_XITEMS:
			err = bounded("--crosstab-items", optarg, 1, 200, &o->cross_items);
			break;
		case OPT_RECUSERS: err = bounded("--rec-users", optarg, 0, 1000, &o->rec_users); break;
		case OPT_RECN: err = bounded("--rec-n", optarg, 1, 1000, &o->rec_n); break;
		case OPT_MIN: err = cli_u32("--min-ratings", optarg, &o->min_ratings); break;
		case OPT_SEED: err = cli_u64("--seed", optarg, &o->seed); break;
		case 'q': *verbosity = LOG_QUIET; break;
		case 'v': *verbosity = LOG_VERBOSE; break;
		case 'h': fputs(usage, stdout); return CLI_DONE;
		case OPT_VERSION: cli_version(PROG); return CLI_DONE;
		default: return cli_bad_option(c, argv, longopts);
		}
	}
	if (err)
		return err;
	/* the folder may come as --in DIR or as the one argument */
	if (optind < argc && (o->in || optind + 1 < argc)) {
		log_error("unexpected argument '%s': give one folder, as DIR or --in DIR",
			  argv[o->in ? optind : optind + 1]);
		return GL_EUSAGE;
	}
	if (optind < argc)
		o->in = argv[optind];
	if (!o->in) {
		log_error("--in DIR is required: the folder the pipeline wrote (or DIR alone)");
		return GL_EUSAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rep_opts o;
	int verbosity = LOG_NORMAL;
	rep_opts_default(&o);
	log_init(PROG, LOG_NORMAL);
	int err = parse(argc, argv, &o, &verbosity);
	if (err)
		return cli_parse_status(PROG, err);
	log_init(PROG, verbosity);
	outfile_signals();
	return cli_status(report_run(&o));
}
