#include "model_file.h"

#include "err.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

extern const struct model_ops model_dot_ops, model_mf_ops, model_als_ops, model_nn_ops,
	model_bpmf_ops;

const struct model_ops *model_ops_of(int kind)
{
	switch (kind) {
	case GLM_DOT:
		return &model_dot_ops;
	case GLM_MF:
		return &model_mf_ops;
	case GLM_ALS:
		return &model_als_ops;
	case GLM_NN:
		return &model_nn_ops;
	case GLM_BPMF:
		return &model_bpmf_ops;
	}
	return NULL;
}

int model_saved_tensors(const struct model *m)
{
	int n = 0;
	for (int i = 0; i < m->n_t; i++)
		n += !m->t[i].internal;
	return n;
}

int model_to_glm(const struct model *m, uint32_t j, struct glm *g)
{
	if (j == 0) {
		g->kind = (uint32_t)m->kind;
		g->loss = (uint32_t)m->loss;
		g->n_users = m->n_users;
		g->n_items = m->n_items;
		g->factors = m->k;
		g->n_classes = m->n_classes;
		g->class_lo = m->class_lo;
		g->class_step = m->class_step;
		g->global_mean = m->mu;
		g->y_lo = m->y_lo;
		g->y_hi = m->y_hi;
	}
	for (int i = 0; i < m->n_t; i++) {
		const struct ptensor *t = &m->t[i];
		char name[GLM_NAME_LEN + 8];
		if (t->internal)
			continue;
		if (j)
			snprintf(name, sizeof name, "m%u.%s", j, t->name);
		else
			snprintf(name, sizeof name, "%s", t->name);
		float *dst;
		int err = glm_add(g, name, t->rows, t->cols, &dst);
		if (err)
			return err;
		memcpy(dst, t->w, (size_t)t->rows * t->cols * sizeof *dst);
	}
	return 0;
}

/* The member a tensor name belongs to, and its name within the member. */
static uint32_t member_of(const char *name, const char **base)
{
	if (name[0] == 'm' && name[1] >= '1' && name[1] <= '9' && name[2] == '.') {
		*base = name + 3;
		return (uint32_t)(name[1] - '0');
	}
	*base = name;
	return 0;
}

uint32_t model_glm_members(const struct glm *g)
{
	uint32_t n = 1;
	for (int i = 0; i < g->n_tensors; i++) {
		const char *base;
		uint32_t j = member_of(g->t[i].name, &base);
		if (j + 1 > n)
			n = j + 1;
	}
	return n;
}

int model_from_glm(struct model *m, const struct glm *g, uint32_t j, const char *path)
{
	memset(m, 0, sizeof *m);
	m->ops = model_ops_of((int)g->kind);
	if (!m->ops) {
		log_error("%s: unknown model kind %u", path, g->kind);
		return GL_EFORMAT;
	}
	m->kind = (int)g->kind;
	m->loss = (int)g->loss;
	m->n_users = g->n_users;
	m->n_items = g->n_items;
	m->k = g->factors;
	m->mu = g->global_mean;
	struct glm_link l;
	glm_link_of(g, &l);
	m->y_lo = l.y_lo;
	m->y_hi = l.y_hi;
	m->n_classes = l.n_classes;
	m->class_lo = l.class_lo;
	m->class_step = l.class_step;
	m->clip = l.clip;
	m->r_lo = l.r_lo;
	m->r_hi = l.r_hi;
	m->threads = 1;
	if (m->loss == GLM_CE && (m->n_classes < 2 || m->n_classes > DATA_MAX_CLASSES)) {
		log_error("%s: a ce model needs 2 to %d classes, not %u", path, DATA_MAX_CLASSES,
			  m->n_classes);
		return GL_EFORMAT;
	}
	for (int i = 0; i < g->n_tensors; i++) {
		const char *base;
		if (member_of(g->t[i].name, &base) != j)
			continue;
		struct ptensor *t;
		int err = model_add(m, base, g->t[i].rows, g->t[i].cols, 0, PT_NO_GRAD, &t);
		if (err)
			return err;
		memcpy(t->w, g->t[i].data, (size_t)t->rows * t->cols * sizeof *t->w);
	}
	int err = m->ops->attach(m);
	if (err)
		log_error("%s: member %u of the %s model is incomplete or misshapen", path, j,
			  m->ops->name);
	return err;
}
