/* libFuzzer target: a ratings file of any layout (--source csv) through
 * extract_run: delimiter detection (lib/delim), "::" fields, header or
 * positions, ratings on a scale, unix and ISO times.  The first byte picks
 * the options: bit 0 --no-header, bits 1-2 the scale (default, 1,10,
 * 0.5,5,0.1, 1,200), bit 3 --delimiter '::' instead of detecting.
 * xfuzz.h checks the outcome. */
#include "xfuzz.h"
#include "delim.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const scales[] = {NULL, "1,10", "0.5,5,0.1", "1,200"};
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	log_init("fuzz", LOG_QUIET);
	struct xopts o = {.source = XK_CSV, .encoding = XENC_AUTO};
	char spec[64];
	o.csv.no_header = sel & 1;
	o.csv.delim = sel & 8 ? DELIM_DCOLON : DELIM_NONE;
	snprintf(spec, sizeof spec, "%s", o.csv.no_header ? "user=1,item=2,rating=3,time=4"
							 : "user=u,item=i,rating=r,time=t");
	if (xcols_parse(&o.csv, spec) || (o.csv.no_header && xcols_positions(&o.csv)))
		abort();
	rscale_default(&o.csv.scale);
	if (scales[(sel >> 1) & 3] && rscale_parse(&o.csv.scale, scales[(sel >> 1) & 3]))
		abort();
	xfuzz_extract_opts(data + 1, size - 1, &o);
	return 0;
}
