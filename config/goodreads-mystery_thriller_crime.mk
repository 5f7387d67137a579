# goodreads-mystery_thriller_crime - the UCSD Goodreads "mystery_thriller_crime" genre subset
# (Wan & McAuley, RecSys 2018): about 24,799,896 interactions of 219,235 books,
# JSON lines, gzip'd.  Books belong to a genre by their shelf names, so the
# subsets overlap.
# Dataset site: https://mengtingwan.github.io/data/goodreads.html
# The rest is config/goodreads-genre.inc, shared by the eight genres.

GENRE         := mystery_thriller_crime
DESCRIPTION   := UCSD Goodreads mystery_thriller_crime genre subset (24,799,896 interactions of 219,235 books)
include $(or $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))goodreads-genre.inc \
	$(addsuffix /goodreads-genre.inc,$(RECIPE_PATH)))),goodreads-genre.inc)
