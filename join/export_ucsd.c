#include "export_ucsd.h"

#include "buf.h"
#include "csvwrite.h"
#include "dimid.h"
#include "err.h"
#include "glr.h"
#include "log.h"
#include "outfile.h"
#include "parwrite.h"
#include "rowstore.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ratings per chunk formatted at once, and the bytes a map holds before
 * they are written. */
#define UCSD_CHUNK 65536
#define UCSD_FLUSH ((size_t)1 << 20)

/* Write "<key>_csv,<key>" from a `<idcol>,<key>` table, in id order; every
 * id below n must have a row. */
static int write_map(FILE *fp, const char *path, const char *idcol, uint64_t n)
{
	struct rowstore keys = {0};
	struct csvb b = {0};
	uint32_t *slot = NULL;
	char *name = NULL;
	int err = dimid_column(path, idcol, NULL, n, &keys, &slot, &name);
	if (!err) {
		fprintf(fp, "%s_csv,", name);
		csvw_str(fp, name);
		putc('\n', fp);
	}
	for (uint64_t id = 0; !err && id < n; id++) {
		const char *f;
		size_t len;
		if (slot[id] == UINT32_MAX) {
			log_error("%s: no row for %s %" PRIu64, path, idcol, (uint64_t)id);
			err = GL_EFORMAT;
			break;
		}
		rowstore_get(&keys, slot[id], &f, &len, 1);
		csvb_u64(&b, id);
		csvb_byte(&b, ',');
		csvb_field(&b, f, len);
		csvb_byte(&b, '\n');
		if (b.len >= UCSD_FLUSH)
			err = csvb_write(&b, fp);
	}
	if (!err)
		err = csvb_write(&b, fp);
	if (err == GL_EIO)
		err = 0; /* outfile_flush says which file and why */
	csvb_free(&b);
	rowstore_free(&keys);
	free(slot);
	free(name);
	return err;
}

struct interactions {
	const struct glr *g;
	struct csv_gtab gtab;
	uint64_t *ustart; /* chunk c: users [ustart[c], ustart[c + 1]) */
};

static int fill_interactions(void *ctx, uint64_t c, struct csvb *b)
{
	const struct interactions *x = ctx;
	const struct glr *g = x->g;
	static const char bit[2][3] = {",0,", ",1,"};
	for (uint64_t u = x->ustart[c]; u < x->ustart[c + 1]; u++) {
		char head[24];
		size_t hn = csv_u64(head, u);
		head[hn++] = ',';
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++) {
			csvb_add(b, head, hn);
			csvb_u64(b, g->items[k]);
			csvb_add(b, bit[glr_bit(g->read, k)], 3);
			csvb_gtab(b, &x->gtab, g->ratings[k]);
			csvb_add(b, bit[glr_bit(g->reviewed, k)], 2);
			csvb_byte(b, '\n');
		}
	}
	return b->err;
}

static int write_interactions(FILE *fp, const struct glr *g, int threads)
{
	struct interactions x = {.g = g};
	uint64_t n_chunks;
	fputs("user_id,book_id,is_read,rating,is_reviewed\n", fp);
	csv_gtab_init(&x.gtab, g->scale, 0);
	int err = parw_cut(g->rowptr, g->n_users, UCSD_CHUNK, &x.ustart, &n_chunks);
	if (!err)
		err = parw_run(fp, n_chunks, threads, fill_interactions, &x);
	free(x.ustart);
	return err;
}

int export_ucsd(const char *indir, const char *outdir, int threads)
{
	enum { INTERACTIONS, USER_MAP, BOOK_MAP, N };
	static const char *const names[N] = {"goodreads_interactions.csv", "user_id_map.csv",
					     "book_id_map.csv"};
	struct glr g;
	struct outfile of[N];
	struct buf p = {0}, users = {0}, items = {0};
	int err = 0;
	memset(of, 0, sizeof of);
	if (buf_printf(&p, "%s/ratings.raw.glr", indir) ||
	    buf_printf(&users, "%s/users.raw.csv", indir) ||
	    buf_printf(&items, "%s/items.raw.csv", indir))
		err = GL_ENOMEM;
	if (err || (err = glr_open(&g, p.p, 0)))
		goto done;
	for (int n = 0; !err && n < N; n++) {
		buf_clear(&p);
		err = buf_printf(&p, "%s/%s", outdir, names[n]) ? GL_ENOMEM
								: outfile_open(&of[n], p.p);
		if (!err)
			setvbuf(of[n].fp, NULL, _IOFBF, (size_t)1 << 20);
	}
	if (!err && (err = write_interactions(of[INTERACTIONS].fp, &g, threads)) == GL_EIO)
		err = 0; /* likewise */
	if (!err)
		err = write_map(of[USER_MAP].fp, users.p, "user", g.n_users);
	if (!err)
		err = write_map(of[BOOK_MAP].fp, items.p, "item", g.n_items);
	if (err)
		outfile_abort_set(of, N);
	else
		err = outfile_commit_set(of, N);
	glr_close(&g);
done:
	if (err == GL_ENOMEM)
		log_error("out of memory");
	buf_free(&p);
	buf_free(&users);
	buf_free(&items);
	return err;
}
