#!/usr/bin/env bash
# scripts/fetch.sh - download a recipe's raw files, resuming, and check them.
#
#   fetch.sh [--explain] NAME RAW ARCHIVE FILE...
#
# ARCHIVE is "-" or "archive|url|md5|sha256|size|dir": a zip (MovieLens) whose
# members dir/FILE are unpacked into RAW.  Each FILE is "name|url|sha256|size"
# (url empty for members of the archive).  `make fetch DATA=...` builds these
# from the recipe; users do not call this script by hand.
#
# Checks, strongest first: the SHA-256 the recipe gives; else the MD5 the
# publisher gives (GroupLens' .md5 files); else trust on first use: the
# SHA-256 of the first download is recorded in RAW/SHA256SUMS and every later
# fetch must match it.  A failed check leaves the download beside its final
# name as NAME.part, never under the final name.
#
# --explain prints what is missing, where it goes and where it comes from,
# and exits 1: what `make pipeline` says when the raw files are not there.
set -euo pipefail

explain=0
if [ "${1:-}" = --explain ]; then explain=1; shift; fi
name=$1 raw=$2 archive=$3
shift 3

field() { printf '%s' "$1" | cut -d'|' -f"$2"; }

if [ $explain = 1 ]; then
	echo "pipeline: the raw files of '$name' are not all in $raw/:" >&2
	for spec in "$@"; do
		f=$(field "$spec" 1) url=$(field "$spec" 2)
		[ -e "$raw/$f" ] && continue
		if [ -n "$url" ]; then
			echo "  missing $raw/$f   (from $url)" >&2
		else
			echo "  missing $raw/$f   (inside $(field "$archive" 1) from $(field "$archive" 2))" >&2
		fi
	done
	echo "download them with:  make fetch DATA=$name" >&2
	echo "or put them there by hand; or try the pipeline offline on generated data:" >&2
	echo "  make pipeline DATA=$name SYNTH=1 RAW=data/synth/$name OUT=out/synth-$name" >&2
	exit 1
fi

command -v curl >/dev/null || { echo "fetch: curl is needed (make deps)" >&2; exit 1; }
mkdir -p "$raw"
sums=$raw/SHA256SUMS
touch "$sums"

# get DEST URL SHA256 MD5 SIZE: download DEST with resume and check it.
get() {
	local dest=$1 url=$2 sha=$3 md5=$4 size=$5 part=$1.part got base
	base=$(basename "$dest")
	if [ -e "$dest" ]; then
		echo "fetch: $dest is here"
		return 0
	fi
	echo "fetch: $url -> $dest"
	if ! curl -fL --retry 3 -C - -o "$part" "$url"; then
		echo "fetch: download of $url failed (offline?); $part kept for a resume" >&2
		return 1
	fi
	if [ -n "$size" ] && [ "$(stat -c %s "$part")" != "$size" ]; then
		echo "fetch: $part is $(stat -c %s "$part") bytes, expected $size" >&2
		return 1
	fi
	got=$(sha256sum "$part" | cut -d' ' -f1)
	if [ -n "$sha" ]; then
		[ "$got" = "$sha" ] || { echo "fetch: $part: SHA-256 $got, expected $sha" >&2; return 1; }
	elif [ -n "$md5" ]; then
		local m
		m=$(md5sum "$part" | cut -d' ' -f1)
		[ "$m" = "$md5" ] || { echo "fetch: $part: MD5 $m, expected $md5" >&2; return 1; }
	elif grep -q "  $base\$" "$sums"; then
		grep -q "^$got  $base\$" "$sums" || {
			echo "fetch: $part: SHA-256 $got differs from the one recorded in $sums" >&2
			return 1
		}
	else
		echo "fetch: no published checksum for $base: recording its SHA-256 in $sums"
	fi
	grep -q "  $base\$" "$sums" || echo "$got  $base" >>"$sums"
	mv "$part" "$dest"
}

if [ "$archive" != - ]; then
	a=$(field "$archive" 1)
	get "$raw/$a" "$(field "$archive" 2)" "$(field "$archive" 4)" "$(field "$archive" 3)" "$(field "$archive" 5)"
	command -v unzip >/dev/null || { echo "fetch: unzip is needed (make deps)" >&2; exit 1; }
	dir=$(field "$archive" 6)
	for spec in "$@"; do
		f=$(field "$spec" 1)
		[ -e "$raw/$f" ] && continue
		unzip -p "$raw/$a" "$dir/$f" >"$raw/$f.part"
		mv "$raw/$f.part" "$raw/$f"
		echo "fetch: unpacked $raw/$f"
	done
else
	for spec in "$@"; do
		get "$raw/$(field "$spec" 1)" "$(field "$spec" 2)" "$(field "$spec" 3)" "" "$(field "$spec" 4)"
	done
fi
echo "fetch: $name is complete in $raw/"
