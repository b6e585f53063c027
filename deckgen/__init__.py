"""deckgen: turn survey answers into a finished PowerPoint deck.

The pipeline runs one way: spec + survey -> indicators -> render -> file.
`deckgen.build.build(spec_path)` is the library entry point; the CLI is a thin
shell around it.
"""

__version__ = "0.1.0"
