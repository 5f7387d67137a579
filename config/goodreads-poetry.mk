# goodreads-poetry - the UCSD Goodreads "poetry" genre subset
# (Wan & McAuley, RecSys 2018): about 2,734,350 interactions of 36,514 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := poetry
DESCRIPTION   := UCSD Goodreads poetry genre subset (2,734,350 interactions of 36,514 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
