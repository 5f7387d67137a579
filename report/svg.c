#include "svg.h"

#include "html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FONT "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif\""
#define FS 12.0     /* axis and label text, in user units */
#define INK "#222"
#define MUTED "#666"
#define RULE "#bbb"
#define FAINT "#e8e8e8"

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
				      "#8c564b"};

/* ---- text -------------------------------------------------------------- */

size_t svg_cut(const char *s, size_t max, int *cut)
{
	size_t i = 0, chars = 0;
	*cut = 0;
	while (s[i]) {
		if (chars == max) {
			*cut = 1;
			return i;
		}
		i++;
		while ((s[i] & 0xC0) == 0x80) /* continuation bytes stay with their lead */
			i++;
		chars++;
	}
	return i;
}

/* East Asian wide characters and emoji take about twice a Latin letter. */
static int wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFD);
}

double svg_text_width(const char *s, double fs)
{
	double w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = *p;
		int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
		if (extra)
			cp &= 0x3Fu >> extra;
		p++;
		for (; extra && (*p & 0xC0) == 0x80; extra--, p++)
			cp = (cp << 6) | (*p & 0x3F);
		/* advance widths of DejaVu Sans, the widest common fallback,
		 * rounded up: the estimate must not undercut the drawn text */
		if (wide(cp))
			w += 1.05;
		else if (cp == ' ' || cp == 'i' || cp == 'l' || cp == 'j' || cp == '.' ||
			 cp == ',' || cp == '\'' || cp == '|' || cp == '!' || cp == ':' || cp == ';')
			w += 0.36;
		else if ((cp >= 'A' && cp <= 'Z') || cp == 'm' || cp == 'w' || cp == '@' || cp == '%')
			w += 0.80;
		else
			w += 0.65;
	}
	return w * fs;
}

/* Write s, cut to max characters with an ellipsis (max 0: whole). */
static void text_cut(FILE *f, const char *s, size_t max)
{
	int cut = 0;
	size_t n = max ? svg_cut(s, max, &cut) : strlen(s);
	html_textn(f, s, n);
	if (cut)
		fputs("\xe2\x80\xa6", f);
}

/* The width of s as text_cut draws it. */
static double cut_width(const char *s, size_t max, double fs)
{
	char tmp[512];
	int cut = 0;
	size_t n = max ? svg_cut(s, max, &cut) : strlen(s);
	if (n >= sizeof tmp - 4)
		n = svg_cut(s, 120, &cut);
	memcpy(tmp, s, n);
	strcpy(tmp + n, cut ? "\xe2\x80\xa6" : "");
	return svg_text_width(tmp, fs);
}

static void text_at(FILE *f, double x, double y, const char *anchor, const char *extra,
		    const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
		extra ? " " : "", extra ? extra : "");
	html_text(f, s);
	fputs("</text>\n", f);
}

/* ---- frames and axes ----------------------------------------------------- */

int svg_overlap(const struct svg_box *a, const struct svg_box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static double nice_step(double rough)
{
	double p = pow(10, floor(log10(rough)));
	double m = rough / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

size_t svg_ticks(double lo, double hi, size_t max, double *t, double *step)
{
	if (max < 2)
		max = 2;
	double s = nice_step((hi - lo) / (double)(max - 1));
	double first = ceil(lo / s - 1e-9) * s;
	size_t n = 0;
	for (double v = first; v <= hi + s * 1e-9 && n < max; v = first + s * (double)n)
		t[n++] = fabs(v) < s * 1e-9 ? 0 : v;
	*step = s;
	return n;
}

/* Digits after the point that show ticks spaced step apart exactly. */
static int step_decimals(double step)
{
	int d = (int)ceil(-log10(step) - 1e-9);
	return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* A value range widened to nice bounds, for an axis. */
struct scale {
	double lo, hi;          /* data value at the two ends */
	double p0, p1;          /* pixel position of lo and hi */
	double t[16];
	size_t nt;
	int dec;
};

static void scale_fit(struct scale *s, double lo, double hi, double p0, double p1, int zero,
		      int integer)
{
	double step;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (zero && lo > 0)
		lo = 0;
	if (!(hi > lo)) {
		double pad = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
		lo -= pad;
		hi += pad;
	}
	s->nt = svg_ticks(lo, hi, 7, s->t, &step);
	if (integer && step < 1) {
		step = 1;
		s->nt = 0;
		for (double v = ceil(lo); v <= hi && s->nt < 16; v++)
			s->t[s->nt++] = v;
	}
	s->lo = floor(lo / step + 1e-9) * step;
	s->hi = ceil(hi / step - 1e-9) * step;
	if (!(s->hi > s->lo))
		s->hi = s->lo + step;
	/* re-tick on the widened range so the ends carry labels */
	if (!integer || step > 1)
		s->nt = svg_ticks(s->lo, s->hi, 8, s->t, &step);
	s->dec = integer ? 0 : step_decimals(step);
	s->p0 = p0;
	s->p1 = p1;
}

static double at(const struct scale *s, double v)
{
	return s->p0 + (v - s->lo) / (s->hi - s->lo) * (s->p1 - s->p0);
}

static void open_svg(FILE *f, double w, double h, const char *title)
{
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		"width=\"%.0f\" height=\"%.0f\" role=\"img\" class=\"chart\" %s "
		"font-size=\"%.0f\" fill=\"" INK "\">\n<title>",
		w, h, w, h, FONT, FS);
	html_text(f, title);
	fputs("</title>\n", f);
}

/* A box [x0,x1] x [y0,y1] with the x scale's ticks below and the y scale's
 * to the left, light grid lines, and the axis titles. */
static void axes(FILE *f, const struct scale *xs, const struct scale *ys, const char *x_title,
		 const char *y_title, int xgrid)
{
	double x0 = xs->p0, x1 = xs->p1, y0 = ys->p1, y1 = ys->p0;
	struct num n;
	for (size_t i = 0; i < ys->nt; i++) {
		double y = at(ys, ys->t[i]);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" FAINT "\"/>\n",
			x0, x1, y, y);
		text_at(f, x0 - 6, y + FS * 0.35, "end", "fill=\"" MUTED "\"",
			num_fix(&n, ys->t[i], ys->dec));
	}
	for (size_t i = 0; i < xs->nt; i++) {
		double x = at(xs, xs->t[i]);
		if (xgrid)
			fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" FAINT "\"/>\n",
				x, x, y0, y1);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" RULE "\"/>\n",
			x, x, y1, y1 + 4);
		text_at(f, x, y1 + 4 + FS, "middle", "fill=\"" MUTED "\"",
			num_fix(&n, xs->t[i], xs->dec));
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"" RULE "\"/>\n",
		x0, y0, x1 - x0, y1 - y0);
	text_at(f, (x0 + x1) / 2, y1 + 4 + FS * 2 + 8, "middle", "font-weight=\"600\"", x_title);
	fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\" "
		   "font-weight=\"600\">",
		x0 - 58, (y0 + y1) / 2);
	html_text(f, y_title);
	fputs("</text>\n", f);
}

/* A legend row at (x, y): a swatch and a name per entry. */
static void legend(FILE *f, double x, double y, const char *const *name, const char *const *color,
		   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>\n", x,
			y - 9, color[i]);
		text_at(f, x + 19, y, "start", NULL, name[i]);
		x += 19 + svg_text_width(name[i], FS) + 18;
	}
}

/* ---- line chart ---------------------------------------------------------- */

void svg_line_chart(FILE *f, const struct svg_line *c)
{
	const double W = 560, H = 320, L = 78, R = 16, T = 34, B = 54;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	size_t ns = c->n_series < 6 ? c->n_series : 6;
	for (size_t s = 0; s < ns; s++)
		for (size_t i = 0; i < c->s[s].n; i++) {
			double x = c->s[s].x[i], y = c->s[s].y[i];
			if (!isfinite(x) || !isfinite(y))
				continue;
			xlo = fmin(xlo, x);
			xhi = fmax(xhi, x);
			ylo = fmin(ylo, y);
			yhi = fmax(yhi, y);
		}
	struct scale xs, ys;
	scale_fit(&xs, xlo, xhi, L, W - R, 0, c->x_integer);
	scale_fit(&ys, ylo, yhi, H - B, T, 0, 0);
	open_svg(f, W, H, c->title);
	axes(f, &xs, &ys, c->x_title, c->y_title, 1);
	const char *names[6], *colors[6];
	for (size_t s = 0; s < ns; s++) {
		const struct svg_series *sr = &c->s[s];
		int pen = 0;
		names[s] = sr->name;
		colors[s] = palette[s];
		fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", palette[s]);
		for (size_t i = 0; i < sr->n; i++) {
			if (!isfinite(sr->x[i]) || !isfinite(sr->y[i])) {
				pen = 0;
				continue;
			}
			fprintf(f, "%c%.1f %.1f ", pen ? 'L' : 'M', at(&xs, sr->x[i]), at(&ys, sr->y[i]));
			pen = 1;
		}
		fputs("\"/>\n", f);
		/* dots mark the measured epochs; a one-epoch run is a dot, not nothing */
		for (size_t i = 0; i < sr->n; i++)
			if (isfinite(sr->x[i]) && isfinite(sr->y[i]))
				fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n",
					at(&xs, sr->x[i]), at(&ys, sr->y[i]), palette[s]);
	}
	legend(f, L, T - 12, names, colors, ns);
	fputs("</svg>\n", f);
}

/* ---- bar charts ---------------------------------------------------------- */

void svg_bar_chart(FILE *f, const struct svg_bars *c)
{
	const double W = 720, H = 320, L = 78, R = 20, T = 34, B = 54;
	double vmax = 0;
	for (size_t i = 0; i < c->n; i++)
		if (isfinite(c->v[i]))
			vmax = fmax(vmax, c->v[i]);
	struct scale ys, xs = {.lo = 0, .hi = 1, .p0 = L, .p1 = W - R};
	scale_fit(&ys, 0, vmax > 0 ? vmax : 1, H - B, T, 1, 0);
	open_svg(f, W, H, c->title);
	axes(f, &xs, &ys, c->x_title, c->y_title, 0);
	double slot = c->n ? (W - R - L) / (double)c->n : 1, bw = slot * 0.72;
	/* label every k-th category when they do not all fit */
	double widest = 1;
	for (size_t i = 0; i < c->n; i++)
		widest = fmax(widest, svg_text_width(c->cat[i], FS) + 6);
	size_t every = (size_t)ceil(widest / slot);
	if (every < 1)
		every = 1;
	struct num n;
	for (size_t i = 0; i < c->n; i++) {
		double v = isfinite(c->v[i]) ? c->v[i] : 0;
		double x = L + slot * (double)i + (slot - bw) / 2, y = at(&ys, v);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
			   "<title>",
			x, y, bw, at(&ys, 0) - y, c->part ? "#9ecae1" : palette[0]);
		html_text(f, c->cat[i]);
		fprintf(f, ": %s</title></rect>\n", num_fix(&n, v, v == floor(v) ? 0 : 3));
		if (c->part && isfinite(c->part[i]) && c->part[i] > 0) {
			double yp = at(&ys, c->part[i]);
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
				x, yp, bw, at(&ys, 0) - yp, palette[0]);
		}
		if (i % every == 0)
			text_at(f, x + bw / 2, H - B + 4 + FS, "middle", "fill=\"" MUTED "\"", c->cat[i]);
	}
	if (c->part) {
		const char *names[2] = {c->part_name, c->rest_name};
		const char *colors[2] = {palette[0], "#9ecae1"};
		legend(f, L, T - 12, names, colors, 2);
	}
	fputs("</svg>\n", f);
}

void svg_hbar_chart(FILE *f, const struct svg_hbars *c)
{
	const double W = 720, row = 26, T = 10, B = 50, R = 90;
	double label_w = 40, vmax = 0;
	for (size_t i = 0; i < c->n; i++) {
		label_w = fmax(label_w, cut_width(c->cat[i], 40, FS) + 10);
		if (isfinite(c->v[i]))
			vmax = fmax(vmax, c->v[i]);
	}
	if (label_w > 300)
		label_w = 300;
	double H = T + row * (double)c->n + B;
	struct scale xs, ys = {.lo = 0, .hi = 1, .p0 = H - B, .p1 = T};
	scale_fit(&xs, 0, vmax > 0 ? vmax : 1, label_w, W - R, 1, 0);
	open_svg(f, W, H, c->title);
	axes(f, &xs, &ys, c->x_title, "", 1);
	struct num n;
	for (size_t i = 0; i < c->n; i++) {
		double y = T + row * (double)i, cy = y + row / 2 + FS * 0.35;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", label_w - 6, cy);
		text_cut(f, c->cat[i], 40);
		fputs("</text>\n", f);
		if (!isfinite(c->v[i])) {
			text_at(f, label_w + 6, cy, "start", "fill=\"" MUTED "\"", "-");
			continue;
		}
		double x1 = at(&xs, c->v[i]);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
			label_w, y + 4, x1 - label_w, row - 8, palette[0]);
		text_at(f, x1 + 5, cy, "start", NULL, num_fix(&n, c->v[i], 0));
	}
	fputs("</svg>\n", f);
}

/* ---- scatter with labels ------------------------------------------------- */

#define MAX_PLACED 4096

struct placed {
	struct svg_box b[MAX_PLACED];
	size_t n;
};

static int free_at(const struct placed *p, const struct svg_box *b, const struct svg_box *area)
{
	if (b->x0 < area->x0 || b->x1 > area->x1 || b->y0 < area->y0 || b->y1 > area->y1)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (svg_overlap(&p->b[i], b))
			return 0;
	return 1;
}

static void add_box(struct placed *p, const struct svg_box *b)
{
	if (p->n < MAX_PLACED)
		p->b[p->n++] = *b;
}

/* Try the places around (px, py) in turn; 1 and the anchor if one is free. */
static int place_label(const struct placed *p, const struct svg_box *area, double px, double py,
		       double w, double fs, double *tx, double *ty, const char **anchor)
{
	const double gap = 5, asc = fs * 0.8, desc = fs * 0.25;
	/* right, left, above, below, then the four diagonals */
	const struct {
		double dx, dy;
		int align; /* 0 start, 1 end, 2 middle */
	} spot[] = {{gap, asc / 2 - desc / 2, 0}, {-gap, asc / 2 - desc / 2, 1},
		    {0, -gap - desc, 2},       {0, gap + asc, 2},
		    {gap, -gap, 0},            {-gap, -gap, 1},
		    {gap, gap + asc, 0},       {-gap, gap + asc, 1}};
	for (size_t k = 0; k < sizeof spot / sizeof spot[0]; k++) {
		double x = px + spot[k].dx, y = py + spot[k].dy;
		double x0 = spot[k].align == 0 ? x : spot[k].align == 1 ? x - w : x - w / 2;
		struct svg_box b = {x0 - 1, y - asc, x0 + w + 1, y + desc};
		if (free_at(p, &b, area)) {
			*tx = x;
			*ty = y;
			*anchor = spot[k].align == 0 ? "start" : spot[k].align == 1 ? "end" : "middle";
			return 1;
		}
	}
	return 0;
}

struct label_at {
	size_t i;
	double tx, ty;
	const char *anchor;
};

static void hover(FILE *f, const struct svg_scatter *c, size_t i)
{
	if (!c->hover || !c->hover[i])
		return;
	fputs("<title>", f);
	html_text(f, c->hover[i]);
	fputs("</title>", f);
}

/* Decide which labels go where: in index order, each label takes the first
 * free place around its point, or is dropped.  A point already under an
 * earlier label gets none (its label would point at a hidden dot). */
static size_t place_all(const struct svg_scatter *c, const struct scale *xs,
			const struct scale *ys, const struct svg_box *area, double fs, double dot,
			struct placed *pl, struct label_at *out)
{
	size_t drawn = 0;
	for (size_t i = 0; i < c->n && pl->n + 2 <= MAX_PLACED; i++) {
		if (!c->label[i] || !c->label[i][0] || !isfinite(c->x[i]) || !isfinite(c->y[i]))
			continue;
		double px = at(xs, c->x[i]), py = at(ys, c->y[i]);
		struct svg_box d = {px - dot, py - dot, px + dot, py + dot};
		double tx, ty, w = cut_width(c->label[i], c->max_label_chars, fs);
		const char *anchor;
		if (!free_at(pl, &d, area) || !place_label(pl, area, px, py, w, fs, &tx, &ty, &anchor))
			continue;
		double x0 = anchor[0] == 's' ? tx : anchor[0] == 'e' ? tx - w : tx - w / 2;
		struct svg_box b = {x0 - 1, ty - fs * 0.8, x0 + w + 1, ty + fs * 0.25};
		add_box(pl, &b);
		add_box(pl, &d);
		out[drawn++] = (struct label_at){i, tx, ty, anchor};
	}
	return drawn;
}

size_t svg_scatter(FILE *f, const struct svg_scatter *c)
{
	const double W = 960, H = 680, L = 78, R = 16, T = 16, B = 54, LFS = 11, DOT = 3;
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	for (size_t i = 0; i < c->n; i++) {
		if (!isfinite(c->x[i]) || !isfinite(c->y[i]))
			continue;
		xlo = fmin(xlo, c->x[i]);
		xhi = fmax(xhi, c->x[i]);
		ylo = fmin(ylo, c->y[i]);
		yhi = fmax(yhi, c->y[i]);
	}
	/* room for labels at the edges */
	double xpad = (xhi - xlo) * 0.04, ypad = (yhi - ylo) * 0.04;
	struct scale xs, ys;
	scale_fit(&xs, xlo - xpad, xhi + xpad, L, W - R, 0, 0);
	scale_fit(&ys, ylo - ypad, yhi + ypad, H - B, T, 0, 0);
	open_svg(f, W, H, c->title);
	axes(f, &xs, &ys, c->x_title, c->y_title, 1);
	if (xs.lo < 0 && xs.hi > 0)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" RULE "\" stroke-dasharray=\"3 3\"/>\n",
			at(&xs, 0), at(&xs, 0), ys.p1, ys.p0);
	if (ys.lo < 0 && ys.hi > 0)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" RULE "\" stroke-dasharray=\"3 3\"/>\n",
			xs.p0, xs.p1, at(&ys, 0), at(&ys, 0));
	const struct svg_box area = {L + 2, T + 2, W - R - 2, H - B - 2};
	struct placed *pl = calloc(1, sizeof *pl);
	struct label_at *lab = calloc(c->n ? c->n : 1, sizeof *lab);
	unsigned char *labelled = calloc(c->n ? c->n : 1, 1);
	size_t drawn = 0;
	/* without memory for the placement the chart still shows every point */
	if (pl && lab && labelled && c->label)
		drawn = place_all(c, &xs, &ys, &area, LFS, DOT, pl, lab);
	for (size_t k = 0; labelled && k < drawn; k++)
		labelled[lab[k].i] = 1;
	fputs("<g fill=\"#4f7fb8\" fill-opacity=\"0.45\">\n", f);
	for (size_t i = 0; i < c->n; i++) {
		if (!isfinite(c->x[i]) || !isfinite(c->y[i]) || (labelled && labelled[i]))
			continue;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\">", at(&xs, c->x[i]),
			at(&ys, c->y[i]), DOT - 0.5);
		hover(f, c, i);
		fputs("</circle>\n", f);
	}
	fputs("</g>\n<g fill=\"#17406d\">\n", f);
	for (size_t k = 0; k < drawn; k++) {
		size_t i = lab[k].i;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\">", at(&xs, c->x[i]),
			at(&ys, c->y[i]), DOT);
		hover(f, c, i);
		fputs("</circle>\n", f);
	}
	/* labels last, on top; the white halo keeps them legible over dots */
	fprintf(f, "</g>\n<g font-size=\"%.0f\" stroke=\"#fff\" stroke-width=\"3\" "
		   "stroke-linejoin=\"round\" paint-order=\"stroke\">\n",
		LFS);
	for (size_t k = 0; k < drawn; k++) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", lab[k].tx, lab[k].ty,
			lab[k].anchor);
		text_cut(f, c->label[lab[k].i], c->max_label_chars);
		fputs("</text>\n", f);
	}
	fputs("</g>\n</svg>\n", f);
	free(pl);
	free(lab);
	free(labelled);
	return drawn;
}

/* ---- shaded grid --------------------------------------------------------- */

/* From near white to dark blue as t goes 0 -> 1. */
static void shade(double t, char *out, size_t cap)
{
	static const double a[3] = {239, 245, 252}, b[3] = {8, 48, 107};
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	snprintf(out, cap, "#%02x%02x%02x", (int)lround(a[0] + (b[0] - a[0]) * t),
		 (int)lround(a[1] + (b[1] - a[1]) * t), (int)lround(a[2] + (b[2] - a[2]) * t));
}

void svg_grid(FILE *f, const struct svg_grid *c)
{
	const double CW = 34, CH = 22, CUT = 28, GAP = 8;
	double row_w = 40, col_h = 40;
	for (size_t r = 0; r < c->rows; r++)
		row_w = fmax(row_w, cut_width(c->row[r], CUT, FS) + GAP);
	for (size_t k = 0; k < c->cols; k++)
		col_h = fmax(col_h, cut_width(c->col[k], CUT, FS) * 0.71 + FS + GAP);
	double L = row_w + 24, T = col_h + 24;
	double W = L + CW * (double)c->cols + 170, H = T + CH * (double)c->rows + 40;
	open_svg(f, W, H, c->title);
	/* column labels run up and to the right at 45 degrees from each column */
	for (size_t k = 0; k < c->cols; k++) {
		double x = L + CW * ((double)k + 0.5) + 3, y = T - GAP;
		fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-45)\">", x, y);
		text_cut(f, c->col[k], CUT);
		fputs("</text>\n", f);
	}
	for (size_t r = 0; r < c->rows; r++) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", L - GAP,
			T + CH * ((double)r + 0.5) + FS * 0.35);
		text_cut(f, c->row[r], CUT);
		fputs("</text>\n", f);
	}
	struct num n;
	char col[16];
	for (size_t r = 0; r < c->rows; r++)
		for (size_t k = 0; k < c->cols; k++) {
			double v = c->v[r * c->cols + k], x = L + CW * (double)k, y = T + CH * (double)r;
			if (!isfinite(v)) {
				fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\" stroke=\"" FAINT "\"/>\n",
					x, y, CW, CH);
				continue;
			}
			double t = c->hi > c->lo ? (v - c->lo) / (c->hi - c->lo) : 1;
			shade(t, col, sizeof col);
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"%s\" stroke=\"#fff\"/>\n",
				x, y, CW, CH, col);
			text_at(f, x + CW / 2, y + CH / 2 + FS * 0.35, "middle",
				t > 0.55 ? "fill=\"#fff\"" : NULL, num_fix(&n, v, c->decimals));
		}
	/* axis titles: items over the columns, users over the row labels */
	text_at(f, L + CW * (double)c->cols / 2, 16, "middle", "font-weight=\"600\"", c->col_title);
	text_at(f, L - GAP, T - GAP, "end", "font-weight=\"600\"", c->row_title);
	double lx = L + CW * (double)c->cols + 24, ly = T;
	for (int s = 0; s <= 4; s++) {
		double v = c->lo + (c->hi - c->lo) * s / 4.0;
		shade(s / 4.0, col, sizeof col);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" fill=\"%s\"/>\n", lx,
			ly + 18 * s, col);
		text_at(f, lx + 24, ly + 18 * s + 11, "start", NULL, num_fix(&n, v, c->decimals));
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" fill=\"#fff\" stroke=\"" RULE "\"/>\n",
		lx, ly + 18 * 5 + 6);
	text_at(f, lx + 24, ly + 18 * 5 + 17, "start", NULL, "not rated");
	fputs("</svg>\n", f);
}
