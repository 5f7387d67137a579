#!/usr/bin/env bash
# extract-genre.sh - read one UCSD Goodreads genre subset into goodlens files.
#
#   scripts/extract-genre.sh RAW GENRE WORK
#
# RAW holds goodreads_interactions_GENRE.json.gz and goodreads_books_GENRE.json.gz
# (make fetch DATA=goodreads-GENRE puts them in data/raw/goodreads-GENRE;
# goodlens-sample --format goodreads-genre --genre GENRE writes look-alikes).
# WORK receives ratings.raw.glr (every interaction, rating 0 = shelved),
# users.raw.csv, items.raw.csv (item,book_id), books.csv and
# extract.stats.csv.  Next: scripts/join-titles.sh WORK.
set -euo pipefail
[ $# = 3 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
raw=$1 genre=$2 work=$3

# One run reads both files: the kind of each is told by its first line.
# --max-bad 1%: a damaged download fails here instead of giving a model of
# whatever lines were readable.
goodlens-extract --out "$work" --max-bad 1% \
	"$raw/goodreads_interactions_$genre.json.gz" "$raw/goodreads_books_$genre.json.gz"

# What was read: one row per file, then the total (lines, kept, users, items,
# and a count per kind of bad record).
cut -d, -f1,2,5-9 "$work/extract.stats.csv"
