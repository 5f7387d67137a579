#include "delim.h"

#include "err.h"
#include "gzline.h"

#include <string.h>
#include <sys/stat.h>

static const char *const texts[DELIM_N] = {",", ";", "\t", "|", "::", " "};
static const char *const shows[DELIM_N] = {"','", "';'", "tab", "'|'", "'::'", "space"};
static const char *const names[DELIM_N] = {"comma", "semicolon", "tab", "pipe", "colons",
					   "space"};

const char *delim_text(int d) { return d >= 0 && d < DELIM_N ? texts[d] : ""; }
const char *delim_show(int d) { return d >= 0 && d < DELIM_N ? shows[d] : "none"; }

int delim_parse(const char *arg)
{
	if (strcmp(arg, "\\t") == 0)
		return DELIM_TAB;
	for (int d = 0; d < DELIM_N; d++)
		if (strcmp(arg, texts[d]) == 0 || strcmp(arg, names[d]) == 0)
			return d;
	return DELIM_NONE;
}

/* Occurrences of delimiter d in s outside double quotes; *inq carries the
 * quote state from line to line. */
static size_t count_in(const char *s, int d, int *inq)
{
	size_t n = 0;
	char c0 = texts[d][0];
	int two = texts[d][1] != 0;
	for (; *s; s++) {
		if (*s == '"')
			*inq = !*inq;
		else if (!*inq && *s == c0 && (!two || s[1] == c0)) {
			n++;
			s += two;
		}
	}
	return n;
}

/* Per record of lines (a quoted field may span lines): the count of d in
 * each of the first DELIM_SNIFF_RECORDS records.  Returns the records. */
static size_t record_counts(const char *const *lines, size_t n, int d,
			    size_t cnt[DELIM_SNIFF_RECORDS])
{
	size_t nr = 0;
	int inq = 0;
	for (size_t i = 0; i < n && nr < DELIM_SNIFF_RECORDS; i++) {
		if (!inq)
			cnt[nr] = 0;
		cnt[nr] += count_in(lines[i], d, &inq);
		if (!inq)
			nr++;
	}
	return nr < DELIM_SNIFF_RECORDS && inq ? nr + 1 : nr; /* an open last record counts */
}

int delim_detect(const char *const *lines, size_t n)
{
	int best = DELIM_NONE;
	size_t best_agree = 0, best_first = 0;
	for (int d = 0; d < DELIM_N; d++) {
		if (d == DELIM_SPACE && best != DELIM_NONE)
			break; /* spaces only in tables without another delimiter */
		size_t cnt[DELIM_SNIFF_RECORDS];
		size_t nr = record_counts(lines, n, d, cnt);
		if (nr == 0 || cnt[0] == 0)
			continue;
		size_t agree = 0;
		for (size_t r = 0; r < nr; r++)
			agree += cnt[r] == cnt[0];
		if (agree > best_agree || (agree == best_agree && cnt[0] > best_first)) {
			best = d;
			best_agree = agree;
			best_first = cnt[0];
		}
	}
	return best;
}

int delim_sniff(const char *path, int *out)
{
	*out = DELIM_NONE;
	struct stat sb;
	if (strcmp(path, "-") == 0 || (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)))
		return 0;
	struct gzl *z;
	struct gzl_opts zo = {.max_line = DELIM_SNIFF_BYTES, .no_thread = 1};
	int err = gzl_open(&z, path, &zo);
	if (err)
		return err;
	/* the lines are copied back to back into text: gzline reuses its buffer */
	char text[DELIM_SNIFF_BYTES + DELIM_SNIFF_RECORDS * 2];
	const char *lines[DELIM_SNIFF_RECORDS * 2];
	size_t n = 0, used = 0;
	struct gzl_line ln;
	int rc = 0;
	while (n < DELIM_SNIFF_RECORDS * 2 && (rc = gzl_next(z, &ln)) == 1) {
		if (ln.too_long || used + ln.len + 1 > sizeof text)
			break;
		if (ln.len == 0)
			continue;
		memcpy(text + used, ln.p, ln.len + 1);
		lines[n++] = text + used;
		used += ln.len + 1;
	}
	gzl_close(z);
	if (rc < 0)
		return rc;
	*out = delim_detect(lines, n);
	return 0;
}
