"""deckgen: turn survey answers into a finished PowerPoint deck.

The library API (documented in deckgen.api):

    import deckgen

    project = deckgen.load("config/barometre-2021.yaml")
    project.validate()
    report = project.build("out/deck.pptx")

`load`, `build`, `init`, `inputs` and `schema` are deckgen.api's; every user mistake
is a `DeckgenError`. Names are imported on first use, so `import deckgen`
stays light for the command line.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["DeckgenError", "Project", "__version__", "build", "init", "inputs", "load", "schema"]


def __getattr__(name: str) -> Any:
    if name in ("Project", "load", "build", "init", "inputs", "schema"):
        from deckgen import api

        return getattr(api, name)
    if name == "DeckgenError":
        from deckgen.errors import DeckgenError

        return DeckgenError
    raise AttributeError(f"module 'deckgen' has no attribute {name!r}")
