/* goodlens-recommend: top-N items for known users, similar items, and
 * recommendations for a new user folded into a trained model. */
#include "cli.h"
#include "csvwrite.h"
#include "err.h"
#include "foldin.h"
#include "itemtab.h"
#include "log.h"
#include "outfile.h"
#include "recommend.h"

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

enum { M_NONE, M_USERS, M_ALL, M_SIMILAR, M_TITLE, M_NEW };

struct opts {
	const char *model, *ratings, *items, *out, *arg;
	int mode, by_key;
	uint32_t *users;
	size_t n_users;
	uint64_t n;
	double lambda;
};

static const struct option longopts[] = {
	{"model", required_argument, 0, 'm'},   {"ratings", required_argument, 0, 'r'},
	{"items", required_argument, 0, 'i'},   {"user", required_argument, 0, 'u'},
	{"all-users", no_argument, 0, 'A'},     {"similar", required_argument, 0, 's'},
	{"similar-title", required_argument, 0, 't'}, {"new", required_argument, 0, 'N'},
	{"by-key", no_argument, 0, 'k'},        {"lambda", required_argument, 0, 'l'},
	{"output", required_argument, 0, 'o'},  {"quiet", no_argument, 0, 'q'},
	{"verbose", no_argument, 0, 'v'},       {"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, 'V'},       {0, 0, 0, 0},
};

static int set_mode(struct opts *o, int mode, const char *arg)
{
	if (o->mode != M_NONE && !(o->mode == M_USERS && mode == M_USERS)) {
		log_error("give exactly one of --user, --all-users, --similar, --similar-title, --new");
		return GL_EUSAGE;
	}
	o->mode = mode;
	o->arg = arg;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o, int *verb)
{
	int opt, err = 0;
	opterr = 0;
	while (!err && (opt = getopt_long(argc, argv, "n:o:qvhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': o->model = optarg; break;
		case 'r': o->ratings = optarg; break;
		case 'i': o->items = optarg; break;
		case 'u': {
			uint32_t u, *grown = realloc(o->users, (o->n_users + 1) * sizeof *grown);
			if (!grown)
				return GL_ENOMEM;
			o->users = grown;
			err = cli_u32("--user", optarg, &u);
			o->users[o->n_users++] = u;
			if (!err)
				err = set_mode(o, M_USERS, NULL);
			break;
		}
		case 'A': err = set_mode(o, M_ALL, NULL); break;
		case 's': err = set_mode(o, M_SIMILAR, optarg); break;
		case 't': err = set_mode(o, M_TITLE, optarg); break;
		case 'N': err = set_mode(o, M_NEW, optarg); break;
		case 'k': o->by_key = 1; break;
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
	if (o->mode == M_NONE) {
		log_error("nothing to do: give --user, --all-users, --similar, --similar-title or --new");
		return GL_EUSAGE;
	}
	if ((o->mode == M_TITLE || o->by_key) && !o->items) {
		log_error("--similar-title and --by-key need --items");
		return GL_EUSAGE;
	}
	if (o->lambda < 0 || o->n == 0 || o->n > 1000000) {
		log_error("-n must be 1..1000000 and --lambda not negative");
		return GL_EUSAGE;
	}
	return 0;
}

struct ctx {
	struct opts *o;
	struct recsys s;
	struct itemtab items;
	int have_items;
	FILE *f;
};

static void item_cols(const struct ctx *c, uint32_t i)
{
	if (!c->have_items)
		return;
	putc(',', c->f);
	csvw_str(c->f, c->items.key[i] ? c->items.key[i] : "");
	putc(',', c->f);
	csvw_str(c->f, c->items.title[i] ? c->items.title[i] : "");
}

static void item_header(const struct ctx *c)
{
	if (c->have_items) {
		putc(',', c->f);
		csvw_str(c->f, c->items.key_name);
		fputs(",title", c->f);
	}
	putc('\n', c->f);
}

/* An item named on the command line: a dense id, or a key with --by-key. */
static int find_item(const struct ctx *c, const char *arg, uint32_t *id)
{
	uint64_t v;
	if (c->o->by_key) {
		if (itemtab_by_key(&c->items, arg, id) == 0)
			return 0;
		log_error("no item with %s '%s' in %s", c->items.key_name, arg, c->o->items);
		return GL_EFORMAT;
	}
	if (cli_u64("item", arg, &v) || v >= c->s.n_items) {
		log_error("'%s' is not an item id of the model (0..%llu)", arg,
			  (unsigned long long)c->s.n_items - 1);
		return GL_EFORMAT;
	}
	*id = (uint32_t)v;
	return 0;
}

static uint64_t train_count(const struct recsys *s, uint32_t u)
{
	if (!s->have_r)
		return 1;
	uint64_t n = 0;
	for (uint64_t k = s->r.rowptr[u]; k < s->r.rowptr[u + 1]; k++)
		n += !glr_bit(s->r.split, k);
	return n;
}

static int run_users(struct ctx *c, const uint32_t *users, size_t n_users)
{
	struct recsys *s = &c->s;
	uint64_t ni = s->n_items;
	size_t block = ni ? (size_t)((16u << 20) / ni) : 1;
	block = block < 1 ? 1 : block > 256 ? 256 : block;
	float *score = malloc(block * (ni ? ni : 1) * sizeof *score), *bias = malloc((ni + 1) * sizeof *bias);
	uint8_t *skip = calloc(ni + 1, 1);
	struct rec_hit *hits = malloc(c->o->n * sizeof *hits);
	uint32_t *ids = malloc(block * sizeof *ids);
	int err = 0;
	if (!score || !bias || !skip || !hits || !ids) {
		log_error("out of memory");
		err = GL_ENOMEM;
		goto done;
	}
	rec_score_bias(s, bias);
	fputs("user,rank,item,score,basis", c->f);
	item_header(c);
	for (size_t at = 0; at < n_users && !err; at += block) {
		size_t nb = n_users - at < block ? n_users - at : block;
		for (size_t r = 0; r < nb; r++)
			ids[r] = users[at + r];
		err = rec_score_users(s, ids, nb, score);
		for (size_t r = 0; !err && r < nb; r++) {
			uint32_t u = ids[r];
			int cold = train_count(s, u) == 0;
			const char *basis = cold ? (rec_is_factor(s) ? "bias" : "popularity") : "model";
			if (cold)
				log_info("user %u has no training ratings: ranked by %s", u, basis);
			rec_mark_seen(s, u, skip, 1);
			size_t n = rec_top(s, cold ? bias : score + r * ni, skip, c->o->n, hits);
			rec_mark_seen(s, u, skip, 0);
			for (size_t x = 0; x < n; x++) {
				fprintf(c->f, "%u,%zu,%u,%.4f,%s", u, x + 1, hits[x].item,
					cold && !rec_is_factor(s) ? score[r * ni + hits[x].item] : hits[x].score,
					basis);
				item_cols(c, hits[x].item);
				putc('\n', c->f);
			}
		}
	}
done:
	free(score);
	free(bias);
	free(skip);
	free(hits);
	free(ids);
	return err;
}

static int run_similar(struct ctx *c, uint32_t item)
{
	struct recsys *s = &c->s;
	float *cos = malloc((s->n_items + 1) * sizeof *cos);
	uint8_t *skip = calloc(s->n_items + 1, 1);
	struct rec_hit *hits = malloc(c->o->n * sizeof *hits);
	int err = 0;
	if (!cos || !skip || !hits) {
		log_error("out of memory");
		err = GL_ENOMEM;
		goto done;
	}
	if (!s->trained[item])
		log_warn("item %u had no training ratings: its factors are not learnt", item);
	err = rec_cosine(s, item, cos);
	if (err)
		goto done;
	skip[item] = 1;
	size_t n = rec_top(s, cos, skip, c->o->n, hits);
	fputs("item,rank,similar_item,cosine", c->f);
	item_header(c);
	for (size_t x = 0; x < n; x++) {
		fprintf(c->f, "%u,%zu,%u,%.4f", item, x + 1, hits[x].item, hits[x].score);
		item_cols(c, hits[x].item);
		putc('\n', c->f);
	}
done:
	free(cos);
	free(skip);
	free(hits);
	return err;
}

/* Parse "item:rating,..." into ids and ratings. */
static int parse_pairs(struct ctx *c, uint32_t **items, float **ratings, size_t *n)
{
	char *copy = strdup(c->o->arg), *save = NULL;
	size_t cap = strlen(c->o->arg) / 2 + 1;
	*items = malloc(cap * sizeof **items);
	*ratings = malloc(cap * sizeof **ratings);
	*n = 0;
	if (!copy || !*items || !*ratings) {
		free(copy);
		log_error("out of memory");
		return GL_ENOMEM;
	}
	int err = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(tok, ':');
		double r;
		if (!colon) {
			log_error("invalid value for --new: '%s' (expected item:rating)", tok);
			err = GL_EUSAGE;
			break;
		}
		*colon = 0;
		if (cli_double("--new", colon + 1, &r)) {
			err = GL_EUSAGE;
			break;
		}
		uint32_t id;
		if (find_item(c, tok, &id)) {
			log_warn("ignoring '%s': not an item of the model", tok);
			continue;
		}
		(*items)[*n] = id;
		(*ratings)[(*n)++] = (float)r;
	}
	free(copy);
	return err;
}

static int run_new(struct ctx *c)
{
	struct recsys *s = &c->s;
	uint32_t *items = NULL;
	float *ratings = NULL, *score = malloc((s->n_items + 1) * sizeof *score);
	uint8_t *skip = calloc(s->n_items + 1, 1);
	struct rec_hit *hits = malloc(c->o->n * sizeof *hits);
	float *p = NULL, b[9];
	size_t n = 0, used = 0;
	int err = parse_pairs(c, &items, &ratings, &n);
	if (!err && (!score || !skip || !hits)) {
		log_error("out of memory");
		err = GL_ENOMEM;
	}
	if (err)
		goto done;
	/* Items without training ratings have no learnt factors to fold
	 * against: they are excluded from the solve (and said so). */
	for (size_t j = 0; j < n; j++) {
		skip[items[j]] = 1;
		if (!s->trained[items[j]]) {
			log_warn("item %u had no training ratings: not used to fold in", items[j]);
			continue;
		}
		items[used] = items[j];
		ratings[used++] = ratings[j];
	}
	const char *basis = "folded";
	if (!rec_is_factor(s)) {
		log_warn("the %s model has no user factors to fold into: ranking by popularity",
			 s->m[0].ops->name);
		basis = "popularity";
		rec_score_bias(s, score);
	} else if (used == 0) {
		log_warn("none of the rated items is known to the model: ranking by item bias");
		basis = "bias";
		rec_score_bias(s, score);
	} else {
		uint32_t k = s->m[0].k;
		if (!(p = malloc((size_t)s->n_members * k * sizeof *p))) {
			err = GL_ENOMEM;
			goto done;
		}
		for (uint32_t j = 0; j < s->n_members && !err; j++)
			err = foldin_user(&s->m[j], items, ratings, used, c->o->lambda, p + (size_t)j * k,
					  &b[j]);
		if (err)
			goto done;
		log_info("folded in a new user from %zu rated items (bias %.3f)", used, b[0]);
		rec_score_folded(s, p, b, score);
	}
	size_t nh = rec_top(s, score, skip, c->o->n, hits);
	fputs("rank,item,score,basis", c->f);
	item_header(c);
	for (size_t x = 0; x < nh; x++) {
		fprintf(c->f, "%zu,%u,%.4f,%s", x + 1, hits[x].item, hits[x].score, basis);
		item_cols(c, hits[x].item);
		putc('\n', c->f);
	}
done:
	free(items);
	free(ratings);
	free(score);
	free(skip);
	free(hits);
	free(p);
	return err;
}

static int run(struct opts *o)
{
	struct ctx c = {.o = o};
	struct outfile of = {0};
	uint32_t *all = NULL;
	int err = rec_open(&c.s, o->model, o->ratings);
	if (err)
		return err;
	if (o->items) {
		err = itemtab_load(&c.items, o->items, c.s.n_items);
		c.have_items = !err;
	}
	if (!err && !o->ratings && (o->mode == M_USERS || o->mode == M_ALL))
		log_warn("no --ratings: items the users already rated may be recommended");
	for (size_t j = 0; !err && j < o->n_users; j++)
		if (o->users[j] >= c.s.n_users) {
			log_error("user %u is not in the model (0..%llu)", o->users[j],
				  (unsigned long long)c.s.n_users - 1);
			err = GL_EFORMAT;
		}
	if (!err)
		err = outfile_open(&of, o->out);
	c.f = of.fp;
	if (!err) {
		uint32_t item;
		uint64_t matches;
		switch (o->mode) {
		case M_USERS:
			err = run_users(&c, o->users, o->n_users);
			break;
		case M_ALL:
			if (!(all = malloc((c.s.n_users + 1) * sizeof *all))) {
				err = GL_ENOMEM;
				break;
			}
			for (uint64_t u = 0; u < c.s.n_users; u++)
				all[u] = (uint32_t)u;
			err = run_users(&c, all, c.s.n_users);
			break;
		case M_SIMILAR:
			err = find_item(&c, o->arg, &item);
			if (!err)
				err = run_similar(&c, item);
			break;
		case M_TITLE:
			if (itemtab_by_title(&c.items, o->arg, &item, &matches) != 0) {
				log_error("no title in %s contains '%s'", o->items, o->arg);
				err = GL_EFORMAT;
				break;
			}
			log_info("'%s' matched %llu titles; using item %u (%s)", o->arg,
				 (unsigned long long)matches, item, c.items.title[item]);
			err = run_similar(&c, item);
			break;
		case M_NEW:
			err = run_new(&c);
			break;
		}
	}
	if (!err)
		err = outfile_commit(&of);
	else
		outfile_abort(&of);
	free(all);
	if (c.have_items)
		itemtab_free(&c.items);
	rec_close(&c.s);
	return err;
}

int main(int argc, char **argv)
{
	struct opts o = {.out = "-", .n = 10, .lambda = 0.1};
	int verb = LOG_NORMAL;
	log_init(prog, LOG_NORMAL);
	int err = parse(argc, argv, &o, &verb);
	if (err) {
		cli_usage_hint(prog);
		free(o.users);
		return cli_exit(err);
	}
	log_init(prog, verb);
	outfile_signals();
	err = run(&o);
	free(o.users);
	return cli_exit(err);
}
