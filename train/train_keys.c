#include "train_keys.h"

#include "csvwrite.h"
#include "err.h"
#include "log.h"

#include <inttypes.h>
#include <stdlib.h>

void keys_free(struct keys *k)
{
	for (int side = 0; side < 2; side++)
		if (k->have[side])
			keytab_free(&k->tab[side]);
	k->have[0] = k->have[1] = 0;
}

int keys_load(struct keys *k, const struct tdata *d, const char *users, const char *items)
{
	static const char *const names[2] = {"users.csv", "items.csv"};
	static const char *const idcol[2] = {"user", "item"}, *what[2] = {"users", "items"};
	const char *const given[2] = {users, items};
	int err = 0;
	k->have[0] = k->have[1] = 0;
	for (int side = 0; !err && side < 2; side++) {
		char *tab;
		if ((err = keytab_locate(given[side], d->path, names[side], &tab)))
			break;
		if (!tab) {
			log_info("no %s beside %s: predictions.csv has dense %s ids only and "
				 "model.glm records no %s keys (--%s names the table)",
				 names[side], d->path, idcol[side], idcol[side], what[side]);
			continue;
		}
		err = keytab_load_for(&k->tab[side], tab, idcol[side], d->g, d->path, NULL, NULL);
		k->have[side] = !err;
		free(tab);
	}
	if (err)
		keys_free(k);
	return err;
}

void keys_predictions_header(FILE *f, const struct keys *k)
{
	static const char *const ids[2] = {"user", "item"};
	for (int side = 0; side < 2; side++) {
		fputs(ids[side], f);
		putc(',', f);
		if (k->have[side]) {
			csvw_str(f, k->tab[side].key_name);
			putc(',', f);
		}
	}
	fputs("rating,prediction\n", f);
}

/* The dense id, then its source key when the table is known. */
static void id_cols(FILE *f, const struct keys *k, int side, uint64_t id)
{
	fprintf(f, "%" PRIu64, id);
	if (k->have[side]) {
		putc(',', f);
		csvw_str(f, keytab_key(&k->tab[side], id));
	}
}

void keys_prediction_row(FILE *f, const struct keys *k, uint64_t user, uint64_t item,
			 float rating, float prediction)
{
	id_cols(f, k, 0, user);
	putc(',', f);
	id_cols(f, k, 1, item);
	fprintf(f, ",%g,%.6f\n", rating, prediction);
}

void keys_fill_source(const struct keys *k, const struct tdata *d, struct glm *g)
{
	g->has_source = 1;
	g->rating_lo = d->lo;
	g->rating_hi = d->hi;
	g->rating_step = d->step;
	if (k->have[0])
		keytab_glm_keys(&k->tab[0], &g->user_keys);
	if (k->have[1])
		keytab_glm_keys(&k->tab[1], &g->item_keys);
}
