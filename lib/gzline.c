#include "gzline.h"

#include "bigmem.h"
#include "clock.h"
#include "err.h"
#include "log.h"

#include "gunzip.h"
#include "inflate_zlib.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INBUF (1u << 20)
#define SMALL_FILE ((uint64_t)512 << 10) /* bytes on disk: at most a chunk of text, or a few */

struct slot {
	char *buf;
	size_t len;
};

struct gzl {
	char *name;
	int fd;
	int own_fd;
	int small;         /* a file under SMALL_FILE: buffers from malloc */
	size_t max_line;
	const struct infl_engine *engine;

	/* Producer side: only the reader thread (or fill() inline) touches it. */
	int gzip;          /* 1 if the stream starts with the gzip magic */
	int gz_done;       /* the gzip stream ended cleanly */
	int file_eof;
	int deferred;      /* an error to report once the text before it is out */
	struct gunzip *gz;
	unsigned char *in;
	const unsigned char *next_in; /* unconsumed input: next_in[0..avail_in) */
	size_t avail_in;
	uint64_t in_read;  /* file bytes read into `in` so far */
	_Atomic uint64_t in_used; /* file bytes consumed by inflate or copy */

	/* The ring, guarded by mu. */
	struct slot slots[GZL_SLOTS];
	int head, filled;  /* next slot to hand out, slots ready */
	int done, err, stop, holding;
	pthread_mutex_t mu;
	pthread_cond_t can_fill, can_take;
	pthread_t thread;
	int threaded;
	int sync_ready;    /* mu and the conds are initialised */
	double cpu_at_end; /* the thread's CPU seconds, once done */
	double waited;     /* seconds it waited for a free slot, before */
	double wait_from;  /* the start of the wait it is in, or 0 */

	/* Consumer side. */
	char *cur;         /* chunk being split into lines */
	size_t pos, len;
	uint64_t text_off; /* text offset of cur[0] */
	char *carry;
	size_t carry_len, carry_cap;
	int skipping;      /* inside a line longer than max_line */
	uint64_t line_start, line_len, lineno;
	uint64_t out_bytes;

	/* Lending (gzl_lend), the consumer's alone. */
	int lending;
	uint64_t cur_chunk;  /* number of cur, once a chunk is taken */
	int have_cur;
	int cur_lent;        /* a line in cur went out with its chunk number */
	struct lent {
		char *buf;
		uint64_t chunk;
	} *lent;             /* lent chunks, oldest first: lent[lent_head..lent_n) */
	size_t lent_head, lent_n, lent_cap;
	char **spare;        /* buffers given back */
	size_t spare_n, spare_cap;
};

/* ---- producer: read and inflate one chunk ---------------------------------- */

/* Read more input after what is unconsumed.  The INFL_LOOKBACK bytes
 * consumed last stay in front of it: the inflater may hand them back. */
static int read_more(struct gzl *z)
{
	size_t back = (size_t)(z->next_in - z->in);
	if (back > INFL_LOOKBACK)
		back = INFL_LOOKBACK;
	size_t keep = back + z->avail_in;
	if (z->next_in - back != z->in)
		memmove(z->in, z->next_in - back, keep);
	z->next_in = z->in + back;
	for (;;) {
		ssize_t n = read(z->fd, z->in + keep, INBUF - keep);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_at(z->name, LOG_NOPOS, z->in_read, "read error: %s", strerror(errno));
			return GL_EIO;
		}
		if (n == 0)
			z->file_eof = 1;
		z->in_read += (uint64_t)n;
		z->avail_in += (size_t)n;
		return 0;
	}
}

static uint64_t consumed(const struct gzl *z) { return z->in_read - z->avail_in; }

static int fill_gzip(struct gzl *z, struct slot *s)
{
	struct infl_io io = {
		.next_in = z->next_in,
		.avail_in = z->avail_in,
		.next_out = (unsigned char *)s->buf,
		.avail_out = GZL_CHUNK,
	};
	int rc = 0;
	while (io.avail_out > 0 && !z->gz_done) {
		rc = gunzip_run(z->gz, &io, z->file_eof);
		if (rc == GUNZIP_END)
			z->gz_done = 1;
		if (rc != GUNZIP_MORE)
			break;
		if (io.avail_out == 0)
			break;
		z->next_in = io.next_in;
		z->avail_in = io.avail_in;
		rc = read_more(z); /* gunzip wants input: it has used all there was */
		if (rc)
			break;
		io.next_in = z->next_in;
		io.avail_in = z->avail_in;
	}
	z->next_in = io.next_in;
	z->avail_in = io.avail_in;
	s->len = GZL_CHUNK - io.avail_out;
	atomic_store(&z->in_used, consumed(z));
	if (rc < 0)
		return rc;
	return s->len > 0;
}

static int fill_plain(struct gzl *z, struct slot *s)
{
	/* Bytes read ahead while sniffing the magic come first. */
	if (z->avail_in) {
		memcpy(s->buf, z->next_in, z->avail_in);
		s->len = z->avail_in;
		z->avail_in = 0;
	}
	while (s->len < GZL_CHUNK && !z->file_eof) {
		ssize_t n = read(z->fd, s->buf + s->len, GZL_CHUNK - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_at(z->name, LOG_NOPOS, z->in_read, "read error: %s", strerror(errno));
			return GL_EIO;
		}
		if (n == 0)
			z->file_eof = 1;
		z->in_read += (uint64_t)n;
		s->len += (size_t)n;
	}
	atomic_store(&z->in_used, z->in_read);
	return s->len > 0;
}

/* 1 = slot filled, 0 = end of stream, < 0 = error (logged).  Text inflated
 * before an error is handed out first; the error comes with the next call. */
static int fill(struct gzl *z, struct slot *s)
{
	if (z->deferred)
		return z->deferred;
	s->len = 0;
	int rc = z->gzip ? fill_gzip(z, s) : fill_plain(z, s);
	if (rc < 0 && s->len > 0) {
		z->deferred = rc;
		return 1;
	}
	return rc;
}

static void *producer(void *arg)
{
	struct gzl *z = arg;
	pthread_mutex_lock(&z->mu);
	for (;;) {
		/* A full ring: sleep until two slots are free, not one, so
		 * that each wake-up inflates two chunks (a wake-up costs more
		 * than the wait it saves on a busy machine). */
		if (z->filled == GZL_SLOTS) {
			z->wait_from = clock_now();
			while (z->filled > GZL_SLOTS - 2 && !z->stop)
				pthread_cond_wait(&z->can_fill, &z->mu);
			z->waited += clock_now() - z->wait_from;
			z->wait_from = 0;
		}
		if (z->stop)
			break;
		struct slot *s = &z->slots[(z->head + z->filled) % GZL_SLOTS];
		pthread_mutex_unlock(&z->mu);
		int rc = fill(z, s);
		pthread_mutex_lock(&z->mu);
		if (rc <= 0) {
			z->err = rc;
			z->cpu_at_end = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
			z->done = 1;
			pthread_mutex_unlock(&z->mu);
			pthread_cond_signal(&z->can_take);
			return NULL;
		}
		z->filled++;
		/* signalled with mu free: the consumer it wakes does not wake
		 * to a held lock and sleep again */
		pthread_mutex_unlock(&z->mu);
		pthread_cond_signal(&z->can_take);
		pthread_mutex_lock(&z->mu);
	}
	pthread_mutex_unlock(&z->mu);
	return NULL;
}

/* ---- consumer: take chunks, split lines ------------------------------------ */

static int take_chunk(struct gzl *z, char **buf, size_t *len);

/* Buffers of a big input are on huge pages (lib/bigmem.h: a page fault is
 * dear on a VM, and a buffer is written through once a chunk); a small
 * file touches a few of its pages, and a huge page would be cleared
 * whole for it. */
static void *buf_alloc(const struct gzl *z, size_t n) { return z->small ? malloc(n) : big_alloc(n); }

static void buf_release(const struct gzl *z, void *p, size_t n)
{
	if (z->small)
		free(p);
	else
		big_free(p, n);
}

/* A buffer for a slot whose chunk is lent: one given back, or a new one. */
static char *fresh_buf(struct gzl *z)
{
	if (z->spare_n)
		return z->spare[--z->spare_n];
	char *b = buf_alloc(z, GZL_CHUNK);
	if (!b)
		log_error("out of memory reading %s", z->name);
	return b;
}

/* Note buf (the chunk cur_chunk) as lent.  0 or GL_ENOMEM (logged). */
static int lend_push(struct gzl *z, char *buf)
{
	if (z->lent_head == z->lent_n)
		z->lent_head = z->lent_n = 0;
	if (z->lent_n == z->lent_cap) {
		if (z->lent_head) { /* room at the front: move down */
			memmove(z->lent, z->lent + z->lent_head,
				(z->lent_n - z->lent_head) * sizeof *z->lent);
			z->lent_n -= z->lent_head;
			z->lent_head = 0;
		} else {
			size_t cap = z->lent_cap ? 2 * z->lent_cap : 16;
			struct lent *l = realloc(z->lent, cap * sizeof *l);
			if (!l) {
				log_error("out of memory reading %s", z->name);
				return GL_ENOMEM;
			}
			z->lent = l;
			z->lent_cap = cap;
		}
	}
	z->lent[z->lent_n++] = (struct lent){buf, z->cur_chunk};
	return 0;
}

void gzl_lend(struct gzl *z) { z->lending = 1; }

void gzl_give_back(struct gzl *z, uint64_t n)
{
	while (z->lent_head < z->lent_n && z->lent[z->lent_head].chunk < n) {
		char *b = z->lent[z->lent_head++].buf;
		if (z->spare_n == z->spare_cap) {
			size_t cap = z->spare_cap ? 2 * z->spare_cap : 16;
			char **sp = realloc(z->spare, cap * sizeof *sp);
			if (!sp) { /* no room to keep it: let it go */
				buf_release(z, b, GZL_CHUNK);
				continue;
			}
			z->spare = sp;
			z->spare_cap = cap;
		}
		z->spare[z->spare_n++] = b;
	}
}

/* Lending: the chunk in hand (the slot at s) is about to be reused: keep it
 * for its lines and give the slot another buffer.  0 or GL_ENOMEM. */
static int lend_cur(struct gzl *z, struct slot *s, char *fresh)
{
	int err = lend_push(z, s->buf);
	if (err) {
		buf_release(z, fresh, GZL_CHUNK);
		return err;
	}
	s->buf = fresh;
	return 0;
}

/* Release the chunk in hand and take the next: 1, 0 at the end, or error. */
static int take(struct gzl *z, char **buf, size_t *len)
{
	int rc = take_chunk(z, buf, len);
	if (rc == 1) {
		z->cur_chunk += z->have_cur;
		z->have_cur = 1;
		z->cur_lent = 0;
	}
	return rc;
}

static int take_chunk(struct gzl *z, char **buf, size_t *len)
{
	/* a buffer to put in place of the chunk in hand, which is lent; a
	 * chunk no line went out of (inside a line too long to keep, or
	 * pieced together) is simply reused, so that skipping a long line
	 * stays in bounded memory */
	char *fresh = NULL;
	if (z->lending && z->cur_lent && !(fresh = fresh_buf(z)))
		return GL_ENOMEM;
	if (!z->threaded) {
		if (fresh) {
			int err = lend_cur(z, &z->slots[0], fresh);
			if (err)
				return err;
		}
		if (z->done)
			return z->err;
		int rc = fill(z, &z->slots[0]);
		if (rc <= 0) {
			z->done = 1;
			z->err = rc;
			return rc;
		}
		*buf = z->slots[0].buf;
		*len = z->slots[0].len;
		return 1;
	}
	pthread_mutex_lock(&z->mu);
	if (fresh) {
		int err = z->holding ? lend_cur(z, &z->slots[z->head], fresh) : (buf_release(z, fresh, GZL_CHUNK), 0);
		if (err) {
			pthread_mutex_unlock(&z->mu);
			return err;
		}
	}
	int wake = 0; /* the producer may be waiting for a free slot */
	if (z->holding) {
		z->head = (z->head + 1) % GZL_SLOTS;
		z->filled--;
		z->holding = 0;
		wake = z->filled <= GZL_SLOTS - 2;
	}
	if (z->filled == 0 && !z->done && wake) {
		pthread_cond_signal(&z->can_fill);
		wake = 0;
	}
	while (z->filled == 0 && !z->done)
		pthread_cond_wait(&z->can_take, &z->mu);
	int rc;
	if (z->filled > 0) {
		*buf = z->slots[z->head].buf;
		*len = z->slots[z->head].len;
		z->holding = 1;
		rc = 1;
	} else {
		rc = z->err;
	}
	pthread_mutex_unlock(&z->mu);
	if (wake)
		pthread_cond_signal(&z->can_fill);
	return rc;
}

static int carry_append(struct gzl *z, const char *p, size_t n)
{
	if (z->skipping)
		return 0;
	if (z->carry_len + n > z->max_line) {
		z->skipping = 1;
		z->carry_len = 0;
		return 0;
	}
	if (z->carry_len + n + 1 > z->carry_cap) {
		size_t cap = z->carry_cap;
		while (cap < z->carry_len + n + 1)
			cap *= 2;
		char *c = realloc(z->carry, cap);
		if (!c) {
			log_error("out of memory reading %s", z->name);
			return GL_ENOMEM;
		}
		z->carry = c;
		z->carry_cap = cap;
	}
	memcpy(z->carry + z->carry_len, p, n);
	z->carry_len += n;
	return 0;
}

/* Hand out the line p[0..len) (p has room for a terminator at p[len]). */
static void emit(struct gzl *z, struct gzl_line *ln, char *p, size_t len)
{
	ln->lineno = ++z->lineno;
	ln->offset = z->line_start;
	ln->full_len = z->line_len;
	ln->too_long = z->skipping;
	if (z->skipping) {
		p = z->carry;
		len = 0;
	}
	p[len] = 0;
	if (len && p[len - 1] == '\r')
		p[--len] = 0;
	if (ln->lineno == 1 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		len -= 3;
	}
	ln->p = p;
	ln->len = len;
	z->out_bytes += z->line_len;
	z->skipping = 0;
	z->carry_len = 0;
	z->line_len = 0;
}

int gzl_next(struct gzl *z, struct gzl_line *ln)
{
	for (;;) {
		if (z->pos < z->len) {
			char *start = z->cur + z->pos;
			size_t avail = z->len - z->pos;
			char *nl = memchr(start, '\n', avail);
			size_t n = nl ? (size_t)(nl - start) : avail;
			int pending = z->carry_len > 0 || z->skipping;
			if (!pending && z->line_len == 0)
				z->line_start = z->text_off + z->pos;
			z->line_len += n;
			z->pos += n;
			if (nl) {
				z->pos++;
				z->out_bytes++;
			}
			if (nl && !pending) {
				if (n > z->max_line)
					z->skipping = 1;
				ln->chunk = z->lending && !z->skipping ? z->cur_chunk : GZL_NO_CHUNK;
				z->cur_lent |= ln->chunk != GZL_NO_CHUNK;
				emit(z, ln, start, n);
				return 1;
			}
			int err = carry_append(z, start, n);
			if (err)
				return err;
			if (nl) {
				ln->chunk = GZL_NO_CHUNK;
				emit(z, ln, z->carry, z->carry_len);
				return 1;
			}
			continue;
		}
		z->text_off += z->len;
		z->pos = z->len = 0;
		int rc = take(z, &z->cur, &z->len);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (z->line_len == 0 && !z->skipping)
				return 0;
			ln->chunk = GZL_NO_CHUNK;
			emit(z, ln, z->carry, z->carry_len); /* a last line without "\n" */
			return 1;
		}
	}
}

/* ---- open and close -------------------------------------------------------- */

/* Is it gzip?  Then start the inflater: the one opts name, else the one
 * $GL_INFLATE names, else the fastest this build has. */
static int sniff(struct gzl *z)
{
	while (z->avail_in < 2 && !z->file_eof) {
		int err = read_more(z);
		if (err)
			return err;
	}
	z->gzip = z->avail_in >= 2 && z->in[0] == 0x1f && z->in[1] == 0x8b;
	if (!z->gzip)
		return 0;
	log_debug("%s: gzip, inflated by %s", z->name, z->engine->name);
	return gunzip_new(&z->gz, z->name, z->engine);
}

static int pick_engine(struct gzl *z, const char *name)
{
	const char *from = "inflate option";
	if (!name || !*name) {
		name = getenv("GL_INFLATE");
		from = "GL_INFLATE";
	}
	if (!name || !*name) {
		z->engine = infl_best();
		return 0;
	}
	z->engine = infl_by_name(name);
	if (z->engine)
		return 0;
	log_error("%s is \"%s\", an inflater this build lacks: use %s or unset it", from, name,
		  infl_best() == &infl_zlib ? "zlib" : "isal or zlib");
	return GL_EUSAGE;
}

int gzl_open(struct gzl **out, const char *path, const struct gzl_opts *opts)
{
	struct gzl *z = calloc(1, sizeof *z);
	int err = GL_ENOMEM;
	*out = NULL;
	if (!z)
		goto nomem;
	z->fd = -1;
	z->max_line = opts && opts->max_line ? opts->max_line : GZL_MAX_LINE_DEFAULT;
	z->threaded = !(opts && opts->no_thread);
	z->name = strdup(path);
	if (!z->name)
		goto nomem;
	if (strcmp(path, "-") == 0) {
		z->fd = 0;
	} else {
		z->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (z->fd < 0) {
			log_error("cannot open %s: %s", path, strerror(errno));
			err = GL_EIO;
			goto fail;
		}
		z->own_fd = 1;
		posix_fadvise(z->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		struct stat st;
		z->small = fstat(z->fd, &st) == 0 && S_ISREG(st.st_mode) &&
			   (uint64_t)st.st_size < SMALL_FILE;
	}
	z->in = buf_alloc(z, INBUF);
	z->carry_cap = 65536;
	z->carry = malloc(z->carry_cap);
	if (!z->in || !z->carry)
		goto nomem;
	for (int i = 0; i < (z->threaded ? GZL_SLOTS : 1); i++)
		if (!(z->slots[i].buf = buf_alloc(z, GZL_CHUNK)))
			goto nomem;
	err = pick_engine(z, opts ? opts->inflate : NULL);
	if (err)
		goto fail;
	z->next_in = z->in;
	err = sniff(z);
	if (err)
		goto fail;
	pthread_mutex_init(&z->mu, NULL);
	pthread_cond_init(&z->can_fill, NULL);
	pthread_cond_init(&z->can_take, NULL);
	z->sync_ready = 1;
	if (z->threaded && pthread_create(&z->thread, NULL, producer, z) != 0)
		z->threaded = 0; /* no thread to be had: inflate inline */
	*out = z;
	return 0;
nomem:
	log_error("out of memory opening %s", path);
fail:
	gzl_close(z);
	return err;
}

void gzl_close(struct gzl *z)
{
	if (!z)
		return;
	if (z->sync_ready) {
		if (z->threaded) {
			pthread_mutex_lock(&z->mu);
			z->stop = 1;
			pthread_cond_signal(&z->can_fill);
			pthread_mutex_unlock(&z->mu);
			pthread_join(z->thread, NULL);
		}
		pthread_mutex_destroy(&z->mu);
		pthread_cond_destroy(&z->can_fill);
		pthread_cond_destroy(&z->can_take);
	}
	gunzip_free(z->gz);
	if (z->own_fd)
		close(z->fd);
	for (int i = 0; i < GZL_SLOTS; i++)
		buf_release(z, z->slots[i].buf, GZL_CHUNK);
	for (size_t i = z->lent_head; i < z->lent_n; i++)
		buf_release(z, z->lent[i].buf, GZL_CHUNK);
	free(z->lent);
	for (size_t i = 0; i < z->spare_n; i++)
		buf_release(z, z->spare[i], GZL_CHUNK);
	free(z->spare);
	buf_release(z, z->in, INBUF);
	free(z->carry);
	free(z->name);
	free(z);
}

const char *gzl_name(const struct gzl *z) { return z->name; }
int gzl_is_gzip(const struct gzl *z) { return z->gzip; }
const char *gzl_inflater(const struct gzl *z) { return z->gzip ? z->engine->name : NULL; }
uint64_t gzl_bytes_in(const struct gzl *z) { return atomic_load(&z->in_used); }
uint64_t gzl_bytes_out(const struct gzl *z) { return z->out_bytes; }
uint64_t gzl_lines(const struct gzl *z) { return z->lineno; }

double gzl_reader_waited(struct gzl *z)
{
	if (!z->threaded)
		return -1;
	pthread_mutex_lock(&z->mu);
	double s = z->waited;
	if (z->wait_from > 0)
		s += clock_now() - z->wait_from;
	pthread_mutex_unlock(&z->mu);
	return s;
}

double gzl_reader_cpu(struct gzl *z)
{
	if (!z->threaded)
		return -1;
	/* done is set under mu before the thread ends: while it is not, the
	 * thread's clock can be read */
	pthread_mutex_lock(&z->mu);
	double s = z->cpu_at_end;
	clockid_t clk;
	if (!z->done && pthread_getcpuclockid(z->thread, &clk) == 0)
		s = clock_seconds(clk);
	pthread_mutex_unlock(&z->mu);
	return s;
}
