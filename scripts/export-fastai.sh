#!/usr/bin/env bash
# export-fastai.sh - the filtered ratings as the CSV fastai's collab chapter
# loads.
#
#   scripts/export-fastai.sh WORK
#
# Writes WORK/ratings.csv (user,item,rating, the source keys as named in
# users.csv and items.csv, title, is_valid) from WORK/ratings.glr and the
# tables beside it.  In Python, with goodlens' own validation set:
#
#   import pandas as pd
#   from fastai.collab import CollabDataLoaders, collab_learner
#   from fastai.tabular.all import Categorify, ColSplitter, TransformBlock
#   from fastai.collab import TabularCollab
#   df = pd.read_csv("WORK/ratings.csv")
#   splits = ColSplitter("is_valid")(df)
#   dls = TabularCollab(df, [Categorify], ["user", "title"], y_names=["rating"],
#                       y_block=TransformBlock(), splits=splits).dataloaders(bs=64)
#
# (CollabDataLoaders.from_df(df, item_name="title", bs=64) draws its own
# random split instead.)
#   learn = collab_learner(dls, n_factors=50, y_range=(0, 5.5))
#   learn.fit_one_cycle(5, 5e-3, wd=0.1)
#
# goodlens-train --model dot trains that same model without leaving C.
set -euo pipefail
[ $# = 1 ] || { sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
work=$1

goodlens-export ratings-csv --items "$work/items.csv" -o "$work/ratings.csv" "$work/ratings.glr"
echo "$(($(wc -l <"$work/ratings.csv") - 1)) ratings in $work/ratings.csv:"
head -n 4 "$work/ratings.csv"

# Streaming works too: only the validation ratings, as LIBMF's text format.
# (sed, unlike head, reads to the end: under pipefail the exporter must not
# be cut off mid-write.)
goodlens-export ratings-csv --format libmf --subset valid "$work/ratings.glr" | sed -n 1,3p
