"""`python -m deckgen`: the same command as `deckgen`."""

from .cli import main

main()
