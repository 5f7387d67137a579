# Streams and orderings: stdin with --source, several genre files into one
# ratings file, the ungrouped fallback (lines in random order, several
# passes with --sort-mem 1) giving the same ratings as the grouped path,
# byte-identical reruns, and bounded memory on one endless line.
fx=$TESTS/fixtures/extract
goodlens-sample --format goodreads --out g -q --users 1000 --items 400 --interactions 250000 --seed 3
goodlens-sample --format goodreads --out r -q --users 1000 --items 400 --interactions 250000 --seed 3 --order random
gz=g/goodreads_interactions_dedup.json.gz

goodlens-extract -q --out a "$gz"
zcat "$gz" | goodlens-extract -q --out b --source goodreads-json -
cmp a/ratings.raw.glr b/ratings.raw.glr
cmp a/users.raw.csv b/users.raw.csv
# a pipe is read once: its name must tell the kind, or --source
goodlens-extract -q --out p1 --source goodreads-json <(zcat "$gz")
cmp a/ratings.raw.glr p1/ratings.raw.glr
st=0; goodlens-extract -q --out p2 <(zcat "$gz") || st=$?
test "$st" = 2

# determinism: a second run writes the same bytes
goodlens-extract -q --out a2 "$gz"
for f in ratings.raw.glr users.raw.csv items.raw.csv; do cmp "a/$f" "a2/$f"; done

# the same lines in random order: not grouped, so scattered in passes of
# about 100k ratings; the same ratings per user in the same relative order
goodlens-extract -v --sort-mem 1 --out c r/goodreads_interactions_dedup.json.gz 2>log
grep -q 'not grouped: scattered' log
python3 "$fx/glrdump.py" a | sort >a.txt
python3 "$fx/glrdump.py" c | sort >c.txt
cmp a.txt c.txt
test "$(wc -l <a.txt)" -eq 250000
# within each user, the random file's order is kept
python3 "$fx/glrdump.py" c >c-order.txt
python3 "$fx/oracle.py" goodreads-json r/goodreads_interactions_dedup.json.gz >c-want.txt
cmp c-order.txt c-want.txt

# several genre files feed one ratings file and one pair of dictionaries
goodlens-sample --format goodreads-genre --genre poetry --out p -q --users 50 --items 40 --interactions 900
goodlens-sample --format goodreads-genre --genre comics_graphic --out q -q --users 50 --items 40 --interactions 700 --seed 2
goodlens-extract -q --out gen p/goodreads_interactions_poetry.json.gz q/goodreads_interactions_comics_graphic.json.gz
python3 "$fx/glrdump.py" gen >gen.txt
python3 "$fx/oracle.py" goodreads-json p/goodreads_interactions_poetry.json.gz q/goodreads_interactions_comics_graphic.json.gz >gen-want.txt
cmp gen.txt gen-want.txt
lines=$(zcat p/goodreads_interactions_poetry.json.gz q/goodreads_interactions_comics_graphic.json.gz | wc -l)
test "$(sed -n '$p' gen/extract.stats.csv | cut -d, -f7)" -eq "$lines"

# one endless line (24 MiB, no newline) costs bounded memory: too_long
python3 -c "import sys; sys.stdout.write('{\"user_id\": \"' + 'a' * (24 << 20))" | gzip -1 >endless.json.gz
/usr/bin/time -f '%M' -o rss goodlens-extract -q --max-bad 1 --max-line 1048576 --out e --source goodreads-json endless.json.gz
test "$(sed -n '2p' e/extract.stats.csv | cut -d, -f16)" = 1
echo "peak RSS $(cat rss) KB"
test "$(cat rss)" -lt 65536
# and a 10 MB line among good ones with the default limit (4 MiB)
{ zcat "$gz" | sed -n 1,3p; python3 -c "print('{\"user_id\": \"' + 'b' * (10 << 20) + '\"}')"; zcat "$gz" | sed -n 4,5p; } >long.json
goodlens-extract -q --max-bad 1 --out l long.json
test "$(sed -n '2p' l/extract.stats.csv | cut -d, -f6,7,16)" = "6,5,1"
echo "streams ok"
