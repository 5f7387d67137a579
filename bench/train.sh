# bench/train.sh - goodlens-train speed, memory and accuracy on a planted
# 1M-rating file (5,000 users x 2,000 items x 200 ratings, planted rank 4,
# noise 0.7, 20% validation), against a reference rate measured in the same
# run.
#
# Speed: rating updates per second = training ratings x epochs / the
# seconds of the epochs' training passes, read from goodlens-train's
# per-epoch log lines ("train S s ... valid S s"): the validation pass
# after each epoch is timed apart and printed beside.  Each figure is the
# best of BENCH_REPEAT runs (default 3) because the machine is shared; the
# load average is printed at the start and the end.  The reference is
# train_ref: one pass over the same ratings in the same order computing the
# k-dim dot products only, no update (not a floor: mf beats it).  Targets
# (docs/TRAIN.md): mf k=32 at 1 thread 22M updates/s and 2 threads faster
# than 1, mf k=128 9.5M/s, dot with fastai's settings 2M/s.  Accuracy:
# valid RMSE against the planted noise floor of the validation ratings,
# with the bounds of docs/TRAIN.md (+3%, nn +6%) and no model below the
# floor by more than 1% (that would be validation leakage).  Peak RSS of each run is printed beside the size of
# the file.  Beside each wall-clock rate, the rate per CPU-second of the
# process (from the same log lines), which moves less with the load.
#
# mf --adaptive (LIBMF's default rule) at k=32 and k=128, 1 thread: its
# updates per second, its ratio to the plain kernel's in the same run, and
# LIBMF's rate as the bound, a target like the others (make bench-check).
# With LIBMF=<path to LIBMF's mf-train> (built outside the tree, e.g. `make`
# in a clone of github.com/cjlin1/libmf) LIBMF runs in the same run on the
# same training ratings: its rate is (training ratings x 20) / (the time of
# `mf-train -s 1 -t 21` less that of `-t 1`), so reading the file is not
# counted, best of $repeat; its valid RMSE after 20 iterations is printed
# beside goodlens' after 20 epochs with its defaults.  Without LIBMF the
# bound is the rate LIBMF reached on this machine (SSE build: 20M updates/s
# at k=32, 7.3M at k=128).
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/train_lib.inc"

scale=${BENCH_SCALE:-1}
# shellcheck disable=SC2034 # read by train_lib.inc
repeat=${BENCH_REPEAT:-3}
users=$(awk -v s="$scale" 'BEGIN { printf "%d", 5000 * s }')
[ "$users" -ge 100 ] || users=100
data=$BENCH_DIR/train-planted-v$(gen_version train_gen)-$users.glr
if [ ! -f "$data" ]; then
	"$GL_BENCH/train_gen" "$data" "$users" 2000 200 4 0.7 5 >"$data.floor"
fi
floor=$(sed -n 's/.*floor_rmse=\([0-9.]*\).*/\1/p' "$data.floor")
n_train=$(goodlens-train --model als --epochs 1 --factors 1 -o "$BENCH_DIR" "$data" 2>&1 |
	sed -n 's/.* \([0-9]*\) training and.*/\1/p')
echo "data: $data ($(($(stat -c %s "$data") / 1048576)) MiB, $n_train training ratings, noise floor rmse $floor)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$BENCH_DIR/train-out
mkdir -p "$out"

# libmf_rate K: LIBMF's updates per second at K factors, 1 thread (above);
# prints LIBMF's and goodlens' valid RMSE on the way (to stderr)
libmf_rate() {
	local k=$1 a b best=0 r
	if [ -z "${LIBMF:-}" ]; then
		[ "$k" = 32 ] && echo 20000000 || echo 7300000
		return
	fi
	for _ in $(seq "$repeat"); do
		a=$( { /usr/bin/time -f %e "$LIBMF" -s 1 -k "$k" -t 1 "$lm/tr.txt" "$lm/m" >/dev/null; } 2>&1)
		b=$( { /usr/bin/time -f %e "$LIBMF" -s 1 -k "$k" -t 21 -p "$lm/va.txt" "$lm/tr.txt" "$lm/m" >"$lm/log"; } 2>&1)
		r=$(awk -v a="$a" -v b="$b" -v n="$n_train" 'BEGIN { printf "%.0f", (b > a ? n * 20 / (b - a) : 0) }')
		if [ "$r" -gt "$best" ]; then best=$r; fi
	done
	goodlens-train -q --model mf --adaptive --factors "$k" --epochs 20 -o "$out" "$data"
	printf '  LIBMF k=%d: %sM updates/s, valid rmse %s after 20 iterations; goodlens mf --adaptive after 20 epochs: %s\n' \
		"$k" "$(m "$best")" "$(awk 'END { print $3 }' "$lm/log")" \
		"$(awk -F, '$1 == "mf" && $2 == "0" { print $3 }' "$out/train.summary.csv")" >&2
	echo "$best"
}
if [ -n "${LIBMF:-}" ]; then
	lm=$BENCH_DIR/train-libmf
	mkdir -p "$lm"
	goodlens-export ratings-csv --format fastai --out "$lm/all.csv" "$data" 2>/dev/null
	awk -F, -v d="$lm" 'NR > 1 { print $1, $2, $3 > (d ($4 == 1 ? "/va.txt" : "/tr.txt")) }' "$lm/all.csv"
	echo "LIBMF: $LIBMF"
fi

for k in 32 128; do
	fl=$(ref_rate "$k")
	for th in 1 2; do
		speed "mf k=$k threads=$th (10 epochs)" --model mf --factors "$k" --epochs 10 --threads "$th"
		printf '  mf k=%d threads=%d: %sM updates/s (training passes; validation %.2f s over %d epochs apart; %sM per CPU-second); reference (dot products only, 1 thread) %sM/s; ratio %s; peak %d MiB\n' \
			"$k" "$th" "$(m "$RATE")" "$VSECS" "$EPOCHS" "$(m "$CPURATE")" "$(m "$fl")" "$(ratio "$RATE" "$fl")" "$PEAK"
		if [ "$th" = 1 ]; then one=$RATE; fi
	done
	printf '  mf k=%d: 2 threads / 1 thread = %s\n' "$k" "$(ratio "$RATE" "$one")"
	if [ "$k" = 32 ]; then
		target "mf k=32 1 thread, M updates/s" "$(m "$one")" '>=' 22
		target "mf k=32 2 threads / 1 thread" "$(ratio "$RATE" "$one")" '>=' 1
	else
		target "mf k=128 1 thread, M updates/s" "$(m "$one")" '>=' 9.5
	fi
	# --adaptive, 1 thread, against the plain kernel's 1-thread rate above
	libmf=$(libmf_rate "$k")
	speed "mf --adaptive k=$k threads=1 (10 epochs)" --model mf --adaptive --factors "$k" \
		--epochs 10 --threads 1
	printf '  mf --adaptive k=%d threads=1: %sM updates/s (%sM per CPU-second); / plain kernel %s; peak %d MiB\n' \
		"$k" "$(m "$RATE")" "$(m "$CPURATE")" "$(ratio "$RATE" "$one")" "$PEAK"
	target "mf --adaptive k=$k 1 thread, M updates/s (LIBMF)" "$(m "$RATE")" '>=' "$(m "$libmf")"
done

fl=$(ref_rate 50)
speed "dot fastai settings, sparse (5 epochs)" --model dot
printf '  dot k=50 sparse Adam bs 64: %sM ratings/s (validation %.2f s apart; %sM per CPU-second); reference %sM/s; ratio %s; peak %d MiB\n' \
	"$(m "$RATE")" "$VSECS" "$(m "$CPURATE")" "$(m "$fl")" "$(ratio "$RATE" "$fl")" "$PEAK"
target "dot fastai settings, M ratings/s" "$(m "$RATE")" '>=' 2

speed "als k=32 threads=2 (10 epochs)" --model als --threads 2
printf '  als k=32 threads=2: %sM ratings/s per epoch; peak %d MiB\n' "$(m "$RATE")" "$PEAK"

speed "nn fastai settings (5 epochs, bs 64)" --model nn
printf '  nn fastai settings: %sM ratings/s; peak %d MiB\n' "$(m "$RATE")" "$PEAK"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "accuracy against the noise floor ($floor):"
acc() { # label, bound (the most over the floor, e.g. 1.03; - for none), args...
	local label=$1 bound=$2 r
	shift 2
	goodlens-train -q "$@" -o "$out" "$data"
	r=$(awk -F, '$2 == "0" { print $3 }' "$out/train.summary.csv")
	awk -v f="$floor" -v l="$label" -v r="$r" 'BEGIN { printf "  %-48s rmse %.4f  %+.1f%% of floor\n", l, r, 100 * (r / f - 1) }'
	if [ "$bound" != - ]; then
		target "$label: rmse / floor" "$(awk -v r="$r" -v f="$floor" 'BEGIN { if (r != "") printf "%.4f", r / f }')" '<=' "$bound"
	fi
	target "$label: rmse / floor, no leak" "$(awk -v r="$r" -v f="$floor" 'BEGIN { if (r != "") printf "%.4f", r / f }')" '>=' 0.99
}
acc "dot fastai defaults (k=50)" - --model dot
acc "dot k=4 wd 0.01 16 epochs (rest fastai)" 1.03 --model dot --factors 4 --wd 0.01 --epochs 16
acc "mf k=4 wd 0.03 cosine 40 epochs" 1.03 --model mf --factors 4 --wd 0.03 --epochs 40 --schedule cosine
acc "mf k=4 wd 0.03 cosine 40 epochs, 2 threads" 1.03 --model mf --factors 4 --wd 0.03 --epochs 40 \
	--schedule cosine --threads 2
acc "als k=4 wd 0.05" 1.03 --model als --factors 4 --wd 0.05 --threads 2
acc "nn fastai defaults" - --model nn
acc "nn emb 8, layers 100, bs 256 lr 1e-2 wd 0.02 10 epochs" 1.06 --model nn --emb-size 8 --layers 100 --bs 256 --lr 1e-2 --wd 0.02 --epochs 10
awk -F, '$1 == "biases" { printf "  %-48s rmse %.4f\n", "(biases only)", $3 }' "$out/train.summary.csv"
