# Every example script in scripts/ runs, in the order a user would chain
# them, on a generated genre subset in the real layout, and does what its
# header says: the files it promises exist and hold what they should.
. "$TESTS/e2e/lib.sh"
root=$GL_ROOT
s=$root/scripts
raw=$SCRATCH/raw work=$SCRATCH/work
goodlens-sample -q --format goodreads-genre --genre fantasy_paranormal --seed 5 \
	--users 800 --items 500 --interactions 40000 --editions 3 --out "$raw"

# Without arguments each prints its usage and exits 2.
for x in extract-genre join-titles filter export-fastai train-compare recommend-new-user pipe; do
	expect_status 2 bash "$s/$x.sh" >usage 2>&1
	grep -q "scripts/$x.sh" usage || { echo "$x: no usage"; cat usage; exit 1; }
done

bash "$s/extract-genre.sh" "$raw" fantasy_paranormal "$work" >log
test -s "$work/ratings.raw.glr"
test -s "$work/books.csv"
grep -q "^total" log

bash "$s/join-titles.sh" "$work" >log
test "$(sed -n 2p "$work/join.stats.csv" | cut -d, -f1)" = left
test "$(wc -l <"$work/items.titled.csv")" = "$(wc -l <"$work/items.raw.csv")"
test "$(grep -c . log)" -ge 8        # the stats, then a header and five rows

bash "$s/filter.sh" "$work" 3 >log
grep -q "^works," log
grep -q "^kcore," log
python3 - "$work" <<'PY'
import csv, sys
w = sys.argv[1]
assert min(int(r["n_ratings"]) for r in csv.DictReader(open(w + "/users.csv"))) >= 3
items = list(csv.DictReader(open(w + "/items.csv", encoding="utf-8")))
assert "work_id" in items[0] and min(int(r["n_ratings"]) for r in items) >= 3
PY

bash "$s/export-fastai.sh" "$work" >log
test "$(head -n 1 "$work/ratings.csv")" = "user,item,rating,user_id,work_id,title,is_valid"
n=$(($(wc -l <"$work/ratings.csv") - 1))
test "$n" = "$(tail -n 1 "$work/filter.stats.csv" | cut -d, -f2)"
grep -q "ratings in $work/ratings.csv" log
test "$(tail -n 3 log | awk 'NF == 3' | wc -l)" = 3     # three libmf lines

bash "$s/train-compare.sh" "$work" >log
for m in dot als; do
	test -s "$work/$m/model.glm"
	test -s "$work/$m/train.summary.csv"
done
grep -q "^best: \(dot\|als\)$" log
grep -q "^dot/global_mean" log

bash "$s/recommend-new-user.sh" "$work" >log
test "$(head -n 1 "$work/new-user.csv" | cut -d, -f1-5)" = "kind,rank,given,item,work_id"
test "$(grep -c '^recommended,' "$work/new-user.csv")" = 10
# The three rated items are not recommended back.
python3 - "$work" "$(sed -n 's/^the new reader rates: \([0-9]*\) -> 5, \([0-9]*\) -> 4, \([0-9]*\) -> 1$/\1 \2 \3/p' log)" <<'PY'
import csv, sys
w, rated = sys.argv[1], sys.argv[2].split()
assert len(rated) == 3, rated
rows = list(csv.DictReader(open(w + "/new-user.csv", encoding="utf-8")))
key = list(rows[0].keys())[4]
got = [r[key] for r in rows if r["kind"] == "rated"]
rows = [r for r in rows if r["kind"] == "recommended"]
assert got == rated, (got, rated)    # echoed as given, in order
assert not set(rated) & {r[key] for r in rows}, (rated, key)
assert all(r["basis"] == "folded" for r in rows), rows[0]
PY

# The piped stages give what the files give.
bash "$s/pipe.sh" "$raw" "$SCRATCH/pipe" >log
goodlens-extract -q --out "$SCRATCH/direct" "$raw/goodreads_interactions_fantasy_paranormal.json.gz"
lines=$(zcat "$raw/goodreads_interactions_fantasy_paranormal.json.gz" | wc -l)
test "$lines" -lt 100000    # so head passed the whole file: the same ratings
cmp "$SCRATCH/pipe/ratings.raw.glr" "$SCRATCH/direct/ratings.raw.glr"
test "$(grep -c "book_id_csv" log)" = 1      # the two-hop join's header
test "$(tail -n 4 log | awk -F, 'NF >= 3' | wc -l)" = 4
