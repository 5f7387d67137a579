# tests/e2e/lib.sh - helpers for e2e scripts and cases: `. "$TESTS/e2e/lib.sh"`.
#
# Scripts run under bash -eu -o pipefail (tests/run.sh), where a plain
# command is a check: it fails the test when it fails.  What set -e does not
# check (a `!` statement, all but the last command of an && list, a status
# the script expects to be non-zero) goes through these, which test the
# status explicitly.  CMD below is a program, not a shell function (set -e
# is off inside a function called where its status is tested).

# The test's own stderr, kept apart: a helper called as `expect_status 1
# cmd 2>err` still reports into the test's log, not into err.
exec {gl_log}>&2

# fail MESSAGE...: end the test as a failure, saying why.
fail() {
	echo "FAIL: $*" >&"$gl_log"
	exit 1
}

# expect_status N CMD...: run CMD; its exit status must be N.  A sanitizer's
# own status (86 under make test-sanitize) is never N, so a leak or an
# overflow on an error path fails the test even where exit 1 is expected.
expect_status() {
	local want=$1 got=0
	shift
	"$@" || got=$?
	if [ "$got" != "$want" ]; then
		fail "exit $got from '$*', expected $want"
	fi
}

# refute_grep GREP-ARGS...: grep -q GREP-ARGS must find nothing (a file that
# cannot be read is a failure too, not an absence).
refute_grep() {
	local st=0
	grep -q "$@" || st=$?
	case $st in
	0) fail "grep $* found a match: $(grep -m 1 "$@" || true)" ;;
	1) ;;
	*) fail "grep $* could not read its input (exit $st)" ;;
	esac
}

# expect_differ A B: files A and B must both exist and differ.
expect_differ() {
	local st=0
	cmp -s "$1" "$2" || st=$?
	case $st in
	0) fail "$1 and $2 are the same, expected them to differ" ;;
	1) ;;
	*) fail "cannot compare $1 and $2 (missing?)" ;;
	esac
}

# skip REASON...: this test cannot run here (a tool or a privilege CI has is
# missing): exit 77.  tests/run.sh counts it as skipped, and as a failure
# under GL_CI=1.
skip() {
	echo "SKIP: $*" >&"$gl_log"
	exit 77
}

# not_applicable REASON...: this test does not apply to this build (e.g.
# valgrind over AddressSanitizer binaries): exit 77, a skip also in CI.
not_applicable() {
	echo "SKIP (not applicable): $*" >&"$gl_log"
	exit 77
}

# need CMD...: skip unless every CMD is on PATH.
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c missing (make deps installs it)"
	done
}

# need_root WHAT: skip unless running as root (the CI machines do).
need_root() {
	if [ "$(id -u)" != 0 ]; then
		skip "not root: $*"
	fi
}

# sanitized: true when the goodlens executables are an AddressSanitizer build.
sanitized() {
	local deps
	deps=$(ldd "$GL_BIN/goodlens-extract")
	case $deps in *libasan*) return 0 ;; esac
	return 1
}
