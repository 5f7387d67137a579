/* extract.h - goodlens-extract as a function: raw dumps in, the fact file
 * and dimension tables out.
 *
 * extract_run() reads every input in order.  Interaction files (one family,
 * see extract_kind.h) feed one ratings.raw.glr with one users.raw.csv and
 * one items.raw.csv; metadata files become books.csv, works.csv,
 * authors.csv, movies.csv (and the Goodreads id maps are copied through as
 * user_id_map.csv and book_id_map.csv); extract.stats.csv gets a row per
 * file and a total.  Every output is written to a temporary and renamed
 * only after every input was read without a fatal error, so a failed run
 * leaves the folder as it was.
 */
#ifndef GL_EXTRACT_H
#define GL_EXTRACT_H

#include "extract_columns.h"
#include "extract_stats.h"

#include <stddef.h>
#include <stdint.h>

enum xenc { XENC_AUTO, XENC_UTF8, XENC_LATIN1 };

struct xopts {
	const char *out_dir;
	int source;        /* XK_* forced for every file, or XK_NONE to detect */
	int encoding;      /* MovieLens text: XENC_AUTO per field, or forced */
	int quiet;         /* no progress line */
	size_t max_line;   /* longest line or record kept; 0 = default */
	uint32_t max_keys; /* distinct users (and items) allowed; 0 = no limit */
	size_t sort_mem;   /* bytes for the ungrouped fallback; 0 = default */
	int threads;       /* Goodreads JSON lines: parse threads; 1 = on the reading
			    * thread; 0 = the default (xsrc_threads) */
	int cpus;          /* CPUs the run may use (cli_cpus) */
	struct xrep rep;   /* --strict and --max-bad */
	struct xcols csv;  /* --source csv: --columns, --no-header, --delimiter, --scale */
};

/* Run the extract over files[0..n).  0, GL_EUSAGE (bad combination of
 * inputs, logged) or another gl_err (logged). */
int extract_run(const struct xopts *o, char *const *files, int n);

#endif
