"""The regions choropleth: 13 native freeforms in one correctly sized group."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from deckgen.errors import RenderError
from deckgen.inputs.theme import Theme
from deckgen.locales import words
from deckgen.render import speedups
from deckgen.render.geo import (
    DEFAULT_REGIONS_PATH,
    Bin,
    _load_regions_cached,
    compute_bins,
    load_regions,
)
from deckgen.render.geometry import Rect, inches
from deckgen.render.identity import label_of
from deckgen.render.regionmap import add_region_map
from deckgen.wording.phrases import bin_label

from .conftest import openxml_audit_or_skip

CODES = {"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}
COUNTS = {"84": 5, "11": 6, "53": 3, "44": 4, "75": 2, "32": 1, "93": 2}
RECT = Rect(inches(0.5), inches(1.5), inches(12.333), inches(5.25))


@pytest.fixture()
def theme() -> Theme:
    return Theme()


def _slide():
    prs = Presentation()
    prs.slide_width, prs.slide_height = 12_192_000, 6_858_000
    return prs, prs.slides.add_slide(prs.slide_layouts[6])


@pytest.fixture()
def drawn(theme: Theme):
    prs, slide = _slide()
    group = add_region_map(
        slide.shapes,
        RECT,
        COUNTS,
        theme,
        legend_title="Collectivités répondantes",
        alt_text="Régions représentées, base 23 collectivités : Île-de-France 6, …",
    )
    return prs, slide, group


def _box(element) -> Rect:
    xfrm = element.xpath("./p:spPr/a:xfrm | ./p:grpSpPr/a:xfrm")[0]
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    return Rect(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _freeforms(group):
    return [s for s in group.shapes if s.shape_type == MSO_SHAPE_TYPE.FREEFORM]


# --------------------------------------------------------------------------- data


def test_load_regions_projects_all_thirteen() -> None:
    regions = load_regions(DEFAULT_REGIONS_PATH)
    assert {r.code for r in regions} == CODES
    by_code = {r.code: r for r in regions}
    assert by_code["84"].name == "Auvergne-Rhône-Alpes"
    assert len(by_code["53"].polygons) > 1  # Bretagne's islands: a MultiPolygon

    def bounds(region):
        pts = [p for poly in region.polygons for ring in poly for p in ring]
        return (
            min(x for x, _ in pts),
            min(y for _, y in pts),
            max(x for x, _ in pts),
            max(y for _, y in pts),
        )

    # north is up: Hauts-de-France is above Occitanie; west is left: Bretagne left of Grand Est
    assert bounds(by_code["32"])[3] < bounds(by_code["76"])[1]
    assert bounds(by_code["53"])[2] < bounds(by_code["44"])[0]
    # x scaled by cos(46.5°): metropolitan France is about as wide as it is tall
    allb = [bounds(r) for r in regions if r.code != "94"]
    width = max(b[2] for b in allb) - min(b[0] for b in allb)
    height = max(b[3] for b in allb) - min(b[1] for b in allb)
    assert 0.9 < width / height < 1.2
    # GeoJSON's repeated closing point is dropped
    ring = by_code["94"].polygons[0][0]
    assert ring[0] != ring[-1]


def test_load_regions_is_cached() -> None:
    load_regions(DEFAULT_REGIONS_PATH)
    hits = _load_regions_cached.cache_info().hits
    assert load_regions(DEFAULT_REGIONS_PATH) == load_regions(DEFAULT_REGIONS_PATH)
    assert _load_regions_cached.cache_info().hits >= hits + 2


def test_load_regions_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="not found"):
        load_regions(tmp_path / "none.geojson")


# --------------------------------------------------------------------------- bins


SCALE = ["S1", "S2", "S3", "S4"]


@pytest.mark.parametrize(
    ("max_count", "expected"),
    [
        (1, [(1, 1, "S4")]),
        (2, [(1, 1, "S1"), (2, 2, "S4")]),
        (3, [(1, 1, "S1"), (2, 2, "S3"), (3, 3, "S4")]),
        (4, [(1, 1, "S1"), (2, 2, "S2"), (3, 3, "S3"), (4, 4, "S4")]),
        (5, [(1, 1, "S1"), (2, 2, "S2"), (3, 4, "S3"), (5, 5, "S4")]),
        (6, [(1, 1, "S1"), (2, 2, "S2"), (3, 4, "S3"), (5, 6, "S4")]),
        (8, [(1, 1, "S1"), (2, 2, "S2"), (3, 4, "S3"), (5, 8, "S4")]),
    ],
)
def test_bins_small_maxima(max_count: int, expected: list[tuple[int, int, str]]) -> None:
    assert compute_bins(max_count, SCALE) == [Bin(*b) for b in expected]


@pytest.mark.parametrize("max_count", [9, 13, 40, 250, 10_000])
def test_bins_large_maxima_are_contiguous_and_end_at_max(max_count: int) -> None:
    bins = compute_bins(max_count, SCALE)
    assert len(bins) == len(SCALE)
    assert bins[0].low == 1 and bins[-1].high == max_count
    for a, b in zip(bins, bins[1:], strict=False):
        assert a.low <= a.high and b.low == a.high + 1
    assert [b.color for b in bins] == SCALE


def test_bins_empty() -> None:
    assert compute_bins(0, SCALE) == []


def test_bin_labels_in_french() -> None:
    fr, en = words("fr"), words("en")
    assert bin_label(Bin(1, 1, "x"), "répondant", "répondants", fr) == "1 répondant"
    assert bin_label(Bin(2, 2, "x"), "répondant", "répondants", fr) == "2 répondants"
    assert bin_label(Bin(3, 4, "x"), "répondant", "répondants", fr) == "3 à 4 répondants"
    assert bin_label(Bin(5, 5, "x"), "collectivité", "collectivités", fr) == "5 collectivités"
    assert bin_label(Bin(1, 1, "x"), "respondent", "respondents", en) == "1 respondent"
    assert bin_label(Bin(3, 4, "x"), "respondent", "respondents", en) == "3 to 4 respondents"


# --------------------------------------------------------------------------- the map


def test_thirteen_freeforms_in_one_group(drawn) -> None:
    _, slide, group = drawn
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert [s.shape_type for s in slide.shapes] == [MSO_SHAPE_TYPE.GROUP]
    freeforms = _freeforms(group)
    assert len(freeforms) == 13
    names = {s.name for s in freeforms}
    assert "Région 84 Auvergne-Rhône-Alpes" in names
    assert {n.split()[1] for n in names} == CODES


def test_group_transform_fits_its_children(drawn) -> None:
    _, _, group = drawn
    xfrm = group._element.grpSpPr.find(qn("a:xfrm"))
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    ch_off, ch_ext = xfrm.find(qn("a:chOff")), xfrm.find(qn("a:chExt"))
    assert [c.tag for c in xfrm] == [qn("a:off"), qn("a:ext"), qn("a:chOff"), qn("a:chExt")]
    assert int(ext.get("cx")) > 0 and int(ext.get("cy")) > 0
    assert int(ch_ext.get("cx")) > 0 and int(ch_ext.get("cy")) > 0
    assert (off.get("x"), off.get("y")) == (ch_off.get("x"), ch_off.get("y"))
    assert (ext.get("cx"), ext.get("cy")) == (ch_ext.get("cx"), ch_ext.get("cy"))
    child_space = Rect(
        int(ch_off.get("x")), int(ch_off.get("y")), int(ch_ext.get("cx")), int(ch_ext.get("cy"))
    )
    boxes = [_box(child) for child in group._element.iter_shape_elms()]
    assert all(child_space.contains(b) for b in boxes)
    # and it is the exact bounding box, not just a big one
    assert child_space.left == min(b.left for b in boxes)
    assert child_space.right == max(b.right for b in boxes)
    assert child_space.top == min(b.top for b in boxes)
    assert child_space.bottom == max(b.bottom for b in boxes)


def test_everything_stays_inside_rect(drawn) -> None:
    _, _, group = drawn
    assert RECT.contains(_box(group._element))
    for child in group._element.iter_shape_elms():
        assert RECT.contains(_box(child)), child.xpath("./*/p:cNvPr/@name")


@pytest.mark.parametrize(
    "rect",
    [Rect(0, 0, inches(4), inches(6)), Rect(inches(1), inches(2), inches(11), inches(2.5))],
    ids=["tall-narrow", "wide-short"],
)
def test_fits_other_shapes_of_rect(rect: Rect, theme: Theme) -> None:
    _, slide = _slide()
    group = add_region_map(slide.shapes, rect, COUNTS, theme, legend_title="Répondants")
    for child in group._element.iter_shape_elms():
        assert rect.contains(_box(child))


def test_freeform_points_are_integers_and_not_too_many(drawn) -> None:
    _, _, group = drawn
    total = 0
    for shape in _freeforms(group):
        pts = shape._element.xpath(".//a:path/*/a:pt")
        assert len(pts) >= 3
        for pt in pts:
            int(pt.get("x")), int(pt.get("y"))  # noqa: B018 - raises if not integers
        total += len(pts)
    assert total < 4000  # the source has ~5,700 points; tiny steps are dropped


def test_fill_colours_follow_the_counts(drawn, theme: Theme) -> None:
    _, _, group = drawn
    fills = {s.name.split()[1]: str(s.fill.fore_color.rgb) for s in _freeforms(group)}
    assert fills["94"] == theme.colors.map_empty  # Corse: nobody
    assert fills["24"] == theme.colors.map_empty  # not in counts at all
    assert fills["11"] == theme.colors.map_scale[-1]  # the maximum, 6
    assert fills["32"] == theme.colors.map_scale[0]  # 1
    for shape in _freeforms(group):
        assert str(shape.line.color.rgb) == theme.colors.map_line
        assert shape.line.width == 9525  # 0.75 pt
        assert shape._element.find(qn("p:style")) is None  # no theme shadow


def test_zero_count_is_not_represented(theme: Theme) -> None:
    _, slide = _slide()
    group = add_region_map(slide.shapes, RECT, {"84": 0, "11": 2}, theme, legend_title="x")
    fills = {s.name.split()[1]: str(s.fill.fore_color.rgb) for s in _freeforms(group)}
    assert fills["84"] == theme.colors.map_empty
    assert fills["11"] == theme.colors.map_scale[-1]


def _texts(group) -> list[str]:
    return [s.text_frame.text for s in group.shapes if s.has_text_frame and s.text_frame.text]


def test_legend_texts(drawn, theme: Theme) -> None:
    _, _, group = drawn
    texts = _texts(group)
    assert texts == [
        "Collectivités répondantes",
        "1 répondant",
        "2 répondants",
        "3 à 4 répondants",
        "5 à 6 répondants",
        "Aucun répondant",
    ]
    legend = [s for s in group.shapes if s.has_text_frame and s.text_frame.text in texts[1:]]
    for shape in legend:
        font = shape.text_frame.paragraphs[0].runs[0].font
        assert label_of(font.name) == theme.fonts.body
        assert font.size.pt == theme.sizes.chart_legend


def test_legend_is_right_of_the_map(drawn) -> None:
    _, _, group = drawn
    map_right = max(_box(s._element).right for s in _freeforms(group))
    for shape in group.shapes:
        if shape.shape_type != MSO_SHAPE_TYPE.FREEFORM:
            assert _box(shape._element).left >= map_right


def test_no_empty_entry_when_every_region_is_represented(theme: Theme) -> None:
    _, slide = _slide()
    group = add_region_map(slide.shapes, RECT, dict.fromkeys(CODES, 1), theme, legend_title="")
    assert _texts(group) == ["1 répondant"]


def test_alt_text(drawn, theme: Theme) -> None:
    _, _, group = drawn
    cnvpr = group._element.nvGrpSpPr.cNvPr
    assert cnvpr.get("descr").startswith("Régions représentées, base 23 collectivités")
    _, slide = _slide()
    group = add_region_map(
        slide.shapes,
        RECT,
        {"84": 2, "11": 1},
        theme,
        legend_title="Répondants",
        labels={"84": "Rhône-Alpes-Auvergne"},
    )
    descr = group._element.nvGrpSpPr.cNvPr.get("descr")
    assert "Rhône-Alpes-Auvergne 2" in descr and "Île-de-France 1" in descr
    assert "Corse" in descr  # listed as not represented


def test_show_counts_labels_regions(theme: Theme) -> None:
    _, slide = _slide()
    group = add_region_map(slide.shapes, RECT, COUNTS, theme, legend_title="x", show_counts=True)
    labels = [s for s in group.shapes if label_of(s.name).startswith("Étiquette")]
    assert sorted(s.text_frame.text for s in labels) == sorted(str(n) for n in COUNTS.values())
    for label in labels:
        assert RECT.contains(_box(label._element))


def test_unknown_region_code_is_a_render_error(theme: Theme) -> None:
    _, slide = _slide()
    with pytest.raises(RenderError, match=r"`85`.*valid codes"):
        add_region_map(slide.shapes, RECT, {"85": 1}, theme, legend_title="x")
    with pytest.raises(RenderError, match="overseas"):
        add_region_map(slide.shapes, RECT, {"04": 1}, theme, legend_title="x")
    with pytest.raises(RenderError, match="whole number"):
        add_region_map(slide.shapes, RECT, {"84": -1}, theme, legend_title="x")


def test_too_small_rect_is_a_render_error(theme: Theme) -> None:
    _, slide = _slide()
    with pytest.raises(RenderError, match="too little"):
        add_region_map(
            slide.shapes, Rect(0, 0, inches(2), inches(1)), COUNTS, theme, legend_title="x"
        )


def test_survives_save_and_reopen(drawn, tmp_path: Path) -> None:
    prs, _, _ = drawn
    path = tmp_path / "map.pptx"
    prs.save(str(path))
    group = Presentation(str(path)).slides[0].shapes[0]
    assert len(_freeforms(group)) == 13
    assert group.width > 0 and group.height > 0
    assert group._element.nvGrpSpPr.cNvPr.get("descr")


def test_map_deck_passes_openxml_audit(drawn, tmp_path: Path) -> None:
    exe = openxml_audit_or_skip()
    prs, _, _ = drawn
    path = tmp_path / "map.pptx"
    prs.save(str(path))
    # text output with --quiet: silent and exit status 0 when clean; a report and 1 otherwise
    proc = subprocess.run(
        [str(exe), "--quiet", str(path)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "violation" not in proc.stdout


# --------------------------------------------------------------------------- cached drawing

_OTHER_THEME = Theme(
    colors={"map_line": "334455", "muted": "101010", "map_scale": ["ffeeaa", "cc8800"]},
    fonts={"body": "Georgia"},
    sizes={"chart_legend": 10, "chart_label": 9},
)
_CASES = [
    (RECT, COUNTS, {"legend_title": "Collectivités répondantes", "alt_text": "x"}),
    (RECT, {"84": 250, "11": 1}, {"legend_title": "Répondants & <co>", "show_counts": True}),
    (
        Rect(0, 0, inches(4), inches(6)),
        COUNTS,
        {"legend_title": "", "show_counts": True, "unit": ("collectivité", "collectivités")},
    ),
    (
        Rect(inches(1), inches(2), inches(11), inches(2.5)),
        dict.fromkeys(CODES, 3),
        {"legend_title": "Un titre assez long pour passer sur deux lignes de légende"},
    ),
    (Rect(123_457, 987_653, 7_654_321, 4_444_441), {}, {"legend_title": "Personne"}),
    (RECT, COUNTS, {"legend_title": "Collectivités répondantes", "show_counts": True}),
    (
        RECT,
        {"84": 5, "93": 1},
        {"legend_title": "Collectivités répondantes", "show_counts": True, "theme": _OTHER_THEME},
    ),
]


def _map_slides(
    theme: Theme, cases, *, cold: bool, holes: bool, nested: bool = False
) -> list[bytes]:
    """The slide XML of one map per slide; `cold`: python-pptx alone (no speed-ups
    session, so nothing cloned); warm: in one session, each map after the first
    cloned from shapes python-pptx wrote; `nested`: the map in a group (which
    python-pptx resizes to hold it)."""
    prs = Presentation()
    with contextlib.ExitStack() as stack:
        if not cold:
            stack.enter_context(speedups.applied(prs))
        return _maps(prs, theme, cases, holes=holes, nested=nested)


def _maps(prs, theme: Theme, cases, *, holes: bool, nested: bool) -> list[bytes]:
    out = []
    for rect, counts, kwargs in cases:
        slide = prs.slides.add_slide(prs.slide_layouts[1])  # title and content: ids 2 and 3
        if holes:  # ids 2 and 3 free again, 4 and 5 taken: the group and a freeform take
            # the holes (python-pptx gives them the smallest free id), the others go on at 6
            slide.shapes.add_textbox(0, 0, 100, 100).text = "id 4"
            slide.shapes.add_textbox(0, 0, 100, 100).text = "id 5"
            for shape in list(slide.placeholders):
                shape._element.getparent().remove(shape._element)
        kwargs = dict(kwargs)
        shapes = slide.shapes
        if nested:
            shapes = shapes.add_group_shape().shapes
            shapes.add_textbox(inches(0.1), inches(0.1), inches(1), inches(1)).text = "in the group"
        add_region_map(shapes, rect, counts, kwargs.pop("theme", theme), **kwargs)
        slide.shapes.add_textbox(0, 0, 100, 100).text = "after the map"
        out.append(slide.part.blob)
    return out


@pytest.mark.parametrize(
    ("holes", "nested"),
    [(False, False), (True, False), (False, True)],
    ids=["plain", "id-holes", "in-a-group"],
)
def test_cached_maps_write_the_xml_of_maps_drawn_from_scratch(
    theme: Theme, holes: bool, nested: bool
) -> None:
    """Outlines and shapes cloned from a previous map: the very bytes of a map drawn
    by python-pptx alone (the first one, with empty caches), ids included."""
    cold = _map_slides(theme, _CASES, cold=True, holes=holes, nested=nested)
    warm = _map_slides(theme, _CASES[::-1] + _CASES, cold=False, holes=holes, nested=nested)
    assert warm[len(_CASES) :] == cold  # every shape cloned
    assert warm[: len(_CASES)] == cold[::-1]  # some built, some cloned
    if holes:
        assert b'<p:cNvPr id="2" name="Carte des r' in cold[0]
        assert b'<p:cNvPr id="3" name="R\xc3\xa9gion 75' in cold[0]
        assert b'<p:cNvPr id="6" name="R\xc3\xa9gion 76' in cold[0]


def test_second_map_clones_its_freeforms(theme: Theme, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next map at the same scale goes through no FreeformBuilder: that is the saving."""
    prs = Presentation()
    with speedups.applied(prs):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        add_region_map(slide.shapes, RECT, COUNTS, theme, legend_title="x", show_counts=True)

        def no_builder(*_args, **_kwargs):
            raise AssertionError("freeform built again")

        monkeypatch.setattr(speedups, "build_freeform", no_builder)
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        group = add_region_map(slide.shapes, RECT, {"84": 1, "94": 7}, theme, legend_title="x")
    fills = {s.name.split()[1]: str(s.fill.fore_color.rgb) for s in _freeforms(group)}
    assert len(fills) == 13
    assert fills["94"] == theme.colors.map_scale[-1] and fills["11"] == theme.colors.map_empty
    ids = [int(v) for v in slide.shapes._spTree.xpath("//p:cNvPr/@id")]
    assert len(ids) == len(set(ids))
