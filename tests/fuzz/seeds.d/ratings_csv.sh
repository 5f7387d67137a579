# Seeds for fuzz_ratings_csv: the first byte picks --no-header (bit 0), the
set -eu
# scale (bits 1-2: default, 1,10, 0.5,5,0.1, 1,200) and --delimiter '::'
# (bit 3).  Each delimiter, quoted keys, ISO and unix times, bad values.
dir=$2   # of BIN DIR TMP (tests/fuzz/seeds.sh): the seeds are written by hand
d=$dir/ratings_csv
mkdir -p "$d"
printf '\x00u;i;r;t\nann;"Heat; 1995";4.5;2020-01-02\nbob;Up;five;0\ncid;Up;7;2020-01-02T10:00:00+02:00\n' >"$d/semi.csv"
printf '\x02u\ti\tr\n1\ta\t10\n1\tb\t9.5\n' >"$d/tab.tsv"
printf '\x04u|i|r|t\nx|m1|3.7|1577934000\nx|m2|0.05|\n' >"$d/pipe.txt"
printf '\x09''1::1193::5::978300760\n1::661::3::978302109\n2::x\n' >"$d/dcolon.dat"
printf '\x01''0 5 4.5\n0 6 1\n' >"$d/libmf.txt"
printf '\x06u,i,r\nu,i,200\n,j,1\n' >"$d/wide.csv"
