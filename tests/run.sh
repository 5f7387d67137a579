#!/usr/bin/env bash
# tests/run.sh - run every goodlens test and end with "N passed, N failed".
#
# Three kinds, all found by name so a new test needs no registration:
#   unit     $GL_UNITS/test_*            cmocka binaries, one per lib/ or
#                                        stage module; each test counts
#   cases    tests/cases/<name>/cmd      a shell snippet run in a scratch dir;
#                                        its stdout, stderr and exit status are
#                                        compared with expected-out,
#                                        expected-err and expected-status
#                                        (each optional; status defaults to 0)
#   e2e      tests/e2e/<name>.sh         a script that checks a whole flow and
#                                        exits 0 when every check holds
#
# Cases and scripts run under `set -eu`, LC_ALL=C, with bin/ first on PATH and
# these variables: GL_BIN (executables), TESTS (this folder), CASE (the case's
# folder), SCRATCH (their working directory, removed afterwards on success).
#
# TESTS_ONLY=<glob> runs only the tests whose name matches, e.g. 'glr*'.

set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
: "${GL_BIN:?GL_BIN must name the folder of the goodlens executables}"
: "${GL_UNITS:=}"
export GL_BIN TESTS=$here PATH="$GL_BIN:$PATH"
only=${TESTS_ONLY:-*}
scratch_root=$(mktemp -d "${TMPDIR:-/tmp}/goodlens-tests.XXXXXX")
passed=0
failed=0
failures=()

ok() { passed=$((passed + $1)); }
bad() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1"; }

run_units() {
	local t out p f
	[ -n "$GL_UNITS" ] && [ -d "$GL_UNITS" ] || return 0
	for t in "$GL_UNITS"/test_*; do
		[ -x "$t" ] || continue
		# shellcheck disable=SC2053
		[[ $(basename "$t") == $only ]] || continue
		out=$(cd "$scratch_root" && "$t" 2>&1)
		local status=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n 1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n 1)
		ok "${p:-0}"
		if [ "$status" -ne 0 ] || [ -n "$f" ] || [ -z "$p" ]; then
			printf '%s\n' "$out" | tail -n 40
			bad "unit $(basename "$t")"
		else
			echo "ok   unit $(basename "$t") (${p} tests)"
		fi
	done
}

# compare <what> <expected file> <actual file> <case>
compare() {
	if ! diff -u "$2" "$3" >"$3.diff" 2>&1; then
		echo "--- $4: $1 differs"
		head -n 40 "$3.diff"
		return 1
	fi
}

run_cases() {
	local c name dir status want good
	for c in "$here"/cases/*/; do
		[ -f "$c/cmd" ] || continue
		name=$(basename "$c")
		# shellcheck disable=SC2053
		[[ $name == $only ]] || continue
		dir="$scratch_root/case-$name"
		mkdir -p "$dir"
		(cd "$dir" && CASE=${c%/} SCRATCH=$dir bash -eu "$c/cmd" >"$dir/.out" 2>"$dir/.err")
		status=$?
		want=$(cat "$c/expected-status" 2>/dev/null || echo 0)
		good=1
		if [ "$status" != "$want" ]; then
			echo "--- $name: exit status $status, expected $want"
			head -n 20 "$dir/.err"
			good=0
		fi
		[ -f "$c/expected-out" ] && { compare stdout "$c/expected-out" "$dir/.out" "$name" || good=0; }
		[ -f "$c/expected-err" ] && { compare stderr "$c/expected-err" "$dir/.err" "$name" || good=0; }
		if [ $good = 1 ]; then ok 1; echo "ok   case $name"; rm -rf "$dir"; else bad "case $name"; fi
	done
}

run_scripts() {
	local s name dir
	for s in "$here"/e2e/*.sh; do
		[ -f "$s" ] || continue
		name=$(basename "$s" .sh)
		# shellcheck disable=SC2053
		[[ $name == $only ]] || continue
		dir="$scratch_root/e2e-$name"
		mkdir -p "$dir"
		if (cd "$dir" && CASE=$here/e2e SCRATCH=$dir bash -eu "$s" >"$dir/.log" 2>&1); then
			ok 1
			echo "ok   e2e $name"
			rm -rf "$dir"
		else
			tail -n 40 "$dir/.log"
			bad "e2e $name"
		fi
	done
}

run_units
run_cases
run_scripts

if [ "$failed" -eq 0 ]; then
	rm -rf "$scratch_root"
else
	echo "failed: ${failures[*]}"
	echo "scratch kept in $scratch_root"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
