#include "extract_value.h"

#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HALF (RS_ONE / 2)
#define MAX_WHOLE 1000000000000LL /* larger numbers are only ever out of range */

/* ---- numbers ------------------------------------------------------------------ */

struct num {
	int64_t v;     /* millionths, clamped to +-MAX_WHOLE whole units */
	int decimal;   /* written with a '.' */
	int fine;      /* a nonzero digit past the millionths: on no step */
};

/* Trim ASCII blanks around p[0..*len). */
static const char *trim(const char *p, size_t *len)
{
	while (*len && (*p == ' ' || *p == '\t')) {
		p++;
		(*len)--;
	}
	while (*len && (p[*len - 1] == ' ' || p[*len - 1] == '\t'))
		(*len)--;
	return p;
}

/* [+-]digits[.digits], at least one digit: 1 and *n, or 0. */
static int parse_num(const char *p, size_t len, struct num *n)
{
	size_t i = 0, digits = 0;
	int neg = 0;
	int64_t whole = 0, frac = 0, scale = RS_ONE;
	memset(n, 0, sizeof *n);
	if (i < len && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++, digits++)
		if (whole <= MAX_WHOLE)
			whole = whole * 10 + (p[i] - '0');
	if (i < len && p[i] == '.') {
		n->decimal = 1;
		for (i++; i < len && p[i] >= '0' && p[i] <= '9'; i++, digits++) {
			scale /= 10;
			if (scale)
				frac += (p[i] - '0') * scale;
			else if (p[i] != '0')
				n->fine = 1;
		}
	}
	if (i != len || digits == 0)
		return 0;
	if (whole > MAX_WHOLE)
		whole = MAX_WHOLE;
	n->v = (whole * RS_ONE + frac) * (neg ? -1 : 1);
	return 1;
}

/* v in millionths as the shortest decimal: 500000 -> "0.5", 5000000 -> "5". */
static void show_fixed(int64_t v, char *out, size_t cap)
{
	const char *sign = v < 0 ? "-" : "";
	uint64_t a = (uint64_t)(v < 0 ? -v : v);
	uint64_t whole = a / RS_ONE, frac = a % RS_ONE;
	if (!frac) {
		snprintf(out, cap, "%s%" PRIu64, sign, (uint64_t)whole);
		return;
	}
	char f[8];
	snprintf(f, sizeof f, "%06" PRIu64, (uint64_t)frac);
	for (size_t k = strlen(f); k > 1 && f[k - 1] == '0'; k--)
		f[k - 1] = 0;
	snprintf(out, cap, "%s%" PRIu64 ".%s", sign, (uint64_t)whole, f);
}

/* ---- scales ------------------------------------------------------------------- */

static void set_unit(struct rscale *s)
{
	s->unit = s->step % HALF == 0 && s->hi <= 255 * (int64_t)HALF ? HALF : s->step;
}

void rscale_set(struct rscale *s, int64_t lo, int64_t hi, int64_t step)
{
	memset(s, 0, sizeof *s);
	s->lo = lo;
	s->hi = hi;
	s->step = step;
	set_unit(s);
}

void rscale_default(struct rscale *s)
{
	rscale_set(s, HALF, 5 * RS_ONE, HALF);
	s->is_default = 1;
}

float rscale_unit(const struct rscale *s) { return (float)((double)s->unit / RS_ONE); }

void rscale_show(const struct rscale *s, char *out, size_t cap)
{
	char lo[32], hi[32];
	show_fixed(s->is_default && !s->decimal_seen ? RS_ONE : s->lo, lo, sizeof lo);
	show_fixed(s->hi, hi, sizeof hi);
	snprintf(out, cap, "%s..%s", lo, hi);
}

static int bad_scale(const char *arg, const char *why)
{
	log_error("invalid value for --scale: '%s' (%s)", arg, why);
	return GL_EUSAGE;
}

/* The parts of "LO,HI[,STEP]": their count (2 or 3), or 0 if malformed. */
static int scale_parts(const char *arg, struct num part[3])
{
	int n = 0;
	for (const char *p = arg;; n++) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n == 3 || !parse_num(p, len, &part[n]) || part[n].fine)
			return 0;
		if (!e)
			return n + 1 >= 2 ? n + 1 : 0;
		p = e + 1;
	}
}

int rscale_parse(struct rscale *s, const char *arg)
{
	struct num part[3];
	char why[256], a[32], b[32], c[32];
	int n = scale_parts(arg, part);
	if (!n)
		return bad_scale(arg, "expected LO,HI or LO,HI,STEP in decimals, e.g. 1,10 or "
				      "0.5,5,0.5");
	int64_t lo = part[0].v, hi = part[1].v, step;
	if (n == 3)
		step = part[2].v;
	else if (lo % RS_ONE == 0 && hi % RS_ONE == 0)
		step = RS_ONE;
	else if (lo % HALF == 0 && hi % HALF == 0)
		step = HALF;
	else
		return bad_scale(arg, "give the step too: LO,HI,STEP");
	if (step <= 0)
		return bad_scale(arg, "the step must be above 0");
	if (lo <= 0) {
		show_fixed(step, a, sizeof a);
		show_fixed(hi, b, sizeof b);
		snprintf(why, sizeof why,
			 "the lowest rating must be above 0: a .glr rating 0 means shelved, not "
			 "rated; with --scale %s,%s ratings of 0 are skipped as bad records",
			 a, b);
		return bad_scale(arg, why);
	}
	if (lo >= hi)
		return bad_scale(arg, "LO must be below HI");
	if (lo % step || hi % step) {
		show_fixed(step, a, sizeof a);
		snprintf(why, sizeof why, "LO and HI must be whole multiples of the step %s", a);
		return bad_scale(arg, why);
	}
	rscale_set(s, lo, hi, step);
	if (hi / s->unit > 255) {
		show_fixed(lo, a, sizeof a);
		show_fixed(hi, b, sizeof b);
		show_fixed(step, c, sizeof c);
		snprintf(why, sizeof why,
			 "%s..%s in steps of %s needs %" PRId64
			 " rating bytes from 0; a .glr rating is "
			 "one byte (at most 255): use a coarser step or a smaller range",
			 a, b, c, (int64_t)(hi / s->unit));
		return bad_scale(arg, why);
	}
	return 0;
}

/* The rating text p[0..len) as a number: RS_OK with *n and the trimmed
 * text (cut to fit) in shown, or RS_EMPTY / RS_NAN with the message. */
static int rating_num(const char *p, size_t len, struct num *n, char shown[64], char *msg,
		      size_t cap)
{
	p = trim(p, &len);
	if (len == 0) {
		snprintf(msg, cap, "rating is empty");
		return RS_EMPTY;
	}
	if (!parse_num(p, len, n)) {
		xval_quote(p, len, shown, 64);
		snprintf(msg, cap, "rating %s is not a number", shown);
		return RS_NAN;
	}
	snprintf(shown, 64, "%.*s", (int)(len < 40 ? len : 40), p);
	return RS_OK;
}

int rscale_read(struct rscale *s, const char *p, size_t len, uint8_t *byte, char *msg,
		size_t cap)
{
	struct num n;
	char shown[64], sc[80], st[32];
	int rc = rating_num(p, len, &n, shown, msg, cap);
	if (rc != RS_OK)
		return rc;
	s->decimal_seen |= n.decimal;
	if (n.v >= s->lo && n.v <= s->hi && !n.fine && n.v % s->step == 0) {
		*byte = (uint8_t)(n.v / s->unit);
		return RS_OK;
	}
	rscale_show(s, sc, sizeof sc);
	if (n.v < s->lo || n.v > s->hi) {
		snprintf(msg, cap, "rating %s is outside %s", shown, sc);
		return RS_RANGE;
	}
	if (s->step == RS_ONE) {
		snprintf(msg, cap, "rating %s is not a whole number (%s)", shown, sc);
	} else {
		show_fixed(s->step, st, sizeof st);
		snprintf(msg, cap, "rating %s is not in steps of %s (%s)", shown, st, sc);
	}
	return RS_STEP;
}

int xval_stars05(const char *p, size_t len, uint8_t *stars, char *msg, size_t cap)
{
	struct num n;
	char shown[64];
	int rc = rating_num(p, len, &n, shown, msg, cap);
	if (rc != RS_OK)
		return rc;
	if (n.v < 0 || n.v > 5 * RS_ONE) {
		snprintf(msg, cap, "rating %s is outside 0..5", shown);
		return RS_RANGE;
	}
	if (n.fine || n.v % RS_ONE) {
		snprintf(msg, cap, "rating %s is not a whole number (0..5)", shown);
		return RS_STEP;
	}
	*stars = (uint8_t)(n.v / RS_ONE);
	return RS_OK;
}

/* ---- values in messages ---------------------------------------------------------- */

void xval_quote(const char *p, size_t len, char *out, size_t cap)
{
	size_t max = 40, o = 0;
	int cut = len > max;
	if (cut) {
		len = max;
		while (len && ((unsigned char)p[len] & 0xc0) == 0x80)
			len--; /* not inside a UTF-8 sequence */
	}
	if (cap < 8) {
		if (cap)
			out[0] = 0;
		return;
	}
	out[o++] = '"';
	for (size_t i = 0; i < len && o + 5 < cap; i++)
		out[o++] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
	if (cut && o + 5 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = 0;
}
