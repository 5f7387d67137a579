# goodreads-csv - the UCSD Goodreads interactions as CSV (about 4.1 GB:
# user_id,book_id,is_read,rating,is_reviewed) with integer ids, which
# user_id_map.csv and book_id_map.csv turn back into the real ids; titles
# come from goodreads_books.json.gz through the book map (a two-hop join).
# About 229 million interactions, as in the JSON dump, without dates.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# UCSD publishes no checksums: `make fetch` records the SHA-256 of what it
# downloaded in RAW/SHA256SUMS and verifies against it from then on.

DESCRIPTION   := UCSD Goodreads interactions as CSV with id maps (4.1 GB) and the books file (2 GB)
UCSD          := https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads
FILES         := goodreads_interactions.csv book_id_map.csv goodreads_books.json.gz
# The pipeline keys users by the CSV's integer ids; user_id_map.csv, which
# turns them back into Goodreads ids, is copied into OUT when it is there.
OPTIONAL_FILES := user_id_map.csv
TABLE.user_id_map.csv   := user_id_map.csv
WITHOUT.user_id_map.csv := OUT has no user_id_map.csv to turn the CSV's integer user ids back into Goodreads ids (the pipeline uses the integer ids either way)
URL.goodreads_interactions.csv := $(UCSD)/goodreads_interactions.csv
URL.user_id_map.csv            := $(UCSD)/user_id_map.csv
URL.book_id_map.csv            := $(UCSD)/book_id_map.csv
URL.goodreads_books.json.gz    := $(UCSD)/goodreads_books.json.gz
# SYNTH=1: the CSV layout and, from the same seed and sizes (so the same
# catalogue), the JSON books file beside it.
SAMPLE_FLAGS  := --format goodreads-csv --seed 13 --editions 3
SAMPLE_EXTRA  := --format goodreads --seed 13 --editions 3
SAMPLE_SIZE   := --users 600 --items 300 --interactions 12000

# items.raw.csv holds CSV ids: map them to book ids first, then to books.
JOIN_MAP      := book_id_map.csv
JOIN_MAP_ON   := book_id_csv
JOIN_TABLE    := books.csv
JOIN_ON       := book_id
# As for the JSON dump (config/goodreads.mk).
FILTER_FLAGS  := --item-key work --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42
# Biased MF by SGD (LIBMF's updates: 32 factors, L2 regularisation 0.1, 30
# epochs), not fastai's dot product: at this size fastai's settings (bs 64,
# decoupled weight decay at every step) shrink every row's factors and biases
# toward zero between its updates, and dot ends near the global mean.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model mf --epochs 30 --seed 42
