# ml-10m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 10M: 10,000,054 half-star ratings (.dat, UTF-8).  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens 10M: 10,000,054 half-star ratings (.dat, UTF-8)
ARCHIVE       := ml-10m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-10m.zip
ARCHIVE_DIR   := ml-10M100K
ARCHIVE_MD5   := 
ARCHIVE_SHA256 := 
ARCHIVE_SIZE  := 
FILES         := ratings.dat movies.dat
SAMPLE_FLAGS  := --format ml-10m --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
