/* page.h - report.html: one self-contained page (inline CSS and SVG, no
 * script, no external resource), readable on a laptop and printable.
 *
 * page_write() writes the frame (page.c) and calls one function per
 * section; the section writers live in page_data.c (dataset, join),
 * page_train.c (training, biases) and page_factors.c (PCA map, similar
 * items, recommendations, crosstab), each with its header, and build on
 * the pieces of page_parts.h.  Every string from data goes through
 * html_text().
 */
#ifndef GL_REPORT_PAGE_H
#define GL_REPORT_PAGE_H

#include "report.h"

#include <stdio.h>

/* Write the page to f.  Returns 0: nothing in it can fail but the writes,
 * and a failed write stays in f's error flag for the caller to find (as
 * with the CSV tables, outfile_flush reports it). */
int page_write(const struct report *r, FILE *f);

#endif
