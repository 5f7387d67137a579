# filter_inner_reference: goodlens-filter --inner agrees with the plain-Python
# reference (tests/fixtures/join/filter_ref.py) when the user and item tables
# lack rows for some rated ids, alone and with every later step that reads
# the tables or the counts (works, top-items, k-core); and an item table from
# a left join (a row for every item) still filters without --inner.
fx=$TESTS/fixtures/join

python3 - "$fx" <<'PY'
import csv, random, sys
sys.path.insert(0, sys.argv[1])
import glr
random.seed(12)
rows = []
for u in range(250):
    for _ in range(random.choice([1, 2, 4, 6, 9, 15, 25])):
        i = min(int(random.paretovariate(0.7)) - 1, 119)
        v = random.choice([0, 1, 2, 3, 3.5, 4, 4.5, 5])
        t = random.choice([0, 500, 1000]) + random.randrange(3)
        rows.append((u, i, v, t, random.randrange(2), 0, random.randrange(2)))
glr.write("raw.glr", rows, 250, 120, 0.5, times=True, read=True, reviewed=True)
def table(path, header, ids, row):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in ids:
            w.writerow(row(i))
users = [u for u in range(250) if u % 9 != 4]
random.shuffle(users)
table("users.part.csv", ["user", "user_id"], users, lambda u: [u, "u%d" % u])
# every 7th item has no row (item 0, the most rated, among them)
items = [i for i in range(120) if i % 7 != 0]
table("items.part.csv", ["item", "book_id", "work_id", "title"], items,
      lambda i: [i, 100 + i, "" if i % 11 == 0 else 500 + i % 30, "t%d, \"x\"" % i])
table("users.all.csv", ["user", "user_id"], range(250), lambda u: [u, "u%d" % u])
# a left join's table: every item has a row, some with empty columns
table("items.left.csv", ["item", "book_id", "work_id", "title"], range(120),
      lambda i: [i, 100 + i, "", ""] if i % 7 == 0 else [i, 100 + i, 500 + i % 30, "t%d" % i])
PY

rows() { python3 -c 'import csv,sys; [print(repr(r)) for r in csv.reader(open(sys.argv[1], newline=""))]' "$1"; }

n=0
check() { # USERS ITEMS options...
	local users=$1 items=$2
	shift 2
	rm -rf got want && mkdir got want
	goodlens-filter -q --users "$users" --items "$items" -o got --split none raw.glr "$@"
	python3 "$fx/filter_ref.py" raw.glr "$users" "$items" want "$@"
	python3 "$fx/glr.py" dump got/ratings.glr | cut -d, -f1-5,7 >got/ratings.csv
	for f in ratings.csv filter.stats.csv; do
		if ! cmp -s got/$f want/$f; then
			echo "FAIL: $f differs; options: $users $items $*"
			diff got/$f want/$f >got/$f.diff || head got/$f.diff
			exit 1
		fi
	done
	for f in users.csv items.csv; do
		rows got/$f >got/$f.rows
		rows want/$f >want/$f.rows
		if ! cmp -s got/$f.rows want/$f.rows; then
			echo "FAIL: $f differs; options: $users $items $*"
			diff got/$f.rows want/$f.rows >got/$f.diff || head got/$f.diff
			exit 1
		fi
	done
	n=$((n + 1))
}

check users.part.csv items.part.csv --inner
check users.all.csv items.part.csv --inner --min-user-ratings 5 --min-item-ratings 5
check users.part.csv items.part.csv --inner --keep-zero --dedupe first --min-item-ratings 3
check users.part.csv items.part.csv --inner --item-key work --dedupe mean --min-user-ratings 3
check users.part.csv items.part.csv --inner --top-items 10 --dedupe drop-all
# a left join's table: --inner drops nothing, and without it all is as before
check users.all.csv items.left.csv --inner --min-user-ratings 4
check users.all.csv items.left.csv --min-user-ratings 4
check users.all.csv items.left.csv --item-key work

# --inner is a step of its own: the stats show it, and it drops something here
rm -rf got && mkdir got
goodlens-filter -q --inner -u users.part.csv -i items.part.csv -o got --split none raw.glr
read -r before after < <(awk -F, '$1 == "input" { b = $2 } $1 == "inner" { a = $2 } END { print b, (a == "" ? -1 : a) }' got/filter.stats.csv)
if [ "$after" -lt 0 ] || [ "$after" -ge "$before" ]; then
	echo "FAIL: no inner row, or it dropped nothing ($before -> $after)"
	exit 1
fi
# without --inner the missing rows are an error that points at --inner
st=0
goodlens-filter -q -u users.part.csv -i items.part.csv -o bad raw.glr 2>err || st=$?
if [ "$st" != 1 ] || ! grep -q 'no row for .*--inner drops' err; then
	echo "FAIL: missing rows without --inner: status $st, $(cat err)"
	exit 1
fi
echo "$n option sets agree with the reference"
