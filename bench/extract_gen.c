/* extract_gen - write a Goodreads interactions JSON-lines file for the
 * extract benchmark, gzip'd at zlib's default level like the UCSD dumps.
 *
 *   extract_gen OUT.json.gz LINES USERS BOOKS [SEED]
 *
 * Lines look like the real dump's (user_id, book_id, review_id, is_read,
 * rating, review_text_incomplete, four dates), about 340 bytes each, grouped
 * by user: user u owns a contiguous run of lines, every user has at least
 * one, and books are drawn from BOOKS with a popular head (book
 * floor(BOOKS * u^2) for uniform u: the most popular books are read most,
 * as in the real dump, while the least popular still appear about 8 times
 * per 5M lines), so files of 5M and 10M lines over the same USERS and BOOKS
 * have (within a few books) the same dictionaries and differ only in
 * length.  Deterministic for a seed.
 */
#include "gzwrite.h"
#include "log.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const wday[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void hex32(struct rng *r, char *out)
{
	uint64_t a = rng_u64(r), b = rng_u64(r);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

static int date(struct rng *r, char *out, size_t cap)
{
	return snprintf(out, cap, "%s %s %02u %02u:%02u:%02u -0700 %u", wday[rng_below(r, 7)],
			mon[rng_below(r, 12)], (unsigned)rng_below(r, 28) + 1,
			(unsigned)rng_below(r, 24), (unsigned)rng_below(r, 60),
			(unsigned)rng_below(r, 60), 2007 + (unsigned)rng_below(r, 11));
}

static uint64_t book(struct rng *r, uint64_t books)
{
	double u = rng_unit(r);
	uint64_t b = (uint64_t)((double)books * u * u);
	return b < books ? b : books - 1;
}

int main(int argc, char **argv)
{
	log_init("extract_gen", 1);
	if (argc < 5) {
		fprintf(stderr, "usage: extract_gen OUT LINES USERS BOOKS [SEED]\n");
		return 2;
	}
	uint64_t lines = strtoull(argv[2], NULL, 10), users = strtoull(argv[3], NULL, 10);
	uint64_t books = strtoull(argv[4], NULL, 10);
	uint64_t seed = argc > 5 ? strtoull(argv[5], NULL, 10) : 1;
	if (users == 0 || books == 0 || lines < users) {
		fprintf(stderr, "extract_gen: need LINES >= USERS > 0 and BOOKS > 0\n");
		return 2;
	}
	struct gzw w;
	if (gzw_open(&w, argv[1], GZW_DEFAULT_LEVEL))
		return 1;
	struct rng r;
	rng_init(&r, seed, 0);
	char uid[33], rid[33], d1[40], d2[40], line[512];
	uint64_t done = 0;
	for (uint64_t u = 0; u < users; u++) {
		/* Spread the lines evenly, the remainder over the first users. */
		uint64_t n = lines / users + (u < lines % users);
		hex32(&r, uid);
		for (uint64_t k = 0; k < n; k++, done++) {
			hex32(&r, rid);
			date(&r, d1, sizeof d1);
			int upd = rng_below(&r, 2);
			if (upd)
				date(&r, d2, sizeof d2);
			unsigned rating = (unsigned)rng_below(&r, 6);
			int len = snprintf(
				line, sizeof line,
				"{\"user_id\": \"%s\", \"book_id\": \"%llu\", \"review_id\": \"%s\", "
				"\"is_read\": %s, \"rating\": %u, \"review_text_incomplete\": \"\", "
				"\"date_added\": \"%s\", \"date_updated\": \"%s\", \"read_at\": \"\", "
				"\"started_at\": \"\"}\n",
				uid, (unsigned long long)(1000 + book(&r, books)), rid,
				rating ? "true" : "false", rating, d1, upd ? d2 : "");
			gzw_write(&w, line, (size_t)len);
		}
	}
	return gzw_commit(&w) ? 1 : 0;
}
