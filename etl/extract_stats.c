#include "extract_stats.h"

#include "cli.h"
#include "csvwrite.h"
#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Each class's column in extract.stats.csv and its tag in messages. */
static const char *const names[XB_N] = {
	"bad_json", "bad_fields", "missing_field", "bad_type",
	"bad_rating", "bad_id", "too_long", "bad_date", "bad_utf8",
};

int xrep_parse_max(struct xrep *r, const char *arg)
{
	size_t len = strlen(arg);
	if (len > 1 && arg[len - 1] == '%') {
		char num[64];
		double p;
		if (len - 1 >= sizeof num)
			goto bad;
		memcpy(num, arg, len - 1);
		num[len - 1] = 0;
		if (cli_double("--max-bad", num, &p))
			return GL_EUSAGE;
		if (p < 0 || p > 100)
			goto bad;
		r->limit = 2;
		r->max_pct = p;
		return 0;
	}
	if (cli_u64("--max-bad", arg, &r->max_count))
		return GL_EUSAGE;
	r->limit = 1;
	return 0;
bad:
	log_error("invalid value for --max-bad: '%s' (expected a count or a percentage 0-100%%)",
		  arg);
	return GL_EUSAGE;
}

int xrep_note(struct xrep *r, struct xstats *s, int cls, uint64_t n, uint64_t line,
	      uint64_t off, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	s->bad[cls] += n;
	if (cls < XB_N_SKIP)
		r->skipped += n;
	if (r->strict || r->shown < XREP_SHOWN_MAX) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		if (r->strict) {
			log_at(s->file, line, off, "%s (%s; stopping: --strict)", msg, names[cls]);
			return GL_EFORMAT;
		}
		log_warn_at(s->file, line, off, "%s (%s)", msg, names[cls]);
		if (++r->shown == XREP_SHOWN_MAX)
			log_warn("further problems are counted in extract.stats.csv, not shown");
	}
	if (r->limit == 1 && r->skipped > r->max_count) {
		log_error("too many bad records: more than %" PRIu64 " skipped (--max-bad)",
			  r->max_count);
		return GL_EFORMAT;
	}
	return 0;
}

int xrep_check_share(const struct xrep *r, uint64_t records)
{
	if (r->limit != 2 || r->skipped == 0)
		return 0;
	double pct = records ? 100.0 * (double)r->skipped / (double)records : 100.0;
	if (pct <= r->max_pct)
		return 0;
	log_error("too many bad records: %" PRIu64 " of %" PRIu64
		  " skipped (%.2f%%, --max-bad allows %g%%)",
		  r->skipped, records, pct, r->max_pct);
	return GL_EFORMAT;
}

void xstats_add(struct xstats *sum, const struct xstats *a)
{
	sum->bytes_in += a->bytes_in;
	sum->bytes_text += a->bytes_text;
	sum->lines += a->lines;
	sum->records += a->records;
	sum->kept += a->kept;
	for (int i = 0; i < XB_N; i++)
		sum->bad[i] += a->bad[i];
}

static void row(FILE *f, const struct xstats *s)
{
	csvw_str(f, s->file);
	fputc(',', f);
	csvw_str(f, s->kind);
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		   ",%" PRIu64,
		s->bytes_in, s->bytes_text, s->lines, s->records, s->kept, s->users, s->items);
	for (int i = 0; i < XB_N; i++)
		fprintf(f, ",%" PRIu64, s->bad[i]);
	fputc('\n', f);
}

void xstats_write(FILE *f, const struct xstats *rows, size_t n, const struct xstats *total)
{
	fputs("file,kind,bytes_in,bytes_text,lines,records,kept,users,items", f);
	for (int i = 0; i < XB_N; i++)
		fprintf(f, ",%s", names[i]);
	fputc('\n', f);
	for (size_t i = 0; i < n; i++)
		row(f, &rows[i]);
	row(f, total);
}
