# join_sqlite_oracle: goodlens-join gives the same multiset of rows as SQLite
# for every join kind, both in-memory sides, both empty-key modes, and
# single, renamed and composite keys, on generated tables with duplicate
# keys, empty keys, quoted commas, quotes, newlines and non-ASCII text.
. "$TESTS/e2e/lib.sh"
need sqlite3

python3 - <<'PY'
import csv, random
random.seed(7)
words = ["plain", "with, comma", 'say "hi"', "two\nlines", "caf\u00e9", "\u65e5\u672c\u8a9e",
         "emoji \U0001F600", " padded ", "", "a,\"b\"\nc"]
keys = ["1", "2", "3", "07", "7", "x y", "k,1", "\u00fc", ""]
def table(path, header, n, keycols):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(n):
            row = []
            for c in header:
                row.append(random.choice(keys) if c in keycols else random.choice(words) + str(i % 5))
            w.writerow(row)
table("l.csv", ["k1", "a", "k2", "b"], 150, {"k1", "k2"})
table("r.csv", ["c", "k1", "a", "k2"], 120, {"k1", "k2"})
table("r2.csv", ["rk", "c", "a"], 90, {"rk"})
table("empty.csv", ["k1", "z"], 0, {"k1"})
PY

# sql_for KIND LEFTKEYS RIGHTKEYS LEFTCOLS RIGHTCOLS RIGHTTABLE: the query
# with goodlens-join's output columns.
sql_for() {
	local kind=$1 lk=$2 rk=$3 lcols=$4 rcols=$5 rt=$6 on="" sel="" i
	IFS=, read -ra L <<<"$lk"
	IFS=, read -ra R <<<"$rk"
	for i in "${!L[@]}"; do
		on+="${on:+ AND }l.\"${L[$i]}\" = r.\"${R[$i]}\""
	done
	for c in ${lcols//,/ }; do
		local key=""
		for i in "${!L[@]}"; do if [ "${L[$i]}" = "$c" ]; then key=${R[$i]}; fi; done
		if [ -n "$key" ] && { [ "$kind" = right ] || [ "$kind" = full ]; }; then
			sel+="${sel:+, }COALESCE(l.\"$c\", r.\"$key\")"
		else
			sel+="${sel:+, }l.\"$c\""
		fi
	done
	case $kind in
	semi) echo "SELECT $sel FROM l WHERE EXISTS (SELECT 1 FROM $rt r WHERE $on);"; return ;;
	anti) echo "SELECT $sel FROM l WHERE NOT EXISTS (SELECT 1 FROM $rt r WHERE $on);"; return ;;
	esac
	for c in ${rcols//,/ }; do
		local isk=0
		for i in "${!R[@]}"; do if [ "${R[$i]}" = "$c" ]; then isk=1; fi; done
		[ $isk = 1 ] || sel+=", r.\"$c\""
	done
	local j
	case $kind in inner) j=JOIN ;; left) j="LEFT JOIN" ;; right) j="RIGHT JOIN" ;; full) j="FULL JOIN" ;; esac
	echo "SELECT $sel FROM l $j $rt r ON $on;"
}

# The cases' outputs are compared at the end, all in one Python process:
# sorted rows of SQLite's CSV (no header) against goodlens-join's (header).
compare_all() {
	python3 -c '
import csv, sys
bad = 0
for case in sys.argv[1:]:
    want = sorted(csv.reader(open(case + "/want.csv", newline="")))
    got = sorted(list(csv.reader(open(case + "/got.csv", newline="")))[1:])
    if want != got:
        bad += 1
        print("MISMATCH:", open(case + "/what").read().strip())
        for r in [r for r in want if r not in got][:10]: print("  only SQLite:", repr(r))
        for r in [r for r in got if r not in want][:10]: print("  only goodlens-join:", repr(r))
print(len(sys.argv) - 1 - bad, "oracle comparisons agree,", bad, "differ")
sys.exit(1 if bad else 0)' "$@"
}

checks=0
run_case() { # kind build empty left right on lk rk lcols rcols rtable
	local kind=$1 build=$2 empty=$3 left=$4 right=$5 on=$6 lk=$7 rk=$8 lcols=$9 rcols=${10} rt=${11}
	local nulls="" c
	if [ "$empty" = null ]; then
		for c in ${lk//,/ }; do nulls+="UPDATE l SET \"$c\" = NULL WHERE \"$c\" = '';"; done
		for c in ${rk//,/ }; do nulls+="UPDATE $rt SET \"$c\" = NULL WHERE \"$c\" = '';"; done
	fi
	checks=$((checks + 1))
	local d=case$checks
	mkdir "$d"
	echo "kind=$kind build=$build empty=$empty on=$on" >"$d/what"
	sqlite3 -csv :memory: ".import --csv $left l" ".import --csv $right $rt" "$nulls" \
		"$(sql_for "$kind" "$lk" "$rk" "$lcols" "$rcols" "$rt")" >"$d/want.csv"
	goodlens-join --on "$on" --kind "$kind" --build "$build" --empty-keys "$empty" \
		"$left" "$right" -o "$d/got.csv" -s "$d/st.csv"
}

for kind in inner left right full semi anti; do
	for build in left right; do
		for empty in null value; do
			run_case $kind $build $empty l.csv r.csv k1 k1 k1 k1,a,k2,b c,k1,a,k2 r
			run_case $kind $build $empty l.csv r.csv k1,k2 k1,k2 k1,k2 k1,a,k2,b c,k1,a,k2 r
			run_case $kind $build $empty l.csv r2.csv k1=rk k1 rk k1,a,k2,b rk,c,a r
		done
	done
	run_case $kind auto null l.csv empty.csv k1 k1 k1 k1,a,k2,b k1,z r
done

# The clash suffix: r.csv's a becomes a_right.
goodlens-join --on k1 l.csv r.csv >all.csv
head -n 1 all.csv >hdr.txt
[ "$(cat hdr.txt)" = "k1,a,k2,b,c,a_right,k2_right" ] || { echo "header: $(cat hdr.txt)"; exit 1; }
cases=()
for i in $(seq "$checks"); do cases+=("case$i"); done
test "$checks" = 78
compare_all "${cases[@]}"
