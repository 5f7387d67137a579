/* trainer.h - goodlens-train's work below main: train every ensemble
 * member on a ratings file, evaluate them and the baselines, and write the
 * outputs.
 *
 * Outputs, in outdir (docs/ARCHITECTURE.md has the columns):
 *   model.glm          every member (lib/glm.h; member j > 0 as "m<j>.*")
 *   metrics.csv        one row per epoch (and member, with --ensemble)
 *   predictions.csv    the validation ratings with the (mean) prediction:
 *                      user,[<user key>,]item,[<item key>,]rating,prediction
 *                      (the keys named as in users.csv and items.csv)
 *   train.summary.csv  baselines, members and their mean on the valid set
 * Each appears whole or not at all (lib/outfile.h).
 */
#ifndef GL_TRAIN_TRAINER_H
#define GL_TRAIN_TRAINER_H

#include "train_cfg.h"

/* Train as c says on the .glr file at path, writing into outdir.
 * The source keys come from users.csv and items.csv beside path (each
 * table's absence is said, and its keys left out); a table there that is
 * not path's is an error.  0 or a gl_err (logged). */
int trainer_run(const struct train_cfg *c, const char *path, const char *outdir);

/* The same with the tables named: users and items (NULL: beside path). */
int trainer_run_keyed(const struct train_cfg *c, const char *path, const char *users,
		      const char *items, const char *outdir);

#endif
