# ml-1m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 1M: 1,000,209 ratings of 3,706 movies by 6,040 users (.dat, Latin-1).  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens 1M: 1,000,209 ratings of 3,706 movies by 6,040 users (.dat, Latin-1)
ARCHIVE       := ml-1m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-1m.zip
ARCHIVE_DIR   := ml-1m
ARCHIVE_MD5   := c4d9eecfca2ab87c1945afe126590906
ARCHIVE_SHA256 := 
ARCHIVE_SIZE  := 
FILES         := ratings.dat movies.dat
SAMPLE_FLAGS  := --format ml-1m --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
