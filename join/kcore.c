#include "kcore.h"

struct mins {
	uint32_t user, item;
};

/* One pass over a chunk of users: its worker sees the item counts from
 * before the pass less its own drops, never fewer than the true counts (the
 * other workers' drops this pass are not taken off yet), so whatever it
 * drops is outside the core too. */
static void pass_part(struct fpart *p)
{
	const struct mins *m = p->arg;
	struct fstate *s = p->s;
	const struct glr *g = s->g;
	for (uint64_t u = p->u0; u < p->u1; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			if (!fstate_kept(s, k))
				continue;
			if (s->ucount[u] >= m->user && fpart_icount(p, fstate_item(s, k)) >= m->item)
				continue;
			fpart_drop(p, (uint32_t)u, k);
		}
	}
}

/* 1 when a kept user or item has fewer ratings than its minimum. */
static int breach(const struct fstate *s, const struct mins *m)
{
	unsigned bad = 0;
	for (uint64_t u = 0; u < s->g->n_users; u++)
		bad |= s->ucount[u] && s->ucount[u] < m->user;
	for (uint64_t i = 0; i < s->n_items; i++)
		bad |= s->icount[i] && s->icount[i] < m->item;
	return bad != 0;
}

int kcore_run(struct fstate *s, uint32_t min_user, uint32_t min_item, uint32_t *passes)
{
	struct mins m = {min_user, min_item};
	uint32_t n = 0;
	int err = 0;
	do {
		n++;
		err = fstate_each(s, pass_part, &m);
	} while (!err && breach(s, &m));
	if (passes)
		*passes = n;
	return err;
}
