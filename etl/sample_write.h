/* sample_write.h - what the format writers of goodlens-sample share.
 *
 * sample.c builds a struct sample_ctx per format (model, catalogue,
 * generator, statistics) and drives its writer: open() opens the line files,
 * line() formats one generated line, and after the line files are committed
 * meta() writes the metadata files, which may use the per-book statistics
 * the lines left behind (counts, rating histograms).  Writers keep their
 * state in the ctx and write every file through sample_file_open/close.
 * The functions here (sample_write.c) call nothing of the driver or the
 * writers: the writers (sample_goodreads.h, sample_goodbooks.h,
 * sample_movielens.h, sample_grmeta.h) and the sidecar (sample_sidecar.h)
 * call them, and sample.c calls those.
 */
#ifndef GL_SAMPLE_WRITE_H
#define GL_SAMPLE_WRITE_H

#include "gzwrite.h"
#include "progress.h"
#include "sample.h"
#include "sample_catalog.h"
#include "sample_gen.h"
#include "sample_model.h"
#include "sample_order.h"
#include "sample_text.h"

#include <stdint.h>

struct sample_ctx;

struct sample_writer {
	int (*open)(struct sample_ctx *c);
	int (*line)(struct sample_ctx *c, const struct sample_event *e);
	int (*meta)(struct sample_ctx *c);
};

/* How one format differs from the others. */
struct sample_format_info {
	const char *name;
	double mu;
	struct sample_scale scale;
	int shelves;            /* has shelved (rating 0) lines */
	int editions;           /* editions and missing books apply */
	int dups;               /* --dup-share applies */
	enum sample_ids ids;
	enum sample_charset charset;
	enum sample_order order;
	enum sample_within within;
	int64_t t_start, t_end; /* time window of the lines */
	uint32_t session;       /* seconds; 0 = spread over the user's span */
	const struct sample_writer *writer;
};

/* An affine bijection of [0, n): x -> (a*x + b) mod n with gcd(a, n) = 1,
 * and its inverse, for file orders and csv ids without a table. */
struct sample_perm {
	uint64_t n, a, b, ainv;
};

/* Counts the lines leave behind, for metadata and the sidecar. */
struct sample_stats {
	uint64_t lines, ratings, shelved, dups;
	uint32_t codes;          /* rating codes 0..codes-1 (0 = shelved) */
	uint32_t *book_hist;     /* books x codes */
	uint32_t *user_lines;    /* users: lines written */
	uint32_t *user_ratings;  /* users: non-zero ratings written */
	double var_sum, mae_sum; /* floor terms over the ratings */
	double sum, sumsq;       /* of the written rating values */
};

#define SAMPLE_MAX_FILES 12
#define SAMPLE_LINE_FILES 2

struct sample_ctx {
	const struct sample_opts *o;
	const struct sample_format_info *f;
	const char *dir;
	int genre;                        /* lines kept: this genre, -1 = all */
	enum sample_order order;
	struct sample_model model;
	struct sample_catalog cat;
	struct sample_gen gen;
	struct sample_stats st;
	struct sbuf line;
	struct gzw out[SAMPLE_LINE_FILES]; /* the line files while open */
	char *files[SAMPLE_MAX_FILES];     /* names written, for planted.txt */
	struct outfile *set;              /* their members in the run's set */
	int nfiles;
	uint32_t user_cached;             /* the user whose hex id is cached */
	char user_hex[33];
	uint64_t meta_books;              /* rows of the books/movies file */
	struct sample_perm book_perm;     /* csv ids of books (goodreads-csv) */
	uint64_t map_users_dropped, map_books_dropped;
	struct progress prog;             /* the terminal progress line */
	double t0;
};

/* Open dir/name for writing (gzip at the --gzip-level if gz, else plain)
 * and remember the name.  The file is a member of the run's set (c->set):
 * it appears under its name when sample_run commits every file of the run
 * together.  0 or an error (logged). */
int sample_file_open(struct sample_ctx *c, struct gzw *w, const char *name, int gz);

/* Write the line buffer to w and clear it; GL_ENOMEM if building the line
 * ran out of memory.  0 or the error. */
int sample_file_line(struct sample_ctx *c, struct gzw *w);

/* Finish w: commit it to its temporary in the set if err is 0 (see
 * gzw_commit), else abort it.
 * Returns err, or the commit's error. */
int sample_file_close(struct gzw *w, int err);

/* The 32-hex-digit Goodreads-style id of user u (cached per user). */
const char *sample_user_hex(struct sample_ctx *c, uint32_t u);

/* Latent genre of work w: the model's for items, a hash for orphans. */
int sample_work_genre(const struct sample_ctx *c, uint32_t w);

/* Whether work w belongs in this run's files (the genre filter). */
int sample_work_in_scope(const struct sample_ctx *c, uint32_t w);

void sample_perm_init(struct sample_perm *p, uint64_t n, uint64_t seed);
uint64_t sample_perm_fwd(const struct sample_perm *p, uint64_t x);
uint64_t sample_perm_inv(const struct sample_perm *p, uint64_t y);

/* A work's rating histogram for metadata (index 1..codes-1 = rating
 * steps): its lines' histogram scaled by a per-work factor (the public
 * counts dwarf a sample), or a small synthetic one if it has no lines. */
void sample_work_hist(const struct sample_ctx *c, uint32_t w, uint64_t *hist);

/* Publication year of work w, plausible for the format. */
int sample_work_year(const struct sample_ctx *c, uint32_t w);

#endif
