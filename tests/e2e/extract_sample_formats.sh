# Every interaction format goodlens-sample writes, extracted and checked
# rating by rating against an independent Python reading of the same files
# (tests/fixtures/extract/oracle.py), plus the counts of planted.txt, the
# metadata tables' row counts and clean stats.
fx=$TESTS/fixtures/extract
goodlens-sample --format all --out s -q --users 150 --items 120 --interactions 3000 --seed 7

# check NAME ORACLE-KIND "RATING FILES" "OTHER FILES"
check() {
	local name=$1 kind=$2 rated=$3 meta=$4
	local files=() ratings=() f
	for f in $rated; do ratings+=("s/$name/$f"); done
	files=("${ratings[@]}")
	for f in $meta; do files+=("s/$name/$f"); done
	goodlens-extract -q --out "o-$name" "${files[@]}"
	python3 "$fx/glrdump.py" "o-$name" >"o-$name/got.txt"
	python3 "$fx/oracle.py" "$kind" "${ratings[@]}" >"o-$name/want.txt"
	if ! cmp -s "o-$name/got.txt" "o-$name/want.txt"; then
		echo "FAIL $name: ratings differ from the oracle"
		diff "o-$name/want.txt" "o-$name/got.txt" | awk 'NR <= 10'
		return 1
	fi
	# every record kept, no problem counted (columns 10.. are the classes)
	awk -F, 'NR > 1 { if ($6 != $7) bad = 1; for (i = 10; i <= NF; i++) if ($i != 0) bad = 1 }
		END { exit bad }' "o-$name/extract.stats.csv" || {
		echo "FAIL $name: stats show skipped or repaired records"
		cat "o-$name/extract.stats.csv"
		return 1
	}
	local lines users
	lines=$(sed -n 's/^lines=//p' "s/$name/planted.txt")
	users=$(sed -n 's/^rated_users=//p' "s/$name/planted.txt")
	test "$(wc -l <"o-$name/got.txt")" -eq "$lines" || { echo "FAIL $name: not $lines ratings"; return 1; }
	test "$(($(wc -l <"o-$name/users.raw.csv") - 1))" -eq "$users" || { echo "FAIL $name: not $users users"; return 1; }
	echo "ok $name: $lines ratings, $users users"
}

check goodreads goodreads-json goodreads_interactions_dedup.json.gz \
	"goodreads_books.json.gz goodreads_book_works.json.gz goodreads_book_authors.json.gz"
check goodreads-csv goodreads-csv goodreads_interactions.csv "user_id_map.csv book_id_map.csv"
check goodbooks goodbooks "ratings.csv to_read.csv" books.csv
check ml-100k ml-udata u.data u.item
check ml-1m ml-dat ratings.dat movies.dat
check ml-10m ml-dat ratings.dat movies.dat
check ml-csv ml-csv ratings.csv movies.csv
check ml-kaggle ml-csv rating.csv movie.csv

# metadata tables: one row per input record, headers as documented
test "$(($(wc -l <o-goodreads/books.csv) - 1))" -eq "$(sed -n 's/^metadata_books=//p' s/goodreads/planted.txt)"
test "$(head -n 1 o-goodreads/books.csv)" = 'book_id,work_id,title,title_without_series,author_id,author_ids,publication_year,language_code,isbn,isbn13,average_rating,ratings_count,image_url,url'
test "$(head -n 1 o-ml-1m/movies.csv)" = 'movie_id,title,year,genres'
test "$(head -n 1 o-goodreads-csv/users.raw.csv)" = 'user,user_id_csv'
test "$(head -n 1 o-ml-csv/items.raw.csv)" = 'item,movie_id'
# the same movies from the three MovieLens text layouts carry the same titles
# once transcoded (ml-1m Latin-1, ml-10m UTF-8) - every title is valid UTF-8
for d in ml-100k ml-1m ml-10m ml-csv ml-kaggle goodbooks goodreads; do
	python3 -c "import sys; [open(f, encoding='utf-8').read() for f in sys.argv[1:]]" "o-$d"/*.csv
done
echo "all formats ok"
