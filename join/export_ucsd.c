#include "export_ucsd.h"

#include "buf.h"
#include "csvwrite.h"
#include "dimid.h"
#include "err.h"
#include "glr.h"
#include "log.h"
#include "outfile.h"
#include "rowstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long ull;

/* Write "<key>_csv,<key>" from a `<idcol>,<key>` table, in id order; every
 * id below n must have a row. */
static int write_map(FILE *fp, const char *path, const char *idcol, uint64_t n)
{
	struct rowstore keys = {0};
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
			log_error("%s: no row for %s %llu", path, idcol, (ull)id);
			err = GL_EFORMAT;
			break;
		}
		rowstore_get(&keys, slot[id], &f, &len, 1);
		fprintf(fp, "%llu,", (ull)id);
		csvw_field(fp, f, len);
		putc('\n', fp);
	}
	rowstore_free(&keys);
	free(slot);
	free(name);
	return err;
}

static void write_interactions(FILE *fp, const struct glr *g)
{
	fputs("user_id,book_id,is_read,rating,is_reviewed\n", fp);
	for (uint64_t u = 0; u < g->n_users; u++)
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			fprintf(fp, "%llu,%u,%d,%g,%d\n", (ull)u, g->items[k], glr_bit(g->read, k),
				(double)glr_value(g, k), glr_bit(g->reviewed, k));
}

int export_ucsd(const char *indir, const char *outdir)
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
	if (!err) {
		write_interactions(of[INTERACTIONS].fp, &g);
		err = write_map(of[USER_MAP].fp, users.p, "user", g.n_users);
	}
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
