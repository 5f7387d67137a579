#!/usr/bin/env bash
# tests/lint.sh - lint goodlens' shell code; run by make test (tests/e2e/lint.sh).
#
#   bash tests/lint.sh            the repository: shellcheck over every shell
#                                 file (tests/, bench/, scripts/), the check
#                                 rules over tests/e2e, tests/cases and bench/
#   bash tests/lint.sh FILE...    these files: shellcheck and the check rules
#
# The check rules (tests/lint_rules.py) flag what passes a test that should
# fail: `! cmd` as a statement, `[ c ] && cmd` as a statement, and
# `cmd | grep -q` / `cmd | head` (SIGPIPE under pipefail).  Each finding is
# one "FILE:LINE: rule: what; fix" line.  shellcheck runs at its default
# severity with two checks off: SC1091 (sourced files are named through
# variables such as $TESTS) and SC2015 (`a && b || fail` is how a check
# fails when either test fails).
#
# Exit status: 0 clean, 1 findings, 77 shellcheck or python3 missing (make
# deps installs both).
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)

for t in shellcheck python3; do
	if ! command -v "$t" >/dev/null; then
		echo "SKIP: $t missing (make deps installs it)"
		exit 77
	fi
done

if [ $# -gt 0 ]; then
	shell_files=("$@")
	check_files=("$@")
else
	cd "$here/.."
	shopt -s globstar nullglob
	# The rules are for checks: the tests and the benchmarks (bench-check).
	# Generators (tests/corpus, tests/fuzz) and scripts/ get shellcheck.
	check_files=(tests/e2e/*.sh tests/cases/*/cmd bench/*.sh bench/*.inc)
	shell_files=(tests/**/*.sh tests/cases/*/cmd bench/*.sh bench/*.inc scripts/*.sh)
fi

status=0
# -s bash: cases and e2e scripts have no shebang; every shell file here is bash.
if ! shellcheck -s bash -f gcc -e SC1091,SC2015 "${shell_files[@]}"; then
	status=1
fi
if ! python3 "$here/lint_rules.py" "${check_files[@]}"; then
	status=1
fi
if [ $status = 0 ]; then
	echo "lint: ${#shell_files[@]} files clean"
else
	echo "lint: problems above (each line: file:line: what and the fix)"
fi
exit $status
