#!/usr/bin/env bash
# scripts/recipe-hint.sh - the recipes a mistyped DATA= most likely meant.
#
#   recipe-hint.sh NAME RECIPE...
#
# pipeline.mk calls it when there is no recipe NAME, to say "did you mean
# X?".  Prints the best guesses on one line ("a" or "a or b"), or nothing
# when none is close.  In order, the first rule that finds any wins:
#   1. the same name but for letter case (ml-100K -> ml-100k);
#   2. the nearest names by edit distance (insertions, deletions and
#      substitutions of one character, case ignored), when that distance is
#      at most 1 + a quarter of NAME's length (ml100k -> ml-100k);
#   3. names that contain NAME or are contained in it, case ignored, when
#      there are at most three (poetry -> goodreads-poetry).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: recipe-hint.sh NAME RECIPE..." >&2; exit 2; }
name=$1
shift
[ $# -gt 0 ] || exit 0
printf '%s\n' "$@" | awk -v want="$name" '
function dist(a, b,    i, j, la, lb, c, d, prev, cur) {
	la = length(a); lb = length(b)
	for (j = 0; j <= lb; j++) prev[j] = j
	for (i = 1; i <= la; i++) {
		cur[0] = i
		for (j = 1; j <= lb; j++) {
			c = prev[j - 1] + (substr(a, i, 1) != substr(b, j, 1))
			d = prev[j] + 1; if (d < c) c = d
			d = cur[j - 1] + 1; if (d < c) c = d
			cur[j] = c
		}
		for (j = 0; j <= lb; j++) prev[j] = cur[j]
	}
	return prev[lb]
}
function join(list, n,    s, i) {
	s = list[1]
	for (i = 2; i <= n; i++) s = s " or " list[i]
	return s
}
{ r[++n] = $0 }
END {
	w = tolower(want)
	for (i = 1; i <= n; i++) if (tolower(r[i]) == w) same[++ns] = r[i]
	if (ns) { print join(same, ns); exit }
	best = 1 + int(length(w) / 4) + 1
	for (i = 1; i <= n; i++) {
		d = dist(w, tolower(r[i]))
		if (d < best) { best = d; nn = 0 }
		if (d == best) near[++nn] = r[i]
	}
	if (nn) { print join(near, nn); exit }
	for (i = 1; i <= n; i++) {
		l = tolower(r[i])
		if (w != "" && (index(l, w) || index(w, l))) part[++np] = r[i]
	}
	if (np && np <= 3) print join(part, np)
}'
