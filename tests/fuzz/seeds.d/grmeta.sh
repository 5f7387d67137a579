# Seeds for fuzz_grmeta: the first byte picks books (0), works (1) or
set -eu
# authors (2); a few lines of each file of the goodreads sample.
dir=$2 tmp=$3
mkdir -p "$dir/grmeta"
i=0
for f in goodreads_books goodreads_book_works goodreads_book_authors; do
	{ printf "%b" "\\x0$i"; zcat "$tmp/raw/$f.json.gz" | head -n 3; } >"$dir/grmeta/$f.json"
	i=$((i + 1))
done
