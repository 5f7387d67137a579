#!/usr/bin/env bash
# tests/run.sh - run every goodlens test; the last line is
# "N passed, N failed, N skipped".
#
# Three kinds, all found by name so a new test needs no registration:
#   unit     $GL_UNITS/test_*            cmocka binaries, one per lib/ or
#                                        stage module; each cmocka test counts
#                                        as one (passed, failed or skipped)
#   cases    tests/cases/<name>/cmd      a shell snippet run in a scratch dir;
#                                        its stdout, stderr and exit status are
#                                        compared with expected-out,
#                                        expected-err and expected-status
#                                        (each optional; status defaults to 0)
#   e2e      tests/e2e/<name>.sh         a script that checks a whole flow and
#                                        exits 0 when every check holds
#                                        (tests/e2e/lib.sh is their helpers)
#
# Cases and scripts run under `bash -eu -o pipefail` (a script's log ends
# with the line and command that failed), LC_ALL=C, with bin/
# first on PATH and these variables: GL_BIN (executables), TESTS (this
# folder), CASE (the case's folder), SCRATCH (their working directory,
# removed afterwards on success).
#
# Exit 77 from a case, a script or a unit binary (or cmocka's skip()) is a
# skip: the test could not run here.  Skips are counted and named; under
# GL_CI=1 (.ci/run) a skip is a failure, except one the test declares not
# applicable to this build ("SKIP (not applicable): ..." in its output,
# tests/e2e/lib.sh not_applicable).
#
# Every test runs under timeout(1): TEST_TIMEOUT_UNIT (default 600 s),
# TEST_TIMEOUT_CASE (300 s), TEST_TIMEOUT_E2E (1800 s), or TEST_TIMEOUT for
# all three; a test that runs out of time fails with its name (and, for a
# unit binary, the name of the cmocka test that was running).
#
# Sanitizers: when ASAN_OPTIONS or UBSAN_OPTIONS is set (make test-sanitize
# sets both, with exitcode=86), every test gets its own log_path, and a
# report written there (or a UBSan "runtime error:" in any file the test
# wrote) fails the test whatever its exit status: a tool that leaks on an
# error path fails a test that expects that error.
#
# Tests run TEST_JOBS at a time (default: the number of CPUs), each in its own
# scratch folder; results are reported in a fixed order.
# TESTS_ONLY=<glob> runs only the tests whose name matches, e.g. 'glr*'.

set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)

# ---- one test: run it, leave <scratch>/results/<id>.{counts,fails,skips,log} --
#   counts  "PASSED FAILED SKIPPED" (cmocka tests for a unit binary, else one)
#   fails   one line per failure: the name and why
#   skips   one line per skip: the name and why; "ci-ok " first when the skip
#           is not a failure under GL_CI=1

limit_for() { # kind
	case $1 in
	unit) echo "${TEST_TIMEOUT_UNIT:-${TEST_TIMEOUT:-600}}" ;;
	case) echo "${TEST_TIMEOUT_CASE:-${TEST_TIMEOUT:-300}}" ;;
	*) echo "${TEST_TIMEOUT_E2E:-${TEST_TIMEOUT:-1800}}" ;;
	esac
}

# limited CMD...: CMD under timeout(1), in a process group of its own whose
# id is recorded so that an interrupted suite can end it; returns CMD's
# status (124 or 137: out of time).
limited() {
	local pid st=0
	timeout -k 10 "$limit" "$@" &
	pid=$!
	echo "$pid" >"$scratch_root/groups/$id"
	wait "$pid" || st=$?
	rm -f "$scratch_root/groups/$id"
	return $st
}

timed_out() { [ "$1" = 124 ] || [ "$1" = 137 ]; }

# The sanitizer reports of this test, if any, into the log: ASan's and
# LSan's log_path files, and UBSan's "runtime error:" lines, which GCC's
# runtime prints on stderr whatever log_path says when ASan is linked too
# (so every small file the test wrote is searched, stderr captures
# included).
sanitizer_reports() {
	local f found=1
	for f in "$res".san.*; do
		[ -e "$f" ] || continue
		echo "--- sanitizer report ($(basename "$f")):"
		head -n 40 "$f"
		found=0
	done
	if [ -n "${UBSAN_OPTIONS:-}" ]; then
		while IFS= read -r -d '' f; do
			echo "--- UBSan report in ${f#"$SCRATCH"/}:"
			grep -m 5 -A 3 ': runtime error: ' "$f"
			found=0
		done < <(find "$SCRATCH" -type f -size -4M -exec grep -lIZ ': runtime error: ' {} +)
	fi
	return $found
}

one_unit() { # path
	local st=0 name
	name="unit $(basename "$1")"
	# stdbuf: cmocka prints to stdout, which a crash or a timeout would
	# otherwise lose, and with it the name of the test that was running.
	(cd "$SCRATCH" && limited stdbuf -oL "$1") >"$SCRATCH/.out" 2>"$SCRATCH/.err" || st=$?
	# Per test: "[ RUN      ] x" then one of OK, SKIPPED, FAILED for x; a RUN
	# with no verdict is the test that crashed or hung.
	awk -v bin="$name" '
		function verdict(tag) { return substr($0, 1, 13) == tag && substr($0, 14) == cur }
		substr($0, 1, 13) == "[ RUN      ] " { cur = substr($0, 14); run++; next }
		cur != "" && verdict("[       OK ] ") { ok++; cur = ""; next }
		cur != "" && verdict("[  SKIPPED ] ") { print "skip " bin ":" cur >"/dev/stderr"; cur = ""; next }
		cur != "" && verdict("[  FAILED  ] ") { print "fail " bin ":" cur >"/dev/stderr"; cur = ""; next }
		END { if (cur != "") print "open " bin ":" cur >"/dev/stderr"; print run + 0, ok + 0 }
	' "$SCRATCH/.out" >"$SCRATCH/.n" 2>"$SCRATCH/.verdicts"
	local run ok open
	read -r run ok <"$SCRATCH/.n"
	open=$(sed -n 's/^open //p' "$SCRATCH/.verdicts")
	sed -n 's/^fail \(.*\)/\1: failed/p' "$SCRATCH/.verdicts" >>"$res.fails"
	sed -n 's/^skip \(.*\)/\1: cmocka skip()/p' "$SCRATCH/.verdicts" >>"$res.skips"
	if [ -n "$open" ]; then
		if timed_out "$st"; then
			echo "$open: timed out after $limit s" >>"$res.fails"
		else
			echo "$open: did not finish (exit $st)" >>"$res.fails"
		fi
	elif [ "$st" = 77 ] && [ "$run" = 0 ]; then
		echo "$name: $(tail -n 1 "$SCRATCH/.err")" >>"$res.skips"
	elif timed_out "$st"; then
		echo "$name: timed out after $limit s" >>"$res.fails"
	elif [ "$st" != 0 ] && [ ! -s "$res.fails" ]; then
		echo "$name: exit $st after its tests" >>"$res.fails"
	elif [ "$run" = 0 ]; then
		echo "$name: no cmocka test ran" >>"$res.fails"
	fi
	if sanitizer_reports >"$SCRATCH/.san"; then
		grep -qs . "$res.fails" || echo "$name: sanitizer report (exit $st)" >>"$res.fails"
	fi
	local failed skipped
	failed=$(grep -c . "$res.fails")
	skipped=$(grep -c . "$res.skips")
	# A failure outside any test (exit status, sanitizer at exit) adds one.
	echo "$ok $failed $skipped" >"$res.ucounts"
	{
		if [ "$failed" != 0 ]; then
			cat "$SCRATCH/.san"
			grep -v '^\[ \(RUN\|      OK\) ' "$SCRATCH/.out" | tail -n 40
			tail -n 20 "$SCRATCH/.err"
		fi
	} >"$res.log"
}

# script_verdict NAME STATUS LOG: the pass/fail/skip of a case or script.
script_verdict() {
	local name=$1 st=$2 log=$3 why
	if timed_out "$st"; then
		echo "$name: timed out after $limit s" >>"$res.fails"
	elif [ "$st" = 77 ]; then
		why=$(grep -m 1 '^SKIP' "$log" | sed 's/^SKIP[^:]*: *//')
		if grep -q '^SKIP (not applicable):' "$log"; then
			echo "ci-ok $name: not applicable: ${why:-exit 77}" >>"$res.skips"
		else
			echo "$name: ${why:-exit 77}" >>"$res.skips"
		fi
	elif [ "$st" != 0 ]; then
		echo "$name" >>"$res.fails"
	fi
}

one_case() { # folder
	local c=$1 st=0 want good=1 name
	name="case $(basename "$c")"
	(cd "$SCRATCH" && CASE=$c limited bash -eu -o pipefail "$c/cmd" >"$SCRATCH/.out" 2>"$SCRATCH/.err") || st=$?
	want=$(cat "$c/expected-status" 2>/dev/null || echo 0)
	{
		if [ "$st" = 77 ] && [ "$want" != 77 ]; then
			script_verdict "$name" 77 "$SCRATCH/.err"
		elif timed_out "$st"; then
			script_verdict "$name" "$st" /dev/null
		else
			if [ "$st" != "$want" ]; then
				echo "--- exit status $st, expected $want"
				head -n 20 "$SCRATCH/.err"
				good=0
			fi
			if [ -f "$c/expected-out" ] && ! compare stdout "$c/expected-out" "$SCRATCH/.out"; then
				good=0
			fi
			if [ -f "$c/expected-err" ] && ! compare stderr "$c/expected-err" "$SCRATCH/.err"; then
				good=0
			fi
			if [ $good = 0 ]; then
				echo "$name" >>"$res.fails"
			fi
		fi
		if sanitizer_reports && ! grep -qs . "$res.fails"; then
			echo "$name: sanitizer report" >>"$res.fails"
		fi
	} >"$res.log"
}

# compare <what> <expected file> <actual file>
compare() {
	if ! diff -u "$2" "$3" >"$3.diff" 2>&1; then
		echo "--- $1 differs"
		head -n 40 "$3.diff"
		return 1
	fi
}

# A script is sourced by a bash whose ERR trap names the command that
# ended it (set -e alone ends it without a word).  Not for cases: a case's
# stderr is compared, and many end with the failing tool on purpose.
# shellcheck disable=SC2016 # expanded by that bash, not here
on_err='trap '\''echo "FAIL: ${BASH_SOURCE[0]#"$TESTS"/}:$LINENO: exit $? from: $BASH_COMMAND" >&2'\'' ERR'

one_script() { # file
	local st=0 name
	name="e2e $(basename "$1" .sh)"
	# shellcheck disable=SC2016 # $1 is the inner bash's
	(cd "$SCRATCH" && CASE=$here/e2e limited bash -eu -o pipefail -E -c "$on_err"'; . "$1"' bash "$1" \
		>"$SCRATCH/.log" 2>&1) || st=$?
	{
		script_verdict "$name" "$st" "$SCRATCH/.log"
		if sanitizer_reports && ! grep -qs . "$res.fails"; then
			echo "$name: sanitizer report (exit $st)" >>"$res.fails"
		fi
		tail -n 40 "$SCRATCH/.log"
	} >"$res.log"
}

if [ "${1:-}" = --one ]; then
	kind=$2 path=$3 id=$4
	export SCRATCH=$scratch_root/$id
	res=$scratch_root/results/$id
	limit=$(limit_for "$kind")
	mkdir -p "$SCRATCH"
	: >"$res.fails"
	: >"$res.skips"
	# Each test its own sanitizer log: a report fails it whatever its status.
	if [ -n "${ASAN_OPTIONS:-}" ]; then
		export ASAN_OPTIONS=$ASAN_OPTIONS:log_path=$res.san.asan
		# stdbuf preloads a library: ASan then no longer comes first.
		[ "$kind" != unit ] || ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0
	fi
	if [ -n "${UBSAN_OPTIONS:-}" ]; then
		export UBSAN_OPTIONS=$UBSAN_OPTIONS:log_path=$res.san.ubsan
	fi
	start=$SECONDS
	case $kind in
	unit) one_unit "$path" ;;
	case) one_case "$path" ;;
	e2e) one_script "$path" ;;
	esac
	echo $((SECONDS - start)) >"$res.secs"
	if [ "$kind" = unit ]; then
		read -r p f s <"$res.ucounts"
	elif [ -s "$res.fails" ]; then
		p=0 f=1 s=0
	elif [ -s "$res.skips" ]; then
		p=0 f=0 s=1
	else
		p=1 f=0 s=0
	fi
	# Under GL_CI=1 a skip is a failure unless declared not applicable.
	if [ "${GL_CI:-0}" = 1 ] && grep -qv '^ci-ok ' "$res.skips"; then
		grep -v '^ci-ok ' "$res.skips" | sed 's/$/ (skipped, and GL_CI=1: CI installs what it needs)/' >>"$res.fails"
		grep '^ci-ok ' "$res.skips" >"$res.skips.ok" || true
		mv "$res.skips.ok" "$res.skips"
		n=$(grep -c . "$res.skips")
		f=$((f + s - n)) s=$n
	fi
	if [ ! -s "$res.fails" ]; then
		rm -rf "$SCRATCH"
	fi
	# Last, and whole: a test without its counts did not run to the end.
	echo "$p $f $s" >"$res.counts.tmp"
	mv "$res.counts.tmp" "$res.counts"
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
mkdir -p "$scratch_root/results" "$scratch_root/groups"
# The tests' python3 is Debian's (make deps installs it; they use its
# standard library only), ahead of any version manager's shim earlier on
# PATH: a pyenv shim costs about a second per start, and the suite starts
# Python hundreds of times.
if [ -x /usr/bin/python3 ]; then
	mkdir -p "$scratch_root/bin"
	ln -s /usr/bin/python3 "$scratch_root/bin/python3"
	export PATH="$scratch_root/bin:$PATH"
fi

# An interrupted suite (^C, or TERM to this script) starts no more tests
# and ends those still running: each runs in a process group of its own,
# out of reach of the terminal's ^C, recorded in groups/ while it runs.
runner=
stop_tests() {
	local g
	trap '' INT TERM
	if [ -n "$runner" ]; then kill -TERM "$runner" 2>/dev/null; fi
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		for g in "$scratch_root"/groups/*; do
			if [ -e "$g" ]; then kill -TERM -- "-$(cat "$g")" 2>/dev/null; fi
		done
		sleep 1
		[ -n "$(ls -A "$scratch_root/groups")" ] || break
	done
	echo "interrupted; scratch kept in $scratch_root" >&2
	exit 130
}
trap stop_tests INT TERM

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
		# lib.sh is the scripts' helpers, not a test
		# shellcheck disable=SC2053
		[ -f "$s" ] && [ "$(basename "$s")" != lib.sh ] && [[ $(basename "$s" .sh) == $only ]] || continue
		printf 'e2e %s %03d-e2e-%s\n' "$s" $((n++)) "$(basename "$s" .sh)"
	done
}

# The slowest tests first, so the others fill the gaps beside them.
# In the background, so that a signal reaches the trap at once (bash runs a
# trap only after the foreground command ends).
list | awk '{ slow = ($1 == "e2e") ? 0 : 1; print slow, $0 }' | sort -s -k1,1n | cut -d' ' -f2- >"$scratch_root/list"
xargs -P "$jobs" -L 1 bash "$0" --one <"$scratch_root/list" &
runner=$!
runner_status=0
wait "$runner" || runner_status=$?

passed=0 failed=0 skipped=0
fails=() skips=()
while read -r _ _ id; do
	name=${id#*-}
	name=${name/-/ }
	res=$scratch_root/results/$id
	if [ ! -e "$res.counts" ]; then
		# killed from outside, or the runner stopped early
		echo "FAIL $name: did not run to the end"
		failed=$((failed + 1))
		fails+=("$name: did not run to the end")
		continue
	fi
	read -r p f s <"$res.counts"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" != 0 ]; then
		cat "$res.log"
		while IFS= read -r line; do
			echo "FAIL $line"
			fails+=("$line")
		done <"$res.fails"
	fi
	while IFS= read -r line; do
		line=${line#ci-ok }
		echo "SKIP $line"
		skips+=("$line")
	done <"$res.skips"
	secs=$(cat "$res.secs" 2>/dev/null)
	if [ "$f" = 0 ] && [ "$p" != 0 ]; then
		if [ "${id#*-unit-}" != "$id" ]; then
			echo "ok   $name ($p tests, ${secs:-?} s)"
		else
			echo "ok   $name (${secs:-?} s)"
		fi
	fi
done < <(sort -k3 "$scratch_root/list")
if [ "$runner_status" != 0 ] && [ "$failed" = 0 ]; then
	echo "FAIL the runner (xargs) ended with status $runner_status"
	failed=1
	fails+=("the runner (xargs) ended with status $runner_status")
fi

if [ "$skipped" != 0 ]; then
	echo "skipped:"
	printf '  %s\n' "${skips[@]}"
fi
if [ "$failed" -eq 0 ]; then
	rm -rf "$scratch_root"
else
	echo "failed:"
	printf '  %s\n' "${fails[@]}"
	echo "scratch kept in $scratch_root"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
