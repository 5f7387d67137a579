#include "csvwrite.h"

#include <string.h>

void csvw_field(FILE *f, const char *s, size_t len)
{
	int quote = len && (s[0] == ' ' || s[len - 1] == ' ');
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite_unlocked(s, 1, len, f);
		return;
	}
	putc_unlocked('"', f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putc_unlocked('"', f);
		putc_unlocked(s[i], f);
	}
	putc_unlocked('"', f);
}

void csvw_str(FILE *f, const char *s) { csvw_field(f, s, strlen(s)); }

void csvw_row(FILE *f, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc_unlocked(',', f);
		csvw_str(f, fields[i]);
	}
	putc_unlocked('\n', f);
}
