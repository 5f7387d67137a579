#include "extract_parlines.h"

#include "clock.h"
#include "err.h"
#include "gzline.h"
#include "log.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { B_FREE, B_FILLING, B_QUEUED, B_PARSING, B_DONE };

struct parlines {
	struct pl_cfg cfg;
	int nb;
	struct pl_batch *b;
	pthread_t *thread;
	void **worker;
	int started;
	uint64_t next_seq;  /* given to the next batch submitted */
	uint64_t take_seq;  /* of the next batch to take back */
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
};

/* The queued batch submitted first, or NULL.  Called with mu held. */
static struct pl_batch *oldest_queued(struct parlines *p)
{
	struct pl_batch *best = NULL;
	for (int i = 0; i < p->nb; i++)
		if (p->b[i].state == B_QUEUED && (!best || p->b[i].seq < best->seq))
			best = &p->b[i];
	return best;
}

struct worker_arg {
	struct parlines *p;
	void *w;
};

/* Parse a batch's lines in order, each into its slot of b->out. */
static int parse_all(const struct pl_cfg *cfg, void *w, struct pl_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct pl_line *l = &b->line[i];
		int err = cfg->parse(w, l->p ? l->p : b->text + l->at, l,
				     (char *)b->out + i * cfg->out_size, &b->msg);
		if (err)
			return err;
	}
	return 0;
}

static void *worker(void *arg)
{
	struct worker_arg *a = arg;
	struct parlines *p = a->p;
	void *w = a->w;
	free(a);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct pl_batch *b;
		while (!p->stop && !(b = oldest_queued(p)))
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		b->state = B_PARSING;
		pthread_mutex_unlock(&p->mu);
		b->err = parse_all(&p->cfg, w, b);
		pthread_mutex_lock(&p->mu);
		b->state = B_DONE;
		/* woken with mu free, the reader does not wake to a held lock */
		pthread_mutex_unlock(&p->mu);
		pthread_cond_broadcast(&p->done);
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int pl_open(struct parlines **out, const struct pl_cfg *cfg)
{
	struct parlines *p = calloc(1, sizeof *p);
	*out = NULL;
	if (!p)
		goto nomem;
	p->cfg = *cfg;
	p->nb = 2 * cfg->workers + 2;
	p->b = calloc((size_t)p->nb, sizeof *p->b);
	p->thread = calloc((size_t)cfg->workers, sizeof *p->thread);
	p->worker = calloc((size_t)cfg->workers, sizeof *p->worker);
	if (!p->b || !p->thread || !p->worker)
		goto nomem;
	for (int i = 0; i < p->nb; i++)
		if (!(p->b[i].out = malloc(PL_BATCH_LINES * cfg->out_size)))
			goto nomem;
	for (int i = 0; i < cfg->workers; i++)
		if (!(p->worker[i] = cfg->worker_new(cfg->arg)))
			goto nomem;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (; p->started < cfg->workers; p->started++) {
		struct worker_arg *a = malloc(sizeof *a);
		if (!a)
			break;
		*a = (struct worker_arg){p, p->worker[p->started]};
		if (pthread_create(&p->thread[p->started], NULL, worker, a) != 0) {
			free(a);
			break;
		}
	}
	if (p->started == 0) { /* not one thread to be had */
		log_error("cannot start parse threads");
		pl_close(p);
		return GL_ENOMEM;
	}
	*out = p;
	return 0;
nomem:
	log_error("out of memory starting parse threads");
	if (p && p->worker)
		for (int i = 0; i < cfg->workers; i++)
			if (p->worker[i])
				cfg->worker_free(p->worker[i]);
	if (p && p->b)
		for (int i = 0; i < p->nb; i++)
			free(p->b[i].out);
	if (p) {
		free(p->b);
		free(p->thread);
		free(p->worker);
	}
	free(p);
	return GL_ENOMEM;
}

struct pl_batch *pl_get(struct parlines *p)
{
	struct pl_batch *b = NULL;
	pthread_mutex_lock(&p->mu);
	for (int i = 0; i < p->nb && !b; i++)
		if (p->b[i].state == B_FREE)
			b = &p->b[i];
	if (b)
		b->state = B_FILLING;
	pthread_mutex_unlock(&p->mu);
	if (!b)
		return NULL;
	if (b->text_cap > 4 * PL_BATCH_TEXT) { /* a long line made it big once */
		free(b->text);
		b->text = NULL;
		b->text_cap = 0;
	}
	b->n = 0;
	b->text_len = 0;
	b->bytes = 0;
	b->chunks = 0;
	b->err = 0;
	buf_clear(&b->msg);
	return b;
}

int pl_add(struct pl_batch *b, const struct gzl_line *ln)
{
	b->bytes += ln->len + 1;
	if (ln->chunk != GZL_NO_CHUNK) { /* lent: no copy */
		b->line[b->n++] = (struct pl_line){ln->p, 0, ln->len, ln->lineno, ln->offset,
						   ln->full_len, ln->too_long};
		b->chunks = ln->chunk + 1;
		return b->n == PL_BATCH_LINES || b->bytes >= PL_BATCH_TEXT;
	}
	if (b->text_len + ln->len + 1 > b->text_cap) {
		size_t cap = b->text_cap ? b->text_cap : PL_BATCH_TEXT + 4096;
		while (cap < b->text_len + ln->len + 1)
			cap *= 2;
		char *t = realloc(b->text, cap);
		if (!t) {
			log_error("out of memory holding lines for the parse threads");
			return GL_ENOMEM;
		}
		b->text = t;
		b->text_cap = cap;
	}
	struct pl_line *l = &b->line[b->n++];
	*l = (struct pl_line){NULL, b->text_len, ln->len, ln->lineno, ln->offset, ln->full_len,
			      ln->too_long};
	memcpy(b->text + b->text_len, ln->p, ln->len);
	b->text[b->text_len + ln->len] = 0;
	b->text_len += ln->len + 1;
	return b->n == PL_BATCH_LINES || b->bytes >= PL_BATCH_TEXT;
}

void pl_submit(struct parlines *p, struct pl_batch *b)
{
	pthread_mutex_lock(&p->mu);
	b->seq = p->next_seq++;
	b->state = B_QUEUED;
	pthread_mutex_unlock(&p->mu);
	pthread_cond_signal(&p->work);
}

struct pl_batch *pl_take(struct parlines *p, int wait)
{
	struct pl_batch *b = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->take_seq < p->next_seq) {
		for (int i = 0; i < p->nb && !b; i++)
			if (p->b[i].state >= B_QUEUED && p->b[i].seq == p->take_seq)
				b = &p->b[i];
		while (b && wait && b->state != B_DONE)
			pthread_cond_wait(&p->done, &p->mu);
		if (b && b->state == B_DONE) {
			b->state = B_FILLING; /* the caller's until pl_put */
			p->take_seq++;
		} else {
			b = NULL;
		}
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

void pl_put(struct parlines *p, struct pl_batch *b)
{
	pthread_mutex_lock(&p->mu);
	b->state = B_FREE;
	pthread_mutex_unlock(&p->mu);
}

void pl_close(struct parlines *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->started; i++)
		pthread_join(p->thread[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	for (int i = 0; i < p->cfg.workers; i++)
		p->cfg.worker_free(p->worker[i]);
	for (int i = 0; i < p->nb; i++) {
		free(p->b[i].text);
		free(p->b[i].out);
		buf_free(&p->b[i].msg);
	}
	free(p->b);
	free(p->thread);
	free(p->worker);
	free(p);
}

/* pl_run with one worker: each line parsed on this thread straight from
 * z's buffer (no copy, no thread) and applied as a batch of one, to the end
 * or (limit > 0) until limit bytes of text are handed out: then 1, with
 * lines left. */
static int run_inline(const struct pl_cfg *cfg, struct gzl *z,
		      int (*apply)(void *ctx, const struct pl_batch *b), void *ctx,
		      uint64_t limit)
{
	struct pl_batch *b = calloc(1, sizeof *b);
	void *w = cfg->worker_new(cfg->arg);
	int err = 0, rc = 1;
	if (b && !(b->out = malloc(cfg->out_size)))
		err = GL_ENOMEM;
	if (!b || !w || err) {
		log_error("out of memory starting the parser");
		err = GL_ENOMEM;
	}
	struct gzl_line ln;
	while (!err && !(limit && gzl_bytes_out(z) >= limit) && (rc = gzl_next(z, &ln)) == 1) {
		b->text = ln.p;
		b->line[0] = (struct pl_line){ln.p, 0, ln.len, ln.lineno, ln.offset, ln.full_len,
					      ln.too_long};
		b->n = 1;
		buf_clear(&b->msg);
		b->err = cfg->parse(w, ln.p, &b->line[0], b->out, &b->msg);
		err = apply(ctx, b);
	}
	if (w)
		cfg->worker_free(w);
	if (b) {
		free(b->out);
		buf_free(&b->msg);
		free(b);
	}
	return err ? err : rc; /* rc is 1 only at the limit */
}

int pl_parse_bound(double wall, double parse_cpu, double read_cpu, double read_waited)
{
	return read_cpu < 0 || (read_waited > PL_WAIT_SHARE * wall && parse_cpu > PL_BOUND * read_cpu);
}

/* A measure of parsing on the reading thread against z's read-ahead. */
struct probe {
	double wall, parse_cpu, read_cpu, read_waited;
};

static void probe_start(struct gzl *z, struct probe *pr)
{
	*pr = (struct probe){clock_now(), clock_seconds(CLOCK_THREAD_CPUTIME_ID),
			     gzl_reader_cpu(z), gzl_reader_waited(z)};
}

/* Whether the measure since probe_start says to start the workers. */
static int probe_end(struct gzl *z, const struct probe *pr, uint64_t text)
{
	double wall = clock_now() - pr->wall;
	double parse = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - pr->parse_cpu;
	double read = pr->read_cpu < 0 ? -1 : gzl_reader_cpu(z) - pr->read_cpu;
	double waited = pr->read_waited < 0 ? -1 : gzl_reader_waited(z) - pr->read_waited;
	int bound = pl_parse_bound(wall, parse, read, waited);
	if (bound)
		log_debug("%s: at text byte %" PRIu64 ", the last %u MiB took %.2f CPU s to parse "
			  "and %.2f to read, which waited %.2f s of %.2f for the parse",
			  gzl_name(z), gzl_bytes_out(z), (unsigned)(text >> 20), parse, read, waited,
			  wall);
	return bound;
}

/* b is applied: the chunks before the last one its lines lie in are read
 * (later batches' lines lie in that chunk or later ones). */
static void give_back(struct gzl *z, const struct pl_batch *b)
{
	if (b->chunks)
		gzl_give_back(z, b->chunks - 1);
}

int pl_run(const struct pl_cfg *cfg, struct gzl *z,
	   int (*apply)(void *ctx, const struct pl_batch *b), void *ctx)
{
	if (cfg->workers <= 1)
		return run_inline(cfg, z, apply, ctx, 0);
	if (cfg->adapt) {
		struct probe pr = {0, 0, 0, 0};
		uint64_t skip = cfg->probe_skip ? cfg->probe_skip : PL_PROBE_SKIP;
		uint64_t text = cfg->probe_text ? cfg->probe_text : PL_PROBE_TEXT, upto = skip;
		int rc, hits = 0;
		for (;;) {
			if ((rc = run_inline(cfg, z, apply, ctx, upto)) != 1)
				return rc; /* the end, or an error */
			if (upto > skip && (hits = probe_end(z, &pr, text) ? hits + 1 : 0) == 2)
				break;
			probe_start(z, &pr);
			upto = gzl_bytes_out(z) + text;
		}
		log_debug("%s: the rest parsed on %d threads", gzl_name(z), cfg->workers);
	}
	struct parlines *p;
	int err = pl_open(&p, cfg), rc = 1;
	struct pl_batch *b;
	gzl_lend(z);
	while (!err && rc == 1) {
		if (!(b = pl_get(p))) { /* every batch out: apply the oldest */
			b = pl_take(p, 1);
			err = apply(ctx, b);
			give_back(z, b);
			pl_put(p, b);
			continue;
		}
		struct gzl_line ln;
		int full = 0;
		while (!full && (rc = gzl_next(z, &ln)) == 1)
			if ((full = pl_add(b, &ln)) < 0)
				err = full;
		if (b->n && !err)
			pl_submit(p, b);
		else
			pl_put(p, b);
		while (!err && (b = pl_take(p, 0))) {
			err = apply(ctx, b);
			give_back(z, b);
			pl_put(p, b);
		}
	}
	while (p && (b = pl_take(p, 1))) { /* what is left, unless already failed */
		if (!err)
			err = apply(ctx, b);
		pl_put(p, b);
	}
	pl_close(p);
	return err ? err : rc < 0 ? rc : 0;
}
