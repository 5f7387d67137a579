#!/usr/bin/env bash
# pipe.sh - stages in pipes: nothing big is written that is not needed.
#
#   scripts/pipe.sh RAW WORK
#
# RAW holds the UCSD Goodreads files (goodreads_interactions_dedup.json.gz
# and goodreads_books.json.gz, or a genre's pair: the first match of each is
# used).  Shows three streams:
#   1. zcat | head | goodlens-extract -   the first 100,000 lines of the dump
#      only, read from stdin (--source says what they are)
#   2. goodlens-join | goodlens-join -    a two-hop join through a pipe: the
#      CSV dump's ids -> book ids -> titles, as the goodreads-csv recipe does
#   3. goodlens-export ... | sort          the fastai CSV on stdout
set -euo pipefail
[ $# = 2 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
raw=$1 work=$2
files=("$raw"/goodreads_interactions*.json.gz) inter=${files[0]}
files=("$raw"/goodreads_books*.json.gz) books=${files[0]}

# 1. A quick look at a huge file: the first lines, never the whole of it.
#    (head closing the pipe early is the point: zcat's SIGPIPE is expected.
#    Further down, sed -n prints a few lines but reads to the end, so that
#    under pipefail no stage is cut off mid-write.)
{ zcat "$inter" || true; } | head -n 100000 |
	goodlens-extract --source goodreads-json --out "$work" -
# lines, records, kept, users, items read from stdin ("-")
tail -n 1 "$work/extract.stats.csv" | cut -d, -f5-9
goodlens-extract --quiet --out "$work/meta" "$books"      # books.csv

# 2. The UCSD CSV layout keeps its own integer ids: export it, then map its
#    items to titles in one pipe (book_id_csv -> book_id -> title).
goodlens-export ucsd-csv --in "$work" --out "$work/csv"
goodlens-extract --out "$work/csv" "$work/csv"/*.csv >/dev/null
goodlens-join --kind left --on book_id_csv "$work/csv/items.raw.csv" "$work/csv/book_id_map.csv" |
	goodlens-join --kind left --on book_id - "$work/meta/books.csv" |
	sed -n 1,4p | cut -c1-100

# 3. The ratings for pandas/fastai, on stdout, sorted by user then rating.
goodlens-filter --quiet --items "$work/items.raw.csv" -o "$work" "$work/ratings.raw.glr"
goodlens-export ratings-csv "$work/ratings.glr" | sort -t, -k1,1n -k3,3nr | sed -n 1,4p
