# goodreads-young_adult - the UCSD Goodreads "young_adult" genre subset
# (Wan & McAuley, RecSys 2018): about 34,919,254 interactions of 93,398 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := young_adult
DESCRIPTION   := UCSD Goodreads young_adult genre subset (34,919,254 interactions of 93,398 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
