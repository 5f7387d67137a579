/* export_ucsd.h - the UCSD Goodreads CSV layout from the JSON dump.
 *
 * UCSD publishes the interactions twice: as JSON lines with string ids
 * and as goodreads_interactions.csv with integer ids plus the two maps
 * back to the string ids.  From goodlens-extract's output of the JSON dump
 * this writes the second form:
 *
 *   goodreads_interactions.csv  user_id,book_id,is_read,rating,is_reviewed
 *                               (integer ids; rating 0 = shelved; every
 *                               raw rating, grouped by user in file order)
 *   user_id_map.csv             user_id_csv,user_id
 *   book_id_map.csv             book_id_csv,book_id
 *
 * The integer ids are goodlens' dense raw ids (order of first appearance).
 * is_read and is_reviewed come from the read and reviewed bitmaps, 0 on
 * every row when the file has none (files written before "reviewed"
 * existed, or sources without reviews).
 */
#ifndef GL_EXPORT_UCSD_H
#define GL_EXPORT_UCSD_H

/* indir holds ratings.raw.glr, users.raw.csv, items.raw.csv; threads
 * format the interactions (parwrite.h: the same bytes for any count).  0
 * or a gl_err (logged). */
int export_ucsd(const char *indir, const char *outdir, int threads);

#endif
