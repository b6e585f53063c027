"""Every word deckgen writes into a deck or an export, one catalogue per locale.

A catalogue (`fr.py`, `en.py`, `de.py`) maps a key to a text, with `{name}` fields
filled by `Words.__call__`. Render and compute code never spell a word: they
ask the deck's `Words` (`words(locale)`), which also knows the locale's quotes,
list joining, plural, label colon and number formats, all declared in the
catalogue (`catalogue.py` says what). A new locale is one new module here with the
same keys (a test checks every catalogue has them all); LOCALES finds it.

The command line's own messages (errors, progress) are English whatever the
deck's locale, except the change report of `deckgen update` (its lines, summary,
CSV and workbook: the `upd_*` and `change_*` keys), which the team reads: the
deck's. The survey's own texts (questions, options) are the survey's.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from deckgen.locales.catalogue import locales, module, rules, texts
from deckgen.locales.numbers import format_number, format_percent

__all__ = ["LOCALES", "Words", "locales", "words"]


def __getattr__(name: str) -> Any:
    if name == "LOCALES":  # read on use: deckgen's catalogues and the plug-ins'
        return locales()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Words:
    """The generated words of one locale, with the typography that goes with them."""

    def __init__(self, locale: str, texts: dict[str, Any]) -> None:
        self.locale = locale
        self.texts = texts

    def __call__(self, key: str, **values: Any) -> str:
        return str(self.texts[key]).format(**values)

    def get(self, key: str) -> Any:
        return self.texts[key]

    # -- typography ----------------------------------------------------------------

    def quote(self, text: str) -> str:
        """« text » (fr, with no-break spaces as typed today: plain) or “text” (en)."""
        opening, closing = self.texts["quotes"]
        return f"{opening}{text}{closing}"

    def label(self, word: str) -> str:
        """'Question :' in French (narrow no-break space), 'Question:' in English."""
        return word + rules(self.locale)["label"]

    def join(self, items: Iterable[str], how: str = "and") -> str:
        """'a et b', 'a ou b' (fr); 'a and b', 'a or b' (en): the words between items."""
        return f" {self.texts[how]} ".join(items)

    def plural(self, n: float, one: str, many: str) -> str:
        """The form of a noun for `n`: French takes the singular for 0 and 1, English for 1
        (each catalogue's `plural_is_one`)."""
        return one if module(self.locale).plural_is_one(n) else many

    def ordinal(self, n: int) -> str:
        """1er, 2e, 25e (fr); 1st, 2nd, 3rd, 25th (en): each catalogue's `ordinal`."""
        return str(module(self.locale).ordinal(n))

    def number(self, value: float | int, digits: int = 0) -> str:
        return format_number(value, self.locale, digits)

    def percent(self, fraction: float | None, digits: int = 0) -> str:
        return format_percent(fraction, self.locale, digits)


@functools.cache
def words(locale: str) -> Words:
    """The catalogue of `locale` (one of LOCALES)."""
    return Words(locale, texts(locale))
