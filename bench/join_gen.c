/* join_gen - the tables bench/join.sh joins.
 *
 *   join_gen books N OUT.csv        a books.csv as goodlens-extract writes
 *                                   it (14 columns, about 250 bytes a row)
 *   join_gen items NI NB OUT.csv    items.raw.csv (item,book_id): NI
 *                                   distinct books drawn from NB plus 2%
 *                                   ids the books table lacks
 *
 *   join_gen --version              the version below
 *
 * Deterministic (fixed seed); titles hold commas and quotes now and then
 * so the CSV writer and reader do real quoting work.  JOIN_GEN_VERSION goes
 * into the names of cached inputs (bench/join.sh): bump it whenever the
 * bytes written change.
 */
#include "csvwrite.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOIN_GEN_VERSION 1

static const char *const words[] = {"Dragon", "Night", "Summer", "Girl", "House", "Wolf",
				    "Secret", "Academy", "Heart", "Shadow", "River", "Crown"};

/* Book index -> a distinct numeric Goodreads-like id. */
static unsigned long long book_id(uint64_t j) { return 13 * j + (j * 2654435761u) % 13 + 1; }

static int books(uint64_t n, FILE *f)
{
	struct rng r;
	rng_init(&r, 1, 1);
	char title[128];
	fputs("book_id,work_id,title,title_without_series,author_id,author_ids,publication_year,"
	      "language_code,isbn,isbn13,average_rating,ratings_count,image_url,url\n",
	      f);
	for (uint64_t j = 0; j < n; j++) {
		unsigned long long id = book_id(j);
		snprintf(title, sizeof title, "%s%s %s%s", rng_below(&r, 20) ? "The " : "\"A\" ",
			 words[rng_below(&r, 12)], words[rng_below(&r, 12)],
			 rng_below(&r, 10) ? "" : ", Part 2");
		unsigned a = (unsigned)rng_below(&r, 800000) + 1;
		fprintf(f, "%llu,%llu,", id, id / 3 + 17);
		csvw_str(f, title);
		putc(',', f);
		csvw_str(f, title);
		fprintf(f, ",%u,%u|%u,%u,eng,0%09llu,978%010llu,%.2f,%u,"
			   "https://images.gr-assets.com/books/14%08llum/%llu.jpg,"
			   "https://www.goodreads.com/book/show/%llu\n",
			a, a, a + 1, 1900 + (unsigned)rng_below(&r, 120), id % 1000000000ull, id,
			3 + rng_unit(&r) * 2, (unsigned)rng_below(&r, 100000), id % 100000000ull, id,
			id);
	}
	return ferror(f);
}

static int items(uint64_t ni, uint64_t nb, FILE *f)
{
	struct rng r;
	rng_init(&r, 1, 2);
	uint64_t pool = nb + nb / 50;
	uint32_t *p = malloc(pool * sizeof *p);
	if (!p)
		return 1;
	for (uint64_t j = 0; j < pool; j++)
		p[j] = (uint32_t)j;
	fputs("item,book_id\n", f);
	for (uint64_t i = 0; i < ni && i < pool; i++) {
		uint64_t k = i + rng_below(&r, pool - i);
		uint32_t t = p[i];
		p[i] = p[k];
		p[k] = t;
		fprintf(f, "%llu,%llu\n", (unsigned long long)i, book_id(p[i]));
	}
	free(p);
	return ferror(f);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%d\n", JOIN_GEN_VERSION);
		return 0;
	}
	if (argc < 4) {
		fputs("usage: join_gen books N OUT | join_gen items NI NB OUT\n", stderr);
		return 2;
	}
	int is_items = strcmp(argv[1], "items") == 0;
	const char *out = argv[is_items ? 4 : 3];
	FILE *f = fopen(out, "w");
	if (!f) {
		perror(out);
		return 1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	int err = is_items ? items(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), f)
			   : books(strtoull(argv[2], NULL, 10), f);
	if (fclose(f) || err) {
		fprintf(stderr, "join_gen: cannot write %s\n", out);
		return 1;
	}
	return 0;
}
