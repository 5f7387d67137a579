# valgrind memcheck over the sample pipeline on a tiny sample: sample,
# extract, join, filter, train (dot, and als for its LAPACK path), report and
# export, each with no memory error and no definite or indirect leak (exit 99
# otherwise).  No suppressions are needed (OpenBLAS' thread pool is still
# reachable at exit, which is not counted).  valgrind cannot run an ASan
# build: under make test-sanitize this test is not applicable (a skip that
# CI accepts; make test runs it); without valgrind it is a skip.
. "$TESTS/e2e/lib.sh"
if sanitized; then
	not_applicable "sanitizer build: valgrind cannot run ASan binaries (make test runs this)"
fi
need valgrind
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --track-origins=yes "$@"
}
vg goodlens-sample --format goodreads --out s -q --users 30 --items 20 --interactions 300 --seed 2
vg goodlens-extract -q --out o s/goodreads_interactions_dedup.json.gz s/goodreads_books.json.gz \
	s/goodreads_book_works.json.gz s/goodreads_book_authors.json.gz
vg goodlens-join -q --on book_id --kind left o/items.raw.csv o/books.csv -o o/items.titled.csv \
	--stats o/join.stats.csv
vg goodlens-filter -q --users o/users.raw.csv --items o/items.titled.csv -o o o/ratings.raw.glr
mkdir -p als
vg goodlens-train -q --model als --epochs 2 --factors 4 -o als o/ratings.glr
vg goodlens-train -q --epochs 2 --factors 4 -o o o/ratings.glr
vg goodlens-report -q --in o
vg goodlens-export goodbooks -q --in o --out gb --books 10
# the outputs are real: a report over a trained model
grep -q '<svg ' o/report.html
test -s o/model.glm
test -s gb/books.csv
echo "valgrind: no errors, no leaks"
