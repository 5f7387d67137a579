# join_threads: the streamed side read on a thread of its own (--threads 2,
# the default) gives byte for byte the output, statistics, messages and exit
# status of reading and joining in turn (--threads 1): every kind, both
# in-memory sides, single and composite keys, on tables of many blocks
# (a block is 2048 rows) with quoted fields, newlines, non-ASCII text and
# empty keys; and a bad row (ragged, too long, a quote never closed) deep
# in the streamed side is reported at its own line after every row before
# it, as with one thread.
. "$TESTS/e2e/lib.sh"

python3 - <<'PY'
import csv, random
random.seed(17)
words = ["plain", "with, comma", 'say "hi"', "two\nlines", "caf\u00e9", "\u65e5\u672c",
         "", "x" * 300]
def table(path, header, n, keys):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(n):
            w.writerow([random.choice(keys) if c.startswith("k") else
                        random.choice(words) + str(i) for c in header])
table("l.csv", ["k1", "a", "k2"], 3000, [str(i) for i in range(2500)] + [""])
table("r.csv", ["b", "k1", "c", "k2", "d"], 20000, [str(i) for i in range(4000)] + ["", "07"])
PY

nbad=0
run() { # NAME ARGS...: the two thread counts against each other
	name=$1; shift
	s1=0; s2=0
	goodlens-join -q --threads 1 "$@" -o "$name.1.csv" -s "$name.1.st" 2>"$name.1.err" || s1=$?
	goodlens-join -q --threads 2 "$@" -o "$name.2.csv" -s "$name.2.st" 2>"$name.2.err" || s2=$?
	if [ "$s1" != "$s2" ]; then
		echo "FAIL $name: exit $s1 with one thread, $s2 with two" >&2; nbad=1
	fi
	for x in csv st err; do
		if [ -e "$name.1.$x" ] && ! cmp -s "$name.1.$x" "$name.2.$x"; then
			echo "FAIL $name: $x differs between --threads 1 and 2" >&2; nbad=1
		fi
	done
}
for kind in inner left right full semi anti; do
	for build in left right; do
		run "$kind-$build" --kind "$kind" --build "$build" --on k1 l.csv r.csv
		run "$kind-$build-2" --kind "$kind" --build "$build" --on k1,k2 l.csv r.csv
	done
	if [ "$kind" != semi ] && [ "$kind" != anti ]; then
		run "$kind-cols" --kind "$kind" --build left --on k1 --right-columns d,b l.csv r.csv
	fi
done
# the rows joined are many blocks' worth
rows=$(wc -l < inner-left.2.csv)
if [ "$rows" -lt 10000 ]; then echo "FAIL: only $rows rows joined" >&2; nbad=1; fi

# bad rows deep in the streamed side: after 12000 good records
python3 - <<'PY'
import csv
with open("r.csv", newline="") as f:
    recs = list(csv.reader(f))[:12001]
def write(path, tail):
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(recs)
        f.write(tail)
write("r-ragged.csv", "1,2,3\n9,9,9,9,9\n")
write("r-quote.csv", '"never closed,1,2,3,4\n9,9,9,9,9\n')
write("r-long.csv", "y" * (5 << 20) + ",1,2,3,4\n9,9,9,9,9\n")
PY
for bad in ragged quote long; do
	run "bad-$bad" --kind left --build left --on k1 l.csv "r-$bad.csv"
	if [ "$s2" != 1 ]; then echo "FAIL bad-$bad: exit $s2, expected 1" >&2; nbad=1; fi
	if ! grep -q "r-$bad.csv:[0-9]* (byte [0-9]*)" "bad-$bad.2.err"; then
		echo "FAIL bad-$bad: no file:line (byte) in: $(cat "bad-$bad.2.err")" >&2; nbad=1
	fi
done
exit "$nbad"
