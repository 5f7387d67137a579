# goodlens-report against hostile text in every string it shows: titles
# (tables, SVG labels, tooltips, the crosstab), item keys, user ids, the
# file names, kinds and examples of the stats files, funnel step names,
# model names, the model's hparams, the --in folder's name and --title.
# Each payload is a made-up tag with both quotes and an ampersand; the page
# must hold none of them as markup, every one as text, stay valid UTF-8
# (titles are cut by characters, never inside one), and the CSV tables must
# carry the titles back byte for byte.
goodlens-sample --format goodreads --out s -q --users 80 --items 40 --interactions 2500 --seed 6
goodlens-extract -q --out x s/goodreads_interactions_dedup.json.gz s/goodreads_books.json.gz

# titles: a payload first (so a cut title keeps it), then text that puts a
# two-byte and a four-byte character where the 34- and 90-character cuts fall
python3 - x/books.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
t = head.index("title")
for r in rows[1:]:
    r[t] = '<zz-t%s> " onx="1 \' &amp; ' % r[0] + "é" * 20 + "😀" * 40
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
PY
goodlens-join -q --on book_id --kind left x/items.raw.csv x/books.csv -o x/items.titled.csv \
	--stats x/join.stats.csv
goodlens-filter -q --users x/users.raw.csv --items x/items.titled.csv -o p x/ratings.raw.glr
goodlens-train -q --epochs 2 --factors 8 -o p p/ratings.glr
cp x/extract.stats.csv x/join.stats.csv p/

# every other string the report shows, rewritten in place
python3 - p <<'PY'
import csv, struct, sys, zlib
d = sys.argv[1]
bad = lambda name: '<zz-%s> " onx="1 \' &amp;' % name

def rewrite(name, fn):
    path = "%s/%s" % (d, name)
    rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
    fn(rows[0], rows[1:])
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)

def users(h, rows):
    k = h.index("user_id")
    for r in rows:
        r[k] = bad("user" + r[0])
def items(h, rows):
    # items without a title show their key instead
    t, k = h.index("title"), h.index("book_id")
    for r in rows[: len(rows) // 4]:
        r[t] = ""
        r[k] = bad("key" + r[0])
def extract(h, rows):
    for r in rows:
        r[h.index("file")] = bad("file")
        r[h.index("kind")] = bad("kind")
def join(h, rows):
    for r in rows:
        r[h.index("file")] = bad("jfile")
        r[h.index("examples")] = bad("ex1") + "|" + bad("ex2")
def filt(h, rows):
    rows[1][h.index("step")] = bad("step")
def summary(h, rows):
    for r in rows:
        r[h.index("model")] = bad("model")
rewrite("users.csv", users)
rewrite("items.csv", items)
rewrite("extract.stats.csv", extract)
rewrite("join.stats.csv", join)
rewrite("filter.stats.csv", filt)
rewrite("train.summary.csv", summary)

# the model's hparams section, checksums made right again
path = d + "/model.glm"
b = bytearray(open(path, "rb").read())
n = struct.unpack_from("<I", b, 12)[0]
secs = []
for i in range(n):
    e = 64 + 48 * i
    secs.append((b[e:e + 16].rstrip(b"\0").decode(), *struct.unpack_from("<QQ", b, e + 16), e))
body = {name: bytes(b[off:off + ln]) for name, off, ln, e in secs}
body["hparams"] += ("%s=%s\n" % (bad("hk"), bad("hv"))).encode()
# the keys were rewritten after training: drop the source section that
# records them, as in a model from before it
secs = [s for s in secs if s[0] != "source"]
n = len(secs)
out = bytearray(64 + 48 * n)
out[:64] = b[:64]
struct.pack_into("<I", out, 12, n)
off = (64 + 48 * n + 63) // 64 * 64
for i, (name, _, _, e) in enumerate(secs):
    data, t = body[name], 64 + 48 * i
    out[t:t + 48] = b[e:e + 48]
    struct.pack_into("<QQI", out, t + 16, off, len(data), zlib.crc32(data))
    out += b"\0" * (off - len(out)) + data
    off = (off + len(data) + 63) // 64 * 64
out += b"\0" * (off - len(out))
struct.pack_into("<Q", out, 16, len(out))
struct.pack_into("<I", out, 24, 0)
struct.pack_into("<I", out, 24, zlib.crc32(bytes(out[:64 + 48 * n])))
open(path, "wb").write(bytes(out))
PY

dir="r<zz-dir> \" onx=\"1 ' &amp;"
cp -r p "$dir"
goodlens-report -q --in "$dir" --out out
goodlens-report -q --in "$dir" --out out2 --title "<zz-title> \" onx=\"1 ' &amp;"

python3 - out/report.html out2/report.html p/items.csv out/biases.csv <<'PY'
import csv, re, sys
html = open(sys.argv[1], "rb").read().decode("utf-8")     # strict: valid UTF-8
html2 = open(sys.argv[2], "rb").read().decode("utf-8")
fail = []
for name, page in (("report", html), ("--title report", html2)):
    if "<zz-" in page:
        fail.append("%s: raw markup at %r" % (name, page[page.index("<zz-") - 60:][:120]))
    if re.search(r'onx="', page):
        fail.append("%s: a quote broke out of an attribute" % name)
    if "&amp;amp;" not in page:
        fail.append("%s: & not escaped" % name)

def has(page, what):
    return "&lt;zz-%s" % what in page

sections = dict(re.findall(r'<section id="([a-z]+)">(.*?)</section>', html, re.S))
want = {
    "dataset": ["file", "kind", "step"],
    "join": ["jfile", "ex1", "ex2", "key"],
    "training": ["model", "hk", "hv"],
    "biases": ["t"],
    "pca": ["t"],
    "similar": ["t"],
    "recommendations": ["t", "user"],
    "crosstab": ["user"],
}
for sec, marks in want.items():
    if sec not in sections:
        fail.append("no section " + sec)
        continue
    for m in marks:
        if not has(sections[sec], m):
            fail.append("section %s lacks escaped %s" % (sec, m))
if not re.search(r"<title>[^<]*&lt;zz-dir", html):
    fail.append("the folder name is not the escaped page title")
if not re.search(r"<title>[^<]*&lt;zz-title", html2):
    fail.append("--title is not the escaped page title")
if not has(html, "dir"):
    fail.append("folder name missing")
# tooltips hold the whole title, escaped
if not re.search(r'title="&lt;zz-t[0-9]+&gt; &quot; onx=&quot;1 &#39; &amp;amp; é', html):
    fail.append("no escaped title tooltip")
# the CSVs carry titles back exactly
titles = {r["item"]: r["title"] for r in csv.DictReader(open(sys.argv[3], encoding="utf-8"))}
n = 0
for r in csv.DictReader(open(sys.argv[4], encoding="utf-8")):
    if r["title"] != titles[r["item"]]:
        fail.append("biases.csv title of item %s differs" % r["item"])
    n += bool(r["title"])
if n < 10:
    fail.append("biases.csv: only %d titles" % n)
for f in fail:
    print("FAIL", f)
sys.exit(1 if fail else 0)
PY
echo "report escaping ok"
