# ml-25m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 25M: 25,000,095 ratings (CSV).  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens 25M: 25,000,095 ratings (CSV)
ARCHIVE       := ml-25m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-25m.zip
ARCHIVE_DIR   := ml-25m
ARCHIVE_MD5   := 6b51fb2759a8657d3bfcbfc42b592ada
ARCHIVE_SHA256 := 
ARCHIVE_SIZE  := 
FILES         := ratings.csv movies.csv
SAMPLE_FLAGS  := --format ml-csv --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
