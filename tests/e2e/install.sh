# make install: into a scratch DESTDIR, every executable, a man page for
# each that man renders with its options, pipeline.mk, fetch.sh and every
# recipe; then installed into a scratch PREFIX, goodlens-pipeline runs the
# pipeline from any folder with the installed recipes (and a user's own in
# ./config), explains missing files in its own terms, and make uninstall
# removes it all.
. "$TESTS/e2e/lib.sh"
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }
tools="sample extract join filter export train recommend report pipeline"

d=$SCRATCH/dest
mk install DESTDIR="$d" PREFIX=/usr/local >log 2>&1 || { cat log; exit 1; }
for t in $tools; do
	test -x "$d/usr/local/bin/goodlens-$t"
	page=$d/usr/local/share/man/man1/goodlens-$t.1
	grep -Eq "^\.TH \"?GOODLENS-${t^^}\"? \"?1" "$page"
	MANWIDTH=1000 man -l "$page" >man.txt 2>/dev/null
	grep -q "goodlens-$t - " man.txt
	grep -q -- "--help" man.txt
done
man -l "$d/usr/local/share/man/man1/goodlens-extract.1" >man.txt 2>/dev/null
grep -q -- "--max-bad" man.txt
for r in "$root"/config/*.mk; do cmp "$r" "$d/usr/local/share/goodlens/config/$(basename "$r")"; done
cmp "$root/pipeline.mk" "$d/usr/local/share/goodlens/pipeline.mk"
test -x "$d/usr/local/share/goodlens/scripts/fetch.sh"
# The wrapper holds the real paths, not DESTDIR's.
grep -qx "share=/usr/local/share/goodlens" "$d/usr/local/bin/goodlens-pipeline"
grep -qx "bin=/usr/local/bin" "$d/usr/local/bin/goodlens-pipeline"
# Without help2man the page is the --help text as it is.
HELP2MAN='' bash "$root/scripts/manpage.sh" "$GL_BIN/goodlens-join" 'a join' join.1
man -l join.1 >man.txt 2>/dev/null
grep -q -- "--max-build-rows N" man.txt

# A real install, used from another folder.
p=$SCRATCH/prefix
mk install PREFIX="$p" >log 2>&1 || { cat log; exit 1; }
mkdir work
cd work || exit 1
gp=$p/bin/goodlens-pipeline
"$gp" --version >out.txt
grep -qx "goodlens-pipeline [0-9.]*" out.txt
"$gp" --help >out.txt
grep -q "usage: goodlens-pipeline" out.txt
expect_status 2 "$gp" --bogus 2>/dev/null
# Written to a file first: `goodlens-pipeline recipes | grep -q` took
# SIGPIPE once when grep exited before make had written every recipe.
"$gp" recipes >recipes.txt
test "$(wc -l <recipes.txt)" = "$(find "$root"/config -maxdepth 1 -name '*.mk' | wc -l)"
grep -q "^ml-1m  *MovieLens 1M" recipes.txt
# The default recipe, with the installed executables, into ./out/sample.
PATH=/usr/bin:/bin "$gp" >log 2>&1 || { cat log; exit 1; }
test -s out/sample/report.html
grep -q "$p/bin/goodlens-train" log
# A user's own recipe in ./config comes first.
mkdir config
sed 's/^DESCRIPTION .*/DESCRIPTION := my own ratings/' "$root/config/ml-100k.mk" >config/mine.mk
PATH=/usr/bin:/bin "$gp" DATA=mine SYNTH=1 >log 2>&1 || { cat log; exit 1; }
grep -q "<h1>mine: [0-9,]* ratings" out/mine/report.html
grep -q "Source: files goodlens-sample generated in the layout of my own ratings" out/mine/report.html
# Missing files: told in goodlens-pipeline's terms.
expect_status 1 "$gp" DATA=ml-1m >log 2>&1
grep -q "download them with:  goodlens-pipeline fetch DATA=ml-1m RAW=data/raw/ml-1m" log
expect_status 1 "$gp" DATA=nosuch >log 2>&1
grep -q "no recipe nosuch (no nosuch.mk in config $p/share/goodlens/config)" log
expect_status 1 "$gp" DATA=ML-1M >log 2>&1
grep -q "no recipe ML-1M; did you mean ml-1m?" log

mk uninstall PREFIX="$p" >log 2>&1
test -z "$(find "$p" -type f)"
