/* test_report_fixture.h - a small pipeline output folder with known
 * answers, for the goodlens-report tests (unit and, through
 * `test_report --fixture DIR`, the end-to-end and browser tests).
 *
 * 40 users x 30 items, whole stars stored at scale 0.5, about a fifth of
 * the ratings in the validation split.  Item 0 is rated by every user and
 * item k by fewer as k grows, so popularity order is the id order.  Item
 * biases are (15 - i) / 10: highest for item 0.  Item factors (4 per item)
 * vary most along the first axis (so PC1 is that axis) and items 6 and 7
 * point the same way (cosine 1).  Hostile titles: a script tag, quotes and
 * ampersands, an SVG breakout, non-ASCII, a newline, a 300-character title
 * and one empty title.  The CSV files follow docs/ARCHITECTURE.md.
 *
 * Everything here is static: each test file that includes it gets its own
 * copy.
 */
#ifndef TEST_REPORT_FIXTURE_H
#define TEST_REPORT_FIXTURE_H

#include "glm.h"
#include "glr.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FX_USERS 40
#define FX_ITEMS 30
#define FX_FACTORS 4
#define FX_HOSTILE "<script>alert(1)</script>"

static const char *fx_title(int i, char *buf, size_t cap)
{
	switch (i) {
	case 0: return FX_HOSTILE;
	case 1: return "Tom & Jerry: \"Quoted\", 'single' <b>not bold</b>";
	case 2: return "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb6" "d" "\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	case 3:
		snprintf(buf, cap, "A Very Long Title%s", "");
		for (size_t n = strlen(buf); n < 300 && n + 1 < cap; n++)
			buf[n] = "abcdefghij "[n % 11], buf[n + 1] = 0;
		return buf;
	case 4: return "</svg></text><img src=x onerror=alert(2)>";
	case 5: return "";
	case 8: return "Two\nLines";
	default: snprintf(buf, cap, "Book %d", i); return buf;
	}
}

/* The planted rating of user u for item i, or 0 when u does not rate i:
 * item i is rated by users u < FX_USERS - i (so item 0 by all). */
static int fx_rating(int u, int i)
{
	if (u >= FX_USERS - i)
		return 0;
	return 1 + (u * 7 + i * 3) % 5; /* stars 1..5 */
}

static void fx_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		fprintf(stderr, "fixture: cannot write %s\n", path);
		exit(1);
	}
}

static char *fx_path(const char *dir, const char *name)
{
	static char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static int fx_ratings(const char *dir)
{
	struct glr_meta m = {.n_users = FX_USERS, .n_items = FX_ITEMS, .scale = 0.5f,
			     .flags = GLR_SORTED, .has_split = 1};
	for (int u = 0; u < FX_USERS; u++)
		for (int i = 0; i < FX_ITEMS; i++)
			m.n_ratings += fx_rating(u, i) != 0;
	struct glr_writer *w;
	if (glr_writer_open(&w, fx_path(dir, "ratings.glr"), &m))
		return -1;
	for (int u = 0; u < FX_USERS; u++) {
		uint32_t items[FX_ITEMS];
		uint8_t r[FX_ITEMS], bits[FX_ITEMS];
		uint64_t n = 0;
		for (int i = 0; i < FX_ITEMS; i++)
			if (fx_rating(u, i)) {
				items[n] = (uint32_t)i;
				r[n] = (uint8_t)(2 * fx_rating(u, i));
				bits[n] = (u + i) % 5 == 0 ? GLR_BIT_VALID : 0;
				n++;
			}
		if (glr_writer_row(w, items, r, NULL, bits, n)) {
			glr_writer_abort(w);
			return -1;
		}
	}
	return glr_writer_commit(w);
}

static int fx_model(const char *dir)
{
	struct glm m;
	float *ub, *ib, *uf, *itf;
	memset(&m, 0, sizeof m);
	m.kind = GLM_MF;
	m.loss = GLM_MSE;
	m.n_users = FX_USERS;
	m.n_items = FX_ITEMS;
	m.factors = FX_FACTORS;
	m.global_mean = 3.0f;
	m.hparams = strdup("model=mf\nfactors=4\nepochs=5\nlr=0.01\nwd=<0.1&>\n");
	if (glm_add(&m, "user_bias", FX_USERS, 1, &ub) || glm_add(&m, "item_bias", FX_ITEMS, 1, &ib) ||
	    glm_add(&m, "user_factors", FX_USERS, FX_FACTORS, &uf) ||
	    glm_add(&m, "item_factors", FX_ITEMS, FX_FACTORS, &itf)) {
		glm_free(&m);
		return -1;
	}
	struct rng r;
	rng_init(&r, 42, 0);
	for (int u = 0; u < FX_USERS; u++) {
		ub[u] = (float)(u % 3) * 0.1f;
		for (int k = 0; k < FX_FACTORS; k++)
			uf[u * FX_FACTORS + k] = (float)(rng_unit(&r) - 0.5);
	}
	for (int i = 0; i < FX_ITEMS; i++) {
		ib[i] = (float)(15 - i) / 10.0f;
		/* wide spread on axis 0, small on the others */
		itf[i * FX_FACTORS + 0] = (float)((i % 10) - 4.5);
		itf[i * FX_FACTORS + 1] = (float)(rng_unit(&r) - 0.5) * 0.5f;
		itf[i * FX_FACTORS + 2] = (float)(rng_unit(&r) - 0.5) * 0.2f;
		itf[i * FX_FACTORS + 3] = (float)(rng_unit(&r) - 0.5) * 0.1f;
	}
	/* items 6 and 7 point the same way */
	for (int k = 0; k < FX_FACTORS; k++)
		itf[7 * FX_FACTORS + k] = 2 * itf[6 * FX_FACTORS + k];
	int err = glm_save(&m, fx_path(dir, "model.glm"));
	glm_free(&m);
	return err;
}

static void fx_items(const char *dir)
{
	FILE *f = fopen(fx_path(dir, "items.csv"), "wb");
	if (!f)
		exit(1);
	fputs("item,book_id,title,n_ratings,mean_rating\n", f);
	for (int i = 0; i < FX_ITEMS; i++) {
		char buf[400];
		const char *t = fx_title(i, buf, sizeof buf);
		int n = 0, s = 0;
		for (int u = 0; u < FX_USERS; u++)
			if (fx_rating(u, i)) {
				n++;
				s += fx_rating(u, i);
			}
		fprintf(f, "%d,%d,\"", i, 1000 + i);
		for (const char *p = t; *p; p++)
			fputs(*p == '"' ? "\"\"" : (char[2]){*p, 0}, f);
		fprintf(f, "\",%d,%.4f\n", n, n ? (double)s / n : 0);
	}
	if (fclose(f))
		exit(1);
}

static void fx_users(const char *dir)
{
	FILE *f = fopen(fx_path(dir, "users.csv"), "wb");
	if (!f)
		exit(1);
	fputs("user,user_id\n", f);
	for (int u = 0; u < FX_USERS; u++)
		if (u == 0)
			fputs("0,<b>bold user</b>\n", f);
		else /* 32 hex digits, like Goodreads user ids */
			fprintf(f, "%d,%08x%08x%08x%08x\n", u, 0x9e3779b9u * (unsigned)u,
				0x85ebca6bu * (unsigned)u, 0xc2b2ae35u * (unsigned)u, 0x27d4eb2fu * (unsigned)u);
	if (fclose(f))
		exit(1);
}

/* Write the whole folder; 0 or -1. */
static int fx_make(const char *dir)
{
	mkdir(dir, 0777);
	if (fx_ratings(dir) || fx_model(dir))
		return -1;
	fx_items(dir);
	fx_users(dir);
	fx_write(fx_path(dir, "metrics.csv"),
		 "epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds\n"
		 "1,1.52,1.61,1.269,1.02,0.5\n2,1.10,1.31,1.145,0.93,0.5\n"
		 "3,0.92,1.18,1.086,0.88,0.5\n4,0.81,1.12,1.058,0.85,0.5\n"
		 "5,0.76,1.10,1.049,0.84,0.5\n");
	fx_write(fx_path(dir, "train.summary.csv"),
		 "model,member,rmse,mae,accuracy,precision_at_k,recall_at_k,ndcg_at_k,k\n"
		 "global_mean,,1.4142,1.2,,0.1,0.05,0.08,10\n"
		 "biases,,1.2001,1.0,,0.15,0.07,0.11,10\n"
		 "mf,0,1.0490,0.84,,0.22,0.10,0.19,10\n");
	fx_write(fx_path(dir, "extract.stats.csv"),
		 "file,kind,bytes_in,bytes_text,lines,records,kept,users,items,bad_json,bad_rating\n"
		 "\"raw/a&b<c>.json.gz\",goodreads-json,1234567,9876543,1500,1500,1490,41,31,4,6\n"
		 "total,,1234567,9876543,1500,1500,1490,41,31,4,6\n");
	fx_write(fx_path(dir, "join.stats.csv"),
		 "side,file,rows,keys,matched_keys,unmatched_keys,unmatched_rows,examples\n"
		 "left,items.raw.csv,31,31,29,2,2,<x>|y&z\n"
		 "right,books.csv,500,500,29,471,471,7|8|9\n");
	fx_write(fx_path(dir, "filter.stats.csv"),
		 "step,rows,users,items\ninput,1490,41,31\nshelved,1200,41,31\n"
		 "k-core,765,40,30\nsplit,765,40,30\n");
	return 0;
}

#endif
