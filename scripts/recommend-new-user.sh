#!/usr/bin/env bash
# recommend-new-user.sh - recommendations for someone who is not in the data.
#
#   scripts/recommend-new-user.sh WORK [MODEL]
#
# A new reader rates three books; goodlens-recommend folds those ratings
# into the trained model (a small ridge regression against the fixed item
# factors, no retraining) and ranks every other item.  MODEL is the folder
# scripts/train-compare.sh trained into (default dot).  Here the three are
# the most-rated items of WORK/items.csv, named by their key (the work_id
# after filter --item-key work), rated 5, 4 and 1.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
work=$1 model=${2:-dot}

# items.csv: item,<key>,title,...,n_ratings,mean_rating; the key is column 2.
keys=$(python3 -c '
import csv, sys
rows = sorted(csv.DictReader(open(sys.argv[1], encoding="utf-8")), key=lambda r: -int(r["n_ratings"]))
print(" ".join(list(r.values())[1] for r in rows[:3]))' "$work/items.csv")
# shellcheck disable=SC2086 # the three keys, split on purpose
set -- $keys
echo "the new reader rates: $1 -> 5, $2 -> 4, $3 -> 1"

goodlens-recommend --model "$work/$model/model.glm" --items "$work/items.csv" \
	--by-key --new "$1:5,$2:4,$3:1" -n 10 -o "$work/new-user.csv"
# kind (the rated items echoed, then the recommended), rank, given, item,
# key, score, basis, title (the title last: it may hold commas)
cut -c1-100 "$work/new-user.csv"
