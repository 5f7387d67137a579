# export_goodbooks: the goodbooks-10k layout from a generated UCSD Goodreads
# dump (goodlens-sample -> goodlens-extract -> goodlens-export goodbooks):
# contiguous 1-based ids, exactly N books chosen by popularity (recomputed
# here from the raw ratings), the per-user minimum, the 23 columns filled
# from books, works and authors, to_read pairs, quoting that csv readers
# take back; then the round trip: extracting the export and filtering it
# again gives the same ratings.
fx=$TESTS/fixtures/join
goodlens-sample --format goodreads --out raw --users 600 --items 400 --interactions 12000 \
	--editions 3 --seed 4 -q
goodlens-extract -q --out ex raw/*.json.gz
mkdir gb
goodlens-export goodbooks --in ex --out gb --books 150 --min-user-ratings 3 -q
python3 "$fx/glr.py" dump ex/ratings.raw.glr >raw.csv

python3 - <<'PY'
import csv
def rows(p):
    with open(p, newline="") as f:
        return list(csv.reader(f))
N, U = 150, 3
raw = list(csv.DictReader(open("raw.csv")))
key = {r[0]: r[1] for r in rows("ex/items.raw.csv")[1:]}            # item -> book id
# popularity: rated (non-zero) distinct (user, item) pairs per item
pairs = {(r["user"], r["item"]) for r in raw if float(r["rating"]) > 0}
count = {}
for u, i in pairs:
    count[i] = count.get(i, 0) + 1
top = sorted(count, key=lambda i: (-count[i], int(i)))[:N]
books = rows("gb/books.csv")
assert books[0] == ["book_id", "goodreads_book_id", "best_book_id", "work_id", "books_count",
                    "isbn", "isbn13", "authors", "original_publication_year", "original_title",
                    "title", "language_code", "average_rating", "ratings_count",
                    "work_ratings_count", "work_text_reviews_count", "ratings_1", "ratings_2",
                    "ratings_3", "ratings_4", "ratings_5", "image_url", "small_image_url"]
books = books[1:]
assert len(books) == N and all(len(b) == 23 for b in books)
assert [b[0] for b in books] == [str(j + 1) for j in range(N)], "book ids 1..N"
assert [b[1] for b in books] == [key[i] for i in top], "books by popularity"
# metadata: from the extracted tables
meta = {r[0]: r for r in rows("ex/books.csv")[1:]}
mh = rows("ex/books.csv")[0]
works = {r[0]: r for r in rows("ex/works.csv")[1:]}
names = {r[0]: r[1] for r in rows("ex/authors.csv")[1:]}
editions = {}
for r in meta.values():
    editions[r[mh.index("work_id")]] = editions.get(r[mh.index("work_id")], 0) + 1
filled = 0
for b in books:
    m = meta.get(b[1])
    if not m:
        assert b[2:] == [""] * 21, b
        continue
    filled += 1
    assert b[10] == m[mh.index("title")] and b[3] == m[mh.index("work_id")], b
    assert b[4] == str(editions[b[3]]), b
    want = ", ".join(names[a] for a in m[mh.index("author_ids")].split("|") if a in names)
    assert b[7] == want, (b[7], want)
    w = works[b[3]]
    assert b[2] == w[1] and b[9] == w[2] and b[14] == w[4] and b[16:21] == w[6:11], b
    assert b[22] != "" and ("s/" in b[22] or "50x75" in b[22]), b[22]
assert filled > N * 0.8, filled
# ratings: contiguous users from 1, each with >= U ratings, chosen books only
r = rows("gb/ratings.csv")
assert r[0] == ["user_id", "book_id", "rating"]
r = [(int(a), int(b), c) for a, b, c in r[1:]]
assert r == sorted(r) and len({(a, b) for a, b, _ in r}) == len(r), "sorted, no duplicates"
users = sorted({a for a, _, _ in r})
assert users == list(range(1, len(users) + 1)), "contiguous user ids"
per = {}
for a, _, _ in r:
    per[a] = per.get(a, 0) + 1
assert min(per.values()) >= U
assert all(1 <= b <= N and c in {"1", "2", "3", "4", "5"} for _, b, c in r)
# every user with >= U ratings among the chosen books is there
rawuser = {}
chosen = set(top)
for u, i in pairs:
    if i in chosen:
        rawuser[u] = rawuser.get(u, 0) + 1
assert len(users) == sum(1 for n in rawuser.values() if n >= U), "per-user minimum"
t = rows("gb/to_read.csv")
assert t[0] == ["user_id", "book_id"] and len(t) > 1
rated = {(a, b) for a, b, _ in r}
for a, b in t[1:]:
    assert 1 <= int(a) <= len(users) and 1 <= int(b) <= N and (int(a), int(b)) not in rated
print("goodbooks invariants hold:", len(r), "ratings,", len(users), "users,", len(t) - 1, "to_read")
PY

# Round trip: extract the export as goodbooks data, filter it, and get the
# same (user_id, book_id, rating) triples back.
goodlens-extract -q --out ex2 gb/ratings.csv
mkdir f2
goodlens-filter -q -u ex2/users.raw.csv -i ex2/items.raw.csv -o f2 --split none ex2/ratings.raw.glr
python3 "$fx/glr.py" dump f2/ratings.glr >f2.csv
python3 - <<'PY'
import csv
uk = {r["user"]: r for r in csv.DictReader(open("f2/users.csv"))}
ik = {r["item"]: r for r in csv.DictReader(open("f2/items.csv"))}
ucol = [c for c in next(iter(uk.values())) if c not in ("user", "n_ratings", "mean_rating")][0]
icol = [c for c in next(iter(ik.values())) if c not in ("item", "n_ratings", "mean_rating")][0]
back = sorted((int(uk[r["user"]][ucol]), int(ik[r["item"]][icol]), r["rating"])
              for r in csv.DictReader(open("f2.csv")))
orig = sorted((int(r["user_id"]), int(r["book_id"]), r["rating"])
              for r in csv.DictReader(open("gb/ratings.csv")))
assert back == orig, (len(back), len(orig))
print("round trip gives the same", len(orig), "ratings")
PY
