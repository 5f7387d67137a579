# Every fuzz target, built without libFuzzer, replays its seeds and the
# regression inputs of tests/fuzz/regress/<target>/ (inputs that once
# crashed it) without a crash or a sanitizer report.
bash "$TESTS/fuzz/seeds.sh" "$GL_BIN" seeds
n=0
for r in "$GL_REPLAY"/fuzz_*; do
	t=$(basename "$r")
	t=${t#fuzz_}
	dirs=(seeds/"$t")
	if [ -d "$TESTS/fuzz/regress/$t" ]; then dirs+=("$TESTS/fuzz/regress/$t"); fi
	inputs=$(find "${dirs[@]}" -type f | sort)
	[ -n "$inputs" ] || { echo "no inputs for $t"; exit 1; }
	# shellcheck disable=SC2086
	"$r" $inputs
	n=$((n + 1))
done
# json grmeta grcsv goodbooks movielens ratings_csv csvread glr glm
test "$n" -ge 9
