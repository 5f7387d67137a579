# outfile_set: every tool that writes several files commits them as one set
# (outfile_commit_set).  Each tool runs once into a folder; then the last
# file of its set is replaced by a non-empty folder, so that in a second run
# (other inputs, so other bytes) every rename but the last succeeds and the
# last fails.  The run must exit 1 naming that file, and leave every other
# file exactly as the first run wrote it, the folder in place, and no hidden
# temporary or kept copy behind.
fail() { echo "FAIL: $*" >&2; exit 1; }

goodlens-sample --format goodreads -o s2 -q --users 80 --items 50 --interactions 2500 --seed 2
goodlens-sample --format goodreads -o s3 -q --users 90 --items 60 --interactions 3000 --seed 3

# snapshot DIR: a checksum line per file, folders left out
snapshot() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs md5sum); }

# undone NAME DIR LAST CMD...: DIR holds a first run; make DIR/LAST a
# non-empty folder, run CMD (which writes DIR), expect the set undone.
undone() {
	local name=$1 dir=$2 last=$3 st=0
	shift 3
	[ -f "$dir/$last" ] || fail "$name: the first run wrote no $dir/$last"
	rm "$dir/$last"
	mkdir -p "$dir/$last/keep"
	snapshot "$dir" >"$name.before"
	"$@" 2>"$name.err" || st=$?
	[ "$st" = 1 ] || { cat "$name.err" >&2; fail "$name: exit $st, expected 1"; }
	grep -q "cannot rename .* to $dir/$last" "$name.err" || {
		cat "$name.err" >&2
		fail "$name: no 'cannot rename ... to $dir/$last'"
	}
	snapshot "$dir" >"$name.after"
	if ! cmp -s "$name.before" "$name.after"; then
		diff "$name.before" "$name.after" >&2
		fail "$name: a file of the first run was replaced"
	fi
	[ -d "$dir/$last/keep" ] || fail "$name: the folder $dir/$last is gone"
	find "$dir" -name '.*' ! -name . >"$name.hidden"
	[ ! -s "$name.hidden" ] || fail "$name: left $(cat "$name.hidden")"
	echo "ok   $name: the set is as it was"
}

goodlens-sample --format goodreads -o gen -q --users 80 --items 50 --interactions 2500 --seed 2
undone sample gen planted.txt \
	goodlens-sample --format goodreads -o gen -q --users 90 --items 60 --interactions 3000 --seed 3

goodlens-extract -q -o x s2/goodreads_interactions_dedup.json.gz
undone extract x extract.stats.csv goodlens-extract -q -o x s3/goodreads_interactions_dedup.json.gz

goodlens-extract -q -o x2 s2/goodreads_interactions_dedup.json.gz
goodlens-extract -q -o x3 s3/goodreads_interactions_dedup.json.gz
goodlens-filter -q -i x2/items.raw.csv -o f x2/ratings.raw.glr
undone filter f filter.stats.csv goodlens-filter -q -i x3/items.raw.csv -o f x3/ratings.raw.glr

goodlens-filter -q -i x2/items.raw.csv -o f2 x2/ratings.raw.glr
goodlens-filter -q -i x3/items.raw.csv -o f3 x3/ratings.raw.glr
goodlens-train -q --epochs 1 --factors 4 -o t f2/ratings.glr
undone train t predictions.csv goodlens-train -q --epochs 1 --factors 4 -o t f3/ratings.glr

goodlens-train -q --epochs 1 --factors 4 -o f2 f2/ratings.glr
goodlens-train -q --epochs 1 --factors 4 -o f3 f3/ratings.glr
goodlens-report -q --in f2 --out r
undone report r report.html goodlens-report -q --in f3 --out r

goodlens-export ucsd-csv -q --in x2 --out u
undone export u book_id_map.csv goodlens-export ucsd-csv -q --in x3 --out u

mkdir j
goodlens-join -q --on item x2/items.raw.csv x2/items.raw.csv -o j/j.csv --stats j/st.csv
undone join j st.csv goodlens-join -q --on item x3/items.raw.csv x3/items.raw.csv -o j/j.csv --stats j/st.csv

goodlens-train -q --blend dot,als --sweeps 2 -o b f2/ratings.glr
undone blend b blend.csv goodlens-train -q --blend dot,als --sweeps 2 -o b f3/ratings.glr

goodlens-extract -q -o m2 s2/*.json.gz
goodlens-extract -q -o m3 s3/*.json.gz
goodlens-export goodbooks -q --in m2 --out gb --books 20 --min-user-ratings 1
undone goodbooks gb books.csv goodlens-export goodbooks -q --in m3 --out gb --books 20 --min-user-ratings 1

# all formats in one set: the last file of the last format (ml-kaggle)
# fails, after every other format's files were renamed
goodlens-sample --format all -o all -q --users 60 --items 40 --interactions 1500 --seed 2
undone sample-all all ml-kaggle/planted.txt \
	goodlens-sample --format all -o all -q --users 70 --items 45 --interactions 1600 --seed 3
