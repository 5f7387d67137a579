/* xfuzz.h - drive goodlens-extract's real code path (extract_run) over
 * fuzzer bytes, for the fuzz_<reader>.c targets.
 *
 * The bytes are written to a file in a scratch folder (under
 * $GL_FUZZ_SCRATCH, else on /dev/shm when it exists, so no disk is touched) and extracted with --source forced to one
 * kind, outputs into the same scratch folder, as the command line would.
 * After every run it checks what a user relies on, and aborts (a crash the
 * fuzzer saves) when any of it breaks:
 *   - no hidden temporary (output or spill file) is left in the folder;
 *   - a failed run leaves no output at all (the folder is emptied before);
 *   - a successful run counts every record as kept or under one skipped
 *     class, counts every non-blank JSON line as a record, and (for an
 *     interaction kind) wrote a ratings.raw.glr that the validating reader
 *     accepts, holding exactly the kept records.
 * The folder is emptied after each run.  Static inline functions only: each
 * target is one .c file (the Makefile builds tests/fuzz/fuzz_*.c alone).
 */
#ifndef GL_XFUZZ_H
#define GL_XFUZZ_H

#include "err.h"
#include "../../etl/extract.h"
#include "../../etl/extract_kind.h"
#include "glr.h"
#include "log.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Lines longer than this are too_long: small, so the fuzzer reaches it. */
#define XFUZZ_MAX_LINE 2048

static char xfuzz_root[256];

static inline int xfuzz_empty(const char *dir);

/* The scratch folder goes when the fuzzer exits normally. */
static inline void xfuzz_cleanup(void)
{
	char out[300];
	snprintf(out, sizeof out, "%s/out", xfuzz_root);
	xfuzz_empty(out);
	rmdir(out);
	xfuzz_empty(xfuzz_root);
	rmdir(xfuzz_root);
}

static inline const char *xfuzz_dir(void)
{
	if (xfuzz_root[0])
		return xfuzz_root;
	/* run.sh names a folder it removes afterwards: libFuzzer's timed end
	 * skips atexit, so the cleanup below is for direct runs only */
	const char *base = getenv("GL_FUZZ_SCRATCH");
	if (!base || !*base)
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(xfuzz_root, sizeof xfuzz_root, "%s/glfuzz.XXXXXX", base);
	if (!mkdtemp(xfuzz_root))
		abort();
	atexit(xfuzz_cleanup);
	return xfuzz_root;
}

/* Remove every entry of dir; returns how many were hidden (temporaries). */
static inline int xfuzz_empty(const char *dir)
{
	DIR *d = opendir(dir);
	int hidden = 0;
	if (!d)
		return 0;
	struct dirent *e;
	char p[1024];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		hidden += e->d_name[0] == '.';
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	return hidden;
}

static inline int xfuzz_count(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* The total row of extract.stats.csv: bytes_in, bytes_text, lines,
 * records, kept, users, items, then one count per class (XB_N).  0 or -1. */
#define XFUZZ_COLS (7 + XB_N)
static inline int xfuzz_total(const char *out, unsigned long long v[XFUZZ_COLS])
{
	char p[512], line[4096];
	int got = -1;
	snprintf(p, sizeof p, "%s/extract.stats.csv", out);
	FILE *f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "total,,", 7)) {
			char *s = line + 7, *end;
			got = 0;
			for (int i = 0; i < XFUZZ_COLS && !got; i++, s = end + 1) {
				v[i] = strtoull(s, &end, 10);
				if (end == s || (*end != ',' && *end != '\n'))
					got = -1;
			}
		}
	fclose(f);
	return got;
}

/* Records a JSON-lines file must give: every line that is not blank (JSON
 * whitespace only, after a final CR and a first-line BOM), plus lines over
 * the limit whatever they hold. */
static inline uint64_t xfuzz_json_records(const unsigned char *d, size_t n)
{
	uint64_t records = 0;
	size_t i = 0;
	for (int first = 1; i < n; first = 0) {
		const unsigned char *nl = memchr(d + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (d + i)) : n - i, a = i, b = i + len;
		if (len > XFUZZ_MAX_LINE) {
			records++;
		} else {
			if (b > a && d[b - 1] == '\r')
				b--;
			if (first && b - a >= 3 && !memcmp(d + a, "\xef\xbb\xbf", 3))
				a += 3;
			while (a < b && (d[a] == ' ' || d[a] == '\t' || d[a] == '\r'))
				a++;
			records += a < b;
		}
		i += len + 1;
	}
	return records;
}

/* What a successful run must show: every record kept or skipped under
 * exactly one class, JSON lines counted as records, and a ratings file the
 * reader accepts with exactly the kept ratings. */
static inline void xfuzz_check(const char *out, const unsigned char *data, size_t size, int kind)
{
	unsigned long long v[XFUZZ_COLS], skipped = 0;
	if (xfuzz_total(out, v) != 0)
		abort();
	for (int c = 0; c < XB_N_SKIP; c++)
		skipped += v[7 + c];
	if (v[4] + skipped != v[3])
		abort(); /* records = kept + skipped */
	int json = kind == XK_GR_JSON || kind == XK_GR_BOOKS || kind == XK_GR_WORKS ||
		   kind == XK_GR_AUTHORS;
	int gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	if (json && !gzip && v[3] != xfuzz_json_records(data, size))
		abort(); /* a line lost, or one counted twice */
	if (xkind_family(kind) != XF_NONE) {
		char path[600];
		struct glr g;
		snprintf(path, sizeof path, "%s/ratings.raw.glr", out);
		if (glr_open(&g, path, 0) != 0)
			abort(); /* the writer wrote what the reader rejects */
		if (g.n_ratings != v[4])
			abort();
		glr_close(&g);
	}
}

/* Extract data as one file with the options of base (its source forced,
 * out_dir, quiet and max_line set here) and check the outcome. */
static inline void xfuzz_extract_opts(const unsigned char *data, size_t size,
				      const struct xopts *base)
{
	char in[300], out[300];
	int kind = base->source;
	const char *dir = xfuzz_dir();
	log_init("fuzz", LOG_QUIET);
	snprintf(in, sizeof in, "%s/input", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	int fd = open(in, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	xfuzz_empty(out);
	struct xopts o = *base;
	o.out_dir = out;
	o.quiet = 1;
	o.max_line = XFUZZ_MAX_LINE;
	char *files[1] = {in};
	int err = extract_run(&o, files, 1);
	if (err == GL_ENOMEM || err == GL_EUSAGE)
		abort(); /* neither may come of input bytes this small */
	if (err && xfuzz_count(out) != 0)
		abort(); /* a failed run must leave nothing behind */
	if (!err)
		xfuzz_check(out, data, size, kind);
	if (xfuzz_empty(out) != 0)
		abort(); /* a temporary survived the run */
}

/* Extract data as one file of the given kind and check the outcome. */
static inline void xfuzz_extract(const unsigned char *data, size_t size, int kind, int encoding)
{
	struct xopts o = {.source = kind, .encoding = encoding};
	xfuzz_extract_opts(data, size, &o);
}

#endif
