"""Plug-ins: an installed package adds a chart kind, an indicator kind, a survey
reader and a locale through entry points, and deckgen uses them with no code of its
own changed.

The package is made here: a module and its `.dist-info` (METADATA and
`entry_points.txt`, as pip would install them) in a folder put on a subprocess's
PYTHONPATH. No network, no new virtualenv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from .helpers import DATA, ROOT

PLUGIN = '''
import pandas as pd

from deckgen.analysis.results import Result, Series
from deckgen.chart_kinds import ChartKind
from deckgen.indicator_kinds import IndicatorKind
from deckgen.inputs.readers import Table


def read_psv(path):
    """Pipe-separated answers."""
    frame = pd.read_csv(path, sep="|", dtype=str, keep_default_na=False, na_values=[""])
    return Table(frame)


def non_response(survey, indicator):
    q = survey.questions[indicator.question]
    empty = survey.frame[q.columns()].isna().all(axis=1)
    n, base = int(empty.sum()), len(survey.frame)
    return Result("non_response", q.id, q.text, ("",), ("non_response",),
                  (Series("", (n / base,), (n,)),), (base,), base, published=False)


def slim(shapes, rect, chart, style):
    from pptx.enum.chart import XL_CHART_TYPE

    from deckgen.render.workbook import ChartData

    data = ChartData()
    data.categories = list(chart.result.categories)
    data.add_series("Part", [v or 0 for v in chart.result.series[0].values])
    frame = shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, rect.left, rect.top, rect.width,
                             rect.height, data)
    frame.chart.plots[0].gap_width = 333
    return frame


SLIM = ChartKind("slim", "thin bars", slim, indicators=("multi",))
NON_RESPONSE = IndicatorKind("non_response", "who left a question empty", non_response,
                             needs=(("question", ""),))
'''

LOCALE = '''
"""Italian, for the test: the English catalogue's words with Italian typography."""
from deckgen.locales.en import TEXTS as _EN

TEXTS = {**_EN, "base": "Base: {n} {unit}", "several": "risposte multiple possibili"}
RULES = {"decimal": ",", "group": ".", "percent": "%", "label": ":"}


def plural_is_one(n):
    return n == 1


def ordinal(n):
    return f"{n}º"
'''

ENTRY_POINTS = """
[deckgen.chart_kinds]
slim = tinyplug:SLIM

[deckgen.indicator_kinds]
non_response = tinyplug:NON_RESPONSE

[deckgen.readers]
psv = tinyplug:read_psv

[deckgen.locales]
it = tinyplug.it
"""


def _install(site: Path, entry_points: str = ENTRY_POINTS) -> None:
    package = site / "tinyplug"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    (package / "it.py").write_text(LOCALE, encoding="utf-8")
    info = site / "tinyplug-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tinyplug\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def _survey(folder: Path) -> Path:
    """The seed survey's codebook, its answers as a pipe-separated file."""
    folder.mkdir()
    rows = (DATA / "responses.csv").read_text(encoding="utf-8")
    import csv
    import io

    parsed = list(csv.reader(io.StringIO(rows)))
    assert not any("|" in cell for row in parsed for cell in row)
    (folder / "responses.psv").write_text(
        "\n".join("|".join(row) for row in parsed) + "\n", encoding="utf-8"
    )
    codebook = (DATA / "codebook.yaml").read_text(encoding="utf-8")
    assert "  responses: responses.csv\n" in codebook
    (folder / "codebook.yaml").write_text(
        codebook.replace("  responses: responses.csv\n", "  responses: responses.psv\n"), "utf-8"
    )
    return folder / "codebook.yaml"


SPEC = """deck:
  title: "Plug-ins"
  data: {codebook}
  theme: {root}/config/theme.yaml
  locale: it
slides:
  - layout: chart
    title: "Dispositivi"
    chart:
      type: slim
      indicator: {{kind: multi, question: dispositifs_numeriques}}
    callouts:
      - indicator: {{kind: non_response, question: budget_participation}}
        text: "senza bilancio"
"""


def _run(tmp_path: Path, code: str, site: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
        "DECKGEN_CACHE_DIR": str(tmp_path / "cache"),
    }  # cold: the survey file is read
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)  # fmt: skip


def test_an_installed_package_adds_a_chart_kind_an_indicator_kind_a_reader_and_a_locale(
    tmp_path,
):
    site = tmp_path / "site"
    _install(site)
    spec = tmp_path / "deck.yaml"
    spec.write_text(SPEC.format(codebook=_survey(tmp_path / "survey"), root=ROOT), "utf-8")
    proc = _run(tmp_path, f"""
        import json, deckgen, deckgen.api
        from pptx import Presentation
        project = deckgen.load({str(spec)!r})
        report = project.build({str(tmp_path / "deck.pptx")!r})
        (chart,) = [s.chart for s in Presentation(str(report.path)).slides[0].shapes
                    if s.has_chart]
        rows = [r for r in project.figures() if r["element"] == "callout 1"]
        print(json.dumps({{
            "locales": deckgen.api.locales(),
            "gap": chart.plots[0].gap_width,
            "values": list(chart.plots[0].series[0].values),
            "callout": [rows[0]["count"], rows[0]["base"]],
            "text": report.plan.slides[0].callouts[0].value_text,
            "footnote": report.plan.slides[0].footnote,
        }}))
    """, site)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    import json

    import pandas as pd

    got = json.loads(proc.stdout.splitlines()[-1])
    assert "it" in got["locales"]
    assert got["gap"] == 333  # the plug-in's own builder drew the chart
    # independent: the share of collectivités with each digital tool, from the CSV
    answers = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    tools = [c for c in answers.columns if c.startswith("dispositifs_numeriques__")]
    shares = sorted(round((answers[c] == "1").sum() / 31, 6) for c in tools)
    assert sorted(round(v, 6) for v in got["values"]) == shares
    empty = int((answers["budget_participation"].str.strip() == "").sum())
    assert got["callout"] == [empty, 31]
    # the plug-in locale's number format (no space before %) and its words
    assert got["text"] == f"{round(100 * empty / 31)}%"
    assert "risposte multiple possibili" in got["footnote"]


def test_a_broken_plug_in_is_a_clear_error_naming_its_package(tmp_path):
    site = tmp_path / "site"
    _install(site, "[deckgen.chart_kinds]\nslim = tinyplug:NOT_THERE\n")
    proc = _run(tmp_path, f"""
        import sys
        from deckgen.cli import guarded
        sys.exit(guarded(["validate", {str(ROOT / "config" / "barometre-2021.yaml")!r}]))
    """, site)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "plug-in error: plug-in tinyplug's `slim = tinyplug:NOT_THERE`" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_broken_plug_in_fails_every_build_of_a_long_run_not_only_the_first(tmp_path):
    """`deckgen watch` builds again in the same process: a plug-in that failed to load
    fails the next build too, with the same message, instead of leaving that build to
    go on without it."""
    site = tmp_path / "site"
    _install(site, "[deckgen.chart_kinds]\nslim = tinyplug:NOT_THERE\n")
    proc = _run(tmp_path, f"""
        from deckgen.cli import guarded
        spec = {str(ROOT / "config" / "barometre-2021.yaml")!r}
        print([guarded(["validate", spec]) for _ in range(2)])
    """, site)  # fmt: skip
    assert proc.stdout.strip() == "[2, 2]", proc.stderr
    assert proc.stderr.count("plug-in error: plug-in tinyplug's `slim") == 2


def test_a_plug_in_may_not_take_a_name_deckgen_has(tmp_path, monkeypatch):
    # a result cache of its own: with the seed deck's results cached by an earlier build
    # in this session (another test file on the same worker), the build would never
    # read the responses, and so never meet the readers' clash
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    _install(site, "[deckgen.readers]\ncsv = tinyplug:read_psv\n")
    proc = _run(tmp_path, f"""
        import sys
        from deckgen.cli import guarded
        sys.exit(guarded(["build", {str(ROOT / "config" / "barometre-2021.yaml")!r},
                          "-o", "x.pptx", "-q"]))
    """, site)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "deckgen reads .csv files already" in proc.stderr
    assert not (tmp_path / "x.pptx").exists()


def test_without_plug_ins_nothing_is_read_at_import():
    """`import deckgen.cli` and the parser read no entry point: a plug-in costs nothing
    until a spec, a survey file or a locale needs the registries."""
    code = (
        "import sys, deckgen.cli\n"
        "deckgen.cli.parser()\n"
        "import deckgen.registry as r\n"
        "print(r._entry_points.cache_info().currsize)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"


def test_an_installed_reader_is_in_the_result_cache_s_key(tmp_path):
    """A warm build imports no reader (nor pandas): the key reads the installed
    plug-in reader's source from its entry point, so editing the plug-in is a miss."""
    site = tmp_path / "site"
    _install(site, "[deckgen.readers]\npsv = tinyplug:read_psv\n")
    data = tmp_path / "responses.csv"
    data.write_text("id\nR1\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from deckgen.analysis import cache\n"
        f"print(cache.survey_key(__import__('pathlib').Path({str(data)!r})))\n"
        "print('deckgen.inputs.readers' in sys.modules, 'pandas' in sys.modules)\n"
    )
    first = _run(tmp_path, code, site)
    (site / "tinyplug" / "__init__.py").write_text(PLUGIN + "\n# fixed\n", encoding="utf-8")
    second = _run(tmp_path, code, site)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    key_1, loaded = first.stdout.splitlines()
    key_2, _ = second.stdout.splitlines()
    assert key_1 != key_2
    assert loaded == "False False"  # found without importing the reader or pandas
