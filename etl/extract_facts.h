/* extract_facts.h - build ratings.raw.glr from ratings that arrive one by one,
 * in bounded memory.
 *
 * fb_add() interns the user and item keys (lib/intern.h: dense ids in order
 * of first appearance) and appends a 13-byte record (user, item, time,
 * rating with the read and reviewed bits) to a spill file, a hidden
 * temporary beside the outputs that is removed when the builder is freed or
 * the process is killed.  Memory holds only the two dictionaries and a
 * 4-byte rating count per user, so it grows with distinct users and items,
 * never with lines.
 *
 * fb_write_glr() then writes the CSR file.  When every user's ratings were
 * contiguous in the input (real dumps are grouped by user) the spill is
 * already in CSR order and is copied in one sequential pass.  Otherwise
 * (goodbooks' ratings.csv is sorted by book) rows are scattered into place
 * in passes over the spill, each filling the next sort_mem bytes' worth of
 * the CSR order (10 bytes a rating): a few passes, bounded memory.  Both
 * paths write the same file: items in input order within each user.
 *
 * Per-file counts: fb_file_start() begins a file; after fb_flush(),
 * fb_file_users() and fb_file_items() tell how many distinct users and
 * items its ratings had.
 */
#ifndef GL_FACTBUILD_H
#define GL_FACTBUILD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fb_opts {
	uint32_t max_keys; /* distinct users (and items) allowed; 0 = no limit */
	size_t sort_mem;   /* bytes for a scatter pass; 0 = 256 MiB */
	int has_times;     /* write the times section */
	int has_read;      /* write the read bitmap */
	int has_reviewed;  /* write the reviewed bitmap */
	float scale;       /* the .glr scale of the rating bytes; 0 = 0.5 */
	int force_scatter; /* take the scatter path even for grouped input (tests) */
};

struct factb;

/* Start a builder whose spill file lives in dir.  0 or a gl_err (logged). */
int fb_open(struct factb **out, const char *dir, const struct fb_opts *o);

/* Add one rating: keys as bytes (not NUL-terminated), rating as the .glr
 * byte at the scale of fb_opts (0..63 with a read or reviewed bitmap, whose
 * bits share the spill's rating byte, else 0..255; at scale 0.5 five stars
 * is 10), time in seconds (0 = unknown),
 * bits GLR_BIT_READ and GLR_BIT_REVIEWED (others are ignored), and where it
 * came from (line, byte offset).  Ratings wait in a ring of 16 so the cache
 * misses of their dictionary lookups overlap; the keys are copied.  0,
 * GL_ELIMIT when a dictionary is full (not logged: the caller names the
 * file and the position fb_fail_pos gives, which may be an earlier rating
 * of the ring), GL_ENOMEM or GL_EIO (logged). */
int fb_add(struct factb *fb, const char *user, size_t ulen, const char *item, size_t ilen,
	   uint8_t rating, uint32_t time, unsigned bits, uint64_t line, uint64_t off);

/* Add the ratings still waiting in the batch.  Call at the end of every
 * file, before the counts below.  Errors as for fb_add. */
int fb_flush(struct factb *fb);

/* Line and byte offset of the rating whose fb_add or fb_flush failed. */
void fb_fail_pos(const struct factb *fb, uint64_t *line, uint64_t *off);

void fb_file_start(struct factb *fb);
uint64_t fb_file_users(const struct factb *fb);
uint64_t fb_file_items(const struct factb *fb);

uint64_t fb_n_ratings(const struct factb *fb);
uint32_t fb_n_users(const struct factb *fb);
uint32_t fb_n_items(const struct factb *fb);
/* 1 while every user's ratings so far were contiguous. */
int fb_grouped(const struct factb *fb);
/* Bytes the dictionaries and per-user counts hold now. */
size_t fb_memory(const struct factb *fb);

/* Add the ratings still waiting (the batch, the spill's buffer) to the
 * spill file.  From then on no rating is added and the builder is only
 * read: fb_write_glr and the two fb_write_keys may run on threads of their
 * own at once (and the counts above be read meanwhile).  0 or a gl_err
 * (logged); once it succeeded, a further call does nothing. */
int fb_finish(struct factb *fb);

/* Write the .glr file to path (committed: renamed into place on success),
 * fb_finish first if need be.  The spill file is removed at its end, its
 * work done or failed: call it once.  0 or a gl_err (logged; nothing left
 * under path). */
int fb_write_glr(struct factb *fb, const char *path);

/* Write "<idcol>,<keycol>" and one row per dense id of the user (users=1)
 * or item dictionary to f.  0 or GL_ENOMEM (logged); write errors surface
 * at the file's commit. */
int fb_write_keys(const struct factb *fb, int users, FILE *f, const char *idcol,
		  const char *keycol);

/* Remove the spill file and free everything.  NULL is fine. */
void fb_free(struct factb *fb);

#endif
