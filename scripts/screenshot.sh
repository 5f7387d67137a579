#!/usr/bin/env bash
# scripts/screenshot.sh - write a PNG of a report page, to look at it.
#
#   scripts/screenshot.sh PAGE.html [OUT.png] [WIDTH] [HEIGHT] [SECTION]
#
# Renders the page in headless Chromium (Debian's chromium, from `make
# deps`) in a window of WIDTH x HEIGHT CSS pixels (default 1280 x 7000:
# most of a report) and writes the PNG (default: report.png beside the
# page).  SECTION (dataset, join, training, biases, pca, similar,
# recommendations, crosstab) picks one part of the page for a close look;
# it needs python3 and uses tests/browser/cdp_page.py, which clips the
# shot to that section.  No network: the page is self-contained and Chromium runs
# with its background services off, in a throwaway profile.
set -eu
page=${1:?usage: scripts/screenshot.sh PAGE.html [OUT.png] [WIDTH] [HEIGHT] [SECTION]}
out=${2:-$(dirname "$page")/report.png}
width=${3:-1280}
height=${4:-7000}
section=${5:-}
chrome=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chrome" ]; then
	echo "screenshot.sh: chromium not found (install Debian's chromium: make deps)" >&2
	exit 1
fi
[ -f "$page" ] || { echo "screenshot.sh: $page: no such file" >&2; exit 1; }
abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
case $out in /*) ;; *) out=$PWD/$out ;; esac
if [ -n "$section" ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	exec python3 "$here/tests/browser/cdp_page.py" shot "$page" "$out" --width "$width" \
		--section "$section"
fi
profile=$(mktemp -d "${TMPDIR:-/tmp}/goodlens-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
url="file://$abs"
"$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile/profile" \
	--window-size="$width,$height" --screenshot="$out" "$url" \
	>"$profile/log" 2>&1 || { cat "$profile/log" >&2; exit 1; }
[ -s "$out" ] || { echo "screenshot.sh: chromium wrote no $out" >&2; cat "$profile/log" >&2; exit 1; }
echo "$out"
