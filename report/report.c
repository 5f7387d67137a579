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

/* mkdir -p: 0 or GL_EIO (logged). */
static int make_dir(const char *dir)
{
	char *p = strdup(dir);
	int err = 0;
	if (!p) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c && c != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST) {
			log_error("%s: cannot create folder: %s", p, strerror(errno));
			err = GL_EIO;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return err;
}

/* Copy in/name to out/name unless they are the same file. */
static int copy_through(const char *in_dir, const char *out_dir, const char *name)
{
	char *src = rep_path(in_dir, name), *dst = rep_path(out_dir, name);
	char buf[65536];
	FILE *in = NULL;
	struct outfile of;
	struct stat a, b;
	int err = GL_ENOMEM;
	if (!src || !dst) {
		log_error("out of memory");
		goto done;
	}
	err = 0;
	if (stat(src, &a))
		goto done; /* absent: nothing to copy */
	if (!stat(dst, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		goto done;
	if (!(in = fopen(src, "rb"))) {
		log_error("%s: cannot open: %s", src, strerror(errno));
		err = GL_EIO;
		goto done;
	}
	if ((err = outfile_open(&of, dst)))
		goto done;
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, of.fp);
	if (ferror(in)) {
		log_error("%s: read error", src);
		outfile_abort(&of);
		err = GL_EIO;
		goto done;
	}
	err = outfile_commit(&of);
done:
	if (in)
		fclose(in);
	free(src);
	free(dst);
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

/* Write out_dir/name with fn; the path is built here so every writer takes
 * one. */
#define WRITE(name, call)                                          \
	do {                                                       \
		char *path = rep_path(out, name);                  \
		if (!path) {                                       \
			log_error("out of memory");                \
			return GL_ENOMEM;                          \
		}                                                  \
		int werr = (call);                                 \
		free(path);                                        \
		if (werr)                                          \
			return werr;                               \
	} while (0)

static int write_all(const struct report *r, const char *out)
{
	const struct rep_in *in = &r->in;
	int err;
	WRITE("funnel.csv", funnel_write(&r->fu, path));
	WRITE("ratings_hist.csv", census_hist_write(&r->c, path));
	if ((err = copy_through(in->dir, out, "metrics.csv")))
		return err;
	/* tables the inputs cannot fill are written with their header alone,
	 * so no table of an earlier run stays behind looking current */
	WRITE("biases.csv", biases_write(&r->b, in, &r->c, path));
	WRITE("pca.csv", pca_write(&r->pca, in, &r->c, path));
	WRITE("similar.csv", similar_write(&r->sim, in, &r->c, path));
	WRITE("crosstab.csv", crosstab_write(&r->x, in, path));
	WRITE("recommendations.csv", recs_write(&r->rec, in, path));
	/* the page last: its links point at the tables above */
	WRITE("report.html", page_write(r, path));
	return 0;
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
	if ((err = compute(&r)) || (err = make_dir(out)) || (err = write_all(&r, out)))
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
