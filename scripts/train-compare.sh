#!/usr/bin/env bash
# train-compare.sh - train two models on the same split and compare them.
#
#   scripts/train-compare.sh WORK [MODEL_A] [MODEL_B]
#
# MODEL_A and MODEL_B are goodlens-train --model kinds (default dot, the
# fastai dot product with biases, and als, alternating least squares).  Each
# writes model.glm, metrics.csv (per epoch), predictions.csv and
# train.summary.csv into WORK/MODEL.  Both see the same training and
# validation ratings (the split is in ratings.glr), so their validation
# scores compare directly, beside two baselines: the global mean and biases
# only.  Next: scripts/recommend-new-user.sh WORK MODEL.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 3 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
work=$1 a=${2:-dot} b=${3:-als}

for m in "$a" "$b"; do
	mkdir -p "$work/$m"
	goodlens-train --quiet --model "$m" --seed 42 -o "$work/$m" "$work/ratings.glr"
done

# model, rmse, mae, ndcg@10 on the validation ratings; lower rmse is better.
echo "model          rmse     mae      ndcg@k"
for m in "$a" "$b"; do
	awk -F, -v m="$m" 'NR > 1 && $3 != "" && ($1 != m || $2 == "0" || $2 == "") {
		printf "%-12s %8.4f %8.4f %8.4f\n", ($1 == m ? m : m "/" $1), $3, $4, $8 }' \
		"$work/$m/train.summary.csv"
done
best=$(for m in "$a" "$b"; do awk -F, -v m="$m" '$1 == m { print $3, m; exit }' "$work/$m/train.summary.csv"; done |
	sort -g | sed -n '1s/.* //p')
echo "best: $best"
