#include "log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

/* Set once by log_init() before threads start, read-only afterwards. */
static const char *log_name = "goodlens";
static int log_level = LOG_NORMAL;

void log_init(const char *prog, int verbosity)
{
	log_name = prog;
	log_level = verbosity;
}

int log_verbosity(void) { return log_level; }
const char *log_prog(void) { return log_name; }

/* One fprintf-equivalent per message so lines from threads do not mix. */
static void emit(const char *tag, const char *where, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	fprintf(stderr, "%s: %s%s%s\n", log_name, tag, where, msg);
}

#define LOG_BODY(min, tag)                     \
	do {                                   \
		va_list ap;                    \
		if (log_level < (min))         \
			return;                \
		va_start(ap, fmt);             \
		emit(tag, "", fmt, ap);        \
		va_end(ap);                    \
	} while (0)

void log_error(const char *fmt, ...) { LOG_BODY(LOG_QUIET, ""); }
void log_warn(const char *fmt, ...) { LOG_BODY(LOG_NORMAL, "warning: "); }
void log_info(const char *fmt, ...) { LOG_BODY(LOG_NORMAL, ""); }
void log_debug(const char *fmt, ...) { LOG_BODY(LOG_VERBOSE, ""); }

static void format_where(char *buf, size_t cap, const char *file, uint64_t line,
			 uint64_t off)
{
	if (line != LOG_NOPOS && off != LOG_NOPOS)
		snprintf(buf, cap, "%s:%" PRIu64 " (byte %" PRIu64 "): ", file, line, off);
	else if (line != LOG_NOPOS)
		snprintf(buf, cap, "%s:%" PRIu64 ": ", file, line);
	else if (off != LOG_NOPOS)
		snprintf(buf, cap, "%s (byte %" PRIu64 "): ", file, off);
	else
		snprintf(buf, cap, "%s: ", file);
}

void log_at(const char *file, uint64_t line, uint64_t off, const char *fmt, ...)
{
	char where[512];
	va_list ap;
	format_where(where, sizeof where, file, line, off);
	va_start(ap, fmt);
	emit("", where, fmt, ap);
	va_end(ap);
}

void log_warn_at(const char *file, uint64_t line, uint64_t off, const char *fmt, ...)
{
	char where[512];
	va_list ap;
	if (log_level < LOG_NORMAL)
		return;
	format_where(where, sizeof where, file, line, off);
	va_start(ap, fmt);
	emit("warning: ", where, fmt, ap);
	va_end(ap);
}
