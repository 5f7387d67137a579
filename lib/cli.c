#include "cli.h"

#include "err.h"
#include "log.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_exit(int err)
{
	if (err == 0)
		return EXIT_OK;
	return err == GL_EUSAGE ? EXIT_USAGE : EXIT_FAIL;
}

void cli_version(const char *prog) { printf("%s %s\n", prog, GOODLENS_VERSION); }

void cli_usage_hint(const char *prog) { fprintf(stderr, "try '%s --help'\n", prog); }

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
