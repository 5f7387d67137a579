/* goodlens-recommend: top-N items for known users, similar items, and
 * recommendations for a new user folded into a trained model. */
#include "cli.h"
#include "err.h"
#include "log.h"
#include "outfile.h"
#include "recquery.h"

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
	       "                      ratings.glr); repeat for several users\n"
	       "  --all-users         top-N for every user, scored in blocks with sgemm\n"
	       "  --similar ITEM      the items whose factors are nearest ITEM's (cosine)\n"
	       "  --similar-title TEXT  the same for the most-rated item whose title contains\n"
	       "                      TEXT (case-insensitive; needs --items)\n"
	       "  --new PAIRS         a new user's top-N from ratings 'item:rating,item:rating'\n"
	       "                      folded into the model (ridge against the fixed item\n"
	       "                      factors and biases); no retraining\n"
	       "\n"
	       "Options:\n"
	       "  --model FILE        the model goodlens-train wrote (required)\n"
	       "  --ratings FILE      the ratings it was trained on: items a user rated are not\n"
	       "                      recommended, nor items without training ratings\n"
	       "  --exclude all|train  --user/--all-users: leave out every item the user rated\n"
	       "                      (all, the default) or only those rated in training\n"
	       "                      (train: the lists goodlens-train's ranking metrics\n"
	       "                      score, validation items included)\n"
	       "  --items FILE        items.csv (item,<key>,title,...) for titles and keys\n"
	       "  --by-key            ITEMs in --similar and --new are items.csv keys (e.g. a\n"
	       "                      book_id), not dense ids\n"
	       "  -n N                how many items (default 10)\n"
	       "  --lambda X          fold-in ridge strength per rated item (default 0.1)\n"
	       "  -o, --output FILE   CSV output (default - : stdout)\n"
	       "  -q, --quiet         errors only\n"
	       "  -v, --verbose       more detail\n"
	       "  -h, --help          this text\n"
	       "  -V, --version       the version\n"
	       "\n"
	       "Output (CSV with a header):\n"
	       "  --user/--all-users  user,rank,item,score,basis[,<key>,title]\n"
	       "  --new               rank,item,score,basis[,<key>,title]\n"
	       "  --similar*          item,rank,similar_item,cosine[,<key>,title]\n"
	       "score is the predicted rating.  basis says where it comes from: 'model'\n"
	       "(the user's trained factors), 'folded' (factors solved from --new), 'bias'\n"
	       "(item bias only: the user has no training ratings, or none of the --new\n"
	       "items is known to the model) or 'popularity' (a model without biases).\n"
	       "\n"
	       "Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n",
	       prog);
}

static const struct option longopts[] = {
	{"model", required_argument, 0, 'm'},   {"ratings", required_argument, 0, 'r'},
	{"items", required_argument, 0, 'i'},   {"user", required_argument, 0, 'u'},
	{"all-users", no_argument, 0, 'A'},     {"similar", required_argument, 0, 's'},
	{"similar-title", required_argument, 0, 't'}, {"new", required_argument, 0, 'N'},
	{"by-key", no_argument, 0, 'k'},        {"lambda", required_argument, 0, 'l'},
	{"exclude", required_argument, 0, 'x'},
	{"output", required_argument, 0, 'o'},  {"quiet", no_argument, 0, 'q'},
	{"verbose", no_argument, 0, 'v'},       {"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, 'V'},       {0, 0, 0, 0},
};

static int set_mode(struct rec_query *o, int mode, const char *arg)
{
	if (o->mode != REC_NONE && !(o->mode == REC_USERS && mode == REC_USERS)) {
		log_error("give exactly one of --user, --all-users, --similar, --similar-title, --new");
		return GL_EUSAGE;
	}
	o->mode = mode;
	o->arg = arg;
	return 0;
}

/* The options into o; the --user ids into *users (malloc'd, the caller
 * frees it whatever is returned). */
static int parse(int argc, char **argv, struct rec_query *o, uint32_t **users, int *verb)
{
	int opt, err = 0;
	opterr = 0;
	while (!err && (opt = getopt_long(argc, argv, "n:o:qvhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': o->model = optarg; break;
		case 'r': o->ratings = optarg; break;
		case 'i': o->items = optarg; break;
		case 'u': {
			uint32_t u, *grown = realloc(*users, (o->n_users + 1) * sizeof *grown);
			if (!grown)
				return GL_ENOMEM;
			*users = grown;
			o->users = grown;
			err = cli_u32("--user", optarg, &u);
			grown[o->n_users++] = u;
			if (!err)
				err = set_mode(o, REC_USERS, NULL);
			break;
		}
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
		case 'h': usage(); exit(EXIT_OK);
		case 'V': cli_version(prog); exit(EXIT_OK);
		default:
			log_error("unknown option or missing value: '%s'", argv[optind - 1]);
			return GL_EUSAGE;
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
	if ((o->mode == REC_TITLE || o->by_key) && !o->items) {
		log_error("--similar-title and --by-key need --items");
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
	struct rec_query q = {.out = "-", .n = 10, .lambda = 0.1};
	uint32_t *users = NULL;
	int verb = LOG_NORMAL;
	log_init(prog, LOG_NORMAL);
	int err = parse(argc, argv, &q, &users, &verb);
	if (err) {
		cli_usage_hint(prog);
		free(users);
		return cli_exit(err);
	}
	log_init(prog, verb);
	outfile_signals();
	err = rec_query_run(&q);
	free(users);
	return cli_exit(err);
}
