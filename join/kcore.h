/* kcore.h - the iterative k-core: every user keeps at least min_user
 * ratings and every item at least min_item, or goes.
 *
 * Each pass reads every kept rating once (users with none are skipped
 * whole) and drops those whose user or item count is below its minimum,
 * updating the counts at once so later ratings of the same pass see them.
 * A rating the pass keeps met both minimums when it was read; it can only
 * be in breach afterwards if a later drop pushed its user's or item's count
 * from at least the minimum to below it (and not to zero).  Passes repeat
 * while one does that, so the pass that would drop nothing is never made.
 * The result does not depend on the order: it is the largest subset in
 * which every count meets its minimum.
 *
 * With s->threads > 1 the users are cut into chunks (fstate_each), each
 * pass running on several at once: a worker sees the item counts from
 * before the pass less its own drops (never below the true counts, so it
 * drops nothing the core keeps), and passes repeat while a kept user or
 * item is below its minimum once the pass's drops are counted.  The same
 * set comes out, in as many passes or a few more.
 */
#ifndef GL_KCORE_H
#define GL_KCORE_H

#include "fstate.h"

/* Run to the fixed point; *passes (may be NULL) receives the number of
 * passes made.  0, or GL_ENOMEM on threads (logged). */
int kcore_run(struct fstate *s, uint32_t min_user, uint32_t min_item, uint32_t *passes);

#endif
