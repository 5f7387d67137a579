# The csv recipe on a user's own files in the layout of issue 12: a
# ';'-separated ratings.csv `rater;film;score;when` (quoted keys holding
# ';' and ',', whole and half stars, ISO dates and unix seconds) and an
# items.csv `film;name;kinds` (TITLE=name), some rated films missing from
# it and some of its films unrated.  Checked against the files themselves
# (Python's csv module, not goodlens' readers):
#   - extract read every rating, user and item, with no bad record;
#   - every item's title is its items.csv name, or none when it has no row;
#     join.stats.csv counts the matches;
#   - filter kept them all (no k-core in this recipe), the report names the
#     counts and shows titles;
#   - without items.csv the pipeline still runs, says so once, no titles;
#   - without COLUMNS it stops at once with the line to write.
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }
mk all >/dev/null

mkdir raw
python3 - <<'PY'
import random
random.seed(12)
films = ["f%02d" % i for i in range(40)] + ['"f; 40"', '"f, 41"']
with open("raw/items.csv", "w") as f:
    f.write("film;name;kinds\n")
    for i, k in enumerate(films):
        if i % 10 == 3:          # rated, but no row here: no title
            continue
        name = 'Film %d; "part" %d, again' % (i, i % 3)
        f.write("%s;%s;%s\n" % (k, '"' + name.replace('"', '""') + '"', "Drama|Comedy" if i % 2 else "Action"))
    f.write('zz;"Unrated";Documentary\n')
with open("raw/ratings.csv", "w") as f:
    f.write("rater;film;score;when\n")
    for u in range(60):
        for k in random.sample(films, 15):
            score = random.choice(["1", "2", "3", "3.5", "4", "4.5", "5"])
            when = "2021-%02d-%02dT10:00:00Z" % (random.randint(1, 12), random.randint(1, 28)) \
                if u % 2 else str(1600000000 + u * 1000)
            f.write("rater %d;%s;%s;%s\n" % (u, k, score, when))
PY

cols='user=rater,item=film,rating=score,time=when'
mk pipeline-run DATA=csv RAW="$SCRATCH/raw" OUT="$SCRATCH/out" COLUMNS="$cols" TITLE=name >run.log 2>&1 ||
	{ tail -n 20 run.log; echo "FAIL: the csv pipeline"; exit 1; }

cat >check.py <<'PY'
import csv, html, os, re, sys
raw, out, titled = sys.argv[1], sys.argv[2], sys.argv[3] == "titled"
def rows(path, delim=","):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delim))
ratings = rows(os.path.join(raw, "ratings.csv"), ";")
users = {r["rater"] for r in ratings}
films = {r["film"] for r in ratings}
names = {r["film"]: r["name"] for r in rows(os.path.join(raw, "items.csv"), ";")} if titled else {}

ex = {r["file"]: r for r in rows(os.path.join(out, "extract.stats.csv"))}["total"]
assert (int(ex["kept"]), int(ex["users"]), int(ex["items"])) == (len(ratings), len(users), len(films)), ex
assert all(ex[b] == "0" for b in ["bad_fields", "missing_field", "bad_rating", "bad_date"]), ex
st = {r["step"]: r for r in rows(os.path.join(out, "filter.stats.csv"))}
assert (int(st["output"]["rows"]), int(st["output"]["users"]), int(st["output"]["items"])) == \
    (len(ratings), len(users), len(films)), st["output"]

items = rows(os.path.join(out, "items.csv"))
assert {it["film"] for it in items} == films
if titled:
    for it in items:
        assert it["title"] == names.get(it["film"], ""), (it, names.get(it["film"]))
    js = {r["side"]: r for r in rows(os.path.join(out, "join.stats.csv"))}
    assert int(js["left"]["matched_keys"]) == len(films & set(names)), js
    assert int(js["right"]["unmatched_keys"]) == len(set(names) - films), js
else:
    assert "title" not in items[0], items[0]

page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
text = re.sub(r"<[^>]*>", " ", page)
for n in (len(ratings), len(users), len(films)):
    assert re.search(r"\b%d\b" % n, text), n
shown = [t for t in set(names.values()) if html.escape(t, quote=False) in page or html.escape(t) in page]
if titled:
    assert len(shown) >= 5, shown
print("csv: %d ratings, %d users, %d items, %d titles in the report" % (len(ratings), len(users), len(films), len(shown)))
PY
python3 check.py raw out titled

# Without items.csv: no titles, one line in the log says why.
mkdir bare
cp raw/ratings.csv bare/
mk pipeline-run DATA=csv RAW="$SCRATCH/bare" OUT="$SCRATCH/bare-out" COLUMNS="$cols" >bare.log 2>&1 ||
	{ tail -n 20 bare.log; echo "FAIL: the csv pipeline without items.csv"; exit 1; }
n=$(grep -c "no item table (no $SCRATCH/bare/items.csv): the items have no titles" bare.log || true)
if [ "$n" != 1 ]; then echo "FAIL: $n log lines about the missing items.csv" >&2; exit 1; fi
python3 check.py bare bare-out bare

# A missing COLUMNS stops before anything runs, naming what to write.
st=0
mk pipeline-run DATA=csv RAW="$SCRATCH/raw" OUT="$SCRATCH/none" >none.log 2>&1 || st=$?
if [ $st = 0 ] || [ -e none ]; then echo "FAIL: ran without COLUMNS" >&2; exit 1; fi
grep -q "DATA=csv needs COLUMNS.*COLUMNS='user=rater,item=film,rating=score,time=when'" none.log
echo "csv recipe ok"
