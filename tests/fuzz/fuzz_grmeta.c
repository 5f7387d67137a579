/* libFuzzer target: the Goodreads metadata JSON readers (books, works,
 * authors) through extract_run.  The first byte picks the kind; the rest
 * is the file.  xfuzz.h checks the outcome. */
#include "xfuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const int kinds[] = {XK_GR_BOOKS, XK_GR_WORKS, XK_GR_AUTHORS};
	if (size < 1)
		return 0;
	xfuzz_extract(data + 1, size - 1, kinds[data[0] % 3], XENC_AUTO);
	return 0;
}
