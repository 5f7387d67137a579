# ml-100k - MovieLens (GroupLens, https://grouplens.org/datasets/movielens/):
# 100K: 100,000 ratings of 1,682 movies by 943 users (u.data; u.item in Latin-1).
# Published as ml-100k.zip; `make fetch` downloads it, checks it and unpacks
# the files below from its ml-100k/ folder.  Checksums: SHA-256 and size as
# TensorFlow Datasets records them (url_checksums/movielens.txt), else the
# MD5 GroupLens publishes beside the zip (ml-100k.zip.md5, fetched too).

DESCRIPTION   := MovieLens 100K: 100,000 ratings of 1,682 movies by 943 users (u.data; u.item in Latin-1)
ARCHIVE       := ml-100k.zip
ARCHIVE_URL   := https://files.grouplens.org/datasets/movielens/ml-100k.zip
ARCHIVE_MD5_URL := $(ARCHIVE_URL).md5
ARCHIVE_DIR   := ml-100k
ARCHIVE_MD5   := 0e33842e24a9c977be4e0107933c0723
ARCHIVE_SHA256 := 50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229
ARCHIVE_SIZE  := 4924029
FILES         := u.data
# The movies give the titles.
OPTIONAL_FILES := u.item
TABLE.u.item := movies.csv
WITHOUT.u.item := the movies have no titles: the report names them by movie_id
SAMPLE_FLAGS  := --format ml-100k --seed 19
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
