#include "sample_gen.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_COVER 3
/* The most a user rates, as a share of all items: denser users make the
 * rejection-free draw no slower, but stop looking like people. */
#define MAX_USER_SHARE 0.8
/* Popularity weights are integers: (rank+1)^-a scaled by 2^40, at least 1,
 * so a million items still sum far below 2^63. */
#define WEIGHT_SCALE 1099511627776.0

static double unit_of(uint64_t h) { return (double)(h >> 11) * 0x1.0p-53; }

/* The unscaled activity of user u: a Pareto draw, 1 for exponent 0. */
static double activity(uint64_t seed, uint32_t u, double exponent)
{
	double x = 1.0 - unit_of(sample_mix(seed ^ 0x61637469766974ULL, u)); /* (0, 1] */
	double a = pow(x, -exponent);
	return a < 1e12 ? a : 1e12;
}

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

static double planned(const float *raw, uint32_t n, double scale, double lo, double hi)
{
	double sum = 0;
	for (uint32_t u = 0; u < n; u++)
		sum += clampd(scale * raw[u], lo, hi);
	return sum;
}

/* Degrees with sum ~ target: find the scale by bisection (the sum is
 * monotone in it), then round the running sum so the total is exact and
 * each degree stays within [lo, hi]. */
static void plan_degrees(struct sample_gen *g, float *raw, double target, double lo, double hi)
{
	uint32_t n = g->p.users;
	double a = 0, b = 1;
	while (planned(raw, n, b, lo, hi) < target && b < 1e30)
		b *= 2;
	for (int it = 0; it < 200 && b - a > 1e-12 * b; it++) {
		double mid = 0.5 * (a + b);
		if (planned(raw, n, mid, lo, hi) < target)
			a = mid;
		else
			b = mid;
	}
	double run = 0;
	uint64_t prev = 0;
	g->ratings = 0;
	for (uint32_t u = 0; u < n; u++) {
		run += clampd(b * raw[u], lo, hi);
		uint64_t upto = (uint64_t)llround(run);
		uint64_t d = upto - prev;
		d = d < lo ? (uint64_t)lo : d > hi ? (uint64_t)hi : d;
		g->degree[u] = (uint32_t)d;
		g->ratings += d;
		prev = upto;
	}
}

/* Check the minimums against the sizes and settle the ratings target and
 * the most ratings a user may have (*hi, raised from the realistic cap up
 * to every item when the minimums need it). */
static int settle_target(struct sample_gen *g, uint32_t items, uint32_t lo, uint32_t *hi,
			 double *target)
{
	const struct sample_gen_params *p = &g->p;
	double z = p->zero_share;
	if (p->min_per_user > items) {
		log_error("--min-per-user %u is more than the %u items", p->min_per_user, items);
		return GL_EUSAGE;
	}
	if (p->min_per_item > p->users) {
		log_error("--min-per-item %u is more than the %u users", p->min_per_item, p->users);
		return GL_EUSAGE;
	}
	double want = floor((double)p->interactions * (1.0 - z) + 0.5);
	double need = (double)p->users * lo;
	double cover = (double)items * p->min_per_item;
	if (cover > need)
		need = cover;
	if (want < need) {
		log_warn("raising the ratings to %.0f to honour the per-user and per-item minimums",
			 need);
		want = need;
	}
	if (need > (double)p->users * *hi)
		*hi = (uint32_t)ceil(need / p->users); /* <= items: checked above */
	double most = (double)p->users * *hi;
	if (want > most) {
		log_warn("lowering the ratings to %.0f: %u users rate at most %u of %u items each",
			 most, p->users, *hi, items);
		want = most;
	}
	*target = want;
	return 0;
}

static int alloc_all(struct sample_gen *g, uint32_t items)
{
	uint32_t k = g->m->p.factors;
	g->degree = malloc(sizeof *g->degree * g->p.users);
	g->taken = malloc(sizeof *g->taken * items);
	g->taken_w = malloc(sizeof *g->taken_w * items);
	g->up = malloc(sizeof *g->up * k);
	g->cap = 256;
	g->ev = malloc(sizeof *g->ev * g->cap);
	if (!g->degree || !g->taken || !g->taken_w || !g->up || !g->ev) {
		log_error("out of memory planning %u users", g->p.users);
		return GL_ENOMEM;
	}
	return 0;
}

static int init_pick(struct sample_gen *g, uint32_t items)
{
	uint64_t *w = malloc(sizeof *w * items);
	if (!w) {
		log_error("out of memory for the popularity of %u items", items);
		return GL_ENOMEM;
	}
	for (uint32_t i = 0; i < items; i++) {
		double x = WEIGHT_SCALE * pow((double)i + 1.0, -g->p.popularity_exponent);
		w[i] = x >= 1.0 ? (uint64_t)x : 1;
	}
	int err = sample_pick_init(&g->pick, w, items);
	free(w);
	return err;
}

static int init_cover(struct sample_gen *g, uint32_t items)
{
	struct rng r;
	if (!g->p.min_per_item)
		return 0;
	g->cover = (uint64_t)items * g->p.min_per_item;
	g->cover_order = malloc(sizeof *g->cover_order * items);
	if (!g->cover_order) {
		log_error("out of memory for the coverage order of %u items", items);
		return GL_ENOMEM;
	}
	rng_init(&r, g->p.seed, STREAM_COVER);
	for (uint32_t i = 0; i < items; i++)
		g->cover_order[i] = i;
	for (uint32_t i = items; i > 1; i--) {
		uint32_t j = (uint32_t)rng_below(&r, i);
		uint32_t t = g->cover_order[i - 1];
		g->cover_order[i - 1] = g->cover_order[j];
		g->cover_order[j] = t;
	}
	return 0;
}

int sample_gen_init(struct sample_gen *g, const struct sample_model *m,
		    const struct sample_gen_params *p)
{
	uint32_t items = m->p.items;
	double target;
	int err;
	memset(g, 0, sizeof *g);
	g->p = *p;
	g->m = m;
	if (!p->users || !items) {
		log_error("need at least one user and one item");
		return GL_EUSAGE;
	}
	uint32_t lo = p->min_per_user > 1 ? p->min_per_user : 1;
	/* The cap is on a user's lines: ratings plus the shelved share. */
	uint32_t hi = (uint32_t)(MAX_USER_SHARE * items * (1.0 - p->zero_share));
	if (hi < lo)
		hi = lo;
	if ((err = settle_target(g, items, lo, &hi, &target)) != 0)
		return err;
	if ((err = alloc_all(g, items)) != 0)
		goto fail;
	float *raw = malloc(sizeof *raw * p->users);
	if (!raw) {
		log_error("out of memory planning %u users", p->users);
		err = GL_ENOMEM;
		goto fail;
	}
	for (uint32_t u = 0; u < p->users; u++)
		raw[u] = (float)activity(p->seed, u, p->activity_exponent);
	plan_degrees(g, raw, target, lo, hi);
	free(raw);
	g->shelved = p->zero_share > 0
		? (uint64_t)llround((double)g->ratings * p->zero_share / (1.0 - p->zero_share))
		: 0;
	if ((err = init_pick(g, items)) != 0 || (err = init_cover(g, items)) != 0)
		goto fail;
	if (g->cover > g->ratings) /* rounding only: keep every share <= degree */
		g->cover = g->ratings;
	sample_gen_rewind(g);
	return 0;
fail:
	sample_gen_free(g);
	return err;
}

void sample_gen_free(struct sample_gen *g)
{
	free(g->degree);
	free(g->cover_order);
	free(g->taken);
	free(g->taken_w);
	free(g->up);
	free(g->ev);
	sample_pick_free(&g->pick);
	memset(g, 0, sizeof *g);
}

void sample_gen_rewind(struct sample_gen *g)
{
	g->next_user = 0;
	g->done_ratings = 0;
	g->done_shelved = 0;
	g->slot = 0;
}

/* This user's share of a total dealt in proportion to the degrees: the
 * difference of floors of running sums, so the shares add up exactly. */
static uint64_t share_of(uint64_t total, uint64_t before, uint64_t after, uint64_t all)
{
	if (!all)
		return 0;
	unsigned __int128 a = (unsigned __int128)before * total / all;
	unsigned __int128 b = (unsigned __int128)after * total / all;
	return (uint64_t)(b - a);
}

static int reserve(struct sample_gen *g, size_t n)
{
	if (n <= g->cap)
		return 0;
	size_t cap = g->cap;
	while (cap < n)
		cap *= 2;
	struct sample_event *ev = realloc(g->ev, sizeof *ev * cap);
	if (!ev) {
		log_error("out of memory for %zu lines of one user", n);
		return GL_ENOMEM;
	}
	g->ev = ev;
	g->cap = cap;
	return 0;
}

/* Remove item i from the draw for this user (restored by restore()). */
static void take(struct sample_gen *g, uint32_t *nt, uint32_t i)
{
	g->taken_w[*nt] = g->pick.weight[i];
	g->taken[(*nt)++] = i;
	sample_pick_set(&g->pick, i, 0);
}

static void restore(struct sample_gen *g, uint32_t nt)
{
	for (uint32_t j = 0; j < nt; j++)
		sample_pick_set(&g->pick, g->taken[j], g->taken_w[j]);
}

/* Choose the user's items: dealt coverage first, then popularity draws. */
static uint32_t choose_items(struct sample_gen *g, struct rng *r, uint32_t cover, uint32_t total)
{
	uint32_t items = g->m->p.items, nt = 0;
	for (uint32_t j = 0; j < cover; j++)
		take(g, &nt, g->cover_order[(g->slot + j) % items]);
	g->slot += cover;
	while (nt < total)
		take(g, &nt, sample_pick_draw(&g->pick, r));
	restore(g, nt);
	return nt;
}

struct span {
	double start, len, session;
};

static struct span user_span(const struct sample_gen *g, struct rng *r)
{
	struct span s;
	double t0 = g->p.t_start, t1 = g->p.t_end;
	double room = t1 - t0;
	s.session = g->p.session;
	if (s.session > 0) {
		double lead = room > 4 * s.session ? room - 2 * s.session : room;
		s.start = t0 + rng_unit(r) * lead;
	} else {
		s.start = t0 + rng_unit(r) * room * 0.95;
	}
	s.len = t1 - s.start;
	return s;
}

static uint32_t line_time(const struct span *s, struct rng *r)
{
	double off;
	if (s->session > 0) {
		off = -s->session * log(1.0 - rng_unit(r));
		off = fmod(off, s->len);
	} else {
		off = rng_unit(r) * s->len;
	}
	return (uint32_t)(s->start + off);
}

static uint32_t edition(const struct sample_gen *g, uint32_t item, struct rng *r)
{
	const uint32_t *bf = g->p.book_first;
	if (!bf)
		return item;
	uint32_t n = bf[item + 1] - bf[item];
	/* The first edition is the one most people shelve. */
	if (n <= 1 || rng_unit(r) < 0.6)
		return bf[item];
	return bf[item] + 1 + (uint32_t)rng_below(r, n - 1);
}

static void make_line(struct sample_gen *g, struct sample_event *e, uint32_t u, uint32_t item,
		      float ubias, const struct span *s, struct rng *r, int rated)
{
	e->user = u;
	e->item = item;
	e->truth = (float)sample_model_truth(g->m, ubias, g->up, item);
	e->code = rated ? (uint8_t)sample_model_draw(g->m, e->truth, r) : 0;
	e->when = line_time(s, r);
	e->detail = (uint32_t)rng_u64(r);
	e->book = edition(g, item, r);
	e->flags = 0;
}

int sample_gen_next(struct sample_gen *g, const struct sample_event **ev, size_t *n)
{
	struct rng r;
	float ubias;
	if (g->next_user >= g->p.users)
		return 0;
	uint32_t u = g->next_user++;
	uint32_t items = g->m->p.items;
	uint64_t d = g->degree[u];
	uint64_t before = g->done_ratings, after = before + d;
	uint64_t cover = share_of(g->cover, before, after, g->ratings);
	uint64_t shelf = share_of(g->shelved, before, after, g->ratings);
	if (shelf > items - d)
		shelf = items - d;
	g->done_ratings = after;

	rng_init(&r, g->p.seed, SAMPLE_STREAM_USER + u);
	sample_model_user(g->m, &r, &ubias, g->up);
	struct span s = user_span(g, &r);
	uint32_t nt = choose_items(g, &r, (uint32_t)cover, (uint32_t)(d + shelf));

	/* Worst case every rating is repeated once. */
	if (reserve(g, (size_t)nt + (g->p.dup_share > 0 ? d : 0)))
		return GL_ENOMEM;
	size_t k = 0;
	for (uint32_t j = 0; j < nt; j++) {
		struct sample_event *e = &g->ev[k++];
		int rated = j < d;
		make_line(g, e, u, g->taken[j], ubias, &s, &r, rated);
		if (j < cover)
			e->flags |= SAMPLE_EV_COVER;
		if (rated && g->p.dup_share > 0 && rng_unit(&r) < g->p.dup_share) {
			struct sample_event *x = &g->ev[k++];
			make_line(g, x, u, e->item, ubias, &s, &r, 1);
			x->book = e->book;
			x->flags = SAMPLE_EV_DUP;
		}
	}
	*ev = g->ev;
	*n = k;
	return 1;
}
