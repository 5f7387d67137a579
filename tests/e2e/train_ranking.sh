# goodlens-train's ranking metrics over the whole catalogue, checked from
# outside: precision, recall, NDCG, hit rate and coverage at 10 computed
# here (awk) from goodlens-recommend --all-users --exclude train's top-10
# lists and the validation ratings (goodlens-export), against the
# train.summary.csv figures, for a factor model, an ensemble and nn; the
# popularity baseline's row; --exclude all (the default) against train.

goodlens-sample --format ml-1m --out raw --users 400 --items 250 --interactions 24000 \
	--seed 11 2>/dev/null
goodlens-extract -q --out ex raw/ratings.dat raw/movies.dat
mkdir -p f
goodlens-filter -q -i ex/items.raw.csv -u ex/users.raw.csv -o f ex/ratings.raw.glr
goodlens-export ratings-csv -q --subset valid -o valid.csv f/ratings.glr
goodlens-export ratings-csv -q --subset train -o train.csv f/ratings.glr

cat >metrics.awk <<'AWK'
# valid.csv train.csv lists.csv -> P,R,NDCG,k,hit rate,coverage at K over
# the users with a validation rating >= REL
FNR == 1 { next }
FILENAME == ARGV[1] {
	if ($3 + 0 >= REL && !(($1, $2) in rel)) { rel[$1, $2] = 1; nrel[$1]++ }
	next
}
FILENAME == ARGV[2] { cat[$2] = 1; next }
{ top[$1, $2] = $3; if ($2 > n[$1]) n[$1] = $2 }
END {
	for (i in cat) ncat++
	for (u in nrel) {
		hits = 0; dcg = 0; idcg = 0
		for (r = 1; r <= n[u]; r++) {
			it = top[u, r]; cov[it] = 1
			if ((u, it) in rel) { hits++; dcg += log(2) / log(r + 1) }
		}
		for (r = 1; r <= nrel[u] && r <= K; r++) idcg += log(2) / log(r + 1)
		P += hits / K; R += hits / nrel[u]; N += dcg / idcg; H += hits > 0; U++
	}
	for (i in cov) nc++
	printf "%.6f,%.6f,%.6f,%d,%.6f,%.6f\n", P / U, R / U, N / U, K, H / U, nc / ncat
}
AWK

# dense FILE: recommend's list cut to user,rank,item, found by header name
# (the key and title columns stand between and after them)
dense() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		{ print $c["user"] "," $c["rank"] "," $c["item"] }' "$1" >"$1.dense"
	mv "$1.dense" "$1"
}

# check NAME MEMBER OUTDIR: the summary row against the lists
check() {
	goodlens-recommend --model "$3/model.glm" --ratings f/ratings.glr --all-users \
		--exclude train -n 10 -o "$3/lists.csv"
	dense "$3/lists.csv"
	want=$(awk -F, -v K=10 -v REL=4 -f metrics.awk valid.csv train.csv "$3/lists.csv")
	got=$(awk -F, -v m="$1" -v j="$2" '$1 == m && $2 == j { print $6 "," $7 "," $8 "," $9 "," $10 "," $11 }' \
		"$3/train.summary.csv")
	echo "$1 $2: train.summary.csv $got; from the lists $want"
	if [ "$got" != "$want" ]; then
		echo "FAIL: $1 $2: train.summary.csv's ranking figures differ from the lists'" >&2
		exit 1
	fi
}

goodlens-train -q --model dot --epochs 3 --threads 2 f/ratings.glr -o dot
check dot 0 dot
goodlens-train -q --model mf --epochs 5 --ensemble 2 f/ratings.glr -o ens
check mf mean ens
goodlens-train -q --model nn --epochs 2 f/ratings.glr -o nn
check nn 0 nn

# the popularity baseline: no rating figures, ranking figures present
head -n 1 dot/train.summary.csv |
	grep -qx "model,member,rmse,mae,accuracy,precision_at_k,recall_at_k,ndcg_at_k,k,hit_rate_at_k,coverage_at_k"
pop=$(grep "^popularity," dot/train.summary.csv)
case "$pop" in
popularity,,,,,0.*,0.*,0.*,10,0.*,0.*) ;;
*) echo "FAIL: popularity row '$pop'" >&2; exit 1 ;;
esac

# --exclude all (the default) leaves out validation items too
goodlens-recommend --model dot/model.glm --ratings f/ratings.glr --all-users -n 10 -o all.csv
dense all.csv
awk -F, 'FNR == 1 { next } FILENAME == ARGV[1] { v[$1, $2] = 1; next } (($1, $3) in v) { bad++ }
	END { exit bad > 0 }' valid.csv all.csv
n_in=$(awk -F, 'FNR == 1 { next } FILENAME == ARGV[1] { v[$1, $2] = 1; next } (($1, $3) in v) { n++ }
	END { print n + 0 }' valid.csv dot/lists.csv)
if [ "$n_in" = 0 ]; then echo "FAIL: --exclude train lists hold no validation item" >&2; exit 1; fi

set +e
goodlens-recommend --model dot/model.glm --ratings f/ratings.glr --all-users --exclude some 2>err
st=$?
set -e
if [ "$st" != 2 ]; then echo "FAIL: --exclude some exited $st, want 2" >&2; exit 1; fi
grep -q -- "--exclude" err
echo "train_ranking: all checks passed"
