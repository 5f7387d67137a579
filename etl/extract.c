#include "extract.h"

#include "delim.h"
#include "err.h"
#include "extract_kind.h"
#include "extract_src.h"
#include "gzline.h"
#include "log.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define SNIFF_LINE (1u << 20)

/* Everything the run writes, so the end can commit all or nothing (in
 * this order); a member not written is skipped. */
enum { OUT_RATINGS, OUT_USERS, OUT_ITEMS, OUT_STATS, OUT_TAB0, OUT_N = OUT_TAB0 + XT_N };

/* A piece of the ratings' outputs, written on a thread of its own. */
struct tail_job {
	struct run *r;
	pthread_t th;
	int started; /* th runs: join it */
	int err;     /* its result, once joined */
};

struct run {
	struct xctx cx;
	int *kinds;
	struct xstats *st;
	int family;
	int tab_kind[XT_N]; /* kind that writes each table, XK_NONE if none */
	FILE *tab[XT_N];    /* the open tables */
	struct outfile out[OUT_N];
	char *path[OUT_N]; /* final names */
	int last_ratings;  /* index of the last ratings file, -1 if none */
	const char *glr_to; /* where the ratings file's writer puts it */
	struct tail_job keys, glr;
};

/* ---- planning: kinds, families, tables ------------------------------------------ */

/* What the first non-blank line of a file says. */
struct sniffed {
	int kind;
	int empty;      /* no line with text */
	char line[200]; /* that line, cut to fit ("" when not read) */
};

/* The first non-blank line as gzline would give it, from the start of a
 * regular file alone: its first QUICK_IN bytes, inflated (gzip, by its
 * magic bytes) into QUICK_OUT bytes at most by zlib, which says nothing of
 * what it does not like.  Opening gzline for one line costs 15-20 ms a
 * file (its buffers, and 1 MiB read and inflated), before any work starts.
 * 1 with sn filled when a whole line of text (after a byte order mark and
 * blank lines, a "\r" before its "\n" removed) lies in there; 0 for
 * anything else (a first line longer, a gzip member ending before it,
 * damaged data), and gzline reads the file as always, saying what is
 * wrong with it. */
#define QUICK_IN (64u << 10)
#define QUICK_OUT (256u << 10)

static int quick_sniff(const char *path, struct sniffed *sn)
{
	unsigned char *in = malloc(QUICK_IN), *out = malloc(QUICK_OUT + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;
	size_t n = 0;
	while (fd >= 0 && in && n < QUICK_IN) {
		ssize_t k = read(fd, in + n, QUICK_IN - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	if (fd >= 0)
		close(fd);
	char *text = NULL;
	size_t len = 0;
	if (!in || !out) {
		/* nothing: gzline says it is out of memory */
	} else if (n >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		if (inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK) {
			zs.next_in = in;
			zs.avail_in = (uInt)n;
			zs.next_out = out;
			zs.avail_out = QUICK_OUT;
			int rc = inflate(&zs, Z_NO_FLUSH);
			/* a member's end, or its start: text only from the first */
			if (rc == Z_OK || rc == Z_BUF_ERROR || rc == Z_STREAM_END) {
				text = (char *)out;
				len = QUICK_OUT - zs.avail_out;
			}
			inflateEnd(&zs);
		}
	} else {
		text = (char *)in;
		len = n;
	}
	const char *p = text, *end = text + len;
	if (text && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (text && p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break; /* the line may go on: gzline decides */
		size_t l = (size_t)(nl - p);
		if (l && p[l - 1] == '\r')
			l--;
		if (l == 0) {
			p = nl + 1;
			continue;
		}
		((char *)p)[l] = 0;
		sn->kind = xkind_detect(path, p);
		snprintf(sn->line, sizeof sn->line, "%s", p);
		ok = 1;
		break;
	}
	free(in);
	free(out);
	return ok;
}

static int sniff(const char *path, struct sniffed *sn)
{
	memset(sn, 0, sizeof *sn);
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		/* a pipe (<(zcat ...)) cannot be read twice: the name decides */
		sn->kind = xkind_detect(path, NULL);
		return 0;
	}
	if (quick_sniff(path, sn))
		return 0;
	struct gzl *z;
	struct gzl_opts zo = {.max_line = SNIFF_LINE, .no_thread = 1};
	struct gzl_line ln;
	int err = gzl_open(&z, path, &zo);
	if (err)
		return err;
	const char *line = NULL;
	int rc;
	while ((rc = gzl_next(z, &ln)) == 1 && !ln.too_long && ln.len == 0)
		;
	if (rc == 1 && !ln.too_long)
		line = ln.p;
	sn->empty = rc == 0;
	sn->kind = xkind_detect(path, line);
	if (line)
		snprintf(sn->line, sizeof sn->line, "%s", line);
	gzl_close(z);
	return rc < 0 ? rc : 0; /* a file broken from the start (logged) */
}

/* Say why a file's kind is unknown and what to do.  Returns the error. */
static int unknown_kind(const char *path, const struct sniffed *sn)
{
	char how[256];
	if (sn->empty) {
		log_error("%s is empty", path);
		return GL_EFORMAT;
	}
	const char *line = sn->line;
	if (!line[0] || line[0] == '{' || delim_detect(&line, 1) == DELIM_NONE) {
		/* JSON of another shape, a pipe, or text of one column: not a CSV */
		log_error("%s: cannot tell what kind of file this is; name it with --source (see "
			  "--help)",
			  path);
		return GL_EUSAGE;
	}
	int data = xkind_suggest(sn->line, how, sizeof how);
	size_t len = strlen(sn->line);
	log_error("%s: %s `%s%s` matches no layout; known layouts: %s; for another CSV use %s",
		  path, data ? "first line" : "header", sn->line,
		  len == sizeof sn->line - 1 ? "..." : "", xkind_layouts(), how);
	return GL_EUSAGE;
}

static int is_dir(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return 0;
	log_error("%s is a directory, expected a ratings or metadata file", path);
	return 1;
}

static int plan(struct run *r, const struct xopts *o, char *const *files, int n)
{
	r->family = XF_NONE;
	r->last_ratings = -1;
	for (int t = 0; t < XT_N; t++)
		r->tab_kind[t] = XK_NONE;
	for (int i = 0; i < n; i++) {
		int k = o->source;
		if (is_dir(files[i]))
			return GL_EIO;
		if (k == XK_NONE) {
			if (strcmp(files[i], "-") == 0) {
				log_error("reading stdin needs --source to say what it holds");
				return GL_EUSAGE;
			}
			struct sniffed sn;
			int err = sniff(files[i], &sn);
			if (err)
				return err;
			if ((k = sn.kind) == XK_NONE)
				return unknown_kind(files[i], &sn);
		}
		r->kinds[i] = k;
		int fam = xkind_family(k), tab = xkind_info(k)->table;
		if (fam != XF_NONE) {
			r->last_ratings = i;
			if (r->family != XF_NONE && r->family != fam) {
				log_error("%s: %s ratings cannot share a ratings file with the %s "
					  "files before it; extract them in separate runs",
					  files[i], xkind_name(k), xfamily_info(r->family)->item_col);
				return GL_EUSAGE;
			}
			r->family = fam;
		}
		if (tab != XT_NONE) {
			int prev = r->tab_kind[tab];
			if (prev != XK_NONE &&
			    strcmp(xkind_info(prev)->header, xkind_info(k)->header) != 0) {
				log_error("%s: a %s file and a %s file would both write %s", files[i],
					  xkind_name(prev), xkind_name(k), xtab_file(tab));
				return GL_EUSAGE;
			}
			r->tab_kind[tab] = k;
		}
		log_debug("%s: %s", files[i], xkind_name(k));
	}
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int open_out(struct run *r, int slot, const char *name)
{
	if (!(r->path[slot] = join_path(r->cx.o->out_dir, name))) {
		log_error("out of memory");
		return GL_ENOMEM;
	}
	return outfile_open(&r->out[slot], r->path[slot]);
}

static int prepare(struct run *r)
{
	const struct xopts *o = r->cx.o;
	int err = outfile_mkdirs(o->out_dir);
	for (int t = 0; t < XT_N && !err; t++)
		if (r->tab_kind[t] != XK_NONE && !(err = open_out(r, OUT_TAB0 + t, xtab_file(t)))) {
			r->tab[t] = r->out[OUT_TAB0 + t].fp;
			fprintf(r->tab[t], "%s\n", xkind_info(r->tab_kind[t])->header);
		}
	if (!err && r->family != XF_NONE) {
		const struct xfamily_info *fi = xfamily_info(r->family);
		int csv = r->family == XF_CSV;
		struct fb_opts fo = {.max_keys = o->max_keys, .sort_mem = o->sort_mem,
				     .has_times = csv ? o->csv.name[XC_TIME] != NULL : fi->has_times,
				     .has_read = fi->has_read, .has_reviewed = fi->has_reviewed,
				     .scale = csv ? rscale_unit(&o->csv.scale) : 0.5f};
		err = fb_open(&r->cx.fb, o->out_dir, &fo);
	}
	return err;
}

/* ---- reading ---------------------------------------------------------------------- */

static int read_file(struct run *r, struct xfile *f)
{
	struct xctx *cx = &r->cx;
	/* only a ratings file touches the builder: once the last one is read
	 * the tail's threads own it */
	struct factb *fb = xkind_family(f->kind) != XF_NONE ? cx->fb : NULL;
	if (fb)
		fb_file_start(fb);
	struct stat sb;
	uint64_t size = strcmp(f->path, "-") != 0 && stat(f->path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
	progress_start(&cx->prog, f->path, size, cx->o->quiet);
	const struct xkind_info *ki = xkind_info(f->kind);
	if (ki->table != XT_NONE) {
		f->tab = r->tab[ki->table];
		f->header = ki->header;
	}
	int err = ki->read(cx, f);
	progress_end(&cx->prog);
	if (!err && fb && (err = fb_flush(fb)) == GL_ELIMIT)
		err = xsrc_key_limit(cx, f);
	if (fb) {
		f->st->users = fb_file_users(fb);
		f->st->items = fb_file_items(fb);
	}
	if (!err)
		log_debug("%s: %" PRIu64 " records, %" PRIu64 " kept", f->path, f->st->records,
			  f->st->kept);
	return err;
}

/* ---- the ratings' outputs, on threads ------------------------------------------- */

/* Once the last ratings file is read the builder changes no more, so
 * users.raw.csv and items.raw.csv (one thread) and ratings.raw.glr (another:
 * the copy out of the spill and its fsync) are written while the files
 * after it (the books) are read, or, when nothing follows, beside each
 * other: on 2 cores the books' parse leaves part of a core idle, and the
 * tail after the last file is no longer one serial block.  Their files are
 * opened here, on the main thread, and committed with the set at the end;
 * a failure anywhere still leaves no output. */

static void *keys_main(void *arg)
{
	struct tail_job *j = arg;
	struct run *r = j->r;
	const struct xfamily_info *fi = xfamily_info(r->family);
	char ucol[256], icol[256];
	snprintf(ucol, sizeof ucol, "%s", fi->user_col);
	snprintf(icol, sizeof icol, "%s", fi->item_col);
	if (r->family == XF_CSV) {
		xcols_key_name(&r->cx.o->csv, XC_USER, ucol, sizeof ucol);
		xcols_key_name(&r->cx.o->csv, XC_ITEM, icol, sizeof icol);
	}
	j->err = fb_write_keys(r->cx.fb, 1, r->out[OUT_USERS].fp, "user", ucol);
	if (!j->err)
		j->err = fb_write_keys(r->cx.fb, 0, r->out[OUT_ITEMS].fp, "item", icol);
	/* on the disk now, so that the commit's fsync finds nothing to do */
	if (!j->err)
		j->err = outfile_flush(&r->out[OUT_USERS]);
	if (!j->err)
		j->err = outfile_flush(&r->out[OUT_ITEMS]);
	return NULL;
}

static void *glr_main(void *arg)
{
	struct tail_job *j = arg;
	j->err = fb_write_glr(j->r->cx.fb, j->r->glr_to);
	return NULL;
}

/* Run fn(j) on a thread, or here if none can start.  Signals stay the
 * main thread's: the handler that removes the temporaries runs there. */
static void tail_job_start(struct run *r, struct tail_job *j, void *(*fn)(void *))
{
	j->r = r;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	j->started = pthread_create(&j->th, NULL, fn, j) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!j->started)
		fn(j);
}

static int tail_job_join(struct tail_job *j)
{
	if (j->started)
		pthread_join(j->th, NULL);
	j->started = 0;
	return j->err;
}

static int tail_start(struct run *r)
{
	int err = fb_finish(r->cx.fb);
	if (!err)
		err = open_out(r, OUT_USERS, "users.raw.csv");
	if (!err)
		err = open_out(r, OUT_ITEMS, "items.raw.csv");
	if (!err && !(r->path[OUT_RATINGS] = join_path(r->cx.o->out_dir, "ratings.raw.glr"))) {
		log_error("out of memory");
		err = GL_ENOMEM;
	}
	if (!err)
		err = outfile_reserve(&r->out[OUT_RATINGS], r->path[OUT_RATINGS], &r->glr_to);
	if (err)
		return err;
	tail_job_start(r, &r->keys, keys_main);
	tail_job_start(r, &r->glr, glr_main);
	return 0;
}

/* Wait for the tail's threads: 0 or the first error (keys, then glr). */
static int tail_join(struct run *r)
{
	int ek = tail_job_join(&r->keys), eg = tail_job_join(&r->glr);
	return ek ? ek : eg;
}

/* ---- finishing: write, then commit all or nothing --------------------------------- */

static int write_stats(struct run *r, int n)
{
	struct xctx *cx = &r->cx;
	struct xstats total = {.file = "total", .kind = ""};
	for (int i = 0; i < n; i++)
		xstats_add(&total, &r->st[i]);
	if (cx->fb) {
		total.users = fb_n_users(cx->fb);
		total.items = fb_n_items(cx->fb);
	}
	int err = open_out(r, OUT_STATS, "extract.stats.csv");
	if (!err)
		xstats_write(r->out[OUT_STATS].fp, r->st, (size_t)n, &total);
	return err;
}

static int commit_all(struct run *r)
{
	if (r->cx.fb) {
		log_debug("ratings: %" PRIu64 " from %" PRIu32 " users on %" PRIu32
			  " items, %s, dictionaries %zu bytes",
			  fb_n_ratings(r->cx.fb), fb_n_users(r->cx.fb), fb_n_items(r->cx.fb),
			  fb_grouped(r->cx.fb) ? "grouped by user" : "not grouped: scattered",
			  fb_memory(r->cx.fb));
		int err = tail_join(r);
		if (err)
			return err;
	}
	/* The set is only good whole: a failed rename puts back what the
	 * earlier ones replaced. */
	return outfile_commit_set(r->out, OUT_N);
}

static void cleanup(struct run *r)
{
	tail_join(r); /* before its files go */
	outfile_abort_set(r->out, OUT_N);
	for (int s = 0; s < OUT_N; s++)
		free(r->path[s]);
	fb_free(r->cx.fb);
	free(r->kinds);
	free(r->st);
}

int extract_run(const struct xopts *o, char *const *files, int n)
{
	struct run r;
	memset(&r, 0, sizeof r);
	r.cx.o = o;
	r.cx.rep = o->rep;
	r.kinds = calloc((size_t)n, sizeof *r.kinds);
	r.st = calloc((size_t)n, sizeof *r.st);
	int err = GL_ENOMEM;
	if (!r.kinds || !r.st) {
		log_error("out of memory");
		goto done;
	}
	if ((err = plan(&r, o, files, n)) || (err = prepare(&r)))
		goto done;
	uint64_t records = 0;
	for (int i = 0; i < n && !err; i++) {
		r.st[i].file = files[i];
		r.st[i].kind = xkind_name(r.kinds[i]);
		struct xfile f = {.path = files[i], .kind = r.kinds[i], .st = &r.st[i]};
		err = read_file(&r, &f);
		records += r.st[i].records;
		if (!err && i == r.last_ratings)
			err = tail_start(&r);
	}
	if (!err)
		err = xrep_check_share(&r.cx.rep, records);
	if (!err)
		err = write_stats(&r, n);
	if (!err)
		err = commit_all(&r);
done:
	cleanup(&r);
	return err;
}
