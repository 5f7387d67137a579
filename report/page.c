#include "page.h"

#include "cli.h"
#include "html.h"
#include "page_data.h"
#include "page_factors.h"
#include "page_parts.h"
#include "page_train.h"

/* Inline, so the page needs nothing but itself; the print rules drop the
 * navigation and keep figures and table rows whole across pages.  Table
 * cells wrap at spaces and break a word only where it would overflow by
 * itself (break-word, not anywhere: with anywhere a table squeezes its
 * columns and splits "right" and file names mid-word); a table wider than
 * the page scrolls inside its section. */
static const char css[] =
	":root{--ink:#1d232b;--muted:#5c6670;--rule:#d5dae0;--band:#f4f6f9;--accent:#1f5fa8}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0 auto;max-width:1120px;padding:0 24px 48px;color:var(--ink);"
	"font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif}\n"
	"header{border-bottom:2px solid var(--ink);padding:24px 0 8px}\n"
	"h1{font-size:28px;margin:0 0 4px}h2{font-size:22px;margin:40px 0 8px;"
	"border-bottom:1px solid var(--rule);padding-bottom:4px}h3{font-size:17px;margin:24px 0 6px}\n"
	".sub{color:var(--muted);margin:0}\n"
	"nav{margin:10px 0 0;font-size:14px}nav a{margin-right:14px;color:var(--accent);"
	"text-decoration:none}\n"
	"p{max-width:80ch}.missing{color:var(--muted);font-style:italic}\n"
	"table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}\n"
	"th,td{padding:3px 10px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}\n"
	"th{background:var(--band);font-weight:600}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tr.best td{font-weight:600}\n"
	"code{font-size:13px;background:var(--band);padding:0 3px;border-radius:3px;"
	"overflow-wrap:break-word}\n"
	"td{overflow-wrap:break-word}section{overflow-x:auto}\n"
	".warn{border-left:4px solid #c77700;background:#fff6e5;padding:6px 12px}\n"
	".cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0;padding:0}\n"
	".cards div{background:var(--band);padding:8px 14px;border-radius:6px;min-width:150px}\n"
	".cards dt{font-size:13px;color:var(--muted)}.cards dd{margin:0;font-size:20px;"
	"font-weight:600;font-variant-numeric:tabular-nums}\n"
	".two{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 28px}\n"
	"figure{margin:12px 0 20px}figcaption{color:var(--muted);font-size:14px;max-width:80ch}\n"
	"svg.chart{max-width:100%;height:auto;display:block}\n"
	"ol.nb{margin:0;padding-left:22px}.two table{width:100%}\n"
	"footer{margin-top:48px;border-top:1px solid var(--rule);color:var(--muted);font-size:13px}\n"
	"@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}"
	"h2{break-after:avoid}figure,tr,.cards div{break-inside:avoid}section{overflow:visible}"
	"a{color:inherit;text-decoration:none}th{background:#eee}}\n"
	"@page{margin:1.5cm}\n";

/* The heading names the data (--title) and what was measured in it, never
 * what a recipe says the published dataset holds: a recipe run on part of
 * a dump is titled by that part.  The description (--about) is the line
 * under it, saying where the data comes from. */
static void head(FILE *f, const struct report *r)
{
	struct num a, b, c;
	double read = pg_records_read(r);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"goodlens-report " GOODLENS_VERSION "\">\n"
	      "<title>goodlens report: ",
	      f);
	html_text(f, r->title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
	html_text(f, r->title);
	fprintf(f, ": %s ratings by %s users of %s items</h1>\n<p class=\"sub\">",
		num_int(&a, r->c.n_ratings), num_int(&b, r->c.n_users), num_int(&c, r->c.n_items));
	if (read >= 0)
		fprintf(f, "From %s records read in the raw files (the funnel below shows what "
			   "each step kept) &middot; ",
			num_fix(&a, read, 0));
	fputs("goodlens-report " GOODLENS_VERSION "</p>\n", f);
	if (r->o->about) {
		fputs("<p class=\"sub\">Source: ", f);
		html_text(f, r->o->about);
		fputs("</p>\n", f);
	}
	fputs("<nav><a href=\"#dataset\">Dataset</a><a href=\"#join\">Join</a>"
	      "<a href=\"#training\">Training</a><a href=\"#biases\">Biases</a>"
	      "<a href=\"#pca\">PCA map</a><a href=\"#similar\">Similar items</a>"
	      "<a href=\"#recommendations\">Recommendations</a><a href=\"#crosstab\">Crosstab</a>"
	      "</nav>\n</header>\n<main>\n",
	      f);
}

static void foot(FILE *f, const struct report *r)
{
	static const char *const files[] = {"funnel.csv", "ratings_hist.csv", "metrics.csv",
					    "biases.csv", "pca.csv", "similar.csv",
					    "crosstab.csv", "recommendations.csv"};
	fputs("</main>\n<footer>\n<p>Tables beside this page:", f);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (i == 2 && !REP_HAVE(r->in.metrics))
			continue;
		fprintf(f, " <a href=\"%s\">%s</a>", files[i], files[i]);
	}
	fputs(". Input folder: <code>", f);
	html_text(f, r->in.dir);
	fputs("</code>.</p>\n</footer>\n</body>\n</html>\n", f);
}

int page_write(const struct report *r, FILE *f)
{
	head(f, r);
	page_dataset(f, r);
	page_join(f, r);
	page_training(f, r);
	page_biases(f, r);
	page_pca(f, r);
	page_similar(f, r);
	page_recs(f, r);
	page_crosstab(f, r);
	foot(f, r);
	return 0;
}
