/* csvwrite.h - write CSV that pandas, fastai and SQLite read back exactly.
 *
 * A field is quoted when it holds the delimiter, a double quote, CR or LF,
 * or starts or ends with a space; quotes inside are doubled (RFC 4180).
 * Write errors are caught by outfile_commit (ferror), not here.
 * Writes use the unlocked stdio calls (a field costs no lock): a FILE
 * written here must not be written by another thread at the same time.
 */
#ifndef GL_CSVWRITE_H
#define GL_CSVWRITE_H

#include <stddef.h>
#include <stdio.h>

void csvw_field(FILE *f, const char *s, size_t len);
void csvw_str(FILE *f, const char *s);
/* A row of n NUL-terminated fields and the newline. */
void csvw_row(FILE *f, const char *const *fields, size_t n);

#endif
