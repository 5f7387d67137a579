# extract writes users.raw.csv, items.raw.csv and ratings.raw.glr on threads
# as soon as its last ratings file is read, while the files after it (the
# books) are still read.  Whatever the order of the files, on 1 or 2 parse
# threads, the outputs are byte for byte those of the ratings and of the
# books extracted apart; a books file that fails after the ratings (those
# threads running or done) leaves no output, no temporary, and an earlier
# extract in the folder untouched.
. "$TESTS/e2e/lib.sh"

goodlens-sample --format goodreads --out s -q --users 300 --items 200 --interactions 20000 --seed 9
b=s/goodreads_books.json.gz
# the interactions in two files (the name tells their kind)
mkdir i1 i2
zcat s/goodreads_interactions_dedup.json.gz >all.json
head -n 12000 all.json | gzip >i1/goodreads_interactions_dedup.json.gz
tail -n +12001 all.json | gzip >i2/goodreads_interactions_dedup.json.gz
r1=i1/goodreads_interactions_dedup.json.gz
r2=i2/goodreads_interactions_dedup.json.gz

goodlens-extract -q --out ratings "$r1" "$r2"
goodlens-extract -q --out books "$b"

# same OUT: OUT's ratings outputs are the ratings', its books.csv the books'
same() {
	local f
	for f in ratings.raw.glr users.raw.csv items.raw.csv; do
		cmp "ratings/$f" "$1/$f" || fail "$1/$f differs from the ratings extracted alone"
	done
	cmp books/books.csv "$1/books.csv" || fail "$1/books.csv differs from the books extracted alone"
	if [ -n "$(find "$1" -name '.*')" ]; then
		fail "temporaries left in $1: $(find "$1" -name '.*')"
	fi
}

for t in 1 2; do
	goodlens-extract -q --threads $t --out "a$t" "$r1" "$r2" "$b" # books after the ratings
	same "a$t"
	goodlens-extract -q --threads $t --out "m$t" "$r1" "$b" "$r2" # between them
	same "m$t"
	goodlens-extract -q --threads $t --out "f$t" "$b" "$r1" "$r2" # before them
	same "f$t"
done
echo "orders ok"

# books that fail after the ratings: a gzip stream cut in the middle
goodlens-extract -q --out good "$r1" "$r2" "$b"
(cd good && find . -type f -exec sha256sum {} + | sort) >before.sums
size=$(wc -c <"$b")
head -c $((size / 2)) "$b" >cut.json.gz
mkdir cut && mv cut.json.gz cut/goodreads_books.json.gz
for t in 1 2; do
	expect_status 1 goodlens-extract -q --threads $t --out good "$r1" "$r2" \
		cut/goodreads_books.json.gz 2>err
	grep -q 'cut/goodreads_books.json.gz' err || fail "no message naming the cut file: $(cat err)"
	(cd good && find . -type f -exec sha256sum {} + | sort) >after.sums
	cmp before.sums after.sums || fail "the earlier extract changed (threads $t)"
	if [ -n "$(find good -name '.*')" ]; then
		fail "temporaries left after the failure: $(find good -name '.*')"
	fi
	expect_status 1 goodlens-extract -q --threads $t --out fresh "$r1" "$r2" \
		cut/goodreads_books.json.gz 2>err
	if [ -n "$(ls -A fresh)" ]; then
		fail "a failed run left files in a new folder: $(ls -A fresh)"
	fi
done
echo "failure after the ratings ok"
