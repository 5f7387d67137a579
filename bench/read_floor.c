/* read_floor - the floor of bench/chain.sh: read a stage's inputs the way
 * the stage must and do nothing else.
 *
 *   read_floor FILE...
 *
 * A .glr is mapped and validated as every stage opens it (glr_open with
 * section CRCs), then each rating's item and value are summed in one
 * sequential pass; any other file is read as CSV (lib/csvread: gzip or
 * plain, every record split into fields) and its field bytes counted.  The
 * sums are printed so no pass can be optimised away.  A stage at ratio 1.0
 * to this floor costs no more than reading its input.
 */
#include "csvread.h"
#include "glr.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static int read_glr(const char *path, unsigned long long *sum)
{
	struct glr g;
	if (glr_open(&g, path, 0))
		return 1;
	for (uint64_t k = 0; k < g.n_ratings; k++)
		*sum += g.items[k] + g.ratings[k];
	glr_close(&g);
	return 0;
}

static int read_csv(const char *path, unsigned long long *sum)
{
	struct csvr *r;
	struct csvr_rec rec;
	int rc;
	if (csvr_open(&r, path, NULL))
		return 1;
	while ((rc = csvr_next(r, &rec)) == 1)
		for (size_t i = 0; i < rec.n; i++)
			*sum += rec.len[i];
	csvr_close(r);
	return rc < 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: read_floor FILE...\n", stderr);
		return 2;
	}
	log_init("read_floor", LOG_NORMAL);
	unsigned long long sum = 0;
	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);
		int glr = n > 4 && strcmp(argv[i] + n - 4, ".glr") == 0;
		if (glr ? read_glr(argv[i], &sum) : read_csv(argv[i], &sum))
			return 1;
	}
	printf("%llu\n", sum);
	return 0;
}
