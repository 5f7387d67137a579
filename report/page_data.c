/* The dataset and the join: what went in and what survived. */
#include "page_data.h"

#include "html.h"
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void card(FILE *f, const char *label, const char *value)
{
	fputs("<div><dt>", f);
	html_text(f, label);
	fputs("</dt><dd>", f);
	html_text(f, value);
	fputs("</dd></div>\n", f);
}

/* Every card is a count measured in the files read, none from a recipe. */
static void cards(FILE *f, const struct report *r)
{
	const struct census *c = &r->c;
	struct num n;
	double cells = (double)c->n_users * (double)c->n_items, sum = 0, read = pg_records_read(r);
	for (int b = 0; b < 256; b++)
		sum += (double)c->hist[b] * b * c->scale;
	fputs("<dl class=\"cards\">\n", f);
	if (read >= 0)
		card(f, "records read", num_fix(&n, read, 0));
	card(f, "ratings", num_int(&n, c->n_ratings));
	card(f, "users", num_int(&n, c->n_users));
	card(f, "items", num_int(&n, c->n_items));
	card(f, "density (ratings / users \xc3\x97 items)",
	     cells > 0 ? num_pct(&n, (double)c->n_ratings / cells, 3) : "-");
	card(f, "sparsity", cells > 0 ? num_pct(&n, 1 - (double)c->n_ratings / cells, 3) : "-");
	card(f, "validation share",
	     c->n_ratings ? num_pct(&n, (double)c->n_valid / (double)c->n_ratings, 1) : "-");
	card(f, "mean rating", c->n_ratings ? num_fix(&n, sum / (double)c->n_ratings, 2) : "-");
	card(f, "ratings per user (mean)",
	     c->users_rated ? num_fix(&n, (double)c->n_ratings / (double)c->users_rated, 1) : "-");
	card(f, "most by one user", num_int(&n, c->user_max));
	card(f, "ratings per item (mean)",
	     c->items_rated ? num_fix(&n, (double)c->n_ratings / (double)c->items_rated, 1) : "-");
	card(f, "most of one item", num_int(&n, c->item_max));
	fputs("</dl>\n", f);
}

/* Columns of extract.stats.csv after the fixed ones count bad records. */
static const char *const extract_fixed[] = {"file",  "kind",    "bytes_in", "bytes_text", "lines",
					    "records", "kept", "users",    "items"};

static int is_fixed(const char *name)
{
	for (size_t i = 0; i < sizeof extract_fixed / sizeof extract_fixed[0]; i++)
		if (!strcmp(name, extract_fixed[i]))
			return 1;
	return 0;
}

static void num_cell(FILE *f, const struct csvtab *t, size_t row, const char *col, int bytes)
{
	double v;
	struct num n;
	if (!csvtab_num(t, row, csvtab_col(t, col), &v))
		pg_td_num(f, "-");
	else
		pg_td_num(f, bytes ? num_bytes(&n, (uint64_t)v) : num_fix(&n, v, 0));
}

static void sources(FILE *f, const struct report *r)
{
	const struct csvtab *t = &r->in.extract;
	fputs("<h3>Source files</h3>\n", f);
	if (!REP_HAVE(*t)) {
		pg_missing(f, "extract.stats.csv", "goodlens-extract");
		return;
	}
	fputs("<table>\n<tr><th>file</th><th>kind</th><th class=\"num\">size</th>"
	      "<th class=\"num\">lines</th><th class=\"num\">records</th><th class=\"num\">kept</th>"
	      "<th>skipped records</th></tr>\n",
	      f);
	for (size_t row = 0; row < t->nrow; row++) {
		fputs("<tr>", f);
		pg_td(f, csvtab_get(t, row, csvtab_col(t, "file")), 60);
		pg_td(f, csvtab_get(t, row, csvtab_col(t, "kind")), 30);
		num_cell(f, t, row, "bytes_in", 1);
		num_cell(f, t, row, "lines", 0);
		num_cell(f, t, row, "records", 0);
		num_cell(f, t, row, "kept", 0);
		fputs("<td>", f);
		int any = 0;
		for (size_t c = 0; c < t->ncol; c++) {
			double v;
			struct num n;
			if (is_fixed(t->head[c]) || !csvtab_num(t, row, (int)c, &v) || v == 0)
				continue;
			fputs(any ? ", " : "", f);
			html_text(f, t->head[c]);
			fprintf(f, " %s", num_fix(&n, v, 0));
			any = 1;
		}
		fputs(any ? "</td></tr>\n" : "none</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void funnel(FILE *f, const struct report *r)
{
	const struct funnel *fu = &r->fu;
	const char **cat = calloc(fu->n ? fu->n : 1, sizeof *cat);
	char (*names)[96] = calloc(fu->n ? fu->n : 1, sizeof *names);
	double *v = calloc(fu->n ? fu->n : 1, sizeof *v);
	struct num a, b, c;
	fputs("<h3>The funnel: what every step kept</h3>\n", f);
	if (!REP_HAVE(r->in.extract) && !REP_HAVE(r->in.filter))
		fputs("<p class=\"missing\">Neither <code>extract.stats.csv</code> nor "
		      "<code>filter.stats.csv</code> is in the input folder: the funnel shows "
		      "only the ratings file.</p>\n",
		      f);
	if (cat && names && v && fu->n) {
		for (size_t i = 0; i < fu->n; i++) {
			snprintf(names[i], sizeof names[i], "%s: %s", fu->r[i].stage, fu->r[i].step);
			cat[i] = names[i];
			v[i] = fu->r[i].rows;
		}
		struct svg_hbars h = {"Ratings after each step", "ratings (rows)", cat, v, fu->n};
		fputs("<figure>\n", f);
		svg_hbar_chart(f, &h);
		fputs("<figcaption>Ratings left after each extract and filter step. The join "
		      "attaches titles to the item table and drops no rating, so it has no "
		      "bar.</figcaption>\n</figure>\n",
		      f);
	}
	fputs("<table>\n<tr><th>stage</th><th>step</th><th class=\"num\">ratings</th>"
	      "<th class=\"num\">users</th><th class=\"num\">items</th></tr>\n",
	      f);
	for (size_t i = 0; i < fu->n; i++) {
		fputs("<tr>", f);
		pg_td(f, fu->r[i].stage, 0);
		pg_td(f, fu->r[i].step, 0);
		pg_td_num(f, num_fix(&a, fu->r[i].rows, 0));
		pg_td_num(f, num_fix(&b, fu->r[i].users, 0));
		pg_td_num(f, num_fix(&c, fu->r[i].items, 0));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	free(cat);
	free(names);
	free(v);
}

static int gcd(int a, int b) { return b ? gcd(b, a % b) : a; }

static void histogram(FILE *f, const struct report *r)
{
	const struct census *c = &r->c;
	const char *cat[256];
	char names[256][16];
	double v[256], part[256];
	size_t n = 0;
	int lo = 256, hi = -1;
	for (int b = 0; b < 256; b++)
		if (c->hist[b]) {
			lo = lo < b ? lo : b;
			hi = b;
		}
	/* every value of the data's own step from the lowest to the highest,
	 * so a missing value shows as a gap: whole stars stored at scale 0.5
	 * step by 2 */
	int step = 0;
	for (int b = lo; b <= hi; b++)
		if (c->hist[b])
			step = gcd(step, b - lo);
	if (step < 1)
		step = 1;
	for (int b = lo; b <= hi; b += step) {
		snprintf(names[n], sizeof names[n], "%g", b * (double)c->scale);
		cat[n] = names[n];
		v[n] = (double)c->hist[b];
		part[n] = (double)c->hist_valid[b];
		n++;
	}
	fputs("<h3>Ratings by value</h3>\n", f);
	if (!n) {
		fputs("<p class=\"missing\">The ratings file holds no ratings.</p>\n", f);
		return;
	}
	struct svg_bars bars = {"Ratings by value", "rating", "ratings", cat, v,
				c->n_valid ? part : NULL, "validation", "training", n};
	fputs("<figure>\n", f);
	svg_bar_chart(f, &bars);
	fputs("<figcaption>How often each rating value occurs; the darker part of each bar "
	      "is the validation set. <a href=\"ratings_hist.csv\">ratings_hist.csv</a> has the "
	      "counts.</figcaption>\n</figure>\n",
	      f);
}

/* The --note lines: what the pipeline could not read, and what that
 * changes. */
static void notes(FILE *f, const struct report *r)
{
	if (!r->o->n_notes)
		return;
	fputs("<p>Not read:</p>\n<ul class=\"notes\">\n", f);
	for (size_t i = 0; i < r->o->n_notes; i++) {
		fputs("<li>", f);
		html_text(f, r->o->notes[i]);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

void page_dataset(FILE *f, const struct report *r)
{
	pg_section(f, "dataset", "The dataset");
	cards(f, r);
	sources(f, r);
	notes(f, r);
	funnel(f, r);
	histogram(f, r);
	pg_end_section(f);
}

/* Items of items.csv without a title, and a few of their keys. */
static void untitled(FILE *f, const struct report *r)
{
	uint64_t none = 0;
	uint32_t ex[10];
	size_t nex = 0;
	struct num a, b;
	if (!r->in.items.has_title) {
		fputs("<p><code>items.csv</code> has no <code>title</code> column: items are shown "
		      "by their key.</p>\n",
		      f);
		return;
	}
	for (uint64_t i = 0; i < r->c.n_items; i++)
		if (!rep_item_title(&r->in, i)) {
			if (nex < 10)
				ex[nex++] = (uint32_t)i;
			none++;
		}
	fprintf(f, "<p>Items in the final item table without a title: %s of %s.", num_int(&a, none),
		num_int(&b, r->c.n_items));
	if (nex) {
		fputs(" For example ", f);
		for (size_t j = 0; j < nex; j++) {
			fputs(j ? ", <code>" : "<code>", f);
			html_text(f, r->in.items.key_name);
			fputc(' ', f);
			html_text(f, rep_item_key(&r->in, ex[j]));
			fputs("</code>", f);
		}
		fputc('.', f);
	}
	fputs("</p>\n", f);
}

void page_join(FILE *f, const struct report *r)
{
	const struct csvtab *t = &r->in.join;
	pg_section(f, "join", "The join: titles onto ids");
	if (!REP_HAVE(*t)) {
		pg_missing(f, "join.stats.csv", "goodlens-join");
	} else {
		fputs("<table>\n<tr><th>side</th><th>file</th><th class=\"num\">rows</th>"
		      "<th class=\"num\">keys</th><th class=\"num\">matched</th>"
		      "<th class=\"num\">unmatched keys</th><th class=\"num\">unmatched rows</th>"
		      "<th>examples of unmatched keys</th></tr>\n",
		      f);
		for (size_t row = 0; row < t->nrow; row++) {
			double keys, matched;
			struct num n;
			fputs("<tr>", f);
			pg_td(f, csvtab_get(t, row, csvtab_col(t, "side")), 20);
			pg_td(f, csvtab_get(t, row, csvtab_col(t, "file")), 60);
			num_cell(f, t, row, "rows", 0);
			num_cell(f, t, row, "keys", 0);
			if (csvtab_num(t, row, csvtab_col(t, "keys"), &keys) &&
			    csvtab_num(t, row, csvtab_col(t, "matched_keys"), &matched) && keys > 0) {
				struct num m;
				char both[160];
				snprintf(both, sizeof both, "%s (%s)", num_fix(&m, matched, 0),
					 num_pct(&n, matched / keys, 1));
				pg_td_num(f, both);
			} else {
				num_cell(f, t, row, "matched_keys", 0);
			}
			num_cell(f, t, row, "unmatched_keys", 0);
			num_cell(f, t, row, "unmatched_rows", 0);
			/* examples are |-separated keys: one <code> each */
			const char *ex = csvtab_get(t, row, csvtab_col(t, "examples"));
			fputs("<td>", f);
			if (!*ex)
				fputs("none", f);
			for (const char *p = ex; *p;) {
				size_t len = strcspn(p, "|");
				fputs(p == ex ? "<code>" : " <code>", f);
				html_textn(f, p, len);
				fputs("</code>", f);
				p += len + (p[len] == '|');
			}
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n<p>The left side is the item table from the ratings, the right "
		      "side the metadata with titles; an unmatched left key is an item that gets "
		      "no title.</p>\n",
		      f);
	}
	untitled(f, r);
	pg_end_section(f);
}
