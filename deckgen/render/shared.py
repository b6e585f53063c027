"""What the decks of one batch share: slides rendered once, zip entries compressed once.

The personal decks of a batch (`build --each-respondent`) differ from one another
by a few marks: the recipient's category on each chart, the figures the privacy
rule blanks for the recipient's group, the cover. Two recipients of the same
group who gave the same answer to a chart's question get the same slide plan for
it, and so the same slide. A batch opens a `Store` (`sharing()`); while it is
open, each deck:

- renders a slide only the first time its plan is seen: the slide's parts (its
  XML, its charts and their workbooks, its notes), what the manifest records of
  it and the warnings it gave are kept, keyed by the slide plan and what of the
  deck plan the slide reads (`slide_key`); the next deck with the same plan at
  the same place adds a slide and relates those very bytes to it (`replay`);
- writes its notes slides as bytes, each line's paragraph written by python-pptx
  once (`notes`: deckgen.render.notes);
- compresses each zip entry only the first time its name and bytes are seen;
  the next deck writing the same entry writes the kept compressed bytes
  (`write_entry`), with the very header `zipfile` writes.

Every deck is byte for byte the deck rendered slide by slide:
`DECKGEN_NO_SHARED=1` turns the store off (every slide rendered, every entry
compressed, as in a single build) and `tests/test_shared.py` compares decks
built both ways. What a replayed slide relates to (part names, relationship
ids) is checked against what the first rendering gave; where it differs (a
slide before it added other parts), the deck is rendered again without the
store (`Diverged`). A slide related to anything but its layout, its charts
(with their workbooks) and its notes is never kept.

The store lives in the process that builds the decks: forked workers start with
the parent's (empty) store and fill their own. It is bounded (`LIMIT` bytes of
kept slides and entries, the least recently used let go first).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import pickle
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ENV_OFF = "DECKGEN_NO_SHARED"
LIMIT = 96_000_000  # bytes kept per process, slides and compressed entries together

_RT_LAYOUT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
_RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
_RT_NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"
_RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
_CHART_NAME = "/ppt/charts/chart%d.xml"


class Diverged(Exception):
    """A kept slide, added to this deck, would not relate to the parts it did when it
    was rendered: the deck is rendered again without the store."""


@dataclass(frozen=True)
class _Own:
    """A part a kept slide owns (a chart, its workbook, the notes): its name when it
    was rendered, its content type, its bytes and its own parts (rId, type, part)."""

    partname: str
    content_type: str
    blob: bytes
    children: tuple[tuple[str, str, _Own], ...] = ()


@dataclass(frozen=True)
class _Unmarked:
    """A slide drawn without its marks (deckgen.render.marks, phase 1): its parts
    (no notes yet), the warnings it gave, its charts drawn unmarked, the footnote it
    moved to the notes."""

    slide: _Slide
    marks: tuple[Any, ...]  # marks.Deferred, each chart's
    moved: str
    recorded: tuple[dict[str, Any], str | None]  # manifest.records of it, its key
    size: int


@dataclass(frozen=True)
class _Slide:
    partname: str
    blob: bytes
    layout: str  # the layout's part name
    rels: tuple[tuple[str, str, _Own | None], ...]  # (rId, type, own part; None: the layout)
    records: bytes  # what the manifest records of the slide (pickled)
    warnings: tuple[Any, ...]
    size: int


class Store:
    """Kept slides and compressed zip entries, least recently used let go first."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.size = 0
        # None: not kept; _Unmarked: under an `unmarked_key`
        self.slides: OrderedDict[bytes, _Slide | _Unmarked | None] = OrderedDict()
        # (name, bytes given) -> (CRC, size written, compressed bytes)
        self.entries: OrderedDict[tuple[str, bytes], tuple[int, int, bytes]] = OrderedDict()
        # template -> the form of its notes slides (None: written by python-pptx)
        self.notes: dict[str, Any] = {}
        # the subtrees python-pptx wrote, to copy into the next decks (speedups.Kept)
        from deckgen.render.speedups import Kept

        self.kept = Kept()
        self.hits = 0  # slides added as kept
        self.renders = 0  # slides rendered (their marks drawn below or not)
        self.marked = 0  # of them, slides kept unmarked from another deck, marks drawn
        self.copied = 0  # zip entries written from their kept compressed bytes
        self.noted = 0  # notes slides written from kept paragraphs (deckgen.render.notes)

    def _shrink(self) -> None:
        while self.size > self.limit and (self.slides or self.entries):
            if len(self.entries) >= len(self.slides):
                (_, blob), (_, _, packed) = self.entries.popitem(last=False)
                self.size -= len(blob) + len(packed)
            else:
                _, slide = self.slides.popitem(last=False)
                self.size -= slide.size if slide is not None else 0

    def unmarked(self, key: bytes) -> _Unmarked | None:
        kept = self.slides.get(key)
        if not isinstance(kept, _Unmarked):
            return None
        self.slides.move_to_end(key)
        return kept


_CURRENT: contextvars.ContextVar[Store | None] = contextvars.ContextVar(
    "deckgen_shared", default=None
)


def enabled() -> bool:
    return not os.environ.get(ENV_OFF)


def current() -> Store | None:
    return _CURRENT.get()


@contextlib.contextmanager
def sharing() -> Iterator[Store | None]:
    """A store for the decks built inside (None with DECKGEN_NO_SHARED=1)."""
    store = Store(LIMIT) if enabled() else None
    token = _CURRENT.set(store)
    try:
        yield store
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """No store inside: a deck rendered slide by slide."""
    token = _CURRENT.set(None)
    try:
        yield
    finally:
        _CURRENT.reset(token)


# -- slides ------------------------------------------------------------------------------


def slide_key(slide_plan: Any, deck_plan: Any, template_name: str) -> bytes | None:
    """What the rendering of `slide_plan` reads, as bytes: the slide plan whole, and of
    the deck plan what a slide of its layout reads (a title slide the deck's title,
    subtitle, date and organisation; every slide the locale, footer and logo). None
    where it cannot be pickled (never kept)."""
    deck: tuple = (deck_plan.locale, deck_plan.footer, str(deck_plan.logo or ""))
    if slide_plan.layout.lower() == "title":
        deck += (deck_plan.title, deck_plan.subtitle, deck_plan.date, deck_plan.organisation)
    try:
        return pickle.dumps((slide_plan, deck, template_name), protocol=5)
    except Exception:  # noqa: BLE001 - an unpicklable plan is only never shared
        return None


def unmarked_key(slide_plan: Any, deck_plan: Any, template_name: str) -> bytes | None:
    """The key of `slide_plan` drawn without its marks (marks.stripped): what phase 1
    reads, never a `slide_key`."""
    from deckgen.render.marks import stripped

    key = slide_key(stripped(slide_plan), deck_plan, template_name)
    return None if key is None else b"unmarked:" + key


def keep_unmarked(
    store: Store,
    key: bytes,
    slide: Any,
    marks: Any,
    new_warnings: list[Any],
    moved: str,
    recorded: tuple[dict[str, Any], str | None],
) -> None:
    """Keep `slide` as phase 1 left it (its XML not serialised yet) under `key`."""
    if key in store.slides:
        return
    kept = _kept(slide.part, new_warnings, None, live=True)
    if kept is None:
        store.slides[key] = None
        return
    unmarked = _Unmarked(kept, tuple(marks.items), moved, recorded, kept.size)
    store.slides[key] = unmarked
    store.size += unmarked.size
    store._shrink()


def redraw(store: Store, kept: _Unmarked, prs: Any, layout: Any) -> Any:
    """A new slide of `prs` as phase 1 left `kept`: its parts read back from their bytes
    (python-pptx objects, for phase 2 to mark). Diverged if they would not be named
    and related as when it was drawn."""
    from deckgen.render.oxml import load_xml
    from deckgen.render.speedups import add_bare_slide

    slide = add_bare_slide(prs, layout)
    part = slide.part
    _relate(part, kept.slide, lambda own, reltype: _part(part.package, own, live=True))
    store.marked += 1
    return load_xml(part, kept.slide.blob)


def replay(
    store: Store, key: bytes, prs: Any, layout: Any, warnings: Any, records: dict | None
) -> bool:
    """Add the slide kept under `key` to `prs`, with its parts, records and warnings;
    False if none is kept. Diverged if its parts would not be named and related as
    when it was rendered."""
    kept = store.slides.get(key)
    if not isinstance(kept, _Slide):
        return False
    store.slides.move_to_end(key)
    from deckgen.render.speedups import add_bare_slide, freeze_with

    slide = add_bare_slide(prs, layout)
    part = slide.part
    package = part.package

    def made(own: _Own, reltype: str) -> Any:
        return _notes(package, part, own) if reltype == _RT_NOTES else _part(package, own)

    _relate(part, kept, made)
    freeze_with(part, kept.blob)
    if records is not None:
        records.update(pickle.loads(kept.records))
    warnings.items.extend(kept.warnings)
    store.hits += 1
    return True


def _relate(part: Any, kept: _Slide, made: Any) -> None:
    """Relate the new slide `part` to the parts `kept` relates to, `made(own, reltype)`
    for its own ones; Diverged where a name or relationship id would differ."""
    if str(part.partname) != kept.partname:
        raise Diverged(kept.partname)
    for rId, reltype, own in kept.rels:
        if own is None:  # the layout, related by add_slide
            rel = part.rels.get(rId)
            if (
                rel is None
                or rel.reltype != reltype
                or str(rel.target_part.partname) != kept.layout
            ):
                raise Diverged(kept.partname)
            continue
        if part.relate_to(made(own, reltype), reltype) != rId:
            raise Diverged(kept.partname)
    if len(part.rels) != len(kept.rels):
        raise Diverged(kept.partname)


def _template(partname: str) -> str:
    stem, dot, ext = partname.rpartition(".")
    digits = len(stem) - len(stem.rstrip("0123456789"))
    return f"{stem[: len(stem) - digits]}%d{dot}{ext}"


def _part(package: Any, own: _Own, live: bool = False) -> Any:
    """A new part of `package` with `own`'s bytes and parts, named as it was: as
    `finished` leaves one, or (`live`) read back as python-pptx reads a package."""
    from deckgen.render.oxml import loaded_part
    from deckgen.render.speedups import frozen_part

    name = package.next_partname(_template(own.partname))
    if str(name) != own.partname:
        raise Diverged(own.partname)
    make = loaded_part if live else frozen_part
    target = make(name, own.content_type, package, own.blob)
    for rId, reltype, child in own.children:
        if target.relate_to(_part(package, child, live), reltype) != rId:
            raise Diverged(own.partname)
    return target


def _notes(package: Any, slide_part: Any, own: _Own) -> Any:
    """The notes slide of `slide_part`, as python-pptx relates one
    (`NotesSlidePart._add_notes_slide_part`), with `own`'s bytes."""
    notes = _new_notes(package, slide_part, own.content_type, own.blob)
    if str(notes.partname) != own.partname:
        raise Diverged(own.partname)
    return notes


def _new_notes(package: Any, slide_part: Any, content_type: str, blob: bytes) -> Any:
    """A notes slide part with `blob` for its bytes, named and related to the notes
    master then to `slide_part` as `NotesSlidePart.new` names and relates one."""
    from deckgen.render.speedups import frozen_part

    master = package.presentation_part.notes_master_part  # made if the template has none
    name = package.next_partname(_NOTES_NAME)
    notes = frozen_part(name, content_type, package, blob)
    notes.relate_to(master, _RT_NOTES_MASTER)
    notes.relate_to(slide_part, _RT_SLIDE)
    return notes


_NOTES_NAME = "/ppt/notesSlides/notesSlide%d.xml"
_CT_NOTES = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"


def notes(store: Store, slide: Any, text: str, template_name: str) -> str:
    """`slide`'s notes, `text`, in a notes slide written as bytes from the form its
    template's notes slides take (deckgen.render.notes), related as python-pptx
    relates a new notes slide (`SlidePart._add_notes_slide_part`). The batch's first
    notes slide (the form read from it before its text is written) and any notes
    the form cannot write are python-pptx's. Returns the text as python-pptx reads
    it back (manifest.notes_text), for the records."""
    from deckgen.render.manifest import notes_text
    from deckgen.render.notes import form_of

    part = slide.part
    if template_name not in store.notes:  # the first: python-pptx's, its form read
        frame = slide.notes_slide.notes_text_frame
        made = part.part_related_by(_RT_NOTES)
        usable = made.content_type == _CT_NOTES and _notes_rels(made, part)
        store.notes[template_name] = form_of(made.blob) if usable else None
        frame.text = text
        return str(notes_text(slide))
    form = store.notes[template_name]
    written = form.written(text) if form is not None else None
    if written is None:
        slide.notes_slide.notes_text_frame.text = text
        return str(notes_text(slide))
    blob, read = written
    part.relate_to(_new_notes(part.package, part, _CT_NOTES, blob), _RT_NOTES)
    store.noted += 1
    return read


_RT_NOTES_MASTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster"
_RT_SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"


def keep(
    store: Store, key: bytes, slide: Any, new_warnings: list[Any], records: dict | None
) -> None:
    """Keep the slide just rendered (its parts serialised: speedups.finished) under
    `key`, unless it relates to anything but its layout, charts and notes."""
    store.renders += 1
    kept = _kept(slide.part, new_warnings, records)
    if key in store.slides:
        return
    store.slides[key] = kept
    store.size += kept.size if kept is not None else 0
    store._shrink()


def _kept(
    part: Any, new_warnings: list[Any], records: dict | None, live: bool = False
) -> _Slide | None:
    """What `keep` keeps of a finished slide, or (`live`) of a slide not serialised yet."""
    blob = _blob(part, live)
    if blob is None:
        return None
    rels: list[tuple[str, str, _Own | None]] = []
    layout = ""
    size = len(blob)
    for rId, rel in part.rels.items():
        if rel.is_external:
            return None
        target = rel.target_part
        if rel.reltype == _RT_LAYOUT:
            layout = str(target.partname)
            rels.append((rId, rel.reltype, None))
        elif rel.reltype == _RT_CHART:
            own = _own(target, live)
            if own is None:
                return None
            rels.append((rId, rel.reltype, own))
        elif rel.reltype == _RT_NOTES and not live:
            notes = _blob(target, live)
            if notes is None or not _notes_rels(target, part):
                return None
            rels.append((rId, rel.reltype, _Own(str(target.partname), target.content_type, notes)))
        else:
            return None
    if not layout:
        return None
    owns = [own for _, _, own in rels if own is not None]
    size += sum(len(o.blob) + sum(len(c.blob) for _, _, c in o.children) for o in owns)
    return _Slide(
        str(part.partname),
        blob,
        layout,
        tuple(rels),
        pickle.dumps(records or {}, protocol=5),
        tuple(new_warnings),
        size,
    )


def _blob(part: Any, live: bool) -> bytes | None:
    """A part's bytes as `finished` serialised them, or (`live`) as save would write them."""
    from deckgen.render.speedups import frozen_blob

    blob = frozen_blob(part)
    return part.blob if blob is None and live else blob


def _own(target: Any, live: bool = False) -> _Own | None:
    """A chart part and its workbook, if that is all it relates to."""
    blob = _blob(target, live)
    if blob is None or not str(target.partname).startswith("/ppt/charts/chart"):
        return None
    children = []
    for rId, rel in target.rels.items():
        child = rel.target_part if not rel.is_external else None
        if rel.reltype != _RT_PACKAGE or child is None or child.rels:
            return None
        name = str(child.partname)
        children.append((rId, rel.reltype, _Own(name, child.content_type, child.blob)))
    return _Own(str(target.partname), target.content_type, blob, tuple(children))


def _notes_rels(notes: Any, slide_part: Any) -> bool:
    """Whether `notes` relates to the notes master then to its slide, and nothing else,
    as python-pptx relates a notes slide."""
    rels = list(notes.rels.items())
    return (
        len(rels) == 2
        and rels[0][1].reltype == _RT_NOTES_MASTER
        and rels[1][1].reltype == _RT_SLIDE
        and rels[1][1].target_part is slide_part
        and [rId for rId, _ in rels] == ["rId1", "rId2"]
    )


# -- zip entries -------------------------------------------------------------------------


def write_entry(store: Store, dst: zipfile.ZipFile, name: str, blob: bytes, write: Any) -> None:
    """`write(dst, name, blob)` (files.write_entry), or, when the same entry was
    written before, its header and its kept compressed bytes, as `zipfile` writes
    them (`ZipFile.writestr` into a seekable file: header, data, then the header
    written again with the sizes and CRC)."""
    key = (name, blob)
    kept = store.entries.get(key)
    if kept is None:
        start = dst.start_dir
        write(dst, name, blob)
        info = dst.NameToInfo[name]
        buffer = dst.fp.getbuffer()  # type: ignore[union-attr]
        data_at = info.header_offset + len(info.FileHeader(False))
        packed = bytes(buffer[data_at : data_at + info.compress_size])
        del buffer
        if info.header_offset != start or info.flag_bits & 0x08 or info.extra:
            return  # not the form this copies: never kept
        store.entries[key] = (info.CRC, info.file_size, packed)
        store.size += len(blob) + len(packed)
        store._shrink()
        return
    store.entries.move_to_end(key)
    store.copied += 1
    crc, size, packed = kept
    from deckgen.files import entry_info, write_packed

    write_packed(dst, entry_info(name), crc, size, packed)
