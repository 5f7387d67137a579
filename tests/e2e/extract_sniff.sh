# extract tells a file's kind from its first non-blank line, read from the
# first 64 KiB of the file (inflated into 256 KiB at most) without gzline;
# when no whole line lies in there (a longer first line, a gzip member that
# ends inside it, blank lines past that), gzline reads it as before.  Files
# here have neutral names, so only their first line can tell their kind:
# a byte order mark, blank lines and "\r\n" before it, a plain file, a CSV
# header, and the fallbacks, all give the outputs of the plain files.
. "$TESTS/e2e/lib.sh"

goodlens-sample --format goodreads --out s -q --users 80 --items 60 --interactions 3000 --seed 3
zcat s/goodreads_interactions_dedup.json.gz >r.json
zcat s/goodreads_books.json.gz >b.json
goodlens-extract -q --out ref s/goodreads_interactions_dedup.json.gz s/goodreads_books.json.gz

# check NAME RATINGS BOOKS: extract the two (named a and b) into NAME; the
# outputs must be ref's and the kinds in the stats goodreads-json and
# goodreads-books
check() {
	local f
	goodlens-extract -q --out "$1" "$2" "$3"
	for f in ratings.raw.glr users.raw.csv items.raw.csv books.csv; do
		cmp "ref/$f" "$1/$f" || fail "$1: $f differs"
	done
	cut -d, -f2 "$1/extract.stats.csv" | sed -n 2,3p | tr '\n' ' ' >kinds
	[ "$(cat kinds)" = "goodreads-json goodreads-books " ] || fail "$1: kinds $(cat kinds)"
	echo "ok $1"
}

mkdir plain bom member blank long
cp r.json plain/a
cp b.json plain/b
check plain-run plain/a plain/b

# a byte order mark, blank lines and "\r\n" before the first line (gzip)
{ printf '\357\273\277\n\r\n\n'; cat r.json; } | gzip >bom/a
{ printf '\r\n'; head -n 1 b.json | tr -d '\n'; printf '\r\n'; tail -n +2 b.json; } | gzip >bom/b
check bom-run bom/a bom/b

# the first line split over two gzip members: the first ends inside it
head -c 40 r.json | gzip >member/a
tail -c +41 r.json | gzip >>member/a
head -c 300 b.json | gzip >member/b
tail -c +301 b.json | gzip >>member/b
check member-run member/a member/b

# 300 KiB of blank lines first: no line in what is inflated at first
{ head -c 307200 /dev/zero | tr '\0' '\n'; cat r.json; } | gzip >blank/a
{ head -c 307200 /dev/zero | tr '\0' '\n'; cat b.json; } >blank/b
check blank-run blank/a blank/b

# a first line longer than 256 KiB: a books record with a long description
python3 - b.json >long/b <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rec = json.loads(lines[0])
rec["description"] = "x" * 300000
sys.stdout.write(json.dumps(rec, separators=(",", ":")) + "\n" + "\n".join(lines[1:]))
EOF
gzip -c r.json >long/a
goodlens-extract -q --out long-run long/a long/b
cut -d, -f2 long-run/extract.stats.csv | sed -n 2,3p | tr '\n' ' ' >kinds
[ "$(cat kinds)" = "goodreads-json goodreads-books " ] || fail "long: kinds $(cat kinds)"
cmp ref/ratings.raw.glr long-run/ratings.raw.glr || fail "long: ratings differ"
echo "ok long-run"

# a CSV header line ending in "\r\n", plain and gzip
mkdir csv
printf 'user_id,book_id,rating\r\n1,10,4\r\n2,10,5\r\n1,11,3\r\n' >csv/r
gzip -c csv/r >csv/rz
goodlens-extract -q --out csv-run csv/r
goodlens-extract -q --out csvz-run csv/rz
cmp csv-run/ratings.raw.glr csvz-run/ratings.raw.glr || fail "csv: gzip and plain differ"
kind=$(sed -n 2p csv-run/extract.stats.csv | cut -d, -f2)
[ "$kind" = goodbooks-ratings ] || fail "csv: kind $kind"
echo "ok csv"

# a gzip stream damaged before its first line ends is still gzline's to
# report, with its offset
head -c 20 s/goodreads_interactions_dedup.json.gz >bad.gz
head -c 3000 /dev/zero >>bad.gz
expect_status 1 goodlens-extract -q --out bad-run bad.gz 2>err
grep -q 'bad.gz' err || fail "no message naming bad.gz: $(cat err)"
cat err
