/* page_parts.h - the pieces the sections of report.html share: section
 * frames, table cells, item labels.  Every string from data goes through
 * html_text().
 */
#ifndef GL_REPORT_PAGE_PARTS_H
#define GL_REPORT_PAGE_PARTS_H

#include "report.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* <section id="id"><h2>heading</h2> (both ours, not data). */
void pg_section(FILE *f, const char *id, const char *heading);
void pg_end_section(FILE *f);

/* A paragraph saying file is absent from the input folder, so the section
 * has nothing to show; writer is the stage that makes it. */
void pg_missing(FILE *f, const char *file, const char *writer);

/* <td> holding s escaped and cut to max characters (0 = whole); a cut
 * cell carries the whole text in its title attribute. */
void pg_td(FILE *f, const char *s, size_t max);
/* <td class="num"> holding a formatted number. */
void pg_td_num(FILE *f, const char *formatted);

/* The label of item i (title, else key) into a cell, cut to max. */
void pg_td_item(FILE *f, const struct report *r, uint32_t i, size_t max);

/* The label of item i escaped and cut, for lists and captions. */
void pg_item(FILE *f, const struct report *r, uint32_t i, size_t max);

/* The rating records goodlens-extract read (extract.stats.csv, the
 * funnel's first row), or -1 when unknown. */
double pg_records_read(const struct report *r);

/* The longest title shown in a table cell, in characters. */
#define PG_CELL_CHARS 90

#endif
