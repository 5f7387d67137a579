/* page_factors.h - the sections of report.html about what the item factors
 * mean: the PCA map, neighbours, recommendations, and the crosstab of the
 * densest corner of the data.  Each writes its whole <section> to f.
 */
#ifndef GL_REPORT_PAGE_FACTORS_H
#define GL_REPORT_PAGE_FACTORS_H

#include "page_parts.h"

void page_pca(FILE *f, const struct report *r);
void page_similar(FILE *f, const struct report *r);
void page_recs(FILE *f, const struct report *r);
void page_crosstab(FILE *f, const struct report *r);

#endif
