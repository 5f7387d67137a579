#!/usr/bin/env bash
# A dense learnable sample: --min-per-user and --min-per-item hold on the
# written ratings (the brief's 5,000 x 2,000 x 1M case, scaled down to keep
# the test fast), and planted.txt reports the minimums it reached.
set -eu

goodlens-sample --format ml-csv --out dense --seed 2 --users 800 --items 300 \
	--interactions 120000 --min-per-user 100 --min-per-item 100 --factors 4

python3 - <<'PY'
import csv
from collections import Counter
p = dict(l.rstrip("\n").split("=", 1) for l in open("dense/planted.txt") if "=" in l)
with open("dense/ratings.csv", newline="") as f:
    rows = list(csv.reader(f))[1:]
users = Counter(r[0] for r in rows)
items = Counter(r[1] for r in rows)
assert len(rows) == int(p["ratings"]) == 120000
assert min(users.values()) >= 100 and min(items.values()) >= 100
assert min(users.values()) == int(p["min_user_ratings"])
assert min(items.values()) == int(p["min_item_ratings"])
assert len(users) == 800 and len(items) == 300
# the planted floor sits below the spread of the ratings and near the noise
floor, sd = float(p["floor_rmse"]), float(p["sd_rating"])
assert 0.5 < floor < float(p["noise"]) + 0.1 < sd + 0.1
print("ok dense", min(users.values()), min(items.values()), floor)
PY
