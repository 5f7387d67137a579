/* page_parts.c - the pieces every section of report.html is built from
 * (page_parts.h). */
#include "page_parts.h"

#include "html.h"
#include "svg.h"

#include <math.h>
#include <string.h>

void pg_section(FILE *f, const char *id, const char *heading)
{
	fprintf(f, "<section id=\"%s\">\n<h2>%s</h2>\n", id, heading);
}

void pg_end_section(FILE *f) { fputs("</section>\n", f); }

void pg_missing(FILE *f, const char *file, const char *writer)
{
	fputs("<p class=\"missing\">The input folder has no <code>", f);
	html_text(f, file);
	fputs("</code> (", f);
	html_text(f, writer);
	fputs(" writes it), so there is nothing to show here.</p>\n", f);
}

static void cut_text(FILE *f, const char *s, size_t max)
{
	int cut = 0;
	size_t n = max ? svg_cut(s, max, &cut) : strlen(s);
	html_textn(f, s, n);
	if (cut)
		fputs("\xe2\x80\xa6", f);
}

void pg_td(FILE *f, const char *s, size_t max)
{
	int cut = 0;
	if (max)
		svg_cut(s, max, &cut);
	if (cut) {
		fputs("<td title=\"", f);
		html_text(f, s);
		fputs("\">", f);
	} else {
		fputs("<td>", f);
	}
	cut_text(f, s, max);
	fputs("</td>", f);
}

void pg_td_num(FILE *f, const char *formatted)
{
	fputs("<td class=\"num\">", f);
	html_text(f, formatted);
	fputs("</td>", f);
}

void pg_item(FILE *f, const struct report *r, uint32_t i, size_t max)
{
	const char *t = rep_item_title(&r->in, i), *k = rep_item_key(&r->in, i);
	if (t) {
		cut_text(f, t, max);
	} else if (*k) {
		html_text(f, r->in.items.key_name);
		fputc(' ', f);
		cut_text(f, k, max);
	} else {
		fprintf(f, "item %u", i);
	}
}

void pg_td_item(FILE *f, const struct report *r, uint32_t i, size_t max)
{
	const char *t = rep_item_title(&r->in, i);
	int cut = 0;
	if (t && max)
		svg_cut(t, max, &cut);
	if (cut) {
		fputs("<td title=\"", f);
		html_text(f, t);
		fputs("\">", f);
	} else {
		fputs("<td>", f);
	}
	pg_item(f, r, i, max);
	fputs("</td>", f);
}

double pg_records_read(const struct report *r)
{
	for (size_t i = 0; i < r->fu.n; i++)
		if (!strcmp(r->fu.r[i].stage, "extract") && !strcmp(r->fu.r[i].step, "read"))
			return isfinite(r->fu.r[i].rows) ? r->fu.r[i].rows : -1;
	return -1;
}
