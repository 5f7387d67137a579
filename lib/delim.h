/* delim.h - the field delimiter of a delimited text table: named, parsed
 * from an option, or told from the table's first lines.
 *
 * The delimiters are ',' ';' tab '|' "::" (MovieLens .dat) and ' ' (LIBMF
 * text).  Detection (delim_detect) counts each delimiter outside double
 * quotes in each of the first records (a quoted field may run over lines),
 * and takes the one that appears in the first record and appears the same
 * number of times in most records; ties go to the larger count, then to
 * the order above.  A space counts only when no other delimiter appears in
 * the first record, so titles with spaces never make a table
 * space-separated.  A table of one column has no delimiter (DELIM_NONE).
 */
#ifndef GL_DELIM_H
#define GL_DELIM_H

#include <stddef.h>

enum delim { DELIM_NONE = -1, DELIM_COMMA, DELIM_SEMICOLON, DELIM_TAB, DELIM_PIPE,
	     DELIM_DCOLON, DELIM_SPACE, DELIM_N };

/* Records delim_sniff reads at most (and bytes, whichever comes first). */
#define DELIM_SNIFF_RECORDS 20
#define DELIM_SNIFF_BYTES (64u << 10)

/* The delimiter's text: ",", ";", "\t", "|", "::", " " ("" for NONE). */
const char *delim_text(int d);

/* How messages name it: "','", "';'", "tab", "'|'", "'::'", "space". */
const char *delim_show(int d);

/* The --delimiter value arg: the text itself (",", ";", "|", "::", a tab
 * or a space) or a name: comma, semicolon, tab, pipe, colons, space (also
 * "\t" as two characters).  The delimiter, or DELIM_NONE if arg is none. */
int delim_parse(const char *arg);

/* The delimiter of the n lines lines[0..n) (NUL-terminated, without line
 * ends), or DELIM_NONE. */
int delim_detect(const char *const *lines, size_t n);

/* Detect the delimiter of the file at path (gzip or plain) from its first
 * non-blank lines.  0 with *out set (DELIM_NONE when the file has one
 * column, is empty, or is not a regular file: a pipe cannot be read
 * twice), or a gl_err from reading (logged). */
int delim_sniff(const char *path, int *out);

#endif
