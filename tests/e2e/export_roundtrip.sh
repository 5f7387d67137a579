# export_roundtrip: goodlens-export ucsd-csv and ratings-csv write what
# goodlens-extract reads back: extracting an export and filtering it again
# gives the same ratings, read and reviewed flags included.  ucsd-csv's
# is_read and is_reviewed are the sample's is_read and non-empty
# review_text_incomplete, and a goodreads-csv dump's is_reviewed survives
# extract, filter and export.  Also the ucsd-csv two-hop join (items ->
# book_id_map.csv -> books.csv) gives the titles the JSON path gives, and
# the fastai, keys and LIBMF layouts hold exactly the ratings of the file.
fx=$TESTS/fixtures/join
goodlens-sample --format goodreads --out raw --users 500 --items 300 --interactions 9000 --seed 8 -q
goodlens-extract -q --out ex raw/*.json.gz
mkdir u f1 f2
goodlens-export ucsd-csv --in ex --out u
test "$(head -n 1 u/goodreads_interactions.csv)" = 'user_id,book_id,is_read,rating,is_reviewed'
# The export's rows, keyed back through its maps, are the sample's lines.
python3 - <<'PY'
import csv, glob, gzip, json
from collections import Counter
want = Counter()
for p in glob.glob("raw/goodreads_interactions*.json.gz"):
    for line in gzip.open(p, "rt", encoding="utf-8"):
        o = json.loads(line)
        want[(o["user_id"], o["book_id"], "%g" % o["rating"], int(bool(o["is_read"])),
              int(bool(o["review_text_incomplete"])))] += 1
um = {r[0]: r[1] for r in list(csv.reader(open("u/user_id_map.csv")))[1:]}
bm = {r[0]: r[1] for r in list(csv.reader(open("u/book_id_map.csv")))[1:]}
got = Counter((um[r["user_id"]], bm[r["book_id"]], r["rating"], int(r["is_read"]),
               int(r["is_reviewed"])) for r in csv.DictReader(open("u/goodreads_interactions.csv")))
assert got == want, "ucsd-csv export differs from the sample"
n = sum(c for k, c in got.items() if k[4])
assert 0 < n < sum(got.values()) * 0.5, ("reviewed rows", n)
PY
goodlens-extract -q --out ex2 u/goodreads_interactions.csv u/user_id_map.csv u/book_id_map.csv
# The raw files agree but for times, which the CSV layout does not carry.
python3 "$fx/glr.py" dump ex/ratings.raw.glr | cut -d, -f1-3,5,7 >raw1.csv
python3 "$fx/glr.py" dump ex2/ratings.raw.glr | cut -d, -f1-3,5,7 >raw2.csv
cmp raw1.csv raw2.csv
goodlens-filter -q --min-user-ratings 3 --split none -o f1 ex/ratings.raw.glr
goodlens-filter -q --min-user-ratings 3 --split none -o f2 ex2/ratings.raw.glr
python3 "$fx/glr.py" dump f1/ratings.glr | cut -d, -f1-3,5,7 >f1.csv
python3 "$fx/glr.py" dump f2/ratings.glr | cut -d, -f1-3,5,7 >f2.csv
cmp f1.csv f2.csv
[ "$(wc -l <f1.csv)" -gt 1000 ]
grep -q ',1$' f1.csv

# goodreads-csv -> extract -> filter -> export ucsd-csv: the filtered file
# (as a raw file, with the filter's tables as the dictionaries) exports
# every kept row with the dump's is_read and is_reviewed.
goodlens-sample --format goodreads-csv --out rc --users 400 --items 300 --interactions 8000 --seed 9 -q
goodlens-extract -q --out exc rc/goodreads_interactions.csv
goodlens-filter -q --keep-zero --min-user-ratings 2 --split none -u exc/users.raw.csv \
	-i exc/items.raw.csv -o fc exc/ratings.raw.glr
mkdir fcin uc
cp fc/ratings.glr fcin/ratings.raw.glr
cp fc/users.csv fcin/users.raw.csv
cp fc/items.csv fcin/items.raw.csv
goodlens-export ucsd-csv --in fcin --out uc
python3 - <<'PY'
import csv
src = {}
for r in csv.DictReader(open("rc/goodreads_interactions.csv")):
    src.setdefault((r["user_id"], r["book_id"]), set()).add((r["is_read"], r["rating"], r["is_reviewed"]))
um = {r[0]: r[1] for r in list(csv.reader(open("uc/user_id_map.csv")))[1:]}
bm = {r[0]: r[1] for r in list(csv.reader(open("uc/book_id_map.csv")))[1:]}
rows = list(csv.DictReader(open("uc/goodreads_interactions.csv")))
for r in rows:
    assert (r["is_read"], r["rating"], r["is_reviewed"]) in src[(um[r["user_id"]], bm[r["book_id"]])], r
n = sum(r["is_reviewed"] == "1" for r in rows)
assert len(rows) > 4000 and 0 < n < len(rows) * 0.5, (len(rows), n)
PY

# Titles: one hop from the JSON path, two hops from the CSV path.
goodlens-join -q --on book_id --kind left --build right ex/items.raw.csv ex/books.csv -o t1.csv
goodlens-join -q --on book_id_csv --kind left --build right ex2/items.raw.csv u/book_id_map.csv -o hop.csv
goodlens-join -q --on book_id --kind left --build right hop.csv ex/books.csv -o t2.csv
python3 - <<'PY'
import csv
a = {r["item"]: r["title"] for r in csv.DictReader(open("t1.csv", newline=""))}
b = {r["item"]: r["title"] for r in csv.DictReader(open("t2.csv", newline=""))}
assert a == b and sum(1 for t in a.values() if t) > len(a) * 0.9, (len(a), len(b))
PY

# ratings-csv: MovieLens layout back through extract, keyed by the ids.
goodlens-filter -q --min-user-ratings 3 --items t1.csv -o f3 ex/ratings.raw.glr
goodlens-export ratings-csv --format movielens -o f3/ml.csv f3/ratings.glr
goodlens-extract -q --out ex3 f3/ml.csv --source ml-csv-ratings
mkdir f4
goodlens-filter -q --keep-zero --split none -u ex3/users.raw.csv -i ex3/items.raw.csv -o f4 ex3/ratings.raw.glr
python3 "$fx/glr.py" dump f3/ratings.glr >f3.csv
python3 "$fx/glr.py" dump f4/ratings.glr >f4.csv
goodlens-export ratings-csv --items f3/items.csv -o fastai.csv f3/ratings.glr
goodlens-export ratings-csv --format libmf --subset valid -o valid.txt f3/ratings.glr
goodlens-export ratings-csv --format keys --items f3/items.csv -o keys.csv f3/ratings.glr
goodlens-export ratings-csv --format keys --items f3/items.csv --threads 3 -o keys3.csv f3/ratings.glr
cmp keys.csv keys3.csv
goodlens-export ratings-csv --format keys --items f3/items.csv --subset valid -o keysv.csv f3/ratings.glr
# a side without its table keeps its dense ids, in a column named for it
mkdir bare
cp f3/ratings.glr bare/
goodlens-export ratings-csv --format keys --items f3/items.csv -o bare.csv bare/ratings.glr
python3 - <<'PY'
import csv
# the ids are the tables' integer keys: movieId the book_id, userId the
# raw_user of a users.csv filtered without a users table
bk = {r["item"]: int(r["book_id"]) for r in csv.DictReader(open("f3/items.csv"))}
ru = {r["user"]: int(r["raw_user"]) for r in csv.DictReader(open("f3/users.csv"))}
dense = [(int(r["user"]), int(r["item"]), r["rating"], r["valid"])
         for r in csv.DictReader(open("f3.csv"))]
orig = [(ru[r["user"]], bk[r["item"]], r["rating"], r["time"], r["valid"])
        for r in csv.DictReader(open("f3.csv"))]
uk = {r["user"]: int(r["user_id"]) for r in csv.DictReader(open("f4/users.csv"))}
ik = {r["item"]: int(r["movie_id"]) for r in csv.DictReader(open("f4/items.csv"))}
back = sorted((uk[r["user"]], ik[r["item"]], r["rating"], r["time"])
              for r in csv.DictReader(open("f4.csv")))
assert back == sorted(o[:4] for o in orig), "movielens round trip"
titles = {r["item"]: r["title"] for r in csv.DictReader(open("f3/items.csv", newline=""))}
fa = list(csv.reader(open("fastai.csv", newline="")))
assert fa[0] == ["user", "item", "rating", "raw_user", "book_id", "title", "is_valid"], fa[0]
assert [(int(u), int(i), r, v) for u, i, r, _, _, _, v in fa[1:]] == dense
assert all(t == titles[i] and int(b) == bk[i] for _, i, _, _, b, t, _ in fa[1:])
ks = list(csv.reader(open("keys.csv", newline="")))
assert ks[0] == ["raw_user", "book_id", "rating", "title", "is_valid"], ks[0]
assert ks[1:] == [[uk, b, r, t, v] for _, _, r, uk, b, t, v in fa[1:]], "keys rows"
kv = list(csv.reader(open("keysv.csv", newline="")))
assert kv[1:] == [k for k in ks[1:] if k[4] == "1"] and len(kv) > 1, "keys --subset valid"
bare = list(csv.reader(open("bare.csv", newline="")))
assert bare[0] == ["user", "book_id", "rating", "title", "is_valid"], bare[0]
assert bare[1:] == [[u, b, r, t, v] for u, _, r, _, b, t, v in fa[1:]], "keys without users.csv"
lm = [tuple(l.split()) for l in open("valid.txt")]
want = [(str(u), str(i), r) for u, i, r, v in dense if v == "1"]
assert lm == want and len(lm) > 0, (len(lm), len(want))
print("round trips hold:", len(orig), "ratings")
PY
