/* kcore.h - the iterative k-core: every user keeps at least min_user
 * ratings and every item at least min_item, or goes.
 *
 * Each pass reads every kept rating once (users with none are skipped
 * whole) and drops those whose user or item count is below its minimum.
 * The users are cut into chunks (fstate_each), on s->threads threads: a
 * worker sees its users' counts as they fall and the item counts from
 * before the pass less its own drops (on one thread, the counts as they
 * are; with more, never below the true counts, so it drops nothing the
 * core keeps).  Passes repeat while a kept user or item is below its
 * minimum once the pass's drops are counted, so the pass that would drop
 * nothing is never made.  The result does not depend on the order or the
 * threads: it is the largest subset in which every count meets its
 * minimum.
 */
#ifndef GL_KCORE_H
#define GL_KCORE_H

#include "fstate.h"

/* Run to the fixed point; *passes (may be NULL) receives the number of
 * passes made.  0, or GL_ENOMEM (logged). */
int kcore_run(struct fstate *s, uint32_t min_user, uint32_t min_item, uint32_t *passes);

#endif
