"""Wording: what a deck says about its figures (footnotes, notes, alternative texts,
filters, legends) in the deck's locale. The catalogues and number formats themselves
are `deckgen.locales`, below every stage, since inputs' and analysis' messages use them too."""
