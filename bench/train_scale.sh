# bench/train_scale.sh - goodlens-train when the tables outgrow the caches:
# a planted file the size of bench/pipeline.sh's Goodreads dump after its
# filter (115,000 users x 842,443 items, 200 ratings a user, 18.4M training
# ratings; BENCH_SCALE scales users and items), against train_ref on the
# same file (the dot products of the same ratings, no update: the random
# reads alone; a reference, not a floor).  No targets: figures only.
#
# Per model: training ratings per second (best of BENCH_REPEAT runs,
# default 1 here: each run is long) and peak RSS.  dot's parameter and Adam
# tables are 643 MiB at k=50, mf's working rows 250 MiB, and the random rows
# a batch touches are what the time goes to; docs/TRAIN.md ("Speed at
# scale") has the figures before and after the tables moved to huge pages,
# and before and after dot's rows became one record each (weights, Adam
# moments and catch-up state: 1.07M ratings/s before, at BENCH_SCALE=1 on a
# quiet machine, printed below beside today's rate), and before the rating
# arrays the batcher reads at random moved to huge pages too (train/data.h,
# tdata_hot) with sparse Adam's catch-up entries prefetched (train/optim.c):
# those two misses, not the rows, were a third of dot's time here.
# Also printed: the weight-decay warning goodlens-train gives for fastai's
# defaults at this size (docs/TRAIN.md, "Weight decay at scale").
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/train_lib.inc"

scale=${BENCH_SCALE:-1}
# shellcheck disable=SC2034 # read by train_lib.inc
repeat=${BENCH_REPEAT:-1}
users=$(awk -v s="$scale" 'BEGIN { printf "%d", 115000 * s }')
items=$(awk -v s="$scale" 'BEGIN { printf "%d", 842443 * s }')
[ "$users" -ge 100 ] || users=100
[ "$items" -ge 400 ] || items=400
data=$BENCH_DIR/train-scale-v$(gen_version train_gen)-$users-$items.glr
if [ ! -f "$data" ]; then
	timed "generate $users x $items x 200 (not a figure)" \
		"$GL_BENCH/train_gen" "$data" "$users" "$items" 200 8 0.7 5
fi
out=$BENCH_DIR/train-scale-out
mkdir -p "$out"
n_train=$(goodlens-train --model mf --epochs 1 --factors 1 -o "$out" "$data" 2>&1 |
	sed -n 's/.* \([0-9]*\) training and.*/\1/p')
echo "data: $data ($(($(stat -c %s "$data") / 1048576)) MiB, $n_train training ratings)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

fl=$(ref_rate 50)
speed "dot fastai settings (1 epoch)" --model dot --epochs 1
printf '  dot k=50 sparse Adam bs 64: %sM ratings/s (%sM per CPU-second); reference %sM/s; ratio %s; peak %d MiB\n' \
	"$(m "$RATE")" "$(m "$CPURATE")" "$(m "$fl")" "$(ratio "$RATE" "$fl")" "$PEAK"
echo "  before the row records (commit 103d997, BENCH_SCALE=1, quiet machine; docs/TRAIN.md): 1.07M ratings/s"
echo "  before the huge-page rating arrays (commit 7136101): 1.10M ratings/s (issue 17; docs/TRAIN.md has this build's busy-machine CPU seconds)"
grep "warning" "$out/log" | sed 's/^/  /'

fl=$(ref_rate 32)
speed "mf k=32 (3 epochs)" --model mf --epochs 3
printf '  mf k=32 1 thread: %sM updates/s (%sM per CPU-second); reference %sM/s; ratio %s; peak %d MiB\n' \
	"$(m "$RATE")" "$(m "$CPURATE")" "$(m "$fl")" "$(ratio "$RATE" "$fl")" "$PEAK"

speed "als k=32 threads=2 (2 epochs)" --model als --epochs 2 --threads 2
printf '  als k=32 threads=2: %sM ratings/s per epoch (%sM per CPU-second); peak %d MiB\n' \
	"$(m "$RATE")" "$(m "$CPURATE")" "$PEAK"

# nn's epoch at this size takes tens of minutes: TRAIN_SCALE_NN=0 leaves it out
if [ "${TRAIN_SCALE_NN:-1}" = 1 ]; then
	speed "nn emb 32, layers 100 (1 epoch)" --model nn --emb-size 32 --layers 100 --epochs 1
	printf '  nn k=32 fastai settings otherwise: %sM ratings/s; peak %d MiB\n' "$(m "$RATE")" "$PEAK"
else
	echo "  nn: left out (TRAIN_SCALE_NN=0)"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
