#include "join_buildtab.h"

#include "bigmem.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* Grow the n arrays at a[i] (elements of size[i] bytes) from old to cap
 * elements: on huge pages once large, moved rather than copied
 * (lib/bigmem.h), since page faults were most of a build's time.  On
 * failure the arrays grown so far are freed (set to NULL): an array is
 * freed by its size, and theirs no longer matches the table's count. */
static int grow(void **const *a, const size_t *size, int n, uint64_t old, uint64_t cap)
{
	for (int i = 0; i < n; i++) {
		void *q = big_realloc(*a[i], old * size[i], cap * size[i]);
		if (!q) {
			for (int k = 0; k < i; k++) {
				big_free(*a[k], cap * size[k]);
				*a[k] = NULL;
			}
			return GL_ENOMEM;
		}
		*a[i] = q;
	}
	return 0;
}

static int grow_groups(struct buildtab *t)
{
	uint64_t cap = t->groups_cap ? 2 * t->groups_cap : 1024;
	void **const a[] = {(void **)&t->head, (void **)&t->tail, (void **)&t->matched};
	const size_t size[] = {4, 4, 1};
	if (grow(a, size, 3, t->groups_cap, cap))
		return GL_ENOMEM;
	t->groups_cap = cap;
	return 0;
}

static int grow_rows(struct buildtab *t)
{
	uint64_t cap = t->rows_cap ? 2 * t->rows_cap : 1024;
	void **const a[] = {(void **)&t->next, (void **)&t->grp};
	const size_t size[] = {4, 4};
	if (grow(a, size, 2, t->rows_cap, cap))
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
	big_free(t->head, t->groups_cap * 4);
	big_free(t->tail, t->groups_cap * 4);
	big_free(t->matched, t->groups_cap);
	big_free(t->next, t->rows_cap * 4);
	big_free(t->grp, t->rows_cap * 4);
	memset(t, 0, sizeof *t);
}
