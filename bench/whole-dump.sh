#!/usr/bin/env bash
# bench/whole-dump.sh - `make pipeline` with the goodreads recipe on a dump
# of the real UCSD size (228,648,342 lines): bench/pipeline.sh with
# PIPELINE_SIZE=whole, whose header has the sizes and the targets.  Slow
# (about 25 minutes to make the dump the first time, then the run itself,
# about 15 GB of disk for the dump and 6 for the outputs), so bench/run.sh
# runs it only when BENCH_ONLY names it: make bench BENCH_ONLY=whole-dump.
set -eu
PIPELINE_SIZE=whole exec bash "$(dirname "$0")/pipeline.sh"
