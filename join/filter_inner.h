/* filter_inner.h - the ratings' inner join with the user and item tables
 * (`goodlens-filter --inner`).
 *
 * A rating stays when its raw item has a row in the item table and, when a
 * user table is given, its raw user a row in that one: the rows of SQL's
 * `ratings JOIN items USING (item) [JOIN users USING (user)]` when each
 * table holds one row per id.  A table that repeats an id does not repeat
 * the rating (SQL would; strictly this is a semi join), which keeps
 * ratings.glr one rating per pair.  Only the tables' id columns are read
 * (dimid.h); memory is one bit per raw id.
 *
 * It runs first among the filter's steps, on the raw ids (before editions
 * become works), so every later step and the k-core see the joined ratings.
 */
#ifndef GL_INNER_H
#define GL_INNER_H

#include "fstate.h"

/* Drop the kept ratings whose user has no row in users (NULL: no user
 * table) or whose item has none in items (NULL: no item table).  The
 * dropped counts are logged at info level.  0 or a gl_err (a table that
 * cannot be read or holds an id out of range; logged). */
int inner_run(struct fstate *s, const char *users, const char *items);

#endif
