/* libFuzzer target: every MovieLens reader (u.data, u.item in Latin-1,
 * ratings.dat and movies.dat, ratings.csv / movies.csv and the Kaggle
 * rating.csv / movie.csv) through extract_run.  The first byte picks the
 * kind (byte % 6) and the --encoding (byte / 6 % 3: auto, utf8, latin1);
 * the rest is the file.  xfuzz.h checks the outcome. */
#include "xfuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const int kinds[] = {XK_ML_UDATA,       XK_ML_UITEM,       XK_ML_DAT_RATINGS,
				    XK_ML_DAT_MOVIES,  XK_ML_CSV_RATINGS, XK_ML_CSV_MOVIES};
	static const int encs[] = {XENC_AUTO, XENC_UTF8, XENC_LATIN1};
	if (size < 1)
		return 0;
	xfuzz_extract(data + 1, size - 1, kinds[data[0] % 6], encs[data[0] / 6 % 3]);
	return 0;
}
