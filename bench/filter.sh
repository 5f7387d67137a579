#!/usr/bin/env bash
# bench/filter.sh - goodlens-filter with dedupe and the iterative k-core on
# a 30M-rating raw fact file (times BENCH_SCALE; 800k users, 1.5M items,
# power-law activity and popularity, 30% shelved rows, repeated pairs; from
# bench/join_glrgen.c).  Prints:
#   - the floor, measured in the same run: bench/join_glrsum, one sequential
#     pass summing the item ids and ratings of the mapped file
#   - goodlens-filter (drop rating 0, dedupe latest, k-core 5/5, random
#     split), its ratio to the floor, its peak RSS and that RSS over the
#     fact file's size (target: at most 2)
# Each timing is the best of BENCH_REPEAT runs (default 3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${GL_BENCH:?}" "${BENCH_DIR:?}"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
n=$(awk -v s="$scale" 'BEGIN { n = int(30000000 * s); print (n < 1000 ? 1000 : n) }')
nu=$(awk -v s="$scale" 'BEGIN { n = int(800000 * s); print (n < 20 ? 20 : n) }')
ni=$(awk -v s="$scale" 'BEGIN { n = int(1500000 * s); print (n < 30 ? 30 : n) }')
d=$BENCH_DIR/filter
mkdir -p "$d"
raw=$d/raw-v$(gen_version join_glrgen)-$n-$nu-$ni.glr
if [ ! -s "$raw" ]; then "$GL_BENCH/join_glrgen" "$raw" "$n" "$nu" "$ni"; fi
size=$(stat -c %s "$raw")
echo "input: $n ratings, $nu users, $ni items, $((size / 1000000)) MB"

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
floor_s="" floor_cpu="" f_s="" f_cpu="" f_mb=0
for i in $(seq "$repeat"); do
	timed "floor: join_glrsum (run $i)" "$GL_BENCH/join_glrsum" "$raw"
	floor_s=$(best "$TIMED_S" "$floor_s")
	floor_cpu=$(best "$TIMED_CPU" "$floor_cpu")
	timed "goodlens-filter dedupe+kcore (run $i)" "$GL_BIN/goodlens-filter" -q \
		--dedupe latest --min-user-ratings 5 --min-item-ratings 5 -o "$d/out" "$raw"
	f_s=$(best "$TIMED_S" "$f_s")
	f_cpu=$(best "$TIMED_CPU" "$f_cpu")
	f_mb=$TIMED_MB
done
echo "filter: best ${f_s} s wall (${f_cpu} s CPU); floor best ${floor_s} s (${floor_cpu} s CPU)"
echo "ratio filter / floor: wall $(ratio "$f_s" "$floor_s"), CPU $(ratio "$f_cpu" "$floor_cpu")"
echo "peak RSS ${f_mb} MiB"
target "filter peak RSS / fact file size" "$(ratio "$((f_mb * 1048576))" "$size")" '<=' 2
cat "$d/out/filter.stats.csv"
rm -rf "$d/out"
