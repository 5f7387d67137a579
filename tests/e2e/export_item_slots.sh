# export_item_slots: ratings-csv (fastai) writes every row's keys and title
# exactly, whatever their length: each item's parts of a row are kept in a
# 64-byte slot when they fit and apart when they do not, and the parts are
# made in two halves on two threads when there are threads and 4096 items or
# more (join/export_ratings.c).  Tables with titles and keys of every length
# from 0 to 150 bytes, some to be quoted, cross those bounds; the rows are
# checked against the tables by a reader of their own, and are the same at
# --threads 1 (one half) and 2, 3 (two).
goodlens-sample --format goodreads --out raw --users 500 --items 6000 --interactions 60000 \
	--seed 7 --threads 2 -q
goodlens-extract -q --out ex raw/*.json.gz
goodlens-join -q --kind left --on book_id -o ex/items.titled.csv ex/items.raw.csv ex/books.csv
goodlens-filter -q --users ex/users.raw.csv --items ex/items.titled.csv --min-user-ratings 1 \
	--min-item-ratings 1 -o f ex/ratings.raw.glr
# the tables rewritten: keys and titles of lengths cycling through 0..150
python3 - <<'PY'
import csv
def text(i, n, quote):
    s = "".join("abcdefghij k,lmn\"opqrstuvwxyz"[(i + j) % 29] for j in range(n))
    return s if quote else s.replace(",", ";").replace('"', "'")
for name, key, extra in (("items", "book_id", "title"), ("users", "user_id", None)):
    rows = list(csv.DictReader(open(f"f/{name}.csv", newline="", encoding="utf-8")))
    cols = [name[:-1], key, "n_ratings"] + ([extra] if extra else [])
    with open(f"long.{name}.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            i = int(r[cols[0]])
            r[key] = "k%d-" % i + text(i, i * 7 % 70, False)
            if extra:
                r[extra] = text(i, i % 151, i % 3 == 0)
            w.writerow([r[c] for c in cols])
    print(name, len(rows))
PY
for j in 1 2 3; do
	goodlens-export -q --threads "$j" ratings-csv --users long.users.csv --items long.items.csv \
		-o "r-$j.csv" f/ratings.glr
done
python3 - <<'PY'
import csv
def table(name):
    return {r[name[:-1]]: r for r in csv.DictReader(open(f"long.{name}.csv", newline="", encoding="utf-8"))}
items, users = table("items"), table("users")
assert len(items) >= 4096, ("too few items for two halves", len(items))
rows = list(csv.DictReader(open("r-1.csv", newline="", encoding="utf-8")))
assert len(rows) > 10000, len(rows)
short = far = 0
for r in rows:
    it, us = items[r["item"]], users[r["user"]]
    assert r["book_id"] == it["book_id"], (r, it)
    assert r["title"] == it["title"], (r, it)
    assert r["user_id"] == us["user_id"], (r, us)
    # the item's parts: "<item>," and ",<book_id>,<title>" as written
    t = it["title"]
    quoted = any(c in t for c in ',"') or t[:1] == " " or t[-1:] == " "
    n = len(r["item"]) + 3 + len(it["book_id"]) + len(t) + 2 * quoted + t.count('"')
    if n <= 62:
        short += 1
    else:
        far += 1
assert short > 1000 and far > 1000, ("both kinds of items", short, far)
PY
cmp r-1.csv r-2.csv
cmp r-1.csv r-3.csv
