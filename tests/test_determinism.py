"""Same inputs, same bytes: a deck can be committed, diffed and cached."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from deckgen.files import FIXED_DATE, WORKBOOK_DATE, normalize
from deckgen.workflows.pipeline import build

from .helpers import SPEC, project_copy, run_cli


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _first_difference(a: bytes, b: bytes) -> str:
    pa, pb = _parts(a), _parts(b)
    if pa.keys() != pb.keys():
        return f"different parts: {sorted(pa.keys() ^ pb.keys())[:10]}"
    for name in pa:
        if pa[name] != pb[name]:
            if name.endswith(".xlsx"):
                return f"{name}: " + _first_difference(pa[name], pb[name])
            return f"{name} differs"
    return "same parts, different zip metadata"


def test_two_builds_in_one_process_are_identical(real_deck, tmp_path: Path):
    again = build(SPEC, tmp_path / "again.pptx").path
    a, b = real_deck.path.read_bytes(), again.read_bytes()
    assert a == b, _first_difference(a, b)


def test_a_build_in_another_process_from_another_folder_is_identical(real_deck, tmp_path: Path):
    """A fresh interpreter (another hash seed: set and dict orders change), the
    spec given by a relative path from a copy of the project elsewhere."""
    spec = project_copy(tmp_path / "elsewhere")
    proc = run_cli("build", spec.relative_to(tmp_path), "-o", "copy.pptx", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    a, b = real_deck.path.read_bytes(), (tmp_path / "copy.pptx").read_bytes()
    assert a == b, _first_difference(a, b)


def test_no_clock_time_in_the_deck_or_its_workbooks(real_deck):
    """Every zip entry has its fixed date (the deck's FIXED_DATE, each embedded
    workbook's WORKBOOK_DATE), and no part mentions today's date."""
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d").encode()
    data = real_deck.path.read_bytes()
    workbooks = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            assert info.date_time == FIXED_DATE, info.filename
            blob = z.read(info.filename)
            assert today not in blob, info.filename
            if info.filename.endswith(".xlsx"):
                workbooks += 1
                with zipfile.ZipFile(io.BytesIO(blob)) as wb:
                    for inner in wb.infolist():
                        assert inner.date_time == WORKBOOK_DATE, (info.filename, inner.filename)
                        assert today not in wb.read(inner.filename), (info.filename, inner.filename)
    assert workbooks >= 20  # one per native chart: the check did look inside them


def _restamp(data: bytes, date_time: tuple, iso: bytes) -> bytes:
    """The same package as written at another moment: other zip dates and other
    document timestamps, in the deck and in every embedded workbook."""
    import re

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                blob = _restamp(blob, date_time, iso)
            elif info.filename.endswith("core.xml"):
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso, blob)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=date_time), blob)
    return out.getvalue()


def test_normalize_erases_the_moment_of_writing(real_deck):
    """What a build at another time would differ by (zip dates, the embedded
    workbooks' timestamps) is normalised away; the deck's own document dates are the
    spec's (or, in a deck `update` refreshes, the team's): kept."""
    data = real_deck.path.read_bytes()
    later = _restamp(data, (2031, 12, 24, 23, 59, 58), b"2031-12-24T23:59:58Z")
    assert later != data
    parts = _parts(later)
    assert b"2031-12-24" in parts["docProps/core.xml"]
    workbook = next(blob for name, blob in parts.items() if name.endswith(".xlsx"))
    assert b"2031-12-24" in _parts(workbook)["docProps/core.xml"]
    again = _parts(normalize(later))
    assert again.pop("docProps/core.xml") == parts["docProps/core.xml"]  # the deck's: kept
    original = _parts(data)
    assert b"2021-07-01" in original.pop("docProps/core.xml")  # the spec's date: 01 07 2021
    assert again == original
    assert [i.date_time for i in zipfile.ZipFile(io.BytesIO(normalize(later))).infolist()] == [
        FIXED_DATE
    ] * len(original | {"docProps/core.xml": b""})


def test_chart_workbooks_are_written_in_normal_form():
    """The workbook behind a chart is written as `normalize` would write it, so
    saving keeps its bytes; a copy stamped at another moment normalises back to them."""
    from deckgen.render.workbook import ChartData

    data = ChartData(number_format="0%")
    data.categories = ["Oui", "Non"]
    data.add_series("Série", [0.25, 0.75])
    blob = data.xlsx_blob
    assert normalize(blob, WORKBOOK_DATE) is blob  # already normal: not rewritten
    parts = _parts(blob)
    assert (
        b'<dcterms:created xsi:type="dcterms:W3CDTF">2021-07-01T00:00:00Z<'
        in parts["docProps/core.xml"]
    )
    later = _restamp(blob, (2031, 12, 24, 23, 59, 58), b"2031-12-24T23:59:58Z")
    assert later != blob and normalize(later, WORKBOOK_DATE) == blob


def test_document_dates_come_from_the_spec_never_the_clock(gss_deck, tmp_path, monkeypatch):
    """The GSS deck (`date: "2018"`) is dated 2018-01-01, not the Baromètre's 2021;
    SOURCE_DATE_EPOCH, when set, dates every deck; a spec without a date gives an
    undated deck; a subtitle past PowerPoint's 255 characters is cut, not a crash."""
    from pptx import Presentation

    from .helpers import CODEBOOK

    assert Presentation(str(gss_deck.path)).core_properties.created.date().isoformat() == (
        "2018-01-01"
    )
    spec = tmp_path / "undated.yaml"
    long = "Une réponse très longue prise comme nom " * 10
    spec.write_text(
        f'deck:\n  title: "Sans date"\n  subtitle: "{long}"\n  data: {CODEBOOK}\n'
        "slides:\n  - layout: title\n    title: Sans date\n",
        encoding="utf-8",
    )
    props = Presentation(str(build(spec, tmp_path / "a.pptx").path)).core_properties
    assert props.created is None and props.modified is None
    assert len(long) > 255 and len(props.subject) <= 255 and props.subject.endswith("…")
    assert long.startswith(props.subject[:-1])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 UTC
    props = Presentation(str(build(spec, tmp_path / "b.pptx").path)).core_properties
    assert props.created.date().isoformat() == "2023-11-14"
