#include "sample_model.h"

#include "err.h"
#include "log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const sample_genre_names[] = {
	"children", "comics_graphic", "fantasy_paranormal", "history_biography",
	"mystery_thriller_crime", "poetry", "romance", "young_adult", NULL,
};

/* Stream number of the item-side draws; user streams live elsewhere
 * (sample_gen.h) in a range that cannot meet it. */
#define STREAM_MODEL 1

/* Shares of the latent genres (same order as the Goodreads genre files).
 * Uneven on purpose: a report's genre chart should not look flat. */
static const double genre_share[SAMPLE_GENRES] = {
	0.10, 0.06, 0.20, 0.10, 0.16, 0.04, 0.18, 0.16,
};

/* Variance of p_u . q_i across pairs: together with the biases and the noise
 * it gives ratings a spread like the real data (SD about 1). */
#define INTERACTION_VAR 0.30

static uint32_t draw_genre(struct rng *r)
{
	double u = rng_unit(r), acc = 0;
	for (uint32_t g = 0; g + 1 < SAMPLE_GENRES; g++) {
		acc += genre_share[g];
		if (u < acc)
			return g;
	}
	return SAMPLE_GENRES - 1;
}

/* Polarising items: a handful, drawn from the popular head, so they are
 * rated often enough for their split to show (like Fifty Shades). */
static void plant_polarising(struct sample_model *m, struct rng *r)
{
	uint32_t n = m->p.items, k = m->p.factors;
	uint32_t want = n >= 10 ? n / 200 : 0;
	if (n >= 10 && want < 1)
		want = 1;
	if (want > 16)
		want = 16;
	uint32_t head = n / 20 > 4 * want ? n / 20 : 4 * want;
	if (head > n)
		head = n;
	for (uint32_t done = 0; done < want;) {
		uint32_t i = (uint32_t)rng_below(r, head);
		if (m->polar[i])
			continue;
		m->polar[i] = 1;
		for (uint32_t f = 0; f < k; f++)
			m->q[(size_t)i * k + f] *= 3.0f;
		done++;
	}
	m->polarising = want;
}

int sample_model_init(struct sample_model *m, const struct sample_model_params *p)
{
	struct rng r;
	uint32_t n = p->items, k = p->factors;
	memset(m, 0, sizeof *m);
	m->p = *p;
	m->user_bias_sd = 0.35;
	m->item_bias_sd = 0.35;
	m->genre_sd = 0.5;
	m->item_spread_sd = 0.15;
	m->user_factor_sd = sqrt(INTERACTION_VAR /
				 (k * (m->genre_sd * m->genre_sd + m->item_spread_sd * m->item_spread_sd)));
	m->centre = malloc(sizeof *m->centre * SAMPLE_GENRES * k);
	m->bias = malloc(sizeof *m->bias * (n ? n : 1));
	m->q = malloc(sizeof *m->q * (size_t)(n ? n : 1) * k);
	m->genre = malloc(n ? n : 1);
	m->polar = calloc(n ? n : 1, 1);
	if (!m->centre || !m->bias || !m->q || !m->genre || !m->polar) {
		log_error("out of memory for the planted model of %u items", n);
		sample_model_free(m);
		return GL_ENOMEM;
	}
	rng_init(&r, p->seed, STREAM_MODEL);
	for (uint32_t c = 0; c < SAMPLE_GENRES * k; c++)
		m->centre[c] = (float)(m->genre_sd * rng_normal(&r));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t g = draw_genre(&r);
		m->genre[i] = (uint8_t)g;
		m->bias[i] = (float)(m->item_bias_sd * rng_normal(&r));
		for (uint32_t f = 0; f < k; f++)
			m->q[(size_t)i * k + f] =
				m->centre[g * k + f] + (float)(m->item_spread_sd * rng_normal(&r));
	}
	plant_polarising(m, &r);
	return 0;
}

void sample_model_free(struct sample_model *m)
{
	free(m->centre);
	free(m->bias);
	free(m->q);
	free(m->genre);
	free(m->polar);
	memset(m, 0, sizeof *m);
}

void sample_model_user(const struct sample_model *m, struct rng *r, float *bias, float *p)
{
	*bias = (float)(m->user_bias_sd * rng_normal(r));
	for (uint32_t f = 0; f < m->p.factors; f++)
		p[f] = (float)(m->user_factor_sd * rng_normal(r));
}

double sample_model_truth(const struct sample_model *m, float ubias, const float *p, uint32_t i)
{
	uint32_t k = m->p.factors;
	const float *q = m->q + (size_t)i * k;
	double dot = 0;
	for (uint32_t f = 0; f < k; f++)
		dot += (double)p[f] * q[f];
	return m->p.mu + ubias + m->bias[i] + dot;
}

int sample_scale_code(const struct sample_scale *s, double x)
{
	int lo = (int)lround(s->lo / s->step), hi = (int)lround(s->hi / s->step);
	if (!(x > s->lo)) /* also catches NaN */
		return lo;
	if (x >= s->hi)
		return hi;
	int c = (int)round(x / s->step);
	return c < lo ? lo : c > hi ? hi : c;
}

int sample_model_draw(const struct sample_model *m, double t, struct rng *r)
{
	return sample_scale_code(&m->p.scale, t + m->p.noise * rng_normal(r));
}

/* P(N(0,1) <= z) and P(N(0,1) > z), each accurate in its own tail. */
static double phi_below(double z) { return 0.5 * erfc(-z / M_SQRT2); }
static double phi_above(double z) { return 0.5 * erfc(z / M_SQRT2); }

#define MAX_VALUES 64

void sample_floor(const struct sample_scale *s, double sd, double t, double *var, double *mae)
{
	double prob[MAX_VALUES], val[MAX_VALUES];
	int m = (int)lround((s->hi - s->lo) / s->step);
	if (m < 0)
		m = 0;
	if (m > MAX_VALUES - 1)
		m = MAX_VALUES - 1;
	if (!(sd > 0) || m == 0) {
		*var = 0;
		*mae = 0;
		return;
	}
	/* Value k covers (b_{k-1}, b_k] with b_k = v_k + step/2; the two end
	 * values absorb the tails (the clamp). */
	double below = 0; /* P(written <= v_{k-1}) */
	for (int k = 0; k <= m; k++) {
		val[k] = s->lo + k * s->step;
		if (k == m) {
			double z = (val[m - 1] + 0.5 * s->step - t) / sd;
			prob[k] = phi_above(z);
		} else {
			double z = (val[k] + 0.5 * s->step - t) / sd;
			double upto = phi_below(z);
			prob[k] = upto - below;
			below = upto;
		}
		if (prob[k] < 0)
			prob[k] = 0;
	}
	double mean = 0, total = 0;
	for (int k = 0; k <= m; k++) {
		mean += prob[k] * val[k];
		total += prob[k];
	}
	mean /= total;
	double v = 0, cum = 0, med = val[m];
	int have_med = 0;
	for (int k = 0; k <= m; k++) {
		v += prob[k] * (val[k] - mean) * (val[k] - mean);
		cum += prob[k];
		if (!have_med && cum >= 0.5 * total) {
			med = val[k];
			have_med = 1;
		}
	}
	double a = 0;
	for (int k = 0; k <= m; k++)
		a += prob[k] * fabs(val[k] - med);
	*var = v / total;
	*mae = a / total;
}
