# goodbooks-10k - Zygmunt Zajac's Kaggle dataset: ratings of the 10,000 most
# popular Goodreads books, contiguous ids, every user with at least two
# ratings; to_read.csv becomes shelved-not-rated interactions.
# https://github.com/zygmuntz/goodbooks-10k

DESCRIPTION   := Kaggle goodbooks-10k (6M ratings of 10,000 books)
GB            := https://raw.githubusercontent.com/zygmuntz/goodbooks-10k/master
FILES         := ratings.csv books.csv to_read.csv
URL.ratings.csv := $(GB)/ratings.csv
URL.books.csv   := $(GB)/books.csv
URL.to_read.csv := $(GB)/to_read.csv
SAMPLE_FLAGS  := --format goodbooks --seed 17

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
