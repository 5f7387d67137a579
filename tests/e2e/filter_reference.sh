# filter_reference: goodlens-filter's every deterministic step agrees with a
# plain-Python reference (tests/fixtures/join/filter_ref.py) on generated
# data with duplicates, zeros, equal times, editions of one work and
# awkward titles: ratings.glr (read back by an independent Python reader,
# read and reviewed bits included), users.csv, items.csv and
# filter.stats.csv.  A raw file written before the reviewed bitmap existed
# filters to a file without it.
fx=$TESTS/fixtures/join

python3 - "$fx" <<'PY'
import csv, random, sys
sys.path.insert(0, sys.argv[1])
import glr
random.seed(11)
rows = []
for u in range(300):
    n = random.choice([1, 2, 3, 5, 8, 13, 30])
    for _ in range(n):
        i = min(int(random.paretovariate(0.6)) - 1, 149)
        v = random.choice([0, 0.5, 1, 2, 3, 3.5, 4, 4.5, 5])
        t = random.choice([0, 1000, 1000, 2000, 3000]) + random.randrange(3)
        rows.append((u, i, v, t, random.randrange(2), 0, random.randrange(2)))
glr.write("raw.glr", rows, 300, 150, 0.5, times=True, read=True, reviewed=True)
glr.write("old.glr", rows, 300, 150, 0.5, times=True, read=True)
with open("users.raw.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["user", "user_id"])
    order = list(range(300))
    random.shuffle(order)          # any row order is allowed
    for u in order:
        w.writerow([u, "%032x" % (u * 7919)])
with open("items.titled.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["item", "book_id", "work_id", "title"])
    for i in range(150):
        work = "" if i % 17 == 0 else str(9000 + i % 40)
        w.writerow([i, 100 + i, work, random.choice(["A, b", 'say "x"', "caf\u00e9", "two\nlines", "plain"]) + str(i)])
PY

# Sorted-by-output-order rows of a CSV, parsed (quoting may differ).
rows() { python3 -c 'import csv,sys; [print(repr(r)) for r in csv.reader(open(sys.argv[1], newline=""))]' "$1"; }

n=0
check() {
	rm -rf got want && mkdir got want
	goodlens-filter -q --users users.raw.csv --items items.titled.csv -o got --split none raw.glr "$@"
	python3 "$fx/filter_ref.py" raw.glr users.raw.csv items.titled.csv want "$@"
	python3 "$fx/glr.py" dump got/ratings.glr | cut -d, -f1-5,7 >got/ratings.csv
	python3 "$fx/glr.py" meta got/ratings.glr >got/meta.csv
	tail -n 1 got/meta.csv >got/meta.last
	grep -q ',1,meta|rowptr|items|ratings|times|read|reviewed|split$' got/meta.last
	for f in ratings.csv filter.stats.csv; do
		cmp "got/$f" "want/$f" || { echo "options: $*"; diff "got/$f" "want/$f" | awk 'NR <= 10'; exit 1; }
	done
	for f in users.csv items.csv; do
		rows "got/$f" >"got/$f.rows"
		rows "want/$f" >"want/$f.rows"
		cmp "got/$f.rows" "want/$f.rows" || { echo "options: $*"; diff "got/$f.rows" "want/$f.rows" | awk 'NR <= 10'; exit 1; }
	done
	n=$((n + 1))
}

check
check --keep-zero --dedupe first
check --implicit --dedupe latest
check --implicit=all --dedupe mean
check --rating-range 2,4.5 --dedupe drop-all
check --dedupe mean --min-user-ratings 3 --min-item-ratings 4
check --top-items 20 --min-user-ratings 2
check --item-key work --dedupe latest
check --item-key work --dedupe drop-all --top-items 15 --min-item-ratings 3
check --item-key work --dedupe mean --min-user-ratings 4 --min-item-ratings 4
check --min-user-ratings 1000

# the old layout: no reviewed section in, none out, the rest the same
mkdir old new
goodlens-filter -q --users users.raw.csv --items items.titled.csv -o old --split none old.glr
goodlens-filter -q --users users.raw.csv --items items.titled.csv -o new --split none raw.glr
python3 "$fx/glr.py" meta old/ratings.glr >old.meta
tail -n 1 old.meta >old.last
grep -q ',1,meta|rowptr|items|ratings|times|read|split$' old.last
python3 "$fx/glr.py" dump old/ratings.glr | cut -d, -f1-6 >old.csv
python3 "$fx/glr.py" dump new/ratings.glr | cut -d, -f1-6 >new.csv
cmp old.csv new.csv
test "$(python3 "$fx/glr.py" dump old/ratings.glr | cut -d, -f7 | sort -u | paste -sd' ')" = ' reviewed'
# A table's rows in any order give the same bytes: in id order (written as
# read), reversed (all held until the end) and shuffled (held rows written
# as their turn comes); the users table above is shuffled, this one both.
python3 - <<'PY'
import csv, random
rows = list(csv.reader(open("items.titled.csv", newline="")))
head, body = rows[0], rows[1:]
random.seed(3)
for name, order in (("items.rev.csv", body[::-1]), ("items.shuf.csv", random.sample(body, len(body)))):
    with open(name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(order)
PY
for t in rev shuf; do
	goodlens-filter -q --users users.raw.csv --items "items.$t.csv" -o "$t" --split none \
		--min-item-ratings 2 raw.glr
	goodlens-filter -q --users users.raw.csv --items items.titled.csv -o "$t.in-order" --split none \
		--min-item-ratings 2 raw.glr
	cmp "$t/items.csv" "$t.in-order/items.csv"
	cmp "$t/users.csv" "$t.in-order/users.csv"
done
echo "$n option sets agree with the reference"
