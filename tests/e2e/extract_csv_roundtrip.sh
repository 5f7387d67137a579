# goodlens reads its own exports back: goodlens-export ratings-csv in each
# layout (fastai user,item,rating,<keys>,title,is_valid; movielens userId,movieId,rating,
# timestamp; libmf "user item rating" lines) goes through goodlens-extract
# --source csv with no bad record, and exporting the result again gives the
# same ratings (and times) under the same keys.
goodlens-sample -q --format ml-csv --out raw --users 120 --items 80 --interactions 3000 --seed 7
goodlens-extract -q --out ex raw/ratings.csv raw/movies.csv
goodlens-join -q --kind left --on movie_id -o ex/items.titled.csv ex/items.raw.csv ex/movies.csv
goodlens-filter -q --users ex/users.raw.csv --items ex/items.titled.csv -o f --split random:0.2 --seed 1 ex/ratings.raw.glr

goodlens-export ratings-csv --items f/items.csv -o fastai.csv f/ratings.glr
goodlens-export ratings-csv --format movielens -o ml.csv f/ratings.glr
goodlens-export ratings-csv --format libmf -o mf.txt f/ratings.glr
# the layouts as documented, so the test reads what users read
test "$(head -n 1 fastai.csv)" = "user,item,rating,user_id,movie_id,title,is_valid"
test "$(head -n 1 ml.csv)" = "userId,movieId,rating,timestamp"
first=$(head -n 1 mf.txt)
case $first in *[!0-9.\ ]*) echo "FAIL: libmf has a header: $first" >&2; exit 1 ;; esac

goodlens-extract -q --out back-fastai --source csv --columns user=user,item=item,rating=rating fastai.csv
goodlens-extract -q --out back-ml --source csv --columns user=userId,item=movieId,rating=rating,time=timestamp ml.csv
goodlens-extract -q --out back-mf --source csv --no-header --columns user=1,item=2,rating=3 mf.txt
for b in back-fastai back-ml back-mf; do
	goodlens-export ratings-csv --format movielens -o $b/again.csv $b/ratings.raw.glr
done

cat >same.py <<'PY'
import csv, sys
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))
def keys(path):  # dense id -> the key extract read (the exported id)
    return [r[1] for r in rows(path)[1:]]
def again(d, with_time):
    u, i = keys(d + "/users.raw.csv"), keys(d + "/items.raw.csv")
    out = []
    for r in rows(d + "/again.csv")[1:]:  # ids counted from 1
        t = (r[3],) if with_time else ()
        out.append((u[int(r[0]) - 1], i[int(r[1]) - 1], r[2]) + t)
    return sorted(out)
def stats_clean(d):
    total = {r["file"]: r for r in csv.DictReader(open(d + "/extract.stats.csv"))}["total"]
    bad = [k for k in total if k.startswith("bad_") or k in ("missing_field", "too_long")]
    assert all(total[k] == "0" for k in bad), (d, total)
    assert total["records"] == total["kept"], (d, total)

fastai = sorted(tuple(r[:3]) for r in rows("fastai.csv")[1:])
ml = sorted(tuple(r) for r in rows("ml.csv")[1:])
mf = sorted(tuple(l.split()) for l in open("mf.txt"))
assert len(fastai) > 2000 and any("." in r[2] for r in fastai), "a test of half stars"
for d, want, t in (("back-fastai", fastai, False), ("back-ml", ml, True), ("back-mf", mf, False)):
    stats_clean(d)
    got = again(d, t)
    assert got == want, (d, len(got), len(want), [x for x in got if x not in want][:3])
    print(d, "same", len(got), "ratings")
PY
python3 same.py
echo "round trip ok"
