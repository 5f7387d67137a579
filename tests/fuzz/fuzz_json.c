/* libFuzzer target: the JSON-lines extract path (UCSD Goodreads
 * interactions, gzip or plain) through extract_run, as goodlens-extract
 * --source goodreads-json runs it.  xfuzz.h checks the outcome. */
#include "xfuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	xfuzz_extract(data, size, XK_GR_JSON, XENC_AUTO);
	return 0;
}
