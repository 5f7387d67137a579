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
	TIMED_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%-44s %8.2f s %7d MiB peak\n' "$label:" "$TIMED_S" "$TIMED_MB"
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
