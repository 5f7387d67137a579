# goodlens-report scores as goodlens-recommend does (lib/glmscore.h is the
# one scoring code): for every model kind trained on a small goodlens-sample
# set, each predicted rating in the report's recommendations.csv is the
# score goodlens-recommend --user prints for that user (alone) and item, to
# the last printed digit, and each cosine in similar.csv is the one
# goodlens-recommend --similar prints for that pair (to its four decimals).
# nn scores through its network, which the report does not run: its
# recommendations table says so, and its similar items are compared.
. "$TESTS/e2e/lib.sh"
need python3

goodlens-sample --format ml-1m --out raw --users 300 --items 200 --interactions 15000 \
	--seed 5 2>/dev/null
goodlens-extract -q --out ex raw/ratings.dat raw/movies.dat
mkdir -p f
goodlens-filter -q -i ex/items.raw.csv -u ex/users.raw.csv -o f ex/ratings.raw.glr
n_items=$(($(wc -l <f/items.csv) - 1))

cat >compare.py <<'PY'
# compare.py KIND REPORT_DIR RECS_CSV SIMILAR_CSV: every score and cosine
# of the report's tables against goodlens-recommend's
import csv, sys

kind, rep, recs_csv, sim_csv = sys.argv[1:5]
fails = 0


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


got = {}
for r in rows(recs_csv):
    got[(r["user"], r["item"])] = r["score"]
n = 0
for r in rows(rep + "/recommendations.csv"):
    if r["kind"] != "recommended":
        continue
    n += 1
    want = got.get((r["user"], r["item"]))
    if want != r["score"]:
        print("%s: user %s item %s: report %s, recommend %s" % (kind, r["user"], r["item"], r["score"], want))
        fails += 1
cos = {}
for r in rows(sim_csv):
    cos[(r["item"], r["similar_item"])] = float(r["cosine"])
m = 0
for r in rows(rep + "/similar.csv"):
    m += 1
    want = cos.get((r["item"], r["neighbour"]))
    if want is None or abs(want - float(r["cosine"])) > 0.50001e-4:
        print("%s: items %s, %s: report cosine %s, recommend %s" % (kind, r["item"], r["neighbour"], r["cosine"], want))
        fails += 1
print("%s: %d recommendation scores, %d cosines compared" % (kind, n, m))
if (kind != "nn" and n == 0) or m == 0:
    print("%s: nothing compared" % kind)
    fails += 1
sys.exit(1 if fails else 0)
PY

# cols NAME...: these columns of goodlens-recommend's CSV on stdin, found by
# header name, without the header (the titles, which may hold commas, come
# after every column asked for)
cols() {
	awk -F, -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split(want, w, " "); next }
		{ s = ""; for (j = 1; j <= n; j++) s = s (j > 1 ? "," : "") $c[w[j]]; print s }'
}

for kind in dot mf als nn bpmf; do
	steps=(--epochs 3)
	if [ "$kind" = bpmf ]; then steps=(--sweeps 3); fi
	goodlens-train -q --model "$kind" "${steps[@]}" --threads 1 f/ratings.glr -o "$kind"
	cp f/ratings.glr f/items.csv f/users.csv "$kind/"
	goodlens-report -q --in "$kind" --out "$kind/rep"
	if [ "$kind" = nn ]; then
		grep -q 'scores through its network' "$kind/rep/report.html" ||
			fail "nn: the report does not say why it has no recommendations"
	fi
	# one user a call, as the report scores them: OpenBLAS picks its sgemm
	# kernel by the block's shape, so a block of several users may differ
	# in the last bit from one user alone
	echo "user,item,score" >"$kind/recs.csv"
	cut -d, -f1 "$kind/rep/recommendations.csv" | sed 1d | sort -un >"$kind/users.txt"
	while read -r user; do
		goodlens-recommend -q --model "$kind/model.glm" --ratings "$kind/ratings.glr" \
			--user "$user" -n "$n_items" -o "$kind/one.csv" </dev/null
		cols user item score <"$kind/one.csv" >>"$kind/recs.csv"
	done <"$kind/users.txt"
	echo "item,similar_item,cosine" >"$kind/similar.csv"
	cut -d, -f1 "$kind/rep/similar.csv" | sed 1d | sort -un >"$kind/items.txt"
	while read -r item; do
		goodlens-recommend -q --model "$kind/model.glm" --ratings "$kind/ratings.glr" \
			--similar "$item" -n "$n_items" -o "$kind/one.csv" </dev/null
		cols item similar_item cosine <"$kind/one.csv" >>"$kind/similar.csv"
	done <"$kind/items.txt"
	python3 compare.py "$kind" "$kind/rep" "$kind/recs.csv" "$kind/similar.csv"
done
echo "report_recommend_scores: all checks passed"
