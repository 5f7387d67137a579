# bench/models.sh - every model on every MovieLens layout goodlens-sample
# writes: valid RMSE, wall and CPU seconds, beside the planted noise floor.
#
# Layouts and sizes (users x movies x ratings, times BENCH_SCALE; the real
# dumps' sizes where a full run of every model takes minutes, not hours):
#   ml-100k   943 x 1,682 x 100,000        (the real ml-100k's)
#   ml-csv    610 x 9,742 x 100,836        (ml-latest-small's)
#   ml-1m     6,040 x 3,706 x 1,000,209    (the real ml-1m's)
#   ml-10m    14,000 x 5,000 x 2,000,000   (a fifth of ml-10m)
#   ml-kaggle 28,000 x 6,000 x 2,000,000   (a tenth of Kaggle's ml-20m)
# Each is extracted and filtered as the MovieLens recipes do (no k-core,
# 20% random validation, seed 42), then trained with: dot with the
# recipes' TRAIN_FLAGS (config/ml-*.mk), mf, als, nn and bpmf with their
# defaults, and the blend of dot, als and bpmf.  2 threads for every model
# (dot and nn use one).  Figures only, no targets: the models' accuracy
# bounds are tested in tests/ and bench/train.sh.
set -eu
. "$(dirname "$0")/lib.sh"

scale=${BENCH_SCALE:-1}
sz() { awk -v s="$scale" -v n="$1" -v m="$2" 'BEGIN { v = int(n * s); print (v < m ? m : v) }'; }
dot_flags="--wd-mode l2 --wd 4e-3 --epochs 8"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for layout in "ml-100k 943 1682 100000 ratings=u.data" "ml-csv 610 9742 100836 ratings=ratings.csv" \
	"ml-1m 6040 3706 1000209 ratings=ratings.dat" "ml-10m 14000 5000 2000000 ratings=ratings.dat" \
	"ml-kaggle 28000 6000 2000000 ratings=rating.csv"; do
	read -r fmt u i n file <<<"$layout"
	u=$(sz "$u" 50) i=$(sz "$i" 40) n=$(sz "$n" 2000)
	n=$(awk -v n="$n" -v c=$((u * i / 2)) 'BEGIN { print (n < c ? n : c) }') # small scales
	d=$BENCH_DIR/models/$fmt-$(sample_version)-$n
	if [ ! -s "$d/f/ratings.glr" ]; then
		rm -rf "$d"
		mkdir -p "$d/f"
		goodlens-sample -q --format "$fmt" --seed 19 --users "$u" --items "$i" \
			--interactions "$n" --out "$d/raw"
		goodlens-extract -q --out "$d/ex" "$d/raw/${file#ratings=}"
		goodlens-filter -q --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 \
			--seed 42 -o "$d/f" "$d/ex/ratings.raw.glr"
	fi
	floor=$(sed -n 's/^floor_rmse=//p' "$d/raw/planted.txt")
	echo "$fmt: $u users x $i movies x $n ratings; noise floor rmse $floor"
	for run in "dot|--model dot $dot_flags" "mf|--model mf --threads 2" "als|--model als --threads 2" \
		"nn|--model nn" "bpmf|--model bpmf --threads 2" "blend|--blend dot,als,bpmf --threads 2"; do
		name=${run%%|*}
		# shellcheck disable=SC2086 # the flags are words
		timed "  $name" env OPENBLAS_NUM_THREADS=1 goodlens-train -q ${run#*|} -o "$d/out" "$d/f/ratings.glr"
		awk -F, -v n="$name" -v f="$floor" -v c="$TIMED_CPU" -v w="$TIMED_S" \
			'$1 == n && ($2 == "0" || $2 == "all") {
				printf "  %-6s valid rmse %.4f  %+.1f%% of floor  %.1f s wall  %.1f s cpu\n",
					n, $3, 100 * ($3 / f - 1), w, c }' "$d/out/train.summary.csv"
	done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
