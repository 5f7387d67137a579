/* csvtab.h - a small CSV file held whole in memory, read by column name.
 *
 * For the pipeline's stats and metrics files (a few to a few thousand rows):
 * the report looks columns up by their header name, so a producer may add
 * columns or reorder them without breaking it.  Every cell is kept as text;
 * csvtab_num() parses on demand.  Rows shorter than the header read as
 * empty cells; longer rows are an error naming the file and line.
 */
#ifndef GL_REPORT_CSVTAB_H
#define GL_REPORT_CSVTAB_H

#include <stddef.h>

struct csvtab {
	char *path;      /* as opened, owned */
	size_t ncol;     /* header fields */
	size_t nrow;     /* data rows */
	char **head;     /* ncol names */
	char **cell;     /* nrow * ncol, row-major; never NULL ("" when absent) */
	size_t cap;      /* rows allocated */
};

/* Read path whole (header plus at most max_rows rows; 0 = no limit) into t.
 * 0, GL_EIO (cannot open or read), GL_EFORMAT (empty file, a row with more
 * fields than the header, more rows than max_rows) or GL_ENOMEM; every
 * error is logged with the file and line.  On failure t needs no free. */
int csvtab_load(struct csvtab *t, const char *path, size_t max_rows);

/* Index of the column named name, or -1. */
int csvtab_col(const struct csvtab *t, const char *name);

/* Cell text at row r, column c; "" when c is -1. */
const char *csvtab_get(const struct csvtab *t, size_t r, int c);

/* The cell as a number: 1 and *v when it parses wholly as a finite
 * number, 0 when it is empty, not a number, or c is -1. */
int csvtab_num(const struct csvtab *t, size_t r, int c, double *v);

void csvtab_free(struct csvtab *t);

#endif
