# Seeds for fuzz_goodbooks: the first byte picks ratings (0), to_read (1)
set -eu
# or books (2) of the goodbooks sample, books.csv in both headers.
bin=$1 dir=$2 tmp=$3
mkdir -p "$dir/goodbooks"
"$bin/goodlens-sample" --format goodbooks --out "$tmp/gb" -q --seed 5 \
	--users 20 --items 15 --interactions 100 --goodbooks-order book
i=0
for f in ratings to_read books; do
	{ printf "%b" "\\x0$i"; head -n 6 "$tmp/gb/$f.csv"; } >"$dir/goodbooks/$f.csv"
	i=$((i + 1))
done
# the older books.csv header: id,book_id,... instead of book_id,goodreads_book_id,...
{ printf '\x02'; head -n 4 "$tmp/gb/books.csv" | sed '1s/^book_id,goodreads_book_id,/id,book_id,/'; } \
	>"$dir/goodbooks/books-old.csv"
# the older ratings.csv column order
{ printf '\x00'; echo book_id,user_id,rating; echo 1,3,4; echo 2,3,5; } >"$dir/goodbooks/ratings-old.csv"
