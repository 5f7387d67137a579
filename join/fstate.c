#include "fstate.h"

#include "err.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int fstate_init(struct fstate *s, const struct glr *g)
{
	memset(s, 0, sizeof *s);
	s->g = g;
	uint64_t nbytes = (g->n_ratings + 7) / 8;
	s->keep = malloc(nbytes ? nbytes : 1);
	s->ucount = calloc(g->n_users ? g->n_users : 1, sizeof *s->ucount);
	s->icount = calloc(g->n_items ? g->n_items : 1, sizeof *s->icount);
	if (!s->keep || !s->ucount || !s->icount) {
		fstate_free(s);
		log_error("out of memory for the filter's state");
		return GL_ENOMEM;
	}
	memset(s->keep, 0xff, nbytes);
	s->n_items = g->n_items;
	s->kept = g->n_ratings;
	for (uint64_t u = 0; u < g->n_users; u++)
		s->ucount[u] = (uint32_t)(g->rowptr[u + 1] - g->rowptr[u]);
	for (uint64_t k = 0; k < g->n_ratings; k++)
		s->icount[g->items[k]]++;
	return 0;
}

void fstate_free(struct fstate *s)
{
	free(s->keep);
	free(s->rating);
	free(s->imap);
	free(s->ucount);
	free(s->icount);
	memset(s, 0, sizeof *s);
}

int fstate_own_ratings(struct fstate *s)
{
	if (s->rating)
		return 0;
	s->rating = malloc(s->g->n_ratings ? s->g->n_ratings : 1);
	if (!s->rating) {
		log_error("out of memory for rewritten ratings");
		return GL_ENOMEM;
	}
	memcpy(s->rating, s->g->ratings, s->g->n_ratings);
	return 0;
}

void fstate_census(const struct fstate *s, uint64_t *users, uint64_t *items)
{
	uint64_t nu = 0, ni = 0;
	for (uint64_t u = 0; u < s->g->n_users; u++)
		nu += s->ucount[u] > 0;
	for (uint64_t i = 0; i < s->n_items; i++)
		ni += s->icount[i] > 0;
	*users = nu;
	*items = ni;
}

int fstate_set_imap(struct fstate *s, uint32_t *imap, uint64_t n_items)
{
	uint32_t *c = calloc(n_items ? n_items : 1, sizeof *c);
	if (!c) {
		free(imap);
		log_error("out of memory for the item map");
		return GL_ENOMEM;
	}
	free(s->imap);
	free(s->icount);
	s->imap = imap;
	s->icount = c;
	s->n_items = n_items;
	const struct glr *g = s->g;
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(s, k))
				c[imap[g->items[k]]]++;
	}
	return 0;
}
