/* goodlens-train: fit a collaborative-filtering model to a ratings file. */
#include "cfg.h"
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
	       "                      biases), nn (fastai EmbeddingNN)\n"
	       "  --factors N         latent factors (dot 50, mf/als 32); nn: fastai's\n"
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
	       "  --lr X              (peak) learning rate (dot/nn 5e-3, mf 0.01); dot/nn's\n"
	       "                      lr 5e-3, wd 0.1 and y-range 0,5.5 are the fastai book\n"
	       "                      chapter's settings, not fastai's library defaults (lr\n"
	       "                      1e-3, wd 0.01 in its Adam, no y_range)\n"
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
	       "                      of absent rows not at all (docs/TRAIN.md)\n"
	       "  --adaptive          mf: per-row adaptive learning rates (LIBMF)\n"
	       "  --init-sd X         initial factor scale (dot/nn 0.01, mf/als 0.1)\n"
	       "  --patience N        stop after N epochs without a better valid loss and keep\n"
	       "                      the best epoch (default 0: run every epoch)\n"
	       "  --ensemble K        K members with their own seeds, predictions averaged\n"
	       "                      (1..9)\n"
	       "  --seed N            random seed (42); same seed and threads, same output\n"
	       "  --threads N         worker threads (1)\n"
	       "\n"
	       "Evaluation and output:\n"
	       "  --rank-k N          k of the ranking metrics (10): each user's top k of the\n"
	       "                      items with a training rating not rated by the user in\n"
	       "                      training (goodlens-recommend --exclude train's lists)\n"
	       "  --relevant X        rating at which an item counts as relevant (4)\n"
	       "  -o, --outdir DIR    where the outputs go, created with missing parents\n"
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
	O_RANKK, O_RELEVANT, O_EMB
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
	{"rank-k", required_argument, 0, O_RANKK},
	{"relevant", required_argument, 0, O_RELEVANT},
	{"outdir", required_argument, 0, 'o'},
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

static int parse(int argc, char **argv, struct train_cfg *c, const char **outdir, int *verb)
{
	int kind, opt, err = 0, n, layers_given = 0;
	if (find_model(argc, argv, &kind))
		return GL_EUSAGE;
	cfg_defaults(c, kind);
	opterr = 0;
	while (!err && (opt = getopt_long(argc, argv, "o:qvhV", longopts, NULL)) != -1) {
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
		case 'o': *outdir = optarg; break;
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
	if (kind == GLM_NN && !layers_given) {
		/* fastai's collab_learner: layers=[n_factors] */
		c->layers[0] = c->factors;
		c->n_layers = 1;
	}
	if (optind != argc - 1) {
		log_error(optind >= argc ? "no ratings file given" : "more than one ratings file given");
		return GL_EUSAGE;
	}
	return cfg_check(c);
}

int main(int argc, char **argv)
{
	struct train_cfg c;
	const char *outdir = ".";
	int verb = LOG_NORMAL;
	log_init(prog, LOG_NORMAL);
	int err = parse(argc, argv, &c, &outdir, &verb);
	if (err) {
		cli_usage_hint(prog);
		return cli_exit(err);
	}
	log_init(prog, verb);
	outfile_signals();
	return cli_exit(trainer_run(&c, argv[optind], outdir));
}
