"""One deck per segment (`build --each`), and the batch runner behind it: shared
inputs loaded once, decks built in parallel processes, one deck's failure kept
to itself, deterministic shards. On the Baromètre (communes, and the types too
small to show) and on the weighted European Social Survey example (regions).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

import deckgen
from deckgen.analysis.indicators import compute
from deckgen.inputs.indicator_spec import Indicator
from deckgen.render.identity import label_of
from deckgen.workflows.batch import parse_shard, shard

from .helpers import ROOT, SPEC, flat, invoke

ESS_SPEC = ROOT / "config" / "ess-2020-norway.yaml"


@pytest.fixture(scope="module")
def communes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("each")
    outcomes = deckgen.load(SPEC).build_each("type_collectivite", folder, jobs=1)
    return folder, outcomes


def test_a_deck_per_type_the_ones_too_small_never_built(communes):
    folder, outcomes = communes
    by_label = {o.label: o for o in outcomes}
    assert set(by_label) == {"Commune", "Intercommunalité", "Métropole", "Département", "Région"}
    assert by_label["Commune"].path == folder / "barometre-2021-commune.pptx"
    for label in ("Intercommunalité", "Métropole", "Département", "Région"):
        assert by_label[label].path is None
        assert by_label[label].skipped.endswith(
            "fewer than 7 (the privacy threshold, 5, besides 2 readers pooling their answers): "
            "never built (docs/privacy.md)"
        )
    assert sorted(p.name for p in folder.iterdir()) == ["barometre-2021-commune.pptx"]


def test_a_segment_deck_computes_every_figure_on_its_segment(communes, survey):
    folder, _ = communes
    prs = Presentation(str(folder / "barometre-2021-commune.pptx"))
    # the social networks chart, on the communes that use them
    chart = next(s for s in flat(prs.slides[9].shapes) if s.has_chart).chart
    indicator = Indicator.validate({
        "kind": "multi", "question": "reseaux_sociaux_plateformes", "sort": "desc",
        "filter": {"question": "type_collectivite", "in": ["commune"]},
    })  # fmt: skip
    expected = compute(survey, indicator)
    whole = compute(survey, Indicator.validate({k: v for k, v in indicator.to_dict().items()
                                                if k != "filter"}))  # fmt: skip
    shown = list(chart.plots[0].series[0].values)
    assert len(shown) == len(expected.series[0].values)
    blanked = 0
    for value, category, count, base in zip(
        shown, expected.categories, expected.series[0].counts, expected.bases
    ):
        if value is not None:
            assert value == pytest.approx(count / base)
            continue
        # blanked: the public deck minus this figure would tell the others' answers,
        # 8 collectivités (under 2k = 10) who, but one of them perhaps, answered alike
        j = whole.categories.index(category)
        rest_count, rest_base = whole.series[0].counts[j] - count, whole.bases[j] - base
        assert rest_base == 8 and rest_count in (0, 1, rest_base - 1, rest_base), category
        blanked += 1
    assert 0 < blanked < len(shown)
    assert "certains chiffres de Commune masqués" in _footnote(prs.slides[9])
    texts = [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame]
    assert any(t.endswith("— Commune (n\u202f=\u202f22)") for t in texts)
    footers = {
        s.text_frame.text
        for slide in prs.slides
        for s in slide.shapes
        if label_of(s.name) == "Footer"
    }
    assert footers == {
        "Observatoire des civic tech et de la démocratie numérique · Commune (n\u202f=\u202f22)"
    }
    # a segment's figure is no published figure: no `expect:` claimed in the notes
    notes = prs.slides[7].notes_slide.notes_text_frame.text
    assert "chiffre publié" not in notes


def test_beside_the_total_and_identical_in_parallel(tmp_path):
    project = deckgen.load(SPEC)
    one = project.build_each("type_collectivite", tmp_path / "one", beside_total=True, jobs=1)
    two = project.build_each("type_collectivite", tmp_path / "two", beside_total=True, jobs=2)
    (path_one,) = [o.path for o in one if o.path]
    (path_two,) = [o.path for o in two if o.path]
    assert path_one.read_bytes() == path_two.read_bytes()  # same deck from a forked worker
    chart = next(s for s in flat(Presentation(str(path_one)).slides[9].shapes) if s.has_chart).chart
    assert [s.name for s in chart.plots[0].series] == [
        "Ensemble (n\u202f=\u202f24)", "Commune (n\u202f=\u202f16)"
    ]  # fmt: skip


def test_small_segments_are_skipped_unless_asked(tmp_path):
    theme = tmp_path / "theme.yaml"
    theme.write_text("small_base_threshold: 100\n", encoding="utf-8")
    spec = tmp_path / "ess.yaml"
    text = ESS_SPEC.read_text(encoding="utf-8").replace("../data/", f"{ROOT}/data/")
    spec.write_text(text.replace("  locale: en\n", f"  locale: en\n  theme: {theme}\n"), "utf-8")
    project = deckgen.load(spec)
    outcomes = {o.label: o for o in project.build_each("region", tmp_path / "a", jobs=2)}
    assert outcomes["Nord-Norge"].path is None
    assert outcomes["Nord-Norge"].skipped == (
        "small base: 92 respondents (under 100); --include-small builds it"
    )
    assert outcomes["Oslo og Viken"].path is not None
    again = {o.label: o for o in project.build_each(
        "region", tmp_path / "b", jobs=2, include_small=True
    )}  # fmt: skip
    assert again["Nord-Norge"].path == tmp_path / "b" / "ess-nord-norge.pptx"
    assert len([o for o in again.values() if o.path]) == 6


def test_a_chart_by_the_batch_s_own_question_is_named_with_its_fix(tmp_path):
    """A deck per region of a chart by region holds one bar and five blanks: the ESS
    example marks that slide `only: public`, so no region's deck has it; without the
    mark, each deck says so with the fix, not as five empty segments."""
    text = ESS_SPEC.read_text(encoding="utf-8").replace("../data/", f"{ROOT}/data/")
    document = yaml.safe_load(text)
    (by_region,) = [s for s in document["slides"] if s.get("id") == "left-and-right-across-the"]
    assert by_region["only"] == "public"
    del by_region["only"]
    title = "Left and right across the regions"
    split_by = "the question these decks are split by"

    def built(slides):  # two of the six decks (a shard): enough to read what they say
        spec = tmp_path / f"ess-{len(slides)}.yaml"
        spec.write_text(yaml.safe_dump({**document, "slides": slides}), "utf-8")
        outcomes = deckgen.load(spec).build_each("region", tmp_path / spec.stem, shard=(1, 3))
        return [o for o in outcomes if o.path]

    marked = built([s for s in document["slides"] if s is not by_region])
    assert len(marked) == 2
    assert not [w for o in marked for w in o.warnings if split_by in w or "in segment(s)" in w]
    unmarked = built([document["slides"][0], by_region])
    assert len(unmarked) == 2
    for outcome in unmarked:
        ours = [w for w in outcome.warnings if split_by in w]
        assert len(ours) == 1 and "`only: public`" in ours[0] and title in ours[0]
        assert not [w for w in outcome.warnings if "in segment(s)" in w]


def test_shards_never_overlap_and_cover_every_deck(tmp_path):
    items = [f"deck-{i:02d}" for i in range(23)]
    parts = [shard(items, str, (i, 4)) for i in range(1, 5)]
    assert sorted(x for part in parts for x in part) == sorted(items)
    assert sum(len(part) for part in parts) == len(items)  # no deck twice
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "2", "a/b"):
        with pytest.raises(ValueError, match="--shard"):
            parse_shard(bad)
    # the same through the command: two machines, disjoint files, all of them together
    spec = ESS_SPEC
    first = invoke("build", spec, "--each", "region", "-o", tmp_path / "s", "--shard", "1/2", "-q")
    second = invoke("build", spec, "--each", "region", "-o", tmp_path / "s", "--shard", "2/2", "-q")
    assert first.code == second.code == 0, first.output + second.output
    assert len(list((tmp_path / "s").glob("*.pptx"))) == 6
    summaries = sorted(p.name for p in (tmp_path / "s").glob("*.csv"))
    assert summaries == ["summary-shard-1-of-2.csv", "summary-shard-2-of-2.csv"]
    assert "3 of 3 decks built" in first.output and "3 of 3 decks built" in second.output


SLURM = {"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"}


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("auto", SLURM, (3, 4)),  # --array=5-8: task 7 is the third of four
        ("auto/6", SLURM, (3, 6)),  # N given: the array's count is not read
        ("auto", {**SLURM, "SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_STEP": "2"}, (3, 4)),
        ("auto/4", {"JOB_COMPLETION_INDEX": "0"}, (1, 4)),  # Kubernetes counts from 0
        ("AUTO/4", {"JOB_COMPLETION_INDEX": "3"}, (4, 4)),
        ("auto", {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "3"}, (2, 3)),  # GitLab parallel:
    ],
)
def test_shard_auto_reads_the_schedulers_index(text, env, expected):
    assert parse_shard(text, env) == expected


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("auto", {}, "no scheduler's index in the environment (SLURM_ARRAY_TASK_ID"),
        ("auto", {"JOB_COMPLETION_INDEX": "2"}, "give --shard auto/N, N the Job's `completions`"),
        ("auto/2", {"JOB_COMPLETION_INDEX": "2"}, "gives shard 3 of 2"),
        ("auto", {**SLURM, "SLURM_ARRAY_TASK_ID": "9"}, "gives shard 5 of 4"),
        ("auto", {**SLURM, "JOB_COMPLETION_INDEX": "1"}, "both SLURM_ARRAY_TASK_ID and"),
        ("auto", {**SLURM, "SLURM_ARRAY_TASK_MIN": "x"}, "SLURM_ARRAY_TASK_MIN must be a whole"),
        ("auto/0", SLURM, "--shard auto/0: N must be 1 or more"),
        ("auto/many", SLURM, "--shard auto/N takes a number of shards"),
    ],
)
def test_shard_auto_mistakes_are_named(text, env, message):
    with pytest.raises(ValueError) as caught:
        parse_shard(text, env)
    assert message in str(caught.value)


def test_slurm_array_tasks_share_a_batch_each_with_its_own_summary(tmp_path, monkeypatch):
    """Two tasks of `sbatch --array=1-2`, one command: each builds its own decks and
    writes its own summary file; together every deck once."""
    folder = tmp_path / "s"
    rows = []
    for task in ("1", "2"):
        monkeypatch.setenv("SLURM_ARRAY_TASK_ID", task)
        monkeypatch.setenv("SLURM_ARRAY_TASK_MIN", "1")
        monkeypatch.setenv("SLURM_ARRAY_TASK_COUNT", "2")
        run = invoke("build", ESS_SPEC, "--each", "region", "-o", folder, "--shard", "auto", "-q")
        assert run.code == 0, run.output
        summary = folder / f"summary-shard-{task}-of-2.csv"
        lines = summary.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0] == "key,label,status,file,reason"
        rows += [line.split(",") for line in lines[1:]]
    decks = sorted(p.name for p in folder.glob("*.pptx"))
    assert len(decks) == 6 and sorted(row[3] for row in rows) == decks
    assert {row[2] for row in rows} == {"built"}
    monkeypatch.delenv("SLURM_ARRAY_TASK_ID")
    run = invoke("build", ESS_SPEC, "--each", "region", "-o", tmp_path / "x", "--shard", "auto")
    assert run.code == 2 and "--shard auto: no scheduler's index" in run.output, run.output
    assert not (tmp_path / "x").exists()


def test_one_deck_failing_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "out"
    blocked = folder / "ess-2020-norway-innlandet.pptx"
    blocked.mkdir(parents=True)  # a folder where that deck would go: it cannot be written
    run = invoke("build", ESS_SPEC, "--each", "region", "-o", folder, "-q")
    assert run.code == 2
    assert "5 of 6 decks built, 1 failed (Innlandet)" in run.output
    assert "error: Innlandet: " in run.output
    built = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert len(built) == 5 and "ess-2020-norway-oslo-og-viken.pptx" in built


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--each", "type_colectivite"), "--each: unknown question `type_colectivite` "
         "(did you mean `type_collectivite`?)"),
        (("--each", "dispositifs_numeriques"), "--each needs a single-choice question, or a "
         "numeric one with `bands`: one deck per option; `dispositifs_numeriques` is multi"),
        (("--each", "type_collectivite", "--shard", "3/2"),
         "--shard 3/2: I must be between 1 and N"),
        (("--each", "type_collectivite", "--jobs", "0"), "--jobs takes a number of processes"),
    ],
)  # fmt: skip
def test_batch_mistakes_are_named(tmp_path, args, message):
    run = invoke("build", SPEC, *args, "-o", tmp_path / "x", "-q")
    assert run.code == 2 and message in run.output, run.output
    assert not Path(tmp_path / "x").exists()


@pytest.mark.clients
def test_a_segment_deck_opens_in_libreoffice_and_is_valid(communes, tmp_path):
    from .conftest import libreoffice_or_skip
    from .helpers import audit, pdf_page_text, pdf_pages, squash, to_pdf

    folder, _ = communes
    deck = folder / "barometre-2021-commune.pptx"
    report = audit(deck)
    assert report["error_count"] == 0 and report["valid"], report["errors"][:5]
    pdf = to_pdf(libreoffice_or_skip(), [deck], tmp_path)[deck]
    assert pdf_pages(pdf) == 28
    assert squash("Commune (n\u202f=\u202f22)") in squash(pdf_page_text(pdf, 1))


def test_a_chart_nobody_of_the_segment_is_in_scope_for_says_so(tmp_path):
    """A chart filtered to the regions: fine on the whole sample, empty in the
    communes' deck. That is data, not a mistake of the spec: the deck is built,
    the chart's place says why it is empty, and the build warns."""
    from .helpers import CODEBOOK

    spec = tmp_path / "segments.yaml"
    spec.write_text(
        f"""deck:
  title: "Segments"
  data: {CODEBOOK}
  locale: fr
slides:
  - layout: chart
    title: "Les régions, puis tout le monde"
    charts:
      - type: bar
        title: "Régions"
        indicator:
          kind: multi
          question: dispositifs_numeriques
          filter: {{question: type_collectivite, in: [region]}}
      - type: bar
        title: "Toutes"
        indicator: {{kind: multi, question: dispositifs_numeriques}}
""",
        encoding="utf-8",
    )
    project = deckgen.load(spec)
    whole = Presentation(str(project.build(tmp_path / "whole.pptx").path))
    assert sum(s.has_chart for s in flat(whole.slides[0].shapes)) == 2
    (commune,) = [o for o in project.build_each("type_collectivite", tmp_path / "each", jobs=1)
                  if o.path]  # fmt: skip
    # nobody of the communes is a région: an empty figure, which the disclosure rule
    # withholds like any figure about fewer than k (an empty cell can be a 0 % of a group)
    assert any(
        'slide 1 "Les régions, puis tout le monde": chart 1: not shown in this deck: its '
        "figures, alone or subtracted from the public deck's, would give away individual "
        "answers (docs/privacy.md)" in w
        for w in commune.warnings
    ), commune.warnings
    shapes = Presentation(str(commune.path)).slides[0].shapes
    charts = [s for s in flat(shapes) if s.has_chart]
    assert len(charts) == 1 and label_of(charts[0].name) == "Chart: Toutes"
    (empty,) = [s for s in shapes if label_of(s.name) == "Chart: Régions (empty)"]
    assert empty.text_frame.text == "Non montré, pour préserver l'anonymat des répondants"
    footnote = _footnote(Presentation(str(commune.path)).slides[0])
    assert footnote.startswith("Régions")
    assert "Régions\u202f: Base" not in footnote  # nothing of its base either
    assert "chiffres non montrés pour Commune\u202f: seuls ou par différence" in footnote
    assert "Base\u202f: 0" not in footnote
    # its place is the one the chart would have had: the left half of the row
    assert empty.left < charts[0].left and empty.width > 0 and empty.height > 0


def test_a_segment_deck_says_in_words_whom_each_base_counts(communes):
    """Every chart of a segment deck is filtered to its segment: each base in its
    footnotes says so in words, the 22 communes by their answer, never as code."""
    folder, _ = communes
    prs = Presentation(str(folder / "barometre-2021-commune.pptx"))
    who = "ayant répondu « Commune » à « Type de collectivité »"
    footnotes = [_footnote(slide) for slide in prs.slides if _has_footnote(slide)]
    bases = [p for f in footnotes for p in f.split(" · ") if "Base\u202f:" in p]
    assert f"Base\u202f: 22 collectivités {who}" in " · ".join(bases)
    for part in bases:
        assert "» = «" not in part
        if not part.split("Base\u202f: ", 1)[1].startswith("31 "):  # a callout's, the whole
            assert who in part, part


def _has_footnote(slide) -> bool:
    return any(label_of(s.name) == "Footnote" for s in slide.shapes)


def _footnote(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if label_of(s.name) == "Footnote")


def test_quiet_batch_says_each_repeated_warning_once(tmp_path):
    """`-q` in a batch: no line per deck built; a warning every deck repeats is said
    once, with how many decks it concerns; a deck's own warning keeps its name."""
    from deckgen.cli import batch_warnings
    from deckgen.workflows.batch import Outcome

    run = invoke("build", SPEC, "--each-respondent", "-o", tmp_path, "-q", "--jobs", "1",
                 "--shard", "1/8")  # fmt: skip
    assert run.code == 0, run.stderr
    assert "built " not in run.output.replace("decks built", "")
    small = [line for line in run.stderr.splitlines() if "small base: 9 collectivités" in line]
    assert len(small) == 1 and small[0].endswith("(in every deck)")
    outcomes = [Outcome("A", "A"), Outcome("B", "B"), Outcome("C", "C")]
    outcomes[0].warnings = ["x", "only A"]
    outcomes[1].warnings = ["x", "x"]
    assert batch_warnings(outcomes, listed=1) == ["x (in 2 of 3 decks: A…)", "A: only A"]


def test_each_with_groups_builds_one_deck_per_group_of_options(tmp_path):
    """`--group` groups options as an indicator's `segments:` does: one deck for the
    communes, one for the nine other collectivités, with no new column."""
    import pandas as pd

    rows = pd.read_csv(ROOT / "data" / "barometre-2021" / "responses.csv", dtype=str)
    others = ["intercommunalite", "metropole", "departement", "region"]
    expected = int(rows["type_collectivite"].isin(others).sum())  # 9, from the file
    group = "Autres=" + ",".join(others)
    run = invoke("build", SPEC, "--each", "type_collectivite", "--group", "Communes=commune",
                 "--group", group, "--include-small", "-o", tmp_path)  # fmt: skip
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "barometre-2021-autres.pptx",
        "barometre-2021-communes.pptx",
    ]
    cover = Presentation(str(tmp_path / "barometre-2021-autres.pptx")).slides[0]
    texts = [s.text_frame.text for s in cover.shapes if s.has_text_frame]
    assert any(t.endswith(f"— Autres (n\u202f=\u202f{expected})") for t in texts), texts
    for bad, message in (
        ("Autres=metropol", "`metropol` is not an option of `type_collectivite` (did you mean"),
        ("Communes", "expected LABEL=CODE,CODE"),
    ):
        run = invoke("build", SPEC, "--each", "type_collectivite", "--group", "Communes=commune",
                     "--group", bad, "-o", tmp_path / "x")  # fmt: skip
        assert run.code == 2 and message in run.stderr, run.stderr
    run = invoke("build", SPEC, "--each", "type_collectivite", "--group", "A=commune",
                 "--group", "B=commune,region", "-o", tmp_path / "x")  # fmt: skip
    assert run.code == 2 and "`commune` is already in the group A" in run.stderr


def test_only_keeps_a_slide_or_an_element_to_the_decks_it_belongs_to(tmp_path):
    """A breakdown by type is `only: public` (in a deck per type it would be one bar),
    a callout `only: [public, personal]`: the segment decks leave both out, the public
    deck keeps both, and the other elements keep their keys."""
    from .helpers import CODEBOOK

    spec = tmp_path / "only.yaml"
    spec.write_text(
        f"""deck:
  title: "Par type"
  data: {CODEBOOK}
slides:
  - layout: chart
    title: "Réseaux sociaux"
    id: reseaux
    charts:
      - type: bar
        indicator: {{kind: share, condition: {{question: reseaux_sociaux, in: [oui]}},
                     by: type_collectivite, segments: {{Communes: [commune],
                     Autres: [intercommunalite, metropole, departement, region]}}}}
        only: public
      - type: bar
        indicator: {{kind: multi, question: dispositifs_numeriques}}
    callouts:
      - indicator: {{kind: share, condition: {{question: service_participation, in: [oui]}}}}
        text: "ont un service"
        only: [public, personal]
  - layout: chart
    title: "Pour le public seulement"
    only: public
    chart:
      type: bar
      indicator: {{kind: multi, question: dispositifs_numeriques}}
""",
        encoding="utf-8",
    )
    project = deckgen.load(spec)
    public = Presentation(str(project.build(tmp_path / "public.pptx").path))
    assert len(public.slides) == 2
    names = [label_of(s.name) for s in public.slides[0].shapes]
    assert (
        sum(s.has_chart for s in flat(public.slides[0].shapes)) == 2 and "Callout 1 text" in names
    )
    (commune,) = [o for o in project.build_each("type_collectivite", tmp_path / "each", jobs=1)
                  if o.path]  # fmt: skip
    deck = Presentation(str(commune.path))
    assert len(deck.slides) == 1
    charts = [s for s in flat(deck.slides[0].shapes) if s.has_chart]
    assert len(charts) == 1 and charts[0].name.endswith("[reseaux#chart-2]")
    assert not any(label_of(s.name).startswith("Callout") for s in deck.slides[0].shapes)


def test_a_worker_that_dies_is_a_failed_deck_and_the_others_are_built():
    """One deck's process is killed (SIGKILL, as the out-of-memory killer does): that
    deck is named as failed, with why; every other deck is built all the same."""
    import os
    import signal

    from deckgen.workflows.batch import Outcome, run

    parent = os.getpid()

    def work(item) -> Outcome:
        if item.key == "c" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        outcome = Outcome(item.key, item.label)
        outcome.path = Path(f"/built/{item.key}")
        return outcome

    outcomes = run([_Item(k, k.upper()) for k in "abcdef"], work, jobs=2)
    assert [o.key for o in outcomes] == list("abcdef")
    failed = [o for o in outcomes if o.error]
    assert [o.label for o in failed] == ["C"] and "died" in failed[0].error
    assert all(o.path == Path(f"/built/{o.key}") for o in outcomes if o.key != "c")


@dataclass(frozen=True)
class _Item:  # a batch's item, as a segment or a recipient is: picklable, a key and a label
    key: str
    label: str


def _by_type_spec(tmp_path: Path) -> Path:
    from .helpers import CODEBOOK

    spec = tmp_path / "by-type.yaml"
    spec.write_text(
        f"""deck:
  title: "Par type"
  data: {CODEBOOK}
slides:
  - layout: chart
    title: "Outils par type"
    id: outils
    chart:
      type: table
      indicator: {{kind: multi, question: dispositifs_numeriques, by: type_collectivite,
                   total: true}}
""",
        encoding="utf-8",
    )
    return spec


def _table_headers(deck: Path) -> list[str]:
    table = next(s for s in flat(Presentation(str(deck)).slides[0].shapes) if s.has_table).table
    return [table.cell(0, c).text for c in range(len(table.columns))]


def test_a_spec_s_own_breakdown_holds_to_the_rule_in_personal_and_segment_decks(tmp_path):
    """A chart `by: type_collectivite` in the spec: the public deck shows Commune only
    (the other types hold 1 to 3); a personal deck built without --peers and a segment
    deck of another question show no group the public deck leaves out, nor one under
    k inside the segment."""
    import re

    spec = _by_type_spec(tmp_path)
    project = deckgen.load(spec)
    public = _table_headers(project.build(tmp_path / "public.pptx").path)
    personal = project.build_personal(tmp_path / "personal", jobs=1, shard="1/31")
    each = project.build_each("logiciel", tmp_path / "each", jobs=1, include_small=True)
    for deck in [o.path for o in [*personal, *each] if o.path]:
        for header in _table_headers(deck)[1:]:
            m = re.search(r"\(n\u202f=\u202f(\d+)\)", header)
            if m and not header.startswith("Ensemble"):
                assert int(m.group(1)) >= 5, (deck.name, header)
                assert header.split(" (")[0] in {h.split(" (")[0] for h in public}, header
    assert [h.split(" (")[0] for h in public[1:]] == ["Ensemble", "Commune"]


def test_a_chart_of_the_batch_s_own_question_is_named_with_its_fix(tmp_path):
    """A deck per type of collectivité drawing the types is one type at 100 %: the seed
    deck keeps that doughnut for the public and personal decks only, so the Commune
    deck's slide holds the other chart; without the mark, the deck says why the chart
    says nothing and names the fix, instead of only redrawing it as bars."""
    text = SPEC.read_text(encoding="utf-8").replace("../data/", f"{ROOT}/data/")
    text = text.replace("template: ../layouts/", f"template: {ROOT}/layouts/")
    text = text.replace("theme: theme.yaml", f"theme: {ROOT}/config/theme.yaml")
    document = yaml.safe_load(text)
    (profile,) = [s for s in document["slides"] if s.get("id") == "repondants-profil"]
    types = profile["charts"][0]
    assert types["indicator"]["question"] == "type_collectivite"
    assert types["only"] == ["public", "personal"]
    split_by = "`type_collectivite`, the question these decks are split by"

    def built(name):
        spec = tmp_path / f"{name}.yaml"
        spec.write_text(yaml.safe_dump({**document, "slides": [profile]}), "utf-8")
        loaded = deckgen.load(spec)
        (commune,) = [o for o in loaded.build_each("type_collectivite", tmp_path / name) if o.path]
        charts = [s for s in flat(Presentation(str(commune.path)).slides[0].shapes) if s.has_chart]
        return commune.warnings, len(charts), loaded

    warnings, charts, loaded = built("marked")
    assert charts == 1 and not [w for w in warnings if split_by in w or "one part" in w]
    (personal,) = [o.path for o in loaded.build_personal(tmp_path / "personal", shard=(1, 31))]
    slide = Presentation(str(personal)).slides[0]
    assert len([s for s in flat(slide.shapes) if s.has_chart]) == 2  # kept where it says more
    del types["only"]
    warnings, charts, _ = built("unmarked")
    ours = [w for w in warnings if split_by in w]
    assert charts == 2 and len(ours) == 1 and "`only: [public, personal]`" in ours[0]
    assert not [w for w in warnings if "a doughnut of one part" in w]  # one warning, the fix


def test_a_reason_a_slide_gives_once_is_printed_once(tmp_path):
    """The Commune deck's "Les moyens": both charts and both callouts lose figures to
    the disclosure rule, for one reason; the footnote says it once, not once for the
    charts and again for the callouts."""
    text = SPEC.read_text(encoding="utf-8").replace("../data/", f"{ROOT}/data/")
    text = text.replace("template: ../layouts/", f"template: {ROOT}/layouts/")
    text = text.replace("theme: theme.yaml", f"theme: {ROOT}/config/theme.yaml")
    document = yaml.safe_load(text)
    (means,) = [s for s in document["slides"] if s.get("id") == "les-moyens"]
    spec = tmp_path / "moyens.yaml"
    spec.write_text(yaml.safe_dump({**document, "slides": [means]}), "utf-8")
    built = deckgen.load(spec).build_each("type_collectivite", tmp_path / "out")
    (commune,) = [o for o in built if o.path]
    reason = "certains chiffres de Commune masqués\u202f: ils feraient connaître des réponses"
    withheld = [w for w in commune.warnings if "callout" in w and reason in w]
    assert len(withheld) == 2  # both callouts lose their figure for that reason
    slide = Presentation(str(commune.path)).slides[0]
    (footnote,) = [s.text_frame.text for s in flat(slide.shapes)
                   if s.has_text_frame and "Base\u202f: 22" in s.text_frame.text]  # fmt: skip
    assert footnote.count(reason) == 1, footnote


# -- dealing the decks to the processes ---------------------------------------------------


def test_runs_are_even_runs_of_neighbours_covering_every_deck_once():
    from deckgen.workflows.batch import RUN, runs

    assert runs(list(range(7)), 2) == [[0, 1, 2], [3, 4, 5, 6]]
    assert runs([5, 3, 9, 1], 3) == [[5], [3], [9, 1]]
    assert runs([4, 2], 4) == [[4], [2]]  # more processes than decks: none dealt empty
    assert [len(r) for r in runs(list(range(40)), 2)] == [13, 13, 14]  # RUN at most
    for n in range(1, 70):
        for jobs in range(1, 5):
            cut = runs(list(range(n)), jobs)
            assert [i for r in cut for i in r] == list(range(n))
            assert max(map(len, cut)) - min(map(len, cut)) <= 1
            assert max(map(len, cut)) <= RUN and len(cut) >= min(jobs, n)


def _highest_cost(cut: list[list[int]], group: list[int], extra: int) -> int:
    """The costliest run of `cut`: a deck per deck, `extra` more per group it starts."""

    def cost(run: list[int]) -> int:
        return len(run) + extra * sum(i == run[0] or group[i] != group[i - 1] for i in run)

    return max(cost(run) for run in cut)


def test_runs_cut_by_group_give_the_small_groups_fewer_decks():
    """The seed's personal batch at --jobs 2, by hand: 22 communes, then groups of 3, 2,
    3 and 1. Even runs (15 and 16 decks) cost 15 + 1 and 16 + 5 (a deck each, one more
    per group started); cut after 18 communes they cost 18 + 1 and 13 + 5, the least
    the costliest can be (after c communes: c + 1 and 36 - c)."""
    from deckgen.workflows.batch import GROUP, runs

    assert GROUP == 1
    group = [0] * 22 + [1] * 3 + [2] * 2 + [3] * 3 + [4]
    even = runs(list(range(31)), 2)
    assert [len(r) for r in even] == [15, 16] and _highest_cost(even, group, 1) == 21
    cut = runs(list(range(31)), 2, group=group)
    assert cut == [list(range(18)), list(range(18, 31))]


def test_runs_cut_by_group_are_the_least_costly_runs_of_neighbours():
    """Against every way of cutting the items into runs of neighbours (brute force over
    the cut points), for random groups: the costliest run costs the least it can, every
    item is dealt once in order, and there are as many runs as processes, or items."""
    import itertools
    import random

    from deckgen.workflows.batch import GROUP, runs

    rng = random.Random(26)
    for _ in range(300):
        n, jobs = rng.randint(1, 11), rng.randint(1, 4)
        group = sorted(rng.choice("abcd") for _ in range(n))
        cut = runs(list(range(n)), jobs, group=group)
        assert [i for r in cut for i in r] == list(range(n)) and all(cut)
        assert len(cut) == min(jobs, n)
        best = min(
            _highest_cost([list(range(a, b)) for a, b in zip((0, *c), (*c, n))], group, GROUP)
            for k in range(min(jobs, n))
            for c in itertools.combinations(range(1, n), k)
        )
        assert _highest_cost(cut, group, GROUP) == best, (group, jobs, cut)
    assert runs([], 3, group=[]) == []


def _pid_of(item: int):
    import os

    from deckgen.workflows.batch import Outcome

    return Outcome(str(item), str(os.getpid()))


def test_a_run_of_alike_decks_is_built_by_one_process_and_the_outcomes_keep_their_order():
    """Eight items whose `alike` key (the item mod 2) sorts them as the even ones, then
    the odd ones: two runs, each built whole by one process (the same one, or two), and
    the outcomes come back in the items' order."""
    from deckgen.workflows.batch import run

    items = list(range(8))
    outcomes = run(items, _pid_of, jobs=2, alike=lambda i: i % 2)
    assert [o.key for o in outcomes] == [str(i) for i in items]
    by_pid = {o.label: set() for o in outcomes}
    for o in outcomes:
        by_pid[o.label].add(int(o.key))
    evens, odds = {0, 2, 4, 6}, {1, 3, 5, 7}
    assert all(built in (evens, odds, evens | odds) for built in by_pid.values()), by_pid


class _Cycle:
    """An object in a reference cycle, for the collector alone to free."""

    def __init__(self) -> None:
        self.me = self


def test_a_batch_frees_cycles_that_grew_old_at_its_full_passes(monkeypatch):
    """Each deck leaves a cycle it held long enough to be promoted to the oldest
    generation, then let go. The young-only pass after each deck cannot free it;
    the full pass every `FULL` decks frees all of them, so memory stays bounded
    however long the batch."""
    import gc
    import weakref

    from deckgen.workflows import batch

    monkeypatch.setattr(batch, "_built", 0)
    refs = []
    alive = []  # at the start of each deck, how many of the earlier decks' cycles

    def work(item: int):
        alive.append(sum(ref() is not None for ref in refs))
        held = _Cycle()
        gc.collect(1)  # survives two young passes: now in the oldest generation
        gc.collect(1)
        refs.append(weakref.ref(held))
        return batch.Outcome(str(item), "")

    enabled = gc.isenabled()
    gc.disable()  # as in `deckgen build`: no automatic pass in between
    try:
        batch.run(list(range(batch.FULL)), work, jobs=1)
    finally:
        if enabled:
            gc.enable()
    assert alive == list(range(batch.FULL))  # young passes only in between
    assert all(ref() is None for ref in refs)  # the full pass after the last freed all


def test_recipients_alike_sit_side_by_side_by_peer_group_then_answers():
    """By hand: the peer group first, then the answers of the columns of few values,
    fewest first (q1 and q2, two values each, in column order; "size", all different,
    would keep alike respondents apart: last, as a tie-break only), each in the order its
    values first appear (no answer first): two respondents with the same answers are
    neighbours whatever their ids."""
    import pandas as pd

    from deckgen.workflows.personal import Recipient, alike, peer_group

    frame = pd.DataFrame(
        {"size": [15000, 230, 98000, 4100, 760],  # all different: not looked at
         "q1": ["x", "y", "x", "x", None], "peer": ["b", "a", "a", "b", "a"],
         "q2": ["1", "2", "1", "1", "2"]},
        index=["R1", "R2", "R3", "R4", "R5"],
    )  # fmt: skip
    place = alike(frame, "peer")
    order = sorted(frame.index, key=lambda rid: place(Recipient(rid, rid, rid)))
    # b (first seen): R1 and R4 (x, 1) together; a: R5 (no answer), R3 (x), R2 (y)
    assert order == ["R1", "R4", "R5", "R3", "R2"]
    assert place(Recipient("?", "R9", "R9")) == len(frame)  # not in the frame: last
    group = peer_group(frame, "q1")  # equal answers, equal codes; no answer its own
    codes = [group(Recipient(rid, rid, rid)) for rid in frame.index]
    assert codes[0] == codes[2] == codes[3] != codes[1] != codes[4] != codes[0]


def test_a_parallel_personal_batch_writes_the_decks_of_a_serial_one(tmp_path, monkeypatch):
    """Dealt in runs of alike recipients, each deck is the same bytes as built one
    after another in one process (a sample of 8 of the 31 decks); the order of alike
    recipients is worked out only where it is used, by a parallel batch, once."""
    from deckgen.workflows import batch, personal

    ordered = []
    places = personal._places
    monkeypatch.setattr(personal, "_places", lambda *a: ordered.append(1) or places(*a))
    groups = []  # the runs are cut by peer group, each group's recipients side by side
    cut = batch.runs
    monkeypatch.setattr(batch, "runs", lambda *a, **k: groups.append(k["group"]) or cut(*a, **k))
    project = deckgen.load(SPEC)
    one = project.build_personal(tmp_path / "one", peers="type_collectivite", jobs=1, shard="1/4")
    assert not ordered
    two = project.build_personal(tmp_path / "two", peers="type_collectivite", jobs=2, shard="1/4")
    assert len(ordered) == 1
    frame = project._loaded.survey.frame
    types = {o.key: frame.at[o.key, "type_collectivite"] for o in two}  # keys: the ids
    (group,) = groups
    assert len(group) == 8 and len(set(group)) == len(set(types.values())) > 1
    assert all(a == b or b not in group[:i] for i, (a, b) in enumerate(zip(group, group[1:])))
    assert [o.key for o in one] == [o.key for o in two] and len(one) == 8
    for a, b in zip(one, two):
        assert a.path.read_bytes() == b.path.read_bytes(), a.key


@pytest.mark.parametrize("each", [["--each-respondent"], ["--each", "type_collectivite"]])
def test_an_output_folder_under_a_file_is_refused_once_before_any_deck_is_built(
    tmp_path, monkeypatch, each
):
    """`-o` under a file: one line, exit 2, and no deck built first (a batch of 31 decks
    used to build every deck, then say 31 times that it could not write it)."""
    from deckgen.errors import OutputError
    from deckgen.workflows import batch

    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(batch, "run", lambda *a, **k: pytest.fail("a deck was built"))
    with pytest.raises(OutputError, match=r"cannot write in .*afile is a file, not a folder"):
        deckgen.load(SPEC).build_personal(blocker / "decks")
    run = invoke("build", SPEC, *each, "-o", blocker / "decks", "-q")
    assert run.code == 2
    lines = run.output.strip().splitlines()
    assert len(lines) == 1 and f"{blocker} is a file, not a folder" in lines[0], run.output
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    broken = tmp_path / "gone"
    broken.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match=r"gone is a broken link"):
        deckgen.load(SPEC).build_personal(broken)


_FORKED_AFTER = {"warm": False}


def _saw_warm(item: int):
    from deckgen.workflows.batch import Outcome

    return Outcome(str(item), str(_FORKED_AFTER["warm"]))


def test_what_every_worker_loads_is_loaded_once_before_forking(monkeypatch):
    """`before_fork` runs in the parent before the workers fork (they see what it did),
    and not at all when nothing forks."""
    from deckgen.workflows.batch import run

    calls = []

    def warm():
        calls.append(1)
        _FORKED_AFTER["warm"] = True

    monkeypatch.setitem(_FORKED_AFTER, "warm", False)
    assert {o.label for o in run(list(range(4)), _saw_warm, jobs=2, before_fork=warm)} == {"True"}
    assert calls == [1]
    monkeypatch.setitem(_FORKED_AFTER, "warm", False)
    assert {o.label for o in run(list(range(4)), _saw_warm, jobs=1, before_fork=warm)} == {"False"}
    assert calls == [1]


def test_preload_loads_what_a_first_personal_deck_would():
    """In a fresh interpreter, after `pipeline.preload`, building the first
    personal deck of a batch (where a forked worker starts) imports none of deckgen's,
    python-pptx's, xlsxwriter's or Pillow's modules: workers forked after it import
    nothing of those again."""
    code = textwrap.dedent(
        f"""
        import sys, tempfile
        import deckgen
        from deckgen.workflows import batch
        from deckgen.workflows.pipeline import preload
        project = deckgen.load({str(SPEC)!r})
        preload(project.spec.deck.locale)
        new = []
        collected = batch._collected

        def first(work, item):
            before = set(sys.modules)
            try:
                return collected(work, item)
            finally:
                new.append(set(sys.modules) - before)

        batch._collected = first
        project.build_personal(tempfile.mkdtemp(), peers="type_collectivite", jobs=1, shard="1/31")
        heavy = ("deckgen", "pptx", "xlsxwriter", "PIL")
        print(sorted(m for m in new[0] if m.split(".")[0] in heavy))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
