#include "filter_works.h"

#include "csvread.h"
#include "dimid.h"
#include "err.h"
#include "intern.h"
#include "log.h"

#include <stdlib.h>

#define NONE UINT32_MAX

/* Read the table: wid[item] = interned work_id, or NONE. */
static int read_table(const char *path, uint64_t n_raw, uint32_t *wid, struct intern *works)
{
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int icol, wcol, rc;
	int err = dimid_open(&r, &rec, path, "item", &icol, "work_id", &wcol);
	if (!err && wcol < 0) {
		log_error("%s: no work_id column: --item-key work needs the items joined with "
			  "books.csv (goodlens-join --kind left --on book_id items.raw.csv books.csv)",
			  path);
		err = GL_EFORMAT;
	}
	while (!err && (rc = csvr_next(r, &rec)) != 0) {
		uint32_t item, w;
		if (rc < 0 || (err = dimid_parse(path, &rec, icol, n_raw, &item))) {
			err = rc < 0 ? rc : err;
			break;
		}
		if ((size_t)wcol >= rec.n) {
			log_at(path, rec.lineno, rec.offset, "no work_id field");
			err = GL_EFORMAT;
		} else if (wid[item] == NONE && rec.len[wcol] > 0) {
			rc = intern_put(works, rec.f[wcol], rec.len[wcol], &w);
			if (rc < 0) {
				log_error("out of memory reading %s", path);
				err = rc;
			} else {
				wid[item] = w;
			}
		}
	}
	csvr_close(r);
	return err;
}

int works_load(const char *path, uint64_t n_raw, uint32_t **imap, uint64_t *n_works)
{
	struct intern works;
	intern_init(&works, 0);
	uint32_t *wid = malloc((n_raw ? n_raw : 1) * sizeof *wid);
	uint32_t *dense = NULL;
	int err = 0;
	if (!wid) {
		err = GL_ENOMEM;
		goto fail;
	}
	for (uint64_t i = 0; i < n_raw; i++)
		wid[i] = NONE;
	if ((err = read_table(path, n_raw, wid, &works)))
		goto fail;
	if (!(dense = malloc((works.n ? works.n : 1) * sizeof *dense))) {
		err = GL_ENOMEM;
		goto fail;
	}
	for (uint32_t w = 0; w < works.n; w++)
		dense[w] = NONE;
	/* Number works by their first edition; lone items in between. */
	uint64_t n = 0;
	for (uint64_t i = 0; i < n_raw; i++) {
		uint32_t w = wid[i];
		if (w == NONE)
			wid[i] = (uint32_t)n++;
		else if (dense[w] == NONE)
			wid[i] = dense[w] = (uint32_t)n++;
		else
			wid[i] = dense[w];
	}
	free(dense);
	intern_free(&works);
	*imap = wid;
	*n_works = n;
	return 0;
fail:
	if (err == GL_ENOMEM)
		log_error("out of memory mapping editions to works");
	free(wid);
	intern_free(&works);
	return err;
}
