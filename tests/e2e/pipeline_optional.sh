# Optional raw files (a recipe's OPTIONAL_FILES): every recipe runs on its
# required files alone, says once in the log and once in the report what
# each missing file changes, and uses the file again when it comes back.
#   - goodreads with only interactions + books: the same model; no works.csv
#     or authors.csv in OUT, so make kaggle's books.csv has no work columns
#     and no author names; deleting the files after a run reruns every stage
#     and removes the stale tables, restoring one reruns them again;
#   - goodbooks-10k without to_read.csv: fewer records read, no shelved row
#     dropped, the same ratings out; without books.csv: no titles, no join;
#   - MovieLens (u.item, movies.dat, movies.csv) without the movies: no
#     titles; goodreads-csv without user_id_map.csv;
#   - make fetch still fetches the optional files (goodbooks-10k from
#     file:// addresses), and a zip without an optional member is no failure.
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# run NAME RECIPE RAW OUT [make args...]: the pipeline into OUT; log NAME.log
run() {
	local n=$1 r=$2 raw=$3 out=$4
	shift 4
	rm -f "$out/stage.times"
	mk pipeline-run DATA="$r" SYNTH=1 RAW="$raw" OUT="$out" TIMES=1 "$@" >"$n.log" 2>&1 ||
		{ tail -n 30 "$n.log"; fail "$n: the pipeline failed"; }
	test -s "$out/report.html" || fail "$n: no report.html"
}
# has FILE TEXT: FILE contains TEXT exactly once (in a log: the note, not
# make's echo of the report command, which holds it too); lacks: never.
has() {
	local got
	got=$(grep -cF -- "$2" "$1" || true)
	[ "$got" = 1 ] || fail "$1 has '$2' $got times, expected once"
}
lacks() { if grep -qF -- "$2" "$1"; then fail "$1 has '$2'"; fi; }
# ran OUT STAGES: exactly these stages ran in the last run (TIMES=1 appends
# a line per stage run: no stage.times when none ran).
ran() {
	local got=
	if [ -e "$1/stage.times" ]; then
		got=$(cut -d' ' -f1 "$1/stage.times" | tr '\n' ' ')
		got=${got% }
	fi
	[ "$got" = "$2" ] || fail "$1: ran '$got', expected '$2'"
}
# col CSV NAME: how many rows of CSV have a non-empty NAME column.
col() {
	python3 -c 'import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r.get(sys.argv[2])))' "$1" "$2"
}
# step OUT STEP: the rows column of filter.stats.csv's STEP row.
step() { awk -F, -v s="$2" '$1 == s { print $2 }' "$1/filter.stats.csv"; }

mk all >/dev/null

# ---- goodreads: interactions + books are enough ---------------------------
raw=$SCRATCH/gr/raw out=$SCRATCH/gr/out
run gr-full goodreads "$raw" "$out"
lacks gr-full.log "not found"
test -s "$out/works.csv" && test -s "$out/authors.csv" || fail "goodreads: no works.csv or authors.csv"
cp "$out/items.csv" items.full.csv
cp "$out/filter.stats.csv" filter.full.csv
mk kaggle DATA=goodreads SYNTH=1 RAW="$raw" OUT="$out" >kaggle.log 2>&1 || { cat kaggle.log; fail "kaggle"; }
books=$out/kaggle/goodbooks-10k/books.csv
[ "$(col "$books" original_title)" -gt 0 ] && [ "$(col "$books" authors)" -gt 0 ] ||
	fail "kaggle books.csv without original titles or authors though works and authors were read"

mkdir aside
mv "$raw/goodreads_book_works.json.gz" "$raw/goodreads_book_authors.json.gz" aside/
run gr-two goodreads "$raw" "$out"
ran "$out" "extract join filter train report"
has gr-two.log "pipeline: note: $raw/goodreads_book_works.json.gz not found: make kaggle's books.csv has no original titles"
has gr-two.log "pipeline: note: $raw/goodreads_book_authors.json.gz not found: make kaggle's books.csv has no author names"
has "$out/report.html" "<li>goodreads_book_works.json.gz not found: make kaggle&#39;s books.csv has no original titles"
has "$out/report.html" "<li>goodreads_book_authors.json.gz not found:"
if [ -e "$out/works.csv" ] || [ -e "$out/authors.csv" ]; then fail "stale works.csv or authors.csv left in OUT"; fi
# The model's data is the same: editions are merged by the books' work_id.
cmp items.full.csv "$out/items.csv" || fail "goodreads: items.csv changed without works"
cmp filter.full.csv "$out/filter.stats.csv" || fail "goodreads: filter.stats.csv changed without works"
mk kaggle DATA=goodreads SYNTH=1 RAW="$raw" OUT="$out" >kaggle.log 2>&1 || { cat kaggle.log; fail "kaggle without works"; }
[ "$(col "$books" original_title)" = 0 ] && [ "$(col "$books" authors)" = 0 ] ||
	fail "kaggle books.csv has original titles or authors from files that are gone"
# Nothing changed: nothing reruns, and the notes are said again.
run gr-again goodreads "$raw" "$out"
ran "$out" ""
has gr-again.log "pipeline: note: $raw/goodreads_book_works.json.gz not found"
# The works back: extract and everything after it again.
mv aside/goodreads_book_works.json.gz "$raw/"
run gr-works goodreads "$raw" "$out"
ran "$out" "extract join filter train report"
lacks gr-works.log "goodreads_book_works.json.gz not found"
has gr-works.log "pipeline: note: $raw/goodreads_book_authors.json.gz not found"
lacks "$out/report.html" "goodreads_book_works.json.gz not found"
test -s "$out/works.csv" || fail "works.csv not back"

# ---- goodbooks-10k: ratings.csv alone -------------------------------------
gb=$SCRATCH/gb
run gb-full goodbooks-10k "$gb/raw" "$gb/full"
lacks gb-full.log "not found"
mkdir -p "$gb/noread" "$gb/alone"
cp "$gb/raw/ratings.csv" "$gb/raw/books.csv" "$gb/raw/.sample.flags" "$gb/noread/"
cp "$gb/raw/ratings.csv" "$gb/raw/.sample.flags" "$gb/alone/"
run gb-noread goodbooks-10k "$gb/noread" "$gb/noread-out"
has gb-noread.log "pipeline: note: $gb/noread/to_read.csv not found: no shelved (to-read) rows"
lacks gb-noread.log "books.csv not found"
has "$gb/noread-out/report.html" "<li>to_read.csv not found: no shelved (to-read) rows"
# to_read.csv adds shelved rows that filter drops: more read, the same out.
full_read=$(awk -F, '$1 == "extract" && $2 == "read" { print $3 }' "$gb/full/funnel.csv")
noread_read=$(awk -F, '$1 == "extract" && $2 == "read" { print $3 }' "$gb/noread-out/funnel.csv")
[ "$full_read" -gt "$noread_read" ] || fail "goodbooks: read $full_read with to_read.csv, $noread_read without"
[ "$(step "$gb/full" input)" -gt "$(step "$gb/full" drop-zero)" ] || fail "goodbooks: no shelved row dropped"
[ "$(step "$gb/noread-out" input)" = "$(step "$gb/noread-out" drop-zero)" ] || fail "goodbooks: rows dropped without to_read.csv"
[ "$(step "$gb/full" output)" = "$(step "$gb/noread-out" output)" ] || fail "goodbooks: other ratings without to_read.csv"
[ "$(col "$gb/noread-out/items.csv" title)" -gt 0 ] || fail "goodbooks: no titles with books.csv"
# Without books.csv: no titles and no join, said in the report.
run gb-alone goodbooks-10k "$gb/alone" "$gb/alone-out"
has gb-alone.log "pipeline: note: $gb/alone/books.csv not found: the books have no titles"
has "$gb/alone-out/report.html" "<li>books.csv not found: the books have no titles"
has "$gb/alone-out/report.html" "has no <code>title</code> column"
hdr=$(head -n 1 "$gb/alone-out/items.csv")
[[ $hdr == item,book_id,n_ratings* ]] || fail "goodbooks: items.csv starts $hdr"
if [ -e "$gb/alone-out/join.stats.csv" ]; then fail "goodbooks: a join without books.csv"; fi

# ---- MovieLens: the ratings alone, in each layout -------------------------
for spec in ml-100k:u.item ml-1m:movies.dat ml-latest-small:movies.csv; do
	r=${spec%%:*} movies=${spec#*:} d=$SCRATCH/$r
	run "$r-full" "$r" "$d/raw" "$d/out"
	[ "$(col "$d/out/items.csv" title)" -gt 0 ] || fail "$r: no titles with $movies"
	test -s "$d/out/join.stats.csv" || fail "$r: no join.stats.csv"
	rm "$d/raw/$movies"
	run "$r-alone" "$r" "$d/raw" "$d/out"
	ran "$d/out" "extract join filter train report"
	has "$r-alone.log" "pipeline: note: $d/raw/$movies not found: the movies have no titles: the report names them by movie_id"
	has "$d/out/report.html" "<li>$movies not found: the movies have no titles"
	if grep -q '^item,movie_id,title' "$d/out/items.csv"; then fail "$r: titles without $movies"; fi
	if [ -e "$d/out/join.stats.csv" ] || [ -e "$d/out/movies.csv" ]; then
		fail "$r: join.stats.csv or movies.csv of the earlier run left in OUT"
	fi
done

# ---- goodreads-csv: the user id map is optional ---------------------------
g=$SCRATCH/gcsv
run gcsv-full goodreads-csv "$g/raw" "$g/out"
test -s "$g/out/user_id_map.csv" || fail "goodreads-csv: user_id_map.csv not copied"
rm "$g/raw/user_id_map.csv"
run gcsv-nomap goodreads-csv "$g/raw" "$g/out"
has gcsv-nomap.log "pipeline: note: $g/raw/user_id_map.csv not found: OUT has no user_id_map.csv"
if [ -e "$g/out/user_id_map.csv" ]; then fail "goodreads-csv: stale user_id_map.csv"; fi
[ "$(col "$g/out/items.csv" title)" -gt 0 ] || fail "goodreads-csv: no titles"

# ---- make fetch gets the optional files too -------------------------------
src=$SCRATCH/gbsrc
goodlens-sample -q --format goodbooks --seed 5 --users 40 --items 30 --interactions 300 --out "$src"
mk fetch DATA=goodbooks-10k RAW="$SCRATCH/gbfetch" GB="file://$src" >fetch.log 2>&1 || { cat fetch.log; fail "fetch"; }
for f in ratings.csv books.csv to_read.csv; do
	cmp "$src/$f" "$SCRATCH/gbfetch/$f" || fail "fetch: $f"
done
# A zip without an optional member: said, not a failure.
mkdir -p zip/ml-100k
goodlens-sample -q --format ml-100k --seed 5 --users 40 --items 30 --interactions 300 --out zip/ml-100k
rm zip/ml-100k/u.item
(cd zip && zip -qr ml-100k.zip ml-100k)
mk fetch DATA=ml-100k RAW="$SCRATCH/mlfetch" ARCHIVE_URL="file://$PWD/zip/ml-100k.zip" ARCHIVE_SIZE= \
	ARCHIVE_SHA256= ARCHIVE_MD5= ARCHIVE_MD5_URL= >fetch.log 2>&1 || { cat fetch.log; fail "fetch of a zip without u.item"; }
has fetch.log "has no ml-100k/u.item (optional: the pipeline runs without it)"
cmp zip/ml-100k/u.data "$SCRATCH/mlfetch/u.data" || fail "fetch: u.data"
echo "ok"
