#!/usr/bin/env bash
# scripts/fetch.sh - download a recipe's raw files, resuming, and check them.
#
#   fetch.sh [--explain] [--about TEXT] [--cmd MAKE] NAME RAW ARCHIVE FILE...
#
# `make fetch DATA=...` builds the arguments from the recipe (pipeline.mk's
# FETCH_ARGS); users do not call this script by hand.  ARCHIVE is "-" or
# "archive|url|md5|sha256|size|dir|md5url": a zip (MovieLens) whose members
# dir/FILE are unpacked into RAW.  Each FILE is "name|url|sha256|size|opt"
# (url empty for members of the archive; opt "optional" for a file the
# pipeline runs without).  Every file is fetched, optional ones too.
#
# A download goes to NAME.part and is resumed from there (curl -C -): after a
# cut connection the next attempt, or the next `make fetch`, asks only for
# the rest.  It becomes NAME only once whole and checked, strongest check
# first: the SHA-256 the recipe gives; else the MD5 the recipe gives, else
# the one the publisher puts beside it (GroupLens' ml-*.zip.md5); else trust
# on first use: the SHA-256 of the first download is recorded in
# RAW/SHA256SUMS and every later download or `make fetch` must match it.
# Every download's SHA-256 goes into RAW/SHA256SUMS (`sha256sum -c
# SHA256SUMS` in RAW checks them by hand).  A file that fails a check is
# deleted, never left under its final name.
#
# --explain prints what is missing, where it goes and where it comes from,
# and exits 1: what `make pipeline` says when the required raw files are not
# there (--cmd: how the user runs the pipeline, "make" or
# "goodlens-pipeline"); missing optional files are listed as such.
#
# FETCH_TRIES (default 5) attempts per file, each resuming the last.
set -euo pipefail

explain=0 about='' cmd=make
while [ $# -gt 0 ]; do
	case $1 in
	--explain) explain=1; shift ;;
	--about) about=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	*) break ;;
	esac
done
name=$1 raw=$2 archive=$3
shift 3
tries=${FETCH_TRIES:-5}

field() { printf '%s' "$1" | cut -d'|' -f"$2"; }

if [ $explain = 1 ]; then
	{
		echo "pipeline: the raw files of '$name'${about:+ ($about)} are not all in $raw/:"
		for spec in "$@"; do
			f=$(field "$spec" 1) url=$(field "$spec" 2) what=missing
			[ -e "$raw/$f" ] && continue
			[ "$(field "$spec" 5)" = optional ] && what="optional, also missing"
			if [ -n "$url" ]; then
				echo "  $what $raw/$f   from $url"
			else
				echo "  $what $raw/$f   inside $(field "$archive" 1) ($(field "$archive" 6)/$f) from $(field "$archive" 2)"
			fi
		done
		echo "download them with:  $cmd fetch DATA=$name RAW=$raw"
		echo "or put them there by hand; or try the pipeline on generated files in the same layout:"
		echo "  $cmd pipeline DATA=$name SYNTH=1 RAW=data/synth/$name OUT=out/synth-$name"
	} >&2
	exit 1
fi

command -v curl >/dev/null || { echo "fetch: curl is needed (make deps)" >&2; exit 1; }
mkdir -p "$raw"
sums=$raw/SHA256SUMS
touch "$sums"

# recorded BASE: the SHA-256 recorded for BASE in SHA256SUMS, or nothing.
recorded() { awk -v f="$1" '$2 == f { print $1; exit }' "$sums"; }

# published URL: the first MD5 in the publisher's checksum file at URL
# ("MD5 (x.zip) = <md5>" or "<md5>  x.zip"), or nothing when there is none.
published() {
	[ -n "$1" ] || return 0
	curl -fsSL --retry 2 "$1" 2>/dev/null | grep -oiE '\b[0-9a-f]{32}\b' | head -n 1 | tr 'A-F' 'a-f' || true
}

# check FILE BASE SHA MD5 SIZE MD5URL: 0 when FILE passes the strongest
# check there is, else a message and 1.
check() {
	local file=$1 base=$2 sha=$3 md5=$4 size=$5 md5url=$6 got m rec
	if [ -n "$size" ] && [ "$(stat -c %s "$file")" != "$size" ]; then
		echo "fetch: $base is $(stat -c %s "$file") bytes, expected $size" >&2
		return 1
	fi
	got=$(sha256sum "$file" | cut -d' ' -f1)
	rec=$(recorded "$base")
	if [ -n "$sha" ]; then
		[ "$got" = "$sha" ] || { echo "fetch: $base: SHA-256 $got, expected $sha (the recipe's)" >&2; return 1; }
		echo "fetch: $base: SHA-256 matches the recipe's"
	elif [ -n "$rec" ]; then
		# recorded by an earlier fetch: the file must not have changed since
		[ "$got" = "$rec" ] || {
			echo "fetch: $base: SHA-256 $got differs from $rec recorded in $sums" >&2
			echo "fetch: (if the publisher really changed the file, delete its line from $sums)" >&2
			return 1
		}
		echo "fetch: $base: SHA-256 matches the one recorded in $sums"
	else
		[ -n "$md5" ] || md5=$(published "$md5url")
		if [ -n "$md5" ]; then
			m=$(md5sum "$file" | cut -d' ' -f1)
			[ "$m" = "$md5" ] || { echo "fetch: $base: MD5 $m, expected $md5" >&2; return 1; }
			echo "fetch: $base: MD5 matches the publisher's"
		else
			echo "fetch: no published checksum for $base: trusting this first download, its SHA-256 is now in $sums"
		fi
	fi
	[ -n "$rec" ] || echo "$got  $base" >>"$sums"
}

# get DEST URL SHA256 MD5 SIZE MD5URL: download DEST with resume, check it.
get() {
	local dest=$1 url=$2 sha=$3 md5=$4 size=$5 md5url=$6 part=$1.part base i rc before
	base=$(basename "$dest")
	if [ -e "$dest" ]; then
		echo "fetch: $dest is here; checking it"
		check "$dest" "$base" "$sha" "$md5" "$size" "$md5url" || {
			echo "fetch: $dest does not match: remove it and run make fetch again" >&2
			return 1
		}
		return 0
	fi
	[ -n "$url" ] || { echo "fetch: no address for $base in the recipe" >&2; return 1; }
	echo "fetch: $url -> $dest"
	for i in $(seq "$tries"); do
		before=$(stat -c %s "$part" 2>/dev/null || echo 0)
		rc=0
		curl -fL --retry 3 --retry-delay 2 -C - -o "$part" "$url" || rc=$?
		[ $rc = 0 ] && break
		if [ $rc = 33 ]; then
			# the server cannot resume: start again from the first byte
			echo "fetch: $url cannot be resumed; downloading it whole" >&2
			rm -f "$part"
		elif [ "$(stat -c %s "$part" 2>/dev/null || echo 0)" -le "$before" ]; then
			break    # no progress: offline, or the address is wrong
		else
			echo "fetch: download cut at $(stat -c %s "$part") bytes; resuming (attempt $((i + 1)) of $tries)" >&2
		fi
	done
	if [ $rc != 0 ]; then
		echo "fetch: download of $url failed (curl exit $rc: offline?); $part kept: make fetch resumes it" >&2
		return 1
	fi
	if ! check "$part" "$base" "$sha" "$md5" "$size" "$md5url"; then
		rm -f "$part"
		echo "fetch: deleted the download; run make fetch again to download $base afresh" >&2
		return 1
	fi
	mv "$part" "$dest"
}

if [ "$archive" != - ]; then
	a=$(field "$archive" 1)
	get "$raw/$a" "$(field "$archive" 2)" "$(field "$archive" 4)" "$(field "$archive" 3)" \
		"$(field "$archive" 5)" "$(field "$archive" 7)"
	command -v unzip >/dev/null || { echo "fetch: unzip is needed (make deps)" >&2; exit 1; }
	dir=$(field "$archive" 6)
	for spec in "$@"; do
		f=$(field "$spec" 1)
		[ -e "$raw/$f" ] && continue
		# unzip checks the member's CRC; a bad one fails here (an optional
		# member the zip lacks is only said)
		unzip -p "$raw/$a" "$dir/$f" >"$raw/$f.part" || {
			rm -f "$raw/$f.part"
			if [ "$(field "$spec" 5)" = optional ] && ! unzip -l "$raw/$a" "$dir/$f" >/dev/null 2>&1; then
				echo "fetch: $raw/$a has no $dir/$f (optional: the pipeline runs without it)"
				continue
			fi
			echo "fetch: $raw/$a has no good $dir/$f" >&2
			exit 1
		}
		mv "$raw/$f.part" "$raw/$f"
		echo "fetch: unpacked $raw/$f"
	done
else
	status=0
	for spec in "$@"; do
		get "$raw/$(field "$spec" 1)" "$(field "$spec" 2)" "$(field "$spec" 3)" "" "$(field "$spec" 4)" "" ||
			status=1
	done
	[ $status = 0 ] || exit 1
fi
echo "fetch: $name is complete in $raw/"
