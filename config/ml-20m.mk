# ml-20m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 20M: 20,000,263 half-star ratings of 27,278 movies by 138,493 users (CSV).
# Published as ml-20m.zip; `make fetch` downloads it, checks it and unpacks
# the files below from its ml-20m/ folder.  Checksums: SHA-256 and size as
# TensorFlow Datasets records them (url_checksums/movielens.txt), else the
# MD5 GroupLens publishes beside the zip (ml-20m.zip.md5, fetched too).

DESCRIPTION   := MovieLens 20M: 20,000,263 half-star ratings of 27,278 movies by 138,493 users (CSV)
ARCHIVE       := ml-20m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-20m.zip
ARCHIVE_MD5_URL := $(ARCHIVE_URL).md5
ARCHIVE_DIR   := ml-20m
ARCHIVE_MD5   := cd245b17a1ae2cc31bb14903e1204af3
ARCHIVE_SHA256 := 96f243c338a8665f6bcc89c53edf6ee39162a846940de6b7c8c48aeada765ff3
ARCHIVE_SIZE  := 198702078
FILES         := ratings.csv
# The movies give the titles.
OPTIONAL_FILES := movies.csv
TABLE.movies.csv := movies.csv
WITHOUT.movies.csv := the movies have no titles: the report names them by movie_id
SAMPLE_FLAGS  := --format ml-csv --seed 19
SAMPLE_SIZE   := --users 300 --items 200 --interactions 6000

JOIN_TABLE    := movies.csv
JOIN_ON       := movie_id
# Every MovieLens user has rated at least 20 movies: no k-core, as in
# fastai's chapter; 20% held out at random (its valid_pct).
FILTER_FLAGS  := --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
# Biased MF by SGD (LIBMF's updates: 32 factors, L2 regularisation 0.1, 30
# epochs), not fastai's dot product: at this size fastai's settings (bs 64,
# decoupled weight decay at every step) shrink every row's factors and biases
# toward zero between its updates, and dot ends near the global mean.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model mf --epochs 30 --seed 42
