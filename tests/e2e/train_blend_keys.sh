# train_blend_keys: goodlens-train --blend writes what the normal path
# writes about the source (train/train_keys.h): predictions.csv carries the keys
# of users.csv and items.csv beside the dense ids (found beside the ratings
# file, or named by --users/--items; dense ids only, said on stderr, when a
# table is absent), and model.glm records the rating scale and the tables'
# fingerprints, so goodlens-recommend refuses another dataset's items.csv
# and a rating outside the scale on a blend's model too.
. "$TESTS/e2e/lib.sh"
need python3

# expect_fail STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN.
expect_fail() {
	local want=$1 pat=$2
	shift 2
	expect_status "$want" "$@" >fail.out 2>fail.err
	grep -q -- "$pat" fail.err || { cat fail.err >&2; fail "$* did not say '$pat'"; }
}

# A MovieLens-layout sample, whose keys differ from the dense ids.
goodlens-sample -q --format ml-csv --seed 19 --users 200 --items 120 --interactions 4000 --out raw
goodlens-extract -q --out o raw/ratings.csv raw/movies.csv
goodlens-filter -q --users o/users.raw.csv --items o/items.raw.csv -o o \
	--min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42 o/ratings.raw.glr
goodlens-train -q --blend dot,als,bpmf --sweeps 10 o/ratings.glr -o bl

# every prediction is a rating of the download, under its own keys
check_predictions() { # predictions.csv
	python3 - "$1" <<'PY'
import csv, sys
rd = lambda p: list(csv.DictReader(open(p, newline="", encoding="utf-8")))
raw = {(r["userId"], r["movieId"], "%g" % float(r["rating"])) for r in rd("raw/ratings.csv")}
uk = {r["user"]: r["user_id"] for r in rd("o/users.csv")}
ik = {r["item"]: r["movie_id"] for r in rd("o/items.csv")}
assert any(k != v for k, v in uk.items()) and any(k != v for k, v in ik.items())
pred = rd(sys.argv[1])
assert list(pred[0]) == ["user", "user_id", "item", "movie_id", "rating", "prediction"], list(pred[0])
assert len(pred) > 100, len(pred)
for r in pred:
    assert (r["user_id"], r["movie_id"], r["rating"]) in raw, r
    assert uk[r["user"]] == r["user_id"] and ik[r["item"]] == r["movie_id"], r
print("%s: %d predictions under the source's keys" % (sys.argv[1], len(pred)))
PY
}
check_predictions bl/predictions.csv

# the blend's model.glm records the source: this dataset's tables pass,
# another dataset's items.csv and a rating off the scale are refused
R=(goodlens-recommend -q --model bl/model.glm --ratings o/ratings.glr)
goodlens-recommend --model bl/model.glm --ratings o/ratings.glr --similar 0 -n 3 >sim.csv 2>sim.err
refute_grep "records no" sim.err
sed -n 1p sim.csv >sim.head
grep -q "^item,movie_id,rank," sim.head
goodlens-sample -q --format ml-csv --seed 7 --users 200 --items 120 --interactions 4000 --out raw2
goodlens-extract -q --out o2 raw2/ratings.csv raw2/movies.csv
goodlens-filter -q --users o2/users.raw.csv --items o2/items.raw.csv -o o2 \
	--min-user-ratings 1 --min-item-ratings 1 o2/ratings.raw.glr
expect_fail 1 "o2/items.csv is not the table bl/model.glm was trained with" \
	"${R[@]}" --items o2/items.csv --similar 0
expect_fail 1 "outside the model's rating scale" "${R[@]}" --new "0:4,1:7"

# --users/--items reach the blend: the tables named, not found beside it
mkdir bare
cp o/ratings.glr bare/
goodlens-train --blend dot,als --users o/users.csv --items o/items.csv bare/ratings.glr \
	-o bl-named 2>named.err
refute_grep "no users.csv beside" named.err
check_predictions bl-named/predictions.csv
# without them: dense ids only, said on stderr
goodlens-train --blend dot,als bare/ratings.glr -o bl-bare 2>bare.err
grep -q "no users.csv beside bare/ratings.glr: predictions.csv has dense user ids only" bare.err
grep -q "no items.csv beside bare/ratings.glr" bare.err
sed -n 1p bl-bare/predictions.csv >bare.head
grep -qx "user,item,rating,prediction" bare.head
# and a table that is not this ratings file's is an error, as in trainer.c
expect_fail 1 "o2/users.csv: user 0 has n_ratings" \
	goodlens-train -q --blend dot,als --users o2/users.csv bare/ratings.glr -o bl-wrong
echo "train_blend_keys: all checks passed"
