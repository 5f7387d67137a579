#!/usr/bin/env bash
# tests/corpus/gen.sh DIR - make the corpus inputs that are derived from a
# real run or too big to keep: gzip damage, a 10 MB CSV record, and the
# .glr and .glm files cut at every section boundary, with a byte flipped in
# every section, and crafted to pass the checksums yet break the format.
# Needs goodlens-* on PATH and python3.  Writes into DIR (created).
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"

# ---- a small real pipeline run: the base of the binary cases ----------------
goodlens-sample --format goodreads --out s -q --users 40 --items 30 --interactions 600 --seed 8
goodlens-extract -q --out x s/goodreads_interactions_dedup.json.gz s/goodreads_books.json.gz
goodlens-join -q --on book_id --kind left x/items.raw.csv x/books.csv -o x/items.titled.csv
goodlens-filter -q --users x/users.raw.csv --items x/items.titled.csv -o base x/ratings.raw.glr
goodlens-train -q --model dot --epochs 1 --factors 4 -o base base/ratings.glr
gz=s/goodreads_interactions_dedup.json.gz

# ---- gzip ------------------------------------------------------------------
# two members, the first with a bad CRC in its trailer: caught at its end
zcat "$gz" | head -n 300 | gzip >m1.gz
zcat "$gz" | tail -n +301 | gzip >m2.gz
python3 - <<'PY'
d = bytearray(open("m1.gz", "rb").read())
d[-8] ^= 0x55
open("gz-member-bad-crc.json.gz", "wb").write(bytes(d) + open("m2.gz", "rb").read())
PY
head -c 10 m1.gz >gz-header-only.json.gz          # the 10-byte header, nothing else
gzip -c </dev/null >gz-empty.json.gz                # a whole gzip stream of nothing
{ cat "$gz"; head -c 512 /dev/zero; } >gz-zero-padded.json.gz
rm -f m1.gz m2.gz

# ---- a 10 MB CSV record: a quoted field that spans lines -------------------
{
	echo user_id,book_id,rating
	echo 1,2,4
	printf '1,"'
	python3 -c "import sys; sys.stdout.write(('x' * 1000 + '\n') * 10240)"
	printf '",5\n'
	echo 1,3,5
} >csv-10mb-record.csv

# ---- .glr: cut, flipped, crafted --------------------------------------------
python3 - base/ratings.glr <<'PY'
import struct, sys, zlib

src = open(sys.argv[1], "rb").read()
n = struct.unpack_from("<I", src, 12)[0]
table = []
for i in range(n):
    e = 64 + 48 * i
    name = src[e:e + 16].rstrip(b"\0").decode()
    off, length = struct.unpack_from("<QQ", src, e + 16)
    table.append((name, off, length, e))

def fix(d):
    """Checksums and size made right, as a buggy writer would leave them."""
    d = bytearray(d)
    struct.pack_into("<Q", d, 16, len(d))
    for name, off, length, e in table:
        struct.pack_into("<I", d, e + 32, zlib.crc32(bytes(d[off:off + length])))
    struct.pack_into("<I", d, 24, 0)
    struct.pack_into("<I", d, 24, zlib.crc32(bytes(d[:64 + 48 * n])))
    return bytes(d)

def section(name):
    return next(t for t in table if t[0] == name)

cuts = {0, 8, 63, 64, 64 + 48 * n - 1, 64 + 48 * n, len(src) - 1}
for name, off, length, e in table:
    cuts |= {off, off + length // 2, off + length}
for c in sorted(k for k in cuts if k < len(src)):
    open("glr-cut-%05d.glr" % c, "wb").write(src[:c])
for name, off, length, e in table:
    d = bytearray(src)
    d[off + length // 2] ^= 0x40
    open("glr-flip-%s.glr" % name, "wb").write(bytes(d))
d = bytearray(src); d[0] ^= 1
open("glr-flip-magic.glr", "wb").write(bytes(d))
d = bytearray(src); struct.pack_into("<I", d, 8, 2)
open("glr-flip-version.glr", "wb").write(fix(d))
d = bytearray(src); d[30] ^= 1                     # the header CRC itself
open("glr-flip-headcrc.glr", "wb").write(bytes(d))

meta = section("meta")[1]
rowptr = section("rowptr")[1]
items = section("items")[1]
crafted = {
    "rowptr-decreasing": (rowptr + 8, struct.pack("<Q", 1 << 40)),
    "item-out-of-range": (items, struct.pack("<I", 0xFFFFFFFF)),
    "users-beyond-u32": (meta, struct.pack("<Q", 1 << 33)),
    "ratings-beyond-file": (meta + 16, struct.pack("<Q", 1 << 50)),
    "scale-zero": (meta + 24, struct.pack("<f", 0.0)),
    "unknown-flags": (meta + 28, struct.pack("<I", 0x80)),
    "section-overlap": (64 + 48 * 2 + 16, struct.pack("<Q", rowptr)),
}
for what, (at, b) in crafted.items():
    d = bytearray(src)
    d[at:at + len(b)] = b
    open("glr-crafted-%s.glr" % what, "wb").write(fix(d))
PY

# ---- .glm: cut and flipped --------------------------------------------------
python3 - base/model.glm <<'PY'
import struct, sys
src = open(sys.argv[1], "rb").read()
n = struct.unpack_from("<I", src, 12)[0]
cuts = {0, 64, 64 + 48 * n, len(src) - 1}
for i in range(n):
    e = 64 + 48 * i
    off, length = struct.unpack_from("<QQ", src, e + 16)
    cuts |= {off, off + length}
    if length:
        d = bytearray(src)
        d[off + length // 2] ^= 0x40
        name = src[e:e + 16].rstrip(b"\0").decode()
        open("glm-flip-%s.glm" % name, "wb").write(bytes(d))
for c in sorted(k for k in cuts if k < len(src)):
    open("glm-cut-%05d.glm" % c, "wb").write(src[:c])
PY
echo "corpus inputs: $(find . -mindepth 1 -maxdepth 1 | wc -l) entries in $dir"
