# bench/train.sh - goodlens-train speed, memory and accuracy on a planted
# 1M-rating file (5,000 users x 2,000 items x 200 ratings, planted rank 4,
# noise 0.7, 20% validation), against floors measured in the same run.
#
# Speed: rating updates per second = training ratings x epochs / the
# epochs' seconds in metrics.csv (which include each epoch's validation
# pass, so the figure is conservative).  The floor is train_floor: one
# pass over the same ratings in the same order computing the k-dim dot
# products only, no update.  Accuracy: valid RMSE against the planted noise
# floor.  Peak RSS of each run is printed beside the size of the file.
set -eu
. "$(dirname "$0")/lib.sh"

scale=${BENCH_SCALE:-1}
users=$(awk -v s="$scale" 'BEGIN { printf "%d", 5000 * s }')
[ "$users" -ge 100 ] || users=100
data=$BENCH_DIR/train-planted-$users.glr
if [ ! -f "$data" ]; then
	"$GL_BENCH/train_gen" "$data" "$users" 2000 200 4 0.7 5 >"$data.floor"
fi
floor=$(sed -n 's/.*floor_rmse=\([0-9.]*\).*/\1/p' "$data.floor")
n_train=$(goodlens-train --model als --epochs 1 --factors 1 -o "$BENCH_DIR" "$data" 2>&1 |
	sed -n 's/.* \([0-9]*\) training and.*/\1/p')
echo "data: $data ($(($(stat -c %s "$data") / 1048576)) MiB, $n_train training ratings, noise floor rmse $floor)"
out=$BENCH_DIR/train-out
mkdir -p "$out"

rate() { # metrics.csv -> training ratings per second over its epochs
	awk -F, -v n="$n_train" 'NR > 1 { s += $6; e++ } END { printf "%.0f", n * e / s }' "$1"
}

floor_rate() {
	"$GL_BENCH/train_floor" "$data" "$1" 5 | sed -n 's/dots_per_s=\([0-9]*\).*/\1/p'
}

for k in 32 128; do
	fl=$(floor_rate "$k")
	for th in 1 2; do
		timed "mf k=$k threads=$th (10 epochs)" goodlens-train -q --model mf --factors "$k" \
			--epochs 10 --threads "$th" -o "$out" "$data"
		r=$(rate "$out/metrics.csv")
		printf '  mf k=%d threads=%d: %.1fM updates/s; floor (dot products only, 1 thread) %.1fM/s; ratio %s; peak %d MiB\n' \
			"$k" "$th" "$(awk -v r="$r" 'BEGIN{print r/1e6}')" "$(awk -v r="$fl" 'BEGIN{print r/1e6}')" \
			"$(ratio "$r" "$fl")" "$TIMED_MB"
	done
done

timed "dot fastai settings, sparse (5 epochs)" goodlens-train -q --model dot -o "$out" "$data"
r=$(rate "$out/metrics.csv")
fl=$(floor_rate 50)
printf '  dot k=50 sparse Adam bs 64: %.2fM ratings/s; floor %.1fM/s; ratio %s; peak %d MiB\n' \
	"$(awk -v r="$r" 'BEGIN{print r/1e6}')" "$(awk -v r="$fl" 'BEGIN{print r/1e6}')" "$(ratio "$r" "$fl")" "$TIMED_MB"

timed "als k=32 threads=2 (10 epochs)" goodlens-train -q --model als --threads 2 -o "$out" "$data"
printf '  als k=32 threads=2: %.2fM ratings/s per epoch\n' "$(awk -v r="$(rate "$out/metrics.csv")" 'BEGIN{print r/1e6}')"

timed "nn fastai settings (5 epochs, bs 64)" goodlens-train -q --model nn -o "$out" "$data"
printf '  nn: %.3fM ratings/s\n' "$(awk -v r="$(rate "$out/metrics.csv")" 'BEGIN{print r/1e6}')"

echo "accuracy against the noise floor ($floor):"
acc() { # label, args...
	local label=$1
	shift
	goodlens-train -q "$@" -o "$out" "$data"
	awk -F, -v f="$floor" -v l="$label" '$2 == "0" { printf "  %-44s rmse %.4f  %+.1f%% of floor\n", l, $3, 100 * ($3 / f - 1) }
		$1 == "biases" { b = $3 } END { printf "  %-44s rmse %.4f\n", "(biases only)", b }' "$out/train.summary.csv"
}
acc "dot fastai defaults (k=50)" --model dot
acc "dot k=4 wd 0.02 8 epochs" --model dot --factors 4 --wd 0.02 --epochs 8
acc "mf k=4 wd 0.03 cosine 40 epochs" --model mf --factors 4 --wd 0.03 --epochs 40 --schedule cosine
acc "als k=4 wd 0.05" --model als --factors 4 --wd 0.05 --threads 2
acc "nn fastai defaults" --model nn
acc "nn k=8 bs 256 lr 1e-2" --model nn --factors 8 --bs 256 --lr 1e-2
