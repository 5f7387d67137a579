# out_unwritable: an output folder that takes no files is named as such by
# every tool ("cannot write into folder DIR: ..."), never through a
# temporary it would have made there (ratings.spill, .NAME.XXXXXX); and a
# folder given where a .glr or .glm file belongs says so.  Root writes
# through permission bits, so the unwritable folders here are /sys
# (EACCES even for root), /proc (takes no new files), a read-only tmpfs
# (root, when mount works) and, for other users, a chmod 555 folder.
goodlens-sample --format goodreads -o s -q --users 80 --items 50 --interactions 2500 --seed 2
gz=s/goodreads_interactions_dedup.json.gz
goodlens-extract -q -o x "$gz"
goodlens-filter -q -i x/items.raw.csv -o f x/ratings.raw.glr
goodlens-train -q --epochs 1 --factors 4 -o f f/ratings.glr

fail() { echo "FAIL: $*"; exit 1; }

dirs=()
for d in /sys /proc; do
	if [ -d $d ] && ! touch $d/.goodlens-probe 2>/dev/null; then
		dirs+=("$d")
	else
		rm -f $d/.goodlens-probe
	fi
done
if [ "$(id -u)" = 0 ]; then
	mkdir ro
	if mount -t tmpfs -o ro,size=64k tmpfs ro 2>/dev/null; then
		trap 'umount "$SCRATCH/ro"' EXIT
		dirs+=(ro)
	fi
else
	mkdir ro && chmod 555 ro
	dirs+=(ro)
fi
if [ ${#dirs[@]} = 0 ]; then echo "no unwritable folder can be made here"; exit 77; fi

# expect_folder DIR CMD...: exit 1, the folder named, no temporary named
n=0
expect_folder() {
	local d=$1 st=0
	shift
	"$@" 2>err || st=$?
	if [ $st != 1 ] || ! grep -qF "cannot write into folder $d: " err; then
		echo "$*: status $st, stderr:"
		cat err
		fail "expected the folder $d to be named"
	fi
	if grep -qE 'spill|/\.[^/]*\.[A-Za-z0-9]{6}' err; then fail "$*: names a temporary: $(cat err)"; fi
	n=$((n + 1))
}
for d in "${dirs[@]}"; do
	expect_folder "$d" goodlens-extract -q -o "$d" "$gz"
	expect_folder "$d" goodlens-sample --format ml-100k -q -o "$d"
	expect_folder "$d" goodlens-join -q --on item -o "$d/t.csv" x/items.raw.csv x/items.raw.csv
	expect_folder "$d" goodlens-filter -q -o "$d" x/ratings.raw.glr
	expect_folder "$d" goodlens-train -q --epochs 1 --factors 4 -o "$d" f/ratings.glr
	expect_folder "$d" goodlens-recommend -q --model f/model.glm --user 0 -o "$d/r.csv"
	expect_folder "$d" goodlens-export ratings-csv -q -o "$d/r.csv" f/ratings.glr
	expect_folder "$d" goodlens-export ucsd-csv -q --in x -o "$d"
	expect_folder "$d" goodlens-report -q f -o "$d"
done

# a folder where a .glr or .glm file belongs
expect_kind() { # MESSAGE CMD...
	local msg=$1 st=0
	shift
	"$@" 2>err || st=$?
	if [ $st != 1 ] || ! grep -qF "$msg" err; then
		echo "$*: status $st, stderr:"
		cat err
		fail "expected: $msg"
	fi
	n=$((n + 1))
}
mkdir d.glr
expect_kind "d.glr is a directory, expected a .glr file" goodlens-filter -q -o o1 d.glr
expect_kind "d.glr is a directory, expected a .glr file" goodlens-train -q -o o2 d.glr
expect_kind "d.glr is a directory, expected a .glr file" goodlens-export ratings-csv -q d.glr
expect_kind "d.glr is a directory, expected a .glm file" goodlens-recommend -q --model d.glr --user 0
expect_kind "/dev/null is not a regular file, expected a .glr file" goodlens-filter -q -o o3 /dev/null
echo "$n messages name the folder or the file's kind"
