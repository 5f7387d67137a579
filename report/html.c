#include "html.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void html_textn(FILE *f, const char *s, size_t n)
{
	size_t run = 0; /* bytes since the last escape, written in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* Tab and newline are text; other controls are never
			 * meant for a reader and some are invalid in XML (SVG). */
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				rep = "\xef\xbf\xbd";
		}
		if (!rep) {
			run++;
			continue;
		}
		fwrite(s + i - run, 1, run, f);
		fputs(rep, f);
		run = 0;
	}
	fwrite(s + n - run, 1, run, f);
}

void html_text(FILE *f, const char *s)
{
	if (s)
		html_textn(f, s, strlen(s));
}

/* Insert a comma every three digits of the integer part of the number in
 * t (optional sign, digits, optional fraction) and copy it to n. */
static const char *group(struct num *n, const char *t)
{
	size_t len = strlen(t), o = 0;
	size_t start = (t[0] == '-' || t[0] == '+') ? 1 : 0;
	size_t end = start;
	while (end < len && t[end] >= '0' && t[end] <= '9')
		end++;
	for (size_t i = 0; i < len && o + 2 < sizeof n->s; i++) {
		if (i > start && i < end && (end - i) % 3 == 0)
			n->s[o++] = ',';
		n->s[o++] = t[i];
	}
	n->s[o] = 0;
	return n->s;
}

const char *num_int(struct num *n, uint64_t v)
{
	char t[32];
	snprintf(t, sizeof t, "%" PRIu64, v);
	return group(n, t);
}

const char *num_sint(struct num *n, int64_t v)
{
	char t[32];
	snprintf(t, sizeof t, "%" PRId64, v);
	return group(n, t);
}

const char *num_fix(struct num *n, double v, int dec)
{
	char t[64];
	if (!isfinite(v) || fabs(v) >= 1e30) {
		snprintf(n->s, sizeof n->s, "-");
		return n->s;
	}
	if (dec < 0)
		dec = 0;
	if (dec > 9)
		dec = 9;
	snprintf(t, sizeof t, "%.*f", dec, v);
	/* "-0.00" reads as a different number from "0.00" to a person. */
	if (t[0] == '-' && strspn(t + 1, "0.") == strlen(t + 1))
		memmove(t, t + 1, strlen(t));
	return group(n, t);
}

const char *num_sig(struct num *n, double v, int sig)
{
	if (sig < 1)
		sig = 1;
	if (sig > 9)
		sig = 9;
	int dec = sig - 1;
	if (isfinite(v) && v != 0) {
		int mag = (int)floor(log10(fabs(v)));
		dec = sig - 1 - mag;
	}
	if (dec < 0)
		dec = 0;
	if (dec > 6)
		dec = 6;
	return num_fix(n, v, dec);
}

const char *num_pct(struct num *n, double share, int dec)
{
	num_fix(n, share * 100, dec);
	size_t len = strlen(n->s);
	if (strcmp(n->s, "-") && len + 1 < sizeof n->s)
		memcpy(n->s + len, "%", 2);
	return n->s;
}

const char *num_bytes(struct num *n, uint64_t v)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (v < 1024) {
		snprintf(n->s, sizeof n->s, "%" PRIu64 " B", v);
		return n->s;
	}
	double x = (double)v;
	int u = 0;
	while (x >= 1024 && u < 6) {
		x /= 1024;
		u++;
	}
	num_sig(n, x, 3);
	size_t len = strlen(n->s);
	snprintf(n->s + len, sizeof n->s - len, " %s", unit[u]);
	return n->s;
}
