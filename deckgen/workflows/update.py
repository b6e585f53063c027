"""`deckgen update`: new figures into a deck the communications team has edited.

Three versions of each element meet (deckgen.render.identity names them): what
deckgen wrote last time (the deck's manifest, deckgen.render.manifest), what the
edited deck holds now, and what a fresh build of the spec gives.

- In the fresh build and in the edited deck: when its figures moved, they are
  written into the edited element, which keeps everything else the team set:
  a chart's data go through python-pptx's `replace_data` (its caches and its
  embedded workbook, recreated where a tool dropped it; series colours, fonts,
  number formats and axes stay), a text changes run by run (each run keeps its
  formatting), the map's regions change colour, a table's cells their text.
  Alternative texts are restored where a tool dropped them. The speaker notes'
  generated part is replaced; what the team wrote after it is kept.
- Every shape carrying a key is updated: a duplicated slide, a chart pasted twice
  (the manifest keeps what deckgen wrote into a copy where it differs).
- When a part of the edited element no longer holds what deckgen wrote (a
  callout's number retyped, a chart's data edited by hand, an alternative text
  rewritten), that part is a conflict: left alone and listed once, unless
  `force` names it; the element's other parts still follow the data, and its
  alternative text, the slide's notes and footnote say the team's figure (or
  are flagged).
- In the manifest but not in the edited deck: the team deleted it. Reported,
  never recreated.
- In the fresh build only: new in the spec. Reported; `add_missing` appends
  its slide at the end of the deck.
Elements whose figures did not move are left byte for byte as they were; a deck
with nothing to change reads back to the same bytes. A hostile deck (a zip bomb,
entities, damaged XML, a tampered manifest) is a DeckError, and no deck is
written that does not read back. The report is said in the deck's language.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.errors import DeckError
from deckgen.locales import words
from deckgen.render import manifest as manifests
from deckgen.render.identity import key_of
from deckgen.render.oxml import (
    chart_xml,
    paragraph_xml,
    parent_of,
    run_xml,
    slide_ids,
    text_body,
    xml_of,
)

#: the elements of a slide, as the change report names them
_ELEMENT = re.compile(r"(chart|callout)-(\d+)(?:-(value|text))?$")


@dataclass
class Change:
    """One line of the change report, in the deck's language: every word comes from the
    locale's catalogue (`upd_*`, `status_*`); `slide` and `element` are already said
    in it ('diapositive 10 « Les réseaux sociaux »', 'graphique 1')."""

    slide: str
    element: str
    old: str
    new: str
    #: updated | conflict | deleted | missing | added | restored | orphan | alt | copy |
    #: flag | expect; `held`: a conflict reported before, standing unchanged (not listed)
    status: str
    key: str = ""  # the element's key; a conflict's or a flag's is what `--force` takes
    #: a chart's figures that moved: (category, before, after), said on one line
    pairs: tuple[tuple[str, str, str], ...] = ()
    count: int = 0  # notes: how many figures moved in them
    folded: bool = False  # its alternative text was updated with it (no line of its own)
    locale: str = "en"

    def line(self) -> str:
        w = words(self.locale)
        where = ", ".join(p for p in (self.slide, self.element) if p)
        body = self.body(w)
        return f"{where}{w('colon')}{body}" if where else body

    def body(self, w: Any) -> str:
        """What happened, without the slide and element."""
        status, new, old = self.status, self.new, self.old
        if status == "updated":
            if self.pairs:
                said = ", ".join(f"{c} {a} → {b}" for c, a, b in self.pairs)
            elif self.count:
                said = _counted(w, self.count, "upd_figures")
            else:
                said = f"{old} → {new}" if old else new  # (a map: its regions, said)
            return w("upd_and_alt", body=said) if self.folded else said
        if status == "conflict" and self.element == w("upd_notes"):
            return w("upd_conflict_notes", old=old, new=new, force=self.key)
        if status == "conflict":
            return w("upd_conflict", old=old, new=new, force=self.key, writes=w.quote(new))
        if status == "flag" and self.element == w("upd_notes"):
            return w("upd_flag_notes", old=old, new=new)
        if status == "flag" and self.key.endswith("#alt"):
            return w("upd_flag", old=w.quote(old), force=self.key, writes=w.quote(new))
        if status == "flag":  # a text of deckgen's that gives the figure the team retyped
            return w("upd_flag_text", old=old, new=new)
        if status == "missing":
            return w({"slide": "upd_missing_slide", "": "upd_missing_here"}.get(new,
                     "upd_not_appended"))  # fmt: skip
        if status in ("deleted", "added", "orphan"):
            return w(f"upd_{status}")
        if status == "restored":
            return w("upd_restored", what=new)
        if status == "alt":
            return w("status_updated")
        if status == "copy":
            return w("upd_copy", place=new)
        if status == "format":  # a category gone, and the team's formatting of it
            return w("upd_format_gone", name=w.quote(old))
        return w("upd_expect", value=old, expect=new)  # a published figure that moved

    def cells(self, w: Any) -> list[str]:
        """Its row of the change report's table (CSV, XLSX): slide, element, before,
        after, status, key; a chart's moved figures joined in one cell each."""
        old, new = self.old, self.new
        if self.pairs:
            old = w("sep").join(f"{c} {a}" for c, a, _ in self.pairs)
            new = w("sep").join(f"{c} {b}" for c, _, b in self.pairs)
        elif self.status not in ("updated", "conflict", "flag"):
            old, new = "", self.body(w)
        return [self.slide, self.element, old, new, w(f"status_{self.status}"), self.key]


@dataclass
class UpdateReport:
    path: Path | None  # None: --dry-run
    changes: list[Change] = field(default_factory=list)
    backup: Path | None = None
    unchanged: bool = False  # updated in place, nothing to change: nothing written
    locale: str = "en"  # the deck's: the report's words

    def of(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    def listed(self) -> list[Change]:
        """The lines the report shows (what was reported before and stands is not)."""
        return [c for c in self.changes if c.status != "held"]

    def closing(self, deck: Path | str) -> list[str]:
        """The report's last lines, in the deck's language: what still stands, the
        backup, and what was written (or not)."""
        w = words(self.locale)

        lines = []
        standing = len(self.of("held"))
        if standing:
            lines.append(_counted(w, standing, "upd_standing"))
        if self.backup is not None:
            lines.append(w("upd_backup", path=self.backup))
        moved = _counted(w, len(self.of("updated")), "upd_changes")
        conflicts = _counted(w, len(self.of("conflict")), "upd_conflicts")
        if self.unchanged:
            lines.append(w("upd_up_to_date", path=deck))
        elif self.path is None:
            lines.append(w("upd_dry_run", changes=moved, conflicts=conflicts))
        else:
            lines.append(w("upd_done", path=self.path, changes=moved, conflicts=conflicts))
        return lines

    def wrote(self, path: Path | str) -> str:
        return _counted(words(self.locale), len(self.listed()), "upd_wrote", path=path)


def _counted(w: Any, n: int, stem: str, **values: Any) -> str:
    """`n` things in the deck's language, singular or plural (`stem`_one, `stem`_many)."""
    return str(w.plural(n, w.get(f"{stem}_one"), w.get(f"{stem}_many"))).format(n=n, **values)


#: the words of the update being made (its deck's locale), for the names of the
#: report's slides, elements and parts (`_t`)
_WORDS: contextvars.ContextVar[Any] = contextvars.ContextVar("update_words")


def _t(key: str, **values: Any) -> str:
    """A word of the change report, in the deck's language."""
    return str(_WORDS.get()(key, **values))


def update(
    loaded: Any,
    deck: Path,
    out: Path | None,
    *,
    force: bool | Iterable[str] = False,
    dry_run: bool = False,
    add_missing: bool = False,
    say: Callable[[str], None] | None = None,
) -> UpdateReport:
    """Refresh `deck` (edited) with `loaded`'s figures into `out` (see the module)."""
    from pptx import Presentation

    from deckgen.files import write_atomic
    from deckgen.workflows.pipeline import build

    tell = say or (lambda _msg: None)
    edited = _open(deck)
    try:
        old = manifests.read(edited)
    except manifests.Damaged as exc:
        raise DeckError(
            f"{deck}: its deckgen manifest (the custom document properties "
            f"{manifests.PREFIX}*) is damaged or was altered: {exc}; update the deck the "
            "team received from `deckgen build` instead, or rebuild it"
        ) from None
    if old is None:
        raise DeckError(
            f"{deck}: no deckgen manifest in this deck: it was not built by deckgen, or by "
            "a version before `deckgen update`; build it once with `deckgen build`, then hand "
            "that deck to the team"
        )
    w = words(loaded.spec.deck.locale)
    _WORDS.set(w)
    tell(w("upd_building"))
    buffer = io.BytesIO()
    fresh_report = build(loaded, buffer, strict_expect=False)
    fresh = Presentation(io.BytesIO(buffer.getvalue()))
    new = manifests.read(fresh)
    assert new is not None
    locale = fresh_report.plan.locale
    labels = {
        sp.key: w("upd_slide", n=sp.number, title=w.quote(sp.title))
        for sp in fresh_report.plan.slides
        if sp.key
    }
    numbered = {sp.label: labels.get(sp.key, sp.label) for sp in fresh_report.plan.slides}
    report = UpdateReport(None, locale=locale)
    for problem in fresh_report.expect_problems:  # (callout number, figure, published)
        callout, value, expect = problem.detail or (0, "", problem.message)
        where = numbered.get(problem.context or "", problem.context or "")
        what = _t("upd_callout", n=callout) if callout else ""
        report.changes.append(Change(where, what, value, expect, "expect"))

    at = ["the deck"]  # what is being read, for the message of a damaged part
    with _damage(deck, at):
        mine = _index(edited)
        theirs = {key: entries[0][0] for key, entries in _index(fresh).shapes.items()}
        old_elements: dict[str, Any] = old.get("elements", {})
        if old_elements and not set(old_elements) & set(new["elements"]):
            raise DeckError(
                f"{deck}: none of the deck's {len(old_elements)} elements is in this spec: it was "
                "built from another spec; give `update` the spec the deck was built from"
            )
        for sp in fresh_report.plan.slides:  # where the team's deck has the slide now
            place = mine.position.get(sp.key)
            if place is not None and place != sp.number and sp.key in labels:
                labels[sp.key] = w("upd_slide_moved", slide=labels[sp.key], place=place)
        forced = _forced(force, new["elements"])
        written: dict[str, list[Any]] = {}  # what each copy of each element holds of deckgen's
        charts: set[int] = set()  # the chart parts written
        retyped: dict[str, list[tuple[str, str, str]]] = {}  # slide key: figures the team retyped
        for key, record in sorted(new["elements"].items(), key=_order(new)):
            slide_key, element = key.split("#", 1)
            where, what = labels.get(slide_key, slide_key), _element_name(element)
            at[0] = f"the element {key}"
            before = old_elements.get(key)
            if element == "notes":
                pages = [(s, n) for s, n in mine.slides.get(slide_key, []) if _has_notes(s)]
                if not pages:  # the team deleted the notes page, or its text, on every copy
                    if slide_key in mine.slides:
                        if before is not None and before != record:
                            report.changes.append(Change(where, what, "", "", "deleted", key))
                        written[key] = [before]
                    continue
                text, unsaid = _as_retyped(record["text"], retyped.get(slide_key, []))
                wanted = {**record, "text": text}
                written[key] = []
                for i, (slide, n) in enumerate(pages):
                    last = _written(old, key, i)
                    change = _notes(slide, last, wanted, where, forced, key)
                    if change is not None:
                        change.key = key
                    conflict = change is not None and change.status == "conflict"
                    written[key].append(last if conflict else wanted)
                    report.changes.extend(_copied(i, n, where, what, [change] if change else []))
                for theirs_figure, data in unsaid:  # the notes give it, the slide another
                    report.changes.append(Change(where, what, theirs_figure, data, "flag", key))
                continue
            shapes = mine.shapes.get(key, [])
            if not shapes:
                if before is not None:
                    report.changes.append(Change(where, what, "", "", "deleted", key))
                    written[key] = [before]
                else:  # new in the spec: on a slide the deck has, or on a new slide
                    whole = slide_key not in mine.slides and slide_key not in _known(old)
                    report.changes.append(
                        Change(where, what, "", "slide" if whole else "", "missing", key)
                    )
                continue
            written[key] = []
            source, unsaid = theirs[key], []
            if record["kind"] == "text" and retyped.get(slide_key):  # (a footnote naming it)
                record, source, unsaid = _said_as_retyped(record, source, retyped[slide_key])
            for i, (shape, n) in enumerate(shapes):
                if getattr(shape, "has_chart", False):  # a chart pasted as a second view of
                    if id(shape.chart_part) in charts:  # one chart part: written once
                        written[key].append(record)
                        continue
                    charts.add(id(shape.chart_part))
                last = _written(old, key, i)
                changes, held = _element(
                    shape, source, last, record, where, what, forced, locale, key
                )
                written[key].append(held)
                for c in changes:
                    c.key = c.key or key
                theirs_now = any(c.status == "conflict" and c.key == key for c in changes)
                if i == 0 and record["kind"] == "text" and theirs_now:
                    retyped.setdefault(slide_key, []).append(
                        (what, record["text"], manifests.record(shape)["text"])
                    )
                report.changes.extend(_copied(i, n, where, what, changes))
            for theirs_figure, data in unsaid:  # it gives the data's figure, the slide another
                report.changes.append(Change(where, what, theirs_figure, data, "flag", key))
        titles = {entry[0]: entry[1] for entry in old.get("slides", []) if len(entry) == 2}
        for key in sorted(old_elements):  # no longer in the spec
            if key in new["elements"]:
                continue
            slide_key, element = key.split("#", 1)
            if element != "notes" and key in mine.shapes:
                where = w("upd_slide_gone", title=w.quote(titles.get(slide_key, slide_key)))
                report.changes.append(Change(where, _element_name(element), "", "", "orphan", key))
            count = max(1, len(mine.shapes.get(key, [])))  # remembered: it is not "new" if
            written.setdefault(key, [_written(old, key, i) for i in range(count)])  # it comes back
    if add_missing:
        _append_missing(edited, fresh_report, report, loaded, old)
    manifest = dict(new)
    elements, copies = _held(written)
    manifest["elements"] = {**new["elements"], **elements}
    if copies:
        manifest["copies"] = copies
    report.changes = _tidy(report.changes, locale)
    reported = _standing(report.changes, old.get("reported", []))
    if reported:
        manifest["reported"] = reported
    manifests.write(edited, manifest)
    if dry_run:
        return report
    target = out or deck.with_name(f"{deck.stem}-updated{deck.suffix}")
    written_bytes = _parsed_back(edited, deck)
    if target.resolve() == deck.resolve():  # in place: a backup first, never over one
        if written_bytes == deck.read_bytes():  # nothing moved: the deck is left as it is
            report.unchanged = True
            return report
        backup, n = deck.with_name(f"{deck.stem}.before-update{deck.suffix}"), 2
        while backup.exists():
            backup, n = deck.with_name(f"{deck.stem}.before-update-{n}{deck.suffix}"), n + 1
        write_atomic(deck.read_bytes(), backup)
        report.backup = backup
    tell(w("upd_writing", path=target))
    report.path = write_atomic(written_bytes, target)
    return report


def _parsed_back(prs: Any, deck: Path) -> bytes:
    """The updated deck's bytes, once read back: a deck python-pptx cannot open again,
    or whose manifest does not read back, is never written. The bytes are those of the
    deck read back and saved again, in the one form python-pptx writes its parts in
    (an XML text set empty is written `<a:t></a:t>`, read back as `<a:t/>`), so that
    updating an updated deck with the same data gives the same bytes."""
    from pptx import Presentation

    from deckgen.files import normalize

    saved = io.BytesIO()
    prs.save(saved)
    try:
        again = Presentation(io.BytesIO(saved.getvalue()))
        if manifests.read(again) is None:
            raise ValueError("its manifest does not read back")
        final = io.BytesIO()
        again.save(final)
    except Exception as exc:  # noqa: BLE001  (whatever python-pptx or lxml raise)
        raise DeckError(
            f"{deck}: the updated deck does not read back ({type(exc).__name__}: {exc}); "
            "nothing written"
        ) from None
    return normalize(final.getvalue())


#: the most one XML part of a deck may inflate to (a slide of a thousand shapes is a
#: few megabytes), any part (a video), and all of them together
MAX_XML = 64 << 20
MAX_PART = 512 << 20
MAX_DECK = 1 << 30
#: what no deck's XML declares: a document type (and with it entities)
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@contextlib.contextmanager
def _damage(deck: Path, at: list[str]) -> Iterator[None]:
    """A part of the edited deck that is not as any Office tool writes it (a chart's XML
    without its series, a point's index not a number...) is a DeckError naming the
    element being read (`at[0]`), never an internal error."""
    from lxml import etree

    try:
        yield
    except (AttributeError, KeyError, ValueError, TypeError, IndexError, etree.LxmlError) as exc:
        raise DeckError(
            f"{deck}: {at[0]} is damaged, not as an Office tool writes it "
            f"({type(exc).__name__}: {exc}); repair or delete it in the deck"
        ) from None


def _open(deck: Path) -> Any:
    """The edited deck, read once its package is checked (see `_check_package`)."""
    import zipfile

    from lxml import etree
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    if not deck.is_file():
        raise DeckError(f"{deck}: no such deck")
    _check_package(deck)
    try:
        return Presentation(str(deck))
    except (
        zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError,
        EOFError, zlib.error, NotImplementedError,
    ) as exc:  # fmt: skip
        raise DeckError(f"{deck}: not a PowerPoint deck deckgen can read ({exc})") from None


def _check_package(deck: Path) -> None:
    """Refuse, before python-pptx inflates anything, a deck whose parts would inflate
    past what any deck needs (a zip bomb: sizes as the zip declares them, which
    reading never goes past) or whose XML declares a document type or entities
    (what no Office tool writes: entity expansion, external files)."""
    import zipfile

    def refuse(why: str) -> DeckError:
        return DeckError(f"{deck}: refused: {why}; not a deck deckgen reads")

    try:
        with zipfile.ZipFile(deck) as package:
            infos = package.infolist()
            if len(infos) > 100_000:
                raise refuse(f"it holds {len(infos):,} parts")
            total = 0
            for info in infos:
                xml = info.filename.endswith((".xml", ".rels", ".vml"))
                limit = MAX_XML if xml else MAX_PART
                total += info.file_size
                if info.file_size > limit or total > MAX_DECK:
                    raise refuse(
                        f"its part {info.filename} inflates to {info.file_size:,} bytes"
                        if info.file_size > limit
                        else f"its parts inflate to more than {MAX_DECK >> 20} MB"
                    )
                if xml and _declares_entities(package, info):
                    raise refuse(f"its part {info.filename} declares a document type or entities")
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        raise DeckError(f"{deck}: not a PowerPoint deck deckgen can read ({exc})") from None
    except (NotImplementedError, RuntimeError) as exc:  # encrypted, unknown compression
        raise DeckError(f"{deck}: not a PowerPoint deck deckgen can read ({exc})") from None


def _declares_entities(package: Any, info: Any) -> bool:
    """Whether an XML part declares a DTD: looked for before its root element, where a
    declaration must stand (the part read up to its first element only)."""
    with package.open(info) as fh:
        head = b""
        while len(head) < MAX_XML:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            head += chunk
            text = re.sub(rb"<!--.*?-->|<\?.*?\?>", b"", head.replace(b"\x00", b""), flags=re.S)
            if _DTD.search(text):  # (NULs out: UTF-16 reads as ASCII)
                return True
            if re.search(rb"<[A-Za-z_]", text):  # the root element: nothing declared before
                return False
    return False


@dataclass
class _Deck:
    """Where the edited deck holds each key. `shapes`: every shape carrying a key, the
    original first, then its copies in deck order, each with its slide's place in the
    deck (from 1). The original is on the slide holding most of its slide's keys (a
    figure pasted onto another slide is a copy) and, between a slide and its
    duplicate, on the slide deckgen made: the older slide id (a LibreOffice round
    trip numbers them in deck order). `slides`: the slides holding all of a slide
    key's elements that its original slide holds (their notes are copies of its
    notes), in the same order. `position`: where the original slide is."""

    shapes: dict[str, list[tuple[Any, int]]]
    slides: dict[str, list[tuple[Any, int]]]
    position: dict[str, int]


def _index(prs: Any) -> _Deck:
    """Every keyed shape of the deck, each copy of an element included: a duplicated
    slide, a chart pasted twice (see _Deck)."""
    ids = [int(entry.get("id", "0")) for entry in slide_ids(prs.slides)]
    found: dict[str, list[tuple[Any, int]]] = {}  # key: [(shape, place)]
    places: dict[str, dict[int, list[int]]] = {}  # slide key: {place: [its keys, slide id]}
    for n, (slide, slide_id) in enumerate(zip(prs.slides, ids), 1):
        for shape in manifests.keyed_shapes(slide.shapes):
            slide_key, element = key_of(shape.name)  # type: ignore[misc]
            found.setdefault(f"{slide_key}#{element}", []).append((shape, n))
            places.setdefault(slide_key, {}).setdefault(n, [0, slide_id])[0] += 1
    ranked = {  # a slide key's places, the original's first
        slide_key: sorted(held, key=lambda n, held=held: (-held[n][0], held[n][1], n))  # type: ignore[misc]
        for slide_key, held in places.items()
    }
    shapes: dict[str, list[tuple[Any, int]]] = {}
    for key, items in found.items():
        order = ranked[key.split("#", 1)[0]]
        first = min(items, key=lambda item: order.index(item[1]))
        shapes[key] = [first, *[item for item in items if item is not first]]
    slides = {
        slide_key: [(prs.slides[n - 1], n) for n in order
                    if places[slide_key][n][0] == places[slide_key][order[0]][0]]
        for slide_key, order in ranked.items()
    }  # fmt: skip
    return _Deck(shapes, slides, {key: order[0] for key, order in ranked.items()})


def _forced(force: bool | Iterable[str], elements: dict[str, Any]) -> Force:
    """`--force` as given: everything (True), nothing, or keys, each checked against the
    deck's elements (a key the report printed: an element's, or its `#alt`, `#axis`)."""
    if isinstance(force, bool):
        return Force(everything=force)
    keys = frozenset(force)
    known = set(elements) | {f"{k}#{part}" for k in elements for part in ("alt", "axis")}
    unknown = sorted(keys - known)
    if unknown:
        near = difflib.get_close_matches(unknown[0], sorted(known), n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise DeckError(
            f"--force {unknown[0]}: no element of this deck has that key{hint}; give a key "
            "the change report prints after --force, or --force alone for every conflict"
        )
    return Force(keys=keys)


def _tidy(changes: list[Change], locale: str) -> list[Change]:
    """The report as a person reads it: an alternative text updated with its element's
    figures folded into that element's line; what a tool dropped and update restored
    (embedded workbooks, alternative texts) said in one line; every line in `locale`."""
    w = words(locale)
    out: list[Change] = []
    restored = {"workbook": 0, "alt": 0}
    for c in changes:
        if c.status == "restored":
            restored[c.new] += 1
            continue
        if c.status == "alt":
            owner = next(
                (o for o in reversed(out) if o.status == "updated" and o.slide == c.slide
                 and w("upd_alt", what=o.element) == c.element), None,
            )  # fmt: skip
            if owner is not None:
                owner.folded = True
                continue
        out.append(c)
    said = [_counted(w, n, f"upd_restored_{what}") for what, n in restored.items() if n]
    if said:
        out.append(Change("", "", "", ", ".join(said), "restored"))
    for c in out:
        c.locale = locale
    return out


#: report lines that stand until someone acts: said once, then counted
_STANDING = ("conflict", "flag", "expect")


def _standing(changes: list[Change], known: list[str]) -> list[str]:
    """Conflicts, flags and published figures contradicted, reported before and standing
    unchanged, become `held` (counted, not listed again: a second update of unchanged
    data reports nothing); the fingerprints of all that stand, for the next update."""
    import hashlib

    seen = set(known)
    prints = []
    for change in changes:
        if change.status not in _STANDING:
            continue
        said = "\x1f".join((change.status, change.key, change.slide, change.element,
                            change.old, change.new))  # fmt: skip
        mark = hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]
        prints.append(mark)
        if mark in seen:
            change.status = "held"
    return sorted(set(prints))


def _written(old: dict[str, Any], key: str, copy: int) -> dict[str, Any] | None:
    """What deckgen last wrote into the `copy`-th shape of `key` (0: the original):
    the manifest's record, or the copy's own where it differs (one left as the team
    retyped it while the others were updated)."""
    own = old.get("copies", {}).get(key, {}).get(str(copy))
    return own if own is not None else old.get("elements", {}).get(key)


def _held(written: dict[str, list[Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest's records from what each copy of each key now holds of deckgen's:
    the original's, and the copies' that differ from it."""
    elements = {key: records[0] for key, records in written.items() if records[0]}
    copies = {}
    for key, records in written.items():
        own = {str(i): r for i, r in enumerate(records) if i and r and r != records[0]}
        if own:
            copies[key] = own
    return elements, copies


def _known(old: dict[str, Any]) -> set[str]:
    """The slide keys the deck had when deckgen last wrote it."""
    known = {key.split("#", 1)[0] for key in old.get("elements", {})}
    return known | {entry[0] for entry in old.get("slides", []) if entry}


def _order(manifest: dict[str, Any]) -> Callable[[tuple[str, Any]], tuple]:
    """Elements in the deck's order: by slide, then charts, callouts, footnote, notes."""
    position = {key: n for n, (key, _title) in enumerate(manifest.get("slides", []))}
    rank = {"chart": 0, "callout": 1, "footnote": 2, "notes": 3}

    def key(item: tuple[str, Any]) -> tuple:
        slide, element = item[0].split("#", 1)
        m = _ELEMENT.match(element)
        number = int(m.group(2)) if m else 0
        return (position.get(slide, len(position)), rank.get(element.split("-")[0], 9), number,
                element)  # fmt: skip

    return key


def _copied(copy: int, slide: int, where: str, what: str, changes: list[Change]) -> list[Change]:
    """The report's lines for one copy of an element: the original's as they are; a
    copy's updates said once ("also on slide 28, a copy"), its conflicts and
    restorations each on a line naming the copy's slide."""
    if copy == 0 or not changes:
        return changes
    out = [c for c in changes if c.status not in _WRITTEN]
    for c in out:
        c.slide = _t("upd_copy_on", slide=where, place=slide)
    if len(out) < len(changes):
        out.insert(0, Change(where, what, "", str(slide), "copy", changes[0].key))
    return out


#: what a change report says of a copy in one line ("also on slide 28, a copy")
_WRITTEN = ("updated", "alt")


def _element_name(element: str) -> str:
    """'graphique 1', 'chiffre clé 2', 'phrase du chiffre clé 2', 'notes'... in the deck's
    language."""
    if element in ("notes", "footnote"):
        return _t(f"upd_{element}")
    m = _ELEMENT.match(element)
    if m is None:
        return element
    kind, n, part = m.groups()
    return _t("upd_callout_text" if part == "text" else f"upd_{kind}", n=n)


# -- one element ------------------------------------------------------------------------


@dataclass(frozen=True)
class Force:
    """What `--force` overwrites: everything (bare `--force`), or the parts named by
    the keys the report prints (`slide#callout-1-value`, `slide#notes`, and a chart's
    `slide#chart-1#alt`, `slide#chart-1#axis`)."""

    everything: bool = False
    keys: frozenset[str] = frozenset()

    def covers(self, key: str) -> bool:
        return self.everything or key in self.keys


def _element(
    shape: Any,
    source: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    where: str,
    what: str,
    force: Force,
    locale: str,
    key: str,
) -> tuple[list[Change], dict[str, Any]]:
    """Refresh one shape; its report lines, and what deckgen now holds there (each part
    on its own: the figures, the alternative text, the value axis)."""
    now = manifests.record(shape)
    out: list[Change] = []
    kind = after["kind"]
    held = dict(after)  # what the manifest keeps: what deckgen wrote into each part
    moved = before is None or _content(before) != _content(after)
    retyped = before is not None and not _same(_content(now), _content(before))
    if retyped and not force.covers(key):  # the deck no longer shows what deckgen wrote
        assert before is not None
        held = {**before, "alt": before.get("alt", "")}
        shown, offered = _offered(now, shape, locale), _offered(after, source, locale)
        out.append(Change(where, what, shown, offered, "conflict", key))
        alt, held["alt"] = _theirs_alt(shape, before, now, after, where, what, force, key)
        return out + alt, held
    if kind == "chart" and shape.has_chart:
        if moved or retyped or _no_workbook(shape):
            gone = _chart(shape, source)
            if moved or retyped:
                out += _chart_changes(before, after, where, what, source, locale)
            else:
                out.append(Change(where, what, "", "workbook", "restored"))
            out += [Change(where, what, name, "", "format", key) for name in gone]
        axis, held["axis"] = _axis(shape, source, before, where, what, force, key)
        if held["axis"] is None:  # no maximum set: none recorded, as a build records it
            del held["axis"]
        out += axis
    elif kind == "text" and shape.has_text_frame:
        if moved or retyped:
            _retext(shape.text_frame, source.text_frame)
            old_text = now["text"] if retyped else (before or {}).get("text", "")
            out.append(Change(where, what, *_short(old_text, after["text"]), "updated"))
    elif kind == "table" and getattr(shape, "has_table", False):
        if moved or retyped:
            _table(shape, source, where, what, out)
    elif kind == "map" and shape.shape_type == 6 and (moved or retyped):
        _map(shape, source)
        out.append(Change(where, what, "", _regions(now, after), "updated", key))
    alt, held["alt"] = _alt_change(shape, before, after, where, what, force, key)
    return out + alt, held


def _regions(before: dict[str, Any], after: dict[str, Any]) -> str:
    """A map's change, said: the regions whose colour changed (by name), its legend."""
    w = _WORDS.get()
    changed = [
        re.sub(r"^\D*\d+\s+", "", name)  # "Région 53 Bretagne": Bretagne
        for name, fill in after.get("fills", {}).items()
        if before.get("fills", {}).get(name) != fill
    ]
    parts = [w("upd_regions", regions=", ".join(changed))] if changed else []
    if before.get("texts") != after.get("texts"):
        parts.append(w("upd_legend"))
    return w("sep").join(parts) or w("status_updated")


def _offered(record: dict[str, Any], shape: Any, locale: str) -> str:
    """What an element says, as the report quotes it: a text's text, a chart's figures
    as the chart shows them ("Facebook 100 %, YouTube 75 %"), a table's cells."""
    if record["kind"] == "text":
        return str(record["text"])
    if record["kind"] == "chart":
        fmt = manifests.xpath(chart_xml(shape.chart), ".//c:val//c:numCache/c:formatCode/text()")
        show = _shown(str(fmt[0]) if fmt else "General", locale)
        many = len(record["series"]) > 1
        return "; ".join(
            (f"{s['name']}: " if many and s["name"] else "")
            + ", ".join(f"{c} {show(v)}" for c, v in zip(s["categories"], s["values"]))
            for s in record["series"]
        )
    if record["kind"] == "table":
        return " | ".join(" ; ".join(row) for row in record["cells"])
    return _regions({}, record)


def _axis(
    shape: Any, source: Any, before: dict[str, Any] | None, where: str, what: str,
    force: Force, key: str,
) -> tuple[list[Change], Any]:  # fmt: skip
    """The value axis follows the figures as a fresh build sets it (its longest bar and
    room for the label; the scale shared on the slide), unless the team set it by hand:
    then it stays theirs, and a figure past it is reported; what deckgen holds there."""
    fresh, now = manifests.axis_maximum(source.chart), manifests.axis_maximum(shape.chart)
    last = (before or {}).get("axis")
    if fresh is None or now == fresh:
        return [], fresh
    if now is None and last is not None:  # the team cleared it: the viewer's own scale
        return [], last
    theirs = now is not None and last is not None and not _same(now, last)
    if theirs and not force.covers(f"{key}#axis"):
        top = max((v or 0.0 for s in manifests.chart_series(shape.chart) for v in s["values"]),
                  default=0.0)  # fmt: skip
        if top > now:  # type: ignore[operator]
            conflict = Change(where, _t("upd_axis", what=what), _number(now), _number(fresh),  # type: ignore[arg-type]
                              "conflict", f"{key}#axis")  # fmt: skip
            return [conflict], last
        return [], last
    shape.chart.value_axis.maximum_scale = fresh
    return [], fresh


def _number(value: float) -> str:
    """An axis maximum as the deck's language writes a number (0,45 in French)."""
    from deckgen.locales.numbers import format_number

    digits = len(f"{value:g}".split(".", 1)[1]) if "." in f"{value:g}" else 0
    return format_number(value, _WORDS.get().locale, digits)


def _alt_change(
    shape: Any, before: dict[str, Any] | None, after: dict[str, Any], where: str, what: str,
    force: Force, key: str,
) -> tuple[list[Change], str]:  # fmt: skip
    """The alternative text: restored where a tool dropped it, updated where it is
    still deckgen's; one the team rewrote is theirs (a conflict if the figures it
    describes moved, which `--force KEY#alt` overwrites). With it, the alternative
    text deckgen now holds there (the team's own is never taken for deckgen's)."""
    new = after.get("alt") or ""
    now = manifests.alt_text(shape)
    last = (before or {}).get("alt") or ""
    if not new or now == new:
        return [], new
    what = _t("upd_alt", what=what)
    if not now:
        _set_alt(shape, new)
        return [Change(where, what, "", "alt", "restored")], new
    if last and now != last and not force.covers(f"{key}#alt"):  # the team's own
        if new == last:
            return [], last
        return [Change(where, what, now, new, "conflict", f"{key}#alt")], last
    _set_alt(shape, new)
    return [Change(where, what, now, new, "alt")], new


def _theirs_alt(
    shape: Any, before: dict[str, Any], now: dict[str, Any], after: dict[str, Any],
    where: str, what: str, force: Force, key: str,
) -> tuple[list[Change], str]:  # fmt: skip
    """The alternative text of an element the team retyped: it says the team's figure,
    never the data's beside it: the fresh alternative text with the team's figure in
    place of the data's; where it cannot be said so (the figure not once in it), it
    is left and flagged. The team's own alternative text is theirs. With it, the
    alternative text deckgen holds there."""
    alt, last = manifests.alt_text(shape), before.get("alt") or ""
    if force.covers(f"{key}#alt"):
        return _alt_change(shape, before, after, where, what, force, key)
    if last and alt and alt != last:  # the team's own
        return [], last
    new, data, theirs = after.get("alt") or "", str(after.get("text", "")), now.get("text", "")
    if new and data and theirs and _once(new, data):
        said = _replace_once(new, data, str(theirs))
        if said != alt:
            _set_alt(shape, said)
            return [Change(where, _t("upd_alt", what=what), alt, said, "alt")], said
        return [], said
    if not new or new == alt:
        return [], last
    return [Change(where, _t("upd_alt", what=what), alt or last, new, "flag",
                   f"{key}#alt")], last  # fmt: skip


def _once(text: str, figure: str) -> bool:
    """Whether `figure` stands in `text` once, as a whole figure (not inside 177 %)."""
    return len(_figure_at(text, figure)) == 1


def _figure_at(text: str, figure: str) -> list[int]:
    pattern = r"(?<![\d.,\u202f\u00a0])" + re.escape(figure) + r"(?![\d])"
    return [m.start() for m in re.finditer(pattern, text)]


def _replace_once(text: str, figure: str, by: str) -> str:
    (at,) = _figure_at(text, figure)
    return text[:at] + by + text[at + len(figure) :]


def _content(record: dict[str, Any]) -> Any:
    """What of a record holds figures (its alternative text and axis aside)."""
    return {k: v for k, v in record.items() if k not in ("alt", "axis")}


def _same(a: Any, b: Any) -> bool:
    """Equal, numbers within a rounding of a round trip (LibreOffice writes 15 digits)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _no_workbook(shape: Any) -> bool:
    return shape.chart.part.chart_workbook.xlsx_part is None


def _chart(shape: Any, source: Any) -> list[str]:
    """The source chart's categories, series and values into `shape`'s chart; the
    categories gone whose own formatting (a bar the team recoloured) went with them."""
    from deckgen.render.workbook import ChartData

    series = manifests.chart_series(source.chart)
    fmt = manifests.xpath(chart_xml(source.chart), ".//c:val//c:numCache/c:formatCode/text()")
    data = ChartData(number_format=str(fmt[0]) if fmt else "General")
    labels = [c if c is not None else "" for c in (series[0]["categories"] if series else [])]
    data.categories = labels
    for s in series:
        data.add_series(s["name"], s["values"])
    before = manifests.chart_series(shape.chart)
    moved = [s["categories"] for s in before] != [s["categories"] for s in series]
    shape.chart.replace_data(data)
    return _points(shape.chart, source.chart, moved, [s["categories"] for s in before], labels)


#: what follows a series' per-point formatting (c:dPt) in the schema's order
_AFTER_POINTS = ("dLbls", "trendline", "errBars", "cat", "val", "xVal", "yVal", "shape",
                 "smooth", "extLst")  # fmt: skip


def _points(
    chart: Any, source: Any, moved: bool, was: list[list[Any]], new: list[Any]
) -> list[str]:
    """Per-point formatting follows the figures. The labels of single points are
    deckgen's (a label hidden on a slice too thin for it, a significance mark):
    they come from the fresh chart, the series' label settings (font, number
    format) staying the team's. Points' own formatting (a bar the team recoloured)
    follows its category by name when the categories moved (reordered, added,
    removed); a category new here takes the fresh chart's; the categories gone
    whose formatting went with them are returned, to report. `was`: each series'
    categories before, `new`: the fresh chart's."""
    from copy import deepcopy

    c = f"{{{manifests._C}}}"
    gone: list[str] = []
    names = [str(n) for n in new]
    pairs = zip(chart_xml(chart).iter(f"{c}ser"), chart_xml(source).iter(f"{c}ser"))
    for k, (mine, theirs) in enumerate(pairs):
        labels, fresh = mine.find(f"{c}dLbls"), theirs.find(f"{c}dLbls")
        if labels is not None:
            for label in labels.findall(f"{c}dLbl"):
                labels.remove(label)
            for k, new in enumerate(fresh.findall(f"{c}dLbl") if fresh is not None else []):
                labels.insert(k, deepcopy(new))
        if not moved:
            continue
        categories = [str(n) for n in (was[k] if k < len(was) else [])]
        kept: dict[int, Any] = {}  # new position -> the point's formatting
        for point in mine.findall(f"{c}dPt"):
            mine.remove(point)
            idx = point.find(f"{c}idx")
            at = int(idx.get("val")) if idx is not None else -1
            name = categories[at] if 0 <= at < len(categories) else None
            if name in names:  # its category is still there: it follows it
                idx.set("val", str(names.index(name)))
                kept[names.index(name)] = point
            elif name is not None and name not in gone:
                gone.append(name)
        for point in theirs.findall(f"{c}dPt"):
            idx = point.find(f"{c}idx")
            at = int(idx.get("val")) if idx is not None else -1
            kept.setdefault(at, deepcopy(point))
        anchor = next((el for el in mine if el.tag.split("}")[-1] in _AFTER_POINTS), None)
        for _, point in sorted(kept.items()):
            if anchor is not None:
                anchor.addprevious(point)
            else:
                mine.append(point)
    return gone


def _chart_changes(
    before: dict[str, Any] | None,
    after: dict[str, Any],
    where: str,
    what: str,
    source: Any,
    locale: str,
) -> list[Change]:
    """The chart's figures that moved, as the chart shows them, on one line:
    "graphique 1 : Twitter 63 % → 65 %, YouTube 75 % → 74 %" (— where a category
    came or went; the series named where there are several)."""
    fmt = manifests.xpath(chart_xml(source.chart), ".//c:val//c:numCache/c:formatCode/text()")
    show = _shown(str(fmt[0]) if fmt else "General", locale)
    pairs: list[tuple[str, str, str]] = []
    # a segment is the same segment when only its base moved ("Women (n = 689)" then
    # "Women (n = 652)"): matched without it, said with the new one
    old_points = {
        (_unbased(s["name"]), _unbased(c)): (s["name"], c, v)
        for s in (before or {}).get("series", [])
        for c, v in zip(s["categories"], s["values"])
    }
    many = len(after["series"]) > 1
    now = {(_unbased(s["name"]), _unbased(c)) for s in after["series"] for c in s["categories"]}
    for key, (name, c, v) in old_points.items():
        if key not in now:
            pairs.append((f"{c}" + (f" ({name})" if many and name else ""), show(v), "—"))
    for s in after["series"]:
        for c, v in zip(s["categories"], s["values"]):
            was = old_points.get((_unbased(s["name"]), _unbased(c)), (None, None, "absent"))[2]
            if was == "absent" or show(was) != show(v):  # a figure as the chart shows it
                label = f"{c}" + (f" ({s['name']})" if many and s["name"] else "")
                pairs.append((label, "—" if was == "absent" else show(was), show(v)))
    if not pairs:
        return []
    return [Change(where, what, "", "", "updated", pairs=tuple(pairs))]


_SEGMENT_BASE = re.compile(r"\s\(n\s?=\s?[\d\s.,\u00a0\u202f]+\)")


def _unbased(label: str) -> str:
    """A category or series name without the base a segment carries ("(n = 22)")."""
    return _SEGMENT_BASE.sub("", label or "")


def _shown(fmt: str, locale: str) -> Callable[[Any], str]:
    """How a chart value reads in the deck's locale with the number format `fmt`
    (the chart's own: a percent or not, and its decimals)."""
    from deckgen.locales.numbers import format_number, format_percent

    digits = len(fmt.split(".", 1)[1].split("%")[0].rstrip("\\\u202f ")) if "." in fmt else 0

    def show(v: Any) -> str:
        if v is None:
            return format_percent(None, locale)
        if "%" in fmt:
            return format_percent(v, locale, digits)
        return format_number(v, locale, digits)

    return show


def _short(old: str, new: str) -> tuple[str, str]:
    """The words that changed between two texts: '31' → '30' rather than two footnotes."""
    if len(old) <= 40 and len(new) <= 40:
        return old, new
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    olds, news = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            olds.append(" ".join(a[i1:i2]) or "—")
            news.append(" ".join(b[j1:j2]) or "—")
    if not olds or len(" ".join(olds)) > 120:
        return old, new
    return " … ".join(olds), " … ".join(news)


def _retext(target: Any, source: Any) -> None:
    """`source`'s text into `target`, changing only the characters that differ, in
    the runs that hold them: a run the team made smaller or bold keeps its
    formatting. Where the paragraphs themselves differ in number, each new
    paragraph goes into the first run of one of the team's."""
    from copy import deepcopy

    mine, theirs = list(target.paragraphs), list(source.paragraphs)
    if len(mine) == len(theirs):
        for p, q in zip(mine, theirs):
            _respell(p, "".join(r.text for r in q.runs))
        return
    while len(mine) > len(theirs) and len(mine) > 1:  # fewer paragraphs now
        gone = mine.pop()
        paragraph_xml(gone).getparent().remove(paragraph_xml(gone))
    while len(mine) < len(theirs):  # more: copies of the last one
        paragraph_xml(mine[-1]).addnext(deepcopy(paragraph_xml(mine[-1])))
        mine = list(target.paragraphs)
    for p, q in zip(mine, theirs):
        runs = p.runs
        if not runs:
            p.text = q.text
            continue
        runs[0].text = q.text
        for extra in runs[1:]:
            run_xml(extra).getparent().remove(run_xml(extra))


def _respell(paragraph: Any, new: str) -> None:
    """The runs of `paragraph` made to read `new`, each change made in the run that
    holds it (insertions join the run before them)."""
    runs = paragraph.runs
    if not runs:
        if new:
            paragraph.text = new
        return
    texts = [r.text for r in runs]
    old = "".join(texts)
    if old == new:
        return
    owner: list[int] = []  # the run of each character of `old`
    for k, t in enumerate(texts):
        owner.extend([k] * len(t))
    ops = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    pieces: list[list[str]] = [[] for _ in runs]
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            for i in range(i1, i2):
                pieces[owner[i]].append(old[i])
            continue
        run = owner[i1] if i1 < len(owner) else owner[-1] if owner else 0
        if op in ("replace", "insert") and i1 > 0 and (i1 >= len(owner) or op == "insert"):
            run = owner[i1 - 1]
        pieces[run].append(new[j1:j2])
    for run, text in zip(runs, pieces):
        joined = "".join(text)
        if run.text != joined:
            run.text = joined


def _table(shape: Any, source: Any, where: str, what: str, out: list[Change]) -> None:
    """The cells that changed, on one line ("ligne 2 colonne 3 12 % → 14 %")."""
    mine, theirs = shape.table, source.table
    pairs = []
    for i, (row, new_row) in enumerate(zip(mine.rows, theirs.rows)):
        for j, (cell, new_cell) in enumerate(zip(row.cells, new_row.cells)):
            if cell.text != new_cell.text:
                pairs.append((_t("upd_cell", row=i + 1, column=j + 1), cell.text, new_cell.text))
                _retext(cell.text_frame, new_cell.text_frame)
    if pairs:
        out.append(Change(where, what, "", "", "updated", pairs=tuple(pairs)))


def _map(shape: Any, source: Any) -> None:
    """The source map's region colours and texts into `shape` (children by name)."""
    from deckgen.render.manifest import _A

    theirs = {child.name: child for child in source.shapes}
    for child in shape.shapes:
        new = theirs.get(child.name)
        if new is None:
            continue
        fill = xml_of(new).find(f".//{{{_A}}}solidFill/{{{_A}}}srgbClr")
        mine = xml_of(child).find(f".//{{{_A}}}solidFill/{{{_A}}}srgbClr")
        if fill is not None and mine is not None:
            mine.set("val", fill.get("val"))
        if (
            new.has_text_frame
            and child.has_text_frame
            and new.text_frame.text != child.text_frame.text
        ):
            _retext(child.text_frame, new.text_frame)


def _set_alt(shape: Any, text: str) -> None:
    found = manifests.xpath(xml_of(shape), "./*[1]/p:cNvPr")
    if found:
        found[0].set("descr", text)


def _has_notes(slide: Any) -> bool:
    """Whether `slide` has speaker notes with a text body (the team may delete either)."""
    return bool(slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None)


def _notes(
    slide: Any, before: dict[str, Any] | None, after: dict[str, Any], where: str,
    force: Force, key: str,
) -> Change | None:  # fmt: skip
    """The generated part of the speaker notes replaced, the team's additions kept.
    The generated part is the notes' first paragraphs, as deckgen wrote them: a
    word changed or added inside them makes the notes the team's (a conflict;
    `--force KEY` replaces the whole notes with the generated ones)."""
    what = _t("upd_notes")
    old = (before or {}).get("text", "")
    new = after["text"]
    frame = slide.notes_slide.notes_text_frame
    paragraphs = list(frame.paragraphs)
    old_lines = old.split("\n") if old else []
    ours = [p.text for p in paragraphs[: len(old_lines)]] == old_lines
    if old == new and ours:
        return None
    if not ours and not force.covers(key):
        return Change(where, what, *_short(old, new), "conflict", key)
    generated = paragraphs[: len(old_lines)] if ours else paragraphs
    keep = paragraphs[len(old_lines) :] if ours else []
    _replace_paragraphs(frame, generated, new.split("\n"), keep)
    return Change(where, what, *_short(old, new), "updated", count=_figures_moved(old, new))


def _figures_moved(old: str, new: str) -> int:
    """How many figures differ between two versions of the notes (at least 1)."""
    number = re.compile(r"\d[\d\u202f\u00a0.,]*\d|\d")
    a, b = number.findall(old), number.findall(new)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return max(1, sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal"))


def _as_retyped(
    notes: str, retyped: list[tuple[str, str, str]]
) -> tuple[str, list[tuple[str, str]]]:
    """The generated notes of a slide where the team retyped figures ((element, the
    data's figure, the team's)): each figure the notes give once is the team's, as
    the slide shows it; the elements whose figure they cannot say so of."""
    unsaid = []
    for what, data, theirs in retyped:
        if data and theirs and _once(notes, data):
            notes = _replace_once(notes, data, theirs)
        elif data and data != theirs and _figure_at(notes, data):
            unsaid.append((f"{theirs} ({what})", data))
    return notes, unsaid


def _said_as_retyped(
    record: dict[str, Any], source: Any, retyped: list[tuple[str, str, str]]
) -> tuple[dict[str, Any], Any, list[tuple[str, str]]]:
    """A generated text of a slide where the team retyped figures (a footnote naming a
    callout's figure, « 97 % » : Base…), said as the slide shows them: the fresh
    text and a copy of the fresh shape with the team's figure in place of the data's
    where the text gives it once, in one run; the figures it cannot say so of."""
    from copy import deepcopy

    text, unsaid = _as_retyped(record["text"], retyped)
    if text == record["text"]:
        return record, source, unsaid
    element = deepcopy(xml_of(source))
    for node in element.iter(f"{{{manifests._A}}}t"):
        for _what, data, theirs in retyped:
            if node.text and _once(node.text, data) and _once(record["text"], data):
                node.text = _replace_once(node.text, data, theirs)
    said = type(source)(element, parent_of(source))
    if said.text_frame.text != text:  # a figure across runs: not said, flagged
        unsaid += [(f"{t} ({w})", d) for w, d, t in retyped if _once(record["text"], d)]
        return record, source, unsaid
    return {**record, "text": text}, said, unsaid


def _replace_paragraphs(frame: Any, old: list[Any], lines: list[str], keep: list[Any]) -> None:
    from copy import deepcopy

    body = text_body(frame)
    template = deepcopy(paragraph_xml(old[0])) if old else None
    for p in old:
        body.remove(paragraph_xml(p))
    anchor = paragraph_xml(keep[0]) if keep else None
    for line in lines:
        if template is not None:
            p = deepcopy(template)
            for r in p.findall("{http://schemas.openxmlformats.org/drawingml/2006/main}r")[1:]:
                p.remove(r)
        else:
            p = body.makeelement("{http://schemas.openxmlformats.org/drawingml/2006/main}p", {})
        if anchor is not None:
            anchor.addprevious(p)
        else:
            body.append(p)
        from pptx.text.text import _Paragraph

        para = _Paragraph(p, frame)
        runs = para.runs
        if runs:
            runs[0].text = line
        else:
            para.text = line


def _append_missing(
    edited: Any, fresh_report: Any, report: UpdateReport, loaded: Any, old: dict
) -> None:
    """Append the slides new in the spec (reported as missing) to the edited deck."""
    from deckgen.errors import DeckgenError, Warnings
    from deckgen.render.slides import render_slide

    present = {manifests.slide_key(slide) for slide in edited.slides}
    known = _known(old)
    plan = fresh_report.plan
    appended = set()
    for sp in plan.slides:  # whole slides the deck never had; not an element of one it has
        if sp.key not in present and sp.key not in known:
            try:
                render_slide(edited, sp, plan, loaded.theme, Warnings(), "the edited deck")
            except DeckgenError:  # a tool renamed the layouts (LibreOffice does)
                for c in report.changes:
                    if c.status == "missing" and c.key.split("#")[0] == sp.key:
                        c.new = "layout"  # not appended: the deck lacks its layout
                continue
            appended.add(sp.key)
    for c in report.changes:
        if c.status == "missing" and c.key.split("#")[0] in appended:
            c.status = "added"


# -- the change report as files ------------------------------------------------------------

COLUMNS = ("slide", "element", "old", "new", "status", "key")


def write_changes(
    changes: list[Change],
    locale: str,
    csv: str | Path | None = None,
    xlsx: str | Path | None = None,
) -> None:
    """The change report as CSV and/or .xlsx, as the figure table is written
    (deckgen.workflows.exports: formula-safe, atomic, the workbook styled alike), every
    word in the deck's language. The CSV opens in that language's spreadsheet: UTF-8
    with a byte-order mark, and `;` between fields where numbers take a decimal comma
    (French, German), as Excel there splits them."""
    from deckgen.locales.catalogue import rules
    from deckgen.workflows.exports import write_table_csv, write_table_xlsx

    w = words(locale)
    headers = [w(f"change_{c}") for c in COLUMNS]
    rows = [c.cells(w) for c in changes]
    if csv is not None:
        delimiter = ";" if rules(locale)["decimal"] == "," else ","
        write_table_csv(headers, rows, Path(csv), delimiter=delimiter)
    if xlsx is not None:
        write_table_xlsx(headers, rows, Path(xlsx), w("changes_sheet"))
