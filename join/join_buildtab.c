#include "join_buildtab.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

static int grow(void **p, uint64_t cap, size_t size)
{
	void *q = realloc(*p, cap * size);
	if (!q)
		return GL_ENOMEM;
	*p = q;
	return 0;
}

static int grow_groups(struct buildtab *t)
{
	uint64_t cap = t->groups_cap ? 2 * t->groups_cap : 1024;
	if (grow((void **)&t->head, cap, 4) || grow((void **)&t->tail, cap, 4) ||
	    grow((void **)&t->matched, cap, 1))
		return GL_ENOMEM;
	t->groups_cap = cap;
	return 0;
}

static int grow_rows(struct buildtab *t)
{
	uint64_t cap = t->rows_cap ? 2 * t->rows_cap : 1024;
	if (grow((void **)&t->next, cap, 4) || grow((void **)&t->grp, cap, 4))
		return GL_ENOMEM;
	t->rows_cap = cap;
	return 0;
}

void buildtab_init(struct buildtab *t)
{
	memset(t, 0, sizeof *t);
	intern_init(&t->keys, 0);
}

int buildtab_add(struct buildtab *t, const char *key, size_t klen, int null, char *const *f,
		 const size_t *len, size_t nf)
{
	uint64_t row = t->rows.n;
	if (row >= BT_NONE - 1)
		return GL_ELIMIT;
	if (row == t->rows_cap && grow_rows(t))
		return GL_ENOMEM;
	uint32_t g = BT_NONE;
	if (!null) {
		if (t->keys.n == t->groups_cap && grow_groups(t))
			return GL_ENOMEM;
		int added = intern_put(&t->keys, key, klen, &g);
		if (added < 0)
			return added;
		if (added) {
			t->head[g] = (uint32_t)row;
			t->matched[g] = 0;
		} else {
			t->next[t->tail[g]] = (uint32_t)row;
		}
		t->tail[g] = (uint32_t)row;
	} else {
		t->null_rows++;
	}
	if (rowstore_add(&t->rows, (const char *const *)f, len, nf))
		return GL_ENOMEM;
	t->next[row] = BT_NONE;
	t->grp[row] = g;
	return 0;
}

uint32_t buildtab_find(const struct buildtab *t, const char *key, size_t klen)
{
	uint32_t g;
	return intern_find(&t->keys, key, klen, &g) ? g : BT_NONE;
}

uint64_t buildtab_memory(const struct buildtab *t)
{
	return t->rows.bytes + intern_memory(&t->keys) + t->groups_cap * 9 + t->rows_cap * 8;
}

void buildtab_free(struct buildtab *t)
{
	rowstore_free(&t->rows);
	intern_free(&t->keys);
	free(t->head);
	free(t->tail);
	free(t->matched);
	free(t->next);
	free(t->grp);
	memset(t, 0, sizeof *t);
}
