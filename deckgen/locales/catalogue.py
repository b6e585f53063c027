"""The locales deckgen can write, one module each, and what each module declares.

A locale is one file in this folder, named by its code (`fr.py`, `en.py`, `de.py`):
`TEXTS` (every generated word, the keys of `fr.py`), `RULES` (decimal and group
separators, what follows a percent and a label's word), `plural_is_one(n)` and
`ordinal(n)`. `locales()` lists the files found here, French first (the default),
then the catalogues installed packages add (entry points of the group
`deckgen.locales`); the spec's `locale:` and the command line's `--locale` offer
exactly these. Read by
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
_NEEDS = ("TEXTS", "RULES", "plural_is_one", "ordinal")


def builtin() -> tuple[str, ...]:
    names = {m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])}
    codes = sorted(n for n in names if _CODE.fullmatch(n))
    return tuple(sorted(codes, key=lambda c: (c != "fr", c)))


@functools.cache
def _plugged() -> dict[str, ModuleType]:
    """The catalogues installed packages add (entry points of `deckgen.locales`)."""
    from deckgen.errors import PluginError
    from deckgen.registry import plugged

    found = plugged(
        "deckgen.locales",
        lambda m: isinstance(m, ModuleType) and all(hasattr(m, n) for n in _NEEDS),
        "a catalogue module (with TEXTS, RULES, plural_is_one and ordinal)",
    )
    for code, _ in found:
        if code in builtin() or not _CODE.fullmatch(code):
            raise PluginError(f"plug-in locale {code!r} (deckgen.locales): deckgen has it already"
                              " or it is not a locale code (de, pt_BR)")  # fmt: skip
    return dict(found)


def locales() -> tuple[str, ...]:
    """The locales a deck can be written in: deckgen's own files, French first, then the
    plug-ins'."""
    return builtin() + tuple(sorted(_plugged()))


def __getattr__(name: str) -> Any:
    if name == "LOCALES":  # read on use, so importing this module reads no plug-in
        return locales()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def module(locale: str) -> ModuleType:
    """The catalogue module of `locale` (one of `locales()`)."""
    if locale in builtin():
        return import_module(f"deckgen.locales.{locale}")
    if locale in _plugged():
        return _plugged()[locale]
    raise KeyError(f"no catalogue for locale {locale!r}; available: {', '.join(locales())}")


def texts(locale: str) -> dict[str, Any]:
    """The catalogue of `locale`: key -> text."""
    return module(locale).TEXTS


def rules(locale: str) -> dict[str, str]:
    """How `locale` writes numbers and labels: decimal, group, percent, label."""
    return module(locale).RULES
