/* sample_grmeta.h - the Goodreads metadata of goodlens-sample: what a work's
 * books repeat (titles, series, dates, counts), shared by the goodreads and
 * goodbooks writers, and the books, works and authors files.
 */
#ifndef GL_SAMPLE_GRMETA_H
#define GL_SAMPLE_GRMETA_H

#include "sample_write.h"

#include <stdint.h>

/* Everything about a work that its books repeat. */
struct sample_work {
	uint64_t hist[16];                       /* metadata rating histogram */
	uint64_t ratings, sum, text_reviews, reviews;
	char title[SAMPLE_TITLE_MAX];            /* without series */
	char full[2 * SAMPLE_TITLE_MAX + 16];    /* with "(Series, #n)" */
	char series[SAMPLE_TITLE_MAX];
	int series_no;
	uint32_t series_id;
	int year, month, day;
	uint32_t author2;                        /* SAMPLE_NONE if none */
	const char *role2;
};
void sample_work_info(const struct sample_ctx *c, uint32_t w, struct sample_work *g);

/* The Goodreads books, works and authors files: the meta() of the
 * goodreads writers.  0 or an error (logged). */
int sample_goodreads_meta(struct sample_ctx *c);

#endif
