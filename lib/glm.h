/* glm.h - the model file (.glm): what goodlens-train writes and
 * goodlens-recommend and goodlens-report read.
 *
 * A model is a few scalars (kind, counts, global mean, output range, loss)
 * plus named float tensors, row-major: "user_bias" [n_users x 1],
 * "item_bias", "user_factors" [n_users x k], "item_factors", and whatever
 * else a model needs ("nn.w0", ...).  Code that only wants item factors finds
 * them by name whatever the model.  The optional "source" section records
 * what it was trained on: the rating scale and the users' and items' key
 * fingerprints (lib/keytab.h), for the tools that read it with tables.  The
 * file is a secfile (secfile.h) with magic "GLMODEL\n"; docs/FORMAT.md
 * gives it byte by byte.
 */
#ifndef GL_GLM_H
#define GL_GLM_H

#include <stddef.h>
#include <stdint.h>

#define GLM_MAGIC "GLMODEL\n"
#define GLM_VERSION 1
#define GLM_MAX_TENSORS 60 /* 64 container sections less meta, hparams, shapes, source */
#define GLM_NAME_LEN 16
#define GLM_KEYCOL_LEN 40        /* a key column's name, NUL included */

enum glm_kind { GLM_DOT, GLM_MF, GLM_ALS, GLM_NN, GLM_BPMF, GLM_KINDS };
enum glm_loss { GLM_MSE, GLM_CE };

struct glm_tensor {
	char name[GLM_NAME_LEN]; /* at most 15 bytes */
	uint32_t rows, cols;
	float *data;             /* rows * cols floats, owned by the model */
};

/* A dimension table's source keys as the model saw them: users.csv's or
 * items.csv's second column, by dense id (lib/keytab.h computes fp). */
struct glm_keys {
	char col[GLM_KEYCOL_LEN]; /* the column's name; "" = not recorded */
	uint64_t rows;            /* rows the table had */
	uint64_t fp;              /* keytab_fingerprint() of its keys */
};

struct glm {
	uint32_t kind, loss;
	uint64_t n_users, n_items;
	uint32_t factors;
	uint32_t n_classes;      /* ce: class c means rating class_lo + c * class_step */
	float class_lo, class_step;
	float global_mean;
	float y_lo, y_hi;        /* sigmoid_range output; y_lo >= y_hi: none */
	char *hparams;           /* "key=value\n" lines for people, owned; may be NULL */
	int n_tensors;
	struct glm_tensor t[GLM_MAX_TENSORS];
	/* What it was trained on (the "source" section): set has_source to
	 * save it; a file without the section (older ones) loads with
	 * has_source 0 and the fields zero. */
	int has_source;
	float rating_lo, rating_hi, rating_step; /* the training file's rating values */
	struct glm_keys user_keys, item_keys;
};

/* "dot", "mf", "als", "nn", "bpmf"; NULL-terminated list for cli_choice. */
extern const char *const glm_kind_names[];

/* Add a zeroed tensor; *data points at it.  0, GL_ENOMEM or GL_EUSAGE
 * (name too long or taken, or more than GLM_MAX_TENSORS). */
int glm_add(struct glm *m, const char *name, uint32_t rows, uint32_t cols, float **data);

/* The tensor called name, or NULL. */
const struct glm_tensor *glm_find(const struct glm *m, const char *name);

/* Write m to path (temporary, then rename).  0 or a gl_err (logged). */
int glm_save(const struct glm *m, const char *path);

/* Read and validate path into m (owned copies).  Checks the checksums,
 * that kind and loss are known, that every tensor's size matches its shape
 * and every value is finite.  0, GL_EIO or GL_EFORMAT (logged). */
int glm_load(struct glm *m, const char *path);
int glm_load_mem(struct glm *m, const void *buf, size_t len, const char *name);

void glm_free(struct glm *m);

#endif
