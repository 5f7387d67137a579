# source_ids: the source's own ids in every table a person reads, taken in
# by goodlens-recommend, and the inputs recommend and report refuse rather
# than answer wrongly.  On a MovieLens-layout sample (ml-csv, the
# ml-latest-small recipe's steps) and a Goodreads sample whose works have
# several editions (filter --item-key work).
fx=$TESTS/fixtures/join
command -v python3 >/dev/null || exit 77

# expect_fail STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN on
# one stderr line.
expect_fail() {
	local want=$1 pat=$2 st=0
	shift 2
	"$@" >fail.out 2>fail.err || st=$?
	if [ "$st" != "$want" ]; then
		echo "FAIL: $* exited $st, not $want" >&2
		cat fail.err >&2
		exit 1
	fi
	if ! grep -q -- "$pat" fail.err; then
		echo "FAIL: $* did not say '$pat':" >&2
		cat fail.err >&2
		exit 1
	fi
}

# expect_header FILE LINE: FILE's first line is LINE (read from the file,
# not through a pipe into grep -q: SIGPIPE under pipefail).
expect_header() {
	local h
	h=$(head -n 1 "$1")
	if [ "$h" != "$2" ]; then
		echo "FAIL: $1 starts '$h', expected '$2'" >&2
		exit 1
	fi
}

goodlens-sample -q --format ml-csv --seed 19 --users 300 --items 200 --interactions 6000 --out raw
goodlens-extract -q --out o raw/ratings.csv raw/movies.csv
goodlens-join -q --kind left --on movie_id -o o/items.titled.csv o/items.raw.csv o/movies.csv
goodlens-filter -q --users o/users.raw.csv --items o/items.titled.csv -o o \
	--min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42 o/ratings.raw.glr
goodlens-train -q --epochs 3 -o o o/ratings.glr
goodlens-report -q --in o
python3 "$fx/glr.py" dump o/ratings.glr >dump.csv

# ---- 1. source ids out ------------------------------------------------------

goodlens-export ratings-csv -o fastai.csv o/ratings.glr
goodlens-export ratings-csv --format movielens -o ml.csv o/ratings.glr
python3 - <<'PY'
import csv
rd = lambda p: list(csv.DictReader(open(p, newline="", encoding="utf-8")))
raw = {(r["userId"], r["movieId"], "%g" % float(r["rating"])): r["timestamp"]
       for r in rd("raw/ratings.csv")}
uk = {r["user"]: r["user_id"] for r in rd("o/users.csv")}
ik = {r["item"]: r["movie_id"] for r in rd("o/items.csv")}
valid = {(r["user"], r["item"], r["rating"]) for r in rd("dump.csv") if r["valid"] == "1"}
# ids must differ from the keys somewhere, or a dense id would pass for a key
assert any(k != v for k, v in uk.items()) and any(k != v for k, v in ik.items())

pred = rd("o/predictions.csv")
assert list(pred[0]) == ["user", "user_id", "item", "movie_id", "rating", "prediction"], list(pred[0])
assert len(pred) == len(valid) > 100, (len(pred), len(valid))
for r in pred:
    assert (r["user_id"], r["movie_id"], r["rating"]) in raw, r
    assert (r["user"], r["item"], r["rating"]) in valid, r
    assert uk[r["user"]] == r["user_id"] and ik[r["item"]] == r["movie_id"], r

fa = rd("fastai.csv")
assert list(fa[0])[:7] == ["user", "item", "rating", "user_id", "movie_id", "title", "is_valid"], list(fa[0])
assert {(r["user"], r["item"], r["rating"]) for r in fa if r["is_valid"] == "1"} == valid
assert sum(r["is_valid"] == "0" for r in fa) + len(valid) == len(fa) == len(raw)
assert all((r["user_id"], r["movie_id"], r["rating"]) in raw for r in fa)

ml = rd("ml.csv")
assert {(r["userId"], r["movieId"], r["rating"]): r["timestamp"] for r in ml} == raw

# the report's tables: keys agree with items.csv and users.csv
for name, pairs in (("biases.csv", [("item", "movie_id")]),
                    ("pca.csv", [("item", "movie_id")]),
                    ("similar.csv", [("item", "movie_id"), ("neighbour", "neighbour_movie_id")]),
                    ("recommendations.csv", [("item", "movie_id")])):
    rows = rd("o/" + name)
    assert rows, name
    for idc, kc in pairs:
        assert all(ik[r[idc]] == r[kc] for r in rows), (name, kc)
rec = rd("o/recommendations.csv")
assert all(uk[r["user"]] == r["user_id"] for r in rec)
print("source ids out: %d predictions, %d ratings exported" % (len(pred), len(fa)))
PY

# recommend: the key columns in every mode (the tables found beside the
# ratings file)
R=(goodlens-recommend -q --model o/model.glm --ratings o/ratings.glr)
"${R[@]}" --user 3 -n 3 >m1.csv
"${R[@]}" --all-users -n 2 >m2.csv
"${R[@]}" --similar 0 -n 3 >m3.csv
read_title() { python3 -c 'import csv, sys; print(list(csv.DictReader(open("o/items.csv")))[int(sys.argv[1])]["title"])' "$1"; }
title=$(read_title 0)
title2=$(read_title 1)
"${R[@]}" --similar-title "$title" -n 3 >m4.csv
"${R[@]}" --new 0:5,1:2 -n 3 >m5.csv
for f in m1 m2; do expect_header "$f.csv" "user,user_id,rank,item,movie_id,score,basis,title"; done
for f in m3 m4; do
	expect_header "$f.csv" \
		"item,movie_id,rank,similar_item,similar_movie_id,cosine,similar_n_ratings,title,similar_title"
done
expect_header m5.csv "kind,rank,given,item,movie_id,score,basis,title"
python3 - <<'PY'
import csv
ik = {r["item"]: r["movie_id"] for r in csv.DictReader(open("o/items.csv"))}
uk = {r["user"]: r["user_id"] for r in csv.DictReader(open("o/users.csv"))}
for f, cols in (("m1", [("item", "movie_id")]), ("m2", [("item", "movie_id")]),
                ("m3", [("item", "movie_id"), ("similar_item", "similar_movie_id")]),
                ("m4", [("item", "movie_id"), ("similar_item", "similar_movie_id")]),
                ("m5", [("item", "movie_id")])):
    rows = list(csv.DictReader(open(f + ".csv", newline="", encoding="utf-8")))
    assert rows, f
    for a, b in cols:
        assert all(ik[r[a]] == r[b] for r in rows), (f, b)
    if "user_id" in rows[0]:
        assert all(uk[r["user"]] == r["user_id"] for r in rows), f
PY

# ---- 2. source ids in -------------------------------------------------------

# a user whose key is not its dense id: --by-key --user K is K's list
read -r uid dense < <(awk -F, 'NR > 1 && $1 != $2 { print $2, $1; exit }' o/users.csv)
"${R[@]}" --by-key --user "$uid" -n 5 >k.csv
"${R[@]}" --user "$dense" -n 5 >d.csv
cmp k.csv d.csv
awk -F, -v k="$uid" 'NR > 1 && $2 != k { exit 1 }' k.csv
# without --by-key the same number is a dense id: another user
"${R[@]}" --user "$uid" -n 5 >n.csv
if cmp -s k.csv n.csv; then echo "FAIL: --user $uid without --by-key gave user_id $uid's list" >&2; exit 1; fi
expect_fail 1 "no user with user_id 'nobody'" "${R[@]}" --by-key --user nobody
# items by key
read -r mid item < <(awk -F, 'NR > 1 && $1 != $2 { print $2, $1; exit }' o/items.csv)
"${R[@]}" --by-key --similar "$mid" -n 4 >ks.csv
"${R[@]}" --similar "$item" -n 4 >ds.csv
cmp ks.csv ds.csv
"${R[@]}" --by-key --new "$mid:5" -n 4 >kn.csv
"${R[@]}" --new "$item:5" -n 4 >dn.csv
# the echoed rating names what was given: the key, or the dense id
cmp <(cut -d, -f1,2,4- kn.csv) <(cut -d, -f1,2,4- dn.csv)
grep -q "^rated,1,$mid,$item," kn.csv

# --rate-title: a title holding ',' and ':' (made so if the sample has none),
# resolved to its item and echoed
python3 - <<'PY'
import csv
rows = list(csv.reader(open("o/items.csv", newline="", encoding="utf-8")))
t = rows[0].index("title")
rows[1][t] = "Heat, Part 2: The Return = Again"
with open("o/items.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
PY
"${R[@]}" --rate-title 'heat, part 2: the return = again=4.5' --rate-title "$title2=1" -n 3 >t.csv 2>t.err
grep -q '^rated,1,"heat, part 2: the return = again",0,' t.csv
grep -q ',4.5,used,"Heat, Part 2: The Return = Again"$' t.csv
grep -q "^rated,2,.*,1,used," t.csv
[ "$(grep -c '^recommended,' t.csv)" = 3 ]
expect_fail 2 "expected TITLE=RATING" "${R[@]}" --rate-title 'no rating here'

# --min-ratings: neighbours with fewer ratings are left out (default 5)
"${R[@]}" --similar 0 -n 1000 >s5.csv
"${R[@]}" --similar 0 -n 1000 --min-ratings 1 >s1.csv
"${R[@]}" --similar 0 -n 1000 --min-ratings 30 >s30.csv
python3 - <<'PY'
import csv
n = lambda f: [int(r["similar_n_ratings"]) for r in csv.DictReader(open(f, encoding="utf-8"))]
a, b, c = n("s5.csv"), n("s1.csv"), n("s30.csv")
assert a and min(a) >= 5 and len(a) == sum(x >= 5 for x in b), (min(a), len(a))
assert c and min(c) >= 30 and len(c) == sum(x >= 30 for x in b) < len(b), (len(c), len(b))
PY

# ---- 3. refuse, don't guess -------------------------------------------------

expect_fail 1 "outside the model's rating scale 0.5..5" "${R[@]}" --new "0:4,1:7"
expect_fail 1 "outside the model's rating scale" "${R[@]}" --rate-title "$title2=0"
expect_fail 1 "none of the 2 rated items is in the model ('99999', 'x')" "${R[@]}" --new "99999:4,x:3"
expect_fail 1 "none of the 1 rated items is in the model" "${R[@]}" --by-key --new "99999999:4"
# unknown among known: one warning naming them, the rest folded in
goodlens-recommend --model o/model.glm --ratings o/ratings.glr --new "99999:4, 0 : 5 ,x:3" -n 3 \
	>w.csv 2>w.err || { cat w.err >&2; exit 1; }
grep -q "warning: 2 of the 3 rated items are not in the model, skipped: '99999', 'x'" w.err
[ "$(grep -c warning w.err)" = 1 ]
# surrounding spaces are trimmed: the same answer as without them
"${R[@]}" --new "0:5,1:2" -n 3 >nsp.csv
"${R[@]}" --new " 0 :5 ,  1: 2 " -n 3 >sp.csv
cmp nsp.csv sp.csv

# another dataset's tables, and this dataset's with one key changed
goodlens-sample -q --format ml-csv --seed 7 --users 300 --items 200 --interactions 6000 --out raw2
goodlens-extract -q --out o2 raw2/ratings.csv raw2/movies.csv
goodlens-filter -q --users o2/users.raw.csv --items o2/items.raw.csv -o o2 \
	--min-user-ratings 1 --min-item-ratings 1 o2/ratings.raw.glr
expect_fail 1 "o2/items.csv is not the table o/model.glm was trained with" \
	"${R[@]}" --items o2/items.csv --similar 0
python3 - <<'PY'
import csv
for name in ("items", "users"):
    rows = list(csv.reader(open("o/%s.csv" % name, newline="", encoding="utf-8")))
    rows[1][1], rows[2][1] = rows[2][1], rows[1][1]
    with open("swapped-%s.csv" % name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
PY
expect_fail 1 "swapped-items.csv is not the table o/model.glm was trained with: it has other keys" \
	"${R[@]}" --items swapped-items.csv --similar 0
expect_fail 1 "swapped-users.csv is not the table" "${R[@]}" --users swapped-users.csv --user 0
mkdir rep && cp o/ratings.glr o/users.csv o/model.glm rep/ && cp swapped-items.csv rep/items.csv
expect_fail 1 "rep/items.csv is not the table" goodlens-report -q --in rep
# train refuses a table that is not its ratings file's
expect_fail 1 "o2/users.csv: user 0 has n_ratings" goodlens-train -q --epochs 1 --users o2/users.csv -o t o/ratings.glr
# without tables beside it, train says so and writes dense ids
mkdir bare && cp o/ratings.glr bare/
goodlens-train --epochs 1 -o bare bare/ratings.glr 2>bare.err
grep -q "no users.csv beside bare/ratings.glr: predictions.csv has dense user ids only" bare.err
expect_header bare/predictions.csv "user,item,rating,prediction"
# and recommend cannot check what the model does not record: it says so
goodlens-recommend --model bare/model.glm --items o/items.csv --similar 0 -n 2 >b.csv 2>b.err
grep -q "records no item keys" b.err

# ---- work-keyed: an edition's book_id names its work ------------------------

goodlens-sample -q --format goodreads --editions 3 --users 300 --items 100 --interactions 8000 \
	--seed 5 --out graw
goodlens-extract -q --out g graw/goodreads_interactions_dedup.json.gz graw/goodreads_books.json.gz
goodlens-join -q --kind left --on book_id -o g/items.titled.csv g/items.raw.csv g/books.csv
goodlens-filter -q --item-key work --users g/users.raw.csv --items g/items.titled.csv -o g \
	--min-user-ratings 3 --min-item-ratings 3 --split random:0.2 --seed 1 g/ratings.raw.glr
goodlens-train -q --epochs 2 -o g g/ratings.glr
expect_header g/predictions.csv "user,user_id,item,work_id,rating,prediction"
# an item with several editions: its second edition's book_id
read -r witem wid book < <(python3 -c '
import csv
for r in csv.DictReader(open("g/items.csv")):
    b = r["book_ids"].split("|")
    if len(b) > 1 and r["work_id"] not in b:
        print(r["item"], r["work_id"], b[1]); break')
G=(goodlens-recommend -q --model g/model.glm --ratings g/ratings.glr)
# first by items.csv's book_ids alone: no books.csv beside it
mv g/books.csv books.csv
"${G[@]}" --by-key --similar "$book" -n 3 >gk.csv
"${G[@]}" --similar "$witem" -n 3 >gd.csv
cmp gk.csv gd.csv
"${G[@]}" --by-key --new "$book:5" -n 3 >gn.csv
grep -q "^rated,1,$book,$witem,$wid," gn.csv
# an edition nobody rated, known only to the books table (beside items.csv
# or named)
expect_fail 1 "none of the 1 rated items" "${G[@]}" --by-key --new "987654321:5"
(cat books.csv && echo "987654321,$wid,An Unrated Edition") >g/books.csv
"${G[@]}" --by-key --new "987654321:5" -n 3 >ge.csv
grep -q "^rated,1,987654321,$witem,$wid," ge.csv
mv g/books.csv more-books.csv
"${G[@]}" --by-key --books more-books.csv --similar 987654321 -n 3 >gb.csv
cmp gb.csv gd.csv
echo "source_ids: all checks passed"
