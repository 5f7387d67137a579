# goodlens-train --model nn from the command line: --factors sets fastai's
# n_factors (the hidden layer, layers=[n_factors]), --layers overrides it,
# --emb-size sets the embeddings apart from it (default emb_sz_rule); the
# model file's hparams and tensor shapes show what was built.

goodlens-sample --format ml-1m --out raw --users 150 --items 60 --interactions 4000 \
	--seed 5 2>/dev/null
goodlens-extract -q --out ex raw/ratings.dat raw/movies.dat
mkdir -p f
goodlens-filter -q -i ex/items.raw.csv -u ex/users.raw.csv -o f ex/ratings.raw.glr

# hparams are key=value lines inside model.glm
hp() { tr -c '[:print:]\n' '\n' <"$1/model.glm" | grep -a -x "$2"; }

goodlens-train -q --model nn --epochs 1 f/ratings.glr -o d
hp d "layers=50" >/dev/null
hp d "emb_size=rule,rule" >/dev/null
hp d "factors=50" >/dev/null

goodlens-train -q --model nn --factors 12 --epochs 1 f/ratings.glr -o a
hp a "layers=12" >/dev/null
goodlens-train -q --model nn --factors 12 --layers 30,20 --epochs 1 f/ratings.glr -o b
hp b "layers=30,20" >/dev/null
goodlens-train -q --model nn --emb-size 5,7 --epochs 1 f/ratings.glr -o c
hp c "emb_size=5,7" >/dev/null
hp c "layers=50" >/dev/null

# the embeddings' widths reach goodlens-recommend's model: a user's top
# list comes out whatever the sizes
goodlens-recommend --model c/model.glm --ratings f/ratings.glr --user 1 -n 3 >rec.csv
[ "$(wc -l <rec.csv)" = 4 ]

set +e
goodlens-train -q --model nn --emb-size 0 f/ratings.glr -o e 2>err
st=$?
set -e
if [ "$st" != 2 ]; then echo "FAIL: --emb-size 0 exited $st, want 2" >&2; exit 1; fi
grep -q "emb-size" err
goodlens-train --help >help.txt
grep -q -- "--emb-size" help.txt
grep -q "layers=\[n_factors\]" help.txt
echo "train_nn_cli: all checks passed"
