/* sample_movielens.c - every MovieLens layout: 100k (u.data, u.item, u.user,
 * u.info), 1m (::-separated .dat, Latin-1), 10m (.dat, UTF-8, half stars),
 * the csv releases (ml-20m/25m/32m/latest: RFC 4180) and Kaggle's
 * re-upload of ml-20m (R's write.csv: quoted header and strings, dates as
 * text).  Titles use the MovieLens form "Perfect Stranger, The (1998)". */
#include "err.h"
#include "log.h"
#include "sample_date.h"
#include "sample_movielens.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The 100k genre list; later releases drop "unknown" and say "Children". */
enum { G_UNKNOWN, G_ACTION, G_ADVENTURE, G_ANIMATION, G_CHILDREN, G_COMEDY, G_CRIME,
       G_DOCUMENTARY, G_DRAMA, G_FANTASY, G_NOIR, G_HORROR, G_MUSICAL, G_MYSTERY,
       G_ROMANCE, G_SCIFI, G_THRILLER, G_WAR, G_WESTERN, G_COUNT };
static const char *const ml_genre[G_COUNT] = {
	"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
	"Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
	"Romance", "Sci-Fi", "Thriller", "War", "Western",
};

/* Each latent genre: a main film genre and some that go with it. */
static const int genre_main[SAMPLE_GENRES] = {
	G_CHILDREN, G_ANIMATION, G_FANTASY, G_DOCUMENTARY, G_THRILLER, G_DRAMA, G_ROMANCE, G_COMEDY,
};
static const int genre_more[SAMPLE_GENRES][4] = {
	{ G_ANIMATION, G_COMEDY, G_MUSICAL, G_FANTASY },
	{ G_ACTION, G_SCIFI, G_ADVENTURE, G_COMEDY },
	{ G_ADVENTURE, G_SCIFI, G_HORROR, G_ACTION },
	{ G_DRAMA, G_WAR, G_WESTERN, G_DOCUMENTARY },
	{ G_CRIME, G_MYSTERY, G_NOIR, G_HORROR },
	{ G_MUSICAL, G_ROMANCE, G_DRAMA, G_WAR },
	{ G_COMEDY, G_DRAMA, G_MUSICAL, G_ROMANCE },
	{ G_DRAMA, G_ACTION, G_ADVENTURE, G_ROMANCE },
};

struct movie {
	uint32_t book, id;
	char title[SAMPLE_TITLE_MAX + 8]; /* UTF-8, with " (year)" */
	int year, month, day;
	uint32_t genres;                  /* bit per ml_genre index */
};

static void movie_info(const struct sample_ctx *c, uint32_t b, struct movie *m)
{
	uint32_t w = c->cat.book_work[b];
	uint64_t h = sample_mix(c->o->seed ^ 0x6d6f766965ULL, w);
	char base[SAMPLE_TITLE_MAX], ml[SAMPLE_TITLE_MAX];
	int g = sample_work_genre(c, w);
	m->book = b;
	m->id = c->cat.book_id[b];
	m->year = sample_work_year(c, w);
	m->month = 1 + (int)(h % 12);
	m->day = 1 + (int)((h >> 4) % 28);
	sample_title(base, c->o->seed, w, w < c->cat.p.items ? w : SAMPLE_NONE, g, c->f->charset);
	sample_title_ml(ml, base);
	snprintf(m->title, sizeof m->title, "%s (%d)", ml, m->year);
	m->genres = 1u << genre_main[g];
	for (int i = 0; i < 4; i++)
		if ((h >> (8 + 4 * i)) % 3 == 0)
			m->genres |= 1u << genre_more[g][i];
}

/* "Adventure|Animation|Children|Comedy": in list order, as the files are. */
static void genre_list(struct sbuf *sb, uint32_t mask, int apostrophe)
{
	int first = 1;
	for (int k = 1; k < G_COUNT; k++) {
		if (!(mask & (1u << k)))
			continue;
		if (!first)
			sb_putc(sb, '|');
		sb_puts(sb, k == G_CHILDREN && !apostrophe ? "Children" : ml_genre[k]);
		first = 0;
	}
}

static int put_title(struct sample_ctx *c, struct sbuf *sb, const char *title)
{
	if (c->f->charset != SAMPLE_LATIN1) {
		sb_puts(sb, title);
		return 0;
	}
	if (sb_latin1(sb, title)) {
		log_error("internal: title not representable in Latin-1: %s", title);
		return GL_EFORMAT;
	}
	return 0;
}

typedef int (*movie_row)(struct sample_ctx *c, struct sbuf *sb, const struct movie *m);

/* The movies file, by increasing id like the real ones. */
static int write_movies(struct sample_ctx *c, const char *name, const char *header, movie_row row)
{
	struct gzw w;
	struct movie m;
	uint32_t n = c->cat.books;
	uint32_t *by_id = malloc(sizeof *by_id * (n ? n : 1));
	if (!by_id) {
		log_error("out of memory listing %u movies", n);
		return GL_ENOMEM;
	}
	for (uint32_t b = 0; b < n; b++)
		by_id[c->cat.book_key[b]] = b;
	int err = sample_file_open(c, &w, name, 0);
	if (!err && header)
		err = gzw_puts(&w, header);
	for (uint32_t k = 0; k < n && !err; k++) {
		movie_info(c, by_id[k], &m);
		err = row(c, &c->line, &m);
		if (!err)
			err = sample_file_line(c, &w);
		c->meta_books++;
	}
	free(by_id);
	return sample_file_close(&w, err);
}

typedef void (*user_row)(struct sample_ctx *c, struct sbuf *sb, uint32_t u, uint64_t h);

static int write_users(struct sample_ctx *c, const char *name, user_row row)
{
	struct gzw w;
	int err = sample_file_open(c, &w, name, 0);
	for (uint32_t u = 0; u < c->o->users && !err; u++) {
		if (!c->st.user_lines[u])
			continue;
		row(c, &c->line, u, sample_mix(c->o->seed ^ 0x6d6c75736572ULL, u));
		err = sample_file_line(c, &w);
	}
	return sample_file_close(&w, err);
}

/* A rating value: "4", "3.5" (.dat) or "4.0", "3.5" (csv). */
static void rating(struct sbuf *sb, const struct sample_ctx *c, int code, int always_decimal)
{
	if (c->model.p.scale.step == 1.0) {
		sb_u64(sb, (uint64_t)code);
		return;
	}
	sb_u64(sb, (uint64_t)code / 2);
	if (code % 2)
		sb_put(sb, ".5", 2);
	else if (always_decimal)
		sb_put(sb, ".0", 2);
}

/* How a layout writes one rating line: user, movie, rating, time. */
struct ml_layout {
	const char *sep;
	int decimal;  /* "4.0" rather than "4" */
	int iso_time; /* "2005-04-02 23:53:47" rather than seconds */
};

static int ml_line(struct sample_ctx *c, const struct sample_event *e, const struct ml_layout *l)
{
	struct sbuf *sb = &c->line;
	char date[SAMPLE_DATE_MAX];
	sb_u64(sb, (uint64_t)e->user + 1);
	sb_puts(sb, l->sep);
	sb_u64(sb, c->cat.book_id[e->book]);
	sb_puts(sb, l->sep);
	rating(sb, c, e->code, l->decimal);
	sb_puts(sb, l->sep);
	if (l->iso_time)
		sb_put(sb, date, sample_date_iso(date, e->when));
	else
		sb_u64(sb, e->when);
	sb_putc(sb, '\n');
	return sample_file_line(c, &c->out[0]);
}

static const struct ml_layout tabs = { "\t", 0, 0 }, colons = { "::", 0, 0 },
			      commas = { ",", 1, 0 }, kaggle = { ",", 1, 1 };

static int m100k_line(struct sample_ctx *c, const struct sample_event *e) { return ml_line(c, e, &tabs); }
static int dat_line(struct sample_ctx *c, const struct sample_event *e) { return ml_line(c, e, &colons); }
static int csv_line(struct sample_ctx *c, const struct sample_event *e) { return ml_line(c, e, &commas); }
static int kaggle_line(struct sample_ctx *c, const struct sample_event *e) { return ml_line(c, e, &kaggle); }

/* ---- ml-100k ---------------------------------------------------------------- */

static int m100k_open(struct sample_ctx *c) { return sample_file_open(c, &c->out[0], "u.data", 0); }

static int m100k_item(struct sample_ctx *c, struct sbuf *sb, const struct movie *m)
{
	char date[SAMPLE_DATE_MAX];
	sb_u64(sb, m->id);
	sb_putc(sb, '|');
	int err = put_title(c, sb, m->title);
	sb_putc(sb, '|');
	sb_put(sb, date, sample_date_dmy(date, m->year, m->month, m->day));
	sb_puts(sb, "||http://us.imdb.com/M/title-exact?");
	sb_urlenc(sb, m->title);
	for (int k = 0; k < G_COUNT; k++)
		sb_puts(sb, m->genres & (1u << k) ? "|1" : "|0");
	sb_putc(sb, '\n');
	return err;
}

static const char *const occupation[] = {
	"administrator", "artist", "doctor", "educator", "engineer", "entertainment", "executive",
	"healthcare", "homemaker", "lawyer", "librarian", "marketing", "none", "other",
	"programmer", "retired", "salesman", "scientist", "student", "technician", "writer",
};

static void zip(struct sbuf *sb, uint64_t h)
{
	char buf[16];
	if (h % 50 == 0) /* a few Canadian postcodes, as in the real file */
		snprintf(buf, sizeof buf, "T%dH%dN", (int)(h >> 8) % 10, (int)(h >> 12) % 10);
	else
		snprintf(buf, sizeof buf, "%05d", (int)((h >> 16) % 100000));
	sb_puts(sb, buf);
}

static void m100k_user(struct sample_ctx *c, struct sbuf *sb, uint32_t u, uint64_t h)
{
	(void)c;
	sb_u64(sb, (uint64_t)u + 1);
	sb_putc(sb, '|');
	sb_u64(sb, 7 + (h >> 4) % 67);
	sb_puts(sb, (h >> 12) % 10 < 7 ? "|M|" : "|F|");
	sb_puts(sb, occupation[(h >> 16) % COUNT(occupation)]);
	sb_putc(sb, '|');
	zip(sb, h >> 24);
	sb_putc(sb, '\n');
}

static int m100k_meta(struct sample_ctx *c)
{
	int err = write_movies(c, "u.item", NULL, m100k_item);
	if (!err)
		err = write_users(c, "u.user", m100k_user);
	if (!err) {
		struct gzw w;
		uint64_t users = 0;
		for (uint32_t u = 0; u < c->o->users; u++)
			users += c->st.user_lines[u] > 0;
		err = sample_file_open(c, &w, "u.info", 0);
		if (!err) {
			gzw_printf(&w,
				   "%" PRIu64 " users\n%" PRIu64 " items\n%" PRIu64 " ratings\n",
				   (uint64_t)users, (uint64_t)c->meta_books, (uint64_t)c->st.lines);
			err = sample_file_close(&w, 0);
		}
	}
	return err;
}

const struct sample_writer sample_writer_ml100k = { m100k_open, m100k_line, m100k_meta };

/* ---- ml-1m and ml-10m: UserID::MovieID::Rating::Timestamp ---------------- */

static int dat_open(struct sample_ctx *c) { return sample_file_open(c, &c->out[0], "ratings.dat", 0); }

static int dat_movie(struct sample_ctx *c, struct sbuf *sb, const struct movie *m)
{
	sb_u64(sb, m->id);
	sb_put(sb, "::", 2);
	int err = put_title(c, sb, m->title);
	sb_put(sb, "::", 2);
	/* ml-1m still wrote "Children's"; ml-10m already "Children". */
	genre_list(sb, m->genres, strcmp(c->f->name, "ml-1m") == 0);
	sb_putc(sb, '\n');
	return err;
}

static void m1m_user(struct sample_ctx *c, struct sbuf *sb, uint32_t u, uint64_t h)
{
	static const int age[] = { 1, 18, 25, 35, 45, 50, 56 };
	char buf[16];
	(void)c;
	sb_u64(sb, (uint64_t)u + 1);
	sb_puts(sb, (h >> 4) % 10 < 7 ? "::M::" : "::F::");
	sb_u64(sb, (uint64_t)age[(h >> 8) % COUNT(age)]);
	sb_put(sb, "::", 2);
	sb_u64(sb, (h >> 12) % 21);
	sb_put(sb, "::", 2);
	snprintf(buf, sizeof buf, (h >> 20) % 30 ? "%05d" : "%05d-1234", (int)((h >> 24) % 100000));
	sb_puts(sb, buf);
	sb_putc(sb, '\n');
}

static int m1m_meta(struct sample_ctx *c)
{
	int err = write_movies(c, "movies.dat", NULL, dat_movie);
	if (!err)
		err = write_users(c, "users.dat", m1m_user);
	return err;
}

static int m10m_meta(struct sample_ctx *c) { return write_movies(c, "movies.dat", NULL, dat_movie); }

const struct sample_writer sample_writer_ml1m = { dat_open, dat_line, m1m_meta };
const struct sample_writer sample_writer_ml10m = { dat_open, dat_line, m10m_meta };

/* ---- ml-20m and later: ratings.csv, movies.csv ------------------------------ */

static int csv_open(struct sample_ctx *c)
{
	int err = sample_file_open(c, &c->out[0], "ratings.csv", 0);
	if (!err)
		err = gzw_puts(&c->out[0], "userId,movieId,rating,timestamp\n");
	return err;
}

static int csv_movie(struct sample_ctx *c, struct sbuf *sb, const struct movie *m)
{
	sb_u64(sb, m->id);
	sb_putc(sb, ',');
	sb_csv(sb, m->title, 0);
	sb_putc(sb, ',');
	/* Later releases list films nobody has tagged with a genre. */
	if (sample_mix(c->o->seed ^ 0x6e6f67656e7265ULL, m->book) % 100 == 0)
		sb_puts(sb, "(no genres listed)");
	else
		genre_list(sb, m->genres, 0);
	sb_putc(sb, '\n');
	return 0;
}

static int csv_meta(struct sample_ctx *c)
{
	return write_movies(c, "movies.csv", "movieId,title,genres\n", csv_movie);
}

const struct sample_writer sample_writer_mlcsv = { csv_open, csv_line, csv_meta };

/* ---- Kaggle ml-20m: rating.csv, movie.csv (R's write.csv) ----------------- */

static int kaggle_open(struct sample_ctx *c)
{
	int err = sample_file_open(c, &c->out[0], "rating.csv", 0);
	if (!err)
		err = gzw_puts(&c->out[0], "\"userId\",\"movieId\",\"rating\",\"timestamp\"\n");
	return err;
}

static int kaggle_movie(struct sample_ctx *c, struct sbuf *sb, const struct movie *m)
{
	(void)c;
	sb_u64(sb, m->id);
	sb_putc(sb, ',');
	sb_csv(sb, m->title, 1);
	sb_put(sb, ",\"", 2);
	genre_list(sb, m->genres, 0);
	sb_put(sb, "\"\n", 2);
	return 0;
}

static int kaggle_meta(struct sample_ctx *c)
{
	return write_movies(c, "movie.csv", "\"movieId\",\"title\",\"genres\"\n", kaggle_movie);
}

const struct sample_writer sample_writer_mlkaggle = { kaggle_open, kaggle_line, kaggle_meta };
