/* intern.h - map string keys (user ids, book ids) to dense ids 0, 1, 2, ...
 * in order of first appearance, and back.
 *
 * Keys are stored packed when every key seen so far allows it: 32 lowercase
 * hex digits (Goodreads user ids) as 16 bytes, canonical decimal numbers
 * (book and movie ids) as 8 bytes; anything else switches the table, once,
 * to plain strings in an arena.  A key comes back exactly as it went in.
 * Cost per distinct key: the packed key plus 4-8 bytes of hash slots, e.g.
 * about 24 bytes for a Goodreads user id (intern_memory() tells).
 *
 * Not thread-safe: one writer, or readers only.
 */
#ifndef GL_INTERN_H
#define GL_INTERN_H

#include <stddef.h>
#include <stdint.h>

enum intern_mode { INTERN_EMPTY, INTERN_HEX, INTERN_NUM, INTERN_STR };

struct intern {
	int mode;
	uint32_t n;          /* keys so far */
	uint32_t max_keys;   /* GL_ELIMIT past this */
	uint32_t key_cap;    /* capacity of the key arrays, in keys */
	uint64_t *k64;       /* HEX: 2 words per key; NUM: 1 */
	uint64_t *str_off;   /* STR: n + 1 offsets into arena */
	char *arena;
	size_t arena_len, arena_cap;
	uint32_t *slots;     /* id + 1, 0 = empty; power-of-two size */
	uint64_t mask;
};

/* max_keys: a limit on distinct keys (0 = 2^32 - 2) so hostile input meets
 * a clear error, not an exhausted machine. */
void intern_init(struct intern *t, uint32_t max_keys);

/* Find or add key[0..len).  Returns 1 if added, 0 if it was there, both
 * with *id set; GL_ENOMEM, or GL_ELIMIT past max_keys (nothing logged: the
 * caller names the file and line). */
int intern_put(struct intern *t, const char *key, size_t len, uint32_t *id);

/* 1 and *id if key is present, else 0. */
int intern_find(const struct intern *t, const char *key, size_t len, uint32_t *id);

/* A hint for callers that know their next keys, to overlap the cache
 * misses of many lookups: step 0 asks the CPU to fetch key's hash slot,
 * step 1 (a little later) the packed key that slot points to.  Changes
 * nothing; a no-op for string keys. */
void intern_prefetch(const struct intern *t, const char *key, size_t len, int step);

/* The same for a caller that keeps its keys waiting: the packed key and
 * its hash, worked out once by intern_hash (against the table as it is
 * then) and used by any number of intern_prefetch_hashed and one
 * intern_put_hashed, which is intern_put without packing and hashing again.
 * Should the table change its mode in between (a key that does not pack),
 * intern_put_hashed packs anew: hk is a hint, never a wrong answer. */
struct intern_hkey {
	uint64_t pk[2];
	uint64_t h;
	int mode; /* the table's mode when hashed; INTERN_EMPTY: no hint */
};
void intern_hash(const struct intern *t, const char *key, size_t len, struct intern_hkey *hk);
void intern_prefetch_hashed(const struct intern *t, const struct intern_hkey *hk, int step);
int intern_put_hashed(struct intern *t, const char *key, size_t len,
		      const struct intern_hkey *hk, uint32_t *id);

/* Write key id NUL-terminated into buf (truncated to cap - 1 bytes);
 * returns its full length.  id must be < t->n. */
size_t intern_key(const struct intern *t, uint32_t id, char *buf, size_t cap);

/* Bytes of memory the table holds. */
size_t intern_memory(const struct intern *t);

void intern_free(struct intern *t);

#endif
