/* model_bias.h - the biases-only baseline (not a glm kind): mu + b_u + b_i
 * fitted by regularised alternating means (model_bias.c).  Its tensors are
 * user_bias and item_bias; the trainer fits it beside every model as the
 * reference its figures are compared with.
 */
#ifndef GL_TRAIN_MODEL_BIAS_H
#define GL_TRAIN_MODEL_BIAS_H

#include "model.h"

extern const struct model_ops model_bias_ops;

#endif
