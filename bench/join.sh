#!/usr/bin/env bash
# bench/join.sh - goodlens-join on the pipeline's biggest join: a 2M-row
# item table (items.raw.csv) left-joined with a 2.4M-row books.csv, sizes
# times BENCH_SCALE (tables from bench/join_gen.c).  Prints:
#   - the floors, measured in the same run: `cat` of both files (reading
#     the bytes) and `wc -l` of both (reading and scanning them)
#   - goodlens-join with the default in-memory side (the smaller file, the
#     items), its ratio to the wc -l floor and its peak RSS
#   - the same join holding the books in memory (--build right), for the
#     memory it costs
# Each timing is the best of BENCH_REPEAT runs (default 3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${GL_BENCH:?}" "${BENCH_DIR:?}"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
ni=$(awk -v s="$scale" 'BEGIN { n = int(2000000 * s); print (n < 100 ? 100 : n) }')
nb=$(awk -v s="$scale" 'BEGIN { n = int(2400000 * s); print (n < 120 ? 120 : n) }')
d=$BENCH_DIR/join
mkdir -p "$d"
v=$(gen_version join_gen)
items=$d/items-v$v-$ni-$nb.csv
books=$d/books-v$v-$nb.csv
if [ ! -s "$books" ]; then "$GL_BENCH/join_gen" books "$nb" "$books"; fi
if [ ! -s "$items" ]; then "$GL_BENCH/join_gen" items "$ni" "$nb" "$items"; fi
mb() { echo $(($(stat -c %s "$1") / 1000000)); }
echo "input: $ni items ($(mb "$items") MB) x $nb books ($(mb "$books") MB)"

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
cat_s="" wc_s="" wc_cpu="" join_s="" join_cpu="" join_mb=0
for i in $(seq "$repeat"); do
	timed "floor: cat (run $i)" cat "$items" "$books"
	cat_s=$(best "$TIMED_S" "$cat_s")
	timed "floor: wc -l (run $i)" wc -l "$items" "$books"
	wc_s=$(best "$TIMED_S" "$wc_s")
	wc_cpu=$(best "$TIMED_CPU" "$wc_cpu")
	timed "goodlens-join left, items in memory (run $i)" "$GL_BIN/goodlens-join" -q \
		--on book_id --kind left -o "$d/titled.csv" -s "$d/join.stats.csv" "$items" "$books"
	join_s=$(best "$TIMED_S" "$join_s")
	join_cpu=$(best "$TIMED_CPU" "$join_cpu")
	join_mb=$TIMED_MB
done
out_mb=$(mb "$d/titled.csv")
echo "join: best ${join_s} s wall (${join_cpu} s CPU), ${join_mb} MiB peak, ${out_mb} MB written"
echo "floors: cat ${cat_s} s, wc -l ${wc_s} s (${wc_cpu} s CPU)"
echo "ratio join / wc -l: wall $(ratio "$join_s" "$wc_s"), CPU $(ratio "$join_cpu" "$wc_cpu"); join / cat: $(ratio "$join_s" "$cat_s")"
timed "goodlens-join left, books in memory" "$GL_BIN/goodlens-join" -q --on book_id --kind left \
	--build right -o "$d/titled.csv" "$items" "$books"
echo "books in memory: ${TIMED_MB} MiB peak for a $(mb "$books") MB table"
rm -f "$d/titled.csv" "$d/join.stats.csv"
