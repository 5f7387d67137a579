#include "filter.h"

#include "buf.h"
#include "dedupe.h"
#include "filter_dimtab.h"
#include "err.h"
#include "fstate.h"
#include "filter_stats.h"
#include "glr.h"
#include "filter_inner.h"
#include "kcore.h"
#include "log.h"
#include "outfile.h"
#include "ratingsel.h"
#include "filter_remap.h"
#include "topn.h"
#include "filter_usample.h"
#include "filter_works.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --item-key work: the item table's works, read on a thread of their own
 * while the steps before the merge work on the ratings. */
struct works_job {
	const char *path;
	uint64_t n_raw;
	uint32_t *imap;     /* the result, until merge_works takes it */
	uint64_t n_works;
	int err;
	pthread_t tid;
	int started, done;
};

static void *works_thread(void *arg)
{
	struct works_job *j = arg;
	j->err = works_load(j->path, j->n_raw, &j->imap, &j->n_works);
	return NULL;
}

/* The result: the thread's, or read now when no thread could start. */
static int works_finish(struct works_job *j)
{
	if (j->started && !j->done)
		pthread_join(j->tid, NULL);
	else if (!j->done)
		works_thread(j);
	j->done = 1;
	return j->err;
}

struct run {
	const struct filter_opts *o;
	struct works_job wj;
	struct glr g;
	struct fstate s;
	struct fstats st;
	uint32_t *rep;      /* works: work -> the edition whose row it takes */
	struct remap m;
	struct splitter sp;
	struct buf path;
};

static void census(struct run *r, const char *step)
{
	uint64_t users, items;
	fstate_census(&r->s, &users, &items);
	fstats_add(&r->st, step, r->s.kept, users, items);
	log_debug("%-12s %" PRIu64 " ratings, %" PRIu64 " users, %" PRIu64 " items", step,
		  (uint64_t)r->s.kept, (uint64_t)users, (uint64_t)items);
}

static const char *out_path(struct run *r, const char *name)
{
	buf_clear(&r->path);
	if (buf_printf(&r->path, "%s/%s", r->o->outdir, name))
		return NULL;
	return r->path.p;
}

/* Editions into works: choose each work's edition (the most rated now,
 * the lowest id on ties), install the map, deduplicate again. */
static int merge_works(struct run *r)
{
	const struct filter_opts *o = r->o;
	uint32_t *imap;
	uint64_t n_works;
	if (!o->items) {
		log_error("--item-key work needs --items (items.titled.csv with a work_id column)");
		return GL_EUSAGE;
	}
	int err = works_finish(&r->wj);
	if (err)
		return err;
	imap = r->wj.imap;
	n_works = r->wj.n_works;
	r->wj.imap = NULL;
	r->rep = malloc((n_works ? n_works : 1) * sizeof *r->rep);
	if (!r->rep) {
		free(imap);
		log_error("out of memory merging works");
		return GL_ENOMEM;
	}
	memset(r->rep, 0xff, n_works * sizeof *r->rep);
	for (uint64_t i = 0; i < r->g.n_items; i++) {
		uint32_t w = imap[i];
		if (r->rep[w] == UINT32_MAX || r->s.icount[i] > r->s.icount[r->rep[w]])
			r->rep[w] = (uint32_t)i;
	}
	if ((err = fstate_set_imap(&r->s, imap, n_works)))
		return err;
	return dedupe_run(&r->s, o->dedupe, NULL);
}

static int steps(struct run *r)
{
	const struct filter_opts *o = r->o;
	static const char *const zero_step[] = {"drop-zero", NULL, "implicit", "implicit-all"};
	int err = 0;
	census(r, "input");
	if (o->inner) {
		if ((err = inner_run(&r->s, o->users, o->items)))
			return err;
		census(r, "inner");
	}
	if (o->works && o->items) { /* after --inner, which reads the table too */
		r->wj = (struct works_job){.path = o->items, .n_raw = r->g.n_items};
		r->wj.started = pthread_create(&r->wj.tid, NULL, works_thread, &r->wj) == 0;
	}
	if (o->zeros != ZEROS_KEEP) {
		if ((err = ratingsel_zeros(&r->s, o->zeros)))
			return err;
		census(r, zero_step[o->zeros]);
	}
	if (o->range) {
		if ((err = ratingsel_range(&r->s, o->lo, o->hi)))
			return err;
		census(r, "range");
	}
	if ((err = dedupe_run(&r->s, o->dedupe, NULL)))
		return err;
	census(r, "dedupe");
	if (o->works) {
		if ((err = merge_works(r)))
			return err;
		census(r, "works");
	}
	if (o->top_items) {
		if ((err = topn_run(&r->s, o->top_items)))
			return err;
		census(r, "top-items");
	}
	if (o->min_user > 1 || o->min_item > 1) {
		uint32_t passes;
		if ((err = kcore_run(&r->s, o->min_user, o->min_item, &passes)))
			return err;
		log_debug("k-core: %u passes", passes);
		census(r, "kcore");
	}
	if (o->sample) {
		uint64_t n = o->sample == 1 ? o->sample_count : usample_count(&r->s, o->sample_frac);
		usample_run(&r->s, n, o->seed);
		census(r, "sample-users");
	}
	return 0;
}

/* The ratings file goes to path (its member's temporary in the set). */
static int write_ratings(struct run *r, const char *path, struct glr_writer **w)
{
	int err = split_init(&r->sp, &r->o->split, &r->s, r->o->seed);
	if (!err)
		err = remap_write(&r->m, &r->s, &r->sp, path, w);
	if (err)
		return err;
	uint64_t users, items;
	if (r->o->split.kind != SPLIT_NONE) {
		remap_census(&r->m, 1, &users, &items);
		fstats_add(&r->st, "train", r->m.n_ratings - r->m.n_valid, users, items);
		remap_census(&r->m, 2, &users, &items);
		fstats_add(&r->st, "valid", r->m.n_valid, users, items);
	}
	fstats_add(&r->st, "output", r->m.n_ratings, r->m.n_users, r->m.n_items);
	return 0;
}

/* users.csv and items.csv: their source tables are read and written on a
 * thread of their own while the ratings are written (they need only the
 * new ids and the counts and sums of remap_build). */
struct tables {
	struct dimtab_opts opt[2];
	uint32_t *rowmap, *groupmap; /* works: the items' own maps */
	struct outfile *of[2];       /* users.csv, items.csv */
	int err;
};

static int plan_tables(struct run *r, struct tables *t)
{
	t->opt[0] = (struct dimtab_opts){.in = r->o->users, .idcol = "user", .n_raw = r->g.n_users,
					 .rowmap = r->m.unew, .n_new = r->m.n_users,
					 .cnt = r->m.ucnt, .sum = r->m.usum, .scale = r->g.scale};
	t->opt[1] = (struct dimtab_opts){.in = r->o->items, .idcol = "item", .n_raw = r->g.n_items,
					 .rowmap = r->m.inew, .n_new = r->m.n_items,
					 .cnt = r->m.icnt, .sum = r->m.isum, .scale = r->g.scale};
	if (!r->o->works)
		return 0;
	/* Rows from each work's chosen edition; every edition's key listed. */
	t->rowmap = malloc((r->g.n_items ? r->g.n_items : 1) * sizeof *t->rowmap);
	t->groupmap = malloc((r->g.n_items ? r->g.n_items : 1) * sizeof *t->groupmap);
	if (!t->rowmap || !t->groupmap) {
		log_error("out of memory merging works");
		return GL_ENOMEM;
	}
	for (uint64_t i = 0; i < r->g.n_items; i++) {
		uint32_t w = r->s.imap[i];
		t->groupmap[i] = r->m.inew[w];
		t->rowmap[i] = r->rep[w] == i ? r->m.inew[w] : REMAP_NONE;
	}
	t->opt[1].rowmap = t->rowmap;
	t->opt[1].groupmap = t->groupmap;
	t->opt[1].groupcol = "work_id";
	return 0;
}

/* Read and write both tables (the counts and sums they carry are known
 * before the ratings are written: remap_build), each flushed to the disk
 * as soon as it is written, while the ratings may still be: the fsyncs of
 * the set's commit then find little left to write. */
static void *put_tables(void *arg)
{
	struct tables *t = arg;
	for (int k = 0; k < 2 && !t->err; k++)
		if (!(t->err = dimtab_write(&t->opt[k], t->of[k]->fp)))
			t->err = outfile_flush(t->of[k]);
	return NULL;
}

static void free_tables(struct tables *t)
{
	free(t->rowmap);
	free(t->groupmap);
}

/* Write every output, then commit them as a set: a failure anywhere
 * leaves the earlier outputs as they were. */
static int outputs(struct run *r)
{
	enum { RATINGS, USERS, ITEMS, STATS, N };
	static const char *const names[N] = {"ratings.glr", "users.csv", "items.csv",
					     "filter.stats.csv"};
	struct outfile of[N];
	struct glr_writer *w = NULL;
	const char *ratings = NULL; /* where the ratings writer puts its file */
	int err = 0;
	memset(of, 0, sizeof of);
	for (int n = 0; n < N && !err; n++) {
		const char *path = out_path(r, names[n]);
		err = !path		? GL_ENOMEM
		      : n == RATINGS ? outfile_reserve(&of[n], path, &ratings)
				     : outfile_open(&of[n], path);
	}
	struct tables t = {.of = {&of[USERS], &of[ITEMS]}};
	pthread_t tid;
	int threaded = 0;
	if (!err && !(err = plan_tables(r, &t)))
		threaded = pthread_create(&tid, NULL, put_tables, &t) == 0;
	if (!err && !threaded)
		put_tables(&t);
	if (!err)
		err = write_ratings(r, ratings, &w);
	/* onto its member of the set (its fsync while the tables may still
	 * be written); the set's commit or abort decides what appears */
	if (!err)
		err = glr_writer_commit(w), w = NULL;
	if (threaded)
		pthread_join(tid, NULL);
	if (!err)
		err = t.err;
	free_tables(&t);
	if (!err)
		fstats_write(&r->st, of[STATS].fp);
	glr_writer_abort(w);
	if (err) {
		outfile_abort_set(of, N);
		return err;
	}
	return outfile_commit_set(of, N);
}

int filter_run(const struct filter_opts *o)
{
	struct run r;
	memset(&r, 0, sizeof r);
	r.o = o;
	int err = outfile_mkdirs(o->outdir);
	/* the checksums are checked on a thread of their own while the steps
	 * run: their verdict comes before anything is written.  They read it
	 * all; the steps read item ids and ratings (and a duplicate's times):
	 * the rest waits for the output pass, and goes once checked. */
	if (!err)
		err = glr_open_async(&r.g, o->ratings, GLR_REL_TIMES | GLR_REL_BITS);
	if (err)
		return err;
	if (!(err = fstate_init_threads(&r.s, &r.g, o->threads)))
		err = steps(&r);
	if (!err)
		err = glr_verdict(&r.g);
	if (!err)
		err = remap_build(&r.m, &r.s);
	if (!err)
		err = outputs(&r);
	if (r.wj.started && !r.wj.done)
		pthread_join(r.wj.tid, NULL); /* a step before the merge failed */
	free(r.wj.imap);
	split_free(&r.sp);
	remap_free(&r.m);
	free(r.rep);
	fstate_free(&r.s);
	glr_close(&r.g);
	buf_free(&r.path);
	return err;
}
