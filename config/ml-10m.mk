# ml-10m - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 10M: 10,000,054 half-star ratings of 10,681 movies by 71,567 users (.dat with ::).
# Published as ml-10m.zip; `make fetch` downloads it, checks it and unpacks
# the files below from its ml-10M100K/ folder.  Checksums: SHA-256 and size as
# TensorFlow Datasets records them (url_checksums/movielens.txt), else the
# MD5 GroupLens publishes beside the zip (ml-10m.zip.md5, fetched too).

DESCRIPTION   := MovieLens 10M: 10,000,054 half-star ratings of 10,681 movies by 71,567 users (.dat with ::)
ARCHIVE       := ml-10m.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-10m.zip
ARCHIVE_MD5_URL := $(ARCHIVE_URL).md5
ARCHIVE_DIR   := ml-10M100K
ARCHIVE_MD5   := ce571fd55effeba0271552578f2648bd
ARCHIVE_SHA256 :=
ARCHIVE_SIZE  :=
FILES         := ratings.dat
# The movies give the titles.
OPTIONAL_FILES := movies.dat
TABLE.movies.dat := movies.csv
WITHOUT.movies.dat := the movies have no titles: the report names them by movie_id
SAMPLE_FLAGS  := --format ml-10m --seed 19
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
