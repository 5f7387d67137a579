# Seeds for fuzz_movielens: the first byte picks the kind (byte % 6: u.data,
set -eu
# u.item, ratings.dat, movies.dat, ratings.csv, movies.csv) and the
# encoding (byte / 6 % 3: auto, utf8, latin1).
bin=$1 dir=$2 tmp=$3
mkdir -p "$dir/movielens"
for fmt in ml-100k ml-1m ml-10m ml-csv ml-kaggle; do
	"$bin/goodlens-sample" --format "$fmt" --out "$tmp/$fmt" -q --seed 5 \
		--users 15 --items 12 --interactions 60
done
seed() { # selector file name
	{ printf "%b" "\\x$(printf %02x "$1")"; head -n 6 "$2"; } >"$dir/movielens/$3"
}
seed 0 "$tmp/ml-100k/u.data" u.data
seed 1 "$tmp/ml-100k/u.item" u.item
seed 13 "$tmp/ml-100k/u.item" u.item-latin1
seed 2 "$tmp/ml-1m/ratings.dat" ratings-1m.dat
seed 3 "$tmp/ml-1m/movies.dat" movies-1m.dat
seed 2 "$tmp/ml-10m/ratings.dat" ratings-10m.dat
seed 9 "$tmp/ml-10m/movies.dat" movies-10m-utf8.dat
seed 4 "$tmp/ml-csv/ratings.csv" ratings.csv
seed 5 "$tmp/ml-csv/movies.csv" movies.csv
seed 4 "$tmp/ml-kaggle/rating.csv" rating-kaggle.csv
seed 5 "$tmp/ml-kaggle/movie.csv" movie-kaggle.csv
