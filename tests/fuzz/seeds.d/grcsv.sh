# Seeds for fuzz_grcsv: the first byte picks interactions (0),
set -eu
# user_id_map (1) or book_id_map (2) of the goodreads-csv sample.
bin=$1 dir=$2 tmp=$3
mkdir -p "$dir/grcsv"
"$bin/goodlens-sample" --format goodreads-csv --out "$tmp/grcsv" -q --seed 5 \
	--users 20 --items 15 --interactions 100
i=0
for f in goodreads_interactions user_id_map book_id_map; do
	{ printf "%b" "\\x0$i"; head -n 12 "$tmp/grcsv/$f.csv"; } >"$dir/grcsv/$f.csv"
	i=$((i + 1))
done
