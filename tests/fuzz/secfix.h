/* secfix.h - make fuzzer bytes pass the container checksums.
 *
 * Random bytes almost never carry a right header CRC, so a target that
 * only fed them to the reader would fuzz the checksum test and nothing
 * behind it.  secfix() rewrites a copy the way a well-meaning but buggy
 * writer would: file_size set to the real size, every section that lies
 * inside the buffer given its true CRC-32, then the header CRC, so the
 * reader's semantic checks (counts, offsets, row pointers, ids, shapes,
 * values) see the fuzzer's bytes.  Layout: lib/secfile.h.
 */
#ifndef GL_SECFIX_H
#define GL_SECFIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static inline void secfix_put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

static inline void secfix(unsigned char *b, size_t size)
{
	if (size < 64)
		return;
	uint64_t size64 = size;
	memcpy(b + 16, &size64, 8);
	uint32_t n;
	memcpy(&n, b + 12, 4);
	if (n > 64 || 64 + (size_t)48 * n > size)
		return;
	for (uint32_t i = 0; i < n; i++) {
		unsigned char *e = b + 64 + (size_t)48 * i;
		uint64_t off, len;
		memcpy(&off, e + 16, 8);
		memcpy(&len, e + 24, 8);
		if (off <= size && len <= size - off)
			secfix_put32(e + 32, (uint32_t)crc32_z(0, b + off, (size_t)len));
	}
	secfix_put32(b + 24, 0);
	secfix_put32(b + 24, (uint32_t)crc32(0, b, (uInt)(64 + 48 * n)));
}

/* Hand fn an aligned copy of data as it is (the reader wants 8-byte
 * alignment, as mmap gives it), then a copy with its checksums made right:
 * the body of a container reader's fuzz target. */
static inline void secfix_both(const unsigned char *data, size_t size,
			       void (*fn)(unsigned char *buf, size_t size))
{
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		return;
	memcpy(buf, data, size);
	fn(buf, size);
	memcpy(buf, data, size);
	secfix(buf, size);
	fn(buf, size);
	free(buf);
}

#endif
