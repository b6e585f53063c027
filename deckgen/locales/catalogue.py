"""The locales deckgen can write, one module each, and what each module declares.

A locale is one file in this folder, named by its code (`fr.py`, `en.py`, `de.py`):
`TEXTS` (every generated word, the keys of `fr.py`), `RULES` (decimal and group
separators, what follows a percent and a label's word), `plural_is_one(n)` and
`ordinal(n)`. LOCALES lists the files found here, French first (the default); the
spec's `locale:` and the command line's `--locale` offer exactly these. Read by
`words` and by the number formats, so neither needs the other to find them.
"""

from __future__ import annotations

import functools
import pkgutil
import re
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")  # a module named like a locale: de, pt_BR


def _found() -> tuple[str, ...]:
    names = {m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])}
    codes = sorted(n for n in names if _CODE.fullmatch(n))
    return tuple(sorted(codes, key=lambda c: (c != "fr", c)))


LOCALES: tuple[str, ...] = _found()


@functools.cache
def module(locale: str) -> ModuleType:
    """The catalogue module of `locale` (one of LOCALES)."""
    if locale not in LOCALES:
        raise KeyError(f"no catalogue for locale {locale!r}; available: {', '.join(LOCALES)}")
    return import_module(f"deckgen.locales.{locale}")


def texts(locale: str) -> dict[str, Any]:
    """The catalogue of `locale`: key -> text."""
    return module(locale).TEXTS


def rules(locale: str) -> dict[str, str]:
    """How `locale` writes numbers and labels: decimal, group, percent, label."""
    return module(locale).RULES
