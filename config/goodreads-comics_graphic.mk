# goodreads-comics_graphic - the UCSD Goodreads "comics_graphic" genre subset
# (Wan & McAuley, RecSys 2018): about 7,347,630 interactions of 89,411 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# UCSD publishes no checksums: `make fetch` records the SHA-256 of what it
# downloaded in RAW/SHA256SUMS and verifies against it from then on.

DESCRIPTION   := UCSD Goodreads comics_graphic genre subset (7,347,630 interactions of 89,411 books)
UCSD          := https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads/byGenre
FILES         := goodreads_interactions_comics_graphic.json.gz goodreads_books_comics_graphic.json.gz
# Both are needed: the books give each book its title and its work (the
# editions are merged into works by work_id).  The genre subsets come with
# no works or authors files.
OPTIONAL_FILES :=
URL.goodreads_interactions_comics_graphic.json.gz := $(UCSD)/goodreads_interactions_comics_graphic.json.gz
URL.goodreads_books_comics_graphic.json.gz        := $(UCSD)/goodreads_books_comics_graphic.json.gz
# SYNTH=1: the genre's share of a generated dump, editions included.
SAMPLE_FLAGS  := --format goodreads-genre --genre comics_graphic --seed 11 --editions 3
SAMPLE_SIZE   := --users 800 --items 500 --interactions 40000

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
# Editions merged into works; 5-cores: every user and work keeps 5 ratings.
FILTER_FLAGS  := --item-key work --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42
# Biased MF by SGD (LIBMF's updates: 32 factors, L2 regularisation 0.1), not
# fastai's dot product: at this size fastai's settings (bs 64, decoupled
# weight decay at every step) shrink every row's factors and biases toward
# zero between its updates, and dot ends near the global mean.  Up to 30
# epochs, keeping the one with the best validation loss (--patience 10): at
# the full size the loss falls to the last epoch, but on a small subset
# (the generated one: about 7 training ratings a user) it turns up after
# 5 epochs and the later ones only overfit, below biases only.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model mf --epochs 30 --patience 10 --seed 42
