"""The decks of a batch share what they have in common (deckgen.render.shared): a
slide another deck of the batch rendered from the same plan is added as it was, a
zip entry another deck wrote is copied compressed. Every deck is byte for byte the
deck rendered slide by slide (`DECKGEN_NO_SHARED=1`).
"""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path

import pytest

import deckgen
from deckgen.render import shared

from .helpers import SPEC, project_copy, replace_in

SAMPLE = "2/3"  # every third respondent from the second: 10 of the 31 personal decks


def _personal(
    folder: Path,
    monkeypatch,
    peers: str = "type_collectivite",
    warned: list | None = None,
    spec: Path = SPEC,
    shard: str = SAMPLE,
    **env: str,
) -> list:
    """The personal decks of the sample in `folder`, and the stores their batch opened;
    `warned` gets each deck's warnings."""
    stores: list = []
    opened = shared.sharing

    @contextlib.contextmanager
    def watched():
        with opened() as store:
            stores.append(store)
            yield store

    with monkeypatch.context() as patch:
        patch.setattr(shared, "sharing", watched)
        for name, value in env.items():
            patch.setenv(name, value)
        outcomes = deckgen.load(spec).build_personal(folder, peers=peers, jobs=1, shard=shard)
    assert outcomes and all(o.path is not None and not o.error for o in outcomes), outcomes
    if warned is not None:
        warned.extend((o.key, o.warnings) for o in outcomes)
    return stores


def _same_decks(shared_folder: Path, alone_folder: Path) -> None:
    decks = sorted(p.name for p in shared_folder.glob("*.pptx"))
    assert len(decks) == 10 and decks == sorted(p.name for p in alone_folder.glob("*.pptx"))
    differ = [
        d for d in decks if (shared_folder / d).read_bytes() != (alone_folder / d).read_bytes()
    ]
    assert differ == [], f"decks not byte for byte the decks rendered slide by slide: {differ}"


@pytest.mark.parametrize("peers", ["type_collectivite", "reseaux_sociaux"])
def test_shared_decks_are_the_decks_rendered_slide_by_slide(tmp_path, monkeypatch, peers):
    """The sample built with the store and with DECKGEN_NO_SHARED=1: the same bytes,
    while the store did add kept slides and copy kept entries (or the comparison
    would say nothing)."""
    said: list = []
    alone_said: list = []
    (store,) = _personal(tmp_path / "shared", monkeypatch, peers, said)
    (off,) = _personal(tmp_path / "alone", monkeypatch, peers, alone_said, DECKGEN_NO_SHARED="1")
    assert off is None  # the switch: no store, every slide rendered
    assert store.hits > 50 and store.renders > 0 and store.copied > 500
    # slides another deck drew unmarked, read back and given this recipient's marks
    assert store.marked > 20
    assert store.noted > 100  # notes slides written as bytes (deckgen.render.notes)
    # the map's regions one deck drew, cloned in the next (speedups.Kept, the batch's)
    assert len(store.kept.prototypes["map regions"]) >= 13
    _same_decks(tmp_path / "shared", tmp_path / "alone")
    # the warnings too, in their order (a marked label's, said where it was drawn)
    assert said == alone_said and any("shortened" in w for _, ws in said for w in ws)


def test_marks_drawn_last_give_the_deck_drawn_in_one_go(tmp_path, monkeypatch):
    """A slide with a personal deck's marks is drawn unmarked, then marked (deckgen.
    render.marks): the decks, and what the build says, are those of the slides drawn
    with their marks in one go (`deferrable` off), the drawing before the store shared
    unmarked slides. Checked without the store, so that only the drawing differs."""
    from deckgen.render import marks

    said: list = []
    once_said: list = []
    _personal(tmp_path / "two", monkeypatch, warned=said, DECKGEN_NO_SHARED="1")
    monkeypatch.setattr(marks, "deferrable", lambda slide_plan: False)
    _personal(tmp_path / "one", monkeypatch, warned=once_said, DECKGEN_NO_SHARED="1")
    _same_decks(tmp_path / "two", tmp_path / "one")
    assert said == once_said and any("shortened" in w for _, ws in said for w in ws)


def test_a_marked_label_s_warning_keeps_its_place_among_the_slide_s(tmp_path, monkeypatch):
    """A slide whose chart's marked labels are shortened and whose footnote, drawn after
    the chart, is cut: each deck says the label's warning before the footnote's, as
    the slide drawn in one go says them, with the store and without."""
    from deckgen.render import marks

    spec = project_copy(tmp_path / "project")
    footnote = "Une note très longue sur la méthode, répétée. " * 120
    replace_in(
        spec,
        '    title: "Objectifs des outils numériques"\n    chart:',
        f'    title: "Objectifs des outils numériques"\n    footnote: "{footnote}"\n    chart:',
    )
    said: dict[str, list] = {"shared": [], "alone": [], "one go": []}
    _personal(tmp_path / "shared", monkeypatch, warned=said["shared"], spec=spec)
    _personal(tmp_path / "alone", monkeypatch, warned=said["alone"], spec=spec,
              DECKGEN_NO_SHARED="1")  # fmt: skip
    monkeypatch.setattr(marks, "deferrable", lambda slide_plan: False)
    _personal(tmp_path / "one", monkeypatch, warned=said["one go"], spec=spec,
              DECKGEN_NO_SHARED="1")  # fmt: skip
    assert said["shared"] == said["alone"] == said["one go"]
    for _, warnings in said["shared"]:
        on_slide = [w for w in warnings if "Objectifs des outils" in w]
        label = [i for i, w in enumerate(on_slide) if "shortened beside the bars" in w]
        foot = [i for i, w in enumerate(on_slide) if "footnote too long" in w]
        assert label and foot and label[0] < foot[0], on_slide


def _three_ways(tmp_path: Path, monkeypatch, spec: Path, shard: str) -> dict[str, list]:
    """The personal decks of `spec`'s `shard` built with the store, without it, and
    drawn in one go without it; each build's warnings."""
    from deckgen.render import marks

    said: dict[str, list] = {"shared": [], "alone": [], "one go": []}
    _personal(tmp_path / "shared", monkeypatch, warned=said["shared"], spec=spec, shard=shard)
    _personal(tmp_path / "alone", monkeypatch, warned=said["alone"], spec=spec, shard=shard,
              DECKGEN_NO_SHARED="1")  # fmt: skip
    with monkeypatch.context() as patch:
        patch.setattr(marks, "deferrable", lambda slide_plan: False)
        _personal(tmp_path / "one go", monkeypatch, warned=said["one go"], spec=spec,
                  shard=shard, DECKGEN_NO_SHARED="1")  # fmt: skip
    return said


def _same(a: Path, b: Path) -> list[str]:
    return [p.name for p in sorted(a.glob("*.pptx")) if p.read_bytes() != (b / p.name).read_bytes()]


def test_a_doughnut_legend_that_fits_for_one_recipient_only_is_said_for_each(tmp_path, monkeypatch):
    """Two recipients whose marked names place a doughnut's legend alike, though for
    one of them it does not fit (the place a legend that fits nowhere takes): the one
    whose legend does not fit is told, with the store as without it. (Found in review:
    the kept drawing carried the first recipient's verdict.)"""
    spec = project_copy(tmp_path / "project")
    codebook = tmp_path / "project" / "data" / "barometre-2021" / "codebook.yaml"
    more = " avec des échanges ponctuels avec la direction générale des services"
    replace_in(
        codebook,
        'label: "Renforcement de la participation citoyenne"}',
        f'label: "Renforcement de la participation citoyenne{more[:60].rstrip()}"}}',
    )
    replace_in(codebook, 'label: "Continuité des dispositifs existants"}',
               f'label: "Continuité des dispositifs existants{more}"}}')  # fmt: skip
    said = _three_ways(tmp_path, monkeypatch, spec, "1/10")
    assert said["shared"] == said["alone"] == said["one go"]
    told = [key for key, warnings in said["shared"] if any("its legend" in w for w in warnings)]
    assert told and len(told) < len(said["shared"]), told  # some recipients, not all
    assert _same(tmp_path / "shared", tmp_path / "one go") == []


def test_a_breakdown_drawn_as_a_bar_per_segment_keeps_its_marked_names(tmp_path, monkeypatch):
    """A distribution beside the recipient's peers drawn as 100 % bars turns its options
    into the series (`shown`): the recipient's words name a series and a legend entry,
    which a chart drawn unmarked would lose; such a chart is drawn in one go. (Found in
    review: the stripped names stayed in the series and the legend.)"""
    spec = project_copy(tmp_path / "project")
    replace_in(
        spec,
        '      - type: doughnut\n        title: "Quelle évolution suite aux élections ?"',
        '      - type: stacked100\n        title: "Quelle évolution suite aux élections ?"',
    )
    said = _three_ways(tmp_path, monkeypatch, spec, "1/10")
    assert said["shared"] == said["alone"] == said["one go"]
    assert _same(tmp_path / "alone", tmp_path / "one go") == []
    assert _same(tmp_path / "shared", tmp_path / "one go") == []
    marked = 0
    for deck in (tmp_path / "shared").glob("*.pptx"):
        with zipfile.ZipFile(deck) as z:
            marked += any(
                "votre réponse" in z.read(n).decode("utf-8")
                and "Renforcement de la participation" in z.read(n).decode("utf-8")
                and "<c:barChart>" in z.read(n).decode("utf-8")
                for n in z.namelist()
                if n.startswith("ppt/charts/chart")
            )
    assert marked  # the marked name is in a stacked bar chart of some deck


def test_strip_gives_back_the_public_categories():
    """`strip`: the recipient's words cut off their categories' ends, the marks gone;
    a result without marks is returned as it is (worked out by hand)."""
    from dataclasses import replace

    from deckgen.analysis.results import Result, Series
    from deckgen.render.marks import strip

    plain = Result(
        kind="multi",
        question="q",
        question_text="Dispositifs",
        categories=("Réunions publiques", "Budget participatif", "Conseil (votre réponse)"),
        codes=("a", "b", "c"),
        series=(Series("Ensemble", (0.9, 0.6, 0.5), (28, 19, 16)),),
        bases=(31, 31, 31),
        base=31,
    )
    marked = replace(
        plain,
        categories=(
            "Réunions publiques (votre réponse)",
            "Budget participatif",
            "Conseil (votre réponse) (votre réponse)",
        ),
        own=("x", "", "x"),
        own_words=(" (votre réponse)", "", " (votre réponse)"),
    )
    assert strip(marked) == plain
    assert strip(plain) is plain


NOTES = [
    'Base : 31 collectivités.\n\nNote : «\u00a0détails\u00a0» & <balises> "cités"',
    "ligne\vsaut\ttab\x07cloche \U0001f600",
    "  espaces  \n\n\n",
    "retour\r\nchariot\r\v\n]]> fin",
    "a\n a\na \na",  # lines alike but for their spaces: each its own paragraph
]


def _notes_part(prs):
    from deckgen.render.speedups import frozen_blob

    (slide,) = prs.slides
    rel = next(r for r in slide.part.rels.values() if r.reltype == shared._RT_NOTES)
    part = rel.target_part
    blob = frozen_blob(part)
    blob = part.blob if blob is None else blob
    relations = [(rId, r.reltype, str(r.target_part.partname)) for rId, r in part.rels.items()]
    slide_rels = [(rId, r.reltype) for rId, r in slide.part.rels.items()]
    return str(part.partname), part.content_type, blob, relations, slide_rels


@pytest.mark.parametrize("text", NOTES)
def test_notes_from_kept_bytes_are_the_notes_python_pptx_writes(text):
    """A notes slide written as bytes from the form read from the batch's first
    (deckgen.render.notes), its lines' paragraphs new, then kept: each time the part
    python-pptx's `slide.notes_slide.notes_text_frame.text = text` writes (name,
    type, bytes, relationships, and the slide's), and the text its records read back
    is what python-pptx reads from its own."""
    from pptx import Presentation

    from deckgen.render.manifest import notes_text

    def new_slide():
        prs = Presentation()
        return prs, prs.slides.add_slide(prs.slide_layouts[6])

    own, slide = new_slide()
    slide.notes_slide.notes_text_frame.text = text
    expected = _notes_part(own)
    read = notes_text(slide)

    store = shared.Store()
    _, slide = new_slide()
    shared.notes(store, slide, "other notes", "t")  # the first: python-pptx's, form read
    assert store.notes["t"] is not None and store.noted == 0
    first, slide = new_slide()
    assert shared.notes(store, slide, text, "t") == read  # its lines' paragraphs new
    again, slide = new_slide()
    assert shared.notes(store, slide, text, "t") == read  # its lines' paragraphs kept
    assert store.noted == 2
    assert _notes_part(first) == expected and _notes_part(again) == expected
    other, slide = new_slide()
    assert shared.notes(store, slide, text, "another template") == read
    assert store.noted == 2 and _notes_part(other) == expected  # another's first


def test_a_kept_slide_that_does_not_fit_is_rendered_again(tmp_path, monkeypatch):
    """A kept slide whose parts would be named otherwise in this deck (`Diverged`):
    the deck is rendered again slide by slide, the same bytes; and a store too small
    to keep anything long still gives the same decks."""
    replay = shared.replay
    seen = []

    def diverging(store, key, prs, layout, warnings, records):
        # once, in the middle of a deck, where a kept slide would be added
        if not seen and len(prs.slides) >= 5 and store.slides.get(key) is not None:
            seen.append(key)
            raise shared.Diverged("test")
        return replay(store, key, prs, layout, warnings, records)

    monkeypatch.setattr(shared, "replay", diverging)
    monkeypatch.setattr(shared, "LIMIT", 3_000_000)
    (store,) = _personal(tmp_path / "shared", monkeypatch)
    assert seen and store.hits > 0 and store.size <= 3_000_000
    _personal(tmp_path / "alone", monkeypatch, DECKGEN_NO_SHARED="1")
    _same_decks(tmp_path / "shared", tmp_path / "alone")
