# The walking skeleton: `make pipeline` on the built-in sample writes every
# output of the public contract, and pipeline.mk's file targets rebuild only
# what a change touches.
root=$GL_ROOT
out=$SCRATCH/out
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS RAW="$SCRATCH/raw" OUT="$out" "$@"; }

mk pipeline-run >log 2>&1 || { cat log; exit 1; }
for f in ratings.glr users.csv items.csv extract.stats.csv join.stats.csv \
	filter.stats.csv model.glm metrics.csv report.html; do
	test -s "$out/$f" || { echo "missing $f"; exit 1; }
done
test "$(head -n 1 "$out/metrics.csv")" = "epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds"
# Titles reached the items: most rows have one (the sample leaves some out).
python3 - "$out/items.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
titled = sum(1 for r in rows if r["title"])
assert len(rows) > 500 and titled > 0.9 * len(rows), (len(rows), titled)
PY

stamp() { for f in ratings.raw.glr items.titled.csv ratings.glr model.glm report.html; do
	stat -c '%n %y' "$out/$f"; done; }
stamp >before
mk pipeline-run >log 2>&1
stamp >after
diff before after || { echo "a second run rebuilt something"; cat log; exit 1; }

# A trainer setting reruns train and report only.
mk pipeline-run TRAIN_FLAGS='--model dot --epochs 2 --seed 7' >log 2>&1
stamp >changed
grep -E 'ratings.raw.glr|items.titled.csv|/ratings.glr' before >b
grep -E 'ratings.raw.glr|items.titled.csv|/ratings.glr' changed >c
diff b c
diff before changed | grep -q '^>.*model.glm' || { echo "model not retrained"; exit 1; }
diff before changed | grep -q '^>.*report.html' || { echo "report not rewritten"; exit 1; }
test "$(wc -l <"$out/metrics.csv")" -eq 3
