# filter_split: the random and time-based parts of goodlens-filter: exact
# validation counts, time and last-k splits that respect time, seeded
# determinism (same seed, same bytes), and user sampling that keeps whole
# users.
. "$TESTS/e2e/lib.sh"
fx=$TESTS/fixtures/join

python3 - "$fx" <<'PY'
import random, sys
sys.path.insert(0, sys.argv[1])
import glr
random.seed(5)
rows = []
for u in range(400):
    for _ in range(random.choice([1, 2, 4, 9, 20])):
        rows.append((u, random.randrange(200), random.choice([1, 2, 3, 4, 5]),
                     random.choice([500, 600, 700]) + random.randrange(50), 1, 0))
glr.write("raw.glr", rows, 400, 200, 0.5, times=True, read=True)
glr.write("notimes.glr", rows, 400, 200, 0.5)
PY

f() { mkdir -p "$1"; local d=$1; shift; goodlens-filter -q -o "$d" "$@"; python3 "$fx/glr.py" dump "$d/ratings.glr" >"$d/dump.csv"; }

f none raw.glr --split none
f r1 raw.glr --split random:0.25 --seed 3
f r2 raw.glr --split random:0.25 --seed 3
f r3 raw.glr --split random:0.25 --seed 4
f t raw.glr --split time:0.3
f l raw.glr --split last:2
f ln notimes.glr --split last:1
f s1 raw.glr --split none --sample-users 0.5 --seed 9
f s2 raw.glr --split none --sample-users 37 --seed 9

cmp r1/ratings.glr r2/ratings.glr
# another seed, another split
expect_differ r1/ratings.glr r3/ratings.glr

python3 - <<'PY'
import csv
def load(d):
    return list(csv.DictReader(open(d + "/dump.csv")))
def rnd(x):  # goodlens rounds halves up (llround), Python's round() to even
    return int(x + 0.5)
def key(r):
    return (r["user"], r["item"], r["rating"], r["time"], r["read"])
base = load("none")
n = len(base)
for d in ("r1", "r3"):
    rs = load(d)
    assert [key(r) for r in rs] == [key(r) for r in base], d
    assert sum(r["valid"] == "1" for r in rs) == rnd(0.25 * n), d
assert [r["valid"] for r in load("r1")] != [r["valid"] for r in load("r3")], "--seed 3 and 4 split alike"
t = load("t")
valid = [int(r["time"]) for r in t if r["valid"] == "1"]
train = [int(r["time"]) for r in t if r["valid"] == "0"]
assert len(valid) == rnd(0.3 * n) and max(train) <= min(valid), "time split"
for d, k in (("l", 2), ("ln", 1)):
    rows = load(d)
    by = {}
    for r in rows:
        by.setdefault(r["user"], []).append(r)
    for u, rs in by.items():
        v = [r for r in rs if r["valid"] == "1"]
        assert len(v) == min(k, len(rs) - 1), (d, u)
        if d == "l" and v:
            assert max(int(r["time"]) for r in rs if r["valid"] == "0") <= \
                min(int(r["time"]) for r in v), (d, u)
# Sampling keeps whole users: each sampled user's row equals its row in the
# unsampled output (matched through raw_user in users.csv).
full_users = {r["raw_user"]: r["user"] for r in csv.DictReader(open("none/users.csv"))}
full = {}
for r in base:
    full.setdefault(r["user"], []).append((r["rating"], r["time"]))
for d, want in (("s1", rnd(0.5 * len(full_users))), ("s2", 37)):
    users = list(csv.DictReader(open(d + "/users.csv")))
    assert len(users) == want, (d, len(users))
    rows = {}
    for r in load(d):
        rows.setdefault(r["user"], []).append((r["rating"], r["time"]))
    for u in users:
        a = sorted(rows[u["user"]])
        b = sorted(full[full_users[u["raw_user"]]])
        assert a == b, (d, u)
stats = list(csv.DictReader(open("r1/filter.stats.csv")))
assert [s["step"] for s in stats] == ["input", "drop-zero", "dedupe", "train", "valid", "output"], stats
assert int(stats[3]["rows"]) + int(stats[4]["rows"]) == int(stats[5]["rows"])
print("split and sampling checks pass")
PY
