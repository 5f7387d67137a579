# ml-100k - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 100K: 100,000 ratings of 1,682 movies by 943 users (u.data, u.item in Latin-1).  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens 100K: 100,000 ratings of 1,682 movies by 943 users (u.data, u.item in Latin-1)
ARCHIVE       := ml-100k.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-100k.zip
ARCHIVE_DIR   := ml-100k
ARCHIVE_MD5   := 0e33842e24a9c977be4e0107933c0723
ARCHIVE_SHA256 := 
ARCHIVE_SIZE  := 4924029
FILES         := u.data u.item
SAMPLE_FLAGS  := --format ml-100k --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
