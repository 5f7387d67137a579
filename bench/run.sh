#!/usr/bin/env bash
# bench/run.sh - run every benchmark script bench/<name>.sh in turn.
#
# Benchmarks print figures, not verdicts: each measures goodlens against a
# floor measured in the same run on the same machine (zlib's inflate alone,
# a plain memory pass, ...) and prints the ratio, because this machine is
# shared and absolute times drift.  Data is generated under $BENCH_DIR
# (default build/bench-data), reused between runs, and never committed.
#
# Environment for the scripts: GL_BIN (executables), GL_BENCH (benchmark
# helper programs built from bench/*.c), BENCH_DIR, BENCH_SCALE (1 = the
# sizes the issues name; smaller for a quick look).  bench/lib.sh has the
# shared helpers (timed, ratio); scripts source it.
# BENCH_ONLY=<glob> runs only the matching scripts.

set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
: "${GL_BIN:?}" "${GL_BENCH:?}"
export GL_BIN GL_BENCH PATH="$GL_BIN:$PATH"
export BENCH_DIR=${BENCH_DIR:-$here/../build/bench-data}
export BENCH_SCALE=${BENCH_SCALE:-1}
mkdir -p "$BENCH_DIR"
only=${BENCH_ONLY:-*}

for s in "$here"/*.sh; do
	name=$(basename "$s" .sh)
	[ "$name" = run ] && continue
	# shellcheck disable=SC2053
	[[ $name == $only ]] || continue
	echo "== $name"
	# 77: the script cannot run here (a missing tool); it said why
	st=0
	bash "$s" || st=$?
	[ "$st" = 0 ] || [ "$st" = 77 ] || exit "$st"
done
