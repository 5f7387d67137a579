# The shell code passes tests/lint.sh (shellcheck and the check rules of
# tests/lint_rules.py), and the lint catches what it claims: a planted test
# script with each bad pattern fails it, one finding per pattern, each
# naming file and line, and nothing else.
. "$TESTS/e2e/lib.sh"
need shellcheck python3
root=$GL_ROOT

bash "$root/tests/lint.sh" >lint.txt 2>&1 || { cat lint.txt; fail "tests/lint.sh finds problems"; }
grep -q '^lint: [0-9]* files clean$' lint.txt

# The planted patterns: each must be found at its line; conditions, ||
# checks, heredocs, quoted text and comments are fine.
mkdir -p planted
cat >planted/bad.sh <<'EOF'
grep -q x in.txt
! grep x in.txt
[ -s in.txt ] && echo full
goodlens-join --help | grep -q -- --on
if ! grep x in.txt; then echo fine; fi
grep -q x in.txt || fail "no x"
[[ -n $a ]] && b
test -s in.txt && echo full
grep -q a f && grep -q b f
! cmp -s a b
out=$(zcat f.gz | head -n 1)
zcat f.gz | sed 1q >x
for f in *; do [ -e "$f" ] && break; done
while ! grep -q x f; do sleep 1; done
[ -s f ] || fail "empty"
echo "a | head -n 1 and ! not code"
python3 - <<'PY'
! this is python
[ x ] && y
a | head
PY
grep -c x f | head -1
x=1 # ! [ a ] && b | grep -q c
EOF
expect_status 1 bash "$root/tests/lint.sh" planted/bad.sh >found.txt 2>&1
cat found.txt
sed -n 's/^planted\/bad\.sh:\([0-9]*\): \([a-z-]*\): .*/\1 \2/p' found.txt >rules.txt
printf '%s\n' "2 not-a-check" "3 and-list" "4 sigpipe" "7 and-list" "8 and-list" "9 and-list" \
	"10 not-a-check" "11 sigpipe" "12 sigpipe" "13 and-list" "22 sigpipe" >want.txt
diff want.txt rules.txt
# ShellCheck alone says nothing about the `!` lines: it flags a `!`
# statement only in a file that runs set -e itself, which these scripts
# leave to tests/run.sh; hence the rule.
refute_grep 'SC2251' found.txt
echo "lint: ok"
