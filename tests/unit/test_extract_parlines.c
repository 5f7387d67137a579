/* Unit tests for etl/extract_parlines: lines parsed on the reading thread, on
 * workers, and on the reading thread until the workers start part-way
 * (pl_cfg.adapt) all reach apply in input order with the same results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../etl/extract_parlines.h"
#include "gzline.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINES 200000
#define ROUNDS 60 /* a parse dearer than reading the file, as JSON's is */

struct result {
	uint64_t lineno, off, hash;
};

/* What apply saw: every line's result in the order applied. */
struct seen {
	struct result *r;
	size_t n;
	size_t first_batch; /* index of the first line applied in a batch of more than one */
};

static void *worker_new(void *arg)
{
	(void)arg;
	return malloc(1);
}

static int parse(void *w, char *text, const struct pl_line *l, void *out, struct buf *msg)
{
	(void)w, (void)msg;
	uint64_t h = 14695981039346656037ull;
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < l->len; i++)
			h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
	*(struct result *)out = (struct result){l->lineno, l->off, h};
	return 0;
}

static int apply(void *ctx, const struct pl_batch *b)
{
	struct seen *s = ctx;
	if (b->n > 1 && s->first_batch == SIZE_MAX)
		s->first_batch = s->n;
	for (size_t i = 0; i < b->n; i++)
		s->r[s->n++] = ((const struct result *)b->out)[i];
	return b->err;
}

/* Run pl_run over path with cfg; what apply saw goes to s. */
static void run(const char *path, const struct pl_cfg *cfg, struct seen *s)
{
	struct gzl *z;
	assert_int_equal(gzl_open(&z, path, NULL), 0);
	s->r = calloc(LINES, sizeof *s->r);
	assert_non_null(s->r);
	s->n = 0;
	s->first_batch = SIZE_MAX;
	assert_int_equal(pl_run(cfg, z, apply, s), 0);
	gzl_close(z);
	assert_int_equal(s->n, LINES);
}

static void test_same_lines_every_way(void **state)
{
	(void)state;
	char path[] = "test_parlines.XXXXXX"; /* in the scratch folder */
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	for (int i = 0; i < LINES; i++)
		fprintf(f, "{\"line\": %d, \"pad\": \"%.*s\"}\n", i, i % 70, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(fclose(f), 0);

	struct pl_cfg cfg = {.workers = 1, .out_size = sizeof(struct result),
			     .worker_new = worker_new, .worker_free = free, .parse = parse};
	struct seen one, two, adapt, small;
	run(path, &cfg, &one);
	assert_int_equal(one.first_batch, SIZE_MAX); /* never a batch: inline */
	for (size_t i = 0; i < LINES; i++)
		assert_int_equal(one.r[i].lineno, i + 1);

	cfg.workers = 2;
	run(path, &cfg, &two);
	assert_int_equal(two.first_batch, 0);

	/* a file read far faster than parsed: the workers start after the
	 * skipped text and two measures (1 MiB each), not before */
	cfg.adapt = 1;
	cfg.probe_skip = 1u << 20;
	cfg.probe_text = 1u << 20;
	run(path, &cfg, &adapt);
	assert_true(adapt.first_batch != SIZE_MAX);
	assert_true(adapt.r[adapt.first_batch].off >= 3u << 20);

	/* a file smaller than the default measures never starts them */
	cfg.probe_skip = cfg.probe_text = 0;
	run(path, &cfg, &small);
	assert_int_equal(small.first_batch, SIZE_MAX);

	assert_memory_equal(one.r, two.r, LINES * sizeof *one.r);
	assert_memory_equal(one.r, adapt.r, LINES * sizeof *one.r);
	assert_memory_equal(one.r, small.r, LINES * sizeof *one.r);
	free(one.r), free(two.r), free(adapt.r), free(small.r);
	unlink(path);
}

int main(void)
{
	log_init("test_extract_parlines", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_lines_every_way),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
