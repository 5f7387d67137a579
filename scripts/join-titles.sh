#!/usr/bin/env bash
# join-titles.sh - put titles on the items: items.raw.csv x books.csv.
#
#   scripts/join-titles.sh WORK
#
# WORK is what scripts/extract-genre.sh (or goodlens-extract) wrote.  The
# join runs on the item dictionary (one row per book), never on the
# interactions, so it takes a moment even for the full dump.  Writes
# WORK/items.titled.csv and WORK/join.stats.csv.  Next: scripts/filter.sh.
set -euo pipefail
[ $# = 1 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
work=$1

# A left join keeps every rated book, titled or not (the dumps lack some
# books); the stats name the keys that found no partner on either side.
goodlens-join --kind left --on book_id --stats "$work/join.stats.csv" \
	-o "$work/items.titled.csv" "$work/items.raw.csv" "$work/books.csv"
cut -d, -f1-7 "$work/join.stats.csv"

# The same join to stdout, piped: the five first titled items.
goodlens-join --kind inner --on book_id "$work/items.raw.csv" "$work/books.csv" |
	sed -n 1,6p | cut -c1-100
