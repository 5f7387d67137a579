# bench/train_rank.sh - what the ranking metrics over the whole catalogue
# (train/train_metrics.h) cost beside training: the seconds of goodlens-train's
# "ranked N items for U users in S s" log line against the seconds of its
# epochs' training passes, in the same run.
#
# 1. MovieLens 1M's size: goodlens-sample's ml-1m layout (6,040 users,
#    3,706 movies, 1,000,209 ratings, times BENCH_SCALE), dot with fastai's
#    settings (5 epochs), 1 thread.
# 2. A catalogue of 1M items: train_gen's planted file of 20,000 users x
#    1,000,000 items x 100 ratings (times BENCH_SCALE), mf k=32 10 epochs, 1
#    thread; users x catalogue is past the 2^30 pairs the ranking takes, so
#    it ranks a sample of the users (the log says how many).
set -eu
. "$(dirname "$0")/lib.sh"

scale=${BENCH_SCALE:-1}
out=$BENCH_DIR/train-rank
mkdir -p "$out"

# share LABEL DATA ARGS...: train, then print training seconds, ranking
# seconds and their ratio.
share() {
	local label=$1 data=$2
	shift 2
	if ! OPENBLAS_NUM_THREADS=1 goodlens-train "$@" -o "$out" "$data" 2>"$out/log"; then
		echo "$label: failed: goodlens-train $*" >&2
		cat "$out/log" >&2
		return 1
	fi
	local train rank users items
	train=$(sed -n 's/.*(train \([0-9.]*\) s, .*/\1/p' "$out/log" | awk '{ s += $1 } END { printf "%.3f", s }')
	rank=$(sed -n 's/.*: ranked [0-9]* items for [0-9]* users in \([0-9.]*\) s.*/\1/p' "$out/log" | tail -n 1)
	users=$(sed -n 's/.*: ranked [0-9]* items for \([0-9]*\) users.*/\1/p' "$out/log" | tail -n 1)
	items=$(sed -n 's/.*: ranked \([0-9]*\) items for.*/\1/p' "$out/log" | tail -n 1)
	printf '  %s: training passes %s s; ranking %s items for %s users %s s; ranking / training %s\n' \
		"$label" "$train" "$items" "$users" "$rank" "$(ratio "$rank" "$train")"
	grep "ranking metrics over" "$out/log" | sed 's/^/    /' || :
}

users=$(awk -v s="$scale" 'BEGIN { n = int(6040 * s); print (n < 200 ? 200 : n) }')
items=$(awk -v s="$scale" 'BEGIN { n = int(3706 * s); print (n < 150 ? 150 : n) }')
lines=$(awk -v s="$scale" 'BEGIN { n = int(1000209 * s); print (n < 20000 ? 20000 : n) }')
d=$BENCH_DIR/rank-ml1m-$users-$lines
if [ ! -s "$d/f/ratings.glr" ]; then
	rm -rf "$d"
	mkdir -p "$d/f"
	goodlens-sample -q --format ml-1m --out "$d/raw" --users "$users" --items "$items" \
		--interactions "$lines" --min-per-user 20 --seed 1
	goodlens-extract -q --out "$d/ex" "$d/raw/ratings.dat" "$d/raw/movies.dat"
	goodlens-filter -q -i "$d/ex/items.raw.csv" -u "$d/ex/users.raw.csv" -o "$d/f" \
		"$d/ex/ratings.raw.glr"
fi
echo "ml-1m size: $users users, $items items, $lines ratings"
share "dot fastai settings, 5 epochs" "$d/f/ratings.glr" --model dot

gu=$(awk -v s="$scale" 'BEGIN { n = int(20000 * s); print (n < 100 ? 100 : n) }')
gi=$(awk -v s="$scale" 'BEGIN { n = int(1000000 * s); print (n < 1000 ? 1000 : n) }')
big=$BENCH_DIR/rank-planted-$gu-$gi.glr
[ -s "$big" ] || "$GL_BENCH/train_gen" "$big" "$gu" "$gi" 100 4 0.7 5 >/dev/null
echo "1M-item catalogue: $gu users x $gi items x 100 ratings"
share "mf k=32, 10 epochs" "$big" --model mf --epochs 10
