#!/usr/bin/env bash
# goodlens-sample's command line: --help and --version, exit 2 for usage
# errors, exit 1 for failures, and no half-written files either way.
set -eu

status() { set +e; "$@" >out.txt 2>err.txt; echo $?; set -e; }

test "$(status goodlens-sample --help)" = 0
grep -q -- '--format NAME' out.txt
test "$(status goodlens-sample --version)" = 0
grep -q '^goodlens-sample [0-9]' out.txt

# usage errors: exit 2, a message naming the problem, nothing written
test "$(status goodlens-sample --out x)" = 2
grep -q -- '--format is required' err.txt
test "$(status goodlens-sample --format nope --out x)" = 2
grep -q "invalid value for --format: 'nope'" err.txt
test "$(status goodlens-sample --format goodreads)" = 2
test "$(status goodlens-sample --format goodreads-genre --out x)" = 2
grep -q -- '--genre' err.txt
test "$(status goodlens-sample --format goodreads --out x --users 12x)" = 2
test "$(status goodlens-sample --format goodreads --out x --zero-share 1.5)" = 2
test "$(status goodlens-sample --format goodreads --out x --gzip-level 12)" = 2
test "$(status goodlens-sample --format goodreads --out x --threads 0)" = 2
test "$(status goodlens-sample --format goodreads --out x --bogus)" = 2
test "$(status goodlens-sample --format goodreads --out x extra)" = 2
test "$(status goodlens-sample --format goodreads --out x --min-per-user 5000)" = 2
test ! -e x/planted.txt

# failures: exit 1, the path named, no planted.txt and no temporaries
touch plainfile
test "$(status goodlens-sample --format goodreads --out plainfile/sub)" = 1
grep -q 'plainfile' err.txt
mkdir ro && chmod 555 ro
if [ "$(id -u)" != 0 ]; then
	test "$(status goodlens-sample --format ml-csv --out ro)" = 1
	test -z "$(ls -A ro)"
fi

# a quiet run prints nothing; minimums the target cannot meet raise it
test "$(status goodlens-sample --format ml-csv --out q -q --users 50 --items 40 \
	--interactions 100 --min-per-user 10)" = 0
test ! -s err.txt
grep -qx 'ratings=500' q/planted.txt
test "$(status goodlens-sample --format ml-csv --out w --users 50 --items 40 \
	--interactions 100 --min-per-user 10)" = 0
grep -q 'raising the ratings to 500' err.txt
test -z "$(find q w -name '.*')"
echo "ok cli"
