# goodreads-fantasy_paranormal - the UCSD Goodreads "fantasy_paranormal" genre subset
# (Wan & McAuley, RecSys 2018): about 55,397,550 interactions of 258,585 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := fantasy_paranormal
DESCRIPTION   := UCSD Goodreads fantasy_paranormal genre subset (55,397,550 interactions of 258,585 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
