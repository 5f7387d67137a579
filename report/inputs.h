/* inputs.h - the pipeline's output folder, read and checked for the report.
 *
 * docs/ARCHITECTURE.md is the contract.  Required: ratings.glr (mapped and
 * validated) and items.csv (item,<key>[,title,...]).  Optional, each read
 * when present and its absence said in the report: model.glm, users.csv
 * (looked up only for the few users shown), metrics.csv, train.summary.csv,
 * extract.stats.csv, join.stats.csv, filter.stats.csv, predictions.csv.
 *
 * Cross-checks: every item id in items.csv is below the ratings file's
 * n_items and appears once; the model has the ratings file's n_users and
 * n_items, and items.csv is the table it was trained with (the keys'
 * fingerprint model.glm records, lib/keytab.h).  A failure names the file
 * and what is wrong.
 */
#ifndef GL_REPORT_INPUTS_H
#define GL_REPORT_INPUTS_H

#include "buf.h"
#include "csvtab.h"
#include "glm.h"
#include "glr.h"

#include <stddef.h>
#include <stdint.h>

/* items.csv: the key and title of every item, in one text arena. */
struct rep_items {
	uint64_t n;            /* = ratings.glr n_items */
	char key_name[GLM_KEYCOL_LEN]; /* the key column's header: book_id, movie_id ... */
	int has_title;         /* items.csv has a title column */
	struct buf text;       /* key\0title\0 per item */
	uint64_t *key_off;     /* n offsets into text; UINT64_MAX = row absent */
	uint64_t *title_off;   /* n offsets; UINT64_MAX = no title */
};

/* A small optional CSV: present when t.path is not NULL. */
#define REP_HAVE(t) ((t).path != NULL)

struct rep_in {
	char *dir;
	struct glr g;
	struct rep_items items;
	struct glm model;
	int have_model;
	char *users_path;      /* users.csv when present, else NULL */
	char user_key_name[GLM_KEYCOL_LEN]; /* its key column's name ("user_id" without it) */
	char *pred_path;       /* predictions.csv when present (streamed: it can
				* hold millions of rows), else NULL */
	struct csvtab metrics, summary, extract, join, filter;
};

/* Read dir.  0 or a gl_err (logged: which file, what is wrong; a missing
 * required file names the stage that writes it).  On failure in needs no
 * free. */
int rep_in_load(struct rep_in *in, const char *dir);
void rep_in_free(struct rep_in *in);

/* dir/name in a new string (caller frees), NULL when out of memory. */
char *rep_path(const char *dir, const char *name);

/* Item i's key ("" when items.csv lacks the row) and title (NULL when it
 * has none or it is empty). */
const char *rep_item_key(const struct rep_in *in, uint64_t i);
const char *rep_item_title(const struct rep_in *in, uint64_t i);

/* What a person should read for item i: its title, else "<key_name> <key>",
 * else "item <i>".  Written into b (cleared first); 0 or GL_ENOMEM. */
int rep_item_label(const struct rep_in *in, uint64_t i, struct buf *b);

/* Source keys (users.csv user_id) of n users: keys[j] is a new string for
 * ids[j], or NULL when users.csv is absent or lacks the row.  0 or a gl_err
 * (logged).  The caller frees each key and the array it passed. */
int rep_user_keys(const struct rep_in *in, const uint32_t *ids, size_t n, char **keys);

#endif
