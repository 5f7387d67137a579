# goodbooks-10k - Zygmunt Zajac's Kaggle dataset: about six million ratings
# (1 to 5) of the 10,000 most rated Goodreads books by 53,424 users, ids
# contiguous from 1 (a book_id stands for the work: its editions' ratings
# are pooled), and close to a million "to read" pairs, which become
# shelved-not-rated interactions (dropped by filter, counted in the funnel).
# https://github.com/zygmuntz/goodbooks-10k (no published checksums: `make
# fetch` records the SHA-256 of the first download in RAW/SHA256SUMS).

DESCRIPTION   := Kaggle goodbooks-10k (6 million ratings of 10,000 books by 53,424 users)
GB            := https://raw.githubusercontent.com/zygmuntz/goodbooks-10k/master
FILES         := ratings.csv
# books.csv gives the titles; to_read.csv the shelved rows.
OPTIONAL_FILES := books.csv to_read.csv
TABLE.books.csv     := books.csv
WITHOUT.books.csv   := the books have no titles: the report names them by book_id
WITHOUT.to_read.csv := no shelved (to-read) rows: the funnel's drop-zero step removes none, the ratings are the same
URL.ratings.csv := $(GB)/ratings.csv
URL.books.csv   := $(GB)/books.csv
URL.to_read.csv := $(GB)/to_read.csv
SAMPLE_FLAGS  := --format goodbooks --seed 17
SAMPLE_SIZE   := --users 300 --items 200 --interactions 6000

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
# The 10,000 most rated books by design: no k-core, so every rating counts
# as in the Kaggle notebooks; 20% held out at random as in fastai's chapter.
FILTER_FLAGS  := --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
# Biased MF by SGD (LIBMF's updates: 32 factors, L2 regularisation 0.1), not
# fastai's dot product: at this size fastai's settings (bs 64, decoupled
# weight decay at every step) shrink every row's factors and biases toward
# zero between its updates, and dot ends near the global mean.  Up to 30
# epochs, keeping the one with the best validation loss (--patience 10): at
# the full size the loss falls to the last epoch, but on a small subset
# (the generated one: about 11 training ratings a user) it turns up after
# 5 epochs and the later ones only overfit, below biases only.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model mf --epochs 30 --patience 10 --seed 42
