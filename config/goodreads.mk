# goodreads - the full UCSD Book Graph dump (Wan & McAuley, RecSys 2018):
# 228,648,342 interactions of 876,145 users with 2,360,650 books, JSON lines.
# About 11 GB of interactions and 2 GB of books, gzip'd.
# Cite: https://mengtingwan.github.io/data/goodreads.html

DESCRIPTION   := UCSD Goodreads, full JSON dump (228M interactions)
UCSD          := https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads
FILES         := goodreads_interactions_dedup.json.gz goodreads_books.json.gz \
                 goodreads_book_works.json.gz goodreads_book_authors.json.gz
URL.goodreads_interactions_dedup.json.gz := $(UCSD)/goodreads_interactions_dedup.json.gz
URL.goodreads_books.json.gz              := $(UCSD)/goodreads_books.json.gz
URL.goodreads_book_works.json.gz         := $(UCSD)/goodreads_book_works.json.gz
URL.goodreads_book_authors.json.gz       := $(UCSD)/goodreads_book_authors.json.gz
# UCSD publishes no checksums: `make fetch` records the SHA-256 of what it
# downloaded in RAW/SHA256SUMS and verifies against it from then on.
SAMPLE_FLAGS  := --format goodreads --seed 7 --users 3000 --items 1500 --interactions 60000

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
FILTER_FLAGS  ?= --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
