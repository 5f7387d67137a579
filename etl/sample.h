/* sample.h - goodlens-sample: synthetic ratings dumps in the real formats.
 *
 * sample_run() writes one format (or all of them) into a folder: the files
 * under their real names, in their real layouts and encodings, generated
 * from a planted low-rank model (sample_model.h), plus two sidecars:
 * planted.txt (key=value: sizes, model constants and the noise floor) and
 * planted_items.csv (each item's true genre, bias and factors).  planted.txt
 * is committed last, so its presence means the folder is complete.
 * docs/SAMPLE.md describes every file and key.
 *
 * The output is a function of the options alone: same options, same bytes.
 */
#ifndef GL_SAMPLE_H
#define GL_SAMPLE_H

#include "sample_model.h"
#include "sample_order.h"

#include <stddef.h>
#include <stdint.h>

enum sample_format {
	SAMPLE_GOODREADS,
	SAMPLE_GOODREADS_GENRE,
	SAMPLE_GOODREADS_CSV,
	SAMPLE_GOODBOOKS,
	SAMPLE_ML_100K,
	SAMPLE_ML_1M,
	SAMPLE_ML_10M,
	SAMPLE_ML_CSV,
	SAMPLE_ML_KAGGLE,
	SAMPLE_ALL,
};

/* --format's names, indexed by enum sample_format, NULL-terminated (for
 * cli_choice).  --genre's are sample_genre_names (sample_model.h), --order's
 * sample_order_names (sample_order.h). */
extern const char *const sample_format_names[];

struct sample_opts {
	int format;                 /* enum sample_format */
	int genre;                  /* index into sample_genre_names, -1 = none */
	const char *out;            /* folder, created if missing */
	uint64_t seed;
	uint32_t users, items;
	uint64_t interactions;      /* target lines (ratings + shelved) */
	uint32_t factors;
	double noise;
	double zero_share;          /* Goodreads lines that are shelved (0) */
	double missing_books;       /* rated books absent from the metadata */
	double orphan_books;        /* metadata books never rated (x items) */
	double dup_share;           /* goodbooks: repeated (user, book) lines */
	double map_missing;         /* goodreads-csv: map rows left out */
	uint32_t editions;          /* most books per work (Goodreads) */
	double popularity_exponent;
	double activity_exponent;
	uint32_t min_per_user, min_per_item;
	int order;                  /* enum sample_order, -1 = the format's own */
	int goodbooks_by_book;      /* goodbooks: book_id,user_id,rating by book */
	int gzip_level;             /* 0..9 */
	int threads;                /* gzip threads (the bytes do not depend on it) */
	size_t sort_budget;         /* lines held at once when sorting */
};

/* The defaults: a walking-skeleton sample (2,000 users, 1,000 items, about
 * 50,000 lines) that takes well under a second. */
void sample_opts_default(struct sample_opts *o);

/* Check option values against each other.  0 or GL_EUSAGE (logged). */
int sample_opts_check(const struct sample_opts *o);

/* Write the sample o describes.  0, GL_EUSAGE, GL_EIO, GL_ENOMEM or
 * GL_ELIMIT (all logged).  Every file of the run is committed in one set
 * at the end (outfile_commit_set): after an error every target is as it
 * was before the run, and no temporary is left. */
int sample_run(const struct sample_opts *o);

#endif
