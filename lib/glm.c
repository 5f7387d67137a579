#include "glm.h"

#include "err.h"
#include "log.h"
#include "secfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define META_LEN 64
#define SHAPE_LEN 24
#define SOURCE_LEN 128
#define SRC_USER_KEYS 1u /* source flags: user keys recorded */
#define SRC_ITEM_KEYS 2u /* item keys recorded */

const char *const glm_kind_names[] = {"dot", "mf", "als", "nn", "bpmf", NULL};

int glm_add(struct glm *m, const char *name, uint32_t rows, uint32_t cols, float **data)
{
	/* Tensor names share the file's section names with the fixed ones. */
	int reserved = !strcmp(name, "meta") || !strcmp(name, "hparams") || !strcmp(name, "shapes") ||
		       !strcmp(name, "source");
	if (!*name || strlen(name) >= GLM_NAME_LEN || reserved || glm_find(m, name) ||
	    m->n_tensors >= GLM_MAX_TENSORS) {
		log_error("cannot add tensor %s to the model", name);
		return GL_EUSAGE;
	}
	struct glm_tensor *t = &m->t[m->n_tensors];
	size_t n = (size_t)rows * cols;
	t->data = calloc(n ? n : 1, sizeof(float));
	if (!t->data) {
		log_error("out of memory for tensor %s (%u x %u)", name, rows, cols);
		return GL_ENOMEM;
	}
	strncpy(t->name, name, GLM_NAME_LEN - 1);
	t->rows = rows;
	t->cols = cols;
	m->n_tensors++;
	if (data)
		*data = t->data;
	return 0;
}

const struct glm_tensor *glm_find(const struct glm *m, const char *name)
{
	for (int i = 0; i < m->n_tensors; i++)
		if (strcmp(m->t[i].name, name) == 0)
			return &m->t[i];
	return NULL;
}

static void pack_meta(const struct glm *m, uint8_t *b)
{
	uint32_t nt = (uint32_t)m->n_tensors;
	memset(b, 0, META_LEN);
	memcpy(b + 0, &m->kind, 4);
	memcpy(b + 4, &m->loss, 4);
	memcpy(b + 8, &m->n_users, 8);
	memcpy(b + 16, &m->n_items, 8);
	memcpy(b + 24, &m->factors, 4);
	memcpy(b + 28, &m->n_classes, 4);
	memcpy(b + 32, &m->class_lo, 4);
	memcpy(b + 36, &m->class_step, 4);
	memcpy(b + 40, &m->global_mean, 4);
	memcpy(b + 44, &m->y_lo, 4);
	memcpy(b + 48, &m->y_hi, 4);
	memcpy(b + 52, &nt, 4);
}

static void pack_keys(const struct glm_keys *k, uint8_t *rows_fp, uint8_t *col)
{
	memcpy(rows_fp, &k->rows, 8);
	memcpy(rows_fp + 8, &k->fp, 8);
	memcpy(col, k->col, GLM_KEYCOL_LEN);
	col[GLM_KEYCOL_LEN - 1] = 0;
}

/* The source section (docs/FORMAT.md): rating values, then the user and
 * item keys' rows, fingerprint and column name. */
static void pack_source(const struct glm *m, uint8_t *b)
{
	uint32_t flags = (m->user_keys.col[0] ? SRC_USER_KEYS : 0) |
			 (m->item_keys.col[0] ? SRC_ITEM_KEYS : 0);
	memset(b, 0, SOURCE_LEN);
	memcpy(b + 0, &m->rating_lo, 4);
	memcpy(b + 4, &m->rating_hi, 4);
	memcpy(b + 8, &m->rating_step, 4);
	memcpy(b + 12, &flags, 4);
	pack_keys(&m->user_keys, b + 16, b + 48);
	pack_keys(&m->item_keys, b + 32, b + 88);
}

int glm_save(const struct glm *m, const char *path)
{
	struct secdef defs[4 + GLM_MAX_TENSORS];
	size_t hlen = m->hparams ? strlen(m->hparams) : 0;
	int ns = 0;
	defs[ns++] = (struct secdef){"meta", META_LEN};
	defs[ns++] = (struct secdef){"hparams", hlen};
	defs[ns++] = (struct secdef){"shapes", (uint64_t)SHAPE_LEN * (uint64_t)m->n_tensors};
	if (m->has_source)
		defs[ns++] = (struct secdef){"source", SOURCE_LEN};
	int t0 = ns; /* the first tensor's section */
	for (int i = 0; i < m->n_tensors; i++)
		defs[ns++] = (struct secdef){m->t[i].name, 4 * (uint64_t)m->t[i].rows * m->t[i].cols};
	struct secw *w;
	int err = secw_open(&w, path, GLM_MAGIC, GLM_VERSION, defs, ns);
	if (err)
		return err;
	uint8_t meta[META_LEN], source[SOURCE_LEN];
	pack_meta(m, meta);
	err = secw_append(w, 0, meta, META_LEN);
	if (!err)
		err = secw_append(w, 1, m->hparams, hlen);
	for (int i = 0; !err && i < m->n_tensors; i++) {
		uint8_t shape[SHAPE_LEN] = {0};
		memcpy(shape, m->t[i].name, GLM_NAME_LEN);
		memcpy(shape + 16, &m->t[i].rows, 4);
		memcpy(shape + 20, &m->t[i].cols, 4);
		err = secw_append(w, 2, shape, SHAPE_LEN);
	}
	if (!err && m->has_source) {
		pack_source(m, source);
		err = secw_append(w, 3, source, SOURCE_LEN);
	}
	for (int i = 0; !err && i < m->n_tensors; i++)
		err = secw_append(w, t0 + i, m->t[i].data, (size_t)defs[t0 + i].length);
	if (err) {
		secw_abort(w);
		return err;
	}
	return secw_commit(w);
}

static int invalid(const struct secfile *f, const char *what, const char *name)
{
	log_error("%s: not a valid model file: %s%s%s", f->path, what, name ? " " : "",
		  name ? name : "");
	return GL_EFORMAT;
}

static int load_tensors(struct glm *m, const struct secfile *f, uint32_t nt)
{
	uint64_t len;
	const uint8_t *shapes = secfile_get(f, "shapes", &len);
	if (!shapes || len != (uint64_t)nt * SHAPE_LEN)
		return invalid(f, "shapes section missing or of the wrong size", NULL);
	for (uint32_t i = 0; i < nt; i++) {
		const uint8_t *s = shapes + (size_t)i * SHAPE_LEN;
		char name[GLM_NAME_LEN];
		uint32_t rows, cols;
		memcpy(name, s, GLM_NAME_LEN);
		if (!memchr(name, 0, GLM_NAME_LEN) || !name[0])
			return invalid(f, "tensor name not terminated", NULL);
		memcpy(&rows, s + 16, 4);
		memcpy(&cols, s + 20, 4);
		const float *src = secfile_get(f, name, &len);
		/* rows * cols fits in 64 bits; 4 times it may not (2^31 x 2^31
		 * would wrap to a 0-byte section) */
		uint64_t cells = (uint64_t)rows * cols;
		if (!src || cells > UINT64_MAX / 4 || len != 4 * cells)
			return invalid(f, "tensor missing or not of its shape:", name);
		float *dst;
		int err = glm_add(m, name, rows, cols, &dst);
		if (err)
			return err == GL_EUSAGE ? invalid(f, "duplicate tensor", name) : err;
		memcpy(dst, src, (size_t)len);
		for (uint64_t k = 0; k < cells; k++)
			if (!isfinite(dst[k]))
				return invalid(f, "non-finite value in tensor", name);
	}
	return 0;
}

/* One side's keys from the source section; -1 when its name is not
 * terminated, or the flag and the name disagree. */
static int unpack_keys(struct glm_keys *k, const uint8_t *rows_fp, const uint8_t *col, int flag)
{
	memcpy(&k->rows, rows_fp, 8);
	memcpy(&k->fp, rows_fp + 8, 8);
	memcpy(k->col, col, GLM_KEYCOL_LEN);
	if (!memchr(k->col, 0, GLM_KEYCOL_LEN) || !flag != !k->col[0])
		return -1;
	return 0;
}

static int load_source(struct glm *m, const struct secfile *f)
{
	uint64_t len;
	uint32_t flags;
	const uint8_t *b = secfile_get(f, "source", &len);
	if (!b)
		return 0; /* written before the section existed: nothing known */
	if (len != SOURCE_LEN)
		return invalid(f, "source section of the wrong size", NULL);
	memcpy(&m->rating_lo, b + 0, 4);
	memcpy(&m->rating_hi, b + 4, 4);
	memcpy(&m->rating_step, b + 8, 4);
	memcpy(&flags, b + 12, 4);
	if (!isfinite(m->rating_lo) || !isfinite(m->rating_hi) || !isfinite(m->rating_step) ||
	    m->rating_lo > m->rating_hi || m->rating_step < 0)
		return invalid(f, "rating scale in the source section out of range", NULL);
	if ((flags & ~(SRC_USER_KEYS | SRC_ITEM_KEYS)) ||
	    unpack_keys(&m->user_keys, b + 16, b + 48, flags & SRC_USER_KEYS) ||
	    unpack_keys(&m->item_keys, b + 32, b + 88, flags & SRC_ITEM_KEYS))
		return invalid(f, "key columns in the source section malformed", NULL);
	m->has_source = 1;
	return 0;
}

static int load(struct glm *m, struct secfile *f)
{
	uint64_t len;
	const uint8_t *b = secfile_get(f, "meta", &len);
	uint32_t nt;
	memset(m, 0, sizeof *m);
	if (!b || len != META_LEN)
		return invalid(f, "meta section missing or of the wrong size", NULL);
	memcpy(&m->kind, b + 0, 4);
	memcpy(&m->loss, b + 4, 4);
	memcpy(&m->n_users, b + 8, 8);
	memcpy(&m->n_items, b + 16, 8);
	memcpy(&m->factors, b + 24, 4);
	memcpy(&m->n_classes, b + 28, 4);
	memcpy(&m->class_lo, b + 32, 4);
	memcpy(&m->class_step, b + 36, 4);
	memcpy(&m->global_mean, b + 40, 4);
	memcpy(&m->y_lo, b + 44, 4);
	memcpy(&m->y_hi, b + 48, 4);
	memcpy(&nt, b + 52, 4);
	if (m->kind >= GLM_KINDS || m->loss > GLM_CE)
		return invalid(f, "unknown model kind or loss", NULL);
	if (nt > GLM_MAX_TENSORS)
		return invalid(f, "too many tensors", NULL);
	if (m->n_users > UINT32_MAX || m->n_items > UINT32_MAX || m->n_classes > 256)
		return invalid(f, "counts out of range", NULL);
	if (!isfinite(m->global_mean) || !isfinite(m->y_lo) || !isfinite(m->y_hi) ||
	    !isfinite(m->class_lo) || !isfinite(m->class_step))
		return invalid(f, "non-finite scalar in meta", NULL);
	const char *h = secfile_get(f, "hparams", &len);
	if (h && len) {
		if (!(m->hparams = malloc((size_t)len + 1)))
			return GL_ENOMEM;
		memcpy(m->hparams, h, (size_t)len);
		m->hparams[len] = 0;
	}
	int err = load_source(m, f);
	return err ? err : load_tensors(m, f, nt);
}

int glm_load(struct glm *m, const char *path)
{
	struct secfile f;
	memset(m, 0, sizeof *m);
	int err = secfile_open(&f, path, GLM_MAGIC, GLM_VERSION, 0, ".glm");
	if (err)
		return err;
	err = load(m, &f);
	secfile_close(&f);
	if (err)
		glm_free(m);
	return err;
}

int glm_load_mem(struct glm *m, const void *buf, size_t len, const char *name)
{
	struct secfile f;
	memset(m, 0, sizeof *m);
	int err = secfile_open_mem(&f, buf, len, name, GLM_MAGIC, GLM_VERSION, 0);
	if (err)
		return err;
	err = load(m, &f);
	secfile_close(&f);
	if (err)
		glm_free(m);
	return err;
}

void glm_free(struct glm *m)
{
	for (int i = 0; i < m->n_tensors; i++)
		free(m->t[i].data);
	free(m->hparams);
	memset(m, 0, sizeof *m);
}
