# ml-latest-small - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# latest-small: about 100,000 ratings of 9,000 movies (CSV), for teaching.  Published as a zip; `make fetch` unpacks the files below.

DESCRIPTION   := MovieLens latest-small: about 100,000 ratings of 9,000 movies (CSV), for teaching
ARCHIVE       := ml-latest-small.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-latest-small.zip
ARCHIVE_DIR   := ml-latest-small
ARCHIVE_MD5   := 
ARCHIVE_SHA256 := 
ARCHIVE_SIZE  := 
FILES         := ratings.csv movies.csv
SAMPLE_FLAGS  := --format ml-csv --seed 19

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
FILTER_FLAGS  ?= --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
