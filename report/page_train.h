/* page_train.h - the training and biases sections of report.html: how the
 * model learned, and what its biases say.  Each writes its whole <section>
 * to f.
 */
#ifndef GL_REPORT_PAGE_TRAIN_H
#define GL_REPORT_PAGE_TRAIN_H

#include "page_parts.h"

void page_training(FILE *f, const struct report *r);
void page_biases(FILE *f, const struct report *r);

#endif
