#!/usr/bin/env bash
# goodlens-sample's MovieLens layouts: separators, field counts, encodings
# (Latin-1 for 100k and 1m, UTF-8 after), rating steps, timestamps, quoting.
set -eu

args=(--seed 9 --users 200 --items 150 --interactions 5000)
for f in ml-100k ml-1m ml-10m ml-csv ml-kaggle; do
	goodlens-sample --format "$f" --out "$f" "${args[@]}"
done

python3 - <<'EOF'
import csv, io, re

def planted(d):
    return dict(l.rstrip("\n").split("=", 1) for l in open(f"{d}/planted.txt") if "=" in l)

def check_counts(d, pairs):
    p = planted(d)
    assert len(pairs) == int(p["ratings"]) == int(p["lines"]) == 5000, d
    assert int(p["shelved"]) == 0
    assert len({u for u, _ in pairs}) == int(p["users"])
    assert len({m for _, m in pairs}) == int(p["items"])
    assert len(set(pairs)) == len(pairs)

def not_utf8(data):
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True

# ml-100k: u.data tab-separated, random order; u.item 24 pipe fields in Latin-1
rows = [l.split("\t") for l in open("ml-100k/u.data", encoding="ascii").read().splitlines()]
assert all(len(r) == 4 and r[2] in "12345" for r in rows)
check_counts("ml-100k", [(int(r[0]), int(r[1])) for r in rows])
assert [int(r[0]) for r in rows] != sorted(int(r[0]) for r in rows)
data = open("ml-100k/u.item", "rb").read()
assert not_utf8(data) and b"\xe9" in data            # Latin-1 bytes, e.g. Caf\xe9
items = [l.split("|") for l in data.decode("latin-1").splitlines()]
assert all(len(r) == 24 and all(x in "01" for x in r[5:]) for r in items)
assert [int(r[0]) for r in items] == list(range(1, len(items) + 1))
assert all(re.fullmatch(r".* \(\d{4}\)", r[1]) for r in items)
assert all(re.fullmatch(r"\d\d-[A-Z][a-z]{2}-\d{4}", r[2]) for r in items)
assert any(r[1] == "Caf\xe9 Society (%s)" % r[1][-5:-1] for r in items)
assert all(r[4].startswith("http://us.imdb.com/M/title-exact?") for r in items)
users = [l.split("|") for l in open("ml-100k/u.user").read().splitlines()]
assert all(len(u) == 5 and u[2] in "MF" for u in users)
info = open("ml-100k/u.info").read().split("\n")
assert info[2] == "5000 ratings"

# ml-1m: UserID::MovieID::Rating::Timestamp, movies and users, Latin-1
rows = [l.split("::") for l in open("ml-1m/ratings.dat").read().splitlines()]
assert all(len(r) == 4 and r[2] in "12345" for r in rows)
check_counts("ml-1m", [(int(r[0]), int(r[1])) for r in rows])
assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)
data = open("ml-1m/movies.dat", "rb").read()
assert not_utf8(data)
movies = [l.split("::") for l in data.decode("latin-1").splitlines()]
assert all(len(m) == 3 and re.fullmatch(r"[A-Za-z'|-]+", m[2]) for m in movies)
assert any("Children's" in m[2] for m in movies)
users = [l.split("::") for l in open("ml-1m/users.dat").read().splitlines()]
assert all(len(u) == 5 and u[2] in "1 18 25 35 45 50 56".split() for u in users)

# ml-10m: half stars written "4" or "3.5", movies in UTF-8
rows = [l.split("::") for l in open("ml-10m/ratings.dat").read().splitlines()]
vals = {r[2] for r in rows}
assert vals <= {"0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"} and "3.5" in vals
check_counts("ml-10m", [(int(r[0]), int(r[1])) for r in rows])
movies = open("ml-10m/movies.dat", encoding="utf-8").read()
assert "Caf\u00e9" in movies and "\U0001F4DA" in movies and "Children's" not in movies
p = planted("ml-10m")
assert p["step"] == "0.5" and p["lo"] == "0.5" and p["hi"] == "5"

# ml-csv: RFC 4180, ratings like 4.0 and 3.5
with open("ml-csv/ratings.csv", newline="") as f:
    r = list(csv.reader(f))
assert r[0] == ["userId", "movieId", "rating", "timestamp"]
assert all(re.fullmatch(r"[0-5]\.[05]", x[2]) for x in r[1:])
check_counts("ml-csv", [(int(x[0]), int(x[1])) for x in r[1:]])
keys = [(int(x[0]), int(x[1])) for x in r[1:]]
assert keys == sorted(keys)                           # by user, then movie
raw = open("ml-csv/movies.csv", encoding="utf-8").read()
with open("ml-csv/movies.csv", newline="", encoding="utf-8") as f:
    m = list(csv.reader(f))
assert m[0] == ["movieId", "title", "genres"] and all(len(x) == 3 for x in m)
titles = [x[1] for x in m[1:]]
assert any(t.startswith('"Perfect" Stranger, The (') for t in titles)
assert any(t.startswith("Bread, Wine, and Salt (") for t in titles)
assert '"""Perfect"" Stranger, The (' in raw and '"Bread, Wine, and Salt (' in raw
assert any(t.startswith("<script>alert(1)</script> (") for t in titles)

# ml-kaggle: R's write.csv: quoted header and strings, dates as text
lines = open("ml-kaggle/rating.csv").read().splitlines()
assert lines[0] == '"userId","movieId","rating","timestamp"'
assert all(re.fullmatch(r"\d+,\d+,[0-5]\.[05],\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", l) for l in lines[1:])
check_counts("ml-kaggle", [tuple(map(int, l.split(",")[:2])) for l in lines[1:]])
mlines = open("ml-kaggle/movie.csv", encoding="utf-8").read().splitlines()
assert mlines[0] == '"movieId","title","genres"'
assert all(re.fullmatch(r'\d+,".*","[^"]*"', l) for l in mlines[1:])
print("ok movielens")
EOF
