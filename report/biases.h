/* biases.h - the item biases next to the mean ratings.
 *
 * The seed's question: does sorting items by learned bias give the same
 * order as sorting them by mean rating?  Both ranks are computed for every
 * item (1 = highest; ties broken by item id) together with Spearman's rank
 * correlation between them over the items that have ratings.
 */
#ifndef GL_REPORT_BIASES_H
#define GL_REPORT_BIASES_H

#include "census.h"
#include "inputs.h"

#include <stdint.h>
#include <stdio.h>

struct biases {
	uint64_t n;           /* items; 0 when the model has no item_bias */
	const float *bias;    /* the model's tensor, not owned */
	uint32_t *by_bias;    /* n ids, highest bias first */
	uint32_t *rank_bias;  /* per item, from 1 */
	uint32_t *rank_mean;  /* per item, from 1; 0 for an item without ratings */
	double spearman;      /* NaN with fewer than two rated items */
};

/* Rank in->model's item_bias [n_items x 1] and the census means.  A model
 * without that tensor (or none) leaves b->n = 0 and returns 0.  0 or
 * GL_ENOMEM (logged). */
int biases_build(struct biases *b, const struct rep_in *in, const struct census *c);

/* biases.csv: item,<key>,title,bias,n_ratings,mean_rating,rank_bias,
 * rank_mean, one row per item by rank_bias.  0 or a gl_err (logged). */
int biases_write(const struct biases *b, const struct rep_in *in, const struct census *c,
		 FILE *f);

void biases_free(struct biases *b);

#endif
