# make kaggle DATA=goodreads: from a Goodreads JSON dump (generated in the
# real layout), OUT/kaggle/goodbooks-10k holds the Kaggle goodbooks-10k files
# and OUT/kaggle/goodreads-csv the UCSD CSV with its id maps.  Checked
# against the raw dump itself (python3): the headers of the real files, the
# ratings and shelved pairs, titles by Goodreads id, every raw interaction
# in the CSV; then each folder is the RAW of its own recipe and runs through
# the pipeline; a second make kaggle does nothing; other recipes are refused.
. "$TESTS/e2e/lib.sh"
root=$GL_ROOT
raw=$SCRATCH/raw out=$SCRATCH/out
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }

mk kaggle DATA=goodreads SYNTH=1 RAW="$raw" OUT="$out" >log 2>&1 || { cat log; exit 1; }
k=$out/kaggle
python3 - "$raw" "$k" <<'PY'
import csv, gzip, json, os, sys
from collections import defaultdict
raw, k = sys.argv[1], sys.argv[2]
def rows(p):
    with open(p, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        return next(r), list(r)
lines = [json.loads(l) for l in gzip.open(os.path.join(raw, "goodreads_interactions_dedup.json.gz"), "rt")]
books = {b["book_id"]: b for b in map(json.loads, gzip.open(os.path.join(raw, "goodreads_books.json.gz"), "rt"))}

# goodbooks-10k: the real files' headers
gb = os.path.join(k, "goodbooks-10k")
h, ratings = rows(os.path.join(gb, "ratings.csv"))
assert h == ["user_id", "book_id", "rating"], h
h, to_read = rows(os.path.join(gb, "to_read.csv"))
assert h == ["user_id", "book_id"], h
h, gbooks = rows(os.path.join(gb, "books.csv"))
# (the GitHub master layout; Kaggle's first upload named the first two
# columns id,book_id)
assert h == ("book_id,goodreads_book_id,best_book_id,work_id,books_count,isbn,isbn13,authors,original_publication_year,"
             "original_title,title,language_code,average_rating,ratings_count,work_ratings_count,"
             "work_text_reviews_count,ratings_1,ratings_2,ratings_3,ratings_4,ratings_5,image_url,"
             "small_image_url").split(","), h
# Every rated book (fewer than 10,000 here), numbered 1..N; its title is the
# dump's title for its Goodreads id.
ids = [int(r[0]) for r in gbooks]
assert ids == list(range(1, len(ids) + 1)), "ids not 1..N"
gid = {r[0]: r[1] for r in gbooks}
for r in gbooks:
    if r[1] in books:
        assert r[10] == books[r[1]]["title"], (r[1], r[10])
# Ratings: the users with at least 2 rated books, each pair once, the
# rating as given; mapped back to Goodreads ids through books.csv.
by_user = defaultdict(dict)
for x in lines:
    if x["rating"] > 0:
        by_user[x["user_id"]][x["book_id"]] = x["rating"]
want = sorted(sorted((b, r) for b, r in d.items()) for d in by_user.values() if len(d) >= 2)
got = defaultdict(list)
for u, b, r in ratings:
    got[u].append((gid[b], int(r)))
assert sorted(sorted(v) for v in got.values()) == want, "goodbooks ratings differ from the dump"
assert len(set((u, b) for u, b, _ in ratings)) == len(ratings)
assert len(to_read) > 0

# UCSD CSV: every raw interaction, ids through the maps
uc = os.path.join(k, "goodreads-csv")
h, inter = rows(os.path.join(uc, "goodreads_interactions.csv"))
assert h == ["user_id", "book_id", "is_read", "rating", "is_reviewed"], h
h, umap = rows(os.path.join(uc, "user_id_map.csv"))
assert h == ["user_id_csv", "user_id"], h
h, bmap = rows(os.path.join(uc, "book_id_map.csv"))
assert h == ["book_id_csv", "book_id"], h
um, bm = dict(umap), dict(bmap)
got = sorted((um[u], bm[b], int(r), int(i)) for u, b, i, r, _ in inter)
want = sorted((x["user_id"], x["book_id"], x["rating"], int(x["is_read"])) for x in lines)
assert got == want, "UCSD CSV differs from the dump"
assert os.path.samefile(os.path.join(uc, "goodreads_books.json.gz"), os.path.join(raw, "goodreads_books.json.gz"))
print(f"goodbooks: {len(ratings)} ratings, {len(to_read)} to read, {len(gbooks)} books; csv: {len(inter)} rows")
PY

# Each folder feeds its own recipe.
mk pipeline-run DATA=goodbooks-10k RAW="$k/goodbooks-10k" OUT="$SCRATCH/gb" >log 2>&1 || { cat log; exit 1; }
mk pipeline-run DATA=goodreads-csv RAW="$k/goodreads-csv" OUT="$SCRATCH/csv" >log 2>&1 || { cat log; exit 1; }
test -s "$SCRATCH/gb/report.html"
test -s "$SCRATCH/csv/report.html"
# The CSV round trip keeps every interaction and the titles.
test "$(sed -n 's/^input,\([0-9]*\),.*/\1/p' "$SCRATCH/csv/filter.stats.csv")" = \
	"$(sed -n 's/^lines=//p' "$raw/planted.txt")"

# Up to date: a second make kaggle rewrites nothing.
before=$(stat -c %y "$k/goodbooks-10k/ratings.csv" "$k/goodreads-csv/goodreads_interactions.csv")
mk kaggle DATA=goodreads SYNTH=1 RAW="$raw" OUT="$out" >log 2>&1
test "$before" = "$(stat -c %y "$k/goodbooks-10k/ratings.csv" "$k/goodreads-csv/goodreads_interactions.csv")"
# A setting reaches the exporter: the 50 most rated books only.
mk kaggle DATA=goodreads SYNTH=1 RAW="$raw" OUT="$out" KAGGLE_FLAGS='--books 50' >log 2>&1
test "$(($(wc -l <"$k/goodbooks-10k/books.csv") - 1))" = 50

# Only the Goodreads JSON recipes have Kaggle layouts.
expect_status 2 mk kaggle DATA=ml-1m RAW="$SCRATCH/x" OUT="$SCRATCH/y" >log 2>&1
grep -q "kaggle: the Kaggle layouts come from the Goodreads JSON dump" log
