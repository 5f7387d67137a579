#!/usr/bin/env bash
# bench/run.sh - run every benchmark script bench/<name>.sh in turn.
#
# Each benchmark measures goodlens against a floor or a reference measured
# in the same run on the same machine (zlib's inflate alone, a plain memory
# pass, ...) and prints the ratio, because this machine is shared and
# absolute times drift.  Figures with a target (bench/lib.sh target) say
# "met" or "MISSED"; the run ends with the list of missed targets, and with
# BENCH_CHECK=1 (make bench-check) exits 1 if there is any, or if a script
# failed.  Data is generated under $BENCH_DIR (default build/bench-data),
# reused between runs (its name carries the generator's version), and never
# committed.
#
# Environment for the scripts: GL_BIN (executables), GL_BENCH (benchmark
# helper programs built from bench/*.c), BENCH_DIR, BENCH_SCALE (1 = the
# sizes the issues name; smaller for a quick look).  bench/lib.sh has the
# shared helpers (timed, ratio); scripts source it.
# BENCH_ONLY=<glob> runs only the matching scripts; whole-dump (the real
# UCSD size) runs only when BENCH_ONLY=whole-dump names it.

set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
: "${GL_BIN:?}" "${GL_BENCH:?}"
export GL_BIN GL_BENCH PATH="$GL_BIN:$PATH"
export BENCH_DIR=${BENCH_DIR:-$here/../build/bench-data}
export BENCH_SCALE=${BENCH_SCALE:-1}
mkdir -p "$BENCH_DIR"
only=${BENCH_ONLY:-*}
BENCH_MISSED=$(mktemp "$BENCH_DIR/missed.XXXXXX")
export BENCH_MISSED
trap 'rm -f "$BENCH_MISSED"' EXIT

ran=0
for s in "$here"/*.sh; do
	name=$(basename "$s" .sh)
	case $name in run | lib) continue ;; esac
	# the real-size run takes most of an hour and 20 GB of disk: only by name
	if [ "$name" = whole-dump ] && [ "$only" != whole-dump ]; then continue; fi
	# shellcheck disable=SC2053
	[[ $name == $only ]] || continue
	echo "== $name"
	ran=$((ran + 1))
	# 77: the script cannot run here (a missing tool); it said why
	st=0
	bash "$s" || st=$?
	if [ "$st" = 77 ]; then
		echo "== $name skipped"
	elif [ "$st" != 0 ]; then
		echo "$name: the benchmark failed" >>"$BENCH_MISSED"
		echo "== $name failed"
	fi
done
if [ "$ran" = 0 ]; then
	echo "bench: no benchmark matches BENCH_ONLY='$only'" >&2
	exit 2
fi
if [ -s "$BENCH_MISSED" ]; then
	echo "missed targets:"
	sed 's/^/  /' "$BENCH_MISSED"
	if [ "${BENCH_CHECK:-0}" = 1 ]; then
		echo "bench-check: $(grep -c . "$BENCH_MISSED") missed"
		exit 1
	fi
else
	echo "every target met"
fi
