#!/usr/bin/env bash
# goodlens-sample --format goodreads: the four UCSD files parse as JSON lines
# with the dump's key order and separators, and agree with planted.txt.
set -eu

goodlens-sample --format goodreads --out gr --seed 7 --users 300 --items 200 \
	--interactions 6000 --editions 3 --missing-books 0.05 --orphan-books 0.1

python3 - gr <<'EOF'
import gzip, json, re, sys
from collections import Counter

d = sys.argv[1]
planted = dict(l.rstrip("\n").split("=", 1) for l in open(f"{d}/planted.txt") if "=" in l)
for k in "seed format users items ratings shelved factors noise mu step lo hi floor_rmse floor_mae".split():
    assert k in planted, k
assert planted["format"] == "goodreads" and planted["seed"] == "7"

def lines(name):
    with gzip.open(f"{d}/{name}", "rt", encoding="utf-8") as f:
        return f.read().splitlines()

# interactions: exactly what json.dumps writes (ASCII, ", " and ": ")
keys = ["user_id", "book_id", "review_id", "is_read", "rating", "review_text_incomplete",
        "date_added", "date_updated", "read_at", "started_at"]
date = re.compile(r"^(|[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d -0[78]00 \d{4})$")
inter = [json.loads(l) for l in lines("goodreads_interactions_dedup.json.gz")]
raw = lines("goodreads_interactions_dedup.json.gz")
runs, last, reviews = set(), None, 0
for l, o in zip(raw, inter):
    assert list(o) == keys, list(o)
    assert json.dumps(o) == l, l
    assert re.fullmatch(r"[0-9a-f]{32}", o["user_id"]) and re.fullmatch(r"[0-9a-f]{32}", o["review_id"])
    assert re.fullmatch(r"[1-9][0-9]*", o["book_id"]) and int(o["book_id"]) < 40_000_000
    assert o["rating"] in range(6) and isinstance(o["is_read"], bool)
    for k in keys[6:]:
        assert date.match(o[k]), o[k]
    assert o["date_added"] != ""
    reviews += o["review_text_incomplete"] != ""
    if o["user_id"] != last:            # grouped by user, like the dump
        assert o["user_id"] not in runs
        runs.add(o["user_id"]); last = o["user_id"]
assert reviews > 0
ratings = sum(o["rating"] > 0 for o in inter)
assert len(inter) == int(planted["lines"]) == 6000
assert ratings == int(planted["ratings"]) and len(inter) - ratings == int(planted["shelved"])
assert len({o["user_id"] for o in inter}) == int(planted["users"])
rated_books = {o["book_id"] for o in inter}
assert len(rated_books) == int(planted["items"])

# books: the 29 keys, every scalar a string; both escapings of non-ASCII
bkeys = ("isbn text_reviews_count series country_code language_code popular_shelves asin "
         "is_ebook average_rating kindle_asin similar_books description format link authors "
         "publisher num_pages publication_day isbn13 publication_month edition_information "
         "publication_year url image_url book_id ratings_count work_id title "
         "title_without_series").split()
braw = lines("goodreads_books.json.gz")
books = [json.loads(l) for l in braw]
for l, b in zip(braw, books):
    assert list(b) == bkeys, list(b)
    assert l in (json.dumps(b), json.dumps(b, ensure_ascii=False)), l
    for k, v in b.items():
        if k in ("series", "similar_books"):
            assert all(isinstance(x, str) for x in v)
        elif k == "popular_shelves":
            assert v and v[0]["name"] == "to-read"
            assert all(list(s) == ["count", "name"] and s["count"].isdigit() for s in v)
            assert [int(s["count"]) for s in v] == sorted((int(s["count"]) for s in v), reverse=True)
        elif k == "authors":
            assert v and all(list(a) == ["author_id", "role"] for a in v) and v[0]["role"] == ""
        else:
            assert isinstance(v, str), (k, v)
    assert b["is_ebook"] in ("true", "false")
text = "\n".join(braw)
titles = [b["title"] for b in books]
assert "<script>alert(1)</script>" in titles
assert any("," in t for t in titles) and any('"' in t for t in titles)
assert re.search(r"\\u00[0-9a-f]{2}", text), "no \\u escapes"
assert re.search(r"\\ud83d\\udc", text), "no surrogate pair"
assert any(ord(ch) > 127 for ch in text), "no raw UTF-8"
ids = Counter(b["book_id"] for b in books)
assert max(ids.values()) == 1
assert len(books) == int(planted["metadata_books"])
missing = rated_books - set(ids)
assert len(missing) == int(planted["missing_books"]) > 0
orphans = set(ids) - rated_books
assert len(orphans) >= int(planted["orphan_books"]) > 0
per_work = Counter(b["work_id"] for b in books)
assert max(per_work.values()) > 1, "no work with several editions"

# works and authors
wkeys = ("books_count reviews_count original_publication_month default_description_language_code "
         "text_reviews_count best_book_id original_publication_year original_title rating_dist "
         "default_chaptering_book_id original_publication_day original_language_id ratings_count "
         "media_type ratings_sum work_id").split()
works = {}
for l in lines("goodreads_book_works.json.gz"):
    w = json.loads(l)
    assert list(w) == wkeys and all(isinstance(v, str) for v in w.values())
    m = re.fullmatch(r"5:(\d+)\|4:(\d+)\|3:(\d+)\|2:(\d+)\|1:(\d+)\|total:(\d+)", w["rating_dist"])
    n = [int(x) for x in m.groups()]
    assert sum(n[:5]) == n[5] == int(w["ratings_count"]) > 0
    assert sum(c * (5 - i) for i, c in enumerate(n[:5])) == int(w["ratings_sum"])
    works[w["work_id"]] = w
assert set(per_work) <= set(works)
akeys = ["average_rating", "author_id", "text_reviews_count", "name", "ratings_count"]
authors = set()
for l in lines("goodreads_book_authors.json.gz"):
    a = json.loads(l)
    assert list(a) == akeys and all(isinstance(v, str) for v in a.values())
    assert re.fullmatch(r"\d\.\d\d", a["average_rating"])
    authors.add(a["author_id"])
assert {a["author_id"] for b in books for a in b["authors"]} <= authors

# planted_items.csv: one row per planted book, factors as columns
import csv
rows = list(csv.DictReader(open(f"{d}/planted_items.csv")))
assert list(rows[0])[:7] == ["item_id", "work_id", "genre", "polarising", "rank", "ratings", "bias"]
assert len([k for k in rows[0] if k.startswith("q")]) == int(planted["factors"])
assert rated_books <= {r["item_id"] for r in rows}
assert sum(int(r["ratings"]) for r in rows) == ratings
assert 0 < float(planted["floor_rmse"]) < float(planted["sd_rating"])
print("ok goodreads")
EOF
