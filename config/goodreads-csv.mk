# goodreads-csv - the UCSD Goodreads interactions as CSV (about 4.1 GB) with
# integer ids, which user_id_map.csv and book_id_map.csv turn back into the
# real ids; titles come from goodreads_books.json.gz through the map (a
# two-hop join).
# Cite: https://mengtingwan.github.io/data/goodreads.html

DESCRIPTION   := UCSD Goodreads, CSV interactions with id maps
UCSD          := https://datarepo.eng.ucsd.edu/mcauley_group/gdrive/goodreads
FILES         := goodreads_interactions.csv user_id_map.csv book_id_map.csv \
                 goodreads_books.json.gz
URL.goodreads_interactions.csv := $(UCSD)/goodreads_interactions.csv
URL.user_id_map.csv            := $(UCSD)/user_id_map.csv
URL.book_id_map.csv            := $(UCSD)/book_id_map.csv
URL.goodreads_books.json.gz    := $(UCSD)/goodreads_books.json.gz
SAMPLE_FLAGS  := --format goodreads-csv --seed 13
SAMPLE_EXTRA  := --format goodreads --seed 13

# items.raw.csv holds CSV ids: map them to book ids first, then to books.
JOIN_MAP      := book_id_map.csv
JOIN_MAP_ON   := book_id_csv
JOIN_TABLE    := books.csv
JOIN_ON       := book_id
FILTER_FLAGS  ?= --min-user-ratings 5 --min-item-ratings 5 --split random:0.1 --seed 42
TRAIN_FLAGS   ?= --model dot --epochs 5 --seed 42
