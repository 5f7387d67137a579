/* model_file.h - models by kind, and a model to and from its file (lib/glm):
 * the one place that knows every kind's operations (model_dot.c,
 * model_mf.c, model_als.c, model_nn.c, model_bpmf.c), so the model files
 * call model.c's shared code and nothing calls back into them.
 */
#ifndef GL_TRAIN_MODEL_FILE_H
#define GL_TRAIN_MODEL_FILE_H

#include "glm.h"
#include "model.h"

#include <stdint.h>

/* The operations of kind (enum glm_kind); NULL when unknown. */
const struct model_ops *model_ops_of(int kind);

/* The tensors a model file holds for one member (all but PT_INTERNAL). */
int model_saved_tensors(const struct model *m);

/* Put member j's tensors into g (member 0 under the plain names, member j
 * under "m<j>." + name) and, for member 0, the scalars.  PT_INTERNAL
 * tensors are left out.  0 or a gl_err. */
int model_to_glm(const struct model *m, uint32_t j, struct glm *g);

/* Rebuild member j of a loaded model file as a model that can predict.
 * 0 or GL_EFORMAT (logged, naming path). */
int model_from_glm(struct model *m, const struct glm *g, uint32_t j, const char *path);

/* The number of members a model file holds (1 plus each "m<j>.*" set). */
uint32_t model_glm_members(const struct glm *g);

#endif
