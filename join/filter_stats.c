#include "filter_stats.h"

#include <inttypes.h>
#include <stdio.h>

void fstats_add(struct fstats *f, const char *step, uint64_t rows, uint64_t users, uint64_t items)
{
	if (f->n >= FSTATS_MAX)
		return;
	f->row[f->n].step = step;
	f->row[f->n].rows = rows;
	f->row[f->n].users = users;
	f->row[f->n].items = items;
	f->n++;
}

void fstats_write(const struct fstats *f, FILE *fp)
{
	fputs("step,rows,users,items\n", fp);
	for (int i = 0; i < f->n; i++)
		fprintf(fp, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", f->row[i].step,
			(uint64_t)f->row[i].rows, (uint64_t)f->row[i].users,
			(uint64_t)f->row[i].items);
}
