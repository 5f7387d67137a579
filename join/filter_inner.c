#include "filter_inner.h"

#include "csvread.h"
#include "dimid.h"
#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int has(const uint8_t *bits, uint64_t id) { return (bits[id >> 3] >> (id & 7)) & 1; }

/* *bits (owned by the caller): bit id set when path has a row for id < n. */
static int read_ids(const char *path, const char *idcol, uint64_t n, uint8_t **bits)
{
	struct csvr *r = NULL;
	struct csvr_rec rec;
	int col, unused, rc;
	uint8_t *b = calloc(n / 8 + 1, 1);
	int err = b ? dimid_open(&r, &rec, path, idcol, &col, NULL, &unused) : GL_ENOMEM;
	while (!err && (rc = csvr_next(r, &rec)) != 0) {
		uint32_t id;
		if (rc < 0)
			err = rc;
		else if (!(err = dimid_parse(path, &rec, col, n, &id)))
			b[id >> 3] |= (uint8_t)(1u << (id & 7));
	}
	csvr_close(r);
	if (err == GL_ENOMEM)
		log_error("out of memory reading %s", path);
	if (err) {
		free(b);
		return err;
	}
	*bits = b;
	return 0;
}

static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* "--inner dropped 12 ratings: 3 items without a row in items.csv, 1 user
 * without a row in users.csv" (the tables given only). */
static void say(uint64_t dropped, uint64_t items, const char *ipath, uint64_t users,
		const char *upath)
{
	char ip[512] = "", up[512] = "";
	if (ipath)
		snprintf(ip, sizeof ip, "%" PRIu64 " item%s without a row in %s", (uint64_t)items,
			 plural(items), ipath);
	if (upath)
		snprintf(up, sizeof up, "%" PRIu64 " user%s without a row in %s", (uint64_t)users,
			 plural(users), upath);
	log_info("--inner dropped %" PRIu64 " rating%s: %s%s%s", (uint64_t)dropped, plural(dropped),
		 ip, ipath && upath ? ", " : "", up);
}

/* Ids with kept ratings that have no row. */
static uint64_t missing(const uint8_t *bits, const uint32_t *count, uint64_t n)
{
	uint64_t m = 0;
	for (uint64_t id = 0; bits && id < n; id++)
		m += count[id] > 0 && !has(bits, id);
	return m;
}

int inner_run(struct fstate *s, const char *users, const char *items)
{
	const struct glr *g = s->g;
	uint8_t *ub = NULL, *ib = NULL;
	int err = 0;
	if (users)
		err = read_ids(users, "user", g->n_users, &ub);
	if (!err && items)
		err = read_ids(items, "item", g->n_items, &ib);
	if (err)
		goto done;
	/* the raw items are still the effective ones: no step has run before */
	uint64_t lost_users = missing(ub, s->ucount, g->n_users);
	uint64_t lost_items = s->imap ? 0 : missing(ib, s->icount, g->n_items);
	uint64_t before = s->kept;
	for (uint64_t u = 0; u < g->n_users; u++) {
		if (!s->ucount[u])
			continue;
		int user_in = !ub || has(ub, u);
		for (uint64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
			if (fstate_kept(s, k) && (!user_in || (ib && !has(ib, g->items[k]))))
				fstate_drop(s, (uint32_t)u, k);
	}
	if (before > s->kept)
		say(before - s->kept, lost_items, items, lost_users, users);
done:
	free(ub);
	free(ib);
	return err;
}
