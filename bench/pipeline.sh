#!/usr/bin/env bash
# bench/pipeline.sh - the whole-dump check: `make pipeline` on a Goodreads
# dump of 30M interactions and 1M books, each stage's time and peak memory.
#
# goodlens-sample writes the dump in the real layout (the four UCSD files,
# gzip level 6 like the originals) with 115,000 users: 876,145 x 30M /
# 228,648,342, so users and lines are in the real dump's proportion and both
# scale by the same factor (7.62) to the real thing; books are 1M (the real
# dump has 2.36M).  All three sizes are multiplied by BENCH_SCALE.  The dump
# is made once under $BENCH_DIR/pipeline and reused (generating it is not
# part of the figures; it takes about 7 minutes at full size).
#
# Then `make pipeline-run DATA=goodreads TIMES=1` runs pipeline.mk on its own
# (as an installed goodlens does, so the executables in GL_BIN are used as
# they are) with the recipe's settings; pipeline.mk's TIMES=1 has GNU time
# record each stage's wall time, CPU time (user + system) and peak RSS.
# Printed: one line per stage,
# the sizes after each filter step, and each stage's time scaled linearly to
# the real dump's 228,648,342 lines (docs/PIPELINE.md explains why linear
# holds for time and what memory does).  This machine is shared: wall times
# drift with its load (2x between two runs here); CPU times much less.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${BENCH_DIR:?}"
scale=${BENCH_SCALE:-1}
sz() { awk -v s="$scale" -v n="$1" 'BEGIN { v = int(n * s); print (v < 100 ? 100 : v) }'; }
lines=$(sz 30000000) items=$(sz 1000000) users=$(sz 115000)
d=$BENCH_DIR/pipeline
raw=$d/raw-s$(sample_version)-$lines out=$d/out-$lines
mkdir -p "$d"

if [ ! -s "$raw/planted.txt" ]; then
	rm -rf "$raw"
	timed "generate $lines lines (not a stage)" "$GL_BIN/goodlens-sample" -q --format goodreads \
		--seed 7 --users "$users" --items "$items" --interactions "$lines" --out "$raw"
fi
echo "dump: $lines lines, $users users, $items books; $(du -sm "$raw" | cut -f1) MB in $raw"

rm -rf "$out"
start=$(date +%s.%N)
make -C "$here/.." --no-print-directory -f pipeline.mk BIN="$GL_BIN" pipeline-run \
	DATA=goodreads RAW="$raw" OUT="$out" TIMES=1 >"$d/make-$lines.log" 2>&1 || {
	tail -n 30 "$d/make-$lines.log" >&2
	exit 1
}
total=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

echo "stage           wall s    CPU s   peak MiB   wall s at 228,648,342 lines (linear)"
awk -v f="$(awk -v n="$lines" 'BEGIN { print 228648342 / n }')" '
	NF == 5 && $2 ~ /^[0-9.]+$/ {
		printf "%-12s %9.1f %8.1f %10d %12.0f\n", $1, $2, $4 + $5, $3 / 1024, $2 * f
		t += $2; c += $4 + $5
	}
	END { printf "%-12s %9.1f %8.1f %10s %12.0f\n", "all stages", t, c, "", t * f }' "$out/stage.times"
echo "make pipeline-run wall time: ${total} s"
echo "filter steps (rows, users, items):"
sed 1d "$out/filter.stats.csv" | awk -F, '{ printf "  %-10s %12d %9d %9d\n", $1, $2, $3, $4 }'
echo "trained: $(tail -n 1 "$out/metrics.csv" | cut -d, -f4) valid RMSE after $(($(wc -l <"$out/metrics.csv") - 1)) epochs (noise floor $(sed -n 's/^floor_rmse=//p' "$raw/planted.txt"))"
du -sh "$out" | awk '{ print "outputs: " $1 " in " $2 }'
