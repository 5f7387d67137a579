/* goodlens-recommend: top-N items for known users, similar items, and
 * recommendations for a new user folded into a trained model. */
#include "cli.h"
#include "err.h"
#include "log.h"
#include "outfile.h"
#include "recommend_query.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prog = "goodlens-recommend";

static void usage(void)
{
	printf("usage: %s --model model.glm [--ratings ratings.glr] [--items items.csv] MODE\n"
	       "\n"
	       "Modes (exactly one):\n"
	       "  --user ID           top-N unseen items for user ID (dense id as in\n"
	       "                      ratings.glr, or with --by-key users.csv's key);\n"
	       "                      repeat for several users\n"
	       "  --all-users         top-N for every user, scored in blocks with sgemm\n"
	       "  --similar ITEM      the items whose factors are nearest ITEM's (cosine)\n"
	       "  --similar-title TEXT  the same for the most-rated item whose title contains\n"
	       "                      TEXT (case-insensitive; needs items.csv)\n"
	       "  --new PAIRS         a new user's top-N from ratings 'item:rating,item:rating'\n"
	       "                      (spaces around either side are trimmed) folded into the\n"
	       "                      model (ridge against the fixed item factors and biases);\n"
	       "                      no retraining\n"
	       "  --rate-title 'TITLE=RATING'  a new user's rating of the most-rated item whose\n"
	       "                      title contains TITLE (split at the last '=', so a title\n"
	       "                      may hold ',', ':' and '='); repeat for several, and mix\n"
	       "                      with --new\n"
	       "\n"
	       "Options:\n"
	       "  --model FILE        the model goodlens-train wrote (required)\n"
	       "  --ratings FILE      the ratings it was trained on: items a user rated are not\n"
	       "                      recommended, nor items without training ratings\n"
	       "  --exclude all|train  --user/--all-users: leave out every item the user rated\n"
	       "                      (all, the default) or only those rated in training\n"
	       "                      (train: the lists goodlens-train's ranking metrics\n"
	       "                      score, validation items included)\n"
	       "  --items FILE        items.csv (item,<key>,title,...) for keys and titles\n"
	       "                      (default: items.csv beside --ratings, else beside --model)\n"
	       "  --users FILE        users.csv (user,<key>,...) for user keys (default: as\n"
	       "                      --items)\n"
	       "  --by-key            users and ITEMs in --user, --similar and --new are the\n"
	       "                      source's keys (users.csv's user_id, items.csv's movie_id,\n"
	       "                      book_id ...), not dense ids; on a work-keyed model (filter\n"
	       "                      --item-key work) an edition's book_id names its work\n"
	       "  --books FILE        the editions table for that (book_id,work_id,...; default:\n"
	       "                      books.csv beside items.csv), for editions nobody rated\n"
	       "  --min-ratings N     --similar*: leave out neighbours with fewer than N\n"
	       "                      ratings (default 5, as goodlens-report)\n"
	       "  -n N                how many items (default 10)\n"
	       "  --lambda X          fold-in ridge strength per rated item (default 0.1)\n"
	       "  -o, --out FILE      CSV output (default - : stdout)\n"
	       "  -q, --quiet         errors only\n"
	       "  -v, --verbose       more detail\n"
	       "  -h, --help          this text\n"
	       "  -V, --version       the version\n"
	       "\n"
	       "Output (CSV with a header; <key> columns named as in users.csv and items.csv,\n"
	       "present when those tables are, titles last):\n"
	       "  --user/--all-users  user,user_id,rank,item,<key>,score,basis,title\n"
	       "  --new/--rate-title  kind,rank,given,item,<key>,score,basis,title\n"
	       "  --similar*          item,<key>,rank,similar_item,similar_<key>,cosine,\n"
	       "                      similar_n_ratings,title,similar_title\n"
	       "score is the predicted rating.  basis says where it comes from: 'model'\n"
	       "(the user's trained factors), 'folded' (factors solved from the new user's\n"
	       "ratings), 'bias' (item bias only: the user has no training ratings) or\n"
	       "'popularity' (a model without biases).  A new user's ratings come first as\n"
	       "kind 'rated' rows (given = the item or title as written, then the item it\n"
	       "resolved to; score = the rating; basis 'used', or 'untrained' for an item\n"
	       "without training ratings), then the 'recommended' ones.\n"
	       "\n"
	       "Refused (exit 1): a users.csv or items.csv that is not the model's (model.glm\n"
	       "records its tables' keys), a rating outside the model's rating scale, and new\n"
	       "ratings none of whose items the model knows (unknown ones among known ones\n"
	       "are named in a warning and skipped).\n"
	       "\n"
	       "Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n",
	       prog);
}

static const struct option longopts[] = {
	{"model", required_argument, 0, 'm'},   {"ratings", required_argument, 0, 'r'},
	{"users", required_argument, 0, 'U'},   {"books", required_argument, 0, 'B'},
	{"rate-title", required_argument, 0, 'T'}, {"min-ratings", required_argument, 0, 'M'},
	{"items", required_argument, 0, 'i'},   {"user", required_argument, 0, 'u'},
	{"all-users", no_argument, 0, 'A'},     {"similar", required_argument, 0, 's'},
	{"similar-title", required_argument, 0, 't'}, {"new", required_argument, 0, 'N'},
	{"by-key", no_argument, 0, 'k'},        {"lambda", required_argument, 0, 'l'},
	{"exclude", required_argument, 0, 'x'},
	{"out", required_argument, 0, 'o'},     {"quiet", no_argument, 0, 'q'},
	CLI_OUT_ALIASES('o'),
	{"verbose", no_argument, 0, 'v'},       {"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, 'V'},       {0, 0, 0, 0},
};

/* Set the mode; --user and --rate-title repeat, and --new mixes with
 * --rate-title. */
static int set_mode(struct rec_query *o, int mode, const char *arg)
{
	int again = o->mode == mode && (mode == REC_USERS || (mode == REC_NEW && !(arg && o->arg)));
	if (o->mode != REC_NONE && !again) {
		log_error("give exactly one of --user, --all-users, --similar, --similar-title, --new "
			  "(with --rate-title)");
		return GL_EUSAGE;
	}
	o->mode = mode;
	if (arg)
		o->arg = arg;
	return 0;
}

/* Append arg to a list of strings (*list malloc'd: the caller frees it
 * whatever is returned). */
static int push_arg(const char ***list, size_t *n, const char *arg)
{
	const char **grown = realloc(*list, (*n + 1) * sizeof *grown);
	if (!grown) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	*list = grown;
	grown[(*n)++] = arg;
	return 0;
}

/* The options into o; the --user and --rate-title values into lists
 * (malloc'd, the caller frees them whatever is returned).  0, GL_EUSAGE or
 * GL_ENOMEM (logged), or CLI_DONE after --help/--version. */
static int parse(int argc, char **argv, struct rec_query *o, const char ***users,
		 const char ***titles, int *verb)
{
	int opt, err = 0;
	opterr = 0;
	while (!err && (opt = getopt_long(argc, argv, ":n:o:qvhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': o->model = optarg; break;
		case 'r': o->ratings = optarg; break;
		case 'i': o->items = optarg; break;
		case 'u':
			err = push_arg(users, &o->n_users, optarg);
			o->user_args = *users;
			if (!err)
				err = set_mode(o, REC_USERS, NULL);
			break;
		case 'T':
			err = push_arg(titles, &o->n_titles, optarg);
			o->titles = *titles;
			if (!err)
				err = set_mode(o, REC_NEW, NULL);
			break;
		case 'U': o->users = optarg; break;
		case 'B': o->books = optarg; break;
		case 'M': err = cli_u64("--min-ratings", optarg, &o->min_ratings); break;
		case 'A': err = set_mode(o, REC_ALL_USERS, NULL); break;
		case 's': err = set_mode(o, REC_SIMILAR, optarg); break;
		case 't': err = set_mode(o, REC_TITLE, optarg); break;
		case 'N': err = set_mode(o, REC_NEW, optarg); break;
		case 'k': o->by_key = 1; break;
		case 'x': {
			static const char *const ex[] = {"all", "train", NULL};
			err = cli_choice("--exclude", optarg, ex, &o->exclude_train);
			break;
		}
		case 'l': err = cli_double("--lambda", optarg, &o->lambda); break;
		case 'n': err = cli_u64("-n", optarg, &o->n); break;
		case 'o': o->out = optarg; break;
		case 'q': *verb = LOG_QUIET; break;
		case 'v': *verb = LOG_VERBOSE; break;
		case 'h': usage(); return CLI_DONE;
		case 'V': cli_version(prog); return CLI_DONE;
		default: return cli_bad_option(opt, argv, longopts);
		}
	}
	if (err)
		return err;
	if (optind != argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		return GL_EUSAGE;
	}
	if (!o->model) {
		log_error("--model is required");
		return GL_EUSAGE;
	}
	if (o->mode == REC_NONE) {
		log_error("nothing to do: give --user, --all-users, --similar, --similar-title or --new");
		return GL_EUSAGE;
	}
	if (o->lambda < 0 || o->n == 0 || o->n > 1000000) {
		log_error("-n must be 1..1000000 and --lambda not negative");
		return GL_EUSAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rec_query q = {.out = "-", .n = 10, .lambda = 0.1, .min_ratings = 5};
	const char **users = NULL, **titles = NULL;
	int verb = LOG_NORMAL, status;
	log_init(prog, LOG_NORMAL);
	int err = parse(argc, argv, &q, &users, &titles, &verb);
	if (err) {
		status = cli_parse_status(prog, err);
	} else {
		log_init(prog, verb);
		outfile_signals();
		status = cli_status(rec_query_run(&q));
	}
	free(users); /* the lists parse() grew, whatever it returned */
	free(titles);
	return status;
}
