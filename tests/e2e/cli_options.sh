# cli_options: every tool spells its output `-o, --out` (a folder, or the
# one file it writes) and still takes the older names --out-dir, --outdir
# and --output (hidden from --help); every tool reports an unknown option, a
# missing value and a value given to a flag with the one message of
# lib/cli (cli_bad_option) and exit 2; goodlens-report takes its folder
# without --in.
tools="extract sample join filter export train recommend report"

fail() { echo "FAIL: $*"; exit 1; }

# same_files A B: the two folders hold the same files with the same bytes
same_files() {
	local f
	for f in "$1"/*; do
		if ! cmp -s "$f" "$2/${f##*/}"; then fail "$1 and $2 differ in ${f##*/}"; fi
	done
	if [ "$(ls "$1")" != "$(ls "$2")" ]; then fail "$1 and $2 hold other files"; fi
}

# ---- the new spelling and one old one give the same outputs -----------------
goodlens-sample --format goodreads -o s -q --users 80 --items 50 --interactions 2500 --seed 4
goodlens-sample --format goodreads --outdir s2 -q --users 80 --items 50 --interactions 2500 --seed 4
same_files s s2
gz=s/goodreads_interactions_dedup.json.gz

goodlens-extract -q -o x "$gz" s/goodreads_books.json.gz
goodlens-extract -q --output x2 "$gz" s/goodreads_books.json.gz
same_files x x2

goodlens-join -q --on book_id --kind left x/items.raw.csv x/books.csv --out t.csv
goodlens-join -q --on book_id --kind left x/items.raw.csv x/books.csv --output t2.csv
cmp t.csv t2.csv

goodlens-filter -q -u x/users.raw.csv -i t.csv --out f x/ratings.raw.glr
goodlens-filter -q -u x/users.raw.csv -i t.csv --out-dir f2 x/ratings.raw.glr
same_files f f2

goodlens-train -q --epochs 2 --factors 4 --out m f/ratings.glr
goodlens-train -q --epochs 2 --factors 4 --outdir m2 f/ratings.glr
cmp m/model.glm m2/model.glm

goodlens-recommend -q --model m/model.glm --ratings f/ratings.glr --user 0 --out r.csv
goodlens-recommend -q --model m/model.glm --ratings f/ratings.glr --user 0 --output r2.csv
cmp r.csv r2.csv

goodlens-export ratings-csv -q --out e.csv f/ratings.glr
goodlens-export ratings-csv -q --output e2.csv f/ratings.glr
cmp e.csv e2.csv
goodlens-export ucsd-csv -q --in x -o u
goodlens-export ucsd-csv -q --in x --out-dir u2
same_files u u2

cp -r m rin
cp f/* rin/
goodlens-report -q --in rin --out rp
goodlens-report -q rin --outdir rp2   # the folder without --in
cmp rp/report.html rp2/report.html
goodlens-report -q rin                # writes beside its inputs
if ! cmp -s rin/report.html rp/report.html; then fail "report DIR differs from --in DIR"; fi
st=0
goodlens-report --in rin rin 2>err || st=$?
if [ $st != 2 ] || ! grep -q "give one folder, as DIR or --in DIR" err; then
	fail "report --in DIR DIR: status $st, $(cat err)"
fi

# ---- --help shows -o, --out and hides the old names ------------------------
for t in $tools; do
	"goodlens-$t" --help >help.txt
	if ! grep -q -- '-o, --out ' help.txt; then fail "goodlens-$t --help has no '-o, --out'"; fi
	if grep -qE -- '--(out-dir|outdir|output)\b' help.txt; then
		fail "goodlens-$t --help shows an old name: $(grep -E -- '--(out-dir|outdir|output)' help.txt)"
	fi
done

# ---- one message for a bad option, exit 2 -----------------------------------
# expect_usage TOOL MESSAGE ARGS...: stderr is the message and the hint
expect_usage() {
	local t=$1 msg=$2 st=0
	shift 2
	"goodlens-$t" "$@" >out 2>err || st=$?
	printf 'goodlens-%s: %s\ntry '"'"'goodlens-%s --help'"'"'\n' "$t" "$msg" "$t" >want
	if [ $st != 2 ] || ! cmp -s want err; then
		echo "goodlens-$t $*: status $st, stderr:"
		cat err
		fail "expected status 2 and: $msg"
	fi
	if [ -s out ]; then fail "goodlens-$t $*: wrote to stdout"; fi
}
n=0
for t in $tools; do
	expect_usage "$t" "unknown option '--no-such-option'" --no-such-option x
	expect_usage "$t" "unknown option '--no-such-option'" --no-such-option=3 x
	expect_usage "$t" "unknown option '-Z'" -Z
	expect_usage "$t" "option '--out' needs a value" --out
	expect_usage "$t" "option '-o' needs a value" -o
	expect_usage "$t" "option '--output' needs a value" --output
	expect_usage "$t" "option '--quiet' takes no value" --quiet=yes
	n=$((n + 7))
done
expect_usage filter "ambiguous option '--s' (--sample-users, --split, --seed)" --s 3
echo "$((n + 1)) bad options reported alike; -o, --out and its aliases in every tool"
