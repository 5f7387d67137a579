# Every recipe in config/ runs end to end on files goodlens-sample writes in
# the recipe's real layout (make pipeline-run SYNTH=1, the recipe's own small
# SAMPLE_SIZE), and what comes out is right when checked against the raw
# files themselves, not against goodlens' own readers:
#   - every item's title is the title its metadata gives its key (Goodreads
#     JSON: book_id; the UCSD CSV: book_id_csv -> book_id_map.csv -> book_id;
#     goodbooks: books.csv book_id; MovieLens: movies.csv / movies.dat /
#     u.item), and items missing from the metadata have none;
#   - merged works (--item-key work) carry one of their editions' titles, and
#     their number is the number of works among the rated books;
#   - extract read every line (input rows = the sidecar's lines, rated rows =
#     its ratings) with no bad record; join.stats.csv counts the matches;
#   - the filtered users and items keep the recipe's k-core minimums;
#   - metrics.csv has one finite row per epoch (fewer when --patience
#     stopped early); report.html is whole and carries the recipe's title;
#   - the recipe's default model beats biases only on these data: its valid
#     RMSE in train.summary.csv is below the baseline's (docs/PIPELINE.md).
# Recipes run two at a time (the machine has two cores); the whole test
# takes seconds, also under AddressSanitizer.
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }

cat >check.py <<'PY'
import csv, glob, gzip, json, math, os, re, sys

name, raw, out = sys.argv[1], sys.argv[2], sys.argv[3]

def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))

def text(b):
    # MovieLens fields are UTF-8 where valid, else Latin-1 (as extract reads them)
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")

def json_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)

def goodreads_books(path):
    title, work = {}, {}
    for b in json_lines(path):
        title[b["book_id"]] = b["title"]
        work[b["book_id"]] = b["work_id"]
    return title, work

planted = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(raw, "planted.txt"))
               if "=" in l and not l.startswith("#"))
items = rows(os.path.join(out, "items.csv"))
assert items, "no items"
flags = open(os.path.join(out, ".filter.flags")).read().split()
def flag(opt, default):
    return int(flags[flags.index(opt) + 1]) if opt in flags else default

# The metadata's own answer: key -> title, and for Goodreads book -> work
# and the rated books (the works count after merging).
f = lambda n: os.path.join(raw, n)
books_json = glob.glob(f("goodreads_books*.json.gz"))
rated = set()
if os.path.exists(f("goodreads_interactions.csv")):
    key = "book_id"
    title, work = goodreads_books(f("goodreads_books.json.gz"))
    csv2book = {r["book_id_csv"]: r["book_id"] for r in rows(f("book_id_map.csv"))}
    for r in rows(f("goodreads_interactions.csv")):
        if r["rating"] != "0":
            rated.add(csv2book[r["book_id"]])
    for it in items:      # a work names its editions by CSV id
        ids = it["book_id_csvs"] if "book_id_csvs" in it else it["book_id_csv"]
        it["editions"] = [csv2book[c] for c in ids.split("|")]
elif books_json:
    key = "book_id"
    title, work = goodreads_books(books_json[0])
    for g in glob.glob(f("goodreads_interactions*.json.gz")):
        rated |= {x["book_id"] for x in json_lines(g) if x["rating"] != 0}
    for it in items:
        it["editions"] = (it["book_ids"] if "book_ids" in it else it["book_id"]).split("|")
elif os.path.exists(f("to_read.csv")):
    key = "book_id"
    # ratings.csv's book_id is books.csv's 1-based id: its first column,
    # "id" in Kaggle's upload (book_id then holds the Goodreads id),
    # "book_id" in the GitHub master's (then goodreads_book_id)
    b = rows(f("books.csv"))
    title = {r["id" if "id" in r else "book_id"]: r["title"] for r in b}
elif os.path.exists(f("u.item")):
    key = "movie_id"
    title = {}
    for l in open(f("u.item"), "rb"):
        p = l.rstrip(b"\n").split(b"|")
        title[p[0].decode()] = p[1].decode("latin-1")
elif os.path.exists(f("movies.dat")):
    key = "movie_id"
    title = {}
    for l in open(f("movies.dat"), "rb"):
        p = l.rstrip(b"\n").split(b"::")
        title[p[0].decode()] = text(p[1])
else:
    # the csv recipe (--source csv) names the key column as ratings.csv does
    key = "movieId" if name == "csv" else "movie_id"
    title = {r["movieId"]: r["title"] for r in rows(f("movies.csv"))}

# Titles: each item has the metadata's title, or none when it has no row.
merged = "--item-key" in flags and flags[flags.index("--item-key") + 1] == "work"
titled = 0
for it in items:
    if merged:
        want = {title[b] for b in it["editions"] if b in title}
        assert (it["title"] in want) if want else it["title"] == "", (name, it)
    else:
        assert it["title"] == title.get(it[key], ""), (name, it[key], it["title"], title.get(it[key]))
    titled += it["title"] != ""
assert titled >= 0.9 * len(items), (name, titled, len(items))

# The join's counts: every raw item key, matched when the metadata has it.
raw_items = rows(os.path.join(out, "items.mapped.csv" if os.path.exists(os.path.join(out, "items.mapped.csv")) else "items.raw.csv"))
js = {r["side"]: r for r in rows(os.path.join(out, "join.stats.csv"))}
keys = {r[key] for r in raw_items}
assert int(js["left"]["keys"]) == len(keys), (name, js["left"], len(keys))
assert int(js["left"]["matched_keys"]) == len(keys & set(title)), (name, js["left"])

# Extract and filter counts against the generator's sidecar.
ex = {r["file"]: r for r in rows(os.path.join(out, "extract.stats.csv"))}["total"]
bad = ["bad_json", "bad_fields", "missing_field", "bad_type", "bad_rating", "bad_id", "too_long", "bad_date", "bad_utf8"]
assert all(ex[b] == "0" for b in bad), (name, ex)
st = {r["step"]: r for r in rows(os.path.join(out, "filter.stats.csv"))}
assert int(st["input"]["rows"]) == int(planted["lines"]), (name, st["input"], planted["lines"])
assert int(st["drop-zero"]["rows"]) == int(planted["ratings"]), (name, st["drop-zero"], planted["ratings"])
if merged:
    n_works = len({work.get(b) or ("book", b) for b in rated})
    assert int(st["works"]["items"]) == n_works, (name, st["works"], n_works)
assert int(st["output"]["rows"]) > 0

# The k-core holds in the filtered tables.
mu, mi = flag("--min-user-ratings", 1), flag("--min-item-ratings", 1)
assert all(int(it["n_ratings"]) >= mi for it in items), name
assert all(int(u["n_ratings"]) >= mu for u in rows(os.path.join(out, "users.csv"))), name

# Training: one finite row per epoch; the report is whole and titled.
m = rows(os.path.join(out, "metrics.csv"))
tf = open(os.path.join(out, ".train.flags")).read().split()
epochs = int(tf[tf.index("--epochs") + 1])
assert len(m) == epochs or ("--patience" in tf and 0 < len(m) < epochs), (name, len(m))
assert all(math.isfinite(float(r["valid_rmse"])) and float(r["valid_rmse"]) < 2 for r in m), (name, m)
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>"), name
assert re.search(r"<h1>" + re.escape(name) + ":", html), name
# The model (the ensemble's mean, else member 0) against biases only; a
# missing row or an empty value fails (float("") raises).
summ = rows(os.path.join(out, "train.summary.csv"))
base = [float(r["rmse"]) for r in summ if r["model"] == "biases"]
model = [r for r in summ if r["model"] not in ("global_mean", "biases")]
model = [r for r in model if r["member"] == "mean"] or [r for r in model if r["member"] == "0"]
assert len(base) == 1 and model, (name, summ)
rmse = float(model[0]["rmse"])
assert rmse < base[0], (name, "does not beat biases only", rmse, base[0])
print(f"{name}: {len(items)} items, {titled} titled, {st['output']['rows']} ratings; "
      f"{model[0]['model']} {rmse:.4f} < biases only {base[0]:.4f}")
PY

run() {
	local r=$1
	mk pipeline-run DATA="$r" SYNTH=1 RAW="$SCRATCH/$r/raw" OUT="$SCRATCH/$r/out" \
		>"$r.log" 2>&1 || { echo "FAIL $r: pipeline"; tail -n 20 "$r.log"; return 1; }
	python3 check.py "$r" "$SCRATCH/$r/raw" "$SCRATCH/$r/out" >>"$r.log" 2>&1 ||
		{ echo "FAIL $r: check"; tail -n 20 "$r.log"; return 1; }
	tail -n 1 "$r.log"
}

mk all >/dev/null  # built once, before two makes share the tree
mapfile -t recipes < <(cd "$root/config" && printf '%s\n' *.mk | sed 's/\.mk$//')
test "${#recipes[@]}" -ge 19
failed=0
set -- "${recipes[@]}"
while [ $# -gt 0 ]; do
	run "$1" & a=$!
	b=
	if [ $# -gt 1 ]; then run "$2" & b=$!; fi
	wait $a || failed=1
	if [ -n "$b" ]; then wait $b || failed=1; fi
	shift
	if [ $# -gt 0 ]; then shift; fi
done
test $failed = 0
