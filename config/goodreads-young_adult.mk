# goodreads-young_adult - the UCSD Goodreads "young_adult" genre subset: its
# interactions and its books, JSON lines.
# Cite: https://mengtingwan.github.io/data/goodreads.html

DESCRIPTION   := UCSD Goodreads, young_adult genre subset
UCSD          := https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads/byGenre
FILES         := goodreads_interactions_young_adult.json.gz goodreads_books_young_adult.json.gz
URL.goodreads_interactions_young_adult.json.gz := $(UCSD)/goodreads_interactions_young_adult.json.gz
URL.goodreads_books_young_adult.json.gz        := $(UCSD)/goodreads_books_young_adult.json.gz
SAMPLE_FLAGS  := --format goodreads-genre --genre young_adult --seed 11

JOIN_TABLE    := books.csv
JOIN_ON       := book_id
FILTER_FLAGS  ?= --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
