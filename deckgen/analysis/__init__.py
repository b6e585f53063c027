"""Computing: survey rows loaded and checked, indicators computed into plain results,
significance tests, the disclosure rule, editions' trends and the result cache.
No generated words: those are the wording stage's."""
