#include "cli.h"

#include "err.h"
#include "log.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_status(int err)
{
	if (err == 0 || err == CLI_DONE)
		return EXIT_OK;
	return err == GL_EUSAGE ? EXIT_USAGE : EXIT_FAIL;
}

int cli_parse_status(const char *prog, int err)
{
	if (err != CLI_DONE)
		fprintf(stderr, "try '%s --help'\n", prog);
	return cli_status(err);
}

void cli_version(const char *prog) { printf("%s %s\n", prog, GOODLENS_VERSION); }


static int invalid(const char *opt, const char *arg, const char *why)
{
	log_error("invalid value for %s: '%s' (%s)", opt, arg, why);
	return GL_EUSAGE;
}

int cli_u64(const char *opt, const char *arg, uint64_t *out)
{
	char *end;
	if (!arg || !*arg || *arg == '-' || *arg == '+' || *arg == ' ')
		return invalid(opt, arg ? arg : "", "expected a non-negative integer");
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (*end)
		return invalid(opt, arg, "expected a non-negative integer");
	if (errno == ERANGE)
		return invalid(opt, arg, "too large");
	*out = v;
	return 0;
}

int cli_u32(const char *opt, const char *arg, uint32_t *out)
{
	uint64_t v;
	int err = cli_u64(opt, arg, &v);
	if (err)
		return err;
	if (v > UINT32_MAX)
		return invalid(opt, arg, "too large");
	*out = (uint32_t)v;
	return 0;
}

int cli_double(const char *opt, const char *arg, double *out)
{
	char *end;
	if (!arg || !*arg)
		return invalid(opt, "", "expected a number");
	errno = 0;
	double v = strtod(arg, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return invalid(opt, arg, "expected a finite number");
	*out = v;
	return 0;
}

int cli_range(const char *opt, const char *arg, double *lo, double *hi)
{
	char buf[128];
	const char *comma = arg ? strchr(arg, ',') : NULL;
	if (!comma || (size_t)(comma - arg) >= sizeof buf)
		return invalid(opt, arg ? arg : "", "expected lo,hi");
	memcpy(buf, arg, (size_t)(comma - arg));
	buf[comma - arg] = 0;
	if (cli_double(opt, buf, lo) || cli_double(opt, comma + 1, hi))
		return GL_EUSAGE;
	if (!(*lo < *hi))
		return invalid(opt, arg, "lo must be below hi");
	return 0;
}

int cli_choice(const char *opt, const char *arg, const char *const *names, int *out)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(arg, names[i]) == 0) {
			*out = i;
			return 0;
		}
	char list[256] = "";
	for (int i = 0; names[i]; i++) {
		if (i)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
		strncat(list, names[i], sizeof list - strlen(list) - 1);
	}
	log_error("invalid value for %s: '%s' (expected one of: %s)", opt, arg, list);
	return GL_EUSAGE;
}

/* The long options whose name starts with the len bytes of name, listed
 * as "--a, --b" in list; how many of them do different things. */
static int prefix_matches(const struct option *lo, const char *name, size_t len, char *list,
			  size_t n)
{
	int distinct = 0;
	const struct option *first = NULL;
	*list = 0;
	for (; lo && lo->name; lo++) {
		if (strncmp(lo->name, name, len) != 0)
			continue;
		if (strlen(lo->name) == len) /* an exact name is never ambiguous */
			return 1;
		if (!first || lo->val != first->val || lo->flag != first->flag ||
		    lo->has_arg != first->has_arg)
			distinct++;
		if (!first)
			first = lo;
		size_t used = strlen(list);
		snprintf(list + used, n - used, "%s--%s", used ? ", " : "", lo->name);
	}
	return distinct;
}

/* Whether the argument getopt just read is the long option that set
 * optopt (a short option in a cluster leaves optind on the cluster, so
 * argv[optind - 1] may be an earlier long option: its val tells). */
static int was_long(const char *arg, const struct option *lo)
{
	if (strncmp(arg, "--", 2) != 0 || !arg[2])
		return 0;
	if (optopt == 0)
		return 1;
	size_t len = strcspn(arg + 2, "=");
	for (; lo && lo->name; lo++)
		if (lo->val == optopt && !lo->flag && strncmp(lo->name, arg + 2, len) == 0)
			return 1;
	return 0;
}

int cli_bad_option(int c, char *const argv[], const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (!was_long(arg, longopts)) {
		if (c == ':')
			log_error("option '-%c' needs a value", optopt);
		else
			log_error("unknown option '-%c'", optopt);
		return GL_EUSAGE;
	}
	size_t len = strcspn(arg, "=");
	char list[512];
	if (c == ':')
		log_error("option '%.*s' needs a value", (int)len, arg);
	else if (optopt != 0)
		log_error("option '%.*s' takes no value", (int)len, arg);
	else if (prefix_matches(longopts, arg + 2, len - 2, list, sizeof list) > 1)
		log_error("ambiguous option '%.*s' (%s)", (int)len, arg, list);
	else
		log_error("unknown option '%.*s'", (int)len, arg);
	return GL_EUSAGE;
}

int cli_cpus(void)
{
	cpu_set_t set;
	long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
							      : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}
