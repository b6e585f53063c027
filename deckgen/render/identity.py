"""Stable keys of a deck's figures, as `deckgen update` finds them in an edited deck.

A slide's key is its spec `id:` or, without one, a slug of its title (unique in
the deck). An element's key is its slide's key and what it is on that slide:
`chart-1`, `callout-2-value`, `callout-2-text`, `footnote`; the speaker notes
are the slide's `notes`. Keys are written at the end of shape names,

    Chart: Type de collectivité [edition-2021#chart-1]

because names are what the communications team's tools keep: a LibreOffice
round trip keeps shape names (not placeholders' names), drops slide names,
shape tags and alternative texts; PowerPoint-compatible engines keep them all
(docs/refresh.md). The name stays readable in the selection pane.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

#: " [slide-key#element]" at the end of a shape name
_KEY = re.compile(r" \[([A-Za-z0-9][A-Za-z0-9_-]*)#([a-z0-9-]+)\]$")


def slugify(text: str, limit: int = 60) -> str:
    """'Les réseaux sociaux pour la participation' -> 'les-reseaux-sociaux-pour-la-partic…'
    (file names of images and batch decks, default slide keys)."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")  # ·, ', œ... become separators
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "graphique"


def slide_keys(slides: Sequence[Any]) -> list[str]:
    """The key of each spec slide: its `id:`, or a slug of its title, unique."""
    taken = {s.id for s in slides if s.id}
    keys: list[str] = []
    for s in slides:
        if s.id:
            keys.append(s.id)
            continue
        base = slugify(s.title, limit=48) or "slide"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        keys.append(key)
    return keys


def element_key(slide_key: str, element: str) -> str:
    return f"{slide_key}#{element}" if slide_key else ""


def named(label: str, key: str) -> str:
    """A shape name: its readable label, then its key (none: the label alone)."""
    return f"{label} [{key}]" if key else label


def key_of(name: str) -> tuple[str, str] | None:
    """(slide key, element) of a shape name deckgen wrote, or None."""
    m = _KEY.search(name or "")
    return (m.group(1), m.group(2)) if m else None


def label_of(name: str) -> str:
    """A shape name without its key: what a person reads."""
    return _KEY.sub("", name or "")
