"""`python -m deckgen`: the same command as `deckgen`."""

from deckgen.cli import main

main()
