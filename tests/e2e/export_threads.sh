# export_threads: goodlens-export formats its rows on several threads
# (lib/parwrite.h) and writes the same bytes at any count: every layout at
# --threads 1, 2 and 3 on a sample big enough for many chunks of rows, and
# the default count too.  A bad --threads is a usage error.
goodlens-sample --format goodreads --out raw --users 900 --items 3000 --interactions 200000 \
	--seed 5 --threads 2 -q
goodlens-extract -q --out ex raw/*.json.gz
goodlens-join -q --kind left --on book_id -o ex/items.titled.csv ex/items.raw.csv ex/books.csv
goodlens-filter -q --users ex/users.raw.csv --items ex/items.titled.csv --item-key work \
	--min-user-ratings 5 --min-item-ratings 5 -o f ex/ratings.raw.glr
for j in 1 2 3 default; do
	t=(--threads "$j")
	if [ "$j" = default ]; then t=(); fi
	for fmt in fastai libmf movielens; do
		goodlens-export -q "${t[@]}" ratings-csv --format "$fmt" -o "r-$fmt-$j.csv" f/ratings.glr
	done
	goodlens-export -q "${t[@]}" ratings-csv --subset valid -o "valid-$j.csv" f/ratings.glr
	goodlens-export -q "${t[@]}" ucsd-csv --in ex --out "u-$j"
	goodlens-export -q "${t[@]}" goodbooks --books 500 --in ex --out "g-$j"
done
# many chunks: more rows than several chunks of 32768 ratings hold
rows=$(($(wc -l <r-fastai-1.csv) - 1))
if [ "$rows" -lt 100000 ]; then
	echo "FAIL: only $rows rows exported; the sample is too small to cut into chunks" >&2
	exit 1
fi
for j in 2 3 default; do
	for fmt in fastai libmf movielens; do cmp "r-$fmt-1.csv" "r-$fmt-$j.csv"; done
	cmp valid-1.csv "valid-$j.csv"
	for f in goodreads_interactions.csv user_id_map.csv book_id_map.csv; do cmp "u-1/$f" "u-$j/$f"; done
	for f in ratings.csv to_read.csv books.csv; do cmp "g-1/$f" "g-$j/$f"; done
done
# the rows are the file's: one per rating, user ids ascending
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("r-fastai-1.csv")))
users = [int(r["user"]) for r in rows]
assert users == sorted(users), "rows out of user order"
assert {r["is_valid"] for r in rows} == {"0", "1"}
titled = sum(1 for r in rows if r["title"])
assert titled > 0.9 * len(rows), ("titles missing", titled, len(rows))
PY
for bad in 0 65 x; do
	set +e
	goodlens-export -q --threads "$bad" ratings-csv -o bad.csv f/ratings.glr 2>err.txt
	st=$?
	set -e
	if [ "$st" != 2 ]; then
		echo "FAIL: --threads $bad exited $st, expected 2" >&2
		exit 1
	fi
	grep -q -- '--threads' err.txt
done
