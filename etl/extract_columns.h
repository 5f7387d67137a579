/* extract_columns.h - how goodlens-extract reads a ratings file of any
 * layout (--source csv): which columns hold the user, the item, the
 * rating and the time, whether there is a header, the delimiter and the
 * rating scale.
 *
 * --columns "user=COL,item=COL,rating=COL[,time=COL]", in any order: COL is
 * a header name, or with --no-header a 1-based column number.  The key
 * columns of users.raw.csv and items.raw.csv take the names of the user and
 * item columns (so the join finds the item column of the user's own items
 * table under the same name), except that "user" and "item" become
 * "user_id" and "item_id" (the dense id columns are called user and item);
 * with --no-header they are user_id and item_id.
 */
#ifndef GL_EXTRACT_COLUMNS_H
#define GL_EXTRACT_COLUMNS_H

#include "extract_value.h"

#include <stddef.h>

enum { XC_USER, XC_ITEM, XC_RATING, XC_TIME, XC_N };

struct xcols {
	const char *name[XC_N]; /* header names, or the numbers as given; NULL = absent */
	unsigned pos[XC_N];     /* --no-header: 1-based column numbers */
	int given;              /* --columns was given */
	int no_header;          /* --no-header */
	int delim;              /* DELIM_* from --delimiter, DELIM_NONE to detect */
	int scale_given;        /* --scale was given */
	struct rscale scale;    /* the default unless --scale */
};

/* The role names, "user", "item", "rating", "time". */
const char *xcols_role(int role);

/* Parse a --columns value into c (names point into spec, which the call
 * modifies).  0 or GL_EUSAGE (logged: an unknown or repeated role, an
 * empty name, user, item or rating missing, one column in two roles). */
int xcols_parse(struct xcols *c, char *spec);

/* With --no-header: every COL must be a column number 1..4096; fills pos.
 * 0 or GL_EUSAGE (logged). */
int xcols_positions(struct xcols *c);

/* The key column name of users.raw.csv (role XC_USER) or items.raw.csv
 * (XC_ITEM) into out. */
void xcols_key_name(const struct xcols *c, int role, char *out, size_t cap);

#endif
