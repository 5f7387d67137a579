/* extract_gen - write a Goodreads interactions JSON-lines file for the
 * extract benchmark, gzip'd at zlib's default level like the UCSD dumps.
 *
 *   extract_gen OUT.json.gz LINES USERS BOOKS [SEED]
 *   extract_gen --version      the generator's version (below)
 *
 * Lines look like the real dump's (user_id, book_id, review_id, is_read,
 * rating, review_text_incomplete, four dates), grouped by user: user u owns
 * a contiguous run of lines, every user has at least one, and books are
 * drawn from BOOKS with a popular head (book floor(BOOKS * u^2) for uniform
 * u: the most popular books are read most, as in the real dump, while the
 * least popular still appear about 8 times per 5M lines), so files of 5M
 * and 10M lines over the same USERS and BOOKS have (within a few books) the
 * same dictionaries and differ only in length.  Deterministic for a seed.
 *
 * Reviews: 6.9% of the lines carry a non-empty review_text_incomplete, the
 * real dump's share (UCSD's goodreads_reviews_dedup holds 15,739,967
 * reviews of the 228,648,342 interactions in goodreads_interactions_dedup,
 * and each review is one of those interactions: 15.7M / 228.6M = 6.9%).
 * Their text is written as Python's json.dumps writes the dump: ASCII only,
 * with \" quotes, \n paragraph breaks, \\ and \uXXXX for every non-ASCII
 * character (curly apostrophes and quotes, accents, dashes; emoji as
 * surrogate pairs), so extract's escape path runs as often as it would on
 * the dump.  Lengths are a guess, not a measurement of the dump: 40 to
 * about 3,000 bytes of text, geometric around a mean of about 500 (380
 * characters once decoded).  Lines without a review average about 290
 * bytes, all lines about 325.
 *
 * EXTRACT_GEN_VERSION goes into the names of cached inputs
 * (bench/extract.sh): bump it whenever the bytes written for the same
 * arguments change, so that no benchmark reads a stale file.
 */
#include "gzwrite.h"
#include "log.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1: empty reviews only.  2: reviews with escapes in 6.9% of the lines. */
#define EXTRACT_GEN_VERSION 2

#define REVIEW_SHARE 0.069
#define REVIEW_MAX 3000

static const char *const wday[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Review text pieces, already JSON-escaped as the dump has them. */
static const char *const words[] = {
	"the", "book", "story", "and", "I", "loved", "it", "characters", "was", "a", "of",
	"to", "but", "ending", "plot", "really", "writing", "this", "series", "read",
	"not", "so", "much", "world", "author", "felt", "first", "again", "slow", "start",
	"couldn\\u2019t", "didn\\u2019t", "it\\u2019s", "I\\u2019m", "caf\\u00e9", "na\\u00efve",
	"\\u201cwow\\u201d", "\\\"meh\\\"", "5/5", "(spoilers)", "--", "\\u2014", "...",
	"\\ud83d\\ude0d", "\\ud83d\\udcda", "\\u2665", "re-read", "pages", "chapter", "*sigh*",
};

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

/* A review of about len bytes into out (cap > REVIEW_MAX + 64): words and
 * punctuation, a paragraph break now and then. */
static size_t review(struct rng *r, char *out, size_t len)
{
	size_t n = 0;
	const size_t nw = sizeof words / sizeof words[0];
	while (n < len) {
		const char *w = words[rng_below(r, nw)];
		size_t k = strlen(w);
		memcpy(out + n, w, k);
		n += k;
		uint64_t p = rng_below(r, 40);
		const char *sep = p == 0 ? "\\n\\n" : p < 3 ? ". " : p < 5 ? ", " : " ";
		k = strlen(sep);
		memcpy(out + n, sep, k);
		n += k;
	}
	return n;
}

static size_t review_len(struct rng *r)
{
	/* geometric around 500, at least 40, at most REVIEW_MAX */
	size_t len = 40;
	while (len < REVIEW_MAX && rng_unit(r) > 1.0 / 460)
		len++;
	return len;
}

int main(int argc, char **argv)
{
	log_init("extract_gen", 1);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%d\n", EXTRACT_GEN_VERSION);
		return 0;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: extract_gen OUT LINES USERS BOOKS [SEED] | extract_gen --version\n");
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
	char uid[33], rid[33], d1[40], d2[40], text[REVIEW_MAX + 64], line[REVIEW_MAX + 512];
	for (uint64_t u = 0; u < users; u++) {
		/* Spread the lines evenly, the remainder over the first users. */
		uint64_t n = lines / users + (u < lines % users);
		hex32(&r, uid);
		for (uint64_t k = 0; k < n; k++) {
			hex32(&r, rid);
			date(&r, d1, sizeof d1);
			int upd = rng_below(&r, 2);
			if (upd)
				date(&r, d2, sizeof d2);
			unsigned rating = (unsigned)rng_below(&r, 6);
			size_t tl = rng_unit(&r) < REVIEW_SHARE ? review(&r, text, review_len(&r)) : 0;
			text[tl] = 0;
			int len = snprintf(
				line, sizeof line,
				"{\"user_id\": \"%s\", \"book_id\": \"%llu\", \"review_id\": \"%s\", "
				"\"is_read\": %s, \"rating\": %u, \"review_text_incomplete\": \"%s\", "
				"\"date_added\": \"%s\", \"date_updated\": \"%s\", \"read_at\": \"\", "
				"\"started_at\": \"\"}\n",
				uid, (unsigned long long)(1000 + book(&r, books)), rid,
				rating || tl ? "true" : "false", rating, text, d1, upd ? d2 : "");
			if (len < 0 || (size_t)len >= sizeof line) {
				fprintf(stderr, "extract_gen: line too long\n");
				gzw_abort(&w);
				return 1;
			}
			if (gzw_write(&w, line, (size_t)len)) {
				gzw_abort(&w);
				return 1;
			}
		}
	}
	return gzw_commit(&w) ? 1 : 0;
}
