"""The codebook: what each survey question is, its options and who was asked.

Format: docs/codebook.md. Read from YAML with positions kept and validated
against the models below (deckgen.inputs.model), like the spec: every mistake is
reported at once, as `codebook.yaml:LINE:COL: questions[3].options[2].lable:
unknown key `lable` (did you mean `label`?)`. Booleans are strict (YAML's own
true/false), conditions are parsed once into typed objects, and what the
questions claim of the responses (their columns) is checked for clashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from deckgen.errors import DataError, Problem, suggest, valid_list
from deckgen.inputs.conditions import Condition
from deckgen.inputs.model import Model, field, validated
from deckgen.inputs.yamlpos import Located, load_yaml

_WHOLE = re.compile(r"-?\d+")
SEP = "__"  # between a question id and an option/item code in column names
MAX_PICKS = 1000  # a ranking of more items than this is a mistake


def _code(value: Any) -> str:
    """An answer code as text: `commune`, or a number as a survey file holds it (`7`)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"a code is text or a whole number, got `{value}`")
    text = str(value)
    if not text.strip():
        raise ValueError("a code cannot be empty")
    return text


def _option_colour(value: Any) -> Any:
    """An option's `color:` as 6 upper-case hex digits (`#` allowed)."""
    from deckgen.inputs.theme import _check_hex

    return None if value is None else _check_hex(str(value))


class Option(Model):
    """An answer option (single, multi, likert scale) or an item (likert, ranking)."""

    code: str = field(description="What the responses hold.", check=_code, before=True)
    label: str = field(default="", description="As a slide shows it (default: the code).")
    no_answer: bool = field(default=False, description="This option means no answer.")
    dont_know: bool = field(
        default=False, description="This option means don't know (shown apart)."
    )
    asked_if: Condition | None = field(
        default=None, description="Who was asked this option (a condition)."
    )
    base_label: str | None = field(
        default=None, description="How a footnote names this option's own base; {n} is the base."
    )
    attrs: dict[str, Any] = field(
        factory=dict, description="Extra attributes for renderers, e.g. {insee: '84'}."
    )
    column: str | None = field(
        default=None,
        description="multi option, likert or ranking item: its column in the responses "
        "(default: <question id>__<code>).",
    )
    color: str | None = field(
        default=None,
        description="The colour this option is drawn in wherever it appears (a party's "
        "colour), as 6 hex digits: its bar, slice or segment, in every chart and image.",
        check=_option_colour,
        before=True,
    )

    def validated(self) -> None:
        if not self.label:
            self.label = str(self.code)

    @property
    def insee(self) -> str | None:
        """The INSEE region code (`attrs: {insee: …}`) the regions map places this option at."""
        value = self.attrs.get("insee")
        return None if value is None else str(value)


class Band(Model):
    """A range of a numeric answer, shown as a category."""

    code: str = field(check=_code, before=True)
    label: str = ""
    min: float | None = field(default=None, description="Inclusive lower bound.")
    max: float | None = field(default=None, description="Exclusive upper bound.")
    no_answer: bool = field(default=False, description="The band of an empty cell.")
    other: bool = field(default=False, description="The band of every value no other band takes.")

    def validated(self) -> None:
        if not self.label:
            self.label = str(self.code)
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(
                f"band `{self.code}`: `min` {self.min:g} is not below `max` {self.max:g}"
            )


class Question(Model):
    id: str = field(description="snake_case, unique.")
    text: str = field(default="", description="The wording, as a slide shows it (default: id).")
    type: Literal["single", "multi", "likert", "ranking", "numeric", "text"] = field(
        what="question type"
    )
    options: list[Option] = field(factory=list)
    items: list[Option] = field(factory=list)
    bands: list[Band] = field(factory=list)
    asked_if: Condition | None = None
    base_label: str | None = None
    published: bool = field(
        default=False,
        description="Its figures were published: every one, unless `published_figures` "
        "lists which.",
    )
    published_figures: list[str | list[str]] = field(
        factory=list,
        description="The figures of it that were published, when not every one was: an "
        "option's code (the share who chose it, over those asked), or a list of codes (the "
        "share who chose any of them). A figure with an `expect:` in the spec is published "
        "too.",
    )
    column: str | None = field(
        default=None, description="Its column in the responses (default: the id)."
    )
    optional: bool = field(
        default=False,
        description="Respondents could leave it empty: an empty cell (or a `missing` code) "
        "is no answer, not a mistake.",
    )
    missing: list[str] = field(
        factory=list,
        description="Codes that mean no answer (8, 9, -1…): read as an empty cell.",
        check=lambda values: [_code(v) for v in values] if isinstance(values, list) else values,
        before=True,
    )
    max_picks: int | None = field(default=None, ge=1, le=MAX_PICKS)
    scale: Literal["bipolar", "ascending", "descending", "none"] | None = field(
        default=None,
        what="scale",
        description="How its options are ordered, for their colours: bipolar (two sides "
        "around a middle, agree to disagree: a diverging palette), ascending (one side, "
        "listed from the weakest level, lightest, to the strongest, darkest: a sequential "
        "palette), descending (one side, listed from the strongest, darkest) or none (no "
        "order: distinct colours). Default: bipolar for a likert question, none otherwise.",
    )
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    note: str | None = None

    def validated(self) -> None:
        if not self.text:
            self.text = self.id
        needs = {"single": "options", "multi": "options", "likert": "items", "ranking": "items"}
        wanted = needs.get(self.type)
        if wanted and not getattr(self, wanted):
            raise ValueError(f"question `{self.id}` of type {self.type} needs `{wanted}`")
        if self.type == "likert" and not self.options:
            raise ValueError(f"likert question `{self.id}` needs `options` (its scale)")
        if self.scale not in (None, "none") and self.type not in ("single", "likert", "numeric"):
            raise ValueError(
                f"question `{self.id}`: `scale: {self.scale}` orders the options of a single, "
                f"likert or numeric question; a {self.type} question's are not one scale"
            )
        if self.type == "ranking" and self.max_picks is None:
            raise ValueError(f"ranking question `{self.id}` needs an integer `max_picks`")
        for name in ("options", "items", "bands"):
            codes = [str(o.code) for o in getattr(self, name)]
            twice = sorted({c for c in codes if codes.count(c) > 1})
            if twice:
                raise ValueError(f"question `{self.id}`: duplicate code `{twice[0]}` in `{name}`")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(
                f"question `{self.id}`: `min` {self.min:g} is above `max` {self.max:g}"
            )
        for flag, what in (("no_answer", "an empty cell"), ("other", "a number no band holds")):
            both = [str(b.code) for b in self.bands if getattr(b, flag)]
            if len(both) > 1:  # which one would be a guess, made one way or another
                raise ValueError(
                    f"question `{self.id}`: bands `{both[0]}` and `{both[1]}` are both "
                    f"`{flag}: true`; {what} goes to one band only"
                )
        codes = [str(c.code) for c in self.categories()]
        for entry in self.published_figures:
            for code in [entry] if isinstance(entry, str) else entry:
                if str(code) not in codes:
                    raise ValueError(
                        f"question `{self.id}`: `published_figures` names `{code}`, which is not "
                        f"one of its codes{suggest(str(code), codes)}; valid: {valid_list(codes)}"
                    )

    @property
    def ordering(self) -> str:
        """Its `scale:`, or the default: bipolar for a Likert scale, else none."""
        if self.scale is not None:
            return self.scale
        return "bipolar" if self.type == "likert" else "none"

    def figure_published(self, codes: list[str] | tuple[str, ...]) -> bool:
        """Whether the share of those who chose any of `codes` is a published figure:
        listed in `published_figures`, or, without that list, any of a `published`
        question's."""
        if not self.published_figures:
            return self.published
        wanted = {str(c) for c in codes}
        return any(
            {str(c) for c in ([e] if isinstance(e, str) else e)} == wanted
            for e in self.published_figures
        )

    def columns(self) -> list[str]:
        """The response columns this question owns, in order, by their names in deckgen
        (`id`, or `id__code` per option or item), whatever they are called in the file."""
        return list(self.column_names())

    def column_names(self) -> dict[str, str]:
        """{name in deckgen: name in the responses file} of this question's columns."""
        if self.type == "multi":
            return {
                f"{self.id}{SEP}{o.code}": o.column or f"{self.id}{SEP}{o.code}"
                for o in self.options
            }
        if self.type in ("likert", "ranking"):
            return {
                f"{self.id}{SEP}{i.code}": i.column or f"{self.id}{SEP}{i.code}" for i in self.items
            }
        return {self.id: self.column or self.id}

    @property
    def numeric_codes(self) -> bool:
        """Its answer codes are whole numbers: a cell `7.0` is the code `7`."""
        pool = self.bands if self.type == "numeric" else self.options
        return bool(pool) and all(_WHOLE.fullmatch(str(o.code)) for o in pool)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if str(o.code) == code), None)

    def categories(self) -> list[Option | Band]:
        """What a distribution of this question is made of: options or bands."""
        if self.type == "numeric":
            return list(self.bands)
        if self.type in ("likert", "ranking"):
            return list(self.items)
        return list(self.options)

    def category_codes(self) -> list[str]:
        return [str(c.code) for c in self.categories()]


class SurveyInfo(Model):
    id: str | None = field(default=None, description="Stable id (default: the folder's name).")
    title: str = ""
    respondents: str | None = field(
        default=None, description="Plural noun for respondents: 'Base : 31 collectivités'."
    )
    respondent: str | None = field(default=None, description="The same noun, singular.")
    respondent_id: str = field(default="id", description="The id column of the responses.")
    responses: str = field(default="responses.csv", description="Relative to the codebook.")
    sheet: str | None = field(
        default=None,
        description="An XLSX workbook's sheet holding the responses, by name (default: the "
        "first visible sheet, when it is the only one with rows).",
    )
    source: str = ""
    ignore: list[str] = field(
        factory=list, description="Columns of the responses that no question reads."
    )
    weight: str | None = field(
        default=None,
        description="The column of the responses holding each respondent's weight (a number, "
        "0 or more): every figure is then weighted, unless an indicator says `weights: false`.",
    )
    strata: str | None = field(
        default=None,
        description="The column of the responses holding each respondent's stratum, when the "
        "sample was stratified: significance tests then use the design's variances "
        "(docs/statistics.md). Each stratum needs two clusters or more.",
    )
    clusters: str | None = field(
        default=None,
        description="The column of the responses holding each respondent's cluster (primary "
        "sampling unit), when the sample was drawn in clusters: significance tests then use "
        "the design's variances. Without it, each respondent is their own cluster.",
    )
    reconstruction: bool = field(
        default=False,
        description="The responses are a reconstruction, not the real answers: the figures "
        "of questions not `published` are then marked illustrative.",
    )


class CodebookFile(Model):
    survey: SurveyInfo = field(factory=SurveyInfo)
    questions: list[Question] = field(min_length=1)


@dataclass
class Codebook:
    id: str
    title: str
    respondents: str | None  # the noun for respondents; None: the deck locale's
    respondent_id: str
    responses: Path
    source: str
    questions: dict[str, Question]
    file: str
    respondent: str | None = None
    ignore: tuple[str, ...] = ()
    reconstruction: bool = False  # the rows are reconstructed: unpublished figures illustrative
    weight: str | None = None  # the column of each respondent's weight
    strata: str | None = None  # the column of each respondent's stratum (a design)
    clusters: str | None = None  # the column of each respondent's cluster, PSU (a design)
    sheet: str | None = None  # an XLSX workbook's sheet of responses


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook; every problem is collected, then raised once."""
    path = Path(path)
    doc = load_yaml(path, DataError)
    return parse_codebook(doc, path)


def parse_codebook(doc: Located, path: Path) -> Codebook:
    if not isinstance(doc.data, dict):
        raise DataError(doc.problem((), "a codebook is a mapping with `survey:` and `questions:`"))
    parsed = validated(doc, CodebookFile, DataError)
    problems: list[Problem] = []
    questions: dict[str, Question] = {}
    owner: dict[str, tuple[int, str]] = {}  # column -> (question index, question id)
    for i, q in enumerate(parsed.questions):
        if q.id in questions:
            problems.append(doc.problem(("questions", i, "id"), f"duplicate question id `{q.id}`"))
            continue
        questions[q.id] = q
        names = q.column_names()
        # deckgen's names of the columns are each question's own; a column of the file may
        # serve several questions (a 0-10 scale as a grid item and as a number for a mean)
        for column in names:
            if column in owner and owner[column][1] != q.id:
                first = owner[column][1]
                problems.append(
                    doc.problem(
                        ("questions", i, "id"),
                        f"question `{q.id}` claims the column `{column}`, which is already "
                        f"question `{first}`'s: rename one of them",
                    )
                )
            owner.setdefault(column, (i, q.id))
    # conditions may name any question: check them once all are known
    for i, q in enumerate(parsed.questions):
        if q.asked_if is not None:
            for msg in q.asked_if.check(questions):
                problems.append(doc.problem(("questions", i, "asked_if"), msg))
        for j, opt in enumerate(q.options):
            if opt.asked_if is not None:
                for msg in opt.asked_if.check(questions):
                    problems.append(doc.problem(("questions", i, "options", j, "asked_if"), msg))
    if problems:
        raise DataError(problems)
    survey = parsed.survey
    return Codebook(
        id=survey.id or path.parent.name,
        title=survey.title,
        respondents=survey.respondents,
        respondent_id=survey.respondent_id,
        responses=path.parent / survey.responses,
        source=survey.source,
        questions=questions,
        file=str(path),
        respondent=survey.respondent,
        ignore=tuple(survey.ignore),
        reconstruction=survey.reconstruction,
        weight=survey.weight,
        strata=survey.strata,
        clusters=survey.clusters,
        sheet=survey.sheet,
    )
