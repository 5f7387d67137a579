# bench/bpmf.sh - goodlens-train --model bpmf (Gibbs sampling): sweeps per
# second and peak memory at MovieLens 1M's size and on the 30M-line
# Goodreads dump of bench/pipeline.sh after its recipe's filter, and (at
# the ml-1m size) valid RMSE of bpmf, its implicit sides and a blend beside
# the other models.
#
# Data (made once under $BENCH_DIR, reused; BENCH_SCALE scales every size):
#   ml-1m size   goodlens-sample --format ml-1m at 6,040 users x 3,706 movies x
#                1,000,209 ratings (the ml-1m recipe's seed), extracted and
#                filtered with the recipe's settings (random 20% validation)
#   30M lines    the dump bench/pipeline.sh generates (the same command, so
#                the two share it), through pipeline.mk's extract, join and
#                filter of the goodreads recipe; training stops there
# Speed: a sweep draws every user, then every item (and the implicit
# factors); sweeps per second = 1 / the mean training seconds per sweep
# read from goodlens-train's per-epoch log lines (the validation pass after
# each sweep is timed apart), best of BENCH_REPEAT runs (default 1), with
# the rate per CPU-second of the process beside it (steadier when the
# machine is shared).  BPMF_ACCURACY=0 skips the accuracy runs (about 15
# minutes at full size on one core).
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/train_lib.inc"
here=$(cd "$(dirname "$0")" && pwd)

scale=${BENCH_SCALE:-1}
# shellcheck disable=SC2034 # read by speed (train_lib.inc)
repeat=${BENCH_REPEAT:-1}
# bpmf (like als) runs OpenBLAS single-threaded inside its own threads; a
# pool started at load would only spin (bench/train_lib.inc says more).
export OPENBLAS_NUM_THREADS=1
sz() { awk -v s="$scale" -v n="$1" -v m="$2" 'BEGIN { v = int(n * s); print (v < m ? m : v) }'; }
sweeps_per_s() { awk -v r="$1" -v n="$n_train" 'BEGIN { printf "%.3f", r / n }'; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- MovieLens 1M size --------------------------------------------------------

users=$(sz 6040 100) items=$(sz 3706 60) lines=$(sz 1000209 3000)
d=$BENCH_DIR/bpmf/ml1m-$lines
if [ ! -s "$d/f/ratings.glr" ]; then
	rm -rf "$d"
	mkdir -p "$d/f"
	timed "generate ml-1m layout, $lines ratings (not a figure)" goodlens-sample -q --format ml-1m \
		--seed 19 --users "$users" --items "$items" --interactions "$lines" --out "$d/raw"
	goodlens-extract -q --out "$d/ex" "$d/raw/ratings.dat" "$d/raw/movies.dat"
	goodlens-filter -q --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42 \
		-i "$d/ex/items.raw.csv" -u "$d/ex/users.raw.csv" -o "$d/f" "$d/ex/ratings.raw.glr"
fi
data=$d/f/ratings.glr
out=$d/out
mkdir -p "$out"
n_train=$(goodlens-train --model als --epochs 1 --factors 1 -o "$out" "$data" 2>&1 |
	sed -n 's/.* \([0-9]*\) training and.*/\1/p')
floor=$(sed -n 's/^floor_rmse=//p' "$d/raw/planted.txt")
echo "ml-1m size: $data ($n_train training ratings, noise floor rmse $floor)"

for run in "16 1 none" "16 2 none" "32 2 none" "16 2 items" "16 2 both"; do
	read -r k th side <<<"$run"
	speed "bpmf k=$k threads=$th implicit $side (10 sweeps)" --model bpmf --factors "$k" \
		--threads "$th" --implicit-side "$side" --sweeps 10 --burn-in 5
	printf '  bpmf k=%d threads=%d implicit %s: %s sweeps/s (%sM ratings/s; %s sweeps per CPU-second); peak %d MiB\n' \
		"$k" "$th" "$side" "$(sweeps_per_s "$RATE")" "$(m "$RATE")" "$(sweeps_per_s "$CPURATE")" "$PEAK"
done

if [ "${BPMF_ACCURACY:-1}" = 1 ]; then
	echo "accuracy at the ml-1m size (valid RMSE; noise floor $floor; wall and CPU seconds):"
	acc() { # label, model name in train.summary.csv, args...
		local label=$1 name=$2
		shift 2
		timed "  $label" goodlens-train -q --threads 2 "$@" -o "$out" "$data"
		awk -F, -v n="$name" -v l="$label" -v f="$floor" -v c="$TIMED_CPU" \
			'$1 == n && ($2 == "0" || $2 == "all") { printf "  %-40s rmse %.4f  %+.1f%% of floor  cpu %s s\n", l, $3, 100 * ($3 / f - 1), c }' \
			"$out/train.summary.csv"
	}
	acc "dot (fastai defaults)" dot --model dot
	acc "mf defaults" mf --model mf
	acc "als defaults" als --model als
	acc "nn (fastai defaults)" nn --model nn
	acc "bpmf defaults (implicit side items)" bpmf --model bpmf
	acc "bpmf --implicit-side none" bpmf --model bpmf --implicit-side none
	acc "bpmf --implicit-side users" bpmf --model bpmf --implicit-side users
	acc "bpmf --prior gamma" bpmf --model bpmf --prior gamma
	acc "blend dot,mf,als,bpmf" blend --blend dot,mf,als,bpmf
	sed 's/^/    blend.csv: /' "$out/blend.csv"
fi

# ---- the 30M-line Goodreads dump, filtered --------------------------------------

lines=$(sz 30000000 100) items=$(sz 1000000 100) users=$(sz 115000 100)
raw=$BENCH_DIR/pipeline/raw-$lines
po=$BENCH_DIR/bpmf/goodreads-$lines
if [ ! -s "$raw/planted.txt" ]; then
	rm -rf "$raw"
	mkdir -p "$BENCH_DIR/pipeline"
	timed "generate $lines lines (not a figure; shared with bench/pipeline.sh)" goodlens-sample -q \
		--format goodreads --seed 7 --users "$users" --items "$items" --interactions "$lines" \
		--out "$raw"
fi
if ! make -C "$here/.." --no-print-directory -f pipeline.mk BIN="$GL_BIN" DATA=goodreads \
	RAW="$raw" OUT="$po" "$po/ratings.glr" >"$BENCH_DIR/bpmf/make-$lines.log" 2>&1; then
	tail -n 30 "$BENCH_DIR/bpmf/make-$lines.log" >&2
	exit 1
fi
data=$po/ratings.glr
out=$po/train
mkdir -p "$out"
n_train=$(goodlens-train --model als --epochs 1 --factors 1 -o "$out" "$data" 2>&1 |
	sed -n 's/.* \([0-9]*\) training and.*/\1/p')
echo "30M-line dump after the goodreads filter: $data ($(($(stat -c %s "$data") / 1048576)) MiB, $n_train training ratings)"
for run in "16 2 none" "16 2 items"; do
	read -r k th side <<<"$run"
	speed "bpmf k=$k threads=$th implicit $side (3 sweeps)" --model bpmf --factors "$k" \
		--threads "$th" --implicit-side "$side" --sweeps 3 --burn-in 1
	printf '  bpmf k=%d threads=%d implicit %s: %s sweeps/s (%sM ratings/s; %s sweeps per CPU-second); peak %d MiB\n' \
		"$k" "$th" "$side" "$(sweeps_per_s "$RATE")" "$(m "$RATE")" "$(sweeps_per_s "$CPURATE")" "$PEAK"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
