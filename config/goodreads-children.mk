# goodreads-children - the UCSD Goodreads "children" genre subset
# (Wan & McAuley, RecSys 2018): about 10,059,349 interactions of 124,082 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := children
DESCRIPTION   := UCSD Goodreads children genre subset (10,059,349 interactions of 124,082 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
