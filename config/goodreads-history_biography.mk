# goodreads-history_biography - the UCSD Goodreads "history_biography" genre subset
# (Wan & McAuley, RecSys 2018): about 31,479,229 interactions of 302,935 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := history_biography
DESCRIPTION   := UCSD Goodreads history_biography genre subset (31,479,229 interactions of 302,935 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
