# goodreads-romance - the UCSD Goodreads "romance" genre subset
# (Wan & McAuley, RecSys 2018): about 42,792,856 interactions of 335,449 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := romance
DESCRIPTION   := UCSD Goodreads romance genre subset (42,792,856 interactions of 335,449 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
