/* goodlens-train: fit a collaborative-filtering model to a ratings file. */
#include "train_blend.h"
#include "train_cfg.h"
#include "cli.h"
#include "err.h"
#include "glm.h"
#include "log.h"
#include "outfile.h"
#include "trainer.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prog = "goodlens-train";

static void usage(void)
{
	printf("usage: %s [options] ratings.glr\n"
	       "\n"
	       "Train a model on the training ratings of ratings.glr (split bit clear) and\n"
	       "evaluate it on the validation ratings (split bit set).  Writes into the\n"
	       "output folder: model.glm, metrics.csv (per epoch), predictions.csv (the\n"
	       "validation set) and train.summary.csv (the model beside the global-mean,\n"
	       "biases-only and popularity baselines, with precision, recall, NDCG, hit\n"
	       "rate and coverage at k over the whole catalogue).\n"
	       "\n"
	       "Model:\n"
	       "  --model KIND        dot (fastai EmbeddingDotBias, default), mf (biased MF by\n"
	       "                      parallel SGD), als (alternating least squares with\n"
	       "                      biases), nn (fastai EmbeddingNN), bpmf (Bayesian MF with\n"
	       "                      biases by Gibbs sampling; no tuning: below)\n"
	       "  --factors N         latent factors (dot 50, mf/als 32, bpmf 16); nn: fastai's\n"
	       "                      n_factors, the hidden layer size unless --layers (50)\n"
	       "  --layers A,B,...    nn hidden layer sizes (default --factors: fastai's\n"
	       "                      layers=[n_factors])\n"
	       "  --emb-size U[,I]    nn user (and item) embedding sizes (default fastai's\n"
	       "                      emb_sz_rule: min(600, round(1.6 (n+1)^0.56)))\n"
	       "  --no-bn             nn: no BatchNorm after the hidden layers\n"
	       "  --y-range LO,HI     output through sigmoid_range (default 0,5.5 for dot\n"
	       "                      and nn); 'none' for a plain linear output\n"
	       "  --loss mse|ce       squared error (default) or cross-entropy over the rating\n"
	       "                      values (prediction = expected rating; reports accuracy)\n"
	       "\n"
	       "Training:\n"
	       "  --epochs N          passes over the training ratings (dot/nn 5, mf 30, als 10)\n"
	       "  --lr X              (peak) learning rate (dot/nn 5e-3, mf 0.01, mf --adaptive\n"
	       "                      0.1, LIBMF's eta); dot/nn's lr 5e-3, wd 0.1 and y-range\n"
	       "                      0,5.5 are the fastai book chapter's settings, not\n"
	       "                      fastai's library defaults (lr 1e-3, wd 0.01 in its\n"
	       "                      Adam, no y_range)\n"
	       "  --bs N              ratings per batch (dot/nn, default 64)\n"
	       "  --accum N           batches whose gradients are summed before one step (1)\n"
	       "  --optimizer sgd|adam  (dot/nn adam, mf sgd)\n"
	       "  --wd X              weight decay (dot/nn 0.1, mf 0.1, als: ridge 0.1)\n"
	       "  --wd-mode l2|decoupled  l2 adds wd*w to the gradient (fastai's l2_reg; mf:\n"
	       "                      2*wd*w, LIBMF's lambda); decoupled shrinks every row by\n"
	       "                      (1 - lr*wd) at every step as fastai does (dot/nn\n"
	       "                      default); dot warns when wd*rows/bs > 20, where that\n"
	       "                      flattens the rows a batch rarely touches\n"
	       "  --schedule const|one-cycle|cosine  (dot/nn one-cycle, mf const)\n"
	       "  --div X --div-final X --pct-start X  one-cycle shape (25, 1e5, 0.25)\n"
	       "  --moms A,B,C        one-cycle momentum (0.95,0.85,0.95)\n"
	       "  --mom X             Adam beta1 outside one-cycle (0.9)\n"
	       "  --beta2 X --eps X   Adam (0.99, 1e-5)\n"
	       "  --update sparse|dense  Adam/SGD on the rows in the batch only (default), or\n"
	       "                      on every row every step as PyTorch does (slow).  sparse\n"
	       "                      catches up what dense did to absent rows: decay and\n"
	       "                      moments exactly, the momentum's drift within 0.03%% of a\n"
	       "                      row's movement (0.8%% for gradients near eps), l2 decay\n"
	       "                      of absent rows not at all; over a run its valid loss\n"
	       "                      is about 1%% above dense's after the first epoch and\n"
	       "                      within 0.1%% at the end (ml-1m size, docs/TRAIN.md)\n"
	       "  --adaptive          mf: per-row adaptive learning rates (LIBMF)\n"
	       "  --init-sd X         initial factor scale (dot/nn 0.01, mf/als/bpmf 0.1)\n"
	       "  --patience N        stop after N epochs without a better valid loss and keep\n"
	       "                      the best epoch (default 0: run every epoch)\n"
	       "  --ensemble K        K members with their own seeds, predictions averaged\n"
	       "                      (1..9)\n"
	       "  --seed N            random seed (42); same seed and threads, same output\n"
	       "  --threads N         worker threads (1)\n"
	       "\n"
	       "bpmf (Bayesian MF: priors, their hyperparameters and the noise are sampled):\n"
	       "  --sweeps N          Gibbs sweeps, each drawing every user then every item\n"
	       "                      (default 200; --factors default 16)\n"
	       "  --burn-in N         sweeps before the samples are averaged (default a\n"
	       "                      quarter of --sweeps); predictions are the mean over the\n"
	       "                      later sweeps, clipped to the rating range, and\n"
	       "                      model.glm holds the posterior-mean factors\n"
	       "  --implicit-side S   items (default), users, both or none: items are also\n"
	       "                      described by the users who rated them, users by the\n"
	       "                      items they rated (SVD++ inside the model).  items is\n"
	       "                      the default because it helps where people choose what\n"
	       "                      to rate by taste (MovieLens: 0.861 -> 0.845); it\n"
	       "                      neither helps nor hurts much on goodlens-sample's data,\n"
	       "                      whose choices follow popularity only.  Only the\n"
	       "                      training ratings say who rated what: using which\n"
	       "                      validation pairs exist would be leakage (a recommender\n"
	       "                      never knows what a user will rate next)\n"
	       "  --prior wishart|gamma  Normal-Wishart hyperprior on each side's factor\n"
	       "                      prior (default) or a Normal-Gamma per dimension (libFM)\n"
	       "\n"
	       "Blending:\n"
	       "  --blend A,B,...     models of different kinds (e.g. dot,als,bpmf): each is\n"
	       "                      trained with its defaults on the training ratings less\n"
	       "                      a holdout, linear weights with an intercept are fitted\n"
	       "                      on the holdout (ridge), the members are retrained on all\n"
	       "                      training ratings and the blend is evaluated; writes\n"
	       "                      blend.csv (weights) and keeps the member best on the\n"
	       "                      holdout in model.glm.  Takes --seed, --threads,\n"
	       "                      --rank-k, --relevant and the bpmf options only\n"
	       "  --blend-holdout X   share of the training ratings held out (0.1)\n"
	       "Source keys:\n"
	       "  --users FILE        users.csv (user,<key>,...) of the ratings file (default:\n"
	       "                      users.csv beside it, when there is one)\n"
	       "  --items FILE        items.csv (item,<key>,...) likewise\n"
	       "                      predictions.csv gets each table's key column (user_id,\n"
	       "                      movie_id, book_id, work_id ...) beside the dense id, and\n"
	       "                      model.glm records the keys so that goodlens-recommend\n"
	       "                      and goodlens-report refuse another file's tables; without\n"
	       "                      a table that side has dense ids only (said on stderr)\n"
	       "\n"
	       "Evaluation and output:\n"
	       "  --rank-k N          k of the ranking metrics (10): each user's top k of the\n"
	       "                      items with a training rating not rated by the user in\n"
	       "                      training (goodlens-recommend --exclude train's lists)\n"
	       "  --relevant X        rating at which an item counts as relevant (4)\n"
	       "  -o, --out DIR       where the outputs go, created with missing parents\n"
	       "                      (default .)\n"
	       "  -q, --quiet         errors only\n"
	       "  -v, --verbose       more detail\n"
	       "  -h, --help          this text\n"
	       "  -V, --version       the version\n"
	       "\n"
	       "Exit status: 0 success, 1 bad input or failure, 2 bad usage.\n",
	       prog);
}

enum {
	O_MODEL = 256, O_FACTORS, O_LAYERS, O_NO_BN, O_YRANGE, O_LOSS, O_EPOCHS, O_LR, O_BS,
	O_ACCUM, O_OPT, O_WD, O_WDMODE, O_SCHED, O_DIV, O_DIVF, O_PCT, O_MOMS, O_MOM, O_BETA2,
	O_EPS, O_UPDATE, O_ADAPTIVE, O_INITSD, O_PATIENCE, O_ENSEMBLE, O_SEED, O_THREADS,
	O_RANKK, O_RELEVANT,
	O_SWEEPS, O_BURNIN, O_IMPLICIT, O_PRIOR, O_BLEND, O_BLEND_HOLDOUT,
	O_USERS, O_ITEMS, O_EMB
};

static const struct option longopts[] = {
	{"model", required_argument, 0, O_MODEL},
	{"factors", required_argument, 0, O_FACTORS},
	{"layers", required_argument, 0, O_LAYERS},
	{"emb-size", required_argument, 0, O_EMB},
	{"no-bn", no_argument, 0, O_NO_BN},
	{"y-range", required_argument, 0, O_YRANGE},
	{"loss", required_argument, 0, O_LOSS},
	{"epochs", required_argument, 0, O_EPOCHS},
	{"lr", required_argument, 0, O_LR},
	{"bs", required_argument, 0, O_BS},
	{"accum", required_argument, 0, O_ACCUM},
	{"optimizer", required_argument, 0, O_OPT},
	{"wd", required_argument, 0, O_WD},
	{"wd-mode", required_argument, 0, O_WDMODE},
	{"schedule", required_argument, 0, O_SCHED},
	{"div", required_argument, 0, O_DIV},
	{"div-final", required_argument, 0, O_DIVF},
	{"pct-start", required_argument, 0, O_PCT},
	{"moms", required_argument, 0, O_MOMS},
	{"mom", required_argument, 0, O_MOM},
	{"beta2", required_argument, 0, O_BETA2},
	{"eps", required_argument, 0, O_EPS},
	{"update", required_argument, 0, O_UPDATE},
	{"adaptive", no_argument, 0, O_ADAPTIVE},
	{"init-sd", required_argument, 0, O_INITSD},
	{"patience", required_argument, 0, O_PATIENCE},
	{"ensemble", required_argument, 0, O_ENSEMBLE},
	{"seed", required_argument, 0, O_SEED},
	{"threads", required_argument, 0, O_THREADS},
	{"users", required_argument, 0, O_USERS},
	{"items", required_argument, 0, O_ITEMS},
	{"rank-k", required_argument, 0, O_RANKK},
	{"relevant", required_argument, 0, O_RELEVANT},
	{"sweeps", required_argument, 0, O_SWEEPS},
	{"burn-in", required_argument, 0, O_BURNIN},
	{"implicit-side", required_argument, 0, O_IMPLICIT},
	{"prior", required_argument, 0, O_PRIOR},
	{"blend", required_argument, 0, O_BLEND},
	{"blend-holdout", required_argument, 0, O_BLEND_HOLDOUT},
	{"out", required_argument, 0, 'o'},
	CLI_OUT_ALIASES('o'),
	{"quiet", no_argument, 0, 'q'},
	{"verbose", no_argument, 0, 'v'},
	{"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, 'V'},
	{0, 0, 0, 0},
};

/* "a,b,c" -> up to max unsigned values. */
static int parse_list(const char *opt, const char *arg, uint32_t *out, int max, int *n)
{
	char buf[256];
	if (strlen(arg) >= sizeof buf)
		return cli_u32(opt, "", out);
	strcpy(buf, arg);
	*n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*n == max) {
			log_error("invalid value for %s: '%s' (at most %d values)", opt, arg, max);
			return GL_EUSAGE;
		}
		if (cli_u32(opt, tok, &out[(*n)++]))
			return GL_EUSAGE;
	}
	if (*n == 0)
		return cli_u32(opt, "", out);
	return 0;
}

static int parse_moms(const char *arg, double *moms)
{
	char buf[256];
	char *a, *b;
	if (strlen(arg) >= sizeof buf || !(a = strchr(strcpy(buf, arg), ',')) ||
	    !(b = strchr(a + 1, ','))) {
		log_error("invalid value for --moms: '%s' (expected a,b,c)", arg);
		return GL_EUSAGE;
	}
	*a++ = 0;
	*b++ = 0;
	if (cli_double("--moms", buf, &moms[0]) || cli_double("--moms", a, &moms[1]) ||
	    cli_double("--moms", b, &moms[2]))
		return GL_EUSAGE;
	return 0;
}

/* "--blend dot,als,bpmf" -> the members' kinds. */
static int parse_blend(const char *arg, struct train_cfg *c)
{
	char buf[256];
	if (strlen(arg) >= sizeof buf)
		return cli_choice("--blend", arg, glm_kind_names, &c->blend[0]);
	strcpy(buf, arg);
	c->n_blend = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (c->n_blend == CFG_MAX_BLEND) {
			log_error("invalid value for --blend: '%s' (at most %d models)", arg,
				  CFG_MAX_BLEND);
			return GL_EUSAGE;
		}
		if (cli_choice("--blend", tok, glm_kind_names, &c->blend[c->n_blend++]))
			return GL_EUSAGE;
	}
	if (c->n_blend < 2) {
		log_error("invalid value for --blend: '%s' (expected two models or more, e.g. "
			  "dot,als,bpmf)",
			  arg);
		return GL_EUSAGE;
	}
	return 0;
}

static const char *opt_name(int opt)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* What --blend and bpmf's options allow, once every option is read.
 * knob: the first option that sets one model's settings; given[]: whether
 * --epochs, --sweeps, --burn-in, --implicit-side and --prior were given. */
static int check_bpmf_blend(struct train_cfg *c, const char *knob, const int given[5])
{
	int bpmf = c->kind == GLM_BPMF;
	if (c->n_blend && knob) {
		log_error("--blend trains each member with its model's defaults: --%s does not "
			  "apply (the blend takes --seed, --threads, --rank-k, --relevant and the "
			  "bpmf options)",
			  knob);
		return GL_EUSAGE;
	}
	if (!bpmf && !c->n_blend && (given[1] || given[2] || given[3] || given[4])) {
		log_error("--sweeps, --burn-in, --implicit-side and --prior apply to --model bpmf "
			  "(or a --blend with bpmf)");
		return GL_EUSAGE;
	}
	if (bpmf && given[0]) {
		log_error("--model bpmf counts sweeps, not epochs: use --sweeps");
		return GL_EUSAGE;
	}
	if (given[1] && !given[2])
		c->burn_in = c->sweeps / 4;
	if (bpmf)
		c->epochs = c->sweeps;
	return 0;
}

/* The model kind decides the defaults, so it is read before the rest. */
static int find_model(int argc, char **argv, int *kind)
{
	*kind = GLM_DOT;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
			v = argv[i + 1];
		else if (strncmp(argv[i], "--model=", 8) == 0)
			v = argv[i] + 8;
		if (v && cli_choice("--model", v, glm_kind_names, kind))
			return GL_EUSAGE;
	}
	return 0;
}

struct tables {
	const char *users, *items;
};

/* Options into c, *outdir and tab: 0, GL_EUSAGE (logged), or CLI_DONE
 * after --help/--version. */
static int parse(int argc, char **argv, struct train_cfg *c, const char **outdir,
		 struct tables *tab, int *verb)
{
	int kind, opt, err = 0, n, layers_given = 0, lr_given = 0;
	const char *knob = NULL;
	int given[5] = {0}; /* --epochs, --sweeps, --burn-in, --implicit-side, --prior */
	if (find_model(argc, argv, &kind))
		return GL_EUSAGE;
	cfg_defaults(c, kind);
	opterr = 0;
	while (!err && (opt = getopt_long(argc, argv, ":o:qvhV", longopts, NULL)) != -1) {
		if (opt >= O_MODEL && opt <= O_ENSEMBLE && !knob)
			knob = opt_name(opt);
		given[0] |= opt == O_EPOCHS;
		lr_given |= opt == O_LR;
		given[1] |= opt == O_SWEEPS;
		given[2] |= opt == O_BURNIN;
		given[3] |= opt == O_IMPLICIT;
		given[4] |= opt == O_PRIOR;
		switch (opt) {
		case O_MODEL: break;
		case O_FACTORS: err = cli_u32("--factors", optarg, &c->factors); break;
		case O_LAYERS:
			err = parse_list("--layers", optarg, c->layers, CFG_MAX_LAYERS, &c->n_layers);
			layers_given = 1;
			break;
		case O_EMB:
			err = parse_list("--emb-size", optarg, c->emb, 2, &n);
			if (!err && n == 1)
				c->emb[1] = c->emb[0];
			if (!err && (!c->emb[0] || !c->emb[1])) {
				log_error("invalid value for --emb-size: '%s' (sizes start at 1)", optarg);
				err = GL_EUSAGE;
			}
			break;
		case O_NO_BN: c->bn = 0; break;
		case O_YRANGE:
			if (strcmp(optarg, "none") == 0)
				c->y_lo = c->y_hi = 0;
			else
				err = cli_range("--y-range", optarg, &c->y_lo, &c->y_hi);
			break;
		case O_LOSS: err = cli_choice("--loss", optarg, cfg_loss_names, &c->loss); break;
		case O_EPOCHS: err = cli_u32("--epochs", optarg, &c->epochs); break;
		case O_LR: err = cli_double("--lr", optarg, &c->lr); break;
		case O_BS: err = cli_u32("--bs", optarg, &c->bs); break;
		case O_ACCUM: err = cli_u32("--accum", optarg, &c->accum); break;
		case O_OPT: err = cli_choice("--optimizer", optarg, cfg_opt_names, &c->optimizer); break;
		case O_WD: err = cli_double("--wd", optarg, &c->wd); break;
		case O_WDMODE: err = cli_choice("--wd-mode", optarg, cfg_wd_names, &c->wd_mode); break;
		case O_SCHED: err = cli_choice("--schedule", optarg, cfg_sched_names, &c->schedule); break;
		case O_DIV: err = cli_double("--div", optarg, &c->div); break;
		case O_DIVF: err = cli_double("--div-final", optarg, &c->div_final); break;
		case O_PCT: err = cli_double("--pct-start", optarg, &c->pct_start); break;
		case O_MOMS: err = parse_moms(optarg, c->moms); break;
		case O_MOM: err = cli_double("--mom", optarg, &c->mom); break;
		case O_BETA2: err = cli_double("--beta2", optarg, &c->beta2); break;
		case O_EPS: err = cli_double("--eps", optarg, &c->eps); break;
		case O_UPDATE: err = cli_choice("--update", optarg, cfg_update_names, &c->update); break;
		case O_ADAPTIVE: c->adaptive = 1; break;
		case O_INITSD: err = cli_double("--init-sd", optarg, &c->init_sd); break;
		case O_PATIENCE: err = cli_u32("--patience", optarg, &c->patience); break;
		case O_ENSEMBLE: err = cli_u32("--ensemble", optarg, &c->ensemble); break;
		case O_SEED: err = cli_u64("--seed", optarg, &c->seed); break;
		case O_THREADS: err = cli_u32("--threads", optarg, &c->threads); break;
		case O_RANKK: err = cli_u32("--rank-k", optarg, &c->rank_k); break;
		case O_RELEVANT: err = cli_double("--relevant", optarg, &c->relevant); break;
		case O_SWEEPS: err = cli_u32("--sweeps", optarg, &c->sweeps); break;
		case O_BURNIN: err = cli_u32("--burn-in", optarg, &c->burn_in); break;
		case O_IMPLICIT:
			err = cli_choice("--implicit-side", optarg, cfg_implicit_names, &c->implicit);
			break;
		case O_PRIOR: err = cli_choice("--prior", optarg, cfg_prior_names, &c->prior); break;
		case O_BLEND: err = parse_blend(optarg, c); break;
		case O_BLEND_HOLDOUT:
			err = cli_double("--blend-holdout", optarg, &c->blend_holdout);
			break;
		case O_USERS: tab->users = optarg; break;
		case O_ITEMS: tab->items = optarg; break;
		case 'o': *outdir = optarg; break;
		case 'q': *verb = LOG_QUIET; break;
		case 'v': *verb = LOG_VERBOSE; break;
		case 'h': usage(); return CLI_DONE;
		case 'V': cli_version(prog); return CLI_DONE;
		default: return cli_bad_option(opt, argv, longopts);
		}
	}
	if (err)
		return err;
	/* LIBMF's rule divides the rate by sqrt(G) >= 1 and starts from its
	 * eta 0.1: at mf's plain 0.01 the factors barely move from their
	 * initial values and the model stays at the biases-only baseline */
	if (c->adaptive && !lr_given)
		c->lr = CFG_MF_ADAPTIVE_LR;
	if (kind == GLM_NN && !layers_given) {
		/* fastai's collab_learner: layers=[n_factors] */
		c->layers[0] = c->factors;
		c->n_layers = 1;
	}
	if (optind != argc - 1) {
		log_error(optind >= argc ? "no ratings file given" : "more than one ratings file given");
		return GL_EUSAGE;
	}
	if (check_bpmf_blend(c, knob, given))
		return GL_EUSAGE;
	return cfg_check(c);
}

/* A blend of models, or one model, on the ratings file. */
static int run(const struct train_cfg *c, const char *ratings, const struct tables *tab,
	       const char *outdir)
{
	if (c->n_blend)
		return blend_run_keyed(c, ratings, tab->users, tab->items, outdir);
	return trainer_run_keyed(c, ratings, tab->users, tab->items, outdir);
}

int main(int argc, char **argv)
{
	struct train_cfg c;
	const char *outdir = ".";
	int verb = LOG_NORMAL;
	log_init(prog, LOG_NORMAL);
	struct tables tab = {0};
	int err = parse(argc, argv, &c, &outdir, &tab, &verb);
	if (err)
		return cli_parse_status(prog, err);
	log_init(prog, verb);
	outfile_signals();
	return cli_status(run(&c, argv[optind], &tab, outdir));
}
