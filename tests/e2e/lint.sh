# The shell code passes tests/lint.sh (shellcheck and the check rules of
# tests/lint_rules.py), and the lint catches what it claims: a planted test
# script with each bad pattern fails it, one finding per pattern, each
# naming file and line.
. "$TESTS/e2e/lib.sh"
need shellcheck python3
root=$GL_ROOT

bash "$root/tests/lint.sh" >lint.txt 2>&1 || { cat lint.txt; fail "tests/lint.sh finds problems"; }
grep -q '^lint: [0-9]* files clean$' lint.txt

# The planted patterns: each must be found, at its line.
mkdir -p planted
printf '%s\n' 'grep -q x in.txt' '! grep x in.txt' \
	'[ -s in.txt ] && echo full' 'goodlens-join --help | grep -q -- --on' \
	'if ! grep x in.txt; then echo fine; fi' 'grep -q x in.txt || fail "no x"' >planted/bad.sh
expect_status 1 bash "$root/tests/lint.sh" planted/bad.sh >found.txt 2>&1
cat found.txt
grep -q '^planted/bad.sh:2: not-a-check: ' found.txt
grep -q '^planted/bad.sh:3: and-list: ' found.txt
grep -q '^planted/bad.sh:4: sigpipe: ' found.txt
# nothing else: conditions and || checks are fine (and ShellCheck alone
# says nothing here: it flags a `!` statement only in a file that runs
# set -e itself, which these scripts leave to tests/run.sh)
test "$(grep -c '^planted/bad.sh:' found.txt)" = 3
echo "lint: ok"
