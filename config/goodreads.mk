# goodreads - the full UCSD Book Graph dump (Wan & McAuley, RecSys 2018):
# 228,648,342 interactions (104,551,549 of them rated) of 876,145 users with
# 2,360,655 books, JSON lines: about 11 GB of interactions and 2 GB of books,
# gzip'd, plus the works and authors files, which the pipeline uses when
# they are there.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# UCSD publishes no checksums: `make fetch` records the SHA-256 of what it
# downloaded in RAW/SHA256SUMS and verifies against it from then on.

DESCRIPTION   := UCSD Goodreads full JSON dump (228,648,342 interactions, about 13 GB)
UCSD          := https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads
FILES         := goodreads_interactions_dedup.json.gz goodreads_books.json.gz
# The books give each book its title and its work (work_id: the editions
# are merged into works by it).  Works and authors only fill the columns of
# `make kaggle`'s books.csv: without them the model and the report are the
# same.
OPTIONAL_FILES := goodreads_book_works.json.gz goodreads_book_authors.json.gz
TABLE.goodreads_book_works.json.gz     := works.csv
TABLE.goodreads_book_authors.json.gz   := authors.csv
WITHOUT.goodreads_book_works.json.gz   := make kaggle's books.csv has no original titles, years or work rating counts (the model is the same: editions are merged into works by the books' work_id)
WITHOUT.goodreads_book_authors.json.gz := make kaggle's books.csv has no author names (the model and the report do not use them)
URL.goodreads_interactions_dedup.json.gz := $(UCSD)/goodreads_interactions_dedup.json.gz
URL.goodreads_books.json.gz              := $(UCSD)/goodreads_books.json.gz
URL.goodreads_book_works.json.gz         := $(UCSD)/goodreads_book_works.json.gz
URL.goodreads_book_authors.json.gz       := $(UCSD)/goodreads_book_authors.json.gz
# SYNTH=1: a small dump in the same layout, books in several editions.
SAMPLE_FLAGS  := --format goodreads --seed 7 --editions 3
SAMPLE_SIZE   := --users 600 --items 300 --interactions 12000
# make kaggle: the goodbooks-10k and UCSD CSV layouts from this dump.
KAGGLE        := 1
KAGGLE_BOOKS  := goodreads_books.json.gz

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
# Shelved rows (rating 0) dropped, editions merged into works (a popular
# book has hundreds), then the 5-core of users and works; 10% held out.
# docs/PIPELINE.md explains the choice and its sizes.
FILTER_FLAGS  := --item-key work --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42
# Biased MF by SGD (LIBMF's updates: 32 factors, L2 regularisation 0.1, 30
# epochs), not fastai's dot product: at this size fastai's settings (bs 64,
# decoupled weight decay at every step) shrink every row's factors and biases
# toward zero between its updates, and dot ends near the global mean.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model mf --epochs 30 --seed 42
