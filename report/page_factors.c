/* What the item factors mean: the PCA map, neighbours, recommendations,
 * and the crosstab of the densest corner of the data. */
#include "page_factors.h"

#include "buf.h"
#include "html.h"
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ENDS 10 /* items listed at each end of a component */

static int no_model(FILE *f, const struct report *r)
{
	if (r->in.have_model)
		return 0;
	pg_missing(f, "model.glm", "goodlens-train");
	pg_end_section(f);
	return 1;
}

struct by_pc {
	const struct pca *p;
	uint32_t k;
};

static int cmp_pc(const void *a, const void *b, void *ctx)
{
	const struct by_pc *c = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	float vx = c->p->proj[(size_t)x * c->p->nc + c->k], vy = c->p->proj[(size_t)y * c->p->nc + c->k];
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return (x > y) - (x < y);
}

static void ends(FILE *f, const struct report *r, uint32_t *order)
{
	const struct pca *p = &r->pca;
	fputs("<h3>The items at each end of every component</h3>\n<div class=\"two\">\n", f);
	for (uint32_t k = 0; k < p->nc; k++) {
		struct by_pc ctx = {p, k};
		struct num n;
		for (uint32_t j = 0; j < p->m; j++)
			order[j] = j;
		qsort_r(order, p->m, sizeof *order, cmp_pc, &ctx);
		uint32_t e = p->m / 2 < ENDS ? p->m / 2 : ENDS;
		for (int side = 0; side < 2; side++) {
			fprintf(f, "<div>\n<table>\n<tr><th colspan=\"2\">PC%u, %s end</th>"
				   "<th class=\"num\">score</th></tr>\n",
				k + 1, side ? "negative" : "positive");
			for (uint32_t j = 0; j < e; j++) {
				uint32_t row = order[side ? p->m - 1 - j : j];
				fprintf(f, "<tr><td class=\"num\">%u</td>", j + 1);
				pg_td_item(f, r, p->ids[row], 70);
				pg_td_num(f, num_fix(&n, p->proj[(size_t)row * p->nc + k], 3));
				fputs("</tr>\n", f);
			}
			fputs("</table>\n</div>\n", f);
		}
	}
	fputs("</div>\n", f);
}

/* The labels and tooltips of the map, in the order of p->ids (most rated
 * first): the first `labels` items are offered a label. */
static void map(FILE *f, const struct report *r)
{
	const struct pca *p = &r->pca;
	double *x = malloc(p->m * sizeof *x), *y = malloc(p->m * sizeof *y);
	const char **lab = calloc(p->m, sizeof *lab), **hov = calloc(p->m, sizeof *hov);
	struct buf *txt = calloc(p->m, sizeof *txt);
	char t0[64], t1[64];
	struct num a, b;
	if (!x || !y || !lab || !hov || !txt)
		goto done;
	for (uint32_t j = 0; j < p->m; j++) {
		uint32_t i = p->ids[j];
		x[j] = p->proj[(size_t)j * p->nc];
		y[j] = p->proj[(size_t)j * p->nc + 1];
		if (rep_item_label(&r->in, i, &txt[j]))
			goto done;
		lab[j] = j < r->o->labels ? txt[j].p : NULL;
		hov[j] = txt[j].p;
	}
	snprintf(t0, sizeof t0, "PC1 (%s of the variance)",
		 num_pct(&a, p->total_var > 0 ? p->var[0] / p->total_var : 0, 1));
	snprintf(t1, sizeof t1, "PC2 (%s of the variance)",
		 num_pct(&b, p->total_var > 0 ? p->var[1] / p->total_var : 0, 1));
	struct svg_scatter sc = {"The most-rated items on the first two principal components",
				 t0, t1, x, y, lab, hov, p->m, 34};
	fputs("<figure>\n", f);
	size_t placed = svg_scatter(f, &sc);
	fprintf(f, "<figcaption>The %s most-rated items placed by the first two principal "
		   "components of their factors. Labels go to the most-rated first; %s of the "
		   "first %s fitted without covering another (hover a dot for its title).</figcaption>\n"
		   "</figure>\n",
		num_int(&a, p->m), num_int(&b, placed),
		num_int(&(struct num){0}, r->o->labels < p->m ? r->o->labels : p->m));
done:
	if (txt)
		for (uint32_t j = 0; j < p->m; j++)
			buf_free(&txt[j]);
	free(txt);
	free(x);
	free(y);
	free(lab);
	free(hov);
}

void page_pca(FILE *f, const struct report *r)
{
	const struct pca *p = &r->pca;
	pg_section(f, "pca", "The PCA map of the item factors");
	if (no_model(f, r))
		return;
	if (!p->m) {
		fputs("<p class=\"missing\">No PCA: the model has no <code>item_factors</code> "
		      "tensor, or fewer than two items.</p>\n",
		      f);
		pg_end_section(f);
		return;
	}
	struct num a, b;
	fprintf(f, "<p>Each item's %s factors, reduced to their principal components over "
		   "the %s most-rated items (<a href=\"pca.csv\">pca.csv</a>). Items close "
		   "together are liked by the same people.",
		num_int(&a, p->f), num_int(&b, p->m));
	for (uint32_t k = 0; k < p->nc; k++) {
		struct num s;
		fprintf(f, " PC%u carries %s of the variance.", k + 1,
			num_pct(&s, p->total_var > 0 ? p->var[k] / p->total_var : 0, 1));
	}
	fputs("</p>\n", f);
	if (p->nc >= 2)
		map(f, r);
	else
		fputs("<p class=\"missing\">The model has one factor: there is no second "
		      "component to draw a map with.</p>\n",
		      f);
	uint32_t *order = malloc(p->m * sizeof *order);
	if (order)
		ends(f, r, order);
	free(order);
	pg_end_section(f);
}

void page_similar(FILE *f, const struct report *r)
{
	const struct similar *s = &r->sim;
	struct num a, b;
	pg_section(f, "similar", "Similar items");
	if (no_model(f, r))
		return;
	if (!s->n_query) {
		fputs("<p class=\"missing\">The model has no <code>item_factors</code> to compare "
		      "items by.</p>\n",
		      f);
		pg_end_section(f);
		return;
	}
	fprintf(f, "<p>For the %s most-rated items, the %s nearest by the cosine of their "
		   "factors, among items with at least %s ratings (<a href=\"similar.csv\">"
		   "similar.csv</a>).</p>\n<table>\n<tr><th>item</th><th class=\"num\">ratings</th>"
		   "<th>nearest items (cosine)</th></tr>\n",
		num_int(&a, s->n_query), num_int(&b, s->k), num_int(&(struct num){0}, r->o->min_ratings));
	for (uint32_t j = 0; j < s->n_query; j++) {
		uint32_t i = s->query[j];
		fputs("<tr>", f);
		pg_td_item(f, r, i, 60);
		pg_td_num(f, num_int(&a, r->c.item_n[i]));
		fputs("<td><ol class=\"nb\">", f);
		for (uint32_t k = 0; k < s->k; k++) {
			uint32_t nb = s->nb[(size_t)j * s->k + k];
			if (nb == SIM_NONE)
				break;
			fputs("<li>", f);
			pg_item(f, r, nb, 60);
			fprintf(f, " <small>(%s)</small></li>", num_fix(&b, s->cos[(size_t)j * s->k + k], 2));
		}
		fputs("</ol></td></tr>\n", f);
	}
	fputs("</table>\n", f);
	pg_end_section(f);
}

static void user_name(FILE *f, const char *key, uint32_t u)
{
	if (key) {
		fputs("user <code>", f);
		html_text(f, key);
		fputs("</code>", f);
	} else {
		fprintf(f, "user %u", u);
	}
}

void page_recs(FILE *f, const struct report *r)
{
	const struct recs *rc = &r->rec;
	pg_section(f, "recommendations", "Recommendations");
	if (no_model(f, r))
		return;
	if (!rc->n_users) {
		fputs("<p class=\"missing\">No recommendations: ", f);
		html_text(f, rc->why_not ? rc->why_not : "no users");
		fputs(".</p>\n", f);
		pg_end_section(f);
		return;
	}
	struct num a;
	fprintf(f, "<p>For %s users picked at random (with --seed) among those with at least "
		   "%s ratings: what each rated highest, and the model's top items among those "
		   "they have not rated (<a href=\"recommendations.csv\">recommendations.csv</a>)."
		   "</p>\n",
		num_int(&a, rc->n_users), num_int(&(struct num){0}, r->o->min_ratings));
	for (uint32_t j = 0; j < rc->n_users; j++) {
		uint32_t u = rc->user[j];
		fputs("<h3>", f);
		user_name(f, rc->user_key[j], u);
		fprintf(f, " <small>(%s ratings)</small></h3>\n<div class=\"two\">\n",
			num_int(&a, census_user_n(&r->in.g, u)));
		fputs("<div><table>\n<tr><th colspan=\"2\">rated highest</th><th class=\"num\">"
		      "rating</th></tr>\n",
		      f);
		for (uint32_t t = 0; t < rc->n_rated; t++) {
			uint32_t i = rc->rated[(size_t)j * rc->n_rated + t];
			if (i == SIM_NONE)
				break;
			fprintf(f, "<tr><td class=\"num\">%u</td>", t + 1);
			pg_td_item(f, r, i, 60);
			pg_td_num(f, num_fix(&a, rc->rating[(size_t)j * rc->n_rated + t],
					     census_decimals(&r->c)));
			fputs("</tr>\n", f);
		}
		fputs("</table></div>\n<div><table>\n<tr><th colspan=\"2\">recommended</th>"
		      "<th class=\"num\">predicted</th></tr>\n",
		      f);
		if (rc->top[(size_t)j * rc->n_top] == SIM_NONE)
			fputs("<tr><td colspan=\"3\" class=\"missing\">nothing left: this user has "
			      "rated every item with enough ratings</td></tr>\n",
			      f);
		for (uint32_t t = 0; t < rc->n_top; t++) {
			uint32_t i = rc->top[(size_t)j * rc->n_top + t];
			if (i == SIM_NONE)
				break;
			fprintf(f, "<tr><td class=\"num\">%u</td>", t + 1);
			pg_td_item(f, r, i, 60);
			pg_td_num(f, num_fix(&a, rc->score[(size_t)j * rc->n_top + t], 2));
			fputs("</tr>\n", f);
		}
		fputs("</table></div>\n</div>\n", f);
	}
	pg_end_section(f);
}

void page_crosstab(FILE *f, const struct report *r)
{
	const struct crosstab *x = &r->x;
	pg_section(f, "crosstab", "The crosstab: most active users by most-rated items");
	if (!x->rows || !x->cols) {
		fputs("<p class=\"missing\">No ratings to cross.</p>\n", f);
		pg_end_section(f);
		return;
	}
	char (*uname)[96] = calloc(x->rows, sizeof *uname);
	const char **row = calloc(x->rows, sizeof *row), **col = calloc(x->cols, sizeof *col);
	struct buf *lab = calloc(x->cols, sizeof *lab);
	double *v = malloc((size_t)x->rows * x->cols * sizeof *v);
	struct num a, b, c;
	if (!uname || !row || !col || !lab || !v)
		goto done;
	for (uint32_t i = 0; i < x->rows; i++) {
		if (x->user_key[i])
			snprintf(uname[i], sizeof uname[i], "%s", x->user_key[i]);
		else
			snprintf(uname[i], sizeof uname[i], "user %u", x->user[i]);
		row[i] = uname[i];
	}
	for (uint32_t k = 0; k < x->cols; k++) {
		if (rep_item_label(&r->in, x->item[k], &lab[k]))
			goto done;
		col[k] = lab[k].p;
	}
	double lo = INFINITY, hi = -INFINITY;
	for (int bt = 0; bt < 256; bt++)
		if (r->c.hist[bt]) {
			lo = fmin(lo, bt * (double)r->c.scale);
			hi = fmax(hi, bt * (double)r->c.scale);
		}
	for (size_t k = 0; k < (size_t)x->rows * x->cols; k++)
		v[k] = x->v[k];
	double cells = (double)x->rows * x->cols;
	fprintf(f, "<p>The %s users with the most ratings against the %s items with the most: "
		   "even here %s of %s cells hold a rating (%s). Empty cells are what the model "
		   "has to fill in (<a href=\"crosstab.csv\">crosstab.csv</a>).</p>\n",
		num_int(&a, x->rows), num_int(&b, x->cols), num_int(&c, x->filled),
		num_fix(&(struct num){0}, cells, 0), num_pct(&(struct num){0}, x->filled / cells, 0));
	struct svg_grid g = {"Ratings of the most active users for the most-rated items", "users",
			     "items", row, col, x->rows, x->cols, v, lo, hi,
			     census_decimals(&r->c)};
	fputs("<figure>\n", f);
	svg_grid(f, &g);
	fputs("</figure>\n", f);
done:
	if (lab)
		for (uint32_t k = 0; k < x->cols; k++)
			buf_free(&lab[k]);
	free(lab);
	free(uname);
	free(row);
	free(col);
	free(v);
	pg_end_section(f);
}
