# csv - your own ratings file in any layout: RAW/ratings.csv, read with
# goodlens-extract --source csv and the columns COLUMNS names, and, when
# RAW/items.csv exists, titles joined from it on the item column (TITLE
# names its title column; it lands in items.csv as `title`).  Both files may
# be separated by ',' ';' tab '|' or '::' (detected from their first lines).
#
#   make pipeline DATA=csv RAW=<dir> COLUMNS='user=rater,item=film,rating=score,time=when' [TITLE=name]
#
# COLUMNS: user=COL,item=COL,rating=COL[,time=COL] by header name.  More
# settings: SCALE=LO,HI[,STEP] (the ratings' scale, default 0.5..5 in half
# steps, whole ratings 1..5), ITEMS=<file in RAW> (default items.csv),
# ITEMS_KEY=<its item column> (default: the ratings' item column name),
# CSV_FLAGS (more goodlens-extract options, e.g. --delimiter ';').
# SYNTH=1 writes a MovieLens ratings.csv and movies.csv into RAW (half stars,
# userId,movieId,rating,timestamp) and reads them the same way.

DESCRIPTION   := your own ratings: RAW/ratings.csv in any layout, titles from RAW/items.csv
FILES         := ratings.csv
SAMPLE_FLAGS  := --format ml-csv --seed 23
SAMPLE_SIZE   := --users 300 --items 200 --interactions 6000

ifeq ($(SYNTH),1)
COLUMNS       ?= user=userId,item=movieId,rating=rating,time=timestamp
ITEMS         ?= movies.csv
endif
ITEMS         ?= items.csv
TITLE         ?= title
SCALE         ?=
CSV_FLAGS     ?=

csv_comma := ,
# The ratings' item column and the key column extract names after it in
# items.raw.csv ("item" becomes item_id, goodlens-extract --help).
CSV_ITEM      := $(patsubst item=%,%,$(filter item=%,$(subst $(csv_comma), ,$(COLUMNS))))
CSV_ITEM_KEY  := $(if $(filter user item,$(CSV_ITEM)),$(CSV_ITEM)_id,$(CSV_ITEM))
ITEMS_KEY     ?= $(CSV_ITEM)

EXTRACT_FLAGS  = --max-bad 1% --source csv --columns $(call shq,$(COLUMNS)) \
                 $(if $(SCALE),--scale $(call shq,$(SCALE))) $(CSV_FLAGS)
JOIN_ON        = $(CSV_ITEM_KEY)=$(ITEMS_KEY)
# Generated files exist only once made: under SYNTH=1 the table is named,
# otherwise used when it is there.
JOIN_RIGHT     = $(if $(filter 1,$(SYNTH)),$(RAW)/$(ITEMS),$(wildcard $(RAW)/$(ITEMS)))
JOIN_NONE      = no $(RAW)/$(ITEMS)
JOIN_FLAGS     = --rename $(call shq,$(TITLE)=title)
REPORT_ABOUT   = your ratings, $(RAW)/ratings.csv$(if $(JOIN_RIGHT), with titles from $(JOIN_RIGHT))

# Every rating counts (no k-core: a small file keeps its users and items);
# 20% held out at random.  Biased MF by SGD: unlike dot it has no y-range
# tied to 0..5 stars, so any --scale trains as it is.
FILTER_FLAGS  := --min-user-ratings 1 --min-item-ratings 1 --split random:0.2 --seed 42
TRAIN_FLAGS   := --model mf --epochs 30 --seed 42

# What this recipe cannot do without: said before anything runs.
csv_goals := $(filter pipeline pipeline-run raw fetch,$(MAKECMDGOALS) $(if $(MAKECMDGOALS),,$(.DEFAULT_GOAL)))
ifneq ($(filter fetch,$(csv_goals)),)
  $(error DATA=csv reads your own files, there is nothing to fetch: put ratings.csv (and items.csv) in a folder and run $(PIPELINE_CMD) pipeline DATA=csv RAW=<folder> COLUMNS=...)
endif
ifneq ($(csv_goals),)
  ifeq ($(strip $(COLUMNS)),)
    $(error DATA=csv needs COLUMNS, the columns of ratings.csv that hold the user, the item, the rating and optionally the time, by header name: COLUMNS='user=rater,item=film,rating=score,time=when')
  endif
  ifneq ($(SYNTH),1)
    ifeq ($(wildcard $(or $(RAW),data/raw/csv)/ratings.csv),)
      $(error DATA=csv reads RAW/ratings.csv and there is no $(or $(RAW),data/raw/csv)/ratings.csv: give RAW=<the folder that holds ratings.csv>, or try SYNTH=1)
    endif
  endif
endif
