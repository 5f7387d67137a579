# Goodreads JSON lines parsed on 1, 2, 3 and 8 threads (--threads) give
# the same outputs byte for byte, the same exit status and the same messages:
# grouped and ungrouped dumps, several files, stdin, bad records spread over
# many batches (the first ten shown), --strict and --max-bad stopping deep
# in a file, --max-keys running out, a line over --max-line, and a gzip
# stream cut after thousands of lines.
sizes="--users 500 --items 300 --interactions 40000 --seed 4"
# shellcheck disable=SC2086 # $sizes is several words
goodlens-sample --format goodreads --out g -q $sizes
# shellcheck disable=SC2086
goodlens-sample --format goodreads --out r -q $sizes --order random
goodlens-sample --format goodreads-genre --genre poetry --out p -q --users 200 --items 100 \
	--interactions 9000 --seed 6
gz=g/goodreads_interactions_dedup.json.gz

# same NAME ARGS...: goodlens-extract ARGS under each thread count; status,
# stderr and outputs must agree with one thread's (stdin from $STDIN)
same() {
	local name=$1 t st
	shift
	for t in 1 2 3 8; do
		rm -rf "out-$t"
		st=0
		goodlens-extract --threads "$t" --out "out-$t" "$@" 2>"err-$t" <"${STDIN:-/dev/null}" ||
			st=$?
		echo "$st" >"st-$t"
		if [ "$t" = 1 ]; then continue; fi
		cmp -s st-1 "st-$t" || { echo "FAIL $name: exit $(cat st-1) (1 thread), $st ($t)"; exit 1; }
		if ! cmp -s err-1 "err-$t"; then
			echo "FAIL $name: messages ($t threads)"
			diff err-1 "err-$t" || exit 1
		fi
		if [ -d out-1 ] || [ -d "out-$t" ]; then
			diff -r out-1 "out-$t" >/dev/null || { echo "FAIL $name: outputs ($t threads)"; exit 1; }
		fi
	done
	echo "ok $name: exit $(cat st-1), $(wc -l <err-1) message lines"
}

same grouped "$gz"
same ungrouped r/goodreads_interactions_dedup.json.gz
same "three files" p/goodreads_interactions_poetry.json.gz "$gz" \
	r/goodreads_interactions_dedup.json.gz
STDIN=$gz same stdin --source goodreads-json -

# bad records every 997 lines, over several batches of 4096 lines
zcat "$gz" | awk 'NR % 997 != 0 { print; next } { n++; k = n % 4 }
	k == 0 { print "{\"user_id\": 5}" } k == 1 { print "not json" } k == 2 { print "" }
	k == 3 { print "{\"rating\": 3}" }' >bad.json
same "bad records" bad.json
test "$(cat st-1)" = 0
test "$(grep -c 'warning: bad.json' err-1)" = 10
same strict --strict bad.json
grep -q 'bad.json:997 ' err-1
# the 21st bad record, deep in the file (a quarter of them are blank lines)
same max-bad --max-bad 20 bad.json
test "$(cat st-1)" = 1
# keys run out at the 450th user
same max-keys --max-keys 450 "$gz"
test "$(cat st-1)" = 1
grep -q 'max-keys' err-1
# a line over --max-line
zcat "$gz" | awk 'NR == 5000 { printf "{\"user_id\": \"%02000d\"}\n", 0; next } { print }' \
	>long.json
same too-long --max-line 1000 long.json
grep -q 'long.json:5000 ' err-1
# gzip cut after thousands of lines
size=$(stat -c %s "$gz")
head -c $((size * 2 / 3)) "$gz" >cut.json.gz
same "cut gzip" cut.json.gz
grep -q 'truncated gzip stream' err-1
# the metadata tables (books, works, authors) are parsed on the threads
# too: many batches of books, bad records of every kind among them
books=g/goodreads_books.json.gz
same metadata "$gz" "$books" g/goodreads_book_works.json.gz g/goodreads_book_authors.json.gz
zcat "$books" | awk '{ b[NR] = $0 } END { for (r = 0; r < 12000; r++) {
		line = b[r % NR + 1]; print line
		if (r % 997 != 0) continue
		k = (r / 997) % 6
		if (k == 0) print "{\"book_id\": \"x1\", \"title\": \"t\"}"
		if (k == 1) print "not json"
		if (k == 2) print ""
		if (k == 3) print "{\"title\": \"no key\"}"
		if (k == 4) print "{\"book_id\": \"7\", \"title\": \"a \\ud800 b\"}"
		if (k == 5) printf "{\"book_id\": \"8\", \"title\": \"%02000d\"}\n", 0
	} }' >books_bad.json
same "bad metadata" --max-line 1500 --max-bad 100% books_bad.json
test "$(cat st-1)" = 0
for what in 'book_id "x1"' 'invalid JSON' 'no book_id' 'U+FFFD' 'longer than --max-line'; do
	grep -q "books_bad.json:[0-9]* .*$what" err-1 || { echo "FAIL: no \"$what\" message"; exit 1; }
done
same "bad metadata, strict" --strict books_bad.json
test "$(cat st-1)" = 1
echo "threads agree"
