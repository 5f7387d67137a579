# Failures leave the output folder as it was: a truncated gzip stream (cut
# at several points), a bad CRC, trailing garbage, a missing file - exit 1,
# a message naming the file, the earlier complete outputs byte-for-byte
# unchanged and no temporary left behind.  Usage errors exit 2.
goodlens-sample --format goodreads --out s -q --users 60 --items 50 --interactions 2000
gz=s/goodreads_interactions_dedup.json.gz
goodlens-extract -q --out out "$gz" s/goodreads_books.json.gz
cp -r out good
size=$(stat -c %s "$gz")

# fail NAME FILE WANT-IN-MESSAGE: the run must fail with exit 1 and leave out/ as it was
fail() {
	local status=0
	goodlens-extract -q --out out "$2" s/goodreads_books.json.gz 2>err || status=$?
	if [ "$status" != 1 ]; then echo "FAIL $1: exit $status"; cat err; return 1; fi
	grep -q -- "$3" err || { echo "FAIL $1: message"; cat err; return 1; }
	diff -r good out >/dev/null || { echo "FAIL $1: outputs changed"; return 1; }
	test -z "$(find out -mindepth 1 -maxdepth 1 -name '.*')" || { echo "FAIL $1: temporaries left"; ls -A out; return 1; }
	echo "ok $1: $(head -n 1 err)"
}

for cut in 5 30 $((size / 3)) $((size / 2)) $((size - 9)) $((size - 1)); do
	head -c "$cut" "$gz" >cut.json.gz
	fail "cut at $cut of $size" cut.json.gz "cut.json.gz"
done
grep -q 'truncated gzip stream' err
# a flipped byte in the CRC-32 of the trailer
python3 - "$gz" crc.json.gz <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[-8] ^= 0xff
open(sys.argv[2], "wb").write(d)
PY
fail "bad crc" crc.json.gz "corrupt gzip data"
# deflate data damaged in the middle
python3 - "$gz" mid.json.gz <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for k in range(len(d) // 2, len(d) // 2 + 64):
    d[k] ^= 0x5a
open(sys.argv[2], "wb").write(d)
PY
fail "damaged data" mid.json.gz "mid.json.gz"
{ cat "$gz"; printf 'garbage'; } >trail.json.gz
fail "trailing garbage" trail.json.gz "trailing garbage after gzip data"
fail "missing file" nosuch.json.gz "cannot open nosuch.json.gz"

# two gzip members in a row are one stream
{ zcat "$gz" | sed -n 1,700p | gzip; zcat "$gz" | tail -n +701 | gzip; } >two.json.gz
goodlens-extract -q --out two two.json.gz
cmp two/ratings.raw.glr good/ratings.raw.glr

# usage errors: exit 2
st=0; goodlens-extract --out u - <"$gz" 2>err || st=$?; test $st = 2; grep -q 'needs --source' err
st=0; goodlens-extract --out u s/goodreads_books.json.gz /etc/hostname 2>err || st=$?; test $st = 2
grep -q 'cannot tell what kind of file' err
goodlens-sample --format ml-100k --out m -q --users 20 --items 20 --interactions 100
st=0; goodlens-extract --out u "$gz" m/u.data 2>err || st=$?; test $st = 2; grep -q 'separate runs' err
st=0; goodlens-extract --out u --max-bad 101% "$gz" 2>err || st=$?; test $st = 2
st=0; goodlens-extract --out u --source nosuch "$gz" 2>err || st=$?; test $st = 2
st=0; goodlens-extract "$gz" 2>err || st=$?; test $st = 2; grep -q -- '--out DIR is required' err
test ! -e u || test -z "$(ls -A u)"
goodlens-extract --help >out.txt
grep -q -- '--sort-mem' out.txt
goodlens-extract --version >out.txt
grep -q '^goodlens-extract ' out.txt
echo "failures ok"
