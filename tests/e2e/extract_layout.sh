# The interactions reader checks lines in the UCSD dumps' own layout byte
# for byte without the JSON callbacks (layout_line); anything else goes to
# the general parser.  Both must give the same outputs and messages: lines
# in the layout, and the same lines with one byte changed, dropped or added
# at every place (quotes, backslashes, spaces, digits, letters, control
# and non-ASCII bytes), read with the layout check on and off
# (GL_JSON_LAYOUT=0), on one thread and on two.
python3 - <<'PY'
import random
rnd = random.Random(17)
base = [
    '{"user_id": "8842281e1d1347389f2ab93d60773d4d", "book_id": "24375664", '
    '"review_id": "5cec8e1f758ec6352eeba2928f7f8356", "is_read": true, "rating": 5, '
    '"review_text_incomplete": "", "date_added": "Mon Aug 28 13:55:01 -0700 2017", '
    '"date_updated": "Mon Aug 28 15:41:26 -0700 2017", "read_at": "Sat Oct 07 00:00:00 -0700 2017", '
    '"started_at": "Sat Aug 26 00:00:00 -0700 2017"}',
    '{"user_id": "edc202bf8897867a58eeebab9f6abec5", "book_id": "345403", '
    '"review_id": "2842dda1fe1616c07d0070a68e808a1e", "is_read": false, "rating": 0, '
    '"review_text_incomplete": "Loved it, caf\xc3\xa9 & more", "date_added": "", '
    '"date_updated": "Wed Aug 30 15:10:15 -0700 2017", "read_at": "", "started_at": ""}',
]
alphabet = ['"', '\\', ' ', ',', ':', '{', '}', '0', '9', 'a', 'x', 't', 'f', '\x01', '\t', '\xff']
lines = list(base)
for b in base:
    for at in range(len(b)):
        for c in alphabet:
            lines.append(b[:at] + c + b[at + 1:])
        lines.append(b[:at] + b[at + 1:])
        lines.append(b[:at] + rnd.choice(alphabet) + b[at:])
    lines += [b] * 20
with open("lines.json", "wb") as f:
    for l in lines:
        f.write(l.encode("latin-1") + b"\n")
PY
for t in 1 2; do
	for lay in 1 0; do
		st=0
		GL_JSON_LAYOUT=$lay goodlens-extract --threads "$t" --max-bad 100% --out "out-$t-$lay" \
			lines.json 2>"err-$t-$lay" || st=$?
		if [ "$st" != 0 ]; then
			echo "FAIL: exit $st (threads $t, layout $lay)" >&2
			cat "err-$t-$lay" >&2
			exit 1
		fi
	done
	if ! diff -r "out-$t-1" "out-$t-0"; then
		echo "FAIL: outputs differ with the layout check on and off ($t threads)" >&2
		exit 1
	fi
	if ! diff "err-$t-1" "err-$t-0"; then
		echo "FAIL: messages differ with the layout check on and off ($t threads)" >&2
		exit 1
	fi
done
if ! diff -r out-1-1 out-2-1; then
	echo "FAIL: outputs differ between 1 and 2 threads" >&2
	exit 1
fi
kept=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } $1 == "total" { print $c["kept"] }' \
	out-1-1/extract.stats.csv)
lines=$(wc -l <lines.json)
if [ "$kept" -lt 40 ] || [ "$kept" -ge "$lines" ]; then
	echo "FAIL: $kept of $lines lines kept: expected the clean ones and some bad ones" >&2
	exit 1
fi
echo "ok: $lines lines, $kept kept, the same with the layout check on and off"
