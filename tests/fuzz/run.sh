#!/usr/bin/env bash
# tests/fuzz/run.sh BUILD SECONDS - run every libFuzzer target in BUILD/fuzzers
# for SECONDS each, from a corpus seeded by tests/fuzz/seeds.sh, and print
# one line per target: executions, coverage, corpus size, crashes.
#
# A crash stops the run with the input saved under BUILD/crashes/<target>/;
# fix the bug, then copy the input into tests/fuzz/regress/<target>/ so
# make test replays it for ever after.
set -eu
build=$1
secs=$2
here=$(cd "$(dirname "$0")" && pwd)
corpus_root=$build/corpus
mkdir -p "$corpus_root"
# the extract targets write their files here (tests/fuzz/xfuzz.h)
GL_FUZZ_SCRATCH=$(mktemp -d /dev/shm/glfuzz-run.XXXXXX 2>/dev/null || mktemp -d)
export GL_FUZZ_SCRATCH
trap 'rm -rf "$GL_FUZZ_SCRATCH"' EXIT
bash "$here/seeds.sh" "$build/bin" "$corpus_root"
status=0
for f in "$build"/fuzzers/fuzz_*; do
	name=$(basename "$f")
	target=${name#fuzz_}
	corpus=$corpus_root/$target
	crashes=$build/crashes/$target
	mkdir -p "$corpus" "$crashes"
	[ -d "$here/regress/$target" ] && cp -n "$here/regress/$target"/* "$corpus"/ 2>/dev/null || true
	log=$build/$name.log
	if "$f" -max_total_time="$secs" -close_fd_mask=3 -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1; then
		result=clean
	else
		result="CRASH (see $log and $crashes)"
		status=1
	fi
	execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
	files=$(find "$corpus" -type f | wc -l)
	printf '%-22s %10s execs  cov %6s  corpus %5s  %s\n' "$target" "${execs:-0}" "$cov" "$files" "$result"
done
exit $status
