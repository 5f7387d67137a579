/* report.h - goodlens-report: a pipeline's output folder in, CSV tables and
 * one self-contained report.html out.
 *
 * report_run() reads the inputs (inputs.h), counts (census.h), computes
 * every table (funnel, biases, PCA, similar items, crosstab,
 * recommendations), writes the CSV files and then the page (page.h).  Each
 * output goes to an outfile.h temporary and all are renamed together at the
 * end, so a failed run leaves no half file and no mixed set.
 */
#ifndef GL_REPORT_REPORT_H
#define GL_REPORT_REPORT_H

#include "biases.h"
#include "census.h"
#include "crosstab.h"
#include "funnel.h"
#include "inputs.h"
#include "pca.h"
#include "similar.h"

#include <stddef.h>
#include <stdint.h>

/* The most --note lines one report takes. */
#define REP_NOTES_MAX 32

struct rep_opts {
	const char *in;          /* the pipeline's output folder */
	const char *out;         /* where to write; NULL = in */
	const char *title;       /* names the data in the heading, which adds
				  * the measured counts; NULL = the folder's name */
	const char *about;       /* where the data comes from, under the heading
				  * (the recipe's description); NULL = none */
	const char *notes[REP_NOTES_MAX]; /* lines for the dataset section, e.g.
				  * optional raw files the pipeline did not find */
	size_t n_notes;
	uint32_t list_n;         /* items in each top/bottom list (15) */
	uint32_t pca_items;      /* most-rated items in the PCA (1000) */
	uint32_t labels;         /* most-rated items labelled on the map (60) */
	uint32_t similar_items;  /* most-rated items given neighbours (20) */
	uint32_t neighbours;     /* k nearest per item (10) */
	uint32_t cross_users;    /* crosstab rows: most active users (20) */
	uint32_t cross_items;    /* crosstab columns: most-rated items (15) */
	uint32_t rec_users;      /* sample users for recommendations (5) */
	uint32_t rec_n;          /* recommendations per user (10) */
	uint32_t min_ratings;    /* fewer ratings: left out of lists (5) */
	uint64_t seed;           /* picks the sample users */
};

/* The defaults above. */
void rep_opts_default(struct rep_opts *o);

/* Everything the page shows, computed once. */
struct report {
	const struct rep_opts *o;
	const char *title;       /* o->title or the --in folder's last part */
	struct rep_in in;
	struct census c;
	struct funnel fu;
	struct biases b;
	struct pca pca;
	struct similar sim;
	struct crosstab x;
	struct recs rec;
};

/* Run the whole report.  0 or a gl_err (logged). */
int report_run(const struct rep_opts *o);

#endif
