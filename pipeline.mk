# pipeline.mk - `make pipeline DATA=<recipe> [RAW=dir] [OUT=dir]`.
#
# Included by the Makefile in the source tree; installed as
# $(PREFIX)/share/goodlens/pipeline.mk and run by goodlens-pipeline (or
# `make -f .../pipeline.mk`), where it uses the installed executables.
#
# A recipe (config/<name>.mk) names the raw files it needs (FILES) and those
# it uses when they are there (OPTIONAL_FILES), where they come from and the
# settings of every stage; any of its variables can be overridden on the
# command line (make pipeline DATA=ml-1m TRAIN_FLAGS='--model als').  Each
# stage is a file target, so a second run does nothing, and each stage's
# settings live in a stamp file (OUT/.<stage>.flags) rewritten only when they
# change: changing TRAIN_FLAGS reruns train and report, nothing else.
#
# SYNTH=1 makes RAW with goodlens-sample (the recipe's SAMPLE_FLAGS and
# SAMPLE_SIZE) in the recipe's real layout instead of expecting downloaded
# files; the sample recipe always does.  This is how the tests run every
# recipe offline.  TIMES=1 appends each stage's wall time, peak memory and
# CPU time (GNU time) to OUT/stage.times.  docs/PIPELINE.md has the whole story.

# Where this file is: the installed copy finds its recipes and fetch.sh
# beside it.  Run on its own (not included by the Makefile), it builds
# nothing and takes the executables from BIN (default: where PATH finds them).
PIPELINE_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
GL_STANDALONE := $(if $(filter %pipeline.mk,$(firstword $(MAKEFILE_LIST))),1)
# PIPELINE_CMD is how messages tell the user to run it again.
ifeq ($(GL_STANDALONE),1)
  BIN ?= $(patsubst %/,%,$(dir $(shell command -v goodlens-extract 2>/dev/null)))
  .DEFAULT_GOAL := pipeline
  PIPELINE_CMD ?= make -f $(PIPELINE_DIR)/pipeline.mk
else
  PIPELINE_CMD ?= make
endif

# shq(text): text as one single-quoted shell word.
shq = '$(subst ','\'',$(1))'
# same(a,b): non-empty when the two non-empty texts are equal.
same = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))

# ---- the recipe ------------------------------------------------------------
# A user's own recipes in ./config come first, then those beside this file.

DATA        ?= sample
RECIPE_PATH ?= config $(PIPELINE_DIR)/config
RECIPE      ?= $(firstword $(wildcard $(addsuffix /$(DATA).mk,$(RECIPE_PATH))))
ALL_RECIPES := $(sort $(notdir $(basename $(wildcard $(addsuffix /*.mk,$(RECIPE_PATH))))))
PIPELINE_GOALS := pipeline pipeline-run fetch kaggle raw
ifeq ($(RECIPE),)
  ifneq ($(filter $(PIPELINE_GOALS),$(MAKECMDGOALS) $(if $(MAKECMDGOALS),,$(.DEFAULT_GOAL))),)
    # A mistyped name gets the nearest recipe (scripts/recipe-hint.sh).
    RECIPE_HINT := $(shell bash $(PIPELINE_DIR)/scripts/recipe-hint.sh $(call shq,$(DATA)) $(ALL_RECIPES))
    $(error no recipe $(DATA)$(if $(RECIPE_HINT),; did you mean $(RECIPE_HINT)?) (no $(DATA).mk in $(RECIPE_PATH)); the recipes are: $(ALL_RECIPES))
  endif
else
  include $(RECIPE)
endif

RAW    ?= data/raw/$(DATA)
OUT    ?= out/$(DATA)
SYNTH  ?= $(SAMPLE_ONLY)
GL     := $(BIN)/goodlens-

# Settings every recipe may set; these are the defaults when it does not.
# --max-bad 1%: a wrong or damaged file fails the run instead of giving a
# model of its few readable lines.
EXTRACT_FLAGS ?= --max-bad 1%
# The report's heading is the dataset's name and the counts it measured;
# the recipe's DESCRIPTION (the published dataset) is the line under it.
REPORT_TITLE  ?= $(DATA)
REPORT_ABOUT  ?= $(if $(filter 1,$(SYNTH)),$(if $(SAMPLE_ONLY),$(DESCRIPTION),files goodlens-sample generated in the layout of $(DESCRIPTION)),$(DESCRIPTION))
REPORT_FLAGS  ?=
KAGGLE_FLAGS  ?=

# ---- the join's right table ---------------------------------------------
# JOIN_RIGHT: the table titles come from, by default the one extract wrote
# (OUT/JOIN_TABLE); a recipe may name a file of its own (csv: RAW/items.csv)
# or leave it empty: items.titled.csv is then items.raw.csv as it is, with
# no titles, and the log says so and why (JOIN_NONE).  JOIN_FLAGS: more
# goodlens-join options (csv: --rename NAME=title).
JOIN_RIGHT    ?= $(OUT)/$(JOIN_TABLE)
JOIN_FLAGS    ?=

# ---- the raw files ---------------------------------------------------------
# FILES are required: without one, the pipeline stops before any stage and
# says where to get it.  OPTIONAL_FILES are read when they are in RAW; a
# missing one is a note in the log and in the report (the recipe's
# WITHOUT.<file> says what its absence changes), and the table extract makes
# of it (TABLE.<file>) is removed from OUT, so no copy from an earlier run
# stays.  `make fetch` downloads both.  RAW_PATHS is what extract reads:
# the required files, then the optional ones found, in the recipe's order.
# It is in extract's stamp, so a file that appears or disappears reruns
# extract and everything after it.

OPTIONAL_FILES ?=
REQ_PATHS := $(addprefix $(RAW)/,$(FILES))
OPT_PATHS := $(addprefix $(RAW)/,$(OPTIONAL_FILES))
ifeq ($(SYNTH),1)
# goodlens-sample writes every file of the layout when it runs: when it is
# about to (its settings changed, or a required file is gone), all count as
# found; otherwise an optional file deleted after it ran stays missing.
SAMPLE_STAMP := $(SAMPLE_FLAGS) $(SAMPLE_SIZE) / $(SAMPLE_EXTRA)
SAMPLE_REMAKE := $(or $(filter-out $(wildcard $(REQ_PATHS)),$(REQ_PATHS)),$(if \
  $(call same,$(strip $(SAMPLE_STAMP)),$(strip $(file <$(RAW)/.sample.flags))),,1))
OPT_FOUND := $(if $(SAMPLE_REMAKE),$(OPT_PATHS),$(wildcard $(OPT_PATHS)))
else
OPT_FOUND := $(wildcard $(OPT_PATHS))
endif
MISSING_OPTIONAL := $(notdir $(filter-out $(OPT_FOUND),$(OPT_PATHS)))
RAW_PATHS := $(REQ_PATHS) $(OPT_FOUND)
# The tables extract does not write this time, and the notes.
NO_TABLES := $(strip $(foreach f,$(MISSING_OPTIONAL),$(TABLE.$(f))))
JOIN_SKIP := $(filter $(JOIN_TABLE),$(NO_TABLES))
note = $(1) not found: $(or $(WITHOUT.$(1)),the recipe runs without it)
REPORT_NOTES := $(foreach f,$(MISSING_OPTIONAL),--note $(call shq,$(call note,$(f))))

# What scripts/fetch.sh needs to know of the recipe's downloads; optional
# files are marked so, for the message about missing files.
FETCH_ARGS = --about $(call shq,$(DESCRIPTION)) --cmd $(call shq,$(PIPELINE_CMD)) $(call shq,$(DATA)) $(call shq,$(RAW)) \
  $(call shq,$(if $(ARCHIVE),$(ARCHIVE)|$(ARCHIVE_URL)|$(ARCHIVE_MD5)|$(ARCHIVE_SHA256)|$(ARCHIVE_SIZE)|$(ARCHIVE_DIR)|$(ARCHIVE_MD5_URL),-)) \
  $(foreach f,$(FILES),$(call shq,$(f)|$(URL.$(f))|$(SHA256.$(f))|$(SIZE.$(f))|)) \
  $(foreach f,$(OPTIONAL_FILES),$(call shq,$(f)|$(URL.$(f))|$(SHA256.$(f))|$(SIZE.$(f))|optional))

# timed(stage): with TIMES=1, the GNU time prefix that appends the stage's
# "name wall-seconds peak-KiB user-seconds system-seconds" to OUT/stage.times.
timed = $(if $(filter 1,$(TIMES)),/usr/bin/time -a -o $(OUT)/stage.times -f '$(1) %e %M %U %S')

.PHONY: pipeline pipeline-run fetch kaggle raw recipes

ifeq ($(GL_STANDALONE),1)
pipeline: pipeline-run
else
# In the source tree pipeline sets itself up: the Debian packages first (a
# no-op when present), then, in a make that can see them, every executable
# in bin/ (the shell examples use them all) and the stages.
pipeline: ## run every stage: DATA=<recipe> RAW=<dir> OUT=<dir> (docs/PIPELINE.md)
	@$(MAKE) --no-print-directory deps-build DEPS_QUIET=1
	@$(MAKE) --no-print-directory all pipeline-run
endif

pipeline-run: notes $(OUT)/report.html
	@echo "pipeline: $(OUT)/report.html"

raw: notes $(RAW_PATHS) ## make (SYNTH=1) or check the raw files of DATA

# One line on stderr for each optional file not found, every run (when a
# required file is missing too, fetch.sh --explain lists them all instead).
.PHONY: notes
notes:
	@$(if $(filter-out $(wildcard $(REQ_PATHS)),$(REQ_PATHS)),,$(foreach f,$(MISSING_OPTIONAL),\
	  echo $(call shq,pipeline: note: $(RAW)/$(call note,$(f))) >&2;)) true

recipes: ## list the recipes for DATA=
	@$(foreach r,$(ALL_RECIPES),printf '%-34s %s\n' $(r) \
	  "$$(sed -n 's/^DESCRIPTION *:= *//p' $(firstword $(wildcard $(addsuffix /$(r).mk,$(RECIPE_PATH)))))";)

# ---- stage settings --------------------------------------------------------
# flag_stamp(file, flags): file holds flags; it is rewritten, and so becomes
# newer than what depends on it, only when they change.

define flag_stamp
$(1): FORCE
	@mkdir -p $$(@D)
	@printf '%s\n' $(call shq,$(2)) | cmp -s - $$@ || printf '%s\n' $(call shq,$(2)) >$$@
endef
$(eval $(call flag_stamp,$(OUT)/.extract.flags,$(EXTRACT_FLAGS) $(RAW_PATHS)))
$(eval $(call flag_stamp,$(OUT)/.join.flags,$(JOIN_MAP) $(JOIN_MAP_ON) $(JOIN_TABLE) $(JOIN_ON) $(JOIN_RIGHT) $(JOIN_FLAGS) $(if $(JOIN_SKIP),without it)))
$(eval $(call flag_stamp,$(OUT)/.filter.flags,$(FILTER_FLAGS)))
$(eval $(call flag_stamp,$(OUT)/.train.flags,$(TRAIN_FLAGS)))
$(eval $(call flag_stamp,$(OUT)/.report.flags,$(REPORT_TITLE) / $(REPORT_ABOUT) / $(REPORT_NOTES) $(REPORT_FLAGS)))
$(eval $(call flag_stamp,$(OUT)/.kaggle.flags,$(KAGGLE_FLAGS)))
.PHONY: FORCE
FORCE:

# ---- raw files -------------------------------------------------------------

ifeq ($(SYNTH),1)
# Every raw file comes from one goodlens-sample run (two for layouts that
# need a second format beside them, like the CSV dump and its books file:
# that one first, so RAW/planted.txt describes the recipe's own format).
# RAW/.sample.flags makes a change of SAMPLE_FLAGS or SAMPLE_SIZE remake them.
$(eval $(call flag_stamp,$(RAW)/.sample.flags,$(SAMPLE_STAMP)))
$(RAW_PATHS) &: $(GL)sample $(RAW)/.sample.flags
	@mkdir -p $(RAW)
	$(if $(SAMPLE_EXTRA),$(GL)sample -q --out $(RAW) $(SAMPLE_EXTRA) $(SAMPLE_SIZE))
	$(GL)sample -q --out $(RAW) $(SAMPLE_FLAGS) $(SAMPLE_SIZE)
	@touch $(RAW_PATHS)
else
$(RAW_PATHS):
	@bash $(PIPELINE_DIR)/scripts/fetch.sh --explain $(FETCH_ARGS)
endif

fetch: ## download DATA's raw files into RAW, resuming, checking checksums
ifeq ($(SAMPLE_ONLY),1)
	@echo "fetch: '$(DATA)' is generated, not downloaded: $(PIPELINE_CMD) pipeline DATA=$(DATA) makes it"
else
	bash $(PIPELINE_DIR)/scripts/fetch.sh $(FETCH_ARGS)
endif

# ---- the stages ------------------------------------------------------------

$(OUT)/ratings.raw.glr: $(RAW_PATHS) $(GL)extract $(OUT)/.extract.flags
	$(call timed,extract) $(GL)extract --out $(OUT) $(EXTRACT_FLAGS) $(RAW_PATHS)
	$(if $(NO_TABLES),rm -f $(addprefix $(OUT)/,$(NO_TABLES)))

# items.raw.csv x the metadata table -> items.titled.csv; for the UCSD CSV
# the items hold CSV ids, mapped to book ids first through JOIN_MAP (the
# two-hop join; the map's counts go to join-map.stats.csv).  When the table
# comes from a missing optional file (MovieLens' movies, goodbooks'
# books.csv), the items keep no titles: items.titled.csv is the item
# dictionary as it is, and no join.stats.csv of an earlier run stays.
# Every recipe joins left: an item without metadata keeps its ratings and
# has no title (join.stats.csv and the report count them), since dropping
# ratings for want of a title would change the model.  For the SQL inner
# join of the ratings with the items (DuckDB's `r JOIN books USING
# (book_id)`), the stages run by hand with `goodlens-join --kind inner` and
# `goodlens-filter --inner` (docs/FILTER.md).
JOIN_LEFT := $(OUT)/$(if $(JOIN_MAP),items.mapped.csv,items.raw.csv)
JOIN_USE  := $(if $(JOIN_SKIP),,$(strip $(JOIN_RIGHT)))
# (JOIN_RIGHT outside OUT, as the csv recipe's RAW/items.csv, is a prerequisite)
$(OUT)/items.titled.csv: $(OUT)/ratings.raw.glr $(GL)join $(OUT)/.join.flags $(wildcard $(filter-out $(OUT)/%,$(JOIN_USE)))
	$(if $(JOIN_MAP),$(call timed,join-map) $(GL)join --kind left --on $(JOIN_MAP_ON) \
		--stats $(OUT)/join-map.stats.csv -o $(OUT)/items.mapped.csv $(OUT)/items.raw.csv $(OUT)/$(JOIN_MAP))
ifneq ($(JOIN_USE),)
	$(call timed,join) $(GL)join --kind left --on $(JOIN_ON) $(JOIN_FLAGS) --stats $(OUT)/join.stats.csv \
		-o $@ $(JOIN_LEFT) $(JOIN_USE)
else
	@echo "join: no item table ($(or $(JOIN_NONE),no $(JOIN_TABLE))): the items have no titles"
	rm -f $(OUT)/join.stats.csv
	$(call timed,join) cp $(JOIN_LEFT) $@.tmp
	mv $@.tmp $@
endif

$(OUT)/ratings.glr: $(OUT)/ratings.raw.glr $(OUT)/items.titled.csv $(GL)filter $(OUT)/.filter.flags
	$(call timed,filter) $(GL)filter --users $(OUT)/users.raw.csv --items $(OUT)/items.titled.csv \
		-o $(OUT) $(FILTER_FLAGS) $(OUT)/ratings.raw.glr

$(OUT)/model.glm: $(OUT)/ratings.glr $(GL)train $(OUT)/.train.flags
	$(call timed,train) $(GL)train -o $(OUT) $(TRAIN_FLAGS) $(OUT)/ratings.glr

$(OUT)/report.html: $(OUT)/model.glm $(GL)report $(OUT)/.report.flags
	$(call timed,report) $(GL)report --in $(OUT) --title $(call shq,$(REPORT_TITLE)) \
		--about $(call shq,$(REPORT_ABOUT)) $(REPORT_NOTES) $(REPORT_FLAGS)

# ---- Kaggle layouts --------------------------------------------------------
# From the Goodreads JSON dump's extract: OUT/kaggle/goodbooks-10k/ (the
# Kaggle goodbooks-10k files) and OUT/kaggle/goodreads-csv/ (the UCSD CSV
# with its id maps, plus a link to the books file that recipe also reads),
# each a RAW folder for the recipe of the same name.

KAGGLE_DIR := $(OUT)/kaggle
ifeq ($(KAGGLE),1)
kaggle: $(KAGGLE_DIR)/goodbooks-10k/ratings.csv $(KAGGLE_DIR)/goodreads-csv/goodreads_interactions.csv ## the goodbooks-10k and UCSD CSV layouts in OUT/kaggle (DATA=goodreads)
	@echo "kaggle: $(KAGGLE_DIR)/goodbooks-10k $(KAGGLE_DIR)/goodreads-csv"

$(KAGGLE_DIR)/goodbooks-10k/ratings.csv: $(OUT)/ratings.raw.glr $(GL)export $(OUT)/.kaggle.flags
	@mkdir -p $(@D)
	$(call timed,export-goodbooks) $(GL)export goodbooks --in $(OUT) --out $(@D) $(KAGGLE_FLAGS)

$(KAGGLE_DIR)/goodreads-csv/goodreads_interactions.csv: $(OUT)/ratings.raw.glr $(GL)export
	@mkdir -p $(@D)
	$(call timed,export-ucsd-csv) $(GL)export ucsd-csv --in $(OUT) --out $(@D)
	ln -sf $(abspath $(RAW)/$(KAGGLE_BOOKS)) $(@D)/goodreads_books.json.gz
else
kaggle:
	@echo "kaggle: the Kaggle layouts come from the Goodreads JSON dump (DATA=goodreads), not from '$(DATA)'" >&2; exit 2
endif
