# pipeline.mk - `make pipeline DATA=<recipe> [RAW=dir] [OUT=dir]`, included by
# the Makefile.
#
# A recipe (config/<name>.mk) names the raw files and the settings of every
# stage; any of its variables can be overridden on the command line
# (make pipeline DATA=ml-1m TRAIN_FLAGS='--model als').  Each stage is a file
# target, so a second run does nothing, and each stage's settings live in a
# stamp file (OUT/.<stage>.flags) rewritten only when they change: changing
# TRAIN_FLAGS reruns train and report, nothing else.
#
# SYNTH=1 makes RAW with goodlens-sample (the recipe's SAMPLE_FLAGS) in the
# recipe's real layout instead of expecting downloaded files; the sample
# recipe always does.  This is how the tests run every recipe offline.

DATA   ?= sample
RECIPE := config/$(DATA).mk
ifeq ($(wildcard $(RECIPE)),)
  ifneq ($(filter pipeline fetch kaggle raw,$(MAKECMDGOALS)),)
    $(error no recipe $(RECIPE): one of $(notdir $(basename $(wildcard config/*.mk))))
  endif
else
  include $(RECIPE)
endif
RAW    ?= data/raw/$(DATA)
OUT    ?= out/$(DATA)
SYNTH  ?= $(SAMPLE_ONLY)
GL     := $(BIN)/goodlens-

RAW_PATHS := $(addprefix $(RAW)/,$(FILES))
# What scripts/fetch.sh needs to know of the recipe's downloads.
FETCH_ARGS = '$(DATA)' '$(RAW)' \
  '$(if $(ARCHIVE),$(ARCHIVE)|$(ARCHIVE_URL)|$(ARCHIVE_MD5)|$(ARCHIVE_SHA256)|$(ARCHIVE_SIZE)|$(ARCHIVE_DIR),-)' \
  $(foreach f,$(FILES),'$(f)|$(URL.$(f))|$(SHA256.$(f))|$(SIZE.$(f))')

.PHONY: pipeline pipeline-run fetch kaggle raw
# pipeline sets itself up: the Debian packages first (a no-op when present),
# then, in a make that can see them, the stages.
pipeline: ## run every stage: DATA=<recipe> RAW=<dir> OUT=<dir>
	@$(MAKE) --no-print-directory deps-build DEPS_QUIET=1
	@$(MAKE) --no-print-directory pipeline-run

pipeline-run: $(OUT)/report.html
	@echo "pipeline: $(OUT)/report.html"

raw: $(RAW_PATHS) ## make or check the raw files of DATA

# ---- stage settings --------------------------------------------------------
# flag_stamp(stage, flags): OUT/.stage.flags holds flags; it is rewritten,
# and so becomes newer than what depends on it, only when they change.

define flag_stamp
$(OUT)/.$(1).flags: FORCE
	@mkdir -p $$(@D)
	@printf '%s\n' '$(2)' | cmp -s - $$@ || printf '%s\n' '$(2)' >$$@
endef
$(eval $(call flag_stamp,extract,$(EXTRACT_FLAGS) $(FILES)))
$(eval $(call flag_stamp,join,$(JOIN_MAP) $(JOIN_MAP_ON) $(JOIN_TABLE) $(JOIN_ON)))
$(eval $(call flag_stamp,filter,$(FILTER_FLAGS)))
$(eval $(call flag_stamp,train,$(TRAIN_FLAGS)))
$(eval $(call flag_stamp,report,$(REPORT_FLAGS)))
.PHONY: FORCE
FORCE:

# ---- raw files -------------------------------------------------------------

ifeq ($(SYNTH),1)
# Every raw file comes from one goodlens-sample run (two for layouts that
# need a second format beside them, like the CSV dump and its books file).
$(RAW_PATHS) &: $(GL)sample
	@mkdir -p $(RAW)
	$(GL)sample --out $(RAW) $(SAMPLE_FLAGS)
	$(if $(SAMPLE_EXTRA),$(GL)sample --out $(RAW) $(SAMPLE_EXTRA))
	@touch $(RAW_PATHS)
else
$(RAW_PATHS):
	@bash scripts/fetch.sh --explain $(FETCH_ARGS)
endif

fetch: ## download DATA's raw files into RAW, resuming, checking checksums
	bash scripts/fetch.sh $(FETCH_ARGS)

# ---- the stages ------------------------------------------------------------

$(OUT)/ratings.raw.glr: $(RAW_PATHS) $(GL)extract $(OUT)/.extract.flags
	$(GL)extract --out $(OUT) $(EXTRACT_FLAGS) $(RAW_PATHS)

# items.raw.csv x the metadata table -> items.titled.csv; for the UCSD CSV
# the items hold CSV ids, mapped to book ids first through JOIN_MAP.
ifdef JOIN_MAP
$(OUT)/items.titled.csv: $(OUT)/ratings.raw.glr $(RAW)/$(JOIN_MAP) $(GL)join $(OUT)/.join.flags
	$(GL)join --kind left --on $(JOIN_MAP_ON) --stats $(OUT)/join-map.stats.csv \
		-o $(OUT)/items.mapped.csv $(OUT)/items.raw.csv $(RAW)/$(JOIN_MAP)
	$(GL)join --kind left --on $(JOIN_ON) --stats $(OUT)/join.stats.csv \
		-o $@ $(OUT)/items.mapped.csv $(OUT)/$(JOIN_TABLE)
else
$(OUT)/items.titled.csv: $(OUT)/ratings.raw.glr $(GL)join $(OUT)/.join.flags
	$(GL)join --kind left --on $(JOIN_ON) --stats $(OUT)/join.stats.csv \
		-o $@ $(OUT)/items.raw.csv $(OUT)/$(JOIN_TABLE)
endif

$(OUT)/ratings.glr: $(OUT)/ratings.raw.glr $(OUT)/items.titled.csv $(GL)filter $(OUT)/.filter.flags
	$(GL)filter --users $(OUT)/users.raw.csv --items $(OUT)/items.titled.csv \
		-o $(OUT) $(FILTER_FLAGS) $(OUT)/ratings.raw.glr

$(OUT)/model.glm: $(OUT)/ratings.glr $(GL)train $(OUT)/.train.flags
	$(GL)train -o $(OUT) $(TRAIN_FLAGS) $(OUT)/ratings.glr

$(OUT)/report.html: $(OUT)/model.glm $(GL)report $(OUT)/.report.flags
	$(GL)report --in $(OUT) $(REPORT_FLAGS)

# ---- Kaggle layouts --------------------------------------------------------

kaggle: $(OUT)/ratings.raw.glr ## goodbooks-10k and UCSD CSV layouts in OUT/kaggle
	$(GL)export goodbooks --in $(OUT) --out $(OUT)/kaggle
	$(GL)export ucsd-csv --in $(OUT) --out $(OUT)/kaggle
