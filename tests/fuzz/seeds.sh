#!/usr/bin/env bash
# tests/fuzz/seeds.sh BIN DIR - write seed corpora for the fuzz targets into
# DIR/<target>/, from a tiny goodlens-sample run pushed through the stages.
# Seeds are small (libFuzzer works best on inputs of a few KB).
set -eu
bin=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/goodlens-sample" --format goodreads --out "$tmp/raw" --seed 5 \
	--users 40 --items 30 --interactions 400 >/dev/null
"$bin/goodlens-extract" --quiet --out "$tmp/x" "$tmp/raw"/goodreads_*.json.gz
mkdir -p "$tmp/f" "$tmp/t"
"$bin/goodlens-filter" --quiet -o "$tmp/f" "$tmp/x/ratings.raw.glr"
"$bin/goodlens-train" --quiet --model dot --epochs 1 --factors 4 -o "$tmp/t" "$tmp/f/ratings.glr"
mkdir -p "$dir/glr" "$dir/glm"
cp "$tmp/x/ratings.raw.glr" "$dir/glr/raw.glr"
cp "$tmp/f/ratings.glr" "$dir/glr/filtered.glr"
cp "$tmp/t/model.glm" "$dir/glm/dot.glm"
# Targets of other readers add their seeds here, one folder per target.
for hook in "$(dirname "$0")"/seeds.d/*.sh; do
	[ -f "$hook" ] && bash "$hook" "$bin" "$dir" "$tmp"
done
exit 0
