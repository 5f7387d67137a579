#!/usr/bin/env bash
# bench/extract.sh - goodlens-extract against its floors, inflate alone.
#
# Generates Goodreads interactions JSON lines (bench/extract_gen.c, gzip
# level 6 like the UCSD dumps; 6.9% of the lines with a review text full of
# escapes, as in the real dump): 5M lines (about 1.6 GB of JSON) and 10M
# lines over the same 200k users and 300k books, times BENCH_SCALE.  Prints:
#   - the floors: bench/inflate_floor, the file inflated into a buffer and
#     discarded, by zlib's gzread and (in builds with ISA-L, which extract
#     then uses) by ISA-L's isal_inflate
#   - goodlens-extract on the same file, and the ratio extract / floor of
#     the inflater it uses (target: at most 1.25), and against zlib's
#   - extract with --threads 1 (parsing on one thread), for reference
#   - peak RSS for 5M and 10M lines and their ratio (target: within 10%)
#   - the ungrouped fallback (the 5M lines in random order), for reference
# Each timing is the best of BENCH_REPEAT runs (default 3), floor and
# extract alternating, because the machine is shared.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${GL_BENCH:?}" "${BENCH_DIR:?}"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
lines5=$(awk -v s="$scale" 'BEGIN { printf "%d", 5000000 * s }')
lines10=$((2 * lines5))
users=$(awk -v s="$scale" 'BEGIN { n = int(200000 * s); print (n < 100 ? 100 : n) }')
books=$(awk -v s="$scale" 'BEGIN { n = int(300000 * s); print (n < 100 ? 100 : n) }')
d=$BENCH_DIR/extract
mkdir -p "$d"
v=$(gen_version extract_gen)
f5=$d/gr-v$v-$lines5-$users-$books.json.gz
f10=$d/gr-v$v-$lines10-$users-$books.json.gz
if [ ! -s "$f5" ]; then "$GL_BENCH/extract_gen" "$f5" "$lines5" "$users" "$books" 1; fi
if [ ! -s "$f10" ]; then "$GL_BENCH/extract_gen" "$f10" "$lines10" "$users" "$books" 1; fi
text=$("$GL_BENCH/inflate_floor" "$f5")
echo "input: $lines5 lines, $((text / 1000000)) MB of JSON, $(($(stat -c %s "$f5") / 1000000)) MB gzip'd"

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
# cpu CMD...: CPU seconds (user + system, all threads) of one run in CPU_S
cpu() {
	local tf
	tf=$(mktemp)
	/usr/bin/time -f '%U %S' -o "$tf" "$@" >/dev/null 2>&1
	CPU_S=$(awk '{ print $1 + $2 }' "$tf")
	rm -f "$tf"
}
# The inflater extract uses: $GL_INFLATE, else ISA-L when the build has it
# (then inflate_floor --isal works, and must inflate as many bytes as zlib).
isal=0
if itext=$("$GL_BENCH/inflate_floor" --isal "$f5" 2>/dev/null); then
	isal=1
	[ "$itext" = "$text" ] || { echo "inflate_floor --isal: $itext bytes, zlib $text" >&2; exit 1; }
fi
uses=${GL_INFLATE:-$([ $isal = 1 ] && echo isal || echo zlib)}
zfloor_s="" ifloor_s="" ext_s="" ext_mb=0
for i in $(seq "$repeat"); do
	timed "floor: zlib inflate alone (run $i)" "$GL_BENCH/inflate_floor" "$f5"
	zfloor_s=$(best "$TIMED_S" "$zfloor_s")
	if [ $isal = 1 ]; then
		timed "floor: ISA-L inflate alone (run $i)" "$GL_BENCH/inflate_floor" --isal "$f5"
		ifloor_s=$(best "$TIMED_S" "$ifloor_s")
	fi
	rm -rf "$d/out5"
	timed "goodlens-extract 5M (run $i, $uses)" "$GL_BIN/goodlens-extract" -q --out "$d/out5" "$f5"
	ext_s=$(best "$TIMED_S" "$ext_s")
	ext_mb=$TIMED_MB
done
if [ "$uses" = isal ]; then
	floor_s=$ifloor_s
	cpu "$GL_BENCH/inflate_floor" --isal "$f5"
else
	floor_s=$zfloor_s
	cpu "$GL_BENCH/inflate_floor" "$f5"
fi
floor_cpu=$CPU_S
rm -rf "$d/out5"
cpu "$GL_BIN/goodlens-extract" -q --out "$d/out5" "$f5"
ext_cpu=$CPU_S
mbs=$(awk -v b="$text" -v s="$ext_s" 'BEGIN { printf "%.0f", b / s / 1e6 }')
echo "extract 5M: best ${ext_s} s (${mbs} MB/s of JSON) inflating with $uses;" \
	"floors best: zlib ${zfloor_s} s, ISA-L ${ifloor_s:-(not built)} s"
target "extract 5M wall / inflate floor ($uses)" "$(ratio "$ext_s" "$floor_s")" '<=' 1.25
if [ "$uses" = isal ]; then
	echo "ratio extract/zlib floor: $(ratio "$ext_s" "$zfloor_s"); ISA-L floor/zlib floor:" \
		"$(ratio "$ifloor_s" "$zfloor_s")"
fi
# Inflate and parse threads on two cores: the wall ratio approaches 1 on an
# idle machine and the CPU ratio below when other work takes the cores.
echo "cpu seconds: extract ${ext_cpu} (all threads), $uses floor ${floor_cpu}," \
	"ratio $(ratio "$ext_cpu" "$floor_cpu"); load average $(cut -d' ' -f1 /proc/loadavg)"

# parsing on one thread, for reference (--threads: the outputs are the same)
rm -rf "$d/out5"
timed "goodlens-extract 5M, --threads 1" "$GL_BIN/goodlens-extract" -q --threads 1 \
	--out "$d/out5" "$f5"

rm -rf "$d/out10"
timed "goodlens-extract 10M" "$GL_BIN/goodlens-extract" -q --out "$d/out10" "$f10"
echo "peak RSS: 5M lines ${ext_mb} MiB, 10M lines ${TIMED_MB} MiB"
target "extract peak RSS 10M / 5M lines" "$(ratio "$TIMED_MB" "$ext_mb")" '<=' 1.10

# the ungrouped fallback: the same lines shuffled (one external pass)
fr=$d/gr-v$v-$lines5-$users-$books-random.json
if [ ! -s "$fr" ]; then zcat "$f5" | shuf --random-source=<(yes) >"$fr"; fi
rm -rf "$d/outr"
timed "goodlens-extract 5M shuffled (plain)" "$GL_BIN/goodlens-extract" -q --out "$d/outr" "$fr"
rm -rf "$d/out5" "$d/out10" "$d/outr"
