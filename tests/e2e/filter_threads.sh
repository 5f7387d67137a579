# filter_threads: goodlens-filter writes the same bytes on 1, 2 and 3
# threads.  The raw file holds 800,000 ratings, more than three times
# join/fstate.h's FSTATE_PART_MIN, so 2 and 3 threads really cut the users
# into parts (zeros, range, dedupe, the k-core and the sums behind
# users.csv and items.csv each run on them); it has duplicates, zeros,
# equal times, rare items and editions of one work, so every step drops
# ratings in every part.
fx=$TESTS/fixtures/join

python3 - "$fx" <<'PY'
import csv, random, sys
sys.path.insert(0, sys.argv[1])
import glr
random.seed(17)
NU, NI, N = 2500, 6000, 800000
weights = [1.0 / (i + 1) ** 0.9 for i in range(NI)]
lens = [random.randint(1, 2 * N // NU - 1) for _ in range(NU)]
lens[-1] += N - sum(lens)
items = random.choices(range(NI), weights, k=N)
vals = random.choices([0, 0.5, 1, 2, 3, 3.5, 4, 4.5, 5], k=N)
rows, at = [], 0
for u, n in enumerate(lens):
    for _ in range(n):
        rows.append((u, items[at], vals[at], random.choice([0, 1000, 1000, 2000]),
                     at % 3 == 0, 0, at % 5 == 0))
        at += 1
glr.write("raw.glr", rows, NU, NI, 0.5, times=True, read=True, reviewed=True)
with open("users.raw.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["user", "user_id"])
    for u in range(NU):
        w.writerow([u, "%032x" % (u * 7919)])
with open("items.titled.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["item", "book_id", "work_id", "title"])
    order = list(range(NI))
    random.shuffle(order)
    for i in order:
        w.writerow([i, 100 + i, 9000 + i % 2000, "t, %d" % i])
PY

n=0
same() {
	for t in 1 2 3; do
		rm -rf "out$t"
		goodlens-filter -q --threads "$t" --users users.raw.csv --items items.titled.csv \
			-o "out$t" raw.glr "$@"
	done
	for t in 2 3; do
		for f in ratings.glr users.csv items.csv filter.stats.csv; do
			if ! cmp "out1/$f" "out$t/$f"; then
				echo "FAIL: --threads $t writes another $f (options: $*)" >&2
				exit 1
			fi
		done
	done
	n=$((n + 1))
}

same
same --min-user-ratings 20 --min-item-ratings 30 --split none
same --dedupe mean --implicit --min-item-ratings 5 --split last:2
same --dedupe drop-all --rating-range 1,4 --min-user-ratings 5 --min-item-ratings 5
same --dedupe first --item-key work --min-item-ratings 3 --split time:0.1
same --keep-zero --top-items 500 --sample-users 0.5 --min-user-ratings 3

# the files hold what the steps left: duplicates went, the core held
stats=$(cat out1/filter.stats.csv)
case $stats in
*"dedupe,"*"kcore,"*) ;;
*) echo "FAIL: unexpected filter.stats.csv: $stats" >&2; exit 1 ;;
esac
drops=$(awk -F, '$1 == "input" { a = $2 } $1 == "dedupe" { print a - $2 }' out1/filter.stats.csv)
if [ "$drops" -le 0 ]; then
	echo "FAIL: the input had no duplicates to drop" >&2
	exit 1
fi

status=0
goodlens-filter -q --threads 0 -o bad raw.glr 2>err.txt || status=$?
if [ "$status" != 2 ]; then
	echo "FAIL: --threads 0 exits $status, expected 2 (bad usage)" >&2
	exit 1
fi
grep -q "invalid value for --threads: '0'" err.txt
echo "filter_threads: $n recipes the same on 1, 2 and 3 threads"
