# goodreads-comics_graphic - the UCSD Goodreads "comics_graphic" genre subset
# (Wan & McAuley, RecSys 2018): about 7,347,630 interactions of 89,411 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := comics_graphic
DESCRIPTION   := UCSD Goodreads comics_graphic genre subset (7,347,630 interactions of 89,411 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)

# Biased MF by SGD (LIBMF's updates: 32 factors, L2 regularisation 0.1), not
# fastai's dot product: at this size fastai's settings (bs 64, decoupled
# weight decay at every step) shrink every row's factors and biases toward
# zero between its updates, and dot ends near the global mean.  Up to 30
# epochs, keeping the one with the best validation loss (--patience 10): at
# the full size the loss falls to the last epoch, but on a small subset
# (the generated one: about 7 training ratings a user) it turns up after
# 5 epochs and the later ones only overfit, below biases only.
# docs/PIPELINE.md has the measurements.
TRAIN_FLAGS   := --model mf --epochs 30 --patience 10 --seed 42
