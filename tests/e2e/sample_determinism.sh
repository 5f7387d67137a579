#!/usr/bin/env bash
# goodlens-sample is a function of its options: the same seed gives the same
# bytes for every format, another seed other bytes, and --order only
# reorders the lines (a tiny sort budget would not change them either; see
# the unit test).
set -eu

args=(--users 150 --items 100 --interactions 3000 --editions 2)
goodlens-sample --format all --out a --seed 21 "${args[@]}"
goodlens-sample --format all --out b --seed 21 "${args[@]}"
goodlens-sample --format all --out c --seed 22 "${args[@]}"
# gzip threads change the speed, never the bytes
goodlens-sample --format goodreads --out t1 --seed 21 "${args[@]}" --threads 1
goodlens-sample --format goodreads --out t3 --seed 21 "${args[@]}" --threads 3
diff -r a/goodreads t1
diff -r a/goodreads t3

(cd a && find . -type f | sort | xargs sha256sum) >a.sum
(cd b && find . -type f | sort | xargs sha256sum) >b.sum
(cd c && find . -type f | sort | xargs sha256sum) >c.sum
test "$(wc -l <a.sum)" -ge 40
cmp a.sum b.sum
# another seed: every line file differs
for f in goodreads/goodreads_interactions_dedup.json.gz goodreads-csv/goodreads_interactions.csv \
	goodbooks/ratings.csv ml-100k/u.data ml-1m/ratings.dat ml-10m/ratings.dat \
	ml-csv/ratings.csv ml-kaggle/rating.csv goodreads/planted.txt; do
	if cmp -s "a/$f" "c/$f"; then
		echo "seed 22 wrote the same $f as seed 21" >&2
		exit 1
	fi
done

# --order: the same lines, another order
for o in user random item; do
	goodlens-sample --format goodreads --out "o-$o" --seed 4 "${args[@]}" --order "$o"
	grep -qx "order=$o" "o-$o/planted.txt"
done
python3 - <<'EOF'
import gzip, json
def load(o):
    with gzip.open(f"o-{o}/goodreads_interactions_dedup.json.gz", "rt") as f:
        return f.read().splitlines()
u, r, i = load("user"), load("random"), load("item")
assert sorted(u) == sorted(r) == sorted(i) and u != r and u != i
books = [int(json.loads(l)["book_id"]) for l in i]
assert books == sorted(books)
def runs(lines):
    users = [json.loads(l)["user_id"] for l in lines]
    return sum(a != b for a, b in zip(users, users[1:]))
assert runs(r) > 10 * runs(u)                 # shuffled, not grouped by user
print("ok orders")
EOF
