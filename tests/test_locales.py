"""One catalogue per locale, complete, and decks without another locale's words.

The seed deck built with `locale: en` keeps the survey's French texts (its
questions and options) but none of the words deckgen generates in French
(footnotes, notes, alt texts, legends, exports, image footnotes), and the
French deck none of the English ones; the same for the German deck, the third
locale, which proves that a locale is one file (deckgen/locales/de.py): its words,
its number format, its plural and ordinal rules, checked here against CLDR's
(babel, an independent implementation).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

import deckgen
from deckgen.locales import LOCALES, words

from .helpers import CODEBOOK, COMMUNES_VS_OTHERS, ROOT, SPEC, replace_in


def test_every_catalogue_has_every_key():
    keys = {locale: set(words(locale).texts) for locale in LOCALES}
    reference = keys["fr"]
    for locale, found in keys.items():
        assert found == reference, (locale, found ^ reference)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in _strings(v)]
    return []


def _fragments(locale: str, other: str, inputs: str) -> set[str]:
    """The words only `locale`'s catalogue generates: each entry cut at its `{fields}`,
    pieces with a word of 4+ letters that the other catalogue does not have and the
    inputs (spec, codebook: the survey's own texts) do not hold."""
    theirs = " ".join(_strings(words(other).texts))
    pieces = set()
    for text in _strings(words(locale).texts):
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" .,;:()«»“”·–-")
            if re.search(r"[^\W\d_]{4,}", piece) and piece not in theirs and piece not in inputs:
                pieces.add(piece)
    return pieces


def _deck_texts(path: Path) -> str:
    """Every text of a deck a person reads: shapes, charts, alternative texts, notes.
    (Shape names are identifiers, as python-pptx's own "Slide Image Placeholder".)"""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") and name.startswith(
                ("ppt/slides/", "ppt/notesSlides/", "ppt/charts/")
            ):
                root = etree.fromstring(z.read(name))
                out.extend(t for t in root.itertext())
                out.extend(root.xpath("//@descr"))
    return "\n".join(out)


ANALYSES = f"""deck:
  title: "Analyses"
  data: {CODEBOOK}
  locale: fr
slides:
  - layout: chart
    title: "Communes et autres"
    charts:
      - type: bar
        indicator:
          kind: multi
          question: dispositifs_numeriques
          by: type_collectivite
          segments: {COMMUNES_VS_OTHERS}
          total: true
          test: rest
      - type: table
        indicator: {{kind: mean, question: population, by: type_collectivite, test: pairwise}}
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory, real_deck):
    folder = tmp_path_factory.mktemp("locales")
    shutil.copytree(ROOT / "config", folder / "config")
    shutil.copytree(CODEBOOK.parent, folder / "data" / "barometre-2021")
    shutil.copytree(ROOT / "layouts", folder / "layouts")
    english = folder / "config" / "english.yaml"
    shutil.copy(folder / "config" / "barometre-2021.yaml", english)
    replace_in(english, "  locale: fr\n", "  locale: en\n")
    german = folder / "config" / "german.yaml"
    shutil.copy(folder / "config" / "barometre-2021.yaml", german)
    replace_in(german, "  locale: fr\n", "  locale: de\n")
    # breakdowns, a table, means, significance tests: their words too
    analyses = folder / "config" / "analyses.yaml"
    analyses.write_text(ANALYSES, encoding="utf-8")
    analyses_en = folder / "config" / "analyses-en.yaml"
    analyses_en.write_text(ANALYSES.replace("  locale: fr\n", "  locale: en\n"), "utf-8")
    analyses_de = folder / "config" / "analyses-de.yaml"
    analyses_de.write_text(ANALYSES.replace("  locale: fr\n", "  locale: de\n"), "utf-8")
    out = {}
    evolution = ROOT / "config" / "barometre-evolution.yaml"  # trends over editions
    specs = (("fr", SPEC), ("en", english), ("de", german), ("fr", analyses),
             ("en", analyses_en), ("de", analyses_de), ("fr", evolution))  # fmt: skip
    for locale, spec in specs:
        project = deckgen.load(spec)
        report = project.build(folder / f"{locale}.pptx")
        xlsx = folder / f"{locale}.xlsx"
        rows = project.write_figures(xlsx=xlsx)
        sheet = load_workbook(xlsx).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        images = project.images(None)
        exported = [str(v) for row in rows for v in row.values()]
        out[locale] = out.get(locale, "") + "\n".join(
            [_deck_texts(report.path), *cells, sheet.title, *exported,
             *(i.footnote for i in images), *project.table_headers()]
        )  # fmt: skip
    # the English example surveys: English decks from English inputs
    for name in ("gss-2018-spending", "ess-2020-norway"):
        project = deckgen.load(ROOT / "config" / f"{name}.yaml")
        report = project.build(folder / f"{name}.pptx")
        rows = project.write_figures(xlsx=folder / f"{name}.xlsx")
        sheet = load_workbook(folder / f"{name}.xlsx").active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        out[name] = "\n".join(
            [_deck_texts(report.path), *cells, sheet.title,
             *(str(v) for r in rows for v in r.values()),
             *(i.footnote for i in project.images(None)), *project.table_headers()]
        )  # fmt: skip
    inputs = SPEC.read_text(encoding="utf-8") + CODEBOOK.read_text(encoding="utf-8")
    return out, inputs


@pytest.mark.parametrize(("locale", "other"), [(a, b) for a in LOCALES for b in LOCALES if a != b])
def test_a_deck_has_no_generated_word_of_another_locale(decks, locale, other):
    texts, inputs = decks
    foreign = _fragments(other, locale, inputs)
    assert len(foreign) >= 20  # the check reads the catalogue, not a handful of words
    found = sorted(f for f in foreign if f in texts[locale])
    assert not found, f"{other} words in the {locale} deck and its exports: {found}"


def test_the_english_example_deck_has_no_french_at_all(decks):
    """The General Social Survey deck: English data, English spec, English deck --
    none of the French catalogue's words, not even the shortest, and no French
    typography (narrow no-break space before %, guillemets)."""
    texts, _ = decks
    french = _fragments("fr", "en", "")
    examples = (
        ("gss-2018-spending", "Base: 2,348 respondents"),
        ("ess-2020-norway", "Base: 1,407 respondents; weighted figures"),
    )
    for name, base in examples:
        text = texts[name]
        assert not sorted(f for f in french if f in text), name
        assert "\u202f%" not in text and "«" not in text and "»" not in text
        assert base in text


def test_the_english_deck_speaks_english(decks):
    texts, _ = decks
    english = texts["en"]
    assert "Base: 31 collectivités" in english
    assert "several answers possible" in english
    assert "Published figures." in english
    assert "97%" in english and "97\u202f%" not in english


def test_the_german_deck_speaks_german(decks):
    """The third locale end to end: its words and its typography (DIN 5008: a space
    before %, a point between thousands), none of French's or English's."""
    texts, _ = decks
    german = texts["de"]
    assert "Basis: 31 collectivités" in german
    assert "Mehrfachnennungen möglich" in german
    assert "Veröffentlichte Daten." in german
    assert "97\u00a0%" in german and "97\u202f%" not in german and "97%" not in german
    assert "Gesamt (n\u00a0=\u00a031)" in german  # the analyses deck's total
    assert "Kennzahlen" in german  # the export's sheet


# -- a locale's rules, against CLDR's (babel: an independent implementation) ----------

NUMBERS = (0, 7, 31, 999, 1000, 1407, 12500, 2347.5, 1234567.25)
FRACTIONS = (0.0, 0.07, 0.333, 0.97, 1.0, 0.4567)


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_are_written_as_cldr_writes_them(locale):
    from babel.numbers import format_decimal

    from deckgen.locales.numbers import format_number

    for value in NUMBERS:
        digits = len(str(value).split(".")[1]) if isinstance(value, float) else 0
        expected = format_decimal(value, locale=locale, decimal_quantization=False)
        assert format_number(value, locale, digits) == expected, (locale, value)


@pytest.mark.parametrize("locale", LOCALES)
def test_percents_are_written_as_cldr_writes_them(locale):
    """No tie among FRACTIONS (CLDR rounds half to even, reports half up). French
    sets a narrow no-break space before % where CLDR has a no-break space: the
    Imprimerie nationale's espace fine, the only difference, stated here."""
    from babel.numbers import format_percent as cldr

    from deckgen.locales.numbers import format_percent

    for value in FRACTIONS:
        expected = cldr(value, locale=locale)
        if locale == "fr":
            expected = expected.replace("\u00a0%", "\u202f%")
        assert format_percent(value, locale) == expected, (locale, value)


@pytest.mark.parametrize("locale", LOCALES)
def test_plurals_and_ordinals_follow_cldr_categories(locale):
    """A count takes the singular where CLDR's plural category is `one`; an ordinal's
    ending follows CLDR's ordinal category (en: one st, two nd, few rd, other th;
    fr: one er, other e; de: a point for all)."""
    from babel import Locale

    cldr = Locale.parse(locale)
    endings = {
        "fr": {"one": "er", "other": "e"},
        "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
        "de": {"other": "."},
    }[locale]
    w = words(locale)
    for n in (*range(0, 30), 100, 101, 102, 103, 111, 112, 113, 1000):
        assert w.plural(n, "one", "many") == ("one" if cldr.plural_form(n) == "one" else "many")
        assert w.ordinal(n) == f"{n}{endings[cldr.ordinal_form(n)]}", (locale, n)


def test_a_locale_is_one_file(tmp_path):
    """A copy of the package with one more catalogue file: the spec accepts the new
    locale, the command line offers it, and a deck is built in it."""
    import subprocess
    import sys

    package = tmp_path / "pkg" / "deckgen"
    shutil.copytree(ROOT / "deckgen", package, ignore=shutil.ignore_patterns("__pycache__"))
    source = (package / "locales" / "de.py").read_text(encoding="utf-8")
    (package / "locales" / "xx.py").write_text(source.replace('"Basis', '"XBasis'), "utf-8")
    spec = tmp_path / "xx.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").replace("  locale: fr\n", "  locale: xx\n")
                    .replace("../data/", f"{ROOT}/data/").replace("../layouts/", f"{ROOT}/layouts/")
                    .replace("theme: ", f"theme: {ROOT}/config/"),
                    "utf-8")  # fmt: skip
    code = (
        "import deckgen, deckgen.api, deckgen.cli\n"
        "print(deckgen.api.locales())\n"
        "print(deckgen.cli.parser().parse_args(['init', 's.csv', '--locale', 'xx']).locale)\n"
        f"print(deckgen.load({str(spec)!r}).build({str(tmp_path / 'xx.pptx')!r}).path)\n"
    )
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path / "pkg")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    offered, chosen = proc.stdout.splitlines()[:2]
    assert "'xx'" in offered and chosen == "xx"
    assert "XBasis: 31" in _deck_texts(tmp_path / "xx.pptx")


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_a_callout_on_the_chart_s_base_is_not_given_that_base_again(tmp_path, locale):
    """A chart of everyone, tested by sex, beside a callout of everyone: one base, said
    once, in every locale. The chart's part goes on after the locale's separator ("; " in
    English and German, " ; " in French), which the merging once knew only in French:
    English and German footnotes said "Base: 2,346 respondents" twice."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"""deck:
  title: "Base"
  data: {ROOT / "data" / "gss-2018-spending" / "codebook.yaml"}
  locale: {locale}
slides:
  - layout: chart
    title: "Work"
    chart:
      type: bar
      indicator: {{kind: share, condition: {{question: wrkstat, in: [1]}}, by: sex, test: rest}}
    callouts:
      - indicator: {{kind: share, condition: {{question: wrkstat, in: [1]}}}}
        text: "work full time"
""", encoding="utf-8")  # fmt: skip
    import pandas as pd

    rows = pd.read_csv(ROOT / "data" / "gss-2018-spending" / "responses.csv")
    n = int(rows["wrkstat"].notna().sum())  # those who answered: 2,346 of 2,348
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    footnote = report.plan.slides[0].footnote
    w = words(locale)
    base = w("base", n=w.number(n), unit="respondents")
    assert footnote.count(w.number(n)) == 1, footnote
    assert footnote.startswith(base + w("sep")), footnote
