/* join_stats.h - what a join counted (struct join_result, join_hash.h):
 * join.stats.csv's rows, and freeing the counts. */
#ifndef GL_JOIN_STATS_H
#define GL_JOIN_STATS_H

#include "join_hash.h"
#include "outfile.h"

void join_result_free(struct join_result *res);

/* Write res as join.stats.csv into of, opened on path and flushed (not yet
 * committed: join_run renames it with the table, so the two change
 * together).  0 or GL_EIO (logged; of then needs no abort). */
int join_write_stats(struct outfile *of, const char *path, const struct join_result *res);

#endif
