/* libFuzzer target: lib/csvread, the CSV reader under every CSV input of
 * extract, join, filter and report, with its options picked by the first
 * byte (delimiter or "::", quoting, Latin-1, inline inflate, record
 * limit); the rest is the file.  Checks what callers rely on: every field is valid
 * UTF-8 without a NUL, an oversize record has no fields, records come in
 * line order, and the one-line fast path gives exactly the records libcsv
 * gives (a second reader with no_fast, record by record).  Also runs the
 * kind detector over the first line. */
#include "csvread.h"
#include "utf8.h"
#include "xfuzz.h"

static void detect(const unsigned char *data, size_t size)
{
	char line[512];
	size_t n = 0;
	while (n < size && n < sizeof line - 1 && data[n] != '\n')
		n++;
	memcpy(line, data, n);
	line[n] = 0;
	if (xkind_detect("input", line) >= XK_N)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* 0: "::" (dcolon), the one delimiter that rewrites a line first */
	static const char delims[] = {',', '\t', '|', 0};
	char in[300];
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	data++, size--;
	log_init("fuzz", LOG_QUIET);
	detect(data, size);
	snprintf(in, sizeof in, "%s/input.csv", xfuzz_dir());
	int fd = open(in, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
	struct csvr_opts o = {.delim = delims[sel & 3], .dcolon = !delims[sel & 3], .quote = sel & 4 ? CSVR_NO_QUOTE : 0,
			      .latin1 = !!(sel & 8), .no_thread = !!(sel & 16),
			      .max_record = (size_t)64 << ((sel >> 5) * 2)};
	struct csvr *r, *slow;
	struct csvr_rec rec, ref;
	struct csvr_opts so = o;
	so.no_fast = 1;
	if (csvr_open(&r, in, &o) != 0 || csvr_open(&slow, in, &so) != 0)
		abort();
	uint64_t last = 0;
	int rc;
	while ((rc = csvr_next(r, &rec)) == 1) {
		if (rec.lineno < last || (rec.too_long && rec.n))
			abort();
		last = rec.lineno;
		for (size_t i = 0; i < rec.n; i++)
			if (strlen(rec.f[i]) != rec.len[i] ||
			    utf8_valid_prefix(rec.f[i], rec.len[i]) != rec.len[i])
				abort();
		if (csvr_next(slow, &ref) != 1 || ref.n != rec.n || ref.lineno != rec.lineno ||
		    ref.offset != rec.offset || ref.too_long != rec.too_long)
			abort();
		for (size_t i = 0; i < rec.n; i++)
			if (ref.len[i] != rec.len[i] || memcmp(ref.f[i], rec.f[i], rec.len[i]))
				abort();
	}
	if ((rc != 0 && rc != GL_EFORMAT) || csvr_next(slow, &ref) != rc ||
	    csvr_bad_utf8(slow) != csvr_bad_utf8(r))
		abort();
	csvr_close(r);
	csvr_close(slow);
	return 0;
}
