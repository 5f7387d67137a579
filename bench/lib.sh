# bench/lib.sh - helpers sourced by the benchmark scripts.

# timed LABEL CMD...: run CMD (output discarded), print "LABEL: S s, R MiB
# peak", and set TIMED_S (wall seconds), TIMED_MB (peak RSS in MiB) and
# TIMED_CPU (user + system CPU seconds: steadier than wall time when other
# work shares the machine).
timed() {
	local label=$1 tf
	shift
	tf=$(mktemp)
	if ! /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >/dev/null 2>"$tf.err"; then
		echo "$label: command failed: $*" >&2
		cat "$tf.err" >&2
		rm -f "$tf" "$tf.err"
		return 1
	fi
	local user sys
	read -r TIMED_S TIMED_KB user sys <"$tf"
	rm -f "$tf" "$tf.err"
	TIMED_MB=$((TIMED_KB / 1024))
	# shellcheck disable=SC2034 # read by the scripts that source this
	TIMED_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%-44s %8.2f s %7d MiB peak\n' "$label:" "$TIMED_S" "$TIMED_MB"
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# target NAME VALUE OP LIMIT: a figure against its target (OP is <= or >=;
# an empty VALUE, a figure that was not produced, misses).  Prints "target
# NAME: VALUE (OP LIMIT) met" or "... MISSED", and appends a missed one to
# $BENCH_MISSED, which bench/run.sh reports at the end (make bench-check
# then exits 1 naming it).
target() {
	local name=$1 value=$2 op=$3 limit=$4 met
	case $op in '<=' | '>=') ;; *) echo "target $name: bad operator '$op'" >&2; return 1 ;; esac
	met=$(awk -v v="$value" -v l="$limit" -v op="$op" \
		'BEGIN { if (v == "") print 0; else print (op == "<=" ? v + 0 <= l + 0 : v + 0 >= l + 0) }')
	if [ "$met" = 1 ]; then
		echo "target $name: $value ($op $limit) met"
	else
		echo "target $name: ${value:-none} ($op $limit) MISSED"
		echo "$name: ${value:-none}, target $op $limit" >>"${BENCH_MISSED:-/dev/null}"
	fi
}

# gen_version GEN: the version of generator $GL_BENCH/GEN (its --version),
# part of the names of the inputs it made, so that a changed generator
# never feeds a benchmark a stale cached file.
gen_version() { "$GL_BENCH/$1" --version; }

# sample_version: the same for inputs goodlens-sample writes.  Its --version
# is goodlens' and does not move when its output does, so the version is a
# hash of the executable: it changes with the code (and with the build
# flags, which costs a regeneration, never a stale file).
sample_version() { sha256sum "$GL_BIN/goodlens-sample" | cut -c1-12; }
