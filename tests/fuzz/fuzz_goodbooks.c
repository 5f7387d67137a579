/* libFuzzer target: the goodbooks-10k readers (ratings.csv in either
 * column order, to_read.csv, books.csv old and new) through extract_run.
 * The first byte picks the kind; the rest is the file.  xfuzz.h checks the
 * outcome. */
#include "xfuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const int kinds[] = {XK_GB_RATINGS, XK_GB_TO_READ, XK_GB_BOOKS};
	if (size < 1)
		return 0;
	xfuzz_extract(data + 1, size - 1, kinds[data[0] % 3], XENC_AUTO);
	return 0;
}
