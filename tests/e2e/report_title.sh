# The report describes the data it read, not the dataset its recipe
# describes: the goodreads recipe on a small generated dump is titled with
# the counts measured in it (the ratings, users and items trained on; the
# records extract read), never with the full dump's published
# "228,648,342 interactions"; the recipe's description is the Source line
# under the heading.  A report run by hand, without --title, names the
# folder.
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }
out=$SCRATCH/out
mk pipeline-run DATA=goodreads SYNTH=1 RAW="$SCRATCH/raw" OUT="$out" >log 2>&1 || { tail -n 30 log; exit 1; }

python3 - "$out" "$SCRATCH/raw/planted.txt" <<'PY'
import csv, os, re, sys
out, planted = sys.argv[1], sys.argv[2]
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
fail = []
st = {r["step"]: r for r in csv.DictReader(open(os.path.join(out, "filter.stats.csv")))}["output"]
lines = int(dict(l.strip().split("=", 1) for l in open(planted) if "=" in l and not l.startswith("#"))["lines"])
n = lambda v: f"{int(v):,}"
h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
title = re.search(r"<title>(.*?)</title>", html).group(1)
want = f"goodreads: {n(st['rows'])} ratings by {n(st['users'])} users of {n(st['items'])} items"
if h1 != want:
    fail.append(f"heading {h1!r}, expected {want!r}")
for name, text in (("heading", h1), ("page title", title)):
    if "228,648,342" in text or "13 GB" in text:
        fail.append(f"the {name} has the published counts: {text!r}")
if f"From {n(lines)} records read in the raw files" not in html:
    fail.append(f"no 'From {n(lines)} records read' under the heading")
if f"<dt>records read</dt><dd>{n(lines)}</dd>" not in html:
    fail.append("no records read card")
if f"<dt>ratings</dt><dd>{n(st['rows'])}</dd>" not in html:
    fail.append("the ratings card is not the measured count")
src = re.findall(r'<p class="sub">Source: ([^<]*)</p>', html)
if src != ["files goodlens-sample generated in the layout of UCSD Goodreads full JSON dump (228,648,342 interactions, about 13 GB)"]:
    fail.append(f"Source line {src!r}")
if html.count("228,648,342") != 1:
    fail.append("the published count appears outside the Source line")
if fail:
    sys.exit("FAIL: " + "; ".join(fail))
PY

# By hand, no --title: the --in folder's name, with the counts it measured.
goodlens-report -q --in "$out" --out my-books
grep -q '<h1>out: [0-9,]* ratings by [0-9,]* users of [0-9,]* items</h1>' my-books/report.html || {
	grep -o '<h1>.*</h1>' my-books/report.html
	echo "FAIL: no folder name and counts in the heading" >&2
	exit 1
}
if grep -q 'class="sub">Source:' my-books/report.html; then
	echo "FAIL: a Source line without --about" >&2
	exit 1
fi

# --about and --note are text, escaped like every string from outside.
goodlens-report -q --in "$out" --out esc --about '<i>src</i> & "co"' --note 'a <b>note</b>' --note second
grep -qF '<p class="sub">Source: &lt;i&gt;src&lt;/i&gt; &amp; &quot;co&quot;</p>' esc/report.html ||
	{ echo "FAIL: --about not escaped" >&2; exit 1; }
grep -qF '<li>a &lt;b&gt;note&lt;/b&gt;</li>' esc/report.html && grep -qF '<li>second</li>' esc/report.html ||
	{ echo "FAIL: --note lines not shown escaped" >&2; exit 1; }
# At most 32 notes: more is a usage error (exit 2).
set -- 
for i in $(seq 33); do set -- "$@" --note "n$i"; done
status=0
goodlens-report -q --in "$out" --out many "$@" 2>many.err || status=$?
[ $status = 2 ] && grep -q "too many --note options (at most 32)" many.err ||
	{ echo "FAIL: 33 notes: status $status, $(cat many.err)" >&2; exit 1; }
