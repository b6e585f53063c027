"""The catalogues' texts by locale, read by `words` and by the number formats (a
locale's "not available"), so neither needs the other to find them."""

from __future__ import annotations

import functools
from importlib import import_module
from typing import Any

LOCALES = ("fr", "en")


@functools.cache
def texts(locale: str) -> dict[str, Any]:
    """The catalogue of `locale` (one of LOCALES): key -> text."""
    if locale not in LOCALES:
        raise KeyError(f"no catalogue for locale {locale!r}; available: {', '.join(LOCALES)}")
    return import_module(f"deckgen.locales.{locale}").TEXTS
