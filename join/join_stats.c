#include "join_stats.h"

#include "csvwrite.h"
#include "outfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

void join_result_free(struct join_result *res)
{
	for (int s = 0; s < 2; s++) {
		free(res->side[s].examples);
		res->side[s].examples = NULL;
	}
}

int join_write_stats(struct outfile *of, const char *path, const struct join_result *res)
{
	int err = outfile_open(of, path);
	if (err)
		return err;
	fputs("side,file,rows,keys,matched_keys,unmatched_keys,unmatched_rows,examples\n", of->fp);
	for (int s = 0; s < 2; s++) {
		const struct join_side *d = &res->side[s];
		fputs(s == 0 ? "left," : "right,", of->fp);
		csvw_str(of->fp, d->file);
		fprintf(of->fp, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
			(uint64_t)d->rows, (uint64_t)d->keys, (uint64_t)d->matched_keys,
			(uint64_t)d->unmatched_keys, (uint64_t)d->unmatched_rows);
		csvw_str(of->fp, d->examples ? d->examples : "");
		putc('\n', of->fp);
	}
	if ((err = outfile_flush(of)))
		outfile_abort(of);
	return err;
}
