#!/usr/bin/env bash
# bench/duckdb.sh - issue 17's held-out check: the whole ETL by goodlens
# against the same task in DuckDB, in the same run on the same file, rows
# compared.
#
# Input: the issue's file, a Goodreads dump in the real layout from
# goodlens-sample (5M interaction lines, 19,200 users, 170,000 works in up
# to 3 editions; all three times BENCH_SCALE), made once in the folder
# bench/chain.sh uses (same name, so the two share it) and not timed.
#
# The task, as a user would run it: the interactions and the books file
# read, rating 0 (shelved) dropped, each book's title by a LEFT JOIN on
# book_id, the 5-core on users and books (at least 5 ratings each,
# repeated until stable; editions stay books, nothing held out), and the
# ratings written as CSV with the source's user and book ids and titles.
#
#   goodlens  goodlens-extract (interactions + books) -> goodlens-join
#             --kind left --on book_id --right-columns title (items.raw.csv
#             x books.csv; the title is all the task keeps of a book, as
#             the DuckDB query reads only book_id and title) ->
#             goodlens-filter --min-user-ratings 5 --min-item-ratings 5
#             --split none -> goodlens-export ratings-csv --format keys
#             (user_id,book_id,rating,title,is_valid: the source's ids, as
#             DuckDB writes them, without fastai's dense ids); default threads
#   duckdb    bench/duckdb_etl.mjs: read_json with explicit columns,
#             rating > 0, the 5-core as a loop of CREATE OR REPLACE until
#             no row goes, LEFT JOIN for the titles, COPY TO csv; 2 threads
#             (DUCKDB_THREADS)
#
# Each is timed as one whole, the best of BENCH_REPEAT runs (default 3,
# the two tools taking turns so that both see the same machine): wall and
# CPU seconds, peak RSS (the largest stage's for goodlens), and goodlens'
# stages in its best run.  DuckDB's time includes node's start and the
# import of DuckDB, printed alone too so the reader can subtract it.
# Targets (issue 17, "Done when"): DuckDB wall / goodlens wall >= 2.5 (the
# goal is 3) and DuckDB peak / goodlens peak >= 6 (goodlens at most 1/6 of
# DuckDB's memory).  The rows must be the same: both outputs reduced to
# user_id,book_id,rating,title through one CSV parser (python3's), sorted
# with LC_ALL=C sort and compared.
#
# DuckDB comes from the npm registry (@duckdb/node-api, with its linux-x64
# binary), installed into $BENCH_DIR/duckdb on first use: never into the
# repository, make deps or CI.  Without node, npm or the registry the
# script says so and exits 77 (skipped).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${GL_BIN:?}" "${BENCH_DIR:?}"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
threads=${DUCKDB_THREADS:-2}
# the version measured; DUCKDB_NPM_VERSION=latest (or another) to compare
npmver=${DUCKDB_NPM_VERSION:-1.5.6-r.1}
py=/usr/bin/python3
sz() { awk -v s="$scale" -v n="$1" -v m="$2" 'BEGIN { v = int(n * s); print (v < m ? m : v) }'; }
lines=$(sz 5000000 20000) users=$(sz 19200 200) works=$(sz 170000 1000)
d=$BENCH_DIR/duckdb
mods=$d/npm-$npmver o=$d/out
mkdir -p "$d"

# ---- DuckDB from npm --------------------------------------------------------
skip() {
	echo "duckdb: $*; skipped" >&2
	exit 77
}
command -v node >/dev/null || skip "no node on PATH (Node 18 or later runs @duckdb/node-api)"
[ -x "$py" ] || skip "no $py (it compares the two CSV files)"
if [ ! -d "$mods/node_modules/@duckdb/node-api" ]; then
	command -v npm >/dev/null || skip "no npm on PATH to install @duckdb/node-api"
	rm -rf "$d"/npm-* # another version's: one on disk at a time
	mkdir -p "$mods"
	if ! npm install --prefix "$mods" --no-audit --no-fund \
		"@duckdb/node-api@$npmver" >"$d/npm.log" 2>&1; then
		tail -n 5 "$d/npm.log" >&2
		rm -rf "$mods"
		skip "npm install @duckdb/node-api@$npmver into $mods failed (log: $d/npm.log)"
	fi
fi
etl=(node "$here/duckdb_etl.mjs" "$mods" "$threads")
if ! "${etl[@]}" --startup 2>"$d/startup.err"; then
	cat "$d/startup.err" >&2
	skip "@duckdb/node-api in $mods does not load"
fi
dver=$(node -e 'console.log(require(process.argv[1] + "/node_modules/@duckdb/node-api/package.json").version)' "$mods")

# ---- the dump (bench/chain.sh's folder and names) ---------------------------
cd=$BENCH_DIR/chain
raw=$cd/raw-s$(sample_version)-$lines-$users-$works
mkdir -p "$cd"
if [ ! -s "$raw/planted.txt" ]; then
	rm -rf "$cd"/raw-* # another version's or size's dump: one on disk at a time
	"$GL_BIN/goodlens-sample" -q --format goodreads --seed 7 --editions 3 \
		--users "$users" --items "$works" --interactions "$lines" --out "$raw"
fi
inter=$raw/goodreads_interactions_dedup.json.gz books=$raw/goodreads_books.json.gz
echo "input: $lines lines, $users users, $works works; $(du -cm "$inter" "$books" | tail -1 | cut -f1) MB gzip'd (interactions + books)"
echo "duckdb: @duckdb/node-api $dver, $threads threads; node $(node --version); goodlens: default threads"

# ---- the runs ---------------------------------------------------------------
# goodlens' four stages as one shell; each appends "stage wall peak-KiB user
# sys" to $1 (GNU time), the shell as a whole is timed by the caller.
# shellcheck disable=SC2016 # expanded by the inner shell
gl_task='set -e
	st=$1 bin=$2 o=$3 inter=$4 books=$5
	t() { n=$1; shift; /usr/bin/time -a -o "$st" -f "$n %e %M %U %S" "$@"; }
	t extract "$bin/goodlens-extract" -q --out "$o/ex" "$inter" "$books"
	t join "$bin/goodlens-join" -q --kind left --on book_id --right-columns title \
		-o "$o/items.titled.csv" \
		"$o/ex/items.raw.csv" "$o/ex/books.csv"
	t filter "$bin/goodlens-filter" -q --users "$o/ex/users.raw.csv" --items "$o/items.titled.csv" \
		--min-user-ratings 5 --min-item-ratings 5 --split none -o "$o/f" "$o/ex/ratings.raw.glr"
	t export "$bin/goodlens-export" -q ratings-csv --format keys -o "$o/ratings.csv" "$o/f/ratings.glr"'

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
gs="" gc="" gm="" ds="" dc="" dm="" ns="" nc="" nm=""
rm -rf "$o"
mkdir -p "$o"
for i in $(seq "$repeat"); do
	rm -rf "$o/gl" "$o/st"
	mkdir -p "$o/gl"
	timed "goodlens (run $i)" bash -c "$gl_task" sh "$o/st" "$GL_BIN" "$o/gl" "$inter" "$books"
	if [ -z "$gs" ] || [ "$(best "$TIMED_S" "$gs")" != "$gs" ]; then cp "$o/st" "$o/st.best"; fi
	gs=$(best "$TIMED_S" "$gs") gc=$(best "$TIMED_CPU" "$gc") gm=$(best "$TIMED_MB" "$gm")
	rm -f "$o/duckdb.csv"
	timed "duckdb (run $i)" "${etl[@]}" "$inter" "$books" "$o/duckdb.csv"
	ds=$(best "$TIMED_S" "$ds") dc=$(best "$TIMED_CPU" "$dc") dm=$(best "$TIMED_MB" "$dm")
	timed "node + import of DuckDB alone (run $i)" "${etl[@]}" --startup
	ns=$(best "$TIMED_S" "$ns") nc=$(best "$TIMED_CPU" "$nc") nm=$(best "$TIMED_MB" "$nm")
done

# ---- the rows ----------------------------------------------------------------
# One parser for both files (their quoting differs: DuckDB quotes what it
# must, goodlens likewise but not always the same way), then one line a
# row with tab, newline and backslash escaped, sorted bytewise.
# shellcheck disable=SC2016 # python, not shell
norm='import csv, sys
csv.field_size_limit(1 << 30)
esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
with open(sys.argv[1], newline="", encoding="utf-8") as f:
	r = csv.reader(f)
	h = next(r)
	ix = [h.index(c) for c in ("user_id", "book_id", "rating", "title")]
	w = sys.stdout.write
	for row in r:
		w("\t".join(esc(row[i]) for i in ix) + "\n")'
export LC_ALL=C
"$py" -c "$norm" "$o/gl/ratings.csv" | sort -S 256M >"$o/gl.rows"
"$py" -c "$norm" "$o/duckdb.csv" | sort -S 256M >"$o/duckdb.rows"
gn=$(wc -l <"$o/gl.rows") dn=$(wc -l <"$o/duckdb.rows")
same=0
if cmp -s "$o/gl.rows" "$o/duckdb.rows"; then
	same=1
	echo "rows: goodlens $gn, duckdb $dn: identical (user_id,book_id,rating,title, sorted)"
else
	echo "rows: goodlens $gn, duckdb $dn: DIFFERENT; the first differences (< goodlens, > duckdb):"
	diff "$o/gl.rows" "$o/duckdb.rows" >"$o/rows.diff" || true
	head -n 20 "$o/rows.diff"
fi

# ---- the figures -------------------------------------------------------------
echo "best of $repeat:      wall s    CPU s   peak MiB"
printf '%-16s %9.2f %8.2f %10d\n' goodlens "$gs" "$gc" "$gm" duckdb "$ds" "$dc" "$dm" \
	"node + import" "$ns" "$nc" "$nm"
echo "goodlens stages in its best run:"
awk '{ printf "  %-14s %9.2f %8.2f %10d\n", $1, $2, $4 + $5, $3 / 1024 }' "$o/st.best"
echo "duckdb less node's start: $(awk -v a="$ds" -v b="$ns" 'BEGIN { printf "%.2f", a - b }') s wall"
echo "duckdb / goodlens: wall $(ratio "$ds" "$gs") (goal 3), CPU $(ratio "$dc" "$gc"), peak $(ratio "$dm" "$gm")"
target "rows identical, goodlens and duckdb" "$same" '>=' 1
target "duckdb wall / goodlens wall" "$(ratio "$ds" "$gs")" '>=' 2.5
target "duckdb peak / goodlens peak" "$(ratio "$dm" "$gm")" '>=' 6
# kept for a look when the rows differ
if [ "$same" = 1 ]; then rm -rf "$o"; else echo "outputs kept in $o"; fi
