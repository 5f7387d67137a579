# goodlens - read this file top to bottom; `make help` lists the targets.
#
# Layout: lib/ is shared by every stage and becomes build/lib.a.  Each stage
# folder (etl, join, train, report) holds mains named <tool>_main.c, which
# become bin/goodlens-<tool>, and helper files, which become build/<stage>.a.
# A tool links its main, its stage archive and lib.a.

.DEFAULT_GOAL := all
SHELL := /bin/bash

# ---- build settings --------------------------------------------------------

CC      ?= cc
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Werror
CSTD    := -std=c11 -D_GNU_SOURCE -pthread
BUILD   ?= build
BIN     ?= bin
# SAN=1 builds everything with AddressSanitizer and UBSan (make test-sanitize).
ifeq ($(SAN),1)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN   := -fsanitize=address,undefined
endif
# FUZZ=1 builds with clang for libFuzzer (make fuzz).
ifeq ($(FUZZ),1)
CC      := clang
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
LDSAN   := -fsanitize=address,undefined
endif

# ---- dependencies ----------------------------------------------------------
# Debian packages: one list, used by `make deps` and by the checks below.

DEB_BUILD := build-essential pkg-config zlib1g-dev libyajl-dev libcsv-dev curl unzip \
             libopenblas-dev liblapacke-dev libisal-dev
DEB_TEST  := libcmocka-dev sqlite3 chromium valgrind clang python3 time help2man shellcheck \
             universal-ctags
DEB_PKGS  := $(DEB_BUILD) $(DEB_TEST)
# Only for bench/fastai_compare.sh (a PyTorch replica of fastai's learner).
DEB_BENCH := python3-torch

# ISA-L's inflater (libisal-dev; 2-3x zlib's speed) reads gzip when it is
# installed; ISAL=0 builds with zlib alone (give it its own BUILD and BIN, as
# objects are not rebuilt when only ISAL changes).  Writing is always zlib.
have_isal := $(or $(shell pkg-config --exists libisal 2>/dev/null && echo y),\
                 $(wildcard /usr/include/isa-l/igzip_lib.h))
ISAL ?= $(if $(have_isal),1,0)
ifeq ($(ISAL),1)
  ISAL_CFLAGS := -DGL_HAVE_ISAL $(shell pkg-config --cflags libisal 2>/dev/null)
  ISAL_LIBS   := $(or $(shell pkg-config --libs libisal 2>/dev/null),-lisal)
endif

# Targets that must work before the libraries are installed (pipeline and
# test install them first: make deps-build, make deps).
NODEPS_GOALS := deps deps-build bench-deps help clean distclean pipeline test
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
  pc_need = $(if $(shell pkg-config --exists $(1) 2>/dev/null && echo y),,\
    $(error missing library $(1): install Debian package $(2) (run `make deps`)))
  $(call pc_need,zlib,zlib1g-dev)
  $(call pc_need,yajl,libyajl-dev)
  $(call pc_need,openblas,libopenblas-dev)
  $(call pc_need,lapacke,liblapacke-dev)
  $(if $(wildcard /usr/include/csv.h),,\
    $(error missing library csv: install Debian package libcsv-dev (run `make deps`)))
  $(if $(filter 1,$(ISAL)),$(if $(have_isal),,\
    $(error ISAL=1 but ISA-L is missing: install Debian package libisal-dev (run `make deps`) or build with ISAL=0)))
endif

# Asked of pkg-config at the first compile, not when this file is read:
# `make test` may install the libraries (its deps step) in the same run.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags zlib yajl openblas lapacke 2>/dev/null) $$(ISAL_CFLAGS))$(PKG_CFLAGS)
# libcsv ships no .pc file.
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs zlib yajl openblas lapacke 2>/dev/null) $$(ISAL_LIBS) -lcsv -lm)$(PKG_LIBS)

CFLAGS   = $(CSTD) $(OPT) $(WARN) -MMD -MP -Ilib $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := -pthread $(LDSAN) $(EXTRA_LDFLAGS)
LDLIBS   = $(PKG_LIBS)

# ---- sources ---------------------------------------------------------------

STAGES    := etl join train report
LIB_SRC   := $(wildcard lib/*.c)
MAIN_SRC  := $(foreach s,$(STAGES),$(wildcard $(s)/*_main.c))
STAGE_SRC  = $(filter-out %_main.c,$(wildcard $(1)/*.c))
TOOLS     := $(patsubst %_main.c,%,$(notdir $(MAIN_SRC)))
PROGS     := $(addprefix $(BIN)/goodlens-,$(TOOLS))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNITS     := $(patsubst tests/unit/%.c,$(BUILD)/units/%,$(UNIT_SRC))
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS   := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzzers/%,$(FUZZ_SRC))
REPLAYS   := $(patsubst tests/fuzz/%.c,$(BUILD)/replay/%,$(FUZZ_SRC))
BENCH_SRC := $(wildcard bench/*.c)
BENCHES   := $(patsubst bench/%.c,$(BUILD)/benches/%,$(BENCH_SRC))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
LIB_A     := $(BUILD)/lib.a
STAGE_AS  := $(foreach s,$(STAGES),$(BUILD)/$(s).a)

# ---- build rules -----------------------------------------------------------

.PHONY: all
all: $(PROGS) ## build every executable into bin/

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB_A): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

.SECONDEXPANSION:
$(BUILD)/%.a: $$(call obj,$$(call STAGE_SRC,$$*))
	@rm -f $@
	$(AR) rcs $@ $^

# bin/goodlens-<tool> from <stage>/<tool>_main.c: find the stage by the main.
tool_stage = $(patsubst %/,%,$(dir $(filter %/$(1)_main.c,$(MAIN_SRC))))
$(BIN)/goodlens-%: $$(call obj,$$(call tool_stage,$$*)/$$*_main.c) $(BUILD)/$$(call tool_stage,$$*).a $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link every archive: a test may exercise any module.
$(BUILD)/units/%: $(BUILD)/tests/unit/%.o $(STAGE_AS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(STAGE_AS) $(LIB_A) $(LDLIBS) -lcmocka

# A fuzz target links either with libFuzzer (make fuzz) or with a small main
# that replays files through it (the regression corpus, in make test).
$(BUILD)/fuzzers/%: $(BUILD)/tests/fuzz/%.o $(STAGE_AS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(STAGE_AS) $(LIB_A) $(LDLIBS)

$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(STAGE_AS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/tests/fuzz/replay.o $(STAGE_AS) $(LIB_A) $(LDLIBS)

$(BUILD)/benches/%: $(BUILD)/bench/%.o $(STAGE_AS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(STAGE_AS) $(LIB_A) $(LDLIBS)

# Objects are built through pattern chains; keep them (make would delete
# them as intermediates and rebuild every time).
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- tests -----------------------------------------------------------------
# tests/run.sh runs the unit binaries, the cases and the end-to-end scripts
# (tests/e2e/lint.sh among them) and prints "N passed, N failed, N skipped"
# last; tests/README.md says what covers what.  test-sanitize repeats it
# with SAN=1 in its own build tree so the two builds never mix objects.

.PHONY: test test-sanitize
# On a fresh machine test sets itself up first, as pipeline does: deps
# installs the packages (as root) or prints the sudo command and stops.
test: DEPS_QUIET := 1
test: deps all $(UNITS) $(REPLAYS) ## run unit and end-to-end tests
	GL_BIN=$(abspath $(BIN)) GL_UNITS=$(abspath $(BUILD)/units) \
	GL_REPLAY=$(abspath $(BUILD)/replay) GL_ROOT=$(CURDIR) \
	GL_MAKE_ARGS="BUILD=$(abspath $(BUILD)) BIN=$(abspath $(BIN)) SAN=$(SAN)" bash tests/run.sh

# A sanitizer finding exits 86, a status no test expects, so a test that
# expects exit 1 on bad input fails over a leak or an overflow on that error
# path; UBSan stops at its first finding.  tests/run.sh gives each test its
# own log_path and fails a test whose processes wrote a report, whatever
# their exit status.
test-sanitize: export ASAN_OPTIONS = exitcode=86:detect_leaks=1:halt_on_error=1
test-sanitize: export LSAN_OPTIONS = exitcode=86
test-sanitize: export UBSAN_OPTIONS = exitcode=86:halt_on_error=1:print_stacktrace=1
test-sanitize: ## the same suite under AddressSanitizer and UBSan
	$(MAKE) SAN=1 BUILD=build/san BIN=build/san/bin test

# ---- fuzzing ---------------------------------------------------------------
# Each tests/fuzz/fuzz_<target>.c runs FUZZ_SECONDS (default 60) under
# libFuzzer with ASan and UBSan, from seeds made by goodlens-sample.

FUZZ_SECONDS ?= 60
.PHONY: fuzz fuzz-build
fuzz: ## run every fuzz target for FUZZ_SECONDS each (clang, libFuzzer)
	$(MAKE) FUZZ=1 BUILD=build/fuzz BIN=build/fuzz/bin fuzz-build
	bash tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

fuzz-build: $(FUZZERS) $(PROGS)

# ---- benchmarks ------------------------------------------------------------

# bench prints the figures and says which targets were missed; bench-check
# is the same run with the targets enforced: exit 1 naming each missed one.
# Neither is in CI (timings on a shared machine are noise); the closing note
# of speed work quotes bench-check.  BENCH_ONLY=<glob>, BENCH_SCALE, see
# bench/run.sh.
.PHONY: bench bench-check
bench: all $(BENCHES) ## speed and memory benchmarks (slow; ratios vs floors)
	GL_BIN=$(abspath $(BIN)) GL_BENCH=$(abspath $(BUILD)/benches) bash bench/run.sh

bench-check: all $(BENCHES) ## the benchmarks with their targets enforced (exit 1 names a missed one)
	GL_BIN=$(abspath $(BIN)) GL_BENCH=$(abspath $(BUILD)/benches) BENCH_CHECK=1 bash bench/run.sh

# ---- pipeline --------------------------------------------------------------
# `make pipeline DATA=<recipe> [RAW=dir] [OUT=dir]`; see config/ and README.md.

-include pipeline.mk

# ---- install ---------------------------------------------------------------
# `make install PREFIX=/usr/local DESTDIR=`: the executables into
# PREFIX/bin, a man page for each (help2man from --help and --version, or
# the --help text as it is when help2man is missing), and the pipeline:
# pipeline.mk, its scripts (fetch.sh, recipe-hint.sh) and every recipe
# under PREFIX/share/goodlens, run by PREFIX/bin/goodlens-pipeline
# (`goodlens-pipeline DATA=ml-1m` in any folder; its own recipes in ./config
# come first).  DESTDIR is prepended to every path written, not to the paths
# goodlens-pipeline holds.

PREFIX  ?= /usr/local
GL_SHARE = $(PREFIX)/share/goodlens
GL_MAN1  = $(PREFIX)/share/man/man1
GL_VERSION = $(shell sed -n 's/^\#define GOODLENS_VERSION "\(.*\)"/\1/p' lib/cli.h)
man_name.sample    := synthetic ratings dumps in the real layouts, from a planted model
man_name.extract   := raw ratings dumps to the goodlens ratings file and tables
man_name.join      := SQL-style join of two CSV files, with unmatched keys reported
man_name.filter    := raw ratings to a training file: drop, dedupe, k-core, split
man_name.export    := goodlens data in the goodbooks-10k, UCSD CSV and fastai layouts
man_name.train     := train collaborative-filtering models on a ratings file
man_name.recommend := recommendations and similar items from a trained model
man_name.report    := one self-contained HTML report of a pipeline's outputs
man_name.pipeline  := run the goodlens stages on a dataset recipe

.PHONY: install uninstall
install: all ## install executables, man pages and the pipeline: PREFIX=/usr/local DESTDIR=
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(GL_MAN1) $(DESTDIR)$(GL_SHARE)/config $(DESTDIR)$(GL_SHARE)/scripts
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 pipeline.mk $(DESTDIR)$(GL_SHARE)/
	install -m 755 scripts/fetch.sh scripts/recipe-hint.sh $(DESTDIR)$(GL_SHARE)/scripts/
	install -m 644 config/*.mk config/*.inc $(DESTDIR)$(GL_SHARE)/config/
	@mkdir -p $(BUILD)
	sed -e 's|@SHARE@|$(GL_SHARE)|' -e 's|@BIN@|$(PREFIX)/bin|' -e 's|@VERSION@|$(GL_VERSION)|' \
		scripts/goodlens-pipeline.in >$(BUILD)/goodlens-pipeline && chmod 755 $(BUILD)/goodlens-pipeline
	install -m 755 $(BUILD)/goodlens-pipeline $(DESTDIR)$(PREFIX)/bin/
	@$(foreach t,$(TOOLS),bash scripts/manpage.sh $(BIN)/goodlens-$(t) $(call shq,$(man_name.$(t))) $(DESTDIR)$(GL_MAN1)/goodlens-$(t).1 &&) true
	@bash scripts/manpage.sh $(BUILD)/goodlens-pipeline $(call shq,$(man_name.pipeline)) $(DESTDIR)$(GL_MAN1)/goodlens-pipeline.1
	@echo "install: goodlens $(GL_VERSION) in $(DESTDIR)$(PREFIX); run goodlens-pipeline --help"

uninstall: ## remove what make install put under PREFIX (DESTDIR too)
	rm -f $(foreach t,$(TOOLS) pipeline,$(DESTDIR)$(PREFIX)/bin/goodlens-$(t) $(DESTDIR)$(GL_MAN1)/goodlens-$(t).1)
	rm -rf $(DESTDIR)$(GL_SHARE)

# ---- housekeeping ----------------------------------------------------------

# apt_install(packages): install what is missing; a no-op when all are
# present; without root, print the exact command instead.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then [ -n "$(DEPS_QUIET)" ] || echo "deps: all packages present"; exit 0; fi; \
	cmd="apt-get install -y --no-install-recommends $$(echo $$missing)"; \
	if [ "$$(id -u)" != 0 ]; then echo "deps: missing:" $$missing; echo "run: sudo apt-get update && sudo $$cmd"; exit 1; fi; \
	echo "deps: installing" $$missing; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$cmd
endef

.PHONY: deps deps-build
deps: ## install the Debian packages goodlens and its tests need (apt-get)
	$(call apt_install,$(DEB_PKGS))

deps-build: ## only what building and running the pipeline needs
	$(call apt_install,$(DEB_BUILD))

.PHONY: bench-deps
bench-deps: ## PyTorch, for the fastai comparison in make bench
	$(call apt_install,$(DEB_BENCH))

.PHONY: clean
clean: ## remove build/ and bin/ (not data/ or out/)
	rm -rf build bin

.PHONY: help
help: ## list targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | expand -t 18
