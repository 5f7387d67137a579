#!/usr/bin/env bash
# goodlens-sample --format goodbooks: Kaggle's goodbooks-10k layout, with
# pandas' number formats, 1-based ids, duplicate pairs and both column
# orders of ratings.csv.
set -eu

args=(--seed 3 --users 300 --items 150 --interactions 6000)
goodlens-sample --format goodbooks --out gb "${args[@]}" --dup-share 0.05
goodlens-sample --format goodbooks --out old "${args[@]}" --dup-share 0.05 --goodbooks-order book

python3 - <<'EOF'
import csv, re
from collections import Counter

def planted(d):
    return dict(l.rstrip("\n").split("=", 1) for l in open(f"{d}/planted.txt") if "=" in l)

def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))

p = planted("gb")
books = read("gb/books.csv")
header = ("book_id,goodreads_book_id,best_book_id,work_id,books_count,isbn,isbn13,authors,"
          "original_publication_year,original_title,title,language_code,average_rating,"
          "ratings_count,work_ratings_count,work_text_reviews_count,ratings_1,ratings_2,"
          "ratings_3,ratings_4,ratings_5,image_url,small_image_url").split(",")
assert books[0] == header
rows = [dict(zip(header, r)) for r in books[1:]]
assert all(len(r) == 23 for r in books)
assert [int(r["book_id"]) for r in rows] == list(range(1, len(rows) + 1))
assert len(rows) == int(p["metadata_books"])
for r in rows:
    assert re.fullmatch(r"(-?\d+\.0)?", r["original_publication_year"]), r
    assert re.fullmatch(r"(9\.\d+e\+12)?", r["isbn13"]), r["isbn13"]
    assert re.fullmatch(r"(\d{9,10}|\d{9}X)?", r["isbn"]), r["isbn"]
    assert re.fullmatch(r"\d\.\d{1,2}", r["average_rating"]), r["average_rating"]
    n = [int(r[f"ratings_{k}"]) for k in range(1, 6)]
    assert sum(n) == int(r["work_ratings_count"]) >= int(r["ratings_count"])
    assert abs(sum(k * c for k, c in zip(range(1, 6), n)) / sum(n) - float(r["average_rating"])) < 0.006
raw = open("gb/books.csv", encoding="utf-8").read()
assert '"Bread, Wine, and Salt' in raw and '""Perfect""' in raw       # pandas quoting
assert any(r["title"] == "<script>alert(1)</script>" for r in rows)

ratings = read("gb/ratings.csv")
assert ratings[0] == ["user_id", "book_id", "rating"]
pairs = [(int(u), int(b)) for u, b, _ in ratings[1:]]
assert all(r[2] in "12345" for r in ratings[1:])
assert len(pairs) == int(p["ratings"])
dups = sum(c - 1 for c in Counter(pairs).values())
assert dups == int(p["duplicates"]) > 0
assert min(u for u, _ in pairs) == 1 and max(b for _, b in pairs) <= len(rows)
assert [u for u, _ in pairs] == sorted(u for u, _ in pairs)
to_read = read("gb/to_read.csv")
assert to_read[0] == ["user_id", "book_id"] and len(to_read) - 1 == int(p["shelved"]) > 0
assert not {(int(u), int(b)) for u, b in to_read[1:]} & set(pairs)

# The first release, as on Kaggle: ids named id,book_id in books.csv.
assert read("old/books.csv")[0] == ["id", "book_id"] + header[2:]
assert read("old/books.csv")[1:] == books[1:]
old = read("old/ratings.csv")
assert old[0] == ["book_id", "user_id", "rating"]
assert sorted((int(u), int(b), r) for b, u, r in old[1:]) == sorted((int(u), int(b), r) for u, b, r in ratings[1:])
keys = [(int(b), int(u)) for b, u, _ in old[1:]]
assert keys == sorted(keys)                                       # by book, then user
print("ok goodbooks")
EOF
