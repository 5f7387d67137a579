# The corrupt-input corpus (tests/corpus/cases): every case must end as its
# entry says - exit status, message, counts in extract.stats.csv, nothing
# written on failure, bounded memory.  Inputs: tests/corpus/in (stored) and
# tests/corpus/gen.sh (derived from a small real run).
IN=$TESTS/corpus/in
GEN=$SCRATCH/gen
export IN GEN TESTS
. "$TESTS/e2e/lib.sh"
bash "$TESTS/corpus/gen.sh" "$GEN" >/dev/null
[ -x /usr/bin/time ] || skip "/usr/bin/time missing (Debian package time; make deps installs it)"
export TIME="/usr/bin/time -f %M -o rss"
# ASan's shadow and quarantine make peak RSS meaningless: the normal build
# checks the memory bounds, the sanitizer build everything else
asan=0
if sanitized; then asan=1; fi

failed=0 passed=0

# stats_ok WANT...: the total row of out/extract.stats.csv has each K=V
stats_ok() {
	[ -f out/extract.stats.csv ] || { echo "no out/extract.stats.csv"; return 1; }
	local head total kv k v i
	head=$(sed -n 1p out/extract.stats.csv)
	total=$(grep '^total,' out/extract.stats.csv)
	IFS=, read -r -a names <<<"$head"
	IFS=, read -r -a vals <<<"$total"
	for kv in "$@"; do
		k=${kv%%=*} v=${kv#*=}
		for i in "${!names[@]}"; do
			if [ "${names[$i]}" = "$k" ]; then break; fi
		done
		[ "${names[$i]}" = "$k" ] || { echo "no column $k"; return 1; }
		[ "${vals[$i]}" = "$v" ] || { echo "$k is ${vals[$i]}, expected $v"; return 1; }
	done
}

# one NAME RUN: run the current case once, check every key
one() {
	local name=$1 cmd=$2 dir st why=
	dir=$SCRATCH/c/$name
	mkdir -p "$dir"
	st=0
	(cd "$dir" && eval "$cmd") >"$dir/.stdout" 2>"$dir/.stderr" </dev/null || st=$?
	cd "$dir" || return 1
	[ "$st" = "$c_exit" ] || why="exit $st, expected $c_exit"
	[ -n "$why" ] || [ -z "$c_err" ] || grep -qF -- "$c_err" .stderr || why="stderr lacks '$c_err'"
	# shellcheck disable=SC2086 # the entry's K=V words, split on purpose
	[ -n "$why" ] || [ -z "$c_stats" ] || why=$(stats_ok $c_stats) || true
	[ -n "$why" ] || [ -z "$c_check" ] || (eval "$c_check") || why="check failed: $c_check"
	[ -n "$why" ] || [ -z "$c_nofiles" ] || [ ! -e "$c_nofiles" ] || [ -z "$(ls -A "$c_nofiles")" ] ||
		why="$c_nofiles holds $(find "$c_nofiles" -mindepth 1 -maxdepth 1 -printf '%f ')"
	if [ -z "$why" ] && [ -n "$c_rss" ] && [ $asan = 0 ]; then
		if [ ! -s rss ] || [ "$(tail -n 1 rss)" -gt "$c_rss" ]; then
			why="peak RSS $(tail -n 1 rss 2>/dev/null) KB over $c_rss KB"
		else
			echo "   $name: peak RSS $(tail -n 1 rss) KB"
		fi
	fi
	cd "$SCRATCH" || return 1
	if [ -n "$why" ]; then
		echo "FAIL $name: $why"
		sed 's/^/     | /' "$dir/.stderr" | awk 'NR <= 5'
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
		rm -rf "$dir"
	fi
}

flush() {
	[ -n "$c_name" ] || return 0
	local f n=0
	if [ -n "$c_each" ]; then
		for f in "$GEN"/$c_each; do
			one "$c_name-$(basename "$f")" "${c_run//\{\}/$f}"
			n=$((n + 1))
		done
		[ $n -gt 0 ] || { echo "FAIL $c_name: nothing matches $c_each"; failed=$((failed + 1)); }
	else
		one "$c_name" "$c_run"
	fi
}

c_name=
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	key=${line%% *} val=${line#* }
	case $key in
	case)
		flush
		c_name=$val c_run='' c_each='' c_exit=0 c_err='' c_stats='' c_check='' c_nofiles='' c_rss='' 
		;;
	run) c_run=$val ;;
	each) c_each=$val ;;
	exit) c_exit=$val ;;
	err) c_err=$val ;;
	stats) c_stats=$val ;;
	check) c_check=$val ;;
	nofiles) c_nofiles=$val ;;
	rss) c_rss=$val ;;
	*) echo "tests/corpus/cases: unknown key '$key'"; exit 1 ;;
	esac
done <"$TESTS/corpus/cases"
flush

echo "corpus: $passed runs as expected, $failed not"
[ "$failed" -eq 0 ]
