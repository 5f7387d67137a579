/* extract_value.h - the values of a source's fields: a rating read on its
 * scale and turned into the .glr byte, and any value shown in a message.
 *
 * A scale is LO..HI in steps of STEP.  Numbers are read exactly, in fixed
 * point to a millionth: "4", "4.5", "4.50", "+4", " 4 ", ".5" and "4." are
 * numbers; "four", "4,5", "4e0", "nan" and "" are not.  A rating is kept
 * when it lies within LO..HI and is a whole multiple of STEP.
 *
 * Stored: the .glr rating byte is value / UNIT, and UNIT is the file's
 * scale field (docs/FORMAT.md).  UNIT is 0.5 (byte = 2 x stars, as every
 * built-in source stores) when STEP is a multiple of 0.5 and HI is at most
 * 127.5, else STEP itself.  What a byte can hold bounds the scale: LO must
 * be above 0 (byte 0 means shelved, not rated) and HI / UNIT at most 255.
 * So 1..10, 1..100 and 0.5..5 in steps of 0.1 are kept exactly; 0..100 is
 * refused (its 0 would read as shelved) and so is 1..1000 in steps of 1.
 *
 * The default scale (no --scale) is 0.5..5 in half steps.  A whole number
 * on it is 1..5, so for a file whose ratings are whole numbers messages
 * name the scale 1..5; from the first rating written with a '.' on they
 * name 0.5..5.  What is kept does not depend on it.
 */
#ifndef GL_EXTRACT_VALUE_H
#define GL_EXTRACT_VALUE_H

#include <stddef.h>
#include <stdint.h>

#define RS_ONE 1000000 /* fixed point: millionths */

struct rscale {
	int64_t lo, hi, step; /* millionths */
	int64_t unit;         /* millionths per .glr rating byte */
	int is_default;       /* the default scale: name 1..5 until a decimal */
	int decimal_seen;     /* a rating so far was written with a '.' */
};

/* What rscale_read found. */
enum { RS_OK, RS_EMPTY, RS_NAN, RS_RANGE, RS_STEP };

/* The default scale, 0.5..5 in half steps. */
void rscale_default(struct rscale *s);

/* A fixed scale in millionths (a source's own: MovieLens 0.5..5 by 0.5,
 * goodbooks 1..5 by 1).  lo > 0, lo <= hi, both multiples of step. */
void rscale_set(struct rscale *s, int64_t lo, int64_t hi, int64_t step);

/* Parse a --scale value "LO,HI" or "LO,HI,STEP".  STEP defaults to 1 when
 * LO and HI are whole numbers, to 0.5 when both are multiples of 0.5, and
 * must be given otherwise.  0, or GL_EUSAGE with the reason logged
 * ("invalid value for --scale: ..."): a malformed value, LO >= HI, LO <= 0,
 * LO or HI off the steps, more than 255 bytes needed. */
int rscale_parse(struct rscale *s, const char *arg);

/* The .glr scale field for ratings read on s. */
float rscale_unit(const struct rscale *s);

/* The scale as messages name it, "0.5..5" ("1..5" for the default before
 * a decimal rating), into out. */
void rscale_show(const struct rscale *s, char *out, size_t cap);

/* Read the rating text p[0..len): RS_OK with *byte set, or another RS_*
 * with the reason in msg ("rating \"five\" is not a number", "rating 7 is
 * outside 0.5..5", "rating 4.25 is not in steps of 0.5 (0.5..5)", "rating
 * is empty").  Notes decimals for the default scale's messages. */
int rscale_read(struct rscale *s, const char *p, size_t len, uint8_t *byte, char *msg,
		size_t cap);

/* Goodreads' whole stars 0..5 (0 = shelved, not rated): RS_OK with
 * *stars, or another RS_* with the reason in msg as for rscale_read. */
int xval_stars05(const char *p, size_t len, uint8_t *stars, char *msg, size_t cap);

/* A field's text for a message: in double quotes, control bytes as '?',
 * cut to about 40 bytes at a UTF-8 boundary with "..." ("\"five\""). */
void xval_quote(const char *p, size_t len, char *out, size_t cap);

#endif
