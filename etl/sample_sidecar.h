/* sample_sidecar.h - what goodlens-sample's lines leave behind: the counts
 * of struct sample_stats (kept as each line is written, read by the
 * metadata writers) and the two sidecar files, planted_items.csv and
 * planted.txt (docs/SAMPLE.md).
 */
#ifndef GL_SAMPLE_SIDECAR_H
#define GL_SAMPLE_SIDECAR_H

#include "sample_write.h"

/* Zeroed counters sized for c's catalogue and users.  0 or GL_ENOMEM. */
int sample_stats_init(struct sample_ctx *c);
/* Release the counters; s is zeroed. */
void sample_stats_free(struct sample_stats *s);
/* Count one written line (and its floor terms, if it is a rating). */
void sample_stats_add(struct sample_ctx *c, const struct sample_event *e);
/* planted_items.csv, then planted.txt: its presence marks a complete
 * folder.  0 or an error (logged). */
int sample_sidecar_write(struct sample_ctx *c);

#endif
