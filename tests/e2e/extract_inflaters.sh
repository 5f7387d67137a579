# The two inflaters (GL_INFLATE=zlib and GL_INFLATE=isal, one build) give
# the same outputs byte for byte, the same exit status and the same
# messages - offsets included - on every sample format gzip'd, several
# members, stdin, and every kind of damage; damaged deflate data alone may
# be noticed at different bytes.  Skips (77) in a build without ISA-L.
printf '\037\213' >probe.gz
st=0
GL_INFLATE=isal goodlens-extract -q --out probe --source goodreads-json probe.gz 2>probe.err ||
	st=$?
if grep -q 'an inflater this build lacks' probe.err; then
	echo "built without ISA-L (ISAL=0 or libisal-dev missing): nothing to compare"
	exit 77
fi

# GL_INFLATE picks the inflater (else these comparisons compare one with
# itself); without it the default is ISA-L.  probe.gz is a bare header.
for e in zlib isal best; do
	st=0
	if [ $e = best ]; then
		goodlens-extract -v --out v --source goodreads-json probe.gz 2>v.err || st=$?
		e=isal
	else
		GL_INFLATE=$e goodlens-extract -v --out v --source goodreads-json probe.gz 2>v.err || st=$?
	fi
	test "$st" = 1
	grep -q "probe.gz: gzip, inflated by $e\$" v.err ||
		{ echo "FAIL: not inflated by $e"; cat v.err; exit 1; }
done

# both NAME ARGS...: run goodlens-extract under each inflater into out-zlib
# and out-isal; the status, stderr and every output file must agree
both() {
	local name=$1 e
	shift
	for e in zlib isal; do
		rm -rf "out-$e"
		st=0
		GL_INFLATE=$e goodlens-extract -q --out "out-$e" "$@" 2>"err-$e" </dev/null || st=$?
		echo "$st" >"st-$e"
	done
	cmp -s st-zlib st-isal ||
		{ echo "FAIL $name: exit $(cat st-zlib) (zlib), $(cat st-isal) (isal)"; exit 1; }
	if [ -n "${LOOSE_OFFSET:-}" ]; then
		sed -i 's/ (byte [0-9]*)//' err-zlib err-isal
	fi
	cmp -s err-zlib err-isal || { echo "FAIL $name: messages differ"; diff err-zlib err-isal; exit 1; }
	if [ -d out-zlib ] || [ -d out-isal ]; then
		diff -r out-zlib out-isal >/dev/null || { echo "FAIL $name: outputs differ"; exit 1; }
	fi
	echo "ok $name: exit $(cat st-zlib)$(head -n 1 err-zlib | sed 's/^/, /')"
}

# ---- every format, gzip'd ----------------------------------------------------
goodlens-sample --format all --out s -q --users 300 --items 120 --interactions 30000 --seed 5
for f in $(find s -type f ! -name '*.gz' ! -name 'planted*' | sort); do gzip -k "$f"; done
both goodreads s/goodreads/*.json.gz
both goodreads-genre s/goodreads-genre/*.json.gz
both goodreads-csv s/goodreads-csv/goodreads_interactions.csv.gz
both goodbooks s/goodbooks/ratings.csv.gz s/goodbooks/books.csv.gz
both ml-100k s/ml-100k/u.data.gz s/ml-100k/u.item.gz
both ml-1m s/ml-1m/ratings.dat.gz s/ml-1m/movies.dat.gz
both ml-csv s/ml-csv/ratings.csv.gz s/ml-csv/movies.csv.gz

# ---- several members, header fields, stdin ---------------------------------
gz=s/goodreads/goodreads_interactions_dedup.json.gz
both "one member" "$gz"
cp -r out-isal one
zcat "$gz" >all.json
{ head -n 7000 all.json | gzip; sed -n '7001,7003p' all.json | gzip -1; gzip -c </dev/null;
  tail -n +7004 all.json | gzip -9; } >multi.json.gz
both members multi.json.gz
cmp out-zlib/ratings.raw.glr one/ratings.raw.glr
python3 - "$gz" named.json.gz <<'PY'
import gzip, sys, zlib
data = gzip.decompress(open(sys.argv[1], "rb").read())
hdr = bytearray(b"\x1f\x8b\x08\x1e\0\0\0\0\0\x03")    # FHCRC FEXTRA FNAME FCOMMENT
hdr += (3000).to_bytes(2, "little") + b"x" * 3000 + b"interactions.json\0" + b"made by hand\0"
hdr += (zlib.crc32(bytes(hdr)) & 0xffff).to_bytes(2, "little")
c = zlib.compressobj(6, zlib.DEFLATED, -15)
body = c.compress(data) + c.flush()
trailer = zlib.crc32(data).to_bytes(4, "little") + (len(data) & 0xffffffff).to_bytes(4, "little")
open(sys.argv[2], "wb").write(bytes(hdr) + body + trailer)
PY
both header-fields named.json.gz
cmp out-isal/ratings.raw.glr one/ratings.raw.glr
for e in zlib isal; do
	rm -rf "pipe-$e"
	GL_INFLATE=$e goodlens-extract -q --out "pipe-$e" --source goodreads-json - <multi.json.gz
	cmp "pipe-$e/ratings.raw.glr" one/ratings.raw.glr
done

# ---- damage: cut anywhere, trailer, header, garbage ------------------------
size=$(stat -c %s multi.json.gz)
for cut in 1 2 5 10 11 $((size / 7)) $((size / 3)) $((size / 2)) $((size - 9)) $((size - 8)) \
	$((size - 5)) $((size - 1)); do
	head -c "$cut" multi.json.gz >cut.json.gz
	both "cut at $cut of $size" cut.json.gz
done
grep -q 'truncated gzip stream' err-zlib
# flip AT FILE OUT [N]: OUT is FILE with N bytes (default 1) from AT
# (negative: from the end) xor 0x41
flip() {
	python3 - "$@" <<'PY'
import sys
at, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1
d = bytearray(open(src, "rb").read())
for k in range(at, at + n):
    d[k] ^= 0x41
open(dst, "wb").write(d)
PY
}
flip -8 multi.json.gz crc.json.gz
both "trailer CRC" crc.json.gz
grep -q 'corrupt gzip data: the member at byte [0-9]* inflates to data of CRC-32' err-zlib
flip -3 multi.json.gz len.json.gz
both "trailer length" len.json.gz
grep -q 'inflates to [0-9]* bytes but its trailer says' err-zlib
flip 3 named.json.gz flags.json.gz
both "reserved flags" flags.json.gz
flip 100 named.json.gz hcrc.json.gz
both "header CRC" hcrc.json.gz
grep -q 'the header CRC of the member at byte 0' err-zlib
{ cat "$gz"; printf 'garbage'; } >trail.json.gz
both "trailing garbage" trail.json.gz
{ cat "$gz"; head -c 512 /dev/zero; } >zeros.json.gz
both "zero padding" zeros.json.gz
{ cat "$gz"; printf '\037'; } >lone.json.gz
both "a lone 1f" lone.json.gz
grep -q 'trailing garbage after gzip data' err-zlib

# ---- damaged deflate data: same verdict, offsets may differ ----------------
# (flipped bytes mostly still decode, to text of another CRC; a block of
# the reserved type 3 never does)
python3 - multi.json.gz type3.json.gz <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
assert d[3] == 0         # no optional header fields: the deflate data is at 10
d[10] = (d[10] & ~7) | 7  # BFINAL 1, BTYPE 3
open(sys.argv[2], "wb").write(d)
PY
LOOSE_OFFSET=1 both "reserved block type" type3.json.gz
grep -q 'corrupt gzip data: invalid deflate data in the member at byte 0' err-zlib
for at in $((size / 5)) $((size / 2)) $((size * 4 / 5)); do
	for n in 1 64; do
		flip "$at" multi.json.gz mid.json.gz "$n"
		LOOSE_OFFSET=1 both "deflate damaged at $at ($n bytes)" mid.json.gz
		test "$(cat st-zlib)" = 1
	done
done
echo "inflaters agree"
