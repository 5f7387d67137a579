# filter_inner_sqlite: extract -> goodlens-join --kind inner -> goodlens-filter
# --inner --min-user-ratings 5 --min-item-ratings 5 --split none ->
# goodlens-export ratings-csv gives exactly the rows SQLite gives for
# `r JOIN books USING (book_id) WHERE rating > 0` followed by the iterative
# 5-core, on a Goodreads sample whose books file lacks 15% of the rated
# books.  SQLite reads the raw JSON (turned into CSV by Python's json
# module), not goodlens' outputs.  The same pipeline with a left join and no
# --inner (the recipes' way) keeps ratings SQLite's inner join drops.
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: run make deps"; exit 77; }

goodlens-sample --format goodreads --out raw -q --users 900 --items 700 --interactions 9000 \
	--missing-books 0.15 --seed 5
python3 - <<'PY'
import csv, gzip, json
with open("r.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["user_id", "book_id", "rating"])
    pairs, n = set(), 0
    for line in gzip.open("raw/goodreads_interactions_dedup.json.gz", "rt", encoding="utf-8"):
        d = json.loads(line)
        w.writerow([d["user_id"], d["book_id"], d["rating"]])
        pairs.add((d["user_id"], d["book_id"]))
        n += 1
    # one rating per pair, so dedupe has nothing to choose and SQL needs none
    assert len(pairs) == n
with open("books.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["book_id", "title"])
    for line in gzip.open("raw/goodreads_books.json.gz", "rt", encoding="utf-8"):
        d = json.loads(line)
        w.writerow([d["book_id"], d["title"]])
PY

# ---- SQLite: inner join, then the 5-core to its fixed point -----------------
sqlite3 o.db ".import --csv r.csv r" ".import --csv books.csv books"
sqlite3 o.db "CREATE TABLE k AS SELECT user_id, book_id, CAST(rating AS INTEGER) AS rating
              FROM r JOIN books USING (book_id) WHERE CAST(rating AS INTEGER) > 0;"
joined=$(sqlite3 o.db "SELECT COUNT(*) FROM k;")
all=$(sqlite3 o.db "SELECT COUNT(*) FROM r WHERE CAST(rating AS INTEGER) > 0;")
passes=0
while :; do
	changed=$(sqlite3 o.db "DELETE FROM k
		WHERE user_id IN (SELECT user_id FROM k GROUP BY user_id HAVING COUNT(*) < 5)
		   OR book_id IN (SELECT book_id FROM k GROUP BY book_id HAVING COUNT(*) < 5);
		SELECT changes();")
	passes=$((passes + 1))
	if [ "$changed" = 0 ]; then break; fi
	if [ $passes -gt 200 ]; then echo "FAIL: the SQL k-core does not settle"; exit 1; fi
done
sqlite3 -csv o.db "SELECT user_id, book_id, rating FROM k;" | sort >want.txt
kept=$(wc -l <want.txt)
# the data must exercise both the join and the k-core
if [ "$joined" -ge "$all" ] || [ "$kept" -ge "$joined" ] || [ "$kept" = 0 ]; then
	echo "FAIL: a weak case: $all rated, $joined joined, $kept in the 5-core"
	exit 1
fi

# ---- goodlens ---------------------------------------------------------------
# rows of an export as user_id,book_id,rating through the filter's tables
keyed() { # DIR EXPORT
	rm -f k.db
	sqlite3 k.db ".import --csv $1/users.csv u" ".import --csv $1/items.csv i" ".import --csv $2 e"
	sqlite3 -csv k.db "SELECT u.user_id, i.book_id, CAST(e.rating AS INTEGER)
	                   FROM e JOIN u ON u.user = e.user JOIN i ON i.item = e.item;" | sort
}

goodlens-extract -q --out x raw/goodreads_interactions_dedup.json.gz raw/goodreads_books.json.gz
goodlens-join -q --kind inner --on book_id x/items.raw.csv x/books.csv -o x/items.inner.csv
goodlens-filter -q --inner --items x/items.inner.csv --users x/users.raw.csv \
	--min-user-ratings 5 --min-item-ratings 5 --split none -o f x/ratings.raw.glr
goodlens-export ratings-csv -o f/export.csv f/ratings.glr
keyed f f/export.csv >got.txt
if ! cmp -s want.txt got.txt; then
	echo "FAIL: goodlens and SQLite differ (< SQLite, > goodlens)"
	diff want.txt got.txt >got.diff || head -n 20 got.diff
	exit 1
fi

# the left join keeps the books without metadata: not SQL's inner join
goodlens-join -q --kind left --on book_id x/items.raw.csv x/books.csv -o x/items.titled.csv
goodlens-filter -q --items x/items.titled.csv --users x/users.raw.csv \
	--min-user-ratings 5 --min-item-ratings 5 --split none -o left x/ratings.raw.glr
goodlens-export ratings-csv -o left/export.csv left/ratings.glr
keyed left left/export.csv >left.txt
if cmp -s want.txt left.txt; then
	echo "FAIL: the left join gave SQL's inner-join rows: the case shows nothing"
	exit 1
fi
echo "$kept rows agree with SQLite (of $all rated, $joined joined; $passes SQL passes)"
