#include "sample_text.h"

#include "sample_gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- the line buffer ------------------------------------------------------ */

int sb_grow(struct sbuf *sb, size_t extra)
{
	if (sb->oom)
		return -1;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap - sb->len < extra)
		cap *= 2;
	char *p = realloc(sb->p, cap);
	if (!p) {
		sb->oom = 1;
		return -1;
	}
	sb->p = p;
	sb->cap = cap;
	return 0;
}

void sb_free(struct sbuf *sb)
{
	free(sb->p);
	memset(sb, 0, sizeof *sb);
}

void sb_u64(struct sbuf *sb, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (sb->cap - sb->len < (size_t)n && sb_grow(sb, (size_t)n))
		return;
	while (n)
		sb->p[sb->len++] = tmp[--n];
}

void sb_i64(struct sbuf *sb, int64_t v)
{
	if (v < 0) {
		sb_putc(sb, '-');
		sb_u64(sb, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_u64(sb, (uint64_t)v);
	}
}

void sb_fixed(struct sbuf *sb, double v, int decimals)
{
	char tmp[64];
	int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	if (n > 0)
		sb_put(sb, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void sb_pyfloat2(struct sbuf *sb, double v)
{
	char tmp[64];
	int n = snprintf(tmp, sizeof tmp, "%.2f", v);
	if (n <= 0 || (size_t)n >= sizeof tmp)
		return;
	while (n > 0 && tmp[n - 1] == '0' && tmp[n - 2] != '.')
		n--;
	sb_put(sb, tmp, (size_t)n);
}

void sb_hex(struct sbuf *sb, uint64_t a, uint64_t b, int nbytes)
{
	static const char digit[] = "0123456789abcdef";
	if (nbytes > 16)
		nbytes = 16;
	if (sb->cap - sb->len < (size_t)(2 * nbytes) && sb_grow(sb, (size_t)(2 * nbytes)))
		return;
	for (int i = 0; i < nbytes; i++) {
		uint64_t word = i < 8 ? a : b;
		unsigned byte = (unsigned)(word >> (56 - 8 * (i % 8))) & 0xff;
		sb->p[sb->len++] = digit[byte >> 4];
		sb->p[sb->len++] = digit[byte & 15];
	}
}

/* Decode one UTF-8 sequence at *s; invalid bytes decode as U+FFFD. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
	if (n < 0) {
		*s = p + 1;
		return 0xfffd;
	}
	c &= n == 0 ? 0x7f : n == 1 ? 0x1f : n == 2 ? 0x0f : 0x07;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s = p + i;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*s = p + n + 1;
	return c;
}

static void put_u4(struct sbuf *sb, uint32_t c)
{
	static const char digit[] = "0123456789abcdef";
	char t[6] = { '\\', 'u', digit[(c >> 12) & 15], digit[(c >> 8) & 15],
		      digit[(c >> 4) & 15], digit[c & 15] };
	sb_put(sb, t, 6);
}

void sb_json_str(struct sbuf *sb, const char *str, int ascii)
{
	const unsigned char *s = (const unsigned char *)str;
	sb_putc(sb, '"');
	while (*s) {
		unsigned char c = *s;
		/* Python escapes DEL too when ensure_ascii is on. */
		unsigned char top = ascii ? 0x7f : 0x80;
		if (c >= 0x20 && c != '"' && c != '\\' && c < top) {
			const unsigned char *run = s;
			while (*s >= 0x20 && *s != '"' && *s != '\\' && *s < top)
				s++;
			sb_put(sb, (const char *)run, (size_t)(s - run));
			continue;
		}
		if (c >= 0x80) {
			const unsigned char *start = s;
			uint32_t cp = utf8_next(&s);
			if (!ascii) {
				sb_put(sb, (const char *)start, (size_t)(s - start));
			} else if (cp > 0xffff) {
				cp -= 0x10000;
				put_u4(sb, 0xd800 + (cp >> 10));
				put_u4(sb, 0xdc00 + (cp & 0x3ff));
			} else {
				put_u4(sb, cp);
			}
			continue;
		}
		s++;
		switch (c) {
		case '"': sb_put(sb, "\\\"", 2); break;
		case '\\': sb_put(sb, "\\\\", 2); break;
		case '\n': sb_put(sb, "\\n", 2); break;
		case '\r': sb_put(sb, "\\r", 2); break;
		case '\t': sb_put(sb, "\\t", 2); break;
		case '\b': sb_put(sb, "\\b", 2); break;
		case '\f': sb_put(sb, "\\f", 2); break;
		default: put_u4(sb, c); break;
		}
	}
	sb_putc(sb, '"');
}

void sb_csv(struct sbuf *sb, const char *s, int always)
{
	if (!always && !strpbrk(s, ",\"\r\n")) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

int sb_latin1(struct sbuf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t mark = sb->len;
	while (*s) {
		uint32_t c = utf8_next(&s);
		if (c > 0xff) {
			sb->len = mark;
			return -1;
		}
		sb_putc(sb, (char)c);
	}
	return 0;
}

void sb_urlenc(struct sbuf *sb, const char *str)
{
	static const char digit[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		uint32_t c = utf8_next(&s);
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || (c && strchr("()-.,'_!*:", (int)c));
		if (plain) {
			sb_putc(sb, (char)c);
		} else if (c <= 0xff) {
			char t[3] = { '%', digit[c >> 4], digit[c & 15] };
			sb_put(sb, t, 3);
		}
	}
}

/* ---- invented text -------------------------------------------------------- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const adjective[] = {
	"Silent", "Broken", "Golden", "Hidden", "Last", "Secret", "Crimson", "Wandering",
	"Little", "Dark", "Lost", "Endless", "Burning", "Quiet", "Wild", "Fallen",
	"Bright", "Hollow", "Winter", "Midnight", "Paper", "Glass", "Salt", "Iron",
};

/* One vocabulary per latent genre, in the Goodreads genre order. */
static const char *const genre_noun[8][10] = {
	{ "Bear", "Bunny", "Moon", "Pirate", "Puppy", "Train", "Balloon", "Owl", "Garden", "Kite" },
	{ "Heroes", "Mask", "Signal", "Ink", "Robot", "Ronin", "Panel", "Vigilante", "Saga", "Mutant" },
	{ "Dragon", "Crown", "Witch", "Throne", "Blade", "Sorcerer", "Vampire", "Wolf", "Realm", "Curse" },
	{ "Empire", "War", "Revolution", "Letters", "Life", "Century", "Queen", "Republic", "Journey", "Memoir" },
	{ "Murder", "Detective", "Alibi", "Witness", "Girl", "Silence", "Stranger", "Lie", "Body", "Verdict" },
	{ "Poems", "Verses", "Songs", "Elegies", "Sonnets", "Odes", "Hymns", "Light", "Rain", "Psalms" },
	{ "Heart", "Kiss", "Bride", "Duke", "Summer", "Promise", "Wedding", "Lover", "Vow", "Billionaire" },
	{ "Academy", "Girl", "Boy", "Stars", "Rebel", "Selection", "Maze", "Games", "Summer", "Secret" },
};

static const char *const place_ascii[] = {
	"London", "Paris", "Boston", "Avalon", "Prague", "Dublin", "Kyoto", "Lagos", "Lima", "Oslo",
};
static const char *const place_latin1[] = {
	"M\xc3\xa1laga", "Z\xc3\xbcrich", "Reykjav\xc3\xadk", "S\xc3\xa3o Paulo", "Krak\xc3\xb3w",
	"C\xc3\xb3rdoba", "G\xc3\xb6teborg", "Montr\xc3\xa9\x61l",
};
static const char *const place_utf8[] = {
	"\xc5\x81\xc3\xb3\x64\xc5\xba",         /* Łódź */
	"\xc5\x8csaka",                          /* Ōsaka */
	"\xe6\x9d\xb1\xe4\xba\xac",              /* 東京 */
	"\xd0\x94\xd1\x83\xd0\xb1\xd0\xbd\xd0\xb0", /* Дубна */
};

static const char *const first_ascii[] = {
	"Emma", "Jonah", "Harriet", "Tom", "Ngozi", "Priya", "Marcus", "Ruth", "Ivan", "Grace",
	"Samuel", "Leila", "Oliver", "Mei", "Daniel", "Ada", "Ronald", "Helen", "Kofi", "Nora",
};
static const char *const first_latin1[] = {
	"Zo\xc3\xab", "Chlo\xc3\xa9", "Bj\xc3\xb6rn", "S\xc3\xb8ren", "Ana\xc3\xafs", "Jos\xc3\xa9",
	"In\xc3\xa9s", "Ren\xc3\xa9\x65",
};
static const char *const first_utf8[] = {
	"\xc5\x81ucja",              /* Łucja */
	"Ji\xc5\x99\xc3\xad",        /* Jiří */
	"\xc5\x9e\x65yma",           /* Şeyma */
};
static const char *const last_ascii[] = {
	"Smith", "Okafor", "Nakamura", "Fields", "O'Brien", "Patel", "Novak", "Lindqvist",
	"Abernathy", "Chen", "Whitlock", "Moreau", "de la Cruz", "Adeyemi", "Hughes", "Kowalski",
	"Rosenthal", "Baker", "Ishikawa", "Thornton",
};
static const char *const last_latin1[] = {
	"Garc\xc3\xad\x61", "M\xc3\xbcller", "Bront\xc3\xab", "\xc3\x98\x64\x65gaard",
	"Gonz\xc3\xa1lez", "Fran\xc3\xa7ois", "Grandpr\xc3\xa9",
};
static const char *const last_utf8[] = {
	"Dvo\xc5\x99\xc3\xa1k",                  /* Dvořák */
	"\xc5\x81ukasiewicz",                    /* Łukasiewicz */
	"Y\xc4\xb1lmaz",                         /* Yılmaz */
};

/* A pick from the ASCII list most of the time, from the Latin-1 or UTF-8
 * extras now and then, so non-ASCII text is common but not everywhere. */
static const char *pick3(uint64_t h, const char *const *a, size_t na, const char *const *l,
			 size_t nl, const char *const *u, size_t nu, enum sample_charset cs)
{
	unsigned roll = (unsigned)(h % 100);
	h /= 100;
	if (roll < 8 && nl)
		return l[h % nl];
	if (roll < 11 && cs == SAMPLE_UTF8 && nu)
		return u[h % nu];
	return a[h % na];
}

static const char *place(uint64_t h, enum sample_charset cs)
{
	return pick3(h, place_ascii, COUNT(place_ascii), place_latin1, COUNT(place_latin1),
		     place_utf8, COUNT(place_utf8), cs);
}

static const char *first_name(uint64_t h, enum sample_charset cs)
{
	return pick3(h, first_ascii, COUNT(first_ascii), first_latin1, COUNT(first_latin1),
		     first_utf8, COUNT(first_utf8), cs);
}

/* Titles every sample contains, at fixed popularity ranks, so tests and
 * reports always meet them: separators, quotes, HTML, non-ASCII, emoji. */
static const char *special_title(uint32_t rank, enum sample_charset cs)
{
	switch (rank) {
	case 1: return "Bread, Wine, and Salt";
	case 2: return "<script>alert(1)</script>";
	case 3: return "The \"Perfect\" Stranger";
	case 4: return "Caf\xc3\xa9 Society";
	case 5: return "\xc3\x9c\x62\x65r die Br\xc3\xbc\x63ke";
	case 6: return cs == SAMPLE_UTF8 ? "Reading \xf0\x9f\x93\x9a Together"
					 : "Sm\xc3\xb6rg\xc3\xa5sbord";
	case 7: return cs == SAMPLE_UTF8 ? "\xe6\x9d\xb1\xe4\xba\xac Stories: Nights in "
					   "\xc5\x81\xc3\xb3\x64\xc5\xba"
					 : "Se\xc3\xb1or Ni\xc3\xb1o";
	case 8: return "Ampersands & <Angles>";
	}
	return NULL;
}

static const char *article(const char *word)
{
	return strchr("AEIOU", word[0]) ? "An" : "A";
}

void sample_title(char out[SAMPLE_TITLE_MAX], uint64_t seed, uint32_t w, uint32_t rank,
		  int genre, enum sample_charset cs)
{
	const char *special = special_title(rank, cs);
	if (special) {
		snprintf(out, SAMPLE_TITLE_MAX, "%s", special);
		return;
	}
	uint64_t h = sample_mix(seed ^ 0x7469746c65ULL, w);
	const char *const *noun = genre_noun[(unsigned)genre % 8];
	const char *adj = adjective[(h >> 8) % COUNT(adjective)];
	const char *n1 = noun[(h >> 16) % 10], *n2 = noun[(h >> 24) % 10];
	const char *n3 = noun[(h >> 32) % 10];
	if (n2 == n1)
		n2 = noun[((h >> 24) + 1) % 10];
	uint64_t h2 = sample_mix(h, 1);
	switch (h % 16) {
	case 0: case 1: case 2:
		snprintf(out, SAMPLE_TITLE_MAX, "The %s %s", adj, n1);
		break;
	case 3: case 4:
		snprintf(out, SAMPLE_TITLE_MAX, "%s of %s", n1, place(h2, cs));
		break;
	case 5: case 6:
		snprintf(out, SAMPLE_TITLE_MAX, "%s's %s", first_name(h2, cs), n1);
		break;
	case 7: case 8:
		snprintf(out, SAMPLE_TITLE_MAX, "The %s and the %s", n1, n2);
		break;
	case 9:
		snprintf(out, SAMPLE_TITLE_MAX, "%s %s in %s", article(n1), n1, place(h2, cs));
		break;
	case 10:
		snprintf(out, SAMPLE_TITLE_MAX, "%s, %s, and %s", n1, n2, n3 == n2 ? adj : n3);
		break;
	case 11:
		snprintf(out, SAMPLE_TITLE_MAX, "%s: %s %s Story", adj, article(n1), n1);
		break;
	case 12:
		snprintf(out, SAMPLE_TITLE_MAX, "The \"%s\" %s", adj, n1);
		break;
	case 13:
		snprintf(out, SAMPLE_TITLE_MAX, "Letters from %s", place(h2, cs));
		break;
	default:
		snprintf(out, SAMPLE_TITLE_MAX, "%s %s", adj, n1);
		break;
	}
	/* Now and then an emoji, where the file's encoding allows it. */
	if (cs == SAMPLE_UTF8 && (h2 >> 40) % 64 == 0) {
		size_t n = strlen(out);
		snprintf(out + n, SAMPLE_TITLE_MAX - n, " \xf0\x9f\x90\x89"); /* dragon */
	}
}

void sample_title_ml(char out[SAMPLE_TITLE_MAX], const char *title)
{
	static const char *const article[] = { "The ", "A ", "An " };
	for (size_t i = 0; i < COUNT(article); i++) {
		size_t n = strlen(article[i]);
		if (strncmp(title, article[i], n) == 0 && title[n]) {
			snprintf(out, SAMPLE_TITLE_MAX, "%s, %.*s", title + n, (int)(n - 1), article[i]);
			return;
		}
	}
	snprintf(out, SAMPLE_TITLE_MAX, "%s", title);
}

void sample_series(char out[SAMPLE_TITLE_MAX], uint64_t seed, uint32_t w, int *number)
{
	uint64_t h = sample_mix(seed ^ 0x736572696573ULL, w);
	out[0] = 0;
	*number = 0;
	if (h % 5 != 0)
		return;
	static const char *const form[] = { "The %s Chronicles", "%s Quartet", "%s Mysteries",
					    "Tales of the %s", "%s Saga" };
	const char *word = adjective[(h >> 8) % COUNT(adjective)];
	snprintf(out, SAMPLE_TITLE_MAX, form[(h >> 16) % COUNT(form)], word);
	*number = 1 + (int)((h >> 24) % 9);
}

void sample_name(char out[SAMPLE_NAME_MAX], uint64_t seed, uint32_t who, enum sample_charset cs)
{
	uint64_t h = sample_mix(seed ^ 0x6e616d65ULL, who);
	const char *first = first_name(h, cs);
	const char *last = pick3(h >> 20, last_ascii, COUNT(last_ascii), last_latin1,
				 COUNT(last_latin1), last_utf8, COUNT(last_utf8), cs);
	unsigned style = (unsigned)((h >> 40) % 10);
	/* Initials only from an ASCII first letter: a byte of a multi-byte
	 * letter alone would be broken UTF-8. */
	if (style == 0 && (unsigned char)first[0] < 0x80)
		snprintf(out, SAMPLE_NAME_MAX, "%c.%c. %s", first[0], 'A' + (int)((h >> 48) % 26), last);
	else if (style < 3)
		snprintf(out, SAMPLE_NAME_MAX, "%s %c. %s", first, 'A' + (int)((h >> 48) % 26), last);
	else
		snprintf(out, SAMPLE_NAME_MAX, "%s %s", first, last);
}

static const char *const review_text[] = {
	"Loved it!",
	"Couldn't put it down. 5 stars.",
	"Three stars.\nThe middle dragged, but the ending \"landed\".",
	"Not for me \xe2\x80\x94 DNF at 40%.",
	"A re-read for book club.\n\nStill great.",
	"Path to my copy: C:\\Books\\to-read (don't ask)",
	"\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a my favourite of the year",
	"Spoilers below!\t** spoiler alert **",
	"C'est magnifique, vraiment. Tr\xc3\xa8s recommand\xc3\xa9.",
	"<b>Bold</b> claims & a weak plot",
};

const char *sample_review(uint64_t h) { return review_text[h % COUNT(review_text)]; }

void sample_description(struct sbuf *sb, uint64_t seed, uint32_t w, const char *title)
{
	uint64_t h = sample_mix(seed ^ 0x64657363ULL, w);
	static const char *const tail[] = {
		" A story about what we keep and what we give away.",
		"\n\nNow a major motion picture.",
		" \"Unforgettable\" \xe2\x80\x94 The Review.",
		" Includes a reader's guide & an interview with the author.",
		"",
	};
	if (h % 7 == 0)
		return;
	sb_puts(sb, title);
	sb_puts(sb, " is the ");
	sb_puts(sb, adjective[(h >> 8) % COUNT(adjective)]);
	sb_puts(sb, (h >> 16) % 2 ? " debut that readers keep returning to." : " new novel from an old hand.");
	sb_puts(sb, tail[(h >> 24) % COUNT(tail)]);
}
