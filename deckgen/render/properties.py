"""A deck's document properties (title, subject, author, dates): the same inputs give
the same bytes, so the dates are the spec's or SOURCE_DATE_EPOCH, never the clock."""

from __future__ import annotations

from deckgen.render.oxml import xml_of


def set_properties(
    prs, title: str, subtitle: str | None = None, date: tuple[int, int, int] | None = None
) -> None:
    """The deck's document properties, dated `date` (files.deck_date: the spec's date or
    SOURCE_DATE_EPOCH, never the wall clock), or undated when there is none."""
    import datetime as dt

    core = prs.core_properties
    core.title = _property(title)
    core.subject = _property(subtitle or "")
    core.author = "deckgen"
    core.last_modified_by = "deckgen"
    core.revision = 1
    if date is not None:
        stamp = dt.datetime(*date)
        core.created = stamp
        core.modified = stamp
        core.last_printed = stamp
        return
    element = xml_of(core)  # no such date: none, rather than one that is not the survey's
    element._remove_created()
    element._remove_modified()
    element._remove_lastPrinted()


def _property(text: str, limit: int = 255) -> str:
    """A document property within PowerPoint's 255 characters (a long answer used as a
    personal deck's name), cut at a space with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "…"
