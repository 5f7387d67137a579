# report.html as a person's browser sees it: headless Chromium (Debian's
# chromium) driven over its DevTools pipe by tests/browser/cdp_page.py.
# Checks: no console error, no page exception, no JavaScript dialog, no
# network request besides the page, no <script>/<img>/on* handler, the
# charts present, the hostile titles shown as text.  A control page with a
# live script and a remote image must fail the same check.
# Without chromium or python3 the test is a skip (a failure in CI, GL_CI=1);
# tests/e2e/report_fixture.sh checks the escaping without a browser.
. "$TESTS/e2e/lib.sh"
: "${GL_UNITS:?GL_UNITS must name the unit test binaries (run through make test)}"
need python3
if [ -z "${CHROMIUM:-}" ]; then need chromium; fi
check=$TESTS/browser/cdp_page.py
"$GL_UNITS/test_report" --fixture in
goodlens-report -q --in in --out out --title 'Fixture <b>&</b> "report"'
python3 "$check" check out/report.html --min-svg 6 \
	--expect-title 'goodlens report: Fixture <b>&</b> "report"' \
	--expect-text '<script>alert(1)</script>' \
	--expect-text '</svg></text><img src=x onerror=alert(2)>' \
	--expect-text 'Tom & Jerry: "Quoted", '"'"'single'"'"' <b>not bold</b>' \
	--expect-text '<b>bold user</b>' \
	--expect-text 'raw/a&b<c>.json.gz' >result.json
grep -q '"pca": 1' result.json
grep -q '"crosstab": 1' result.json

# The sample run, as `make pipeline` writes it: its hostile book title
# (goodlens-sample plants one) must stay text there too.
# shellcheck disable=SC2086
make -C "$GL_ROOT" --no-print-directory $GL_MAKE_ARGS RAW="$SCRATCH/raw" \
	OUT="$SCRATCH/sample" pipeline-run >pipeline.log 2>&1 || { cat pipeline.log; exit 1; }
python3 "$check" check sample/report.html --min-svg 6 \
	--expect-text '<script>alert(1)</script>' >sample.json
grep -q '"pca": 1' sample.json

# the control: the checker must catch what it claims to catch
cat >bad.html <<'HTML'
<!DOCTYPE html><html><head><title>bad</title></head><body>
<script>alert(1); console.error("boom")</script>
<img src="http://127.0.0.1:9/x.png"><svg></svg></body></html>
HTML
set +e
python3 "$check" check bad.html --expect-text 'never there' >bad.json 2>bad.err
s=$?
set -e
cat bad.err
[ $s -eq 1 ]
grep -q 'console errors' bad.err
grep -q 'dialogs' bad.err
grep -q 'network requests' bad.err
grep -q 'script> elements' bad.err
grep -q 'never there' bad.err
echo "report_browser: ok"
