# The goodlens-written goldens of tests/cases, read again independently
# (tests/fixtures/cases_oracle.py, Python's json and csv modules): every
# "file:line (byte N)" message of an expected-err names the byte where that
# line starts and a record that has the problem its class names, and every
# extract.stats.csv the case writes counts its files' bytes and lines as
# Python does.  tests/cases/README says which goldens this covers.
n=0
for c in "$TESTS"/cases/*/; do
	c=${c%/}
	name=$(basename "$c")
	[ -f "$c/expected-err" ] || continue
	grep -q '(byte [0-9]*)' "$c/expected-err" || continue
	mkdir "$name"
	# the case's own test checks its status and output; here only the files
	st=0
	(cd "$name" && CASE=$c bash -eu -o pipefail "$c/cmd" >/dev/null 2>&1) || st=$?
	echo "$name (exit $st):"
	(cd "$name" && python3 "$TESTS/fixtures/cases_oracle.py" "$c/expected-err")
	n=$((n + 1))
done
# extract-goodbooks, -goodreads-csv, -goodreads-meta, -json-bad, -movielens,
# -reviewed, -strict, join-build-limit, join-ragged-row at the time of writing
test "$n" -ge 9
echo "case_oracle: $n cases agree with the Python reading"
