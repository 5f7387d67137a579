# ml-32m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 32M: about 32 million ratings (CSV).  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens 32M: about 32 million ratings (CSV)
ARCHIVE       := ml-32m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-32m.zip
ARCHIVE_DIR   := ml-32m
ARCHIVE_MD5   := 
ARCHIVE_SHA256 := 
ARCHIVE_SIZE  := 
FILES         := ratings.csv movies.csv
SAMPLE_FLAGS  := --format ml-csv --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
