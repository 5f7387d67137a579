# ml-20m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 20M: 20,000,263 ratings of 26,744 movies by 138,493 users (CSV).  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens 20M: 20,000,263 ratings of 26,744 movies by 138,493 users (CSV)
ARCHIVE       := ml-20m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-20m.zip
ARCHIVE_DIR   := ml-20m
ARCHIVE_MD5   := cd245b17a1ae2cc31bb14903e1204af3
ARCHIVE_SHA256 := 96f243c338a8665f6bcc89c53edf6ee39162a846940de6b7c8c48aeada765ff3
ARCHIVE_SIZE  := 198702078
FILES         := ratings.csv movies.csv
SAMPLE_FLAGS  := --format ml-csv --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
