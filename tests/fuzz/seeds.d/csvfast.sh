# More seeds for fuzz_csvread: one-line records that csvread splits without
# libcsv (doubled quotes, empty and quoted-empty fields, long lines cut in
# 16-byte blocks, UTF-8) beside the lines it must leave to libcsv (text
# after a closing quote, a stray quote, invalid UTF-8, a NUL).
set -eu
dir=$2
mkdir -p "$dir/csvread"
printf '\xe0id,title,x\n1,"A, ""quoted"" title",\n2,,""\n3,"",\xc3\xa9t\xc3\xa9\n' >"$dir/csvread/fast.csv"
printf '\xe0%s\n' "$(printf 'field%02d,' $(seq 1 40))last" >"$dir/csvread/long.csv"
printf '\xe0"a"b,c\nd"e,f\ng,\xff\nh,i\x00j\n"k""l",m\n' >"$dir/csvread/leave.csv"
printf '\xe1a\t"b\tc"\t\n' >"$dir/csvread/fast.tsv"
printf '\xe31::Toy Story (1995)::Animation|Children'"'"'s\n2::"a::b"::x:y\n3:::::\n' >"$dir/csvread/dcolon.dat"
