"""The privacy rule under attack: what can someone holding every deck deckgen sends work
out about fewer than k respondents, by subtraction?

The attacker is any respondent (a recipient), or a coalition of two: it holds the public
deck (whole-sample figures, and any `by:` breakdown there), every segment deck of
`build_each(Q)`, the figures of every personal deck of `build_personal(peers=Q)` (a peer
series is the same in every deck of its group), and its own answers only -- never the
marks of a deck that is not its own (whoever held every personal deck would read every
respondent's answers from the marks: no rule is about that). Matching the same chart
across decks (by the key in the shape's name: the spec's slide and chart position), for
each chart or callout it knows, per cell, the whole's count and base, and each group
shown: its count and base, or only its base where the cell is blank ("n.d."). A blank is
any count from 0 to its base, nothing more. It then works out

0. a group's figure as a deck shows it (a segment deck's figures, a peer series);
1. whole minus group ("Ensemble" minus the peer series; the public deck minus a
   segment deck);
2. the rest: whole minus every group shown (the groups left out, no answer);
4. a blank pinned by what is shown beside it: per cell the groups and the rest add up
   to the whole ("bounds from the whole"), and per group the categories of a single
   choice (a Likert statement's levels) add up to its base ("the group's other
   categories"). Counts are narrowed interval by interval until nothing changes: what
   this pins, the figures pin;
3. then each attacker in turn sets its own answers aside (from responses.csv, which
   holds them): the others of its group, or of the rest, and any blank this pins.

A **disclosure** is a figure about a group with 0 < base < k, or with base < 2k and a
share of exactly 0 % or 100 % (it tells every member's answer), except where the public
deck already says it of everyone: the whole sample's own figure at 0 % or 100 %, or, to
an attacker, the whole less its own answers. A chart about the batch's own question is
not attacked (its categories are the groups: a group's figure there says who is in it).
k is the theme's `privacy_threshold` (5); the rule holds a group to k besides two readers.

The decks are read as files (zip, XML: chart caches, alternative texts, notes,
embedded workbooks, custom properties), never through deckgen's privacy code;
the true answers come from responses.csv, with pandas. Every figure the attack claims
to work out exactly is checked against them. A disclosure raises `Disclosure`, with the
figures it names; any other failure is the attack itself at fault. Each coalition of two
is tried in `test_a_coalition_of_two_recipients`; every other test tries each respondent
alone.
"""

from __future__ import annotations

import base64
import csv
import itertools
import json
import re
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest
import yaml
from lxml import etree

import deckgen

from .helpers import CODEBOOK, SPEC, THEME

# a slow pass (minutes: every batch built, every coalition of two tried): `make test-slow`
# runs it, as CI does; the rule's own tests (tests/test_disclosure.py) stay in `make test`
pytestmark = pytest.mark.attack

K = 5  # the theme's privacy_threshold (config/theme.yaml leaves the default)
READERS = 2  # the attacker: one respondent, or two pooling their answers (docs/privacy.md)
WHOLE = "*"  # the group of the whole sample (the public deck, "Ensemble")
TOTAL = "Ensemble"  # the whole sample's series in a breakdown (fr locale)

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS = {"a": _A, "c": _C, "p": _P, "r": _R}
_SP = r"[\s\u202f\u00a0]"  # a space as deckgen writes it (narrow no-break before :, % and =)
_NAMED = re.compile(rf"^(?P<label>.*){_SP}\(n{_SP}?={_SP}?(?P<n>\d[\d\u202f]*)\)$")
_OWN = re.compile(r" \(votre [^()]*\)$")
_BASE = re.compile(r"\bbase (\d(?:[\d\u202f]*\d)?)")
_KEY = re.compile(r"\[([^\[\]#]+)#([^\[\]]+)\]$")


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


# -- reading a deck as a file -------------------------------------------------------------


@dataclass
class Series:
    name: str
    categories: list[str]
    values: list[float | None]


@dataclass
class Shape:
    name: str
    alt: str
    text: str
    key: str | None = None  # "slide-id#element", from the end of the shape's name
    series: list[Series] | None = None  # a chart: its series as the chart caches hold them
    chart_part: str | None = None
    workbook_part: str | None = None  # the chart's embedded workbook
    table: list[list[str]] | None = None
    children: list[Shape] = field(default_factory=list)


@dataclass
class Slide:
    number: int
    shapes: list[Shape]
    notes: str

    def all_shapes(self) -> Iterable[Shape]:
        stack = list(self.shapes)
        while stack:
            shape = stack.pop(0)
            yield shape
            stack[:0] = shape.children

    def text_of(self, prefix: str) -> str:
        return " · ".join(s.text for s in self.all_shapes() if s.name.startswith(prefix))

    @property
    def spec_id(self) -> str | None:
        ids = [s.key.split("#")[0] for s in self.all_shapes() if s.key]
        return Counter(ids).most_common(1)[0][0] if ids else None


@dataclass
class Deck:
    path: Path
    slides: list[Slide]
    properties: dict[str, str]  # custom document properties
    zip_names: list[str]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def segment(self) -> tuple[str, int] | None:
        """The segment a segment deck is about, from the footer ("… · Oui (n = 30)")."""
        for slide in self.slides:
            m = _NAMED.match(slide.text_of("Footer").rsplit(" · ", 1)[-1])
            if m:
                return m.group("label"), _int(m.group("n"))
        return None

    def manifest(self) -> dict | None:
        """The manifest deckgen keeps in the custom properties (JSON, zlib, base64, cut in
        properties `deckgen.render.manifest.NNN`): read here as any reader of the file could."""
        chunks = sorted((k, v) for k, v in self.properties.items() if k.startswith("deckgen.m"))
        if not chunks:
            return None
        return json.loads(zlib.decompress(base64.b64decode("".join(v for _, v in chunks))))


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    path = PurePosixPath(part)
    rels = str(path.parent / "_rels" / f"{path.name}.rels")
    if rels not in zf.namelist():
        return {}
    out = {}
    for rel in etree.fromstring(zf.read(rels)):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target")
        parts = [] if target.startswith("/") else list(path.parent.parts)
        for piece in target.lstrip("/").split("/"):
            if piece == "..":
                parts.pop()
            elif piece != ".":
                parts.append(piece)
        out[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], "/".join(parts))
    return out


def _text(element) -> str:
    paragraphs = element.findall(f".//{{{_A}}}p")
    return "\n".join("".join(t.text or "" for t in p.iter(f"{{{_A}}}t")) for p in paragraphs)


def _points(ser, tag: str) -> list:
    caches = ser.xpath(f"./c:{tag}//c:strCache | ./c:{tag}//c:numCache", namespaces=NS)
    if not caches:
        return []
    count = caches[0].xpath("./c:ptCount/@val", namespaces=NS)
    points: list = [None] * (int(count[0]) if count else 0)
    for pt in caches[0].xpath("./c:pt", namespaces=NS):
        value = pt.xpath("./c:v/text()", namespaces=NS)
        points[int(pt.get("idx"))] = value[0] if value else ""
    return points


def _chart(zf: zipfile.ZipFile, part: str) -> list[Series]:
    root = etree.fromstring(zf.read(part))
    out = []
    for ser in root.iter(f"{{{_C}}}ser"):
        name = "".join(ser.xpath("./c:tx//c:v/text()", namespaces=NS))
        values = [None if v in (None, "") else float(v) for v in _points(ser, "val")]
        out.append(Series(name, [str(c) for c in _points(ser, "cat")], values))
    return out


def _shape(zf: zipfile.ZipFile, element, rels: dict) -> Shape:
    props = element.xpath("./*[1]/p:cNvPr", namespaces=NS)
    name = props[0].get("name", "") if props else ""
    shape = Shape(name, props[0].get("descr", "") if props else "", "")
    m = _KEY.search(name)
    shape.key = f"{m.group(1)}#{m.group(2)}" if m else None
    body = element.find(f"./{{{_P}}}txBody")
    if body is not None:
        shape.text = _text(body)
    chart = element.xpath(".//c:chart/@r:id", namespaces=NS)
    if chart:
        shape.chart_part = rels[chart[0]][1]
        shape.series = _chart(zf, shape.chart_part)
        for kind, target in _rels(zf, shape.chart_part).values():
            if kind == "package":
                shape.workbook_part = target
    for table in element.iter(f"{{{_A}}}tbl"):
        shape.table = [
            [_text(tc) for tc in tr.iter(f"{{{_A}}}tc")] for tr in table.iter(f"{{{_A}}}tr")
        ]
    if element.tag == f"{{{_P}}}grpSp":
        shape.children = [
            _shape(zf, child, rels)
            for child in element
            if child.tag in {f"{{{_P}}}{t}" for t in ("sp", "grpSp", "graphicFrame", "pic")}
        ]
    return shape


def read_deck(path: Path) -> Deck:
    with zipfile.ZipFile(path) as zf:
        rels = _rels(zf, "ppt/presentation.xml")
        root = etree.fromstring(zf.read("ppt/presentation.xml"))
        ids = root.xpath("./p:sldIdLst/p:sldId/@r:id", namespaces=NS)
        slides = []
        for number, rid in enumerate(ids, 1):
            part = rels[rid][1]
            slide_rels = _rels(zf, part)
            tree = etree.fromstring(zf.read(part)).find(f".//{{{_P}}}spTree")
            shapes = [
                _shape(zf, el, slide_rels)
                for el in tree
                if el.tag in {f"{{{_P}}}{t}" for t in ("sp", "grpSp", "graphicFrame", "pic")}
            ]
            notes = ""
            for kind, target in slide_rels.values():
                if kind == "notesSlide":
                    nroot = etree.fromstring(zf.read(target))
                    for sp in nroot.iter(f"{{{_P}}}sp"):
                        if sp.xpath(".//p:ph[@type='body']", namespaces=NS):
                            notes = _text(sp)
            slides.append(Slide(number, shapes, notes))
        properties = {}
        if "docProps/custom.xml" in zf.namelist():
            for prop in etree.fromstring(zf.read("docProps/custom.xml")):
                properties[prop.get("name")] = "".join(prop.itertext())
        return Deck(path, slides, properties, zf.namelist())


# -- the figures a deck holds ---------------------------------------------------------------

NA = "n.d."  # how a deck writes a figure it does not give (fr locale)


@dataclass(frozen=True)
class Figure:
    """A count about a group, with its base, in one cell of one element of one deck.
    `count` None: not read exactly -- a blank (`blank`, "n.d." in the deck: any count from
    0 to the base), or a share several (count, base) pairs fit (`fits`); `base` None: not
    worked out."""

    deck: str
    slide: int
    key: str  # "les-moyens#chart-1"
    category: str
    level: str  # a Likert level, or ""
    group: str  # WHOLE or the group's label
    count: int | None
    base: int | None
    own: bool = False  # marked as the recipient's answer: read, never used by the attack
    n: int | None = None  # the group's size, as its series or the alternative text says
    fits: tuple[tuple[int, int], ...] = ()
    blank: bool = False  # "n.d." (None in the cache): a figure the deck withholds

    @property
    def cell(self) -> Cell:
        return self.key, self.category, self.level

    @property
    def resolved(self) -> bool:
        return self.count is not None and self.base is not None


Cell = tuple[str, str, str]  # (key, category, level)
Fit = tuple["int | None", "int | None", tuple[tuple[int, int], ...]]


def _exact(value: float, base: int) -> int | None:
    count = value * base
    return round(count) if abs(count - round(count)) < 1e-6 else None


def _over(value: float | None, n: int, hint: int | None = None) -> Fit:
    """(count, base, fits) of the share `value` of a group of `n`: over the base the
    footnote gives this category (an option asked of some only), or over n, or over the
    one base up to n that makes it a whole number. A blank cell: (None, base, ())."""
    for base in (b for b in (hint, n) if b):
        if value is None:
            return None, base, ()
        if _exact(value, base) is not None:
            return _exact(value, base), base, ()
    return _within(value, 1, n)


def _within(value: float | None, lo: int, hi: int) -> Fit:
    """(count, base, ()) with the one base in [lo, hi] that makes `value` a whole count;
    when several do, (None, None, every (count, base) that does)."""
    if value is None:
        return None, (lo if lo == hi else None), ()
    fits = tuple((c, b) for b in range(max(lo, 1), hi + 1) if (c := _exact(value, b)) is not None)
    if len(fits) == 1:
        return fits[0][0], fits[0][1], ()
    return None, None, fits


def _option_bases(slide: Slide) -> dict[str, int]:
    """Categories the footnote gives a base of their own ("Conseils de quartier : s'appliquent
    seulement aux 22 communes")."""
    out = {}
    for m in re.finditer(rf"([^;·:]+?){_SP}?:{_SP}[^;·:]*?(\d+)", slide.text_of("Footnote")):
        label = m.group(1).strip()
        if not label.lower().startswith(("base", "bases")):
            out[label] = int(m.group(2))
    return out


def _blocks(slide: Slide) -> tuple[list[str], list[str]]:
    """The speaker notes' paragraphs: one per chart, in order, then one per callout
    ("Chiffre clé : …")."""
    blocks = [b for b in slide.notes.split("\n\n") if b.strip()]
    callout = re.compile(rf"Chiffre clé{_SP}?:")
    return [b for b in blocks if not callout.match(b)], [b for b in blocks if callout.match(b)]


def _callout_bases(slide: Slide) -> list[int | None]:
    """Each callout's base as its notes give it; None where the figure is withheld whole
    (the notes then say why, and give no base)."""
    out: list[int | None] = []
    for block in _blocks(slide)[1]:
        m = re.search(r"\(base (\d(?:[\d\u202f]*\d)?)", block)
        out.append(_int(m.group(1)) if m else None)
    return out


def several_answers(deck: Deck) -> set[str]:
    """The charts whose notes say a respondent may give several answers: their categories
    do not share out the base. Where the notes cannot be matched to the charts, every chart
    of the slide is taken as one."""
    out: set[str] = set()
    for slide in deck.slides:
        charts = sorted(
            {s.key for s in slide.all_shapes() if s.key and re.search(r"#chart-\d+$", s.key)},
            key=lambda key: int(key.rsplit("-", 1)[1]),
        )
        blocks = _blocks(slide)[0]
        if len(blocks) != len(charts):
            out.update(charts)
            continue
        out.update(key for key, block in zip(charts, blocks) if "plusieurs réponses" in block)
    return out


def _percent_fit(percent: int, base: int) -> Fit:
    """The counts of `base` that round (half up) to `percent`: one, or (None, base, fits)."""
    fits = tuple((c, base) for c in range(base + 1) if int(100 * c / base + 0.5 + 1e-9) == percent)
    return (fits[0][0], base, ()) if len(fits) == 1 else (None, base, fits)


def figures_of(deck: Deck) -> tuple[list[Figure], list[str]]:
    """Every figure of `deck`, and what it holds that the attack could not read. A chart or
    callout withheld whole ("Non montré", a callout "n.d." with no base) gives no figure:
    nothing of the deck's group is in it."""
    segment = deck.segment
    group = segment[0] if segment else WHOLE
    out: list[Figure] = []
    unread: list[str] = []

    def add(slide, key, category, level, grp, fit: Fit, own=False, n=None, blank=False):
        count, base, fits = fit
        figure = Figure(
            deck.name, slide.number, key, category, level, grp, count, base, own, n, fits, blank
        )
        out.append(figure)

    for slide in deck.slides:
        callout_bases = _callout_bases(slide)
        hints = _option_bases(slide)
        for shape in slide.all_shapes():
            if shape.key is None:
                continue
            element = shape.key.split("#", 1)[1]
            if shape.series is not None:
                _chart_figures(slide, shape, group, hints, add, unread)
            elif element.startswith("callout-") and element.endswith("-value"):
                number = int(element.split("-")[1])
                text = shape.text.replace("\u202f", " ").strip()
                base = callout_bases[number - 1] if number <= len(callout_bases) else None
                if segment and base is not None:  # a segment deck's figure is about its segment
                    base = min(base, segment[1])  # a count's notes give the whole's base
                if text == NA and base is not None:  # blanked: any count of its base
                    add(slide, shape.key, "", "", group, (None, base, ()), n=base, blank=True)
                elif text == NA:  # withheld whole: no figure, no base
                    continue
                elif re.fullmatch(r"\d+", text.replace(" ", "")) and base is not None:
                    # a count: of the deck's segment in a segment deck
                    base = segment[1] if segment else base
                    add(slide, shape.key, "", "", group, (_int(text), base, ()), n=base)
                elif re.fullmatch(r"\d+ %", text) and base:
                    add(slide, shape.key, "", "", group, _percent_fit(int(text[:-2]), base), n=base)
                else:
                    unread.append(f"{deck.name} slide {slide.number} {shape.key}: {text!r}")
            elif shape.children and _BASE.search(shape.alt):  # the regions map
                base = _int(_BASE.search(shape.alt).group(1))
                for child in shape.children:
                    m = re.match(r"Région \d+ (.+)$", child.name)
                    if m:
                        found = re.search(rf"{re.escape(m.group(1))} (\d+)", shape.alt)
                        count = int(found.group(1)) if found else 0
                        add(slide, shape.key, m.group(1), "", group, (count, base, ()), n=base)
            elif shape.table is not None:
                unread.append(f"{deck.name} slide {slide.number} {shape.key}: a table")
    return out, unread


def _whole(label: str, alt: str) -> str:
    """A category label as the alternative text gives it whole: a label too long beside
    its bar ends in "…" on the chart (shorter in a personal deck, whose mark takes room),
    and the figures of one category are matched across decks by their whole label."""
    if not label.endswith("…"):
        return label
    ends = rf"(?:{_SP}\(votre [^()]*\))?(?:{_SP}?:|{_SP}[\d,]+{_SP}?%|{_SP}n\.d\.)"
    found = re.search(rf"{re.escape(label[:-1])}[^;:]*?(?={ends})", alt)
    return found.group(0) if found else label


def _chart_figures(slide, shape, group, hints, add, unread) -> None:
    named = [_NAMED.match(s.name) for s in shape.series]
    alt = _BASE.search(shape.alt)
    if not any(named):  # one group: the deck's; several series are a Likert grid's levels
        if alt is None:
            unread.append(f"slide {slide.number} {shape.key}: no base in the alternative text")
            return
        n = _int(alt.group(1))
        for s in shape.series:
            level = s.name if len(shape.series) > 1 else ""
            for category, value in zip(s.categories, s.values):
                label = _whole(_OWN.sub("", category), shape.alt)
                fit = _over(value, n, hints.get(label))
                own = _OWN.search(category) is not None
                add(slide, shape.key, label, level, group, fit, own, n, value is None)
        return
    if not all(named):
        unread.append(f"slide {slide.number} {shape.key}: series {[s.name for s in shape.series]}")
        return
    # a breakdown: a series per group, named with its size; the whole sample first
    sizes = [(m.group("label"), _int(m.group("n"))) for m in named]
    whole = next((i for i, (label, _) in enumerate(sizes) if label == TOTAL), None)
    for j, category in enumerate(shape.series[0].categories):
        label = _whole(_OWN.sub("", category), shape.alt)
        own = _OWN.search(category) is not None
        wb = None
        if whole is not None:
            value = shape.series[whole].values[j]
            fit = _over(value, sizes[whole][1], hints.get(label))
            add(slide, shape.key, label, "", WHOLE, fit, own, sizes[whole][1], value is None)
            wb = fit[1]
        for i, (name, n) in enumerate(sizes):
            if i == whole:
                continue
            value = shape.series[i].values[j]
            if whole is None:
                fit = _over(value, n)
            elif wb is None:
                fit = None, None, ()
            elif wb == sizes[whole][1]:
                fit = _within(value, n, n)
            else:  # the category's own base: the whole's, less at most those outside the group
                fit = _within(value, max(0, wb - (sizes[whole][1] - n)), min(wb, n))
            add(slide, shape.key, label, "", name, fit, own, n, value is None)


# -- the subtractions -----------------------------------------------------------------------

REST = "rest"  # the part of a family no group shown covers: groups left out, no answer
Who = tuple[str, tuple[str, ...], tuple[str, ...]]  # (group, groups taken away, respondents)


@dataclass(frozen=True)
class Derived:
    """A figure the attacker works out exactly: `count` of `base` respondents, the group `who`."""

    how: str
    deck: str
    slide: int
    key: str
    category: str
    level: str
    group: str  # the group in words
    count: int
    base: int
    whole: tuple[int, int] | None  # the whole sample's own figure (count, base)
    who: Who
    others: tuple[int, int] | None = None  # the whole less the attackers' own answers

    def disclosure(self, k: int = K) -> bool:
        if self.base <= 0:
            return False
        for said in (self.whole, self.others):  # what the public deck says to the attackers
            if said is not None and said[1] and said[0] in (0, said[1]):
                return False  # already said of everyone (else): nothing more
        return self.base < k or (self.base < 2 * k and self.count in (0, self.base))

    def __str__(self) -> str:
        where = f"{self.category} / {self.level}" if self.level else self.category
        share = f"{100 * self.count / self.base:.0f} %" if self.base else NA
        whole = f", whole {self.whole[0]} of {self.whole[1]}" if self.whole else ""
        return (
            f"{self.deck} slide {self.slide} {self.key} «{where}»: {self.how}: "
            f"{self.group} = {self.count} of {self.base} ({share}{whole})"
        )


class Disclosure(AssertionError):
    """Figures about fewer than k respondents (or 0 %/100 % under 2k) were worked out."""


def assert_no_disclosure(found: Iterable[Derived], k: int = K, show: int = 8) -> None:
    bad = [d for d in found if d.disclosure(k)]
    if bad:
        decks = len({d.deck for d in bad})
        kinds = Counter(d.how for d in bad)
        lines = "\n".join(f"  {d}" for d in bad[:show])
        raise Disclosure(
            f"{len(bad)} disclosures in {decks} decks ({dict(kinds)}), the first:\n{lines}"
        )


def _jointly(read: list[list[Figure]], whole: dict) -> list[list[Figure]]:
    """Cells whose share fits several bases (an option asked of some only, in a group), or
    a blank whose base its group does not say, worked out together: when the groups shown
    across the decks make up the whole sample (their sizes add up to it), their bases add
    up to the whole's, and their counts too where none is blank; the one combination
    that does settles each group's (a blank's base only, when it is the one not read)."""
    options: dict[tuple, dict[str, list]] = defaultdict(dict)
    sizes: dict[str, dict[str, int | None]] = defaultdict(dict)
    for figures in read:
        for f in figures:
            if f.group == WHOLE:
                continue
            sizes[f.key][f.group] = f.n
            if f.resolved:
                choice = [(f.count, f.base)]
            elif f.fits:
                choice = list(f.fits)
            else:  # a blank: any count, and its base if read
                choice = [(None, f.base)]
            if len(choice) < len(options[f.cell].get(f.group, choice + [None])):
                options[f.cell][f.group] = choice
    settled = {}
    for cell, by_group in options.items():
        w = whole.get(cell)
        groups = sizes[cell[0]]
        if w is None or not w.resolved or set(by_group) != set(groups):
            continue
        if sum(n or 0 for n in groups.values()) != w.n:
            continue
        labels = sorted(by_group)
        unread = [label for label in labels if by_group[label] == [(None, None)]]
        if len(unread) > 1:
            continue
        combos = []
        for c in itertools.product(*(by_group[label] for label in labels)):
            bases = [x[1] for x in c if x[1] is not None]
            left = w.base - sum(bases)
            if unread:  # the one base not read: what the others leave
                if left < 0:
                    continue
                c = tuple((None, left) if x == (None, None) else x for x in c)
            elif left != 0:
                continue
            counts = [x[0] for x in c]
            if None not in counts and sum(counts) != w.count:
                continue
            combos.append(c)
        for i, label in enumerate(labels):
            if len({c[i] for c in combos}) == 1:
                settled[cell, label] = combos[0][i]
    return [
        [
            replace(f, count=settled[f.cell, f.group][0], base=settled[f.cell, f.group][1], fits=())
            if (f.fits or f.base is None) and (f.cell, f.group) in settled
            else f
            for f in figures
        ]
        for figures in read
    ]


@dataclass
class Family:
    """One chart or callout of a batch: the whole's figure per cell (the public deck's) and
    each group's, as the decks show them. `partition`: the chart's categories (each
    statement's levels) share out every group's base, as the whole's do."""

    key: str
    whole: dict[Cell, Figure]
    groups: dict[Cell, dict[str, Figure]]
    partition: bool

    def row(self, cell: Cell) -> str:
        return cell[1] if cell[2] else ""  # a Likert statement's levels; a chart's categories


Var = tuple[str, Cell]  # a part's count in a cell, less the attackers' own answers
# cell -> part -> (answers 1, attackers in the base, the attackers in the part)
Known = dict[Cell, dict[str, tuple[int, int, tuple[str, ...]]]]


def families(read: list[list[Figure]], several: set[str]) -> dict[str, Family]:
    """The batch's figures (the public deck's first) by chart or callout."""
    out: dict[str, Family] = {}
    for f in read[0]:
        if f.group == WHOLE and f.resolved:
            fam = out.setdefault(f.key, Family(f.key, {}, {}, False))
            fam.whole[f.cell] = f
    for figures in read:
        for f in figures:
            if f.blank and f.base is None:
                continue  # a blank whose base no figure gives: it counts in the rest
            if f.group != WHOLE and f.key in out and f.cell in out[f.key].whole:
                out[f.key].groups.setdefault(f.cell, {}).setdefault(f.group, f)
    for fam in out.values():
        rows: dict[str, list[Figure]] = defaultdict(list)
        for cell, w in fam.whole.items():
            rows[fam.row(cell)].append(w)
        fam.partition = (
            "#chart-" in fam.key
            and fam.key not in several
            and all(
                len({w.base for w in ws}) == 1 and sum(w.count for w in ws) == ws[0].base
                for ws in rows.values()
            )
        )
    return out


def _parts(fam: Family, cell: Cell) -> dict[str, tuple[Figure | None, int]] | None:
    """The parts of a cell's family: each group shown (its figure, its base) and the rest
    (None, the whole's base less the groups'); None when a base is not known."""
    w, groups = fam.whole[cell], fam.groups.get(cell, {})
    if any(g.base is None for g in groups.values()):
        return None
    rest = w.base - sum(g.base for g in groups.values())
    if rest < 0:
        return None
    return {**{label: (g, g.base) for label, g in groups.items()}, REST: (None, rest)}


def _system(fam: Family, known: Known, rows: bool):
    """The sums an attacker knows about a family's counts: per cell, the parts add up to
    the whole; per part and row of a partition, the cells add up to the part's base; each
    count between 0 and its base (a blank: nothing more). Counts are of each part's members
    other than the attackers (`known`: their own answers). (bounds, sums, bases)."""
    bounds: dict[Var, list[int]] = {}
    bases: dict[Var, int] = {}
    sums: list[tuple[list[Var], int]] = []
    for cell, w in fam.whole.items():
        parts = _parts(fam, cell)
        if parts is None:
            continue
        total = w.count
        here = []
        for part, (g, base) in parts.items():
            answers, members, _ = known.get(cell, {}).get(part, (0, 0, ()))
            base -= members
            total -= answers
            if g is not None and g.count is not None:
                lo = hi = g.count - answers
            elif g is not None and g.fits and {b for _, b in g.fits} == {g.base}:
                lo, hi = min(c for c, _ in g.fits) - answers, max(c for c, _ in g.fits) - answers
            else:
                lo, hi = 0, base
            bounds[part, cell] = [max(lo, 0), min(hi, base)]
            bases[part, cell] = base
            here.append((part, cell))
        sums.append((here, total))
    if rows and fam.partition:
        cells: dict[tuple[str, str], list[Var]] = defaultdict(list)
        for part, cell in bounds:
            cells[part, fam.row(cell)].append((part, cell))
        for (_, row), vs in cells.items():
            every = [c for c in fam.whole if fam.row(c) == row]
            if len(vs) == len(every) and len({bases[v] for v in vs}) == 1:
                sums.append((vs, bases[vs[0]]))
    return bounds, sums, bases


def _propagate(bounds: dict[Var, list[int]], sums: list[tuple[list[Var], int]]):
    """Each count's bounds, narrowed by the sums until nothing changes: whatever this pins,
    the figures pin (sound, if not complete). Bounds that cross: the attack misread."""
    b = {v: list(lh) for v, lh in bounds.items()}
    changed = True
    while changed:
        changed = False
        for vs, total in sums:
            for v in vs:
                lo_others = sum(b[u][0] for u in vs if u != v)
                hi_others = sum(b[u][1] for u in vs if u != v)
                lo, hi = max(b[v][0], total - hi_others), min(b[v][1], total - lo_others)
                assert lo <= hi, f"figures that contradict each other at {v}: {lo} > {hi}"
                if [lo, hi] != b[v]:
                    b[v], changed = [lo, hi], True
    return b


def _known(fam: Family, rids: tuple[str, ...], survey: Survey, question: str) -> Known | None:
    """What attackers `rids` know of themselves in a family: in each cell, the part each is
    in (its answer to the family's question) and its own answer (from responses.csv: each
    knows its own, and nobody else's). None where an answer cannot be read there."""
    known: Known = {}
    for cell in fam.whole:
        here: dict[str, tuple[int, int, tuple[str, ...]]] = {}
        for rid in rids:
            groups = fam.groups.get(cell, {})
            part = next((g for g in groups if rid in survey.members(question, g)), REST)
            answer = survey.truth(cell[0], cell[1], frozenset({rid}), cell[2])
            if answer is None:
                return None
            a, m, who = here.get(part, (0, 0, ()))
            here[part] = a + answer[0], m + answer[1], (*who, rid)
        known[cell] = here
    return known


def _who(fam: Family, part: str, cell: Cell, rids: tuple[str, ...]) -> tuple[str, Who]:
    """A part in words, and who it is (for the truth)."""
    if part == REST:
        labels = tuple(sorted(fam.groups.get(cell, {})))
        words, who = f"{TOTAL} − " + " − ".join(labels), (WHOLE, labels, rids)
    else:
        words, who = part, (part, (), rids)
    return (f"{words} − {' − '.join(rids)}" if rids else words), who


def attack_family(fam: Family, coalitions=(), survey=None, question=None) -> list[Derived]:
    """Every figure of one chart or callout an attacker works out exactly: each group shown
    (0), the whole less a group (1), the rest (2), a blank pinned by its bounds (4) -- then
    again for each coalition of attackers in turn, their own answers set aside (3)."""
    out: list[Derived] = []
    if not fam.groups:
        return out  # nothing shown beside the whole: nothing to subtract

    def emit(how, part, cell, count, base, known=None, minus=None, rids=()):
        g = fam.groups.get(cell, {}).get(part)
        w = fam.whole[cell]
        deck, slide = (g.deck, g.slide) if g is not None and not minus else ("all decks", w.slide)
        if minus:  # a complement: the whole less a group
            words = f"{TOTAL} − {minus}" + "".join(f" − {r}" for r in rids)
            who: Who = (WHOLE, (minus,), rids)
        else:
            words, who = _who(fam, part, cell, rids)
        others = None
        if known is not None:  # what the public deck tells the attackers of everyone else
            mine = known[cell].values()
            others = w.count - sum(a for a, _, _ in mine), w.base - sum(m for _, m, _ in mine)
        whole = (w.count, w.base)
        out.append(Derived(how, deck, slide, *cell, words, count, base, whole, who, others))

    def pins(known: Known):
        """Each count's bounds, with the partition's rows and from the cells' sums alone."""
        bounds, sums, bases = _system(fam, known, rows=True)
        columns = _propagate(*_system(fam, known, rows=False)[:2])
        return _propagate(bounds, sums), columns, bases

    def how(part: str, cell: Cell, columns) -> str:
        groups = fam.groups.get(cell, {})
        shown = groups.values() if part == REST else [groups[part]]
        if all(g.count is not None for g in shown):
            return ""  # read, or read and subtracted: exact
        lo, hi = columns[part, cell]
        return " (bounds from the whole)" if lo == hi else " (the group's other categories)"

    alone, columns, bases = pins({})
    for (part, cell), (lo, hi) in alone.items():
        if lo == hi and bases[part, cell] and fam.groups.get(cell):  # else the whole's own
            suffix = how(part, cell, columns)
            kind = "2 residual" if part == REST else "4 masked cell" if suffix else "0 shown"
            emit(kind + suffix, part, cell, lo, bases[part, cell])
    for cell, groups in fam.groups.items():  # 1: whole minus a group
        w = fam.whole[cell]
        for label, g in groups.items():
            if g.resolved and w.base - g.base > 0:
                rest = w.count - g.count, w.base - g.base
                emit("1 whole − group", label, cell, *rest, minus=label)
    for rids in coalitions:  # 3: each coalition of attackers, its own answers set aside
        known = _known(fam, rids, survey, question)
        if known is None:
            continue
        theirs, columns, bases = pins(known)
        for (part, cell), (lo, hi) in theirs.items():
            if lo != hi or not bases[part, cell] or not fam.groups.get(cell):
                continue
            _, members, mine = known[cell].get(part, (0, 0, ()))
            if members:  # attackers among its respondents
                how_ = "3 own answer set aside" + how(part, cell, columns)
                emit(how_, part, cell, lo, bases[part, cell], known, rids=mine)
            elif alone[part, cell][0] != alone[part, cell][1]:
                emit("4 masked cell (own answer)", part, cell, lo, bases[part, cell], known)
        for cell, groups in fam.groups.items():  # the whole less a group, less the attackers
            w = fam.whole[cell]
            for label, g in groups.items():
                outside = [x for p, x in known[cell].items() if p != label]
                a, m = sum(x[0] for x in outside), sum(x[1] for x in outside)
                if g.resolved and m and w.base - g.base - m > 0:
                    rest = w.count - g.count - a, w.base - g.base - m
                    mine = tuple(r for x in outside for r in x[2])
                    emit("3 own answer set aside", label, cell, *rest, known, label, mine)
    return out


def attack(public: Deck, batch: Iterable[Deck] = (), survey=None, question=None, coalitions=()):
    """Every subtraction of types 0-4 over the public deck and the decks of one batch, by
    each coalition of attackers in turn; (derived figures, what could not be read)."""
    decks = [public, *batch]
    read = [figures_of(deck) for deck in decks]
    unread = [line for _, lines in read for line in lines]
    whole = {f.cell: f for f in read[0][0] if f.group == WHOLE}
    settled = _jointly([figures for figures, _ in read], whole)
    out: list[Derived] = []
    for fam in families(settled, several_answers(public)).values():
        if survey is not None and question in survey.about(fam.key):
            continue  # its categories are the groups: a group's figure says who is in it
        out += attack_family(fam, coalitions, survey, question)
    return out, unread


# -- what a recipient knows, and the truth to check recoveries against ---------------------


class Survey:
    """A spec's charts and callouts, its codebook's labels and the answers, read as files:
    what an attacker knows of its own answers, and the truth about any group."""

    def __init__(self, spec_path: Path) -> None:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        codebook_path = (spec_path.parent / spec["deck"]["data"]).resolve()
        codebook = yaml.safe_load(codebook_path.read_text(encoding="utf-8"))
        survey = codebook["survey"]
        self.rows = pd.read_csv(
            codebook_path.parent / survey.get("responses", "responses.csv"), dtype=str
        ).set_index(survey.get("respondent_id", "id"))
        self.questions = {q["id"]: q for q in codebook["questions"]}
        self._columns: dict[str, dict[str, str | None]] = {}
        self._members: dict[tuple[str, str], frozenset[str]] = {}
        self._truth: dict[tuple, tuple[int, int] | None] = {}
        self.indicators: dict[str, dict] = {}
        for slide in spec["slides"]:
            charts = slide.get("charts") or ([slide["chart"]] if slide.get("chart") else [])
            for n, chart in enumerate(charts, 1):
                self.indicators[f"{slide.get('id')}#chart-{n}"] = chart["indicator"]
            for n, callout in enumerate(slide.get("callouts") or [], 1):
                option = {"option": callout["option"]} if callout.get("option") else {}
                self.indicators[f"{slide.get('id')}#callout-{n}-value"] = {
                    **callout["indicator"],
                    **option,
                }

    def about(self, key: str) -> set[str]:
        """The questions a chart's or callout's figures are about."""
        ind = self.indicators.get(key, {})
        cond = ind.get("condition") or {}
        return {q for q in (ind.get("question"), cond.get("question")) if q}

    def code(self, question: str, label: str, field: str = "options") -> str | None:
        q = self.questions[question]
        for option in [*(q.get(field) or []), *(q.get("bands") or [])]:
            if str(option["label"]) == label:
                return str(option["code"])
        return None

    def members(self, question: str, label: str) -> frozenset[str]:
        """The respondents of one option of a single-choice question (WHOLE: everyone)."""
        if (question, label) not in self._members:
            if label == WHOLE:
                found = set(self.rows.index)
            else:
                code = self.code(question, label)
                found = set(self.rows.index[self.rows[question] == code])
            self._members[question, label] = frozenset(found)
        return self._members[question, label]

    def truth(
        self, key: str, category: str, who: frozenset[str], level: str = ""
    ) -> tuple[int, int] | None:
        """(count, base) of a chart's or callout's cell among the respondents `who`, from the
        answers; None for what this simple reading does not cover (filters, rankings, ratios,
        conditions on several options)."""
        memo = key, category, level, who
        if memo not in self._truth:
            self._truth[memo] = self._true(key, category, who, level)
        return self._truth[memo]

    def _true(self, key: str, category: str, who: frozenset[str], level: str):
        ind = self.indicators.get(key)
        if ind is None or ind.get("filter") or ind.get("base"):
            return None
        if "#callout-" in key:
            return self._callout(ind, who)
        if ind["kind"] == "likert" and level:
            q = self.questions[ind["question"]]
            item, code = self.code(q["id"], category, "items"), self.code(q["id"], level)
            if item is None or code is None:
                return None
            return self._share(f"{q['id']}__{item}", who, {code})
        if ind["kind"] not in ("distribution", "multi") or level:
            return None
        q = self.questions[ind["question"]]
        code = self.code(q["id"], category)
        if code is None:
            return None
        if q["type"] == "multi":
            return self._share(f"{q['id']}__{code}", who, {"1"})
        if q["type"] == "numeric":
            column = self._column(q["id"])
            codes = [_band(column[rid], q["bands"]) for rid in who]
            answered = [c for c in codes if c is not None]
            return sum(c == code for c in answered), len(answered)
        return self._share(q["id"], who, {code})

    def _callout(self, ind: dict, who: frozenset[str]) -> tuple[int, int] | None:
        """A callout's share (or count): of an option of a multi (`option:`), of options of
        a single choice (`condition: {question, in}`), among those who answered."""
        if ind["kind"] == "multi" and ind.get("option"):
            return self._share(f"{ind['question']}__{ind['option']}", who, {"1"})
        cond = ind.get("condition")
        if cond is not None and (set(cond) != {"question", "in"}):
            return None
        if cond is not None and self.questions[cond["question"]]["type"] != "single":
            return None
        if ind["kind"] == "count":
            if cond is None:
                return len(who), len(who)
            column = self._column(cond["question"])
            return sum(column[rid] in {str(c) for c in cond["in"]} for rid in who), len(who)
        if ind["kind"] == "share" and cond is not None:
            return self._share(cond["question"], who, {str(c) for c in cond["in"]})
        return None

    def _share(self, column: str, who: frozenset[str], codes: set[str]) -> tuple[int, int]:
        values = [self._column(column)[rid] for rid in who]
        answered = [v for v in values if v is not None]
        return sum(v in codes for v in answered), len(answered)

    def _column(self, name: str) -> dict[str, str | None]:
        if name not in self._columns:
            self._columns[name] = {
                rid: None if pd.isna(v) else str(v) for rid, v in self.rows[name].items()
            }
        return self._columns[name]

    def who(self, question: str, derived: Derived) -> frozenset[str]:
        group, minus, rids = derived.who
        out = set(self.members(question, group))
        for label in minus:
            out -= self.members(question, label)
        return frozenset(out - set(rids))


def _band(value: str | None, bands: list[dict]) -> str | None:
    """The band of a number (min included, max excluded); no number: the no-answer band."""
    if value is None:
        return next((str(b["code"]) for b in bands if b.get("no_answer")), None)
    for b in bands:
        if not b.get("no_answer") and b.get("min", -1e300) <= float(value) < b.get("max", 1e300):
            return str(b["code"])
    return None


# -- a survey made to stress the rule --------------------------------------------------------

# groups of k-1, ..., 2k+r: each side of k + r (a group held to k besides r readers) and
# of 2k + r (its others, besides them, under 2k)
SIZES = {f"g{n}": n for n in range(K - 1, 2 * K + READERS + 1)}
NO_GROUP = 2  # respondents who did not say their group: always in the residual


def _synthetic_answers() -> list[dict[str, str]]:
    """One row per respondent: answers chosen so that small groups hold 0 % and 100 %
    cells, and three charts asked of one group plus 1, 2 or 3 others."""
    rows: list[dict[str, str]] = []
    people = [(g, j) for g, n in SIZES.items() for j in range(n)]
    people += [("", j) for j in range(NO_GROUP)]
    for i, (g, j) in enumerate(people, 1):
        row = {"id": f"R{i:03d}", "groupe": g}
        row["avis"] = {
            "g4": "oui", "g5": "non", "g6": "non" if j == 0 else "oui", "g7": "oui",
            "g8": "oui" if j < 4 else "non", "g9": "nsp", "g10": ("oui", "non", "nsp")[j % 3],
            "g11": "oui" if j < 5 else "non" if j < 10 else "nsp", "g12": "oui",
            "": ("oui", "non")[j % 2],
        }[g]  # fmt: skip
        row["outils__x"] = "1" if g == "g6" or j % 2 == 0 else "0"
        row["outils__y"] = "1" if g == "g10" or j % 3 == 0 else "0"
        row["outils__z"] = "0" if g == "g8" else str(j % 2)
        # asked of a group and of 1, 2 or 3 others: whole minus group leaves 1, 2, 3
        for scope, members, extra, question, options in (
            ("eligible", "g11", ("g4", 1), "suivi", ("s1", "s2")),
            ("equipe", "g10", ("g5", 2), "formation", None),
            ("reseau", "g9", ("g7", 3), "partenaire", ("p1", "p2", "p3")),
        ):
            asked = g == members or (g == extra[0] and j < extra[1])
            row[scope] = "oui" if asked else "non"
            if options is None:
                row[question] = ("interne", "externe", "aucune")[j % 3] if asked else ""
            else:
                for n, option in enumerate(options):
                    row[f"{question}__{option}"] = str((j + n) % 2) if asked else ""
        for n, item in enumerate(("accueil", "delais")):
            row[f"satisfaction__{item}"] = ("tres", "plutot", "peu", "pas")[(j + n + i) % 4]
        rows.append(row)
    return rows


def _options(*pairs: str) -> list[dict[str, str]]:
    return [{"code": code, "label": code.capitalize()} for code in pairs]


def _if(question: str) -> dict:
    return {"question": question, "in": ["oui"]}


def synthetic_survey(folder: Path) -> Path:
    """codebook.yaml, responses.csv, theme.yaml and deck.yaml of the synthetic survey in
    `folder`; returns the spec's path."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = _synthetic_answers()
    with (folder / "responses.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    def question(qid, kind, *codes, **more):
        return {
            "id": qid,
            "text": qid.capitalize(),
            "type": kind,
            "options": _options(*codes),
        } | more

    codebook = {
        "survey": {
            "id": "synthetique",
            "title": "Enquête synthétique",
            "respondents": "répondants",
            "respondent_id": "id",
            "responses": "responses.csv",
        },
        "questions": [
            question("groupe", "single", *SIZES, optional=True),
            question("avis", "single", "oui", "non", "nsp"),
            question("outils", "multi", "x", "y", "z"),
            question("eligible", "single", "oui", "non"),
            question("suivi", "multi", "s1", "s2", asked_if=_if("eligible")),
            question("equipe", "single", "oui", "non"),
            question("formation", "single", "interne", "externe", "aucune", asked_if=_if("equipe")),
            question("reseau", "single", "oui", "non"),
            question("partenaire", "multi", "p1", "p2", "p3", asked_if=_if("reseau")),
            question("satisfaction", "likert", "tres", "plutot", "peu", "pas",
                     items=_options("accueil", "delais")),
        ],
    }  # fmt: skip
    (folder / "codebook.yaml").write_text(yaml.safe_dump(codebook, allow_unicode=True), "utf-8")
    (folder / "theme.yaml").write_text(f"privacy_threshold: {K}\n", encoding="utf-8")

    def chart(sid, kind, question, chart_type="bar", **more):
        return {
            "id": sid, "layout": "chart", "title": question.capitalize(),
            "chart": {"type": chart_type, "title": question.capitalize(),
                      "indicator": {"kind": kind, "question": question}},
            **more,
        }  # fmt: skip

    callouts = [
        {"indicator": {"kind": "share", "condition": {"question": "avis", "in": ["oui"]}},
         "text": "disent oui"},
        {"indicator": {"kind": "count", "condition": {"question": "eligible", "in": ["oui"]}},
         "text": "sont éligibles"},
    ]  # fmt: skip
    spec = {
        "deck": {"title": "Enquête synthétique", "data": "codebook.yaml", "theme": "theme.yaml",
                 "locale": "fr"},
        "slides": [
            {"id": "titre", "layout": "title", "title": "Enquête synthétique"},
            chart("avis", "distribution", "avis", callouts=callouts),
            chart("outils", "multi", "outils"),
            chart("suivi", "multi", "suivi"),
            chart("formation", "distribution", "formation", "column"),
            chart("partenaire", "multi", "partenaire"),
            chart("satisfaction", "likert", "satisfaction", "stacked100"),
            chart("repartition", "distribution", "avis", "doughnut"),
        ],
    }  # fmt: skip
    (folder / "deck.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    return folder / "deck.yaml"


def by_spec(folder: Path) -> Path:
    """One slide of the seed spec with `by: service_participation` (and the total): the
    public deck then shows "Non (n = 1)"."""
    seed = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    slide = next(s for s in seed["slides"] if s.get("id") == "les-dispositifs-numeriques")
    slide["chart"]["indicator"].update(by="service_participation", total=True)
    spec = {
        "deck": {**seed["deck"], "data": str(CODEBOOK), "theme": str(THEME), "template": None},
        "slides": [slide],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "by.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    return folder / "by.yaml"


# -- the decks, built once per session --------------------------------------------------------


@dataclass
class Batch:
    """The public deck and the decks of one batch, as files, with the attack on them."""

    spec: Path
    survey: Survey
    public: Deck
    decks: list[Deck]
    question: str | None
    personal: bool
    outcomes: list
    _found: tuple | None = None

    def rid(self, deck: Deck) -> str:
        return deck.name.removeprefix(f"{self.spec.stem}-")

    def attackers(self, size: int = 1) -> list[tuple[str, ...]]:
        """Every respondent in turn (any may read any deck the project sends, and knows its
        own answers), or every coalition of `size` respondents."""
        return list(itertools.combinations(sorted(self.survey.rows.index), size))

    def attack(self) -> tuple[list[Derived], list[str]]:
        if self._found is None:
            self._found = attack(
                self.public, self.decks, self.survey, self.question, self.attackers()
            )
        return self._found

    def derived(self, how: str = "") -> list[Derived]:
        return [d for d in self.attack()[0] if d.how.startswith(how)]

    def figures(self) -> list[Figure]:
        """Every figure of the batch's decks (not the public deck's)."""
        return [f for deck in self.decks for f in figures_of(deck)[0]]


SEED_BATCHES = {
    "each service_participation": ("seed", "each", "service_participation"),
    "each type_collectivite": ("seed", "each", "type_collectivite"),
    "peers service_participation": ("seed", "personal", "service_participation"),
    "peers type_collectivite": ("seed", "personal", "type_collectivite"),
    "peers reseaux_sociaux": ("seed", "personal", "reseaux_sociaux"),
    "public by service_participation": ("by", None, "service_participation"),
}
SYNTHETIC_BATCHES = {
    "synthetic each groupe": ("synthetic", "each", "groupe"),
    "synthetic peers groupe": ("synthetic", "personal", "groupe"),
}


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("attack")
    specs = {
        "seed": SPEC,
        "by": by_spec(root / "by"),
        "synthetic": synthetic_survey(root / "synthetic"),
    }
    publics: dict[str, Deck] = {}
    made: dict[str, Batch] = {}

    def get(name: str) -> Batch:
        if name in made:
            return made[name]
        which, kind, question = {**SEED_BATCHES, **SYNTHETIC_BATCHES}[name]
        project = deckgen.load(specs[which])
        if which not in publics:
            publics[which] = read_deck(project.build(root / f"{which}.pptx").path)
        folder = root / name.replace(" ", "-")
        outcomes: list = []
        if kind == "each":  # every segment the rule lets through, small ones asked for too
            outcomes = project.build_each(question, folder, include_small=True, jobs=2)
        elif kind == "personal":
            outcomes = project.build_personal(folder, peers=question, jobs=2)
        assert not [o.error for o in outcomes if o.error]
        decks = [read_deck(o.path) for o in outcomes if o.path is not None]
        made[name] = Batch(
            specs[which], Survey(specs[which]), publics[which], decks, question,
            kind == "personal", outcomes,
        )  # fmt: skip
        return made[name]

    return get


def check_truth(batch: Batch, found: Iterable[Derived]) -> int:
    """Every recovered figure the answers can be checked against is the true one (the
    attack is sound): returns how many were checked."""
    assert batch.question is not None
    checked = 0
    for d in found:
        who = batch.survey.who(batch.question, d)
        truth = batch.survey.truth(d.key, d.category, who, d.level)
        if truth is not None:
            assert truth == (d.count, d.base), f"{d}: the answers say {truth[0]} of {truth[1]}"
            checked += 1
    return checked


def left_out(sizes: dict[str, int], whole: int, k: int = K, margin: int = READERS) -> set[str]:
    """Rules 1 and 2 of docs/privacy.md, stated again from the sizes alone: the groups of a
    family left out (under k besides `margin` readers, or the smallest while the rest is)."""
    out = {g for g, n in sizes.items() if n - margin < k}
    shown = sorted((g for g in sizes if g not in out), key=lambda g: sizes[g])
    while shown and 0 < whole - sum(sizes[g] for g in shown) < k + margin:
        out.add(shown.pop(0))
    return out


def sizes_of(b: Batch) -> dict[str, int]:
    """Each option of the batch's question: its respondents in responses.csv."""
    assert b.question is not None
    q = b.survey.questions[b.question]
    return {
        str(o["label"]): len(b.survey.members(b.question, str(o["label"]))) for o in q["options"]
    }


# -- the recoveries of the issue, one by one, on the seed data --------------------------------


def _footnotes(deck: Deck) -> str:
    return " · ".join(slide.text_of("Footnote") for slide in deck.slides)


def _series_of(deck: Deck) -> set[str]:
    """The groups a deck's breakdowns show beside the whole (their series' labels)."""
    return {
        m.group("label")
        for _, shape in _charts(deck)
        for s in shape.series or []
        if (m := _NAMED.match(s.name)) and m.group("label") != TOTAL
    }


def test_peers_service_participation_give_away_the_one_collectivite_without_a_service(batch):
    """`--each-respondent --peers service_participation` used to show "Oui (n = 30)" beside
    "Ensemble (n = 31)": the difference was C18, the only one without, answer by answer. Oui
    is now left out wherever its complement would be C18 alone (the footnote says so,
    without its size); it is shown only in a chart whose scope holds no one else."""
    b = batch("peers service_participation")
    lone = b.survey.members("service_participation", "Non")
    assert lone == {"C18"}
    everyone = len(b.survey.rows)
    for deck in b.decks:
        for _, shape in _charts(deck):
            sizes = dict(m.groups() for s in shape.series or [] if (m := _NAMED.match(s.name)))
            if "Oui" in sizes:  # beside a whole of its own size only: nobody else in scope
                assert sizes[TOTAL] == sizes["Oui"] and _int(sizes[TOTAL]) < everyone
        said = [p for p in re.split(" · | ; ", _footnotes(deck)) if "pas de c" in p]
        assert said and not [p for p in said if re.search(r"\d", _words(p))], deck.name
        if b.rid(deck) not in lone:
            assert [p for p in said if "pas de chiffres pour Oui" in p], deck.name
    assert not [d for d in b.derived("1 ") if d.base > 0]  # no whole minus Oui
    assert check_truth(b, b.derived()) > 0
    assert_no_disclosure(b.derived())


def test_public_minus_the_oui_segment_deck_gives_the_segment_never_built(batch):
    """`build_each("service_participation")` used to build "Oui" (30) beside a public deck
    of 31: the difference was the segment never built, "Non" (C18). Now neither deck is
    built: Non is under k, and Oui's complement is. The decks left out are exactly those
    the segments' sizes in responses.csv require, and there is nothing left to subtract."""
    b = batch("each service_participation")
    sizes = sizes_of(b)
    assert sizes == {"Oui": 30, "Non": 1}
    assert not b.decks
    skipped = {o.label for o in b.outcomes if o.path is None}
    assert skipped == left_out(sizes, len(b.survey.rows)) == {"Oui", "Non"}
    found, unread = b.attack()
    assert not found and not unread


def test_peers_type_collectivite_give_the_nine_others_0_and_100_percent(batch):
    """Ensemble (31) minus Commune (22) gives the 9 other collectivités' figures: allowed
    where strictly between 0 and 100 %. Where the 9 would be at 0 % or 100 %, Commune's
    figure is blank, and the blank's bounds (from the whole) leave it open."""
    b = batch("peers type_collectivite")
    found = [d for d in b.derived("1 ") if d.base > 0]
    assert {d.group for d in found} == {f"{TOTAL} − Commune"}
    assert check_truth(b, found) > 0
    nine = [d for d in found if d.base == 9]  # the charts over all 31
    others = set(b.survey.rows.index[b.survey.rows["type_collectivite"] != "commune"])
    assert nine and all(b.survey.who("type_collectivite", d) == others for d in nine)
    assert all(0 < d.count < 9 for d in nine)
    blanks = [f for f in b.figures() if f.group == "Commune" and f.blank]
    assert blanks
    assert not [d for d in b.derived("4 masked cell (bounds from") if d.group == "Commune"]
    assert_no_disclosure(found + b.derived("4 "))


def test_peers_reseaux_sociaux_own_answer_gives_every_other_member(batch):
    """Peers "Non (n = 7)": each recipient sets its own answer aside (and no one else's:
    the marks of the decks it does not hold are not used). A figure of Non within two of
    0 or of 7 is blank -- unless Non holds every such answer of the whole, which then
    tells whoever gave them that nobody else did -- so the others besides two readers
    are never all alike, and no blank is worked out."""
    b = batch("peers reseaux_sociaux")
    own = b.derived("3 own answer set aside")
    non = [d for d in own if d.who[0] == "Non" and d.who[1] == ()]
    assert non and min(d.base for d in non) >= K
    assert all(len(d.who[2]) == 1 for d in own)  # one recipient at a time
    shown = [f for f in b.figures() if f.group == "Non" and f.resolved]
    whole = {f.cell: f for f in figures_of(b.public)[0] if f.group == WHOLE}

    def near(f: Figure) -> bool:  # within READERS of 0 or of its base, and not told so
        w = whole[f.cell]
        low = f.count <= READERS and f.count < w.count
        high = f.base - f.count <= READERS and f.base - f.count < w.base - w.count
        return f.base - READERS < 2 * K and (low or high)

    assert shown and not [f for f in shown if near(f)]
    assert check_truth(b, own + b.derived("4 ")) > 0
    assert_no_disclosure(own + b.derived("4 "))


def test_a_masked_peer_cell_beside_ensemble_at_0_percent_is_worked_out_and_allowed(batch):
    """Where Ensemble is at 0 % or 100 %, the public deck says it of everyone: a peer cell
    beside it is not blanked, and shows the same share; reading it is allowed."""
    found = []
    for name in ("peers type_collectivite", "peers reseaux_sociaux", "synthetic peers groupe"):
        b = batch(name)
        here = [d for d in b.derived("0 ") if d.whole is not None and d.whole[0] in (0, d.whole[1])]
        assert check_truth(b, here) == len(here)
        found += here
        whole = {f.cell: f for f in figures_of(b.public)[0] if f.group == WHOLE}
        blank = [f for f in b.figures() if f.blank and f.group != WHOLE]
        said = [
            f for f in blank if f.cell in whole and whole[f.cell].count in (0, whole[f.cell].base)
        ]
        assert not said, said[:3]
    assert any(d.whole[0] == 0 for d in found) and any(d.count == d.base for d in found)
    assert all(d.count == (0 if d.whole[0] == 0 else d.base) for d in found)
    assert not [d for d in found if d.disclosure()]


def test_masked_peer_cells_cannot_be_worked_out_from_the_whole(batch):
    """A blank is no longer 0 % or 100 %: it holds any count the rule withholds (many of
    Oui's (24) blanks are strictly between), and its bounds from the whole and the other
    groups -- with each recipient's own answer -- never pin it to a disclosure."""
    b = batch("peers reseaux_sociaux")
    blanks = [f for f in b.figures() if f.blank and f.group != WHOLE]
    assert blanks
    truths = [
        b.survey.truth(f.key, f.category, b.survey.members("reseaux_sociaux", f.group), f.level)
        for f in blanks
    ]
    assert any(t is not None and 0 < t[0] < t[1] for t in truths)  # not 0 % or 100 %
    found = b.derived("4 ") + b.derived("3 own answer set aside (")
    assert check_truth(b, found) == len(found)
    assert_no_disclosure(found)


def test_a_public_breakdown_shows_a_segment_under_k(batch):
    """A public deck's `by: service_participation` breakdown used to show "Non (n = 1)"
    beside Oui and the total. Both are now left out (Non is under k, Oui's complement is):
    the chart shows the total alone, and the footnote names them without their size."""
    b = batch("public by service_participation")
    sizes = sizes_of(b)
    assert left_out(sizes, len(b.survey.rows)) == {"Oui", "Non"}
    assert not _series_of(b.public)
    notes = _footnotes(b.public)
    assert "pas de chiffres pour Non" in notes and "pas de chiffres pour Oui" in notes
    assert not re.search(rf"\(n{_SP}?={_SP}?(1|30)\)", notes)
    found, unread = b.attack()
    assert not found and not unread


def test_the_rule_s_boundaries():
    """The disclosure rule the attack applies, at its edges (k = 5)."""

    def derived(count, base, whole=(10, 31), others=None):
        return Derived(
            "1", "d", 1, "s#chart-1", "c", "", "g", count, base, whole, (WHOLE, (), ()), others
        )

    assert derived(1, K - 1).disclosure() and not derived(1, K).disclosure()
    assert derived(0, 2 * K - 1).disclosure() and derived(2 * K - 1, 2 * K - 1).disclosure()
    assert not derived(0, 2 * K).disclosure() and not derived(1, 2 * K - 1).disclosure()
    assert not derived(0, 0).disclosure()  # nobody: no figure
    assert not derived(0, 1, whole=(0, 31)).disclosure()  # the whole at 0 %: said of all
    assert not derived(3, 3, whole=(31, 31)).disclosure()  # and at 100 %
    # the whole less the attacker's own answer at 0 %: the public deck told it already
    assert not derived(0, 8, whole=(1, 31), others=(0, 30)).disclosure()
    assert derived(0, 8, whole=(2, 31), others=(1, 30)).disclosure()


# -- what the rule still lets through: real disclosures, each checked against the answers ------


def test_a_segment_deck_map_is_drawn_whole_or_not_at_all(batch):
    """The rule would blank some of Commune's regions, but a map colours every region it
    draws: the Commune deck's map is withheld whole (its footnote says so), no region's
    count is left to read in it, and nothing about the 9 others follows from it."""
    b = batch("each type_collectivite")
    (deck,) = b.decks
    slide = next(s for s in deck.slides if s.spec_id == "repondants-regions")
    assert "chiffres non montrés pour Commune" in slide.text_of("Footnote")
    assert not [f for f in figures_of(deck)[0] if f.key == "repondants-regions#chart-1"
                and not f.blank]  # fmt: skip
    found = [d for d in b.derived() if d.key == "repondants-regions#chart-1"]
    assert_no_disclosure(found)


def test_a_segment_deck_count_callout_blanks_its_count_where_the_rule_does(batch):
    """A callout that shows a count ('sont éligibles') reads n.d. where the rule blanks
    the count (0 of 7 … 0 of 10 in the G7 to G10 decks, 11 of 11 in G11's), with no base
    beside it; nothing about fewer than k follows from it."""
    b = batch("synthetic each groupe")
    counts = [f for f in b.figures() if f.key == "avis#callout-2-value" and not f.blank]
    # G7 to G11 read n.d.; G12's 0 of 12 tells its 10 others besides two readers, 2k
    assert {(f.group, f.count, f.base) for f in counts} == {("G12", 0, 12)}
    found = [d for d in b.derived() if d.key == "avis#callout-2-value"]
    assert check_truth(b, found) == len(found)
    assert_no_disclosure(found)


@pytest.mark.parametrize(
    "name",
    [
        "synthetic each groupe",
        "synthetic peers groupe",
        "each type_collectivite",
        "peers type_collectivite",
    ],
)
def test_a_blank_is_worked_out_from_the_group_s_other_categories(batch, name):
    """The categories of a single choice share out the group's base: the others' sum would
    give a lone blank, and bound several blanks whose sum the whole also bounds (G8's
    'Avis' once read Oui 50 %, Non 50 %, Nsp n.d.: Nsp 0 of 8; the Commune deck's Likert
    rows gave the 9 others at 0 of 9). Blanks now come in rectangles the sums leave open."""
    b = batch(name)
    found = [d for d in b.derived() if "other categories" in d.how]
    assert check_truth(b, found) == len(found)
    assert_no_disclosure(found)


def test_a_blank_is_worked_out_when_the_groups_shown_add_up_to_the_whole(batch):
    """Satisfaction 'Accueil / Tres' is 17 of 62 and G6, G7, G10 and G11 show 17 between
    them: 0 of all the blanks and the rest would be 0 of each. The rule now blanks one
    more figure where what the whole leaves pins a blank: no figure about fewer than k,
    nor a 0 %/100 % of fewer than 2k, follows from the bounds."""
    b = batch("synthetic each groupe")
    found = [d for d in b.derived() if "bounds from the whole" in d.how]
    assert check_truth(b, found) == len(found)
    assert_no_disclosure(found)


@pytest.mark.parametrize("name", ["synthetic each groupe", "each type_collectivite"])
def test_a_member_of_a_segment_sets_its_own_answer_aside(batch, name):
    """docs/privacy.md lets any reader be a member of any group it reads about: a segment
    deck holds its segment and the rest to k besides two readers (G5 and G6 are not built;
    the Commune deck leaves itself out of the callouts over the 27 concerned, whose rest
    is 5: C23 once set itself aside there and read 2 of 4), so a member that sets its own
    answer aside reads k others at the least, never all alike under 2k."""
    b = batch(name)
    found = b.derived("3 own answer set aside")
    assert found and min(d.base for d in found) >= K
    assert check_truth(b, found) == len(found)
    assert_no_disclosure(found)


@pytest.mark.parametrize("name", [*SEED_BATCHES, *SYNTHETIC_BATCHES])
def test_a_coalition_of_two_recipients(batch, name):
    """Two respondents pooling their own answers (and nobody else's): every group shown,
    and the rest, holds k besides them, and a figure within two of 0 or of its base is
    blank under 2k + 2 (two members of Non, 7, once set their answers aside and read the
    5 others all in '5 000 – 10 000'; of G6, the 4 others)."""
    b = batch(name)
    found, _ = attack(b.public, b.decks, b.survey, b.question, b.attackers(READERS))
    found = [d for d in found if len(d.who[2]) == READERS]
    if [f for f in b.figures() if f.group != WHOLE and not f.blank]:
        assert found  # figures to subtract from, and pairs that did
    check_truth(b, found)
    assert_no_disclosure(found)


# -- every subtraction over every deck of each batch -------------------------------------------


@pytest.mark.parametrize("name", [*SEED_BATCHES, *SYNTHETIC_BATCHES])
def test_no_subtraction_discloses_fewer_than_k(batch, name):
    """Types 0-4 over every chart, callout and map of every deck of the batch, each
    respondent in turn setting its own answers aside: no figure about fewer than k
    respondents, no 0 % or 100 % about fewer than 2k."""
    b = batch(name)
    found, unread = b.attack()
    assert not unread
    if any(f.group != WHOLE for f in b.figures() + figures_of(b.public)[0]):
        assert found
    assert_no_disclosure(found)


@pytest.mark.parametrize("name", [*SEED_BATCHES, *SYNTHETIC_BATCHES])
def test_what_the_attack_recovers_is_true(batch, name):
    """The attack is sound: each figure it claims to work out exactly, of a chart or callout
    the answers can be checked against, is the true count and base of the group it names."""
    b = batch(name)
    found, _ = b.attack()
    if not found:  # nothing shown beside the whole: nothing to recover
        assert not [f for f in b.figures() if f.group != WHOLE]
        return
    assert check_truth(b, found) > len(found) // 2


@pytest.mark.parametrize("name", [*SEED_BATCHES, *SYNTHETIC_BATCHES])
def test_the_groups_shown_are_those_their_sizes_allow(batch, name):
    """Rules 1 and 2 from responses.csv alone: the segment decks built, the peer groups and
    the `by:` segments shown beside a whole of everyone are exactly the groups of at least
    k besides two readers whose rest holds none or at least as many."""
    b = batch(name)
    sizes = sizes_of(b)
    everyone = len(b.survey.rows)
    which, kind, _ = {**SEED_BATCHES, **SYNTHETIC_BATCHES}[name]
    expected = set(sizes) - left_out(sizes, everyone)
    if kind == "each":
        assert {o.label for o in b.outcomes if o.path is not None} == expected
        return
    shown = set()
    for deck in b.decks or [b.public]:
        for _, shape in _charts(deck):
            named = [m for s in shape.series or [] if (m := _NAMED.match(s.name))]
            if any(m.group("label") == TOTAL and _int(m.group("n")) == everyone for m in named):
                shown |= {m.group("label") for m in named} - {TOTAL}
    assert shown == expected


def test_the_synthetic_survey_has_the_groups_it_is_made_of(batch):
    b = batch("synthetic each groupe")
    built = {o.label: o.path is not None for o in b.outcomes}
    assert built == {label.capitalize(): n - READERS >= K for label, n in SIZES.items()}
    sizes = Counter(b.survey.rows["groupe"].fillna(""))
    assert sizes == {**SIZES, "": NO_GROUP}
    peers = batch("synthetic peers groupe")
    shown = {d.group for d in peers.derived("0 ")}
    assert shown == {g.capitalize() for g, n in SIZES.items() if n - READERS >= K}


# -- the decks as the attack reads them -------------------------------------------------------


@pytest.mark.parametrize("name", [*SEED_BATCHES, *SYNTHETIC_BATCHES])
def test_every_deck_keeps_the_spec_slide_order_and_every_figure_is_read(batch, name):
    """Charts are matched across decks by the key in their shape's name; segment and
    personal decks keep the spec's slides in its order; every figure is read, a blank's
    base too -- but where two groups' blanks of an option asked of some only leave only
    the sum of their bases (the attack then counts them in the rest)."""
    b = batch(name)
    order = [s.spec_id for s in b.public.slides]
    assert len([i for i in order if i]) == len(set(order) - {None})
    for deck in b.decks:
        assert [s.spec_id for s in deck.slides] == order, deck.name
    read = [figures_of(deck) for deck in [b.public, *b.decks]]
    assert not [line for _, lines in read for line in lines]
    whole = {f.cell: f for f in read[0][0] if f.group == WHOLE}
    unknown = [f for figures in _jointly([f for f, _ in read], whole) for f in figures]
    unknown = [f for f in unknown if f.base is None]
    assert not [f for f in unknown if not f.blank], unknown[:3]
    groups = defaultdict(set)
    for f in unknown:
        groups[f.cell].add(f.group)
    assert all(len(labels) > 1 for labels in groups.values()), groups


@pytest.mark.parametrize("name", ["each type_collectivite", "synthetic each groupe"])
def test_a_chart_withheld_whole_gives_no_figure_and_no_base(batch, name):
    """A segment deck's chart or callout left out whole says "Non montré" (a chart) or
    "n.d." (a callout), with no figure and no base in any part of the file: its notes and
    footnote say why, its manifest entry holds only the text."""
    b = batch(name)
    withheld = 0
    for deck in b.decks:
        manifest = deck.manifest()
        assert manifest is not None
        for slide in deck.slides:
            charts, callouts = _blocks(slide)
            for shape in slide.all_shapes():
                if shape.key and "Non montré" in shape.text:
                    withheld += 1
                    entry = manifest["elements"][shape.key]
                    assert set(entry) == {"alt", "kind", "text"}, (deck.name, shape.key)
                    number = int(shape.key.rsplit("-", 1)[1])
                    said = _words(charts[number - 1], deck.segment[0])
                    assert not re.search(r"\bBase\b|\d", said), said
            for block in callouts:
                if "non montrés" in block:
                    withheld += 1
                    assert not re.search(r"\(base|\d", _words(block, deck.segment[0])), block
    assert withheld


def _words(text: str, group: str = "") -> str:
    """A note less what names the chart, the group and the rule's k + r: any number left
    would be a figure or a size."""
    for said in (
        r"Graphique \d+",
        rf"moins de {K + READERS}\b",
        re.escape(group) if group else None,
    ):
        text = re.sub(said, "", text) if said else text
    return text


def _workbook(deck: Deck, shape: Shape) -> list[tuple]:
    import io

    import openpyxl

    with zipfile.ZipFile(deck.path) as zf:
        blob = zf.read(shape.workbook_part)
    sheet = openpyxl.load_workbook(io.BytesIO(blob), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _same(a: float | None, b: object) -> bool:
    if a is None or b is None or b == "":
        return a is None and (b is None or b == "")
    return isinstance(b, (int, float)) and abs(a - b) < 1e-9


def _charts(deck: Deck) -> Iterable[tuple[Slide, Shape]]:
    for slide in deck.slides:
        for shape in slide.all_shapes():
            if shape.series is not None and shape.key:
                yield slide, shape


@pytest.mark.parametrize("name", [*SEED_BATCHES, *SYNTHETIC_BATCHES])
def test_a_masked_cell_is_blank_in_every_place_a_figure_is_kept(batch, name):
    """A chart's figures are kept in five places: the chart cache (what the attack reads),
    the embedded workbook, the manifest (custom document properties), the alternative
    text and the speaker notes. A blank cell is blank in each ("Commune n.d." in the texts,
    "Oui (n = 24) n.d." in a breakdown), the workbook and manifest hold exactly the caches,
    and the slide's footnote says some figures are hidden, without a group's size."""
    b = batch(name)
    checked = 0
    for number, deck in enumerate([b.public, *b.decks]):
        manifest = deck.manifest()
        assert manifest is not None, deck.name
        for slide, shape in _charts(deck):
            masked = [
                (i, j)
                for i, s in enumerate(shape.series)
                for j, v in enumerate(s.values)
                if v is None
            ]
            if not masked and number > 1:
                continue  # every chart of the public deck and one other; masked ones everywhere
            assert manifest["elements"][shape.key]["alt"] == shape.alt, (deck.name, shape.key)
            kept = manifest["elements"][shape.key]["series"]
            assert [(s["name"], s["categories"]) for s in kept] == [
                (s.name, s.categories) for s in shape.series
            ], (deck.name, shape.key)
            rows = _workbook(deck, shape)
            assert list(rows[0][1:]) == [s.name for s in shape.series], (deck.name, shape.key)
            for i, s in enumerate(shape.series):
                for j, value in enumerate(s.values):
                    where = (deck.name, shape.key, s.name, s.categories[j])
                    assert _same(value, kept[i]["values"][j]), where
                    assert rows[1 + j][0] == s.categories[j], where
                    assert _same(value, rows[1 + j][1 + i]), where
            if masked:
                assert re.search(rf"certains chiffres de .+ masqués{_SP}?:", slide.notes)
                assert re.search(
                    rf"certains chiffres de .+ masqués{_SP}?:", slide.text_of("Footnote")
                )
            for i, j in masked:
                series, category = shape.series[i], shape.series[i].categories[j]
                mark = _OWN.search(category)  # the texts give a shortened label whole
                category = _whole(_OWN.sub("", category), shape.alt) + (mark[0] if mark else "")
                if len(shape.series) == 1:  # "Commune n.d."
                    said = rf"(^|[:,]{_SP}){re.escape(category)}{_SP}n\.d\."
                else:  # "Statement : … Level n.d." or "Category : … Group (n = 22) n.d."
                    said = (
                        rf"{re.escape(category)}{_SP}?:{_SP}[^;\n]*"
                        rf"{re.escape(series.name)}{_SP}n\.d\."
                    )
                assert re.search(said, shape.alt), (deck.name, shape.key, category, shape.alt)
                assert re.search(said, slide.notes), (deck.name, shape.key, category)
                checked += 1
    says = any("masqués" in _footnotes(deck) for deck in [b.public, *b.decks])
    assert bool(checked) == says or name == "each type_collectivite"
