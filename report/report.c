#include "report.h"

#include "err.h"
#include "log.h"
#include "outfile.h"
#include "page.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void rep_opts_default(struct rep_opts *o)
{
	memset(o, 0, sizeof *o);
	o->list_n = 15;
	o->pca_items = 1000;
	o->labels = 60;
	o->similar_items = 20;
	o->neighbours = 10;
	o->cross_users = 20;
	o->cross_items = 15;
	o->rec_users = 5;
	o->rec_n = 10;
	o->min_ratings = 5;
	o->seed = 1;
}

/* Does in_dir/name exist apart from out_dir/name (so it is copied)? */
static int copy_wanted(const char *in_dir, const char *out_dir, const char *name, int *want)
{
	char *src = rep_path(in_dir, name), *dst = rep_path(out_dir, name);
	struct stat a, b;
	*want = 0;
	if (src && dst)
		*want = !stat(src, &a) &&
			(stat(dst, &b) || a.st_dev != b.st_dev || a.st_ino != b.st_ino);
	free(src);
	free(dst);
	if (!src || !dst) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	return 0;
}

/* Copy in_dir/name into f. */
static int copy_through(const char *in_dir, const char *name, FILE *f)
{
	char *src = rep_path(in_dir, name);
	char buf[65536];
	FILE *in = NULL;
	int err = GL_ENOMEM;
	if (!src) {
		log_error("out of memory");
		goto done;
	}
	err = GL_EIO;
	if (!(in = fopen(src, "rb"))) {
		log_error("%s: cannot open: %s", src, strerror(errno));
		goto done;
	}
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, f);
	if (ferror(in)) {
		log_error("%s: read error", src);
		goto done;
	}
	err = 0;
done:
	if (in)
		fclose(in);
	free(src);
	return err;
}

/* The page heading: --title, else the last part of the --in folder. */
static const char *default_title(const char *dir, char *buf, size_t cap)
{
	char real[PATH_MAX];
	const char *d = realpath(dir, real) ? real : dir;
	size_t len = strlen(d);
	while (len > 1 && d[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && d[start - 1] != '/')
		start--;
	snprintf(buf, cap, "%.*s", (int)(len - start), d + start);
	return buf;
}

static int compute(struct report *r)
{
	const struct rep_opts *o = r->o;
	const struct rep_in *in = &r->in;
	int err;
	if ((err = census_run(&r->c, &in->g, o->cross_users)) ||
	    (err = funnel_build(&r->fu, in)) || (err = biases_build(&r->b, in, &r->c)))
		return err;
	const struct glm_tensor *q = in->have_model ? glm_find(&in->model, "item_factors") : NULL;
	if (q && q->rows != r->c.n_items)
		q = NULL;
	if (q) {
		uint32_t m = o->pca_items < r->c.n_items ? o->pca_items : (uint32_t)r->c.n_items;
		if ((err = pca_run(&r->pca, q, r->c.pop, m)))
			return err;
		if ((err = similar_run(&r->sim, q, &r->c, o->similar_items, o->neighbours,
				       o->min_ratings)))
			return err;
	}
	if ((err = crosstab_run(&r->x, in, &r->c, o->cross_users, o->cross_items)))
		return err;
	return recs_run(&r->rec, in, &r->c, o->rec_users, o->rec_n, o->rec_n, o->min_ratings,
			o->seed);
}

/* Every output, in the order written: the page last, its links point at
 * the tables.  Tables the inputs cannot fill are written with their header
 * alone, so no table of an earlier run stays behind looking current. */
enum { W_FUNNEL, W_HIST, W_METRICS, W_BIASES, W_PCA, W_SIMILAR, W_CROSSTAB, W_RECS, W_PAGE, W_N };
static const char *const out_names[W_N] = {
	"funnel.csv", "ratings_hist.csv", "metrics.csv", "biases.csv", "pca.csv",
	"similar.csv", "crosstab.csv", "recommendations.csv", "report.html",
};

static int write_one(const struct report *r, int w, FILE *f)
{
	const struct rep_in *in = &r->in;
	switch (w) {
	case W_FUNNEL: return funnel_write(&r->fu, f);
	case W_HIST: return census_hist_write(&r->c, f);
	case W_METRICS: return copy_through(in->dir, "metrics.csv", f);
	case W_BIASES: return biases_write(&r->b, in, &r->c, f);
	case W_PCA: return pca_write(&r->pca, in, &r->c, f);
	case W_SIMILAR: return similar_write(&r->sim, in, &r->c, f);
	case W_CROSSTAB: return crosstab_write(&r->x, in, f);
	case W_RECS: return recs_write(&r->rec, in, f);
	default: return page_write(r, f);
	}
}

/* Write every output to its temporary, then commit them as a set: a full
 * disk or a failing table leaves the earlier set whole, not new tables
 * beside an old page. */
static int write_all(const struct report *r, const char *out)
{
	struct outfile of[W_N];
	int err = 0;
	memset(of, 0, sizeof of); /* a table not written is a member skipped */
	for (int w = 0; w < W_N && !err; w++) {
		int want = 1;
		if (w == W_METRICS && ((err = copy_wanted(r->in.dir, out, out_names[w], &want)) || !want))
			continue;
		char *path = rep_path(out, out_names[w]);
		if (!path) {
			log_error("out of memory");
			err = GL_ENOMEM;
			break;
		}
		err = outfile_open(&of[w], path);
		free(path);
		if (!err)
			err = write_one(r, w, of[w].fp);
	}
	if (err) {
		outfile_abort_set(of, W_N);
		return err;
	}
	return outfile_commit_set(of, W_N);
}

int report_run(const struct rep_opts *o)
{
	struct report r;
	char title[256];
	const char *out = o->out ? o->out : o->in;
	int err;
	memset(&r, 0, sizeof r);
	r.o = o;
	r.title = o->title ? o->title : default_title(o->in, title, sizeof title);
	if ((err = rep_in_load(&r.in, o->in)))
		return err;
	if ((err = compute(&r)) || (err = outfile_mkdirs(out)) || (err = write_all(&r, out)))
		goto done;
	log_info("wrote %s/report.html", out);
done:
	recs_free(&r.rec);
	crosstab_free(&r.x);
	similar_free(&r.sim);
	pca_free(&r.pca);
	biases_free(&r.b);
	funnel_free(&r.fu);
	census_free(&r.c);
	rep_in_free(&r.in);
	return err;
}
