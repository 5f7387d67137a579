/* svg.h - charts as inline SVG: no script, no fonts, no network.
 *
 * Every chart is one <svg> element with a viewBox, so it scales to the page
 * and prints.  Axes carry titles and "nice" tick values (1, 2, 5 x 10^k)
 * formatted for people; every string from data goes through html_text().
 * Labels that would collide are dropped rather than drawn over each other:
 * svg_scatter places them greedily in the caller's priority order.
 *
 * Functions write to f and return nothing but what they placed: write
 * errors surface when the caller commits the file (outfile.h).
 */
#ifndef GL_REPORT_SVG_H
#define GL_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

/* One line of a line chart: n points (x[i], y[i]); NaN y leaves a gap. */
struct svg_series {
	const char *name;
	const double *x, *y;
	size_t n;
};

struct svg_line {
	const char *title;         /* read by screen readers (<title>) */
	const char *x_title, *y_title;
	const struct svg_series *s;
	size_t n_series;           /* at most 6 (the palette) */
	int x_integer;             /* ticks only at whole numbers (epochs) */
};
void svg_line_chart(FILE *f, const struct svg_line *c);

/* Vertical bars: one per category, in order. */
struct svg_bars {
	const char *title;
	const char *x_title, *y_title;
	const char *const *cat;    /* n category labels */
	const double *v;           /* n values >= 0 */
	const double *part;        /* optional: a part of each bar drawn darker */
	const char *part_name;     /* legend of part, and rest_name of the rest */
	const char *rest_name;
	size_t n;
};
void svg_bar_chart(FILE *f, const struct svg_bars *c);

/* Horizontal bars with the value printed beside each (the funnel). */
struct svg_hbars {
	const char *title;
	const char *x_title;
	const char *const *cat;
	const double *v;           /* NaN: no bar, "-" printed */
	size_t n;
};
void svg_hbar_chart(FILE *f, const struct svg_hbars *c);

/* A scatter of n points; label[i] (NULL = none) is tried in index order,
 * so put the most important points first.  Returns the number of labels
 * drawn; the rest would have overlapped one already placed. */
struct svg_scatter {
	const char *title;
	const char *x_title, *y_title;
	const double *x, *y;
	const char *const *label;  /* n entries, may be NULL */
	const char *const *hover;  /* n tooltips (<title>), may be NULL */
	size_t n;
	size_t max_label_chars;    /* longer labels are cut with an ellipsis */
};
size_t svg_scatter(FILE *f, const struct svg_scatter *c);

/* A shaded grid: rows x cols cells, v[r * cols + c], NaN = empty; darker
 * for higher values between lo and hi; the value is printed in the cell. */
struct svg_grid {
	const char *title;
	const char *row_title, *col_title;
	const char *const *row;
	const char *const *col;
	size_t rows, cols;
	const double *v;
	double lo, hi;
	int decimals;              /* digits after the point in the cells */
};
void svg_grid(FILE *f, const struct svg_grid *c);

/* ---- exposed for tests ------------------------------------------------ */

/* Nice ticks covering [lo, hi]: writes up to max values into t and returns
 * how many; *step is their spacing.  lo < hi. */
size_t svg_ticks(double lo, double hi, size_t max, double *t, double *step);

/* Estimated width of text at font size fs in user units (generous, so an
 * estimate never undercuts the drawn text). */
double svg_text_width(const char *s, double fs);

/* Length in bytes of the prefix of s holding at most max characters, whole
 * UTF-8 sequences only; *cut is set when s is longer. */
size_t svg_cut(const char *s, size_t max, int *cut);

/* Axis-aligned boxes overlap (touching edges do not). */
struct svg_box {
	double x0, y0, x1, y1;
};
int svg_overlap(const struct svg_box *a, const struct svg_box *b);

#endif
