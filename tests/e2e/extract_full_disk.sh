# A full disk fails the run: exit 1, a message, no temporaries left, and an
# earlier complete extract in the same folder untouched.  Needs root for a
# small tmpfs (the test machines run as root); elsewhere it is a skip.
. "$TESTS/e2e/lib.sh"
need_root "cannot mount a small tmpfs"
goodlens-sample --format goodreads --out small -q --users 30 --items 30 --interactions 300
goodlens-sample --format goodreads --out big -q --users 2000 --items 1000 --interactions 60000
mkdir disk
mount -t tmpfs -o size=1100k tmpfs disk
trap 'umount "$SCRATCH/disk"' EXIT
goodlens-extract -q --out disk/o small/goodreads_interactions_dedup.json.gz
cp -r disk/o before
# the spill (13 bytes a rating) fits, the ratings file after it does not
st=0
goodlens-extract -q --out disk/o big/goodreads_interactions_dedup.json.gz 2>err || st=$?
cat err
test "$st" = 1
grep -q 'No space left on device' err
diff -r before disk/o
test -z "$(find disk/o -mindepth 1 -maxdepth 1 -name '.*')"
# and when not even the spill fits
dd if=/dev/zero of=disk/filler bs=1k count=700 2>/dev/null
st=0
goodlens-extract -q --out disk/o big/goodreads_interactions_dedup.json.gz 2>err || st=$?
cat err
test "$st" = 1
grep -q 'spill file' err
diff -r before disk/o
echo "full disk ok"
