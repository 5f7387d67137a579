#!/usr/bin/env bash
# bench/chain.sh - the rest of the chain after extract (issue 17, point 3):
# goodlens-join, goodlens-filter and goodlens-export, each against the time
# to read its own inputs.
#
# Input: the issue's task at its size, a Goodreads dump in the real layout
# from goodlens-sample (5M interaction lines, 19,200 users, 170,000 works in
# up to 3 editions; all three times BENCH_SCALE), extracted once; neither
# step is timed.  Then, each the best of BENCH_REPEAT runs (default 3):
#
#   join      items.raw.csv LEFT JOIN books.csv (the pipeline's join)
#   filter    the goodreads recipe: rating 0 out, editions into works,
#             5-core, 10% held out
#   filter-issue  the issue's own filter: rating 0 out, 5-core, editions
#             kept apart, no split (and export-ratings-csv-issue: its CSV)
#   export    ratings-csv with keys and titles (the issue's "CSV with
#             titles") on the default threads and on one; goodbooks;
#             ucsd-csv
#
# The floor of each (bench/read_floor) reads exactly that stage's inputs
# and nothing else: a .glr mapped and validated as the stage opens it, each
# CSV parsed into fields.  Printed per stage: wall and CPU seconds, peak
# RSS, the floor's, and the ratio stage / floor (target <= 1.0: a stage
# costs no more than reading its input); `cat` of the same files is printed
# too, for the bytes alone.  So is a write floor, with no target: the
# stage's outputs copied once into a new file and synced to disk as
# lib/outfile syncs them (`cat OUT... > copy; sync copy`), since an export
# writes several times the bytes it reads and storing them is part of any
# stage's time; stage / (read floor + write floor) says how much of the
# rest is the stage's own work.  Every export
# is also compared at one thread and at the default count (the bytes must
# not differ).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${GL_BENCH:?}" "${BENCH_DIR:?}"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
sz() { awk -v s="$scale" -v n="$1" -v m="$2" 'BEGIN { v = int(n * s); print (v < m ? m : v) }'; }
lines=$(sz 5000000 20000) users=$(sz 19200 200) works=$(sz 170000 1000)
d=$BENCH_DIR/chain
# the versions in the names: a changed goodlens-sample or goodlens-extract
# never feeds this a stale dump or extract
sv=s$(sample_version) xv=x$(sha256sum "$GL_BIN/goodlens-extract" | cut -c1-12)
raw=$d/raw-$sv-$lines-$users-$works ex=$d/ex-$sv-$xv-$lines-$users-$works o=$d/out
mkdir -p "$d"
if [ ! -s "$raw/planted.txt" ]; then
	rm -rf "$d"/raw-* # another version's or size's dump: one on disk at a time
	"$GL_BIN/goodlens-sample" -q --format goodreads --seed 7 --editions 3 \
		--users "$users" --items "$works" --interactions "$lines" --out "$raw"
fi
if [ ! -s "$ex/books.csv" ]; then
	rm -rf "$d"/ex-*
	"$GL_BIN/goodlens-extract" -q --out "$ex" "$raw"/goodreads_interactions_dedup.json.gz \
		"$raw"/goodreads_books.json.gz "$raw"/goodreads_book_works.json.gz \
		"$raw"/goodreads_book_authors.json.gz
fi
rm -rf "$o"
mkdir -p "$o"
echo "input: $lines lines, $users users, $works works; $(du -sm "$ex" | cut -f1) MB extracted"

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }

# stage NAME INPUT... -- OUTPUT... -- CMD...: time the read floor of the
# inputs, `cat` of them, the stage, and the write floor of its outputs
# BENCH_REPEAT times each; print the best of each and the ratios.
stage() {
	local name=$1 files=() outs=() fs="" fc="" cs="" ws="" ss="" sc="" smb=0 i
	shift
	while [ "$1" != -- ]; do files+=("$1"); shift; done
	shift
	while [ "$1" != -- ]; do outs+=("$1"); shift; done
	shift
	for i in $(seq "$repeat"); do
		timed "floor: read_floor (run $i)" "$GL_BENCH/read_floor" "${files[@]}"
		fs=$(best "$TIMED_S" "$fs")
		fc=$(best "$TIMED_CPU" "$fc")
		timed "floor: cat (run $i)" cat "${files[@]}"
		cs=$(best "$TIMED_S" "$cs")
		timed "$name (run $i)" "$@"
		ss=$(best "$TIMED_S" "$ss")
		sc=$(best "$TIMED_CPU" "$sc")
		smb=$TIMED_MB
		# shellcheck disable=SC2016 # expanded by the inner shell
		timed "floor: outputs written (run $i)" \
			sh -c 'out=$1; shift; cat "$@" >"$out" && sync "$out"' sh "$o/copy" "${outs[@]}"
		ws=$(best "$TIMED_S" "$ws")
		rm -f "$o/copy"
	done
	echo "$name: best ${ss} s wall, ${sc} s CPU, ${smb} MiB peak; read floor ${fs} s (${fc} s CPU); cat ${cs} s; write floor ${ws} s ($(du -cm "${outs[@]}" | tail -1 | cut -f1) MB)"
	echo "$name / read floor: wall $(ratio "$ss" "$fs"), CPU $(ratio "$sc" "$fc"); / cat: $(ratio "$ss" "$cs"); / (read + write floor): $(ratio "$ss" "$(awk -v a="$fs" -v b="$ws" 'BEGIN { print a + b }')")"
	target "$name wall / read floor" "$(ratio "$ss" "$fs")" '<=' 1.0
}

stage join "$ex/items.raw.csv" "$ex/books.csv" -- "$o/items.titled.csv" -- \
	"$GL_BIN/goodlens-join" -q --kind left --on book_id -o "$o/items.titled.csv" \
	"$ex/items.raw.csv" "$ex/books.csv"
stage filter "$ex/ratings.raw.glr" "$ex/users.raw.csv" "$o/items.titled.csv" -- \
	"$o/ratings.glr" "$o/users.csv" "$o/items.csv" "$o/filter.stats.csv" -- \
	"$GL_BIN/goodlens-filter" -q --users "$ex/users.raw.csv" --items "$o/items.titled.csv" \
	--item-key work --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42 \
	-o "$o" "$ex/ratings.raw.glr"
echo "filter kept $(sed -n 's/^output,\([0-9]*\),.*/\1/p' "$o/filter.stats.csv") ratings"
# The issue's own task (issue 17's comparison with DuckDB): rating 0
# out and 5-core, editions kept apart, nothing held out; then its CSV with
# titles.
mkdir -p "$o/fi"
stage filter-issue "$ex/ratings.raw.glr" "$ex/users.raw.csv" "$o/items.titled.csv" -- \
	"$o/fi/ratings.glr" "$o/fi/users.csv" "$o/fi/items.csv" "$o/fi/filter.stats.csv" -- \
	"$GL_BIN/goodlens-filter" -q --users "$ex/users.raw.csv" --items "$o/items.titled.csv" \
	--min-user-ratings 5 --min-item-ratings 5 --split none -o "$o/fi" "$ex/ratings.raw.glr"
stage export-ratings-csv-issue "$o/fi/ratings.glr" "$o/fi/users.csv" "$o/fi/items.csv" -- \
	"$o/fi/ratings.csv" -- \
	"$GL_BIN/goodlens-export" -q ratings-csv -o "$o/fi/ratings.csv" "$o/fi/ratings.glr"
stage export-ratings-csv "$o/ratings.glr" "$o/users.csv" "$o/items.csv" -- "$o/ratings.csv" -- \
	"$GL_BIN/goodlens-export" -q ratings-csv -o "$o/ratings.csv" "$o/ratings.glr"
stage export-ratings-csv-1-thread "$o/ratings.glr" "$o/users.csv" "$o/items.csv" -- \
	"$o/ratings.1.csv" -- \
	"$GL_BIN/goodlens-export" -q --threads 1 ratings-csv -o "$o/ratings.1.csv" "$o/ratings.glr"
stage export-goodbooks "$ex/ratings.raw.glr" "$ex/items.raw.csv" "$ex/books.csv" \
	"$ex/works.csv" "$ex/authors.csv" -- "$o/gb"/{ratings,to_read,books}.csv -- \
	"$GL_BIN/goodlens-export" -q goodbooks --in "$ex" --out "$o/gb"
stage export-ucsd-csv "$ex/ratings.raw.glr" "$ex/users.raw.csv" "$ex/items.raw.csv" -- \
	"$o/ucsd"/{goodreads_interactions,user_id_map,book_id_map}.csv -- \
	"$GL_BIN/goodlens-export" -q ucsd-csv --in "$ex" --out "$o/ucsd"
echo "ratings.csv: $(($(wc -l <"$o/ratings.csv") - 1)) rows, $(($(stat -c %s "$o/ratings.csv") / 1000000)) MB"

# The threads change the time, never the bytes.
"$GL_BIN/goodlens-export" -q --threads 1 goodbooks --in "$ex" --out "$o/gb1"
"$GL_BIN/goodlens-export" -q --threads 1 ucsd-csv --in "$ex" --out "$o/ucsd1"
same=1
cmp -s "$o/ratings.csv" "$o/ratings.1.csv" || same=0
for f in ratings.csv to_read.csv books.csv; do cmp -s "$o/gb/$f" "$o/gb1/$f" || same=0; done
for f in goodreads_interactions.csv user_id_map.csv book_id_map.csv; do
	cmp -s "$o/ucsd/$f" "$o/ucsd1/$f" || same=0
done
echo "exports at 1 thread and at the default: $([ "$same" = 1 ] && echo identical || echo DIFFERENT)"
target "exports identical at 1 and N threads" "$same" '>=' 1
rm -rf "$o"
