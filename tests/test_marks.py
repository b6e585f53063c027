"""A personal deck's marks (deckgen.render.marks, deckgen.render.charts): the outline
of a recipient's answer is written through python-pptx's element methods, not its
proxy objects; it must be the XML python-pptx's documented API writes."""

from __future__ import annotations

import pytest
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

from deckgen.render.charts import _keep_fill, _outline
from deckgen.render.oxml import xml_of

MARK = "F77F00"


def _plot(series_fill: str | None, theme_fill: bool = False):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["a", "b", "c", "d"]
    data.add_series("Ensemble", (0.5, 0.4, 0.3, 0.2))
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(4), Inches(3), data
    ).chart
    series = chart.plots[0].series[0]
    if series_fill is not None:
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(series_fill)
    if theme_fill:  # a theme colour: not an RGB the fast path can copy
        from pptx.enum.dml import MSO_THEME_COLOR

        series.format.fill.solid()
        series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_2
    point = series.points[1]  # a point with a colour of its own (an option's)
    point.format.fill.solid()
    point.format.fill.fore_color.rgb = RGBColor.from_string("2A9D8F")
    point.format.line.color.rgb = RGBColor.from_string("1D3557")  # and an outline
    return chart.plots[0]


def _by_the_api(plot, idx: int) -> None:
    """What `charts._own` wrote before: python-pptx's documented proxies."""
    series = plot.series[0]
    point = series.points[idx]
    _keep_fill(point, series, plot, idx)
    point.format.line.color.rgb = RGBColor.from_string(MARK)
    point.format.line.width = Pt(2.5)


@pytest.mark.parametrize(
    "series_fill, theme_fill",
    [("8C939B", False), (None, False), (None, True)],
    ids=["series-rgb", "series-unfilled", "series-theme-colour"],
)
@pytest.mark.parametrize("idx", [0, 1, 3], ids=["new-point", "own-fill-and-outline", "last"])
def test_an_outline_is_what_python_pptx_api_writes(series_fill, theme_fill, idx):
    """Each kind of point (none yet; one with its own fill and outline) on each kind of
    series (an RGB fill, none, a theme colour, where the fast path hands over to the
    API), marked twice over (two recipients' runs on one point): the same XML. A new
    point on an RGB series takes the copied properties (`_outlined`)."""
    plot, fast = _plot(series_fill, theme_fill), _plot(series_fill, theme_fill)
    if theme_fill and idx != 1:  # python-pptx cannot read a theme colour as RGB: nor can deckgen
        with pytest.raises(AttributeError):
            _by_the_api(plot, idx)
        with pytest.raises(AttributeError):
            _outline(fast.series[0], fast, idx, MARK)
        return
    for _ in range(2):  # the same after each: the second marks a point marked already
        _by_the_api(plot, idx)
        _outline(fast.series[0], fast, idx, MARK)
        api_xml = etree.tostring(xml_of(plot.series[0]))
        assert etree.tostring(xml_of(fast.series[0])) == api_xml
    assert api_xml.count(b"<c:dPt>") == (1 if idx == 1 else 2) and MARK.encode() in api_xml


def _chart_data(labels: list[str]):
    from deckgen.render.workbook import ChartData

    data = ChartData(number_format="0%")
    data.categories = labels
    data.add_series("Ensemble (n = 31)", [0.5, None, 0.25, 0.1])
    data.add_series("Commune (n = 22)", [0.4, 0.3, None, 0.2])
    return data


@pytest.mark.parametrize(
    "labels",
    [
        ["Réunions publiques (votre réponse)", "Budget & co", "Conseil <jeunes>", "Autre"],
        [" leading space", "trailing space ", "a bell\x07 in it", "_x0041_ as written"],
        ["émoji 😀", "two\nlines", "a\ttab", "quotes \"' here"],
    ],
    ids=["marked", "spaces-and-escapes", "unicode-and-breaks"],
)
def test_a_workbook_relabelled_is_the_one_xlsxwriter_writes(monkeypatch, labels):
    """A workbook whose data differ from one written before by their categories' names
    alone is that one with its shared strings written again: the bytes xlsxwriter
    writes for those names (the workbook caches emptied, so that it writes them)."""
    from deckgen.render import workbook

    monkeypatch.setattr(workbook, "_WRITTEN", {})
    monkeypatch.setattr(workbook, "_SHAPES", {})
    relabelled = []
    original = workbook._relabelled
    monkeypatch.setattr(workbook, "_relabelled", lambda *a: relabelled.append(a) or original(*a))
    before = ["Réunions publiques", "Budget & co", "Conseil <jeunes>", "Autre"]
    assert _chart_data(before).xlsx_blob[:2] == b"PK"  # written by xlsxwriter, kept
    fast = _chart_data(labels).xlsx_blob
    assert len(relabelled) == 1  # the names written again, not the workbook
    workbook._WRITTEN.clear()
    workbook._SHAPES.clear()
    assert fast == _chart_data(labels).xlsx_blob and len(relabelled) == 1


@pytest.mark.parametrize(
    "labels",
    [
        ["same", "same", "c", "d"],
        ["", "b", "c", "d"],
        ["{=A1}", "b", "c", "d"],
        ["Ensemble (n = 31)", "b", "c", "d"],
    ],
    ids=["repeated", "empty", "array-formula", "a-series-name"],
)
def test_names_xlsxwriter_writes_otherwise_are_written_by_it(monkeypatch, labels):
    """Names that are not one shared string each (repeated, empty, a formula, a
    series' name): xlsxwriter writes the workbook."""
    from deckgen.render import workbook

    monkeypatch.setattr(workbook, "_WRITTEN", {})
    monkeypatch.setattr(workbook, "_SHAPES", {})
    relabelled = []
    monkeypatch.setattr(workbook, "_relabelled", lambda *a: relabelled.append(a))
    assert _chart_data(["a", "b", "c", "d"]).xlsx_blob[:2] == b"PK"
    assert _chart_data(labels).xlsx_blob and relabelled == []


def test_a_zip_s_entries_are_read_compressed_past_each_local_header():
    """`workbook._packed` finds each entry's compressed bytes past its local header,
    whose extra field may be longer than the directory's: each decompresses to the
    entry (zlib, raw deflate), and each carries the CRC `zipfile` read."""
    import io
    import zipfile
    import zlib

    from deckgen.render.workbook import _packed

    contents = {"a.xml": b"<a/>" * 50, "b/c.xml": "é".encode() * 99, "empty": b""}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for i, (name, data) in enumerate(contents.items()):
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.extra = b"\xfe\xca" + (4 * i).to_bytes(2, "little") + b"x" * (4 * i)
            dst.writestr(info, data)
    entries = _packed(out.getvalue())
    assert [info.filename for info, _ in entries] == list(contents)
    for info, packed in entries:
        data = zlib.decompressobj(-15).decompress(packed)
        assert data == contents[info.filename] and zlib.crc32(data) == info.CRC
