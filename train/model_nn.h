/* model_nn.h - what of fastai's EmbeddingNN (model_nn.c) is used outside
 * it: the embedding size rule.
 */
#ifndef GL_TRAIN_MODEL_NN_H
#define GL_TRAIN_MODEL_NN_H

#include <stdint.h>

/* fastai's embedding size for n ids, min(600, round(1.6 (n+1)^0.56)). */
uint32_t nn_emb_size(uint64_t n);

#endif
