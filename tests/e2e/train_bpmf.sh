# goodlens-train --model bpmf and --blend from the command line, on a
# sample made by goodlens-sample -> goodlens-extract -> goodlens-filter:
# the outputs' columns, accuracy against the baselines and the floor, the
# usage errors of the new options, the blend's tables, and model.glm used
# by goodlens-recommend and goodlens-report.

for t in goodlens-sample goodlens-extract goodlens-filter goodlens-train goodlens-recommend \
	goodlens-report; do
	command -v "$t" >/dev/null || { echo "missing $t"; exit 1; }
done

goodlens-sample --format ml-1m --out raw --users 300 --items 150 --interactions 15000 \
	--factors 4 --popularity-exponent 0 --activity-exponent 0 --seed 3 2>/dev/null
goodlens-extract -q --out ex raw/ratings.dat raw/movies.dat
mkdir -p f
goodlens-filter -q -i ex/items.raw.csv -u ex/users.raw.csv -o f ex/ratings.raw.glr
floor=$(sed -n 's/^floor_rmse=//p' raw/planted.txt)

# expect_header FILE LINE: FILE's first line is LINE (read from the file,
# not piped into grep -q: SIGPIPE under pipefail)
expect_header() {
	local h
	h=$(head -n 1 "$1")
	if [ "$h" != "$2" ]; then
		echo "FAIL: $1 starts '$h', expected '$2'" >&2
		exit 1
	fi
}

# usage errors: exit 2 and a message naming what to change
expect_usage() { # pattern, args...
	local pat=$1 status
	shift
	set +e
	goodlens-train "$@" f/ratings.glr -o bad 2>err
	status=$?
	set -e
	if [ "$status" != 2 ]; then
		echo "FAIL: goodlens-train $* exited $status, expected 2" >&2
		exit 1
	fi
	if ! grep -q -- "$pat" err; then
		echo "FAIL: goodlens-train $*: no '$pat' in:" >&2
		cat err >&2
		exit 1
	fi
}
expect_usage "use --sweeps" --model bpmf --epochs 5
expect_usage "apply to --model bpmf" --model dot --sweeps 5
expect_usage "apply to --model bpmf" --model als --implicit-side items
expect_usage "apply to --model bpmf" --model mf --prior wishart
expect_usage "below --sweeps" --model bpmf --sweeps 10 --burn-in 10
expect_usage "invalid value for --implicit-side" --model bpmf --implicit-side sideways
expect_usage "mse only" --model bpmf --loss ce
expect_usage "two models or more" --blend dot
expect_usage "invalid value for --blend" --blend dot,svd
expect_usage "does not apply" --blend dot,bpmf --factors 8
expect_usage "does not apply" --blend dot,bpmf --model als
expect_usage "between 0 and 1" --blend dot,bpmf --blend-holdout 1.5
if [ -e bad ]; then
	echo "FAIL: a usage error created the output folder" >&2
	exit 1
fi
goodlens-train --help >help.txt
grep -q -- "--implicit-side" help.txt
grep -q "leakage" help.txt
grep -q -- "--blend A,B" help.txt

# bpmf: metrics.csv has one row per sweep in the usual columns, and the
# model beats the biases and stays near the floor
goodlens-train -q --model bpmf --sweeps 40 --threads 2 f/ratings.glr -o out-b
expect_header out-b/metrics.csv "epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds"
rows=$(($(wc -l <out-b/metrics.csv) - 1))
if [ "$rows" != 40 ]; then
	echo "FAIL: metrics.csv has $rows rows for 40 sweeps" >&2
	exit 1
fi
awk -F, -v floor="$floor" '
	$1 == "biases" { b = $3 } $1 == "bpmf" { r = $3 }
	END { print "bpmf", r, "biases", b, "floor", floor; exit !(r < b && r < floor * 1.15) }' \
	out-b/train.summary.csv
# the last metrics row is what train.summary.csv reports (the running mean)
last=$(tail -n 1 out-b/metrics.csv | cut -d, -f4)
summ=$(awk -F, '$1 == "bpmf" { print $3 }' out-b/train.summary.csv)
if [ "$last" != "$summ" ]; then
	echo "FAIL: last sweep's valid rmse $last, summary $summ" >&2
	exit 1
fi
# predictions stay in the rating range (1..5 here); the column found by
# name (the key columns user_id and movie_id sit before it)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "prediction") c = i; next }
	$c < 1 || $c > 5 { bad++ }
	END { if (!c) print "FAIL: predictions.csv has no prediction column"; exit !c || bad > 0 }' \
	out-b/predictions.csv

# the implicit sides and the other prior run and learn
for s in users items both; do
	goodlens-train -q --model bpmf --sweeps 20 --implicit-side "$s" --prior gamma \
		f/ratings.glr -o "out-$s"
	awk -F, -v s="$s" '$1 == "biases" { b = $3 } $1 == "bpmf" { r = $3 }
		END { print s, r; exit !(r < b) }' "out-$s/train.summary.csv"
done

# the model file serves recommend (a known user, a similar item, a new
# user) and the report, which names the model
goodlens-recommend --model out-b/model.glm --ratings f/ratings.glr --user 3 -n 5 >rec.csv
[ "$(wc -l <rec.csv)" = 6 ]
goodlens-recommend --model out-b/model.glm --ratings f/ratings.glr --similar 0 -n 3 >sim.csv
[ "$(wc -l <sim.csv)" = 4 ]
mkdir -p rep
cp f/ratings.glr f/items.csv out-b/model.glm out-b/metrics.csv out-b/train.summary.csv rep/
goodlens-report -q --in rep --out rep-out
grep -q "bpmf (Bayesian MF" rep-out/report.html

# blend: every member and the blend in train.summary.csv, the weights in
# blend.csv, the blend no worse on its holdout than any member, and
# model.glm holding the best member
goodlens-train -q --blend als,bpmf,mf --sweeps 30 f/ratings.glr -o out-bl
expect_header out-bl/blend.csv "member,model,weight,holdout_rmse,valid_rmse"
expect_header out-bl/metrics.csv "epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds,member"
for m in "als,0" "bpmf,1" "mf,2" "blend,all"; do
	grep -q "^$m," out-bl/train.summary.csv
done
awk -F, 'NR > 1 && $2 != "intercept" && $2 != "blend" { if (best == "" || $4 < best) best = $4 }
	$2 == "blend" { bl = $4 }
	END { print "holdout: blend", bl, "best member", best; exit !(bl != "" && bl <= best) }' \
	out-bl/blend.csv
goodlens-recommend --model out-bl/model.glm --ratings f/ratings.glr --user 3 -n 5 >rec2.csv
[ "$(wc -l <rec2.csv)" = 6 ]
