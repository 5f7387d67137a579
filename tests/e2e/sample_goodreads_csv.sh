#!/usr/bin/env bash
# goodlens-sample --format goodreads-csv carries the same interactions as
# --format goodreads for the same seed, through its two id maps; with
# --map-missing the maps lack rows, counted in planted.txt.  The genre
# format writes the genre's share under the genre's file names.
set -eu

args=(--seed 5 --users 250 --items 150 --interactions 5000 --editions 2)
goodlens-sample --format goodreads --out json "${args[@]}"
goodlens-sample --format goodreads-csv --out csv "${args[@]}"
goodlens-sample --format goodreads-csv --out holes "${args[@]}" --map-missing 0.2
goodlens-sample --format goodreads-genre --genre poetry --out poetry "${args[@]}"

python3 - <<'EOF'
import csv, gzip, json

def planted(d):
    return dict(l.rstrip("\n").split("=", 1) for l in open(f"{d}/planted.txt") if "=" in l)

def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))

inter = read("csv/goodreads_interactions.csv")
assert inter[0] == ["user_id", "book_id", "is_read", "rating", "is_reviewed"]
umap = read("csv/user_id_map.csv")
bmap = read("csv/book_id_map.csv")
assert umap[0] == ["user_id_csv", "user_id"] and bmap[0] == ["book_id_csv", "book_id"]
users = {int(a): b for a, b in umap[1:]}
books = {int(a): b for a, b in bmap[1:]}
assert sorted(users) == list(range(len(users))) and sorted(books) == list(range(len(books)))
assert [int(a) for a, _ in bmap[1:]] == sorted(books)   # rows by csv id

with gzip.open("json/goodreads_interactions_dedup.json.gz", "rt") as f:
    js = [json.loads(l) for l in f]
rows = inter[1:]
assert len(rows) == len(js) == int(planted("csv")["lines"])
for r, o in zip(rows, js):
    u, b, is_read, rating, reviewed = map(int, r)
    assert users[u] == o["user_id"] and books[b] == o["book_id"], (r, o)
    assert rating == o["rating"] and bool(is_read) == o["is_read"]
    assert bool(reviewed) == (o["review_text_incomplete"] != "")
ids = [int(r[0]) for r in rows]
assert ids == sorted(ids)                                  # grouped by user

# holes in the maps, counted
p = planted("holes")
hu = {int(a) for a, _ in read("holes/user_id_map.csv")[1:]}
hb = {int(a) for a, _ in read("holes/book_id_map.csv")[1:]}
hrows = read("holes/goodreads_interactions.csv")[1:]
assert hrows == rows
assert len({int(r[0]) for r in hrows} - hu) == int(p["map_missing_users"]) > 0
assert len({int(r[1]) for r in hrows} - hb) == int(p["map_missing_books"]) > 0

# the genre files: their own names, only that genre's books
p = planted("poetry")
assert p["genre"] == "poetry" and p["format"] == "goodreads-genre"
with gzip.open("poetry/goodreads_interactions_poetry.json.gz", "rt") as f:
    gi = [json.loads(l) for l in f]
with gzip.open("poetry/goodreads_books_poetry.json.gz", "rt") as f:
    gb = [json.loads(l) for l in f]
items = {r["item_id"]: r["genre"] for r in csv.DictReader(open("poetry/planted_items.csv"))}
assert set(items.values()) == {"poetry"}
assert len(gi) == int(p["lines"]) > 0 and len(gb) == int(p["metadata_books"]) > 0
assert {o["book_id"] for o in gi} <= set(items)
all_json = {(o["user_id"], o["book_id"]) for o in js}
assert {(o["user_id"], o["book_id"]) for o in gi} <= all_json   # a subset of the full dump
print("ok goodreads-csv and genre")
EOF
