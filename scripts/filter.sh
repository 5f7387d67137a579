#!/usr/bin/env bash
# filter.sh - from every interaction to a training file.
#
#   scripts/filter.sh WORK [MIN]
#
# Drops shelved-not-rated rows (rating 0), keeps one rating per user and
# book, merges a book's editions into its work (by books.csv's work_id),
# keeps the MIN-core (default 5: every user and every work with at least
# MIN ratings) and holds out 20% of the ratings at random for validation.
# Writes WORK/ratings.glr, users.csv, items.csv (with titles, n_ratings,
# mean_rating) and filter.stats.csv.  Next: scripts/export-fastai.sh or
# scripts/train-compare.sh.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
work=$1 min=${2:-5}

goodlens-filter --users "$work/users.raw.csv" --items "$work/items.titled.csv" \
	--item-key work --min-user-ratings "$min" --min-item-ratings "$min" \
	--split random:0.2 --seed 42 -o "$work" "$work/ratings.raw.glr"

# One row per step: how many ratings, users and items each one kept.
cat "$work/filter.stats.csv"
