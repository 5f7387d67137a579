# filter_corrupt: goodlens-filter checks the raw file's checksums on a
# thread of its own while its steps run (glr.h's GLR_CRC_ASYNC); a
# corrupted section still fails the run with the checksum's message alone,
# exit status 1, and nothing written, whichever section is hit (an item id
# flipped out of range included: the mismatch is what is reported).
fx=$TESTS/fixtures/join

python3 - "$fx" <<'PY'
import random, struct, sys
sys.path.insert(0, sys.argv[1])
import glr
random.seed(5)
rows = [(u, random.randrange(50), random.choice([0, 1, 3, 4.5, 5]), random.randrange(9),
         random.randrange(2), 0, random.randrange(2))
        for u in range(200) for _ in range(random.randrange(1, 12))]
glr.write("raw.glr", rows, 200, 50, 0.5, times=True, read=True, reviewed=True)
b = open("raw.glr", "rb").read()
n = struct.unpack_from("<I", b, 12)[0]
for i in range(n):
    e = 64 + 48 * i
    name = b[e:e + 16].rstrip(b"\0").decode()
    off, length = struct.unpack_from("<QQ", b, e + 16)
    c = bytearray(b)
    # the last byte of an item id (its high byte: now out of range), or a
    # byte in the middle of any other section
    at = off + 3 if name == "items" else off + length // 2
    c[at] ^= 0x40
    open("bad-%s.glr" % name, "wb").write(bytes(c))
PY

n=0
for f in bad-items.glr bad-ratings.glr bad-times.glr bad-read.glr bad-reviewed.glr; do
	sec=${f#bad-}
	sec=${sec%.glr}
	for t in 1 2; do
		rm -rf out
		status=0
		goodlens-filter -q --threads "$t" --min-user-ratings 2 --min-item-ratings 2 -o out "$f" \
			2>err.txt || status=$?
		if [ "$status" != 1 ]; then
			echo "FAIL: $f exits $status, expected 1" >&2
			exit 1
		fi
		want="goodlens-filter: $f: not a valid file: section $sec checksum mismatch (corrupted)"
		got=$(cat err.txt)
		if [ "$got" != "$want" ]; then
			printf 'FAIL: %s says\n%s\nexpected\n%s\n' "$f" "$got" "$want" >&2
			exit 1
		fi
		left=$(ls -A out)
		if [ -n "$left" ]; then
			echo "FAIL: $f left files behind: $left" >&2
			exit 1
		fi
		n=$((n + 1))
	done
done

# the same file unharmed goes through
goodlens-filter -q --min-user-ratings 2 --min-item-ratings 2 -o out raw.glr
test -s out/ratings.glr
echo "filter_corrupt: $n corrupted runs refused"
