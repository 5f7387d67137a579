/* Unit tests for report/: escaping and numbers (html), charts (svg), the
 * small CSV table reader, and a whole report over the fixture folder.
 *
 * `test_report --fixture DIR` writes the fixture folder and exits: the
 * end-to-end and browser tests build their input with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "../../report/html.h"
#include "log.h"
#include "../../report/report.h"
#include "../../report/svg.h"
#include "rng.h"
#include "test_report_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Run fn into memory and return the text (caller frees). */
static char *capture_html(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	html_text(f, s);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_escape(void **state)
{
	(void)state;
	char *s = capture_html(FX_HOSTILE);
	assert_string_equal(s, "&lt;script&gt;alert(1)&lt;/script&gt;");
	free(s);
	s = capture_html("Tom & \"Jerry\" 'x'");
	assert_string_equal(s, "Tom &amp; &quot;Jerry&quot; &#39;x&#39;");
	free(s);
	s = capture_html("a\x01" "b\tc\nd\x7f");
	assert_string_equal(s, "a\xef\xbf\xbd" "b\tc\nd\xef\xbf\xbd");
	free(s);
	s = capture_html("\xe6\x97\xa5\xe6\x9c\xac"); /* UTF-8 passes through */
	assert_string_equal(s, "\xe6\x97\xa5\xe6\x9c\xac");
	free(s);
}

static void test_numbers(void **state)
{
	(void)state;
	struct num n;
	assert_string_equal(num_int(&n, 0), "0");
	assert_string_equal(num_int(&n, 999), "999");
	assert_string_equal(num_int(&n, 1000), "1,000");
	assert_string_equal(num_int(&n, 228648342), "228,648,342");
	assert_string_equal(num_sint(&n, -1234567), "-1,234,567");
	assert_string_equal(num_fix(&n, 12345.678, 2), "12,345.68");
	assert_string_equal(num_fix(&n, -0.0001, 2), "0.00");
	assert_string_equal(num_fix(&n, NAN, 2), "-");
	assert_string_equal(num_sig(&n, 0.81234, 3), "0.812");
	assert_string_equal(num_sig(&n, 3.5, 3), "3.50");
	assert_string_equal(num_sig(&n, 1234.6, 3), "1,235");
	assert_string_equal(num_sig(&n, 0.000012345, 3), "0.000012");
	assert_string_equal(num_pct(&n, 0.99823, 2), "99.82%");
	assert_string_equal(num_bytes(&n, 512), "512 B");
	assert_string_equal(num_bytes(&n, 1536), "1.50 KiB");
	assert_string_equal(num_bytes(&n, 11ull << 30), "11.0 GiB");
}

/* ---- svg ------------------------------------------------------------------ */

static void test_ticks_and_text(void **state)
{
	(void)state;
	double t[16], step;
	size_t n = svg_ticks(0, 1.7, 7, t, &step);
	assert_int_equal(n, 4);
	assert_true(step == 0.5 && t[0] == 0 && t[3] == 1.5);
	n = svg_ticks(-3, 1205, 7, t, &step);
	assert_true(step == 500 && t[0] == 0 && t[n - 1] == 1000);
	int cut;
	/* cuts fall between whole UTF-8 sequences */
	const char *jp = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	assert_int_equal(svg_cut(jp, 2, &cut), 6);
	assert_true(cut);
	assert_int_equal(svg_cut(jp, 3, &cut), 9);
	assert_false(cut);
	/* wide characters are estimated wider than Latin ones */
	assert_true(svg_text_width(jp, 12) > svg_text_width("abc", 12));
	assert_true(svg_text_width("WWW", 12) > svg_text_width("iii", 12));
}

/* The label boxes svg_scatter drew: parsed back from its output (the
 * labels are the <text> elements after the halo group opens). */
static size_t parse_labels(const char *svg, struct svg_box *b, size_t max)
{
	const char *p = strstr(svg, "paint-order=\"stroke\"");
	size_t n = 0;
	assert_non_null(p);
	while (n < max && (p = strstr(p, "<text x=\""))) {
		double x, y;
		char anchor[16], text[256];
		assert_int_equal(sscanf(p, "<text x=\"%lf\" y=\"%lf\" text-anchor=\"%15[a-z]\">%255[^<]",
					&x, &y, anchor, text),
				 4);
		double w = svg_text_width(text, 11);
		double x0 = anchor[0] == 's' ? x : anchor[0] == 'e' ? x - w : x - w / 2;
		b[n++] = (struct svg_box){x0, y - 11 * 0.8, x0 + w, y + 11 * 0.25};
		p++;
	}
	return n;
}

static char *scatter(const struct svg_scatter *c, size_t *drawn)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	*drawn = svg_scatter(f, c);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_scatter_labels_never_overlap(void **state)
{
	(void)state;
	enum { N = 300 };
	double x[N], y[N];
	const char *lab[N];
	char names[N][32];
	struct rng r;
	rng_init(&r, 7, 0);
	/* a dense cloud: most labels cannot fit and must be dropped */
	for (int i = 0; i < N; i++) {
		x[i] = rng_normal(&r);
		y[i] = rng_normal(&r);
		snprintf(names[i], sizeof names[i], "Title number %d", i);
		lab[i] = names[i];
	}
	struct svg_scatter c = {"t", "x", "y", x, y, lab, NULL, N, 30};
	size_t drawn;
	char *svg = scatter(&c, &drawn);
	assert_true(drawn > 10 && drawn < N);
	struct svg_box b[N];
	size_t n = parse_labels(svg, b, N);
	assert_int_equal(n, drawn);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			assert_false(svg_overlap(&b[i], &b[j]));
	/* the first (most important) label always gets a place */
	assert_non_null(strstr(svg, ">Title number 0<"));
	free(svg);
	/* every point on one spot: one label, the first */
	for (int i = 0; i < N; i++)
		x[i] = y[i] = 1;
	svg = scatter(&c, &drawn);
	assert_int_equal(drawn, 1);
	assert_non_null(strstr(svg, ">Title number 0<"));
	free(svg);
	/* a hostile label stays text */
	lab[0] = FX_HOSTILE;
	x[0] = 0;
	svg = scatter(&c, &drawn);
	assert_null(strstr(svg, "<script"));
	assert_non_null(strstr(svg, "&lt;script&gt;"));
	free(svg);
}

/* ---- computations over the fixture ---------------------------------------- */

struct fx {
	char dir[64];
	struct rep_in in;
	struct census c;
};

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	snprintf(x->dir, sizeof x->dir, "fx-%d", (int)getpid());
	if (fx_make(x->dir) || rep_in_load(&x->in, x->dir) || census_run(&x->c, &x->in.g, 20))
		return -1;
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;
	char cmd[128];
	census_free(&x->c);
	rep_in_free(&x->in);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	if (system(cmd))
		return -1;
	free(x);
	return 0;
}

static void test_census(void **state)
{
	struct fx *x = *state;
	uint64_t hist[11] = {0}, n = 0;
	for (int u = 0; u < FX_USERS; u++)
		for (int i = 0; i < FX_ITEMS; i++)
			if (fx_rating(u, i)) {
				hist[fx_rating(u, i) * 2]++;
				n++;
			}
	assert_int_equal(x->c.n_ratings, n);
	for (int b = 0; b < 11; b++)
		assert_int_equal(x->c.hist[b], hist[b]);
	for (int i = 0; i < FX_ITEMS; i++) {
		assert_int_equal(x->c.item_n[i], FX_USERS - i);
		assert_int_equal(x->c.pop[i], i); /* popularity order is id order */
	}
	/* users 0..10 rate all 30 items: the most active, ties by id */
	assert_int_equal(x->c.n_active, 20);
	for (uint32_t k = 0; k < 11; k++)
		assert_int_equal(x->c.active[k], k);
	assert_int_equal(x->c.active[11], 11);
	assert_int_equal(census_decimals(&x->c), 0);
	assert_int_equal(census_rating(&x->in.g, 3, 4), 2 * fx_rating(3, 4));
	assert_int_equal(census_rating(&x->in.g, 39, 5), 0);
	/* titles and the key fallback */
	assert_string_equal(rep_item_title(&x->in, 0), FX_HOSTILE);
	assert_null(rep_item_title(&x->in, 5));
	assert_string_equal(rep_item_key(&x->in, 5), "1005");
	assert_string_equal(x->in.items.key_name, "book_id");
}

static void test_biases(void **state)
{
	struct fx *x = *state;
	struct biases b;
	assert_int_equal(biases_build(&b, &x->in, &x->c), 0);
	assert_int_equal(b.n, FX_ITEMS);
	for (uint32_t i = 0; i < FX_ITEMS; i++) {
		assert_int_equal(b.by_bias[i], i);
		assert_int_equal(b.rank_bias[i], i + 1);
	}
	/* rank by mean follows the means: a better rank never has a lower mean */
	for (uint32_t i = 0; i < FX_ITEMS; i++)
		for (uint32_t j = 0; j < FX_ITEMS; j++)
			if (b.rank_mean[i] < b.rank_mean[j])
				assert_true(x->c.item_mean[i] >= x->c.item_mean[j]);
	assert_true(isfinite(b.spearman) && fabs(b.spearman) <= 1);
	biases_free(&b);
}

static void test_pca(void **state)
{
	struct fx *x = *state;
	const struct glm_tensor *q = glm_find(&x->in.model, "item_factors");
	struct pca p;
	assert_non_null(q);
	assert_int_equal(pca_run(&p, q, x->c.pop, FX_ITEMS), 0);
	assert_int_equal(p.m, FX_ITEMS);
	assert_int_equal(p.nc, 3);
	assert_true(p.var[0] >= p.var[1] && p.var[1] >= p.var[2]);
	assert_true(p.var[0] / p.total_var > 0.99);
	/* PC1 is the first axis, oriented so its loading is positive:
	 * scores are the centred first factor */
	double mean = 0;
	for (int i = 0; i < FX_ITEMS; i++)
		mean += q->data[(size_t)i * FX_FACTORS];
	mean /= FX_ITEMS;
	for (uint32_t j = 0; j < p.m; j++) {
		double want = q->data[(size_t)p.ids[j] * FX_FACTORS] - mean;
		assert_true(fabs(p.proj[(size_t)j * p.nc] - want) < 0.02);
	}
	/* the variance along PC1 is the sample variance of that axis, nearly */
	double ss = 0;
	for (int i = 0; i < FX_ITEMS; i++) {
		double d = q->data[(size_t)i * FX_FACTORS] - mean;
		ss += d * d;
	}
	assert_true(fabs(p.var[0] - ss / (FX_ITEMS - 1)) / p.var[0] < 0.01);
	pca_free(&p);
	/* too few items: nothing, no error */
	assert_int_equal(pca_run(&p, q, x->c.pop, 1), 0);
	assert_int_equal(p.m, 0);
}

/* The prediction written out the long way, in double (an oracle for
 * recs_run): global_mean + b_u + b_i + p_u . q_i, through sigmoid_range
 * when y_lo < y_hi, else clipped to the rating values. */
static float ref_predict(const struct glm *m, uint32_t u, uint32_t i)
{
	const struct glm_tensor *ub = glm_find(m, "user_bias"), *ib = glm_find(m, "item_bias");
	const struct glm_tensor *uf = glm_find(m, "user_factors"), *itf = glm_find(m, "item_factors");
	double x = m->global_mean + ub->data[u] + ib->data[i];
	for (uint32_t j = 0; j < uf->cols; j++)
		x += (double)uf->data[(size_t)u * uf->cols + j] * itf->data[(size_t)i * itf->cols + j];
	if (m->y_lo < m->y_hi)
		return (float)(m->y_lo + (m->y_hi - m->y_lo) / (1 + exp(-x)));
	if (!m->n_classes)
		return (float)x;
	double hi = m->class_lo + (double)(m->n_classes - 1) * m->class_step;
	return (float)(x < m->class_lo ? m->class_lo : x > hi ? hi : x);
}

static void test_similar(void **state)
{
	struct fx *x = *state;
	const struct glm_tensor *q = glm_find(&x->in.model, "item_factors");
	struct similar s;
	assert_int_equal(similar_run(&s, q, &x->c, 20, 5, 25), 0);
	assert_int_equal(s.n_query, 20);
	assert_int_equal(s.k, 5);
	/* item 6's nearest is item 7, which points the same way */
	assert_int_equal(s.query[6], 6);
	assert_int_equal(s.nb[6 * 5], 7);
	assert_true(fabsf(s.cos[6 * 5] - 1.0f) < 1e-5f);
	for (uint32_t j = 0; j < s.n_query; j++)
		for (uint32_t k = 0; k < s.k; k++) {
			uint32_t nb = s.nb[j * s.k + k];
			assert_int_not_equal(nb, SIM_NONE);
			assert_int_not_equal(nb, s.query[j]);
			assert_true(x->c.item_n[nb] >= 25); /* items 16.. have fewer */
			if (k)
				assert_true(s.cos[j * s.k + k] <= s.cos[j * s.k + k - 1]);
			/* the cosine is right */
			const float *a = q->data + (size_t)s.query[j] * FX_FACTORS;
			const float *b = q->data + (size_t)nb * FX_FACTORS;
			double ab = 0, aa = 0, bb = 0;
			for (int d = 0; d < FX_FACTORS; d++) {
				ab += a[d] * b[d];
				aa += a[d] * a[d];
				bb += b[d] * b[d];
			}
			assert_true(fabs(ab / sqrt(aa * bb) - s.cos[j * s.k + k]) < 1e-5);
		}
	similar_free(&s);
}

static void test_crosstab_and_recs(void **state)
{
	struct fx *x = *state;
	struct crosstab ct;
	assert_int_equal(crosstab_run(&ct, &x->in, &x->c, 12, 9), 0);
	assert_int_equal(ct.rows, 12);
	assert_int_equal(ct.cols, 9);
	for (uint32_t r = 0; r < ct.rows; r++)
		for (uint32_t k = 0; k < ct.cols; k++) {
			int want = fx_rating((int)ct.user[r], (int)ct.item[k]);
			float v = ct.v[r * ct.cols + k];
			assert_true(want ? v == want : isnan(v));
		}
	assert_string_equal(ct.user_key[0], "<b>bold user</b>");
	crosstab_free(&ct);

	struct recs rc;
	assert_int_equal(recs_run(&rc, &x->in, &x->c, 4, 6, 3, 5, 1), 0);
	assert_null(rc.why_not);
	assert_int_equal(rc.n_users, 4);
	for (uint32_t j = 0; j < rc.n_users; j++) {
		uint32_t u = rc.user[j];
		assert_true(census_user_n(&x->in.g, u) >= 5);
		for (uint32_t t = 0; t < rc.n_top; t++) {
			uint32_t i = rc.top[j * rc.n_top + t];
			if (i == SIM_NONE)
				break;
			assert_int_equal(fx_rating((int)u, (int)i), 0); /* never one already rated */
			assert_true(fabsf(rc.score[j * rc.n_top + t] - ref_predict(&x->in.model, u, i)) < 1e-4f);
			if (t)
				assert_true(rc.score[j * rc.n_top + t] <= rc.score[j * rc.n_top + t - 1]);
		}
		/* what they rated highest, best first */
		for (uint32_t t = 0; t + 1 < rc.n_rated; t++)
			assert_true(rc.rating[j * rc.n_rated + t] >= rc.rating[j * rc.n_rated + t + 1]);
		assert_int_equal(rc.rating[j * rc.n_rated], 2 * 0 + 5); /* everyone rated a 5 */
	}
	/* the same seed picks the same users */
	struct recs again;
	assert_int_equal(recs_run(&again, &x->in, &x->c, 4, 6, 3, 5, 1), 0);
	assert_memory_equal(again.user, rc.user, 4 * sizeof *rc.user);
	recs_free(&again);
	recs_free(&rc);
}

/* ---- the whole report ----------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return s;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_whole_report(void **state)
{
	struct fx *x = *state;
	struct rep_opts o;
	char out[96], path[160];
	rep_opts_default(&o);
	snprintf(out, sizeof out, "%s/out/nested", x->dir);
	o.in = x->dir;
	o.out = out;
	assert_int_equal(report_run(&o), 0);
	snprintf(path, sizeof path, "%s/report.html", out);
	char *html = slurp(path);
	/* hostile titles are text everywhere they appear */
	assert_null(strcasestr(html, "<script"));
	assert_null(strcasestr(html, "<img"));
	assert_null(strstr(html, "<b>"));
	assert_true(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 4);
	assert_true(count(html, "&lt;b&gt;bold user&lt;/b&gt;") >= 1);
	/* charts: funnel, histogram, two curves, the map, the crosstab */
	assert_int_equal(count(html, "<svg "), 6);
	assert_true(strstr(html, "PC1 (") != NULL);
	/* self-contained: no external reference of any kind */
	assert_null(strstr(html, "http://www.w3.org/1999"));
	assert_null(strstr(html, " src=\""));
	assert_null(strstr(html, "href=\"http"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "1,490")); /* thousands separators */
	free(html);
	/* CSVs: exact funnel, hostile title round-trips through biases.csv */
	snprintf(path, sizeof path, "%s/funnel.csv", out);
	char *fun = slurp(path);
	assert_string_equal(fun, "stage,step,rows,users,items\n"
				 "extract,read,1500,,\n"
				 "extract,kept,1490,41,31\n"
				 "join,items with a title,,,29\n"
				 "filter,input,1490,41,31\n"
				 "filter,shelved,1200,41,31\n"
				 "filter,k-core,765,40,30\n"
				 "filter,split,765,40,30\n");
	free(fun);
	struct csvtab t;
	snprintf(path, sizeof path, "%s/biases.csv", out);
	assert_int_equal(csvtab_load(&t, path, 0), 0);
	assert_int_equal(t.nrow, FX_ITEMS);
	assert_string_equal(csvtab_get(&t, 0, csvtab_col(&t, "title")), FX_HOSTILE);
	assert_string_equal(csvtab_get(&t, 0, csvtab_col(&t, "rank_bias")), "1");
	assert_string_equal(csvtab_get(&t, 8, csvtab_col(&t, "title")), "Two\nLines");
	assert_string_equal(csvtab_get(&t, 0, csvtab_col(&t, "n_ratings")), "40");
	csvtab_free(&t);
	static const char *const tables[][2] = {
		{"pca.csv", "item,book_id,title,pc1,pc2,pc3,n_ratings"},
		{"similar.csv", "item,book_id,title,rank,neighbour,neighbour_book_id,neighbour_title,"
				"cosine,neighbour_n_ratings"},
		{"recommendations.csv", "user,user_id,kind,rank,item,book_id,title,rating,score"},
		{"ratings_hist.csv", "rating,count,train,valid,share"},
		{"metrics.csv", "epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds"},
		{"crosstab.csv", "user,user_id"},
	};
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		snprintf(path, sizeof path, "%s/%s", out, tables[k][0]);
		assert_int_equal(csvtab_load(&t, path, 0), 0);
		assert_true(t.nrow > 0);
		size_t want = 1 + count(tables[k][1], ",");
		assert_true(t.ncol >= want);
		for (size_t c = 0; c < want; c++)
			if (strstr(tables[k][1], t.head[c]) == NULL)
				fail_msg("%s: unexpected column %s", tables[k][0], t.head[c]);
		csvtab_free(&t);
	}
	snprintf(path, sizeof path, "%s/crosstab.csv", out);
	assert_int_equal(csvtab_load(&t, path, 0), 0);
	assert_int_equal(t.ncol, 2 + 15);
	assert_string_equal(t.head[2], FX_HOSTILE);
	assert_string_equal(t.head[2 + 5], "book_id 1005");
	csvtab_free(&t);
}

static void test_missing_inputs(void **state)
{
	struct fx *x = *state;
	struct rep_opts o;
	char dir[96], cmd[256], path[160];
	rep_opts_default(&o);
	snprintf(dir, sizeof dir, "%s-min", x->dir);
	assert_int_equal(fx_make(dir), 0);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && rm model.glm users.csv metrics.csv train.summary.csv extract.stats.csv "
		 "join.stats.csv filter.stats.csv", dir);
	assert_int_equal(system(cmd), 0);
	o.in = dir;
	assert_int_equal(report_run(&o), 0);
	snprintf(path, sizeof path, "%s/report.html", dir);
	char *html = slurp(path);
	assert_non_null(strstr(html, "<code>join.stats.csv</code> (goodlens-join writes it)"));
	assert_non_null(strstr(html, "<code>model.glm</code>"));
	assert_non_null(strstr(html, "<code>metrics.csv</code>"));
	assert_true(count(html, "<svg ") == 3); /* funnel, histogram, crosstab */
	free(html);
	/* a required input missing is an error, and report.html stays as it was */
	snprintf(cmd, sizeof cmd, "rm '%s/items.csv'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(report_run(&o), GL_EIO);
	/* an item id past the ratings file is a format error */
	snprintf(path, sizeof path, "%s/items.csv", dir);
	fx_write(path, "item,book_id,title\n0,1,a\n30,2,b\n");
	assert_int_equal(report_run(&o), GL_EFORMAT);
	fx_write(path, "item,book_id,title\n0,1,a\n0,2,b\n");
	assert_int_equal(report_run(&o), GL_EFORMAT);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--fixture"))
		return fx_make(argv[2]) ? 1 : 0;
	log_init("test_report", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_ticks_and_text),
		cmocka_unit_test(test_scatter_labels_never_overlap),
		cmocka_unit_test(test_census),
		cmocka_unit_test(test_biases),
		cmocka_unit_test(test_pca),
		cmocka_unit_test(test_similar),
		cmocka_unit_test(test_crosstab_and_recs),
		cmocka_unit_test(test_whole_report),
		cmocka_unit_test(test_missing_inputs),
	};
	return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
