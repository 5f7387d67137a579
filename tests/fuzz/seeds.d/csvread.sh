# Seeds for fuzz_csvread: the first byte picks delimiter (bits 0-1: , tab
set -eu
# | ::), no quoting (bit 2), Latin-1 (bit 3), inline inflate (bit 4) and the
# record limit (bits 5-7: 64 << 2k bytes).  Quoted newlines, doubled
# quotes, CRLF, a BOM, and the tables later stages read.
dir=$2 tmp=$3
mkdir -p "$dir/csvread"
printf '\xe0\xef\xbb\xbfa,b,c\r\n1,"x, ""y""\nz",3\r\n\r\n4,,"\xc3\xa9"\n5,6' >"$dir/csvread/quoted.csv"
printf '\xe1u\ti\tr\n1\t2\t3\n' >"$dir/csvread/tabs.tsv"
printf '\xee1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1\n2|Caf\xe9|x\n' >"$dir/csvread/latin1.txt"
{ printf '\xe0'; head -n 8 "$tmp/x/users.raw.csv"; } >"$dir/csvread/users.csv"
{ printf '\xe0'; head -n 8 "$tmp/x/items.raw.csv"; } >"$dir/csvread/items.csv"
{ printf '\xe0'; cat "$tmp/x/extract.stats.csv"; } >"$dir/csvread/stats.csv"
{ printf '\xf0'; gzip -c "$tmp/x/users.raw.csv"; } >"$dir/csvread/users.csv.gz"
