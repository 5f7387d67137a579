#!/usr/bin/env bash
# bench/pipeline.sh - `make pipeline` with the goodreads recipe on a
# generated Goodreads dump: each stage's wall time, CPU time and peak memory.
#
# Two sizes:
#   pipeline (the default): 30M interaction lines of 115,000 users over 1M
#     books (876,145 x 30M / 228,648,342 users, so users and lines are in
#     the real dump's proportion), times BENCH_SCALE; each stage's time is
#     also printed scaled linearly to the real 228,648,342 lines.  The dump
#     is made once under $BENCH_DIR/pipeline, named by the generator's hash,
#     and reused (about 7 minutes to make; not part of the figures).
#   whole-dump (PIPELINE_SIZE=whole; bench/whole-dump.sh): the real UCSD
#     size: 228,648,342 lines of 876,145 users, 54.27% of them shelved
#     (rating 0: 104,551,549 rated, as in the real dump), over 1,515,229
#     works in up to 3 editions (2.36M books, the real 2,360,655 to 0.1%;
#     the real dump has 1.52M works).  Targets: the whole run under 15
#     minutes of wall time and every stage under 6 GiB.  The dump (about 15
#     GB; about 25 minutes to make) is made once under
#     $BENCH_DIR/whole-dump/raw and reused while its planted.txt has these
#     sizes: a changed generator does not remake it (remove the folder for
#     that), because the run measures the pipeline, not the generator.
#
# goodlens-sample writes the four UCSD files, gzip level 6 like the
# originals.  Then `make pipeline-run DATA=goodreads TIMES=1` runs
# pipeline.mk on its own (as an installed goodlens does, so the executables
# in GL_BIN are used as they are) with the recipe's settings; TIMES=1 has
# GNU time record each stage's wall time, CPU time (user + system) and peak
# RSS.  Printed: one line per stage, the sizes after each filter step, the
# trained model's valid RMSE against the planted noise floor, and the
# outputs' size.  docs/PIPELINE.md has the figures and explains how memory
# and time grow.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${BENCH_DIR:?}"
real_lines=228648342
if [ "${PIPELINE_SIZE:-}" = whole ]; then
	lines=$real_lines users=876145 items=1515229
	gen=(--editions 3 --zero-share 0.5425)
	d=$BENCH_DIR/whole-dump
	raw=$d/raw out=$d/out
	# reused while it holds these users and works and is complete
	# (planted.txt is written last; its lines= is the count written, which
	# may fall a line short of the target)
	if [ -s "$raw/planted.txt" ] && { ! grep -qx "users=$users" "$raw/planted.txt" ||
		! grep -qx "model_items=$items" "$raw/planted.txt"; }; then
		rm -rf "$raw"
	fi
else
	scale=${BENCH_SCALE:-1}
	sz() { awk -v s="$scale" -v n="$1" 'BEGIN { v = int(n * s); print (v < 100 ? 100 : v) }'; }
	lines=$(sz 30000000) items=$(sz 1000000) users=$(sz 115000)
	gen=()
	d=$BENCH_DIR/pipeline
	raw=$d/raw-s$(sample_version)-$lines out=$d/out-$lines
fi
mkdir -p "$d"

if [ ! -s "$raw/planted.txt" ]; then
	rm -rf "$raw"
	timed "generate $lines lines (not a stage)" "$GL_BIN/goodlens-sample" -q --format goodreads \
		--seed 7 --users "$users" --items "$items" --interactions "$lines" "${gen[@]}" --out "$raw"
fi
books=$(sed -n 's/^items=//p' "$raw/planted.txt")
echo "dump: $(sed -n 's/^lines=//p' "$raw/planted.txt") lines, $users users, $books books ($items planted works); $(du -sm "$raw" | cut -f1) MB in $raw"

rm -rf "$out"
start=$(date +%s.%N)
make -C "$here/.." --no-print-directory -f pipeline.mk BIN="$GL_BIN" pipeline-run \
	DATA=goodreads RAW="$raw" OUT="$out" TIMES=1 >"$d/make-$lines.log" 2>&1 || {
	tail -n 30 "$d/make-$lines.log" >&2
	exit 1
}
total=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

f=$(awk -v n="$lines" -v r="$real_lines" 'BEGIN { print r / n }')
if [ "$lines" = "$real_lines" ]; then
	echo "stage           wall s    CPU s   peak MiB"
else
	echo "stage           wall s    CPU s   peak MiB   wall s at 228,648,342 lines (linear)"
fi
awk -v f="$f" -v real="$([ "$lines" = "$real_lines" ] && echo 1 || echo 0)" '
	NF == 5 && $2 ~ /^[0-9.]+$/ {
		printf "%-12s %9.1f %8.1f %10d", $1, $2, $4 + $5, $3 / 1024
		if (!real) printf " %12.0f", $2 * f
		printf "\n"
		t += $2; c += $4 + $5
	}
	END {
		printf "%-12s %9.1f %8.1f %10s", "all stages", t, c, ""
		if (!real) printf " %12.0f", t * f
		printf "\n"
	}' "$out/stage.times"
echo "make pipeline-run wall time: ${total} s"
echo "filter steps (rows, users, items):"
sed 1d "$out/filter.stats.csv" | awk -F, '{ printf "  %-10s %12d %9d %9d\n", $1, $2, $3, $4 }'
echo "trained: $(tail -n 1 "$out/metrics.csv" | cut -d, -f4) valid RMSE after $(($(wc -l <"$out/metrics.csv") - 1)) epochs (noise floor $(sed -n 's/^floor_rmse=//p' "$raw/planted.txt"))"
du -sh "$out" | awk '{ print "outputs: " $1 " in " $2 }'
if [ "$lines" = "$real_lines" ]; then
	target "whole dump: make pipeline-run wall minutes" \
		"$(awk -v t="$total" 'BEGIN { printf "%.1f", t / 60 }')" '<=' 15
	target "whole dump: largest stage peak GiB" \
		"$(awk '$2 ~ /^[0-9.]+$/ && $3 > m { m = $3 } END { printf "%.2f", m / 1048576 }' "$out/stage.times")" '<=' 6
fi
