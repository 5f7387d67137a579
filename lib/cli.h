/* cli.h - what every goodlens executable's main() shares.
 *
 * Exit statuses: 0 success, 1 failure (bad input, I/O), 2 bad usage.
 * Option values are parsed strictly: "12x", "", "-1" for an unsigned option
 * and out-of-range values are usage errors naming the option.
 *
 * Every tool's main() has one shape, and nothing below it exits:
 *
 *	log_init(PROG, LOG_NORMAL);
 *	int err = parse(argc, argv, &opts, &verbosity);
 *	if (err)
 *		return cli_parse_status(PROG, err);
 *	log_init(PROG, verbosity);
 *	outfile_signals();
 *	return cli_status(run(&opts));
 *
 * parse() returns 0 (run the tool), CLI_DONE (--help or --version has been
 * answered on stdout) or a gl_err code, GL_EUSAGE for a bad command line
 * (its message already logged).
 */
#ifndef GL_CLI_H
#define GL_CLI_H

#include <getopt.h>
#include <stdint.h>

#define GOODLENS_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* parse() answered --help or --version: positive, so never a gl_err code. */
enum { CLI_DONE = 1 };

/* The exit status for an error code: 0 and CLI_DONE -> EXIT_OK,
 * GL_EUSAGE -> EXIT_USAGE, any other error -> EXIT_FAIL. */
int cli_status(int err);

/* What main() returns when parse() returned err != 0: EXIT_OK for CLI_DONE;
 * otherwise the hint "try 'prog --help'" on stderr and cli_status(err). */
int cli_parse_status(const char *prog, int err);

/* Print "goodlens-<tool> <version>" on stdout. */
void cli_version(const char *prog);

/* The output path is spelled `-o, --out` in every tool (a folder, or the one
 * file a tool writes).  The names tools used before stay accepted, not shown
 * in --help: put CLI_OUT_ALIASES(val) in the option table beside "out",
 * with the same val. */
#define CLI_OUT_ALIASES(val)                                                                  \
	{"out-dir", required_argument, NULL, (val)}, {"outdir", required_argument, NULL, (val)}, \
	{"output", required_argument, NULL, (val)}

/* Every tool reports a bad option one way.  Call getopt_long with opterr = 0
 * and an optstring that starts with ':'; when it returns '?' or ':' (c),
 * this logs "unknown option '--foo'", "option '--out' needs a value",
 * "option '--quiet' takes no value" or "ambiguous option '--m' (--model,
 * --mom)" from argv, optind and optopt, and returns GL_EUSAGE.  The caller's
 * usage path then adds "try 'goodlens-X --help'" (cli_parse_status). */
int cli_bad_option(int c, char *const argv[], const struct option *longopts);

/* The CPUs this process may run on (its affinity mask, which taskset and
 * cgroup cpusets narrow), at least 1: what a default thread count starts
 * from. */
int cli_cpus(void);

/* Parse arg as the value of option opt.  0 or GL_EUSAGE (message logged). */
int cli_u64(const char *opt, const char *arg, uint64_t *out);
int cli_u32(const char *opt, const char *arg, uint32_t *out);
int cli_double(const char *opt, const char *arg, double *out);
/* "lo,hi" -> two doubles. */
int cli_range(const char *opt, const char *arg, double *lo, double *hi);
/* arg must be one of the NULL-terminated names; *out is its index. */
int cli_choice(const char *opt, const char *arg, const char *const *names, int *out);

#endif
