# A mistyped DATA= names the nearest recipe and lists them all, before any
# stage runs: letter case first (ml-100K -> ml-100k), then edit distance
# (ml100k -> ml-100k), then a part of the name (poetry ->
# goodreads-poetry); a name near none gets the list alone.
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# typo GOAL DATA: the make fails; its message is in err.txt
typo() {
	if mk "$1" DATA="$2" RAW="$SCRATCH/raw" OUT="$SCRATCH/out" >out.txt 2>err.txt; then
		fail "make $1 DATA=$2 ran"
	fi
	if [ -s out.txt ] || [ -e "$SCRATCH/out" ]; then fail "make $1 DATA=$2 ran something"; fi
}
typo pipeline ml-100K
grep -qF "no recipe ml-100K; did you mean ml-100k? (no ml-100K.mk in config" err.txt ||
	{ cat err.txt; fail "ml-100K: no suggestion"; }
# the list of recipes follows
grep -qF "the recipes are: csv goodbooks-10k goodreads " err.txt || fail "no list of recipes"
grep -qF " ml-100k ml-10m ml-1m " err.txt || fail "the list lacks the MovieLens recipes"
typo pipeline-run ml100k
grep -qF "no recipe ml100k; did you mean ml-100k?" err.txt || { cat err.txt; fail "ml100k"; }
typo fetch poetry
grep -qF "no recipe poetry; did you mean goodreads-poetry?" err.txt || { cat err.txt; fail "poetry"; }
typo raw GoodReads
grep -qF "no recipe GoodReads; did you mean goodreads?" err.txt || { cat err.txt; fail "GoodReads"; }
typo pipeline-run zzzz
if grep -q "did you mean" err.txt; then fail "zzzz got a suggestion: $(cat err.txt)"; fi
grep -qF "no recipe zzzz (no zzzz.mk in config" err.txt || { cat err.txt; fail "zzzz"; }

# The helper alone: ties are all named; nothing near, nothing said.
h=$root/scripts/recipe-hint.sh
test "$(bash "$h" ml-10 ml-100k ml-10m ml-1m ml-20m)" = "ml-10m or ml-1m"
test "$(bash "$h" ML-1M ml-1m ml-10m)" = "ml-1m"
test -z "$(bash "$h" movies ml-1m goodreads)"
