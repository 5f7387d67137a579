/* secfile.h - the sectioned binary container under .glr and .glm files.
 *
 * Layout (little-endian, docs/FORMAT.md has it byte by byte):
 *
 *   header   64 bytes: magic[8], version u32, n_sections u32, file_size u64,
 *            head_crc u32 (CRC-32 of header and table with this field zero),
 *            36 reserved zero bytes
 *   table    n_sections entries of 48 bytes: name[16] (NUL-padded),
 *            offset u64, length u64, crc u32 (CRC-32 of the section's bytes),
 *            20 reserved zero bytes
 *   sections each at an offset that is a multiple of 64, in table order
 *
 * The writer knows every section's length up front, so sections can be
 * appended to in any interleaving (one pass over a stream can fill several)
 * and the file is written once, to a temporary renamed on commit.
 *
 * The reader maps the file and checks everything before handing out a
 * pointer: size, magic, version, the header CRC, that every section lies
 * inside the file, aligned and apart from the others, has a unique name, and
 * (unless told not to) matches its CRC.  A crafted or cut file is an error
 * naming the file and what is wrong, never a crash.
 */
#ifndef GL_SECFILE_H
#define GL_SECFILE_H

#include <stddef.h>
#include <stdint.h>

#define SEC_MAGIC_LEN 8
#define SEC_NAME_LEN 16
#define SEC_MAX 64
#define SEC_ALIGN 64

struct secdef {
	const char *name; /* at most 15 bytes */
	uint64_t length;
};

struct secw;

/* Start writing path with the given sections.  0 or a gl_err (logged). */
int secw_open(struct secw **out, const char *path, const char magic[SEC_MAGIC_LEN],
	      uint32_t version, const struct secdef *defs, int n);

/* Append len bytes to section idx (its index in defs).  Writing past the
 * declared length is GL_EUSAGE; a failed write is GL_EIO (logged). */
int secw_append(struct secw *w, int idx, const void *data, size_t len);

/* Check that every section got exactly its length, write header and table,
 * and rename into place.  Frees w whatever the outcome. */
int secw_commit(struct secw *w);

/* Drop the temporary and free w.  NULL is fine. */
void secw_abort(struct secw *w);

/* ---- reading --------------------------------------------------------------- */

enum { SEC_NO_CRC = 1 }; /* secfile_open flag: skip section CRCs */

struct secfile {
	const uint8_t *base; /* the whole mapped file */
	uint64_t size;
	uint32_t version;
	int n;
	struct {
		char name[SEC_NAME_LEN + 1];
		uint64_t offset, length;
		uint32_t crc; /* as the table gives it */
	} sec[SEC_MAX];
	char *path;
	int mapped; /* 1 = base is an mmap to unmap on close */
};

/* Map and validate path.  max_version is the newest the caller reads;
 * kind names the file for messages (".glr": "out is a directory, expected a
 * .glr file").  0, GL_EIO (cannot open or map, or not a regular file) or
 * GL_EFORMAT (invalid; logged). */
int secfile_open(struct secfile *f, const char *path, const char magic[SEC_MAGIC_LEN],
		 uint32_t max_version, int flags, const char *kind);

/* The same over a buffer the caller owns (tests and fuzzing), which must be
 * 8-byte aligned (GL_EUSAGE otherwise); name is used in messages. */
int secfile_open_mem(struct secfile *f, const void *buf, size_t len, const char *name,
		     const char magic[SEC_MAGIC_LEN], uint32_t max_version, int flags);

/* Check every section against its CRC, as opening without SEC_NO_CRC
 * does (for a caller that opened with it and checks later, on a thread of
 * its own: f is only read).  0 or GL_EFORMAT (logged, naming the file and
 * the section). */
int secfile_check_crc(const struct secfile *f);

/* Section by name: pointer and length, or NULL when absent. */
const void *secfile_get(const struct secfile *f, const char *name, uint64_t *len);

/* Let the pages wholly inside [p, p + len) of a mapped file go from this
 * process's memory (madvise MADV_DONTNEED): the mapping stays valid, and a
 * page touched again is read back from the page cache (or the disk).  For
 * a reader done with part of a large file (a pass that will not come
 * back), whose mapped pages would otherwise count towards its peak memory
 * until the end.  Nothing for a buffer (secfile_open_mem). */
void secfile_release(const struct secfile *f, const void *p, uint64_t len);

void secfile_close(struct secfile *f);

#endif
