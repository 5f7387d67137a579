# The default model earns its place, and the tools say so when a model
# does not:
#   - `make pipeline` on the built-in sample (config/sample.mk) ends with the
#     model's valid RMSE below biases only's in train.summary.csv (a missing
#     row or an empty value fails, it never reads as 0), and the train log
#     gives both baselines' RMSE beside the model's;
#   - a model worse than biases only (one epoch at a rate far too small)
#     gets a warning in the log and a sentence in the report; the sample's
#     default model gets neither;
#   - the report's settings table lists what acts on the model trained: no
#     bn or layers for dot, no y_range or moms for mf (nn keeps bn and
#     layers, dot keeps moms);
#   - mf and als predictions stay in the rating range: predictions.csv and
#     goodlens-recommend's scores within 1..5, the top reached;
#   - the report's CSS lets no table cell break a word anywhere (the join
#     table split "right" and file names mid-word).
root=$GL_ROOT
# shellcheck disable=SC2086
mk() { make -C "$root" --no-print-directory $GL_MAKE_ARGS "$@"; }

# beats FILE: exit 0 when the trained model's rmse (the ensemble mean, else
# member 0) is below biases only's, 1 when not, 2 when either is missing or
# not a number.
beats() {
	awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["model"] == "biases" { b = $col["rmse"]; next }
		$col["model"] == "global_mean" { next }
		$col["member"] == "mean" || ($col["member"] == "0" && !seen) {
			m = $col["rmse"]; name = $col["model"]; seen = 1
		}
		END {
			num = "^[0-9]+([.][0-9]+)?$"
			if (b !~ num || m !~ num) {
				printf "%s: model rmse \"%s\", biases rmse \"%s\"\n", FILENAME, m, b
				exit 2
			}
			printf "%s: %s %s, biases only %s\n", FILENAME, name, m, b
			exit !(m + 0 < b + 0)
		}' "$1"
}
status_of() { # cmd...: print its exit status (its output to stderr) without tripping set -e
	local s=0
	"$@" >&2 || s=$?
	echo "$s"
}

# the checker itself: a missing model row and an empty rmse are not numbers
printf 'model,member,rmse\nglobal_mean,,0.97\nbiases,,0.87\n' >norow.csv
printf 'model,member,rmse\nbiases,,0.87\ndot,0,\n' >empty.csv
printf 'model,member,rmse\nbiases,,0.87\nmf,0,0.90\nmf,1,0.80\nmf,mean,0.86\n' >ens.csv
[ "$(status_of beats norow.csv)" = 2 ] || { echo "FAIL: a missing model row passed"; exit 1; }
[ "$(status_of beats empty.csv)" = 2 ] || { echo "FAIL: an empty rmse passed"; exit 1; }
[ "$(status_of beats ens.csv)" = 0 ] || { echo "FAIL: the ensemble mean was not read"; exit 1; }

# 1. the sample's recipe, as `make pipeline` runs it
mk pipeline-run RAW="$SCRATCH/raw" OUT="$SCRATCH/sample" >pipeline.log 2>&1 ||
	{ tail -n 20 pipeline.log; exit 1; }
if ! beats sample/train.summary.csv; then
	echo "FAIL: the sample's default model does not beat biases only" >&2
	exit 1
fi
grep -qE "^goodlens-train: dot: valid rmse [0-9.]+ mae [0-9.]+ \([0-9]+ ratings\); baselines: biases only [0-9.]+, global mean [0-9.]+$" pipeline.log ||
	{ echo "FAIL: the train log does not give the baselines beside the model" >&2; exit 1; }
if grep "does not beat the biases-only" pipeline.log; then
	echo "FAIL: the log warns about a model that beats biases only" >&2
	exit 1
fi
if grep 'class="warn"' sample/report.html; then
	echo "FAIL: the report says the sample's model does not beat biases only" >&2
	exit 1
fi

if grep -Eo "(td|code)\{[^}]*(overflow-wrap:anywhere|word-break:break-all)" sample/report.html; then
	echo "FAIL: table cells may break words anywhere" >&2
	exit 1
fi
grep -q "td{overflow-wrap:break-word}" sample/report.html ||
	{ echo "FAIL: table cells lost their wrapping rule" >&2; exit 1; }

# 2. a model worse than biases only: the log and the report say so
cp -r sample bad
goodlens-train --model dot --epochs 1 --lr 1e-6 -o bad sample/ratings.glr 2>bad.err
[ "$(status_of beats bad/train.summary.csv)" = 1 ] ||
	{ echo "FAIL: the forced model should lose to biases only" >&2; exit 1; }
grep -qE "warning: dot does not beat the biases-only baseline \(valid rmse [0-9.]+, biases only [0-9.]+\)" bad.err ||
	{ echo "FAIL: no warning in the train log" >&2; cat bad.err; exit 1; }
goodlens-report -q --in bad
grep -qE '<p class="warn"><strong>The dot model does not beat the biases-only baseline</strong>: its validation RMSE is [0-9.]+ against [0-9.]+' bad/report.html ||
	{ echo "FAIL: the report does not say the model loses to biases only" >&2; exit 1; }

# 3. the settings table: the rows of <h3>The model</h3>'s table
settings() { sed -n '/<h3>The model<\/h3>/,/<\/table>/p' "$1"; }
has_row() { # report key: is there a settings row for key?
	settings "$1" >rows.html
	grep -q "<tr><td>$2</td>" rows.html
}
for k in bn layers; do
	if has_row sample/report.html "$k"; then echo "FAIL: dot report shows $k" >&2; exit 1; fi
done
has_row sample/report.html moms || { echo "FAIL: dot report lost moms" >&2; exit 1; }
has_row sample/report.html wd_mode || { echo "FAIL: dot report lost wd_mode" >&2; exit 1; }

cp -r sample nn
goodlens-train -q --model nn --epochs 1 -o nn sample/ratings.glr
goodlens-report -q --in nn
for k in bn layers; do
	has_row nn/report.html "$k" || { echo "FAIL: nn report lost $k" >&2; exit 1; }
done

# 4. mf and als: settings, and predictions clipped to 1..5
for m in mf als; do
	cp -r sample "$m"
	goodlens-train -q --model "$m" -o "$m" sample/ratings.glr
	goodlens-report -q --in "$m"
	for k in y_range moms bs optimizer bn layers; do
		if has_row "$m/report.html" "$k"; then echo "FAIL: $m report shows $k" >&2; exit 1; fi
	done
	has_row "$m/report.html" wd || { echo "FAIL: $m report lost wd" >&2; exit 1; }
	grep -q "<tr><td>output</td><td>linear, clipped to 1.00 to 5.00</td>" "$m/report.html" ||
		{ echo "FAIL: $m report does not give its output range" >&2; exit 1; }
	# every prediction within the scale, and some at its top: the keen
	# users' raw scores pass 5 there
	awk -F, -v m="$m" 'NR > 1 { n++; if ($NF < 1 || $NF > 5) bad++; if ($NF == 5) top++ }
		END { printf "%s: %d predictions, %d outside 1..5, %d at 5\n", m, n, bad, top
		      exit !(n > 0 && bad == 0 && top > 0) }' "$m/predictions.csv" ||
		{ echo "FAIL: $m predictions.csv leaves the rating range" >&2; exit 1; }
	goodlens-recommend -q --model "$m/model.glm" --ratings sample/ratings.glr --all-users \
		-o "$m/recs.csv"
	awk -F, -v m="$m" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "score") c = i; next }
		{ n++; if ($c < 1 || $c > 5) bad++; if ($c == 5) top++ }
		END { printf "%s recommend: %d scores, %d outside 1..5, %d at 5\n", m, n, bad, top
		      exit !(n > 0 && bad == 0 && top > 0) }' "$m/recs.csv" ||
		{ echo "FAIL: $m recommend scores leave the rating range" >&2; exit 1; }
done
echo "ok"
