#include "extract_columns.h"

#include "err.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static const char *const roles[XC_N] = {"user", "item", "rating", "time"};

const char *xcols_role(int role) { return role >= 0 && role < XC_N ? roles[role] : "?"; }

static int usage_error(const char *what)
{
	log_error("invalid value for --columns: %s; expected "
		  "user=COL,item=COL,rating=COL[,time=COL]",
		  what);
	return GL_EUSAGE;
}

int xcols_parse(struct xcols *c, char *spec)
{
	char why[160];
	char *save = NULL;
	for (int r = 0; r < XC_N; r++)
		c->name[r] = NULL;
	for (char *tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int r = 0;
		if (eq)
			*eq = 0;
		while (r < XC_N && strcmp(roles[r], tok) != 0)
			r++;
		if (!eq || r == XC_N) {
			snprintf(why, sizeof why, "'%s' is not ROLE=COL with ROLE user, item, rating "
				 "or time", tok);
			return usage_error(why);
		}
		if (c->name[r]) {
			snprintf(why, sizeof why, "%s is given twice", roles[r]);
			return usage_error(why);
		}
		if (!eq[1]) {
			snprintf(why, sizeof why, "%s= names no column", roles[r]);
			return usage_error(why);
		}
		c->name[r] = eq + 1;
	}
	for (int r = 0; r < XC_TIME; r++)
		if (!c->name[r]) {
			snprintf(why, sizeof why, "no %s column (%s=COL)", roles[r], roles[r]);
			return usage_error(why);
		}
	for (int a = 0; a < XC_N; a++)
		for (int b = a + 1; b < XC_N; b++)
			if (c->name[a] && c->name[b] && strcmp(c->name[a], c->name[b]) == 0) {
				snprintf(why, sizeof why, "column %s is both %s and %s", c->name[a],
					 roles[a], roles[b]);
				return usage_error(why);
			}
	c->given = 1;
	return 0;
}

int xcols_positions(struct xcols *c)
{
	for (int r = 0; r < XC_N; r++) {
		const char *s = c->name[r];
		unsigned v = 0;
		if (!s)
			continue;
		size_t i = 0;
		for (; s[i] >= '0' && s[i] <= '9' && v <= 4096; i++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (s[i] || i == 0 || v < 1 || v > 4096) {
			log_error("invalid value for --columns: with --no-header, %s=%s must be a "
				  "column number from 1 (e.g. %s=%d)",
				  roles[r], s, roles[r], r + 1);
			return GL_EUSAGE;
		}
		c->pos[r] = v;
	}
	return 0;
}

void xcols_key_name(const struct xcols *c, int role, char *out, size_t cap)
{
	const char *n = c->name[role];
	if (c->no_header || !n || strcmp(n, "user") == 0 || strcmp(n, "item") == 0)
		snprintf(out, cap, "%s_id", c->no_header || !n ? roles[role] : n);
	else
		snprintf(out, cap, "%s", n);
}
