# Goodreads user ids are 32 lowercase hex digits: every hex digit at every
# place is kept, and a byte just outside the ranges ('/' ':' '`' 'g'), an
# upper-case letter or a byte above ASCII at any place is bad_id, on one
# parse thread and on two (the test of all 32 bytes at once).
python3 - <<'PY'
base = "0123456789abcdef0123456789abcdef"
good, bad = [], []
for pos in range(32):
    for c in "0123456789abcdef":
        good.append(base[:pos] + c + base[pos + 1:])
    for c in ["/", ":", "`", "g", "A", "F", "@", "G", "~", " ", "\x7f", "\xe9"]:
        bad.append(base[:pos] + c + base[pos + 1:])
with open("ids.json", "wb") as f:
    for i, u in enumerate(good + bad):
        line = '{"user_id": "%s", "book_id": "%d", "rating": 4}\n' % (u, 1 + i % 7)
        f.write(line.encode("latin-1"))
with open("want", "w") as f:
    f.write("%d %d %d\n" % (len(good), len(set(good)), len(bad)))
PY
for t in 1 2; do
	goodlens-extract -q --threads "$t" --max-bad 100% --out "out-$t" ids.json
	awk -F, -v OFS=' ' '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		$1 == "total" { print $col["kept"], $col["users"], $col["bad_id"] }' \
		"out-$t/extract.stats.csv" >"got-$t"
	if ! cmp -s want "got-$t"; then
		echo "FAIL: kept, users, bad_id on $t threads: $(cat "got-$t"), expected $(cat want)" >&2
		exit 1
	fi
done
echo "ok: $(cat want) (kept, users, bad_id)"
