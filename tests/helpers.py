"""Shared helpers for the robustness tests (LibreOffice, validity, determinism, bad input).

Everything here drives real components: the CLI in a subprocess, python-pptx,
openxml-audit, LibreOffice and poppler. Nothing is mocked.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "config" / "barometre-2021.yaml"
DATA = ROOT / "data" / "barometre-2021"
CODEBOOK = DATA / "codebook.yaml"
THEME = ROOT / "config" / "theme.yaml"
TEMPLATE = ROOT / "layouts" / "deckgen-template.pptx"
AUDIT = Path(sys.executable).parent / "openxml-audit"


# -- copies of the real project ------------------------------------------------


def flat(shapes):
    """Every shape of a shape collection, those inside groups too (a chart grouped with
    its title); a keyed group (the regions map) is one shape, as update reads it."""
    for shape in shapes:
        if shape.shape_type == 6 and not shape.name.endswith("]"):
            yield from flat(shape.shapes)
        else:
            yield shape


def project_copy(dest: Path) -> Path:
    """Copy config/, data/barometre-2021/ and layouts/ under `dest` (same relative
    layout, so the spec's `../data/...` paths resolve); return the spec's path."""
    shutil.copytree(ROOT / "config", dest / "config")
    shutil.copytree(DATA, dest / "data" / "barometre-2021")
    shutil.copytree(ROOT / "layouts", dest / "layouts")
    return dest / "config" / "barometre-2021.yaml"


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a text file; fail loudly if `old` is not there
    (a test whose mutation silently did nothing would pass for the wrong reason)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found {count} time(s) in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` containing `needle`."""
    # lines end at "\n" only, as YAML and editors count them (splitlines would also
    # end one at a vertical tab or a form feed)
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def set_cells(csv_path: Path, changes: dict[tuple[str, str], str]) -> None:
    """Set cells of a responses CSV: {(respondent id, column): value}."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for (rid, col), value in changes.items():
        row = next(r for r in rows[1:] if r[0] == rid)
        row[header.index(col)] = value
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def read_rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- small specs over the real data ------------------------------------------


def deck_header(**extra: object) -> dict:
    """The `deck:` block of a small spec, pointing at the real data, theme and template."""
    deck = {
        "title": "Essai",
        "data": str(CODEBOOK),
        "theme": str(THEME),
        "template": str(TEMPLATE),
        "locale": "fr",
    }
    deck.update(extra)
    return deck


def write_spec(path: Path, slides: list[dict], **deck: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(
            {"deck": deck_header(**deck), "slides": slides}, allow_unicode=True, sort_keys=False
        ),
        encoding="utf-8",
    )
    return path


def _chart_slide(title: str, chart: dict) -> dict:
    return {"layout": "chart", "title": title, "chart": chart}


# One small deck per registered chart kind (tests/test_registries.py checks that none
# is missing), plus a callouts-only deck and the text layouts.
# Each value is the list of slides; titles are distinct so a PDF page can be matched.
SMALL_DECKS: dict[str, list[dict]] = {
    "bar": [
        _chart_slide(
            "Essai barres",
            {
                "type": "bar",
                "indicator": {
                    "kind": "multi",
                    "question": "dispositifs_numeriques",
                    "sort": "desc",
                },
            },
        )
    ],
    "column": [
        _chart_slide(
            "Essai colonnes",
            {
                "type": "column",
                "indicator": {"kind": "distribution", "question": "etp_participation"},
            },
        )
    ],
    "stacked100": [
        _chart_slide(
            "Essai Likert",
            {
                "type": "stacked100",
                "indicator": {"kind": "likert", "question": "utilite", "sort": "desc"},
            },
        )
    ],
    "pie": [
        _chart_slide(
            "Essai camembert",
            {"type": "pie", "indicator": {"kind": "distribution", "question": "type_collectivite"}},
        )
    ],
    "doughnut": [
        _chart_slide(
            "Essai anneau",
            {"type": "doughnut", "indicator": {"kind": "distribution", "question": "visio_avenir"}},
        )
    ],
    "ranking": [
        _chart_slide(
            "Essai classement",
            {
                "type": "ranking",
                "indicator": {
                    "kind": "ranking",
                    "question": "actions_renforcer",
                    "top": 3,
                    "sort": "desc",
                },
            },
        )
    ],
    "table": [
        _chart_slide(
            "Essai tableau",
            {"type": "table", "indicator": {"kind": "distribution", "question": "logiciel"}},
        )
    ],
    "map": [
        _chart_slide(
            "Essai carte",
            {"type": "map", "indicator": {"kind": "distribution", "question": "region"}},
        )
    ],
    "callouts": [
        {
            "layout": "callouts",
            "title": "Essai chiffres clés",
            "callouts": [
                {"indicator": {"kind": "count"}, "text": "réponses"},
                {
                    "indicator": {
                        "kind": "share",
                        "condition": {"question": "logiciel", "in": ["libre"]},
                    },
                    "text": "utilisent un **logiciel libre**",
                },
                {
                    "indicator": {"kind": "multi", "question": "sources_information"},
                    "option": "presse",
                    "text": "s'informent par la presse",
                },
            ],
        }
    ],
    "text": [
        {"layout": "title", "title": "Essai titre", "subtitle": "Sous-titre"},
        {"layout": "section", "number": "1", "title": "Essai section"},
        {"layout": "closing", "title": "Essai fin", "text": ["Merci de votre attention"]},
    ],
}


def build_small_decks(folder: Path) -> dict[str, Path]:
    """Build every SMALL_DECKS deck into `folder`; return name -> .pptx path."""
    from deckgen.workflows.pipeline import build

    out = {}
    for name, slides in SMALL_DECKS.items():
        spec = write_spec(folder / "specs" / f"{name}.yaml", slides)
        out[name] = build(spec, folder / f"{name}.pptx").path
    return out


# -- running the CLI ---------------------------------------------------------


class CliRun:
    """What an in-process run of the command line gave: exit code, stdout, stderr."""

    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: object) -> CliRun:
    """The real `deckgen` entry point, in this process (the same code path as the command).

    A crash (exit code 1, "internal error") re-raises the exception with its
    traceback, so a test shows the bug rather than a bare exit code.
    """
    import contextlib
    import io
    from unittest import mock

    from deckgen import cli

    out, err = io.StringIO(), io.StringIO()
    plain = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    with (
        mock.patch.dict(os.environ, plain, clear=True),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = cli.run([str(a) for a in args])
        except SystemExit as exc:  # argparse: a usage mistake
            code = exc.code if isinstance(exc.code, int) else 1
    return CliRun(code, out.getvalue(), err.getvalue())


def run_cli(
    *args: object, cwd: Path | None = None, timeout: int = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`python -m deckgen.cli ARGS` in a subprocess, as a user runs it (`env`: extra variables)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")},
        **(env or {}),
    }
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("DECKGEN_DEBUG", None)
    env["COLUMNS"] = "400"  # a coloured message must not be wrapped
    return subprocess.run(
        [sys.executable, "-m", "deckgen.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# -- openxml-audit -------------------------------------------------------------


def audit(path: Path) -> dict:
    """openxml-audit's JSON report for one file (strict policy, every error listed)."""
    reports = audit_all(path)
    assert len(reports) == 1, reports
    return next(iter(reports.values()))


def audit_all(path: Path) -> dict[str, dict]:
    """Reports for a file, or for every .pptx of a folder in one run: file name -> report.
    Each report gets `returncode`, the exit status of the run (0: nothing found)."""
    args = ["--recursive"] if path.is_dir() else []
    proc = subprocess.run(
        [
            str(AUDIT),
            "--output",
            "json",
            "--max-errors",
            "0",
            "--policy",
            "strict",
            *args,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        reports = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"openxml-audit gave no JSON (exit {proc.returncode}): {proc.stdout}{proc.stderr}"
        ) from None
    for report in reports:
        report["returncode"] = proc.returncode
    return {Path(r["file"]).name: r for r in reports}


# -- LibreOffice and poppler ---------------------------------------------------


def to_pdf(soffice: str, decks: list[Path], outdir: Path, timeout: int = 300) -> dict[Path, Path]:
    """Convert every deck to PDF in ONE soffice run (it takes seconds to start)."""
    from .conftest import rendering_in

    rendering_in("LibreOffice")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    proc = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, decks),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    pdfs = {deck: outdir / (deck.stem + ".pdf") for deck in decks}
    missing = [str(d) for d, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, (
        f"LibreOffice did not convert {missing} (exit {proc.returncode}): "
        f"{proc.stdout}{proc.stderr}"
    )
    return pdfs


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def pdf_page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u200b]+")


def squash(text: str) -> str:
    """Text with every kind of space removed and typographic quotes made plain: a
    PDF breaks lines where the slide wraps, and LibreOffice may turn a narrow
    no-break space into a plain one, so only the sequence of visible characters
    is compared."""
    text = (
        text.replace("\u2019", "'")
        .replace("\u00ad", "")
        .replace("\ufb01", "fi")
        .replace("\ufb02", "fl")
    )
    return _SPACES.sub("", text)


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PERCENT_WORD = re.compile(r"\d+(?:[.,]\d+)?%")
_NUMBER_WORD = re.compile(r"\d+(?:[.,]\d+)?")


def pdf_bbox(pdf: Path) -> str:
    """`pdftotext -bbox`: every word of `pdf` with its box, page by page (XHTML)."""
    return subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_percent_figures(pdf: Path) -> list[list[str]]:
    """The percent figures printed on each page of `pdf` ("97 %" -> "97"), sorted.

    Read from word boxes (`pdftotext -bbox`), not from the text flow: a number and
    its "%" are paired when they sit on one line side by side, so text another
    engine draws across them (an evaluation watermark) cannot split or merge them.
    """
    return [sorted(text for *_, text in page) for page in pdf_figure_boxes(pdf)]


def pdf_figure_boxes(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's percent figures with their boxes (points): ("97" of "97 %", and the
    box from the number to its "%"), paired as pdf_percent_figures says."""
    html = pdf_bbox(pdf)
    pages = []
    for page in html.split("<page ")[1:]:
        words = [
            (float(a), float(b), float(c), float(d), t) for a, b, c, d, t in _WORD.findall(page)
        ]
        figures = [(*w[:4], w[4][:-1]) for w in words if _PERCENT_WORD.fullmatch(w[4])]
        for x0, y0, x1, y1, text in words:
            if text != "%":
                continue
            height = y1 - y0
            left = [
                w
                for w in words
                if _NUMBER_WORD.fullmatch(w[4])
                and abs(w[1] - y0) < height / 3
                and -height / 4 <= x0 - w[2] < height  # side by side, kerned a little into it
            ]
            if left:
                n = max(left, key=lambda w: w[2])
                figures.append((n[0], min(n[1], y0), x1, max(n[3], y1), n[4]))
        pages.append(figures)
    return pages


# -- breakdowns on the Baromètre ------------------------------------------------------------

#: the Baromètre's communes against the other collectivités, as `segments:` in a spec
COMMUNES_VS_OTHERS = (
    "{Communes: [commune], Autres: [intercommunalite, metropole, departement, region]}"
)


def communes_spec(folder: Path, extra: str = "", chart: str = "bar") -> Path:
    """A one-slide French spec: the digital tools, communes against the others
    (`extra`: more indicator keys, each line indented by 8 spaces)."""
    spec = folder / "spec.yaml"
    spec.write_text(
        f"""deck:
  title: "Segments"
  data: {CODEBOOK}
slides:
  - layout: chart
    title: "Communes et autres"
    chart:
      type: {chart}
      indicator:
        kind: multi
        question: dispositifs_numeriques
        by: type_collectivite
        segments: {COMMUNES_VS_OTHERS}
{extra}""",
        encoding="utf-8",
    )
    return spec


# -- chart labels printed whole -------------------------------------------------------


def _page_words(pdf) -> list[Counter]:
    """Each page's words, as the PDF prints them (`pdftotext -bbox`); a word a client
    broke after its hyphen ("Sør-" / "Østlandet") counts whole too."""
    pages = []
    for page in pdf_bbox(pdf).split("<page ")[1:]:
        words = [_plain(t) for *_, t in _WORD.findall(page)]
        joined = [a + b for a, b in zip(words, words[1:]) if a.endswith("-")]
        pages.append(Counter(words + joined))
    return pages


def _plain(word: str) -> str:
    word = html.unescape(word)  # pdftotext writes XHTML: l&apos;avis
    return word.replace("\u2019", "'").replace("\ufb01", "fi").replace("\ufb02", "fl")


def chart_labels_missing(
    deck: Path, pdf: Path, at_least: int = 1, unless: tuple[str, ...] = ()
) -> dict[int, dict[str, int]]:
    """Per page of `pdf` (`deck` rendered by a client), the words of chart labels
    deckgen wrote (categories; series names in a legend) that the page does not print:
    a client that cuts a label with "…" leaves its last words out. A label deckgen
    shortened itself ends in "…" in the deck too, so both clients print that label.
    `at_least`: the label words the deck must hold (a check of many, not a handful);
    `unless`: the charts (by name) the build warned do not fit, left out."""
    from pptx import Presentation

    from deckgen.render.identity import label_of

    wanted = []
    for slide in Presentation(str(deck)).slides:
        labels = []
        for shape in flat(slide.shapes):
            if not getattr(shape, "has_chart", False) or label_of(shape.name) in unless:
                continue
            chart = shape.chart
            for plot in chart.plots:
                slices = type(plot).__name__ in ("PiePlot", "DoughnutPlot")
                if not slices or chart.has_legend:  # a pie's categories: in its legend
                    labels += [str(c) for c in plot.categories]
                if chart.has_legend and len(plot.series) > 1:  # a legend of series
                    labels += [s.name for s in plot.series]
        wanted.append(Counter(_plain(w) for label in labels for w in label.split()))
    assert sum(map(len, wanted)) >= at_least
    printed = _page_words(pdf)
    assert len(printed) == len(wanted)
    return {
        page: dict(want - have)
        for page, (want, have) in enumerate(zip(wanted, printed), 1)
        if want - have
    }


# -- the crowded test deck ---------------------------------------------------------------

LONG = ("Spending priorities of respondents across many different programmes " * 80)[:5000]
GSS = ROOT / "data" / "gss-2018-spending"
SEVEN = ["age", "sex", "degree", "race", "partyid", "polviews", "wrkstat"]


def crowded_spec(folder: Path) -> Path:
    """The crowded test deck's spec, written in `folder` with its codebook: the English
    example survey (GSS 2018) with a codebook label, titles, remarks, footnotes, callout
    sentences and texts of 5,000 characters, a section number of 500 digits and slides of
    seven charts with legends (tests/test_fitting.py)."""
    codebook = yaml.safe_load((GSS / "codebook.yaml").read_text(encoding="utf-8"))
    codebook["survey"]["responses"] = str(GSS / "responses.csv")
    news = next(q for q in codebook["questions"] if q["id"] == "news")
    news["options"][0]["label"] = LONG  # a 5,000-character answer label
    (folder / "codebook.yaml").write_text(
        yaml.safe_dump(codebook, allow_unicode=True), encoding="utf-8"
    )
    doughnuts = [
        {"type": "doughnut", "title": q.capitalize(), "indicator": {"kind": "distribution",
         "question": q}}
        for q in SEVEN
    ]  # fmt: skip
    bars = [
        {"type": "bar", "title": f"{q.capitalize()} of the respondents, all of them",
         "indicator": {"kind": "distribution", "question": q}}
        for q in SEVEN
    ]  # fmt: skip
    footnote = (
        "Base: 2,348 respondents of the General Social Survey 2018, each chart on those "
        "who answered its question; unweighted figures; categories as the survey asked "
        "them, in the order of the questionnaire; percentages rounded half up. "
    ) * 2
    slides = [
        {"layout": "title", "title": LONG, "subtitle": LONG},
        {"layout": "chart", "title": "Seven charts with their legends", "charts": doughnuts,
         "remark": "Each chart has its own base", "footnote": footnote},
        {"layout": "chart", "title": "Seven bar charts and a long footnote", "charts": bars,
         "footnote": footnote * 2},
        {"layout": "chart", "title": LONG, "remark": LONG, "footnote": LONG,
         "chart": {"type": "bar", "title": LONG,
                   "indicator": {"kind": "distribution", "question": "news"}}},
        {"layout": "section", "title": LONG, "number": "9" * 500},
        {"layout": "callouts", "title": "Callouts", "callouts": [
            {"indicator": {"kind": "count"}, "text": LONG},
            {"indicator": {"kind": "distribution", "question": "sex"}, "option": "1",
             "text": "are women"},
            {"indicator": {"kind": "count"}, "text": LONG[:300]},
            {"indicator": {"kind": "count"}, "text": "short"},
            {"indicator": {"kind": "count"}, "text": LONG[:120]}]},
        {"layout": "chart", "title": "Text", "text": [
            LONG[:400], {"heading": LONG[:200], "bullets": [LONG, "a bullet"]}, LONG]},
        {"layout": "chart", "title": "Text beside callouts", "text": [LONG],
         "callouts": [{"indicator": {"kind": "count"}, "text": LONG}]},
        {"layout": "closing", "title": LONG, "text": [LONG]},
    ]  # fmt: skip
    spec = {
        "deck": {"title": "Crowded", "data": "codebook.yaml", "locale": "en",
                 "footer": LONG[:300]},
        "slides": slides,
    }  # fmt: skip
    path = folder / "crowded.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


# -- nothing printed over anything else ------------------------------------------------

_GROUP = 6  # MSO_SHAPE_TYPE.GROUP


def shapes_over_each_other(deck: Path) -> list[tuple[int, str, str]]:
    """(slide, shape, shape) for every two shapes of a slide whose rectangles meet,
    read with python-pptx: a group is looked into, each child placed on the slide
    through the group's own transform; a keyed group (the regions map) is one shape.
    The parts of one callout (its card, figure, text, a recipient's line) lie on
    each other by design; nothing else may."""
    from pptx import Presentation

    from deckgen.render.identity import label_of

    def placed(shapes, frame):
        """Each shape's name and rectangle on the slide; `frame` maps a rectangle of
        the collection's coordinates onto the slide."""
        for shape in shapes:
            rect = frame(shape.left, shape.top, shape.width, shape.height)
            if shape.shape_type == _GROUP and not shape.name.endswith("]"):
                xfrm = shape._element.grpSpPr.xfrm  # its children's coordinates: chOff, chExt
                yield from placed(shape.shapes, _onto(rect, xfrm.chOff, xfrm.chExt))
            else:
                yield label_of(shape.name), rect

    def block(name: str) -> str:
        words = name.split()
        return " ".join(words[:2]) if name.startswith("Callout ") else name

    out = []
    for number, slide in enumerate(Presentation(str(deck)).slides, 1):
        shapes = list(placed(slide.shapes, lambda *rect: rect))
        for i, (a, (al, at, aw, ah)) in enumerate(shapes):
            for b, (bl, bt, bw, bh) in shapes[i + 1 :]:
                apart = al >= bl + bw or bl >= al + aw or at >= bt + bh or bt >= at + ah
                if not apart and block(a) != block(b):
                    out.append((number, a, b))
    return out


def _onto(rect, ch_off, ch_ext):
    """The map from a group's child coordinates onto the slide, the group at `rect`."""
    left, top, width, height = rect
    sx, sy = width / ch_ext.cx, height / ch_ext.cy

    def frame(x, y, w, h):
        return left + (x - ch_off.x) * sx, top + (y - ch_off.y) * sy, w * sx, h * sy

    return frame


_MARK = re.compile(r"[:;!?%«»]")
_WATERMARK = re.compile(
    r"Evaluation|only\.|Created|with|Aspose\.Slides|for|Python|via|\.NET|[\d.]+\.?"
    r"|Copyright|\d{4}-\d{4}Aspose|Pty|Ltd\."
)


def _heights(words, text: str) -> set[float]:
    return {round(w[3] - w[1], 2) for w in words if w[4] == text}


def words_over_each_other(pdf: Path) -> list[tuple[int, str, str]]:
    """(page, word, word) for every two words of `pdf` printed over each other: more
    than a fifth of the smaller one's box covered (two lines set close meet at their
    boxes' edges, not over a fifth). A lone mark (":", "%", "»") is left out: the
    PowerPoint-compatible engine sets a narrow no-break space at no width, so the
    colon of "masqués :" reaches into the "s" before it; two text boxes over each
    other set words over words. The evaluation watermark that engine stamps across
    every slide (the words at the height of its "Evaluation" and "Aspose.Slides") is
    no word of the deck's and is left out too."""
    out = []
    for number, page in enumerate(pdf_bbox(pdf).split("<page ")[1:], 1):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD.findall(page)
        ]

        stamp = _heights(words, "Evaluation") & _heights(words, "Aspose.Slides")
        words = sorted(
            w
            for w in words
            if not _MARK.fullmatch(w[4])
            and not (round(w[3] - w[1], 2) in stamp and _WATERMARK.fullmatch(w[4]))
        )
        for i, (ax0, ay0, ax1, ay1, a) in enumerate(words):
            for bx0, by0, bx1, by1, b in words[i + 1 :]:
                if bx0 >= ax1:
                    break  # sorted by left edge: no later word reaches back
                w = min(ax1, bx1) - max(ax0, bx0)
                h = min(ay1, by1) - max(ay0, by0)
                smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
                if w > 0 and h > 0 and w * h > 0.2 * smaller:
                    out.append((number, a, b))
    return out


def table_words_outside(deck: Path, pdf: Path, slack: float = 3.0) -> dict[int, list[str]]:
    """Per page of `pdf` (`deck` rendered by a client), the words of table cells that
    the page does not print inside their cell: a word broken in two ("Independ-" /
    "ent"), cut, or pushed below its row by a row the client grew. Cells are placed
    from the deck's geometry (EMU; 12,700 to a point, the PDF's unit), a merged cell
    over its whole span; a word counts when the words printed with their middle in the
    cell (`slack` points around it) hold it."""
    from itertools import accumulate

    from pptx import Presentation

    pages = [
        [((float(x0) + float(x1)) / 2, (float(y0) + float(y1)) / 2, _plain(t))
         for x0, y0, x1, y1, t in _WORD.findall(page)]
        for page in pdf_bbox(pdf).split("<page ")[1:]
    ]  # fmt: skip
    out: dict[int, list[str]] = {}
    for number, slide in enumerate(Presentation(str(deck)).slides, 1):
        for shape in flat(slide.shapes):  # a table grouped with its title too
            if not getattr(shape, "has_table", False):
                continue
            table = shape.table
            xs = [shape.left / 12700, *accumulate(c.width / 12700 for c in table.columns)]
            xs[1:] = [xs[0] + x for x in xs[1:]]
            ys = [shape.top / 12700, *accumulate(r.height / 12700 for r in table.rows)]
            ys[1:] = [ys[0] + y for y in ys[1:]]
            for i, row in enumerate(table.rows):
                for k, cell in enumerate(row.cells):
                    if cell.is_spanned:  # inside a merged cell: its origin holds the text
                        continue
                    right = xs[k + (cell.span_width if cell.is_merge_origin else 1)]
                    bottom = ys[i + (cell.span_height if cell.is_merge_origin else 1)]
                    across = (xs[k] - slack, right + slack)
                    down = (ys[i] - slack, bottom + slack)
                    text = " ".join(
                        " ".join(
                            t for x, y, t in pages[number - 1]
                            if across[0] <= x <= across[1] and down[0] <= y <= down[1]
                        ).split()
                    )  # fmt: skip
                    out.setdefault(number, []).extend(
                        w for w in cell.text.split() if _plain(w) not in text
                    )
    return {page: words for page, words in out.items() if words}
