# Seeds for fuzz_json: Goodreads interaction lines, plain and gzip'd, from
set -eu
# the goodreads sample seeds.sh made in $3/raw.
dir=$2 tmp=$3
mkdir -p "$dir/json"
zcat "$tmp/raw/goodreads_interactions_dedup.json.gz" | head -n 12 >"$dir/json/plain.json"
gzip -c "$dir/json/plain.json" >"$dir/json/small.json.gz"
# a line with escapes, nesting and nulls takes yajl's path, not the fast one
printf '{"user_id": "0123456789abcdef0123456789abcdef", "book_id": "\\u0031", "rating": 4, "is_read": true, "date_added": "Mon Aug 28 13:55:01 -0700 2017", "n": {"a": [1, null]}}\r\n' \
	>"$dir/json/escapes.json"
