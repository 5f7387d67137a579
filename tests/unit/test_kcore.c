/* Unit tests for join/kcore's stopping rule: a pass ends the k-core only
 * when no count it lowered fell under its minimum; an item that falls
 * under it after the pass kept one of its ratings needs one more pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../join/fstate.h"
#include "../../join/kcore.h"
#include "glr.h"
#include "log.h"

#include <unistd.h>

/* user 0: items 0, 1, 2; user 1: item 0; user 2: items 1, 2.  With two
 * ratings required of each, user 1 goes in the first pass, after user 0's
 * rating of item 0 was read and kept: item 0 is then down to one rating,
 * which a second pass must drop. */
static void test_item_falls_after_its_rating_was_kept(void **state)
{
	(void)state;
	static const uint32_t items[] = {0, 1, 2, 0, 1, 2};
	static const uint8_t rates[] = {8, 8, 8, 8, 8, 8};
	static const uint64_t len[] = {3, 1, 2};
	struct glr_meta m = {.n_users = 3, .n_items = 3, .n_ratings = 6, .scale = 0.5f};
	struct glr_writer *w;
	assert_int_equal(glr_writer_open(&w, "kc.glr", &m), 0);
	for (uint64_t u = 0, at = 0; u < 3; at += len[u], u++)
		assert_int_equal(glr_writer_row(w, items + at, rates + at, NULL, NULL, len[u]), 0);
	assert_int_equal(glr_writer_commit(w), 0);
	struct glr g;
	assert_int_equal(glr_open(&g, "kc.glr", 0), 0);
	struct fstate s;
	assert_int_equal(fstate_init(&s, &g), 0);
	uint32_t passes;
	kcore_run(&s, 2, 2, &passes);
	assert_int_equal(s.kept, 4);
	assert_int_equal(fstate_kept(&s, 0), 0); /* user 0's item 0 */
	assert_int_equal(s.icount[0], 0);
	assert_int_equal(passes, 2);
	fstate_free(&s);
	glr_close(&g);
	unlink("kc.glr");
}

int main(void)
{
	log_init("test_kcore", LOG_QUIET);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_falls_after_its_rating_was_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
