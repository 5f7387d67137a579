/* page_data.h - the dataset and join sections of report.html: what went
 * in and what survived.  Each writes its whole <section> to f.
 */
#ifndef GL_REPORT_PAGE_DATA_H
#define GL_REPORT_PAGE_DATA_H

#include "page_parts.h"

void page_dataset(FILE *f, const struct report *r);
void page_join(FILE *f, const struct report *r);

#endif
