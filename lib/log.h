/* log.h - the one place diagnostics go.
 *
 * Messages follow the git style: "goodlens-extract: books.json:12 (byte 881):
 * rating is not a number", lower case, no final full stop, always on stderr.
 * Levels: error and warn always print unless --quiet; info needs the default
 * verbosity (1); debug needs --verbose (2).  Progress lines are in progress.h.
 *
 * The program name and verbosity are process-wide by nature (they are what
 * main() was told on its command line), so log_init() sets them once, before
 * any thread starts; everything else only reads them.
 */
#ifndef GL_LOG_H
#define GL_LOG_H

#include <stdint.h>

enum log_level { LOG_QUIET = 0, LOG_NORMAL = 1, LOG_VERBOSE = 2 };

/* Called once by main(): prog is the name printed before every message. */
void log_init(const char *prog, int verbosity);
int log_verbosity(void);
const char *log_prog(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Marks a line number or byte offset as unknown. */
#define LOG_NOPOS UINT64_MAX

/* An error about a place in an input: "file:line (byte off): message".
 * Lines count from 1 and offsets (of the decompressed text) from 0; either
 * may be LOG_NOPOS and is then left out. */
void log_at(const char *file, uint64_t line, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same at warning level (skipped records). */
void log_warn_at(const char *file, uint64_t line, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
