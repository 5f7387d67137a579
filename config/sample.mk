# sample - the built-in dataset: goodlens-sample writes a small Goodreads
# dump (JSON lines, the real layout) with a planted model, so the whole
# pipeline runs with no download.  The default recipe.

DESCRIPTION   := synthetic Goodreads dump (2,000 users, 1,000 books, 50,000 lines) with a planted model
FILES         := goodreads_interactions_dedup.json.gz goodreads_books.json.gz
# As in config/goodreads.mk: works and authors only feed `make kaggle`.
OPTIONAL_FILES := goodreads_book_works.json.gz goodreads_book_authors.json.gz
TABLE.goodreads_book_works.json.gz     := works.csv
TABLE.goodreads_book_authors.json.gz   := authors.csv
WITHOUT.goodreads_book_works.json.gz   := make kaggle's books.csv has no original titles, years or work rating counts (the model is the same)
WITHOUT.goodreads_book_authors.json.gz := make kaggle's books.csv has no author names (the model and the report do not use them)
# Made, not fetched: goodlens-sample writes RAW with SAMPLE_FLAGS (its
# default sizes; docs/SAMPLE.md).
SAMPLE_FLAGS  := --format goodreads --seed 42
SAMPLE_ONLY   := 1
KAGGLE        := 1
KAGGLE_BOOKS  := goodreads_books.json.gz

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
FILTER_FLAGS  := --min-user-ratings 5 --min-item-ratings 5 --split random:0.2 --seed 42
# fastai's dot product model (EmbeddingDotBias: 50 factors, one-cycle Adam
# at 5e-3, bs 64) with L2 weight decay 3e-3 for 8 epochs instead of
# decoupled 0.1 for 5, and y_range (0.5, 5.5) centred on the 1..5 stars:
# with about 14 training ratings a user fastai's defaults overfit and end
# worse than biases only.  docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model dot --wd-mode l2 --wd 6e-3 --y-range 0.5,5.5 --epochs 8 --seed 42
