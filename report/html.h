/* html.h - text and numbers made safe and readable for a web page.
 *
 * Every string that comes from data (titles, keys, file names, examples)
 * reaches the page through html_text(), which turns & < > " ' into entities
 * and control characters into U+FFFD, so the same call is right inside an
 * element, inside a quoted attribute and inside SVG <text>.
 *
 * Numbers are formatted for people: thousands separators ("1,234,567"),
 * a sensible number of decimals, "-" for a value that is not a number.
 * Formatters write into a caller's struct num and return its text, so
 * several can appear in one printf.
 */
#ifndef GL_REPORT_HTML_H
#define GL_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Holds one formatted number; the longest double with separators fits. */
struct num {
	char s[64];
};

/* Write s (UTF-8, NUL-terminated; NULL writes nothing) escaped. */
void html_text(FILE *f, const char *s);
/* The same for the first n bytes of s. */
void html_textn(FILE *f, const char *s, size_t n);

/* "1,234,567". */
const char *num_int(struct num *n, uint64_t v);
/* "-1,234". */
const char *num_sint(struct num *n, int64_t v);
/* v with exactly dec decimals (0..9) and separators: "12,345.68";
 * NaN or infinity give "-". */
const char *num_fix(struct num *n, double v, int dec);
/* v with as many decimals as its size needs to show about sig significant
 * digits (1..9), never more than 6 decimals, separators on the integer
 * part: 0.81234 -> "0.812", 3.5 -> "3.50", 1234.5 -> "1,235" (sig 3). */
const char *num_sig(struct num *n, double v, int sig);
/* A share as a percentage with dec decimals: 0.9982 -> "99.82%". */
const char *num_pct(struct num *n, double share, int dec);
/* Bytes with a binary unit: "512 B", "1.5 KiB", "12.3 MiB", "2.05 GiB". */
const char *num_bytes(struct num *n, uint64_t v);

#endif
