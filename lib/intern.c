#include "intern.h"

#include "bigmem.h"
#include "err.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 40 /* longest packed key as text, with room to spare */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_str(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = mix(h ^ w);
		s += 8;
		len -= 8;
	}
	uint64_t w = 0;
	if (len)
		memcpy(&w, s, len);
	return mix(h ^ w ^ 0x5bd1e995);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Pack 32 lowercase hex digits into two words. */
static int pack_hex(const char *s, size_t len, uint64_t out[2])
{
	if (len != 32)
		return 0;
	out[0] = out[1] = 0;
	for (int i = 0; i < 32; i++) {
		int v = hexval(s[i]);
		if (v < 0)
			return 0;
		out[i / 16] = (out[i / 16] << 4) | (uint64_t)v;
	}
	return 1;
}

/* Pack a canonical decimal (no sign, no leading zero, at most 19 digits). */
static int pack_num(const char *s, size_t len, uint64_t *out)
{
	if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
		return 0;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 1;
}

void intern_init(struct intern *t, uint32_t max_keys)
{
	memset(t, 0, sizeof *t);
	t->max_keys = max_keys && max_keys < UINT32_MAX - 1 ? max_keys : UINT32_MAX - 1;
}

static uint64_t hash_id(const struct intern *t, uint32_t id)
{
	switch (t->mode) {
	/* ids reach 2^32 - 2: index in size_t, 2 * id would wrap in 32 bits */
	case INTERN_HEX: return mix(t->k64[2 * (size_t)id] ^ mix(t->k64[2 * (size_t)id + 1]));
	case INTERN_NUM: return mix(t->k64[id]);
	default:
		return hash_str(t->arena + t->str_off[id],
				(size_t)(t->str_off[id + 1] - t->str_off[id]));
	}
}

static int rehash(struct intern *t, uint64_t nslots)
{
	uint32_t *s = big_alloc(nslots * sizeof *s);
	if (!s)
		return GL_ENOMEM;
	if (t->slots)
		big_free(t->slots, (size_t)(t->mask + 1) * sizeof *s);
	t->slots = s;
	t->mask = nslots - 1;
	for (uint32_t id = 0; id < t->n; id++) {
		uint64_t i = hash_id(t, id) & t->mask;
		while (s[i])
			i = (i + 1) & t->mask;
		s[i] = id + 1;
	}
	return 0;
}

static int arena_add(struct intern *t, const char *key, size_t len)
{
	/* Allocated even for an empty key: key pointers into it are never NULL. */
	if (t->arena_len + len > t->arena_cap || !t->arena) {
		size_t cap = t->arena_cap ? t->arena_cap : 4096;
		while (cap < t->arena_len + len)
			cap *= 2;
		char *a = realloc(t->arena, cap);
		if (!a)
			return GL_ENOMEM;
		t->arena = a;
		t->arena_cap = cap;
	}
	if (len)
		memcpy(t->arena + t->arena_len, key, len);
	t->arena_len += len;
	return 0;
}

/* Bytes of the packed key array for cap keys. */
static size_t key_bytes(const struct intern *t, uint32_t cap)
{
	return (size_t)cap * (t->mode == INTERN_HEX ? 2 : 1) * sizeof(uint64_t);
}

/* Rewrite every packed key as text: the table now holds strings. */
static int to_strings(struct intern *t)
{
	uint64_t *off = malloc(((size_t)t->key_cap + 1) * sizeof *off);
	if (!off)
		return GL_ENOMEM;
	off[0] = 0;
	for (uint32_t id = 0; id < t->n; id++) {
		char buf[KEY_MAX];
		size_t len = intern_key(t, id, buf, sizeof buf);
		if (arena_add(t, buf, len)) {
			free(off);
			return GL_ENOMEM;
		}
		off[id + 1] = t->arena_len;
	}
	big_free(t->k64, key_bytes(t, t->key_cap));
	t->k64 = NULL;
	t->str_off = off;
	t->mode = INTERN_STR;
	return rehash(t, t->mask + 1);
}

static int grow_keys(struct intern *t)
{
	uint32_t cap = t->key_cap ? t->key_cap : 1024;
	cap = cap > UINT32_MAX / 2 ? UINT32_MAX - 1 : cap * 2;
	if (t->mode == INTERN_STR) {
		uint64_t *o = realloc(t->str_off, ((size_t)cap + 1) * sizeof *o);
		if (!o)
			return GL_ENOMEM;
		t->str_off = o;
	} else {
		uint64_t *k = big_realloc(t->k64, key_bytes(t, t->key_cap), key_bytes(t, cap));
		if (!k)
			return GL_ENOMEM;
		t->k64 = k;
	}
	t->key_cap = cap;
	return 0;
}

/* The hash of a key in the table's mode (pk its packed form). */
static uint64_t key_hash(const struct intern *t, const char *key, size_t len, const uint64_t pk[2])
{
	switch (t->mode) {
	case INTERN_HEX: return mix(pk[0] ^ mix(pk[1]));
	case INTERN_NUM: return mix(pk[0]);
	default: return hash_str(key, len);
	}
}

/* Look key (hash h) up: 1 and *id if present; else 0 with *slot the free slot. */
static int lookup(const struct intern *t, const char *key, size_t len, const uint64_t pk[2],
		  uint64_t h, uint64_t *slot, uint32_t *id)
{
	for (uint64_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint32_t s = t->slots[i];
		if (!s) {
			*slot = i;
			return 0;
		}
		uint32_t c = s - 1;
		int eq;
		switch (t->mode) {
		case INTERN_HEX:
			eq = t->k64[2 * (size_t)c] == pk[0] && t->k64[2 * (size_t)c + 1] == pk[1];
			break;
		case INTERN_NUM: eq = t->k64[c] == pk[0]; break;
		default:
			eq = t->str_off[c + 1] - t->str_off[c] == len &&
			     memcmp(t->arena + t->str_off[c], key, len) == 0;
		}
		if (eq) {
			*id = c;
			return 1;
		}
	}
}

/* The packed form of key in the table's mode; 0 if it does not fit. */
static int pack(const struct intern *t, const char *key, size_t len, uint64_t pk[2])
{
	switch (t->mode) {
	case INTERN_HEX: return pack_hex(key, len, pk);
	case INTERN_NUM: return pack_num(key, len, pk);
	default: return 1;
	}
}

/* Add or find key, packed as pk (when the table is not of strings), hash h. */
static int put_hashed(struct intern *t, const char *key, size_t len, const uint64_t pk[2],
		      uint64_t h, uint32_t *id)
{
	uint64_t slot;
	int err;
	if (lookup(t, key, len, pk, h, &slot, id))
		return 0;
	if (t->n >= t->max_keys)
		return GL_ELIMIT;
	if (t->n >= t->key_cap && (err = grow_keys(t)))
		return err;
	uint32_t nid = t->n;
	switch (t->mode) {
	case INTERN_HEX:
		t->k64[2 * (size_t)nid] = pk[0];
		t->k64[2 * (size_t)nid + 1] = pk[1];
		break;
	case INTERN_NUM: t->k64[nid] = pk[0]; break;
	default:
		if ((err = arena_add(t, key, len)))
			return err;
		t->str_off[nid + 1] = t->arena_len;
	}
	t->slots[slot] = nid + 1;
	t->n++;
	*id = nid;
	/* Keep the load under one half: probes stay short. */
	if ((uint64_t)t->n * 2 > t->mask + 1 && (err = rehash(t, (t->mask + 1) * 2)))
		return err;
	return 1;
}

int intern_put(struct intern *t, const char *key, size_t len, uint32_t *id)
{
	uint64_t pk[2] = {0, 0};
	int err;
	if (t->mode == INTERN_EMPTY) {
		t->mode = pack_hex(key, len, pk) ? INTERN_HEX
			  : pack_num(key, len, pk) ? INTERN_NUM : INTERN_STR;
		if (t->mode == INTERN_STR && !(t->str_off = calloc(1, sizeof *t->str_off)))
			return GL_ENOMEM;
		if ((err = rehash(t, 1024)))
			return err;
	}
	if (!pack(t, key, len, pk)) {
		if ((err = to_strings(t)))
			return err;
	}
	return put_hashed(t, key, len, pk, key_hash(t, key, len, pk), id);
}

void intern_hash(const struct intern *t, const char *key, size_t len, struct intern_hkey *hk)
{
	hk->pk[0] = hk->pk[1] = 0;
	hk->mode = INTERN_EMPTY;
	if ((t->mode == INTERN_HEX || t->mode == INTERN_NUM) && pack(t, key, len, hk->pk)) {
		hk->mode = t->mode;
		hk->h = key_hash(t, key, len, hk->pk);
	}
}

int intern_put_hashed(struct intern *t, const char *key, size_t len,
		      const struct intern_hkey *hk, uint32_t *id)
{
	if (hk->mode == INTERN_EMPTY || hk->mode != t->mode)
		return intern_put(t, key, len, id);
	return put_hashed(t, key, len, hk->pk, hk->h, id);
}

void intern_prefetch_hashed(const struct intern *t, const struct intern_hkey *hk, int step)
{
	if (hk->mode == INTERN_EMPTY || hk->mode != t->mode)
		return;
	const uint32_t *slot = &t->slots[hk->h & t->mask];
	if (step == 0) {
		__builtin_prefetch(slot);
		return;
	}
	if (*slot)
		__builtin_prefetch(&t->k64[(t->mode == INTERN_HEX ? 2 : 1) * (uint64_t)(*slot - 1)]);
}

int intern_find(const struct intern *t, const char *key, size_t len, uint32_t *id)
{
	uint64_t pk[2] = {0, 0}, slot;
	if (t->mode == INTERN_EMPTY || !pack(t, key, len, pk))
		return 0;
	return lookup(t, key, len, pk, key_hash(t, key, len, pk), &slot, id);
}

void intern_prefetch(const struct intern *t, const char *key, size_t len, int step)
{
	struct intern_hkey hk;
	intern_hash(t, key, len, &hk);
	intern_prefetch_hashed(t, &hk, step);
}

size_t intern_key(const struct intern *t, uint32_t id, char *buf, size_t cap)
{
	char tmp[KEY_MAX];
	const char *src = tmp;
	size_t len;
	switch (t->mode) {
	case INTERN_HEX:
		for (int i = 0; i < 32; i++) {
			uint64_t w = t->k64[2 * (size_t)id + (size_t)i / 16];
			tmp[i] = "0123456789abcdef"[(w >> (4 * (15 - i % 16))) & 15];
		}
		len = 32;
		break;
	case INTERN_NUM:
		len = (size_t)snprintf(tmp, sizeof tmp, "%" PRIu64, (uint64_t)t->k64[id]);
		break;
	default:
		src = t->arena + t->str_off[id];
		len = (size_t)(t->str_off[id + 1] - t->str_off[id]);
	}
	if (cap) {
		size_t n = len < cap - 1 ? len : cap - 1;
		memcpy(buf, src, n);
		buf[n] = 0;
	}
	return len;
}

size_t intern_memory(const struct intern *t)
{
	size_t words = t->mode == INTERN_HEX ? 2 : t->mode == INTERN_NUM ? 1 : 0;
	size_t m = (size_t)(t->mask + 1) * sizeof(uint32_t) + (size_t)t->key_cap * words * 8;
	if (t->mode == INTERN_STR)
		m += ((size_t)t->key_cap + 1) * 8 + t->arena_cap;
	return m;
}

void intern_free(struct intern *t)
{
	if (t->mode == INTERN_HEX || t->mode == INTERN_NUM)
		big_free(t->k64, key_bytes(t, t->key_cap));
	if (t->slots)
		big_free(t->slots, (size_t)(t->mask + 1) * sizeof *t->slots);
	free(t->str_off);
	free(t->arena);
	memset(t, 0, sizeof *t);
}
