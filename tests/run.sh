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
# Tests run TEST_JOBS at a time (default: the number of CPUs), each in its own
# scratch folder; results are reported in a fixed order.
# TESTS_ONLY=<glob> runs only the tests whose name matches, e.g. 'glr*'.

set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)

# ---- one test: run it, leave <scratch>/results/<id>.{n,ok,log} ---------------

# compare <what> <expected file> <actual file>
compare() {
	if ! diff -u "$2" "$3" >"$3.diff" 2>&1; then
		echo "--- $1 differs"
		head -n 40 "$3.diff"
		return 1
	fi
}

one_unit() { # path
	local out p f status
	out=$(cd "$SCRATCH" && "$1" 2>&1)
	status=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n 1)
	echo "${p:-0}" >"$res.n"
	if [ "$status" -ne 0 ] || [ -n "$f" ] || [ -z "$p" ]; then
		printf '%s\n' "$out" | tail -n 40 >"$res.log"
		return 1
	fi
	echo "(${p} tests)" >"$res.log"
}

one_case() { # folder
	local c=$1 status want good=1
	(cd "$SCRATCH" && CASE=$c bash -eu "$c/cmd" >"$SCRATCH/.out" 2>"$SCRATCH/.err")
	status=$?
	want=$(cat "$c/expected-status" 2>/dev/null || echo 0)
	{
		if [ "$status" != "$want" ]; then
			echo "--- exit status $status, expected $want"
			head -n 20 "$SCRATCH/.err"
			good=0
		fi
		[ -f "$c/expected-out" ] && { compare stdout "$c/expected-out" "$SCRATCH/.out" || good=0; }
		[ -f "$c/expected-err" ] && { compare stderr "$c/expected-err" "$SCRATCH/.err" || good=0; }
	} >"$res.log"
	[ $good = 1 ]
}

one_script() { # file
	(cd "$SCRATCH" && CASE=$here/e2e bash -eu "$1" >"$SCRATCH/.log" 2>&1)
	local status=$?
	tail -n 40 "$SCRATCH/.log" >"$res.log"
	return $status
}

if [ "${1:-}" = --one ]; then
	kind=$2 path=$3 id=$4
	export SCRATCH=$scratch_root/$id
	res=$scratch_root/results/$id
	mkdir -p "$SCRATCH"
	echo 1 >"$res.n"
	case $kind in
	unit) one_unit "$path" ;;
	case) one_case "$path" ;;
	e2e) one_script "$path" ;;
	esac
	status=$?
	if [ $status = 0 ]; then
		touch "$res.ok"
		rm -rf "$SCRATCH"
	fi
	exit 0
fi

# ---- the whole suite --------------------------------------------------------

: "${GL_BIN:?GL_BIN must name the folder of the goodlens executables}"
: "${GL_UNITS:=}"
export GL_BIN TESTS=$here PATH="$GL_BIN:$PATH"
only=${TESTS_ONLY:-*}
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
scratch_root=$(mktemp -d "${TMPDIR:-/tmp}/goodlens-tests.XXXXXX")
export scratch_root
mkdir -p "$scratch_root/results"

# One line per test: kind, path, id (the id orders the report).
list() {
	local t c s n=0
	if [ -n "$GL_UNITS" ] && [ -d "$GL_UNITS" ]; then
		for t in "$GL_UNITS"/test_*; do
			# shellcheck disable=SC2053
			[ -x "$t" ] && [[ $(basename "$t") == $only ]] || continue
			printf 'unit %s %03d-unit-%s\n' "$t" $((n++)) "$(basename "$t")"
		done
	fi
	for c in "$here"/cases/*/; do
		c=${c%/}
		# shellcheck disable=SC2053
		[ -f "$c/cmd" ] && [[ $(basename "$c") == $only ]] || continue
		printf 'case %s %03d-case-%s\n' "$c" $((n++)) "$(basename "$c")"
	done
	for s in "$here"/e2e/*.sh; do
		# shellcheck disable=SC2053
		[ -f "$s" ] && [[ $(basename "$s" .sh) == $only ]] || continue
		printf 'e2e %s %03d-e2e-%s\n' "$s" $((n++)) "$(basename "$s" .sh)"
	done
}

# The slowest tests first, so the others fill the gaps beside them.
list | awk '{ slow = ($1 == "e2e") ? 0 : 1; print slow, $0 }' | sort -s -k1,1n | cut -d' ' -f2- |
	xargs -P "$jobs" -L 1 bash "$0" --one

passed=0
failed=0
failures=()
for n in "$scratch_root"/results/*.n; do
	id=$(basename "$n" .n)
	name=${id#*-}
	count=$(cat "$n")
	if [ -e "$scratch_root/results/$id.ok" ]; then
		passed=$((passed + count))
		echo "ok   ${name/-/ } $(grep -s '^(' "$scratch_root/results/$id.log")"
	else
		[ "${id#*-unit-}" != "$id" ] && passed=$((passed + count))
		cat "$scratch_root/results/$id.log"
		echo "FAIL ${name/-/ }"
		failed=$((failed + 1))
		failures+=("$name")
	fi
done

if [ "$failed" -eq 0 ]; then
	rm -rf "$scratch_root"
else
	echo "failed: ${failures[*]}"
	echo "scratch kept in $scratch_root"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
