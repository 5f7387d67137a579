# goodlens-report from the command line over the fixture folder (written by
# `test_report --fixture`, see tests/unit/test_report_fixture.h): every
# output, escaping, exit statuses, determinism, and that a failed run keeps
# the earlier report.
. "$TESTS/e2e/lib.sh"
: "${GL_UNITS:?GL_UNITS must name the unit test binaries (run through make test)}"
"$GL_UNITS/test_report" --fixture in

goodlens-report --in in --out out 2>err
grep -q 'wrote out/report.html' err
for f in report.html funnel.csv ratings_hist.csv metrics.csv biases.csv pca.csv similar.csv \
	crosstab.csv recommendations.csv; do
	[ -s "out/$f" ] || { echo "missing out/$f"; exit 1; }
done
cmp in/metrics.csv out/metrics.csv
# hostile titles are text, never markup
refute_grep -i '<script' out/report.html
refute_grep -i '<img' out/report.html
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' out/report.html
grep -q '&lt;/svg&gt;&lt;/text&gt;&lt;img src=x' out/report.html
[ "$(grep -c '<svg ' out/report.html)" -eq 6 ]
# every item in biases.csv, highest bias first
[ "$(wc -l <out/biases.csv)" -gt 30 ]
sed -n 2p out/biases.csv >row2.csv
grep -q '^0,1000,<script>alert(1)</script>,1.5,40,' row2.csv

# the same inputs give the same bytes
goodlens-report -q --in in --out out2
for f in report.html biases.csv pca.csv similar.csv crosstab.csv recommendations.csv; do
	cmp "out/$f" "out2/$f"
done
# a different seed picks other sample users
goodlens-report -q --in in --out out3 --seed 9
expect_differ out/recommendations.csv out3/recommendations.csv

# --in alone writes beside the inputs
goodlens-report -q --in in
[ -s in/report.html ]

# usage errors: exit 2 with a hint
expect_status 2 goodlens-report 2>err
grep -q -- '--in DIR is required' err
grep -q "try 'goodlens-report --help'" err
expect_status 2 goodlens-report --in in --labels 12x 2>err
grep -q -- "invalid value for --labels: '12x'" err
goodlens-report --help >help.txt
grep -q -- '--min-ratings N' help.txt
goodlens-report --version >version.txt
grep -q '^goodlens-report ' version.txt

# a missing required input: exit 1 naming the file; the old report stays
cp out/report.html before.html
rm in/ratings.glr
expect_status 1 goodlens-report --in in --out out 2>err
grep -q 'in/ratings.glr: no such file (goodlens-filter writes it' err
cmp before.html out/report.html
# a corrupt ratings file is an error too, never a crash
"$GL_UNITS/test_report" --fixture bad
printf 'x' | dd of=bad/ratings.glr bs=1 seek=200 conv=notrunc 2>/dev/null
expect_status 1 goodlens-report --in bad --out badout 2>err
test ! -e badout/report.html
echo "report_fixture: ok"
