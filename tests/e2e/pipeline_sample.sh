# The walking skeleton: `make pipeline` on the built-in sample writes every
# output of the public contract, and pipeline.mk's file targets rebuild only
# what a change touches:
#   a second run                 nothing
#   a trainer setting            train, report
#   a filter setting             filter, train, report
#   model.glm deleted            train, report
#   a report setting             report
#   a raw file touched           everything
#   RAW pointed elsewhere        everything
# TIMES=1 logs exactly the stages that ran to OUT/stage.times.
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
grep -q '<h1>sample: [0-9,]* ratings by [0-9,]* users of [0-9,]* items</h1>' "$out/report.html"
grep -q '<p class="sub">Source: synthetic Goodreads dump' "$out/report.html"
# Titles reached the items: most rows have one (the sample leaves some out).
python3 - "$out/items.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
titled = sum(1 for r in rows if r["title"])
assert len(rows) > 500 and titled > 0.9 * len(rows), (len(rows), titled)
PY

# changed: the stages whose output is newer than in the last snapshot.
stages="extract:ratings.raw.glr join:items.titled.csv filter:ratings.glr train:model.glm report:report.html"
snap() { for s in $stages; do stat -c "${s%%:*} %y" "$out/${s#*:}"; done; }
snap >last
# expect WHAT STAGES... [make args]: run the pipeline, then exactly STAGES
# (a space-separated list, "" for none) must have been rebuilt.
expect() {
	local what=$1 want=$2 got
	shift 2
	rm -f "$out/stage.times"
	mk pipeline-run TIMES=1 "$@" >log 2>&1 || { cat log; exit 1; }
	snap >now
	diff last now >changes || [ $? = 1 ] # 1: they differ; 2: trouble
	got=$(sed -n 's/^> \([a-z]*\) .*/\1/p' changes | tr '\n' ' ' | sed 's/ $//')
	mv now last
	[ "$got" = "$want" ] || { echo "$what: rebuilt '$got', expected '$want'"; cat log; exit 1; }
	# stage.times names the stages that ran, in order
	ran=''
	if [ -e "$out/stage.times" ]; then # none when nothing ran
		ran=$(cut -d' ' -f1 "$out/stage.times" | tr '\n' ' ' | sed 's/ $//')
	fi
	[ "$ran" = "$want" ] || { echo "$what: stage.times has '$ran', expected '$want'"; exit 1; }
	echo "ok: $what -> ${want:-nothing}"
}

expect "second run" ""
T='--model dot --epochs 2 --seed 7'
expect "trainer setting" "train report" TRAIN_FLAGS="$T"
test "$(wc -l <"$out/metrics.csv")" -eq 3
expect "same trainer setting again" "" TRAIN_FLAGS="$T"
F='--min-user-ratings 10 --min-item-ratings 10 --split random:0.2 --seed 42'
expect "filter setting" "filter train report" TRAIN_FLAGS="$T" FILTER_FLAGS="$F"
test "$(tail -n 1 "$out/filter.stats.csv" | cut -d, -f1)" = output
python3 - "$out/users.csv" <<'PY'
import csv, sys
assert min(int(r["n_ratings"]) for r in csv.DictReader(open(sys.argv[1]))) >= 10
PY
rm "$out/model.glm"
expect "model.glm deleted" "train report" TRAIN_FLAGS="$T" FILTER_FLAGS="$F"
expect "report setting" "report" TRAIN_FLAGS="$T" FILTER_FLAGS="$F" REPORT_FLAGS='--list 5'
sleep 0.01
touch "$SCRATCH/raw/goodreads_books.json.gz"
expect "raw file touched" "extract join filter train report" TRAIN_FLAGS="$T" FILTER_FLAGS="$F" REPORT_FLAGS='--list 5'
# Back to the recipe's own settings: filter onwards again.
expect "recipe settings" "filter train report"
# The same files in another RAW folder are other inputs: everything again.
expect "another RAW" "extract join filter train report" RAW="$SCRATCH/raw2"
test -s "$SCRATCH/raw2/goodreads_interactions_dedup.json.gz"
# stage.times lines: stage, wall seconds, peak KiB, user and system seconds
awk 'NF != 5 || $2 !~ /^[0-9.]+$/ || $3 !~ /^[0-9]+$/ || $4 !~ /^[0-9.]+$/ || $5 !~ /^[0-9.]+$/ { exit 1 }' \
	"$out/stage.times"
