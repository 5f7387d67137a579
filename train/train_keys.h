/* train_keys.h - the source keys of a training run: users.csv and items.csv read
 * by dense id, the id columns of predictions.csv, and what model.glm
 * records of the source.  goodlens-train's normal path (trainer.c) and
 * --blend (train_blend.c) share it, so both write the same columns and the same
 * `source` section.
 */
#ifndef GL_TRAIN_KEYS_H
#define GL_TRAIN_KEYS_H

#include "data.h"
#include "glm.h"
#include "keytab.h"

#include <stdint.h>
#include <stdio.h>

/* Side 0 is the users, side 1 the items. */
struct keys {
	struct keytab tab[2]; /* users.csv, items.csv: source keys by dense id */
	int have[2];          /* whether tab[side] was loaded */
};

/* Load users.csv and items.csv for the ratings of d: users and items when
 * not NULL, else the files of those names beside d->path.  A table absent
 * from both is left out, said once on stderr (predictions.csv then has that
 * side's dense ids only, model.glm no keys for it).  A table that is not
 * d's ratings file's (an id out of range, a row missing, counts that
 * differ) is an error.  0 or a gl_err (logged); on error k is freed. */
int keys_load(struct keys *k, const struct tdata *d, const char *users, const char *items);

void keys_free(struct keys *k);

/* predictions.csv's header: user,[<user key>,]item,[<item key>,]rating,
 * prediction (the key columns named as in the tables' headers). */
void keys_predictions_header(FILE *f, const struct keys *k);

/* One row under that header. */
void keys_prediction_row(FILE *f, const struct keys *k, uint64_t user, uint64_t item,
			 float rating, float prediction);

/* Fill g's `source` section (lib/glm.h): d's rating scale and the loaded
 * tables' key fingerprints, which goodlens-recommend and goodlens-report
 * check their inputs against. */
void keys_fill_source(const struct keys *k, const struct tdata *d, struct glm *g);

#endif
