# ml-latest-small - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# latest-small: 100,836 half-star ratings of 9,742 movies by 610 users (CSV), for teaching.
# Published as ml-latest-small.zip; `make fetch` downloads it, checks it and unpacks
# the files below from its ml-latest-small/ folder.  Checksums: SHA-256 and size as
# TensorFlow Datasets records them (url_checksums/movielens.txt), else the
# MD5 GroupLens publishes beside the zip (ml-latest-small.zip.md5, fetched too).

DESCRIPTION   := MovieLens latest-small: 100,836 half-star ratings of 9,742 movies by 610 users (CSV), for teaching
ARCHIVE       := ml-latest-small.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-latest-small.zip
ARCHIVE_MD5_URL := $(ARCHIVE_URL).md5
ARCHIVE_DIR   := ml-latest-small
ARCHIVE_MD5   :=
ARCHIVE_SHA256 := 696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436
ARCHIVE_SIZE  := 978202
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
# fastai's collab_learner (EmbeddingDotBias: 50 factors, y_range (0, 5.5),
# one-cycle Adam at 5e-3, bs 64) with L2 weight decay 2e-3 for 8 epochs
# instead of fastai's decoupled 0.1 for 5: on few ratings per user the
# decoupled decay restrains the factors too little (they overfit, and dot
# ends worse than biases only) and a larger one flattens the biases; L2 beat
# fastai's defaults on generated data both small and at the full size.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model dot --wd-mode l2 --wd 4e-3 --epochs 8 --seed 42
