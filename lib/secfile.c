#include "secfile.h"

#include "err.h"
#include "log.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* The sections' CRC-32 (zlib's): ISA-L's, when built with it, is the same
 * function several times faster (a filter or an export checks a 30-50 MB
 * .glr on opening and writes one). */
#ifdef GL_HAVE_ISAL
#include <isa-l/crc.h>
static uint32_t sec_crc(uint32_t crc, const void *p, size_t n)
{
	return crc32_gzip_refl(crc, (const unsigned char *)p, (uint64_t)n);
}
#else
static uint32_t sec_crc(uint32_t crc, const void *p, size_t n)
{
	return (uint32_t)crc32_z(crc, (const Bytef *)p, n);
}
#endif

#define HEAD 64
#define ENTRY 48
#define WBUF (1u << 16)

/* Section payloads are native arrays read in place, so the format is only
 * read and written on little-endian hosts. */
static int host_is_le(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 1;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static uint64_t align_up(uint64_t x) { return (x + SEC_ALIGN - 1) & ~(uint64_t)(SEC_ALIGN - 1); }

/* ---- writer ---------------------------------------------------------------- */

struct wsec {
	char name[SEC_NAME_LEN];
	uint64_t offset, length, written;
	uint32_t crc;
	uint8_t *buf;
	size_t used;
};

struct secw {
	struct outfile out;
	char magic[SEC_MAGIC_LEN];
	uint32_t version;
	int n;
	uint64_t size;
	struct wsec sec[SEC_MAX];
};

static int write_at(struct secw *w, const void *data, size_t len, uint64_t off)
{
	return outfile_pwrite(&w->out, data, len, off);
}

static int flush_sec(struct secw *w, struct wsec *s)
{
	if (!s->used)
		return 0;
	int err = write_at(w, s->buf, s->used, s->offset + s->written - s->used);
	s->used = 0;
	return err;
}

int secw_open(struct secw **out, const char *path, const char magic[SEC_MAGIC_LEN],
	      uint32_t version, const struct secdef *defs, int n)
{
	*out = NULL;
	if (!host_is_le()) {
		log_error("%s: goodlens files are little-endian and this host is not", path);
		return GL_EUSAGE;
	}
	if (n < 0 || n > SEC_MAX) {
		log_error("%s: too many sections (%d)", path, n);
		return GL_EUSAGE;
	}
	struct secw *w = calloc(1, sizeof *w);
	if (!w)
		goto nomem;
	memcpy(w->magic, magic, SEC_MAGIC_LEN);
	w->version = version;
	w->n = n;
	uint64_t off = align_up(HEAD + (uint64_t)ENTRY * (uint64_t)n);
	for (int i = 0; i < n; i++) {
		struct wsec *s = &w->sec[i];
		if (strlen(defs[i].name) >= SEC_NAME_LEN) {
			log_error("%s: section name too long: %s", path, defs[i].name);
			free(w);
			return GL_EUSAGE;
		}
		strncpy(s->name, defs[i].name, SEC_NAME_LEN);
		s->offset = off;
		s->length = defs[i].length;
		s->crc = (uint32_t)crc32(0L, Z_NULL, 0);
		if (defs[i].length > UINT64_MAX / 2 || off > UINT64_MAX / 2) {
			log_error("%s: section %s is too large", path, defs[i].name);
			free(w);
			return GL_EUSAGE;
		}
		off = align_up(off + defs[i].length);
		if (!(s->buf = malloc(WBUF))) {
			secw_abort(w);
			goto nomem;
		}
	}
	w->size = off;
	int err = outfile_open(&w->out, path);
	if (err) {
		for (int i = 0; i < n; i++)
			free(w->sec[i].buf);
		free(w);
		return err;
	}
	*out = w;
	return 0;
nomem:
	log_error("out of memory writing %s", path);
	return GL_ENOMEM;
}

int secw_append(struct secw *w, int idx, const void *data, size_t len)
{
	if (idx < 0 || idx >= w->n) {
		log_error("%s: no section %d", w->out.path, idx);
		return GL_EUSAGE;
	}
	struct wsec *s = &w->sec[idx];
	if (len > s->length - s->written) {
		log_error("%s: section %s overflows its declared %" PRIu64 " bytes", w->out.path,
			  s->name, (uint64_t)s->length);
		return GL_EUSAGE;
	}
	if (!len)
		return 0;
	s->crc = sec_crc(s->crc, data, len);
	if (s->used + len > WBUF) {
		int err = flush_sec(w, s);
		if (err)
			return err;
	}
	s->written += len;
	if (len >= WBUF)
		return write_at(w, data, len, s->offset + s->written - len);
	memcpy(s->buf + s->used, data, len);
	s->used += len;
	return 0;
}

int secw_commit(struct secw *w)
{
	int err = 0;
	size_t tlen = HEAD + (size_t)ENTRY * (size_t)w->n;
	uint8_t *head = calloc(1, tlen);
	if (!head) {
		log_error("out of memory writing %s", w->out.path);
		secw_abort(w);
		return GL_ENOMEM;
	}
	for (int i = 0; i < w->n && !err; i++) {
		struct wsec *s = &w->sec[i];
		if (s->written != s->length) {
			log_error("%s: section %s has %" PRIu64 " of its %" PRIu64 " bytes",
				  w->out.path, s->name, (uint64_t)s->written, (uint64_t)s->length);
			err = GL_EUSAGE;
			break;
		}
		err = flush_sec(w, s);
		uint8_t *e = head + HEAD + (size_t)i * ENTRY;
		memcpy(e, s->name, SEC_NAME_LEN);
		put64(e + 16, s->offset);
		put64(e + 24, s->length);
		put32(e + 32, s->crc);
	}
	if (!err) {
		memcpy(head, w->magic, SEC_MAGIC_LEN);
		put32(head + 8, w->version);
		put32(head + 12, (uint32_t)w->n);
		put64(head + 16, w->size);
		put32(head + 24, (uint32_t)crc32(0L, head, (uInt)tlen));
		if (ftruncate(w->out.fd, (off_t)w->size) != 0) {
			log_error("cannot write %s: %s", w->out.path, strerror(errno));
			err = GL_EIO;
		}
	}
	if (!err)
		err = write_at(w, head, tlen, 0);
	free(head);
	if (err) {
		secw_abort(w);
		return err;
	}
	err = outfile_commit(&w->out);
	for (int i = 0; i < w->n; i++)
		free(w->sec[i].buf);
	free(w);
	return err;
}

void secw_abort(struct secw *w)
{
	if (!w)
		return;
	outfile_abort(&w->out);
	for (int i = 0; i < w->n; i++)
		free(w->sec[i].buf);
	free(w);
}

/* ---- reader ---------------------------------------------------------------- */

static int bad(const struct secfile *f, const char *what)
{
	log_error("%s: not a valid file: %s", f->path, what);
	return GL_EFORMAT;
}

/* Section i against its CRC: 0 or GL_EFORMAT (logged). */
static int check_crc(const struct secfile *f, int i)
{
	char msg[160];
	if (sec_crc(0, f->base + f->sec[i].offset, (size_t)f->sec[i].length) == f->sec[i].crc)
		return 0;
	snprintf(msg, sizeof msg, "section %s checksum mismatch (corrupted)", f->sec[i].name);
	return bad(f, msg);
}

static int validate(struct secfile *f, const char magic[SEC_MAGIC_LEN], uint32_t max_version,
		    int flags)
{
	const uint8_t *b = f->base;
	char msg[160];
	if (!host_is_le())
		return bad(f, "goodlens files are little-endian and this host is not");
	if (f->size < HEAD)
		return bad(f, f->size == 0 ? "empty file" : "shorter than its header");
	if (memcmp(b, magic, SEC_MAGIC_LEN) != 0)
		return bad(f, "wrong magic bytes (not this kind of goodlens file)");
	f->version = get32(b + 8);
	uint32_t n = get32(b + 12);
	if (f->version == 0 || f->version > max_version) {
		snprintf(msg, sizeof msg, "version %u is not supported (newest known: %u)",
			 f->version, max_version);
		return bad(f, msg);
	}
	if (n > SEC_MAX)
		return bad(f, "too many sections");
	if (get64(b + 16) != f->size) {
		snprintf(msg, sizeof msg,
			 "file is %" PRIu64 " bytes but its header says %" PRIu64 " (truncated?)",
			 (uint64_t)f->size, (uint64_t)get64(b + 16));
		return bad(f, msg);
	}
	size_t tlen = HEAD + (size_t)ENTRY * n;
	if (tlen > f->size)
		return bad(f, "section table runs past the end");
	uint8_t head[HEAD];
	memcpy(head, b, HEAD);
	put32(head + 24, 0);
	uint32_t crc = (uint32_t)crc32(0L, head, HEAD);
	crc = (uint32_t)crc32(crc, b + HEAD, (uInt)(tlen - HEAD));
	if (crc != get32(b + 24))
		return bad(f, "header checksum mismatch");
	f->n = (int)n;
	uint64_t prev_end = tlen;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = b + HEAD + (size_t)i * ENTRY;
		uint64_t off = get64(e + 16), len = get64(e + 24);
		if (memchr(e, 0, SEC_NAME_LEN) == NULL || e[0] == 0)
			return bad(f, "section name not terminated");
		memcpy(f->sec[i].name, e, SEC_NAME_LEN);
		f->sec[i].name[SEC_NAME_LEN] = 0;
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(f->sec[j].name, f->sec[i].name) == 0)
				return bad(f, "duplicate section name");
		if (off % SEC_ALIGN || off < prev_end || off > f->size || len > f->size - off) {
			snprintf(msg, sizeof msg, "section %s lies outside the file or overlaps another",
				 f->sec[i].name);
			return bad(f, msg);
		}
		prev_end = off + len;
		f->sec[i].offset = off;
		f->sec[i].length = len;
		f->sec[i].crc = get32(e + 32);
		if (!(flags & SEC_NO_CRC) && check_crc(f, (int)i))
			return GL_EFORMAT;
	}
	return 0;
}

int secfile_check_crc(const struct secfile *f)
{
	for (int i = 0; i < f->n; i++)
		if (check_crc(f, i))
			return GL_EFORMAT;
	return 0;
}

int secfile_open_mem(struct secfile *f, const void *buf, size_t len, const char *name,
		     const char magic[SEC_MAGIC_LEN], uint32_t max_version, int flags)
{
	memset(f, 0, sizeof *f);
	f->base = buf;
	f->size = len;
	f->path = strdup(name);
	if (!f->path)
		return GL_ENOMEM;
	if ((uintptr_t)buf % 8) { /* sections hold u64 arrays read in place */
		log_error("%s: buffer is not 8-byte aligned", name);
		secfile_close(f);
		return GL_EUSAGE;
	}
	int err = validate(f, magic, max_version, flags);
	if (err)
		secfile_close(f);
	return err;
}

int secfile_open(struct secfile *f, const char *path, const char magic[SEC_MAGIC_LEN],
		 uint32_t max_version, int flags, const char *kind)
{
	memset(f, 0, sizeof *f);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		log_error("cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return GL_EIO;
	}
	/* mmap would say "No such device"; a FIFO would read as empty */
	if (!S_ISREG(st.st_mode)) {
		log_error("%s is %s, expected a %s file%s", path,
			  S_ISDIR(st.st_mode) ? "a directory" : "not a regular file", kind,
			  S_ISDIR(st.st_mode) ? "" : " (it is mapped, not streamed)");
		close(fd);
		return GL_EIO;
	}
	f->path = strdup(path);
	f->size = (uint64_t)st.st_size;
	if (!f->path) {
		close(fd);
		return GL_ENOMEM;
	}
	if (f->size > 0) {
		/* checked whole now: its pages are all read at once, a fault
		 * each (a few microseconds apiece on a VM) avoided */
		int populate = flags & SEC_NO_CRC ? 0 : MAP_POPULATE;
		void *m = mmap(NULL, (size_t)f->size, PROT_READ, MAP_PRIVATE | populate, fd, 0);
		if (m == MAP_FAILED) {
			log_error("cannot map %s: %s", path, strerror(errno));
			close(fd);
			secfile_close(f);
			return GL_EIO;
		}
		f->base = m;
		f->mapped = 1;
	}
	close(fd);
	int err = validate(f, magic, max_version, flags);
	if (err)
		secfile_close(f);
	return err;
}

const void *secfile_get(const struct secfile *f, const char *name, uint64_t *len)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->sec[i].name, name) == 0) {
			*len = f->sec[i].length;
			return f->base + f->sec[i].offset;
		}
	*len = 0;
	return NULL;
}

void secfile_release(const struct secfile *f, const void *p, uint64_t len)
{
	if (!f->mapped || !len)
		return;
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t page = pg > 0 ? (uintptr_t)pg : 4096;
	uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + (uintptr_t)len) & ~(page - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED); /* advice: a refusal keeps them */
}

void secfile_close(struct secfile *f)
{
	if (f->mapped)
		munmap((void *)f->base, (size_t)f->size);
	free(f->path);
	memset(f, 0, sizeof *f);
}
