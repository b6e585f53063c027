"""The codebook: what each survey question is, its options and who was asked.

Format: docs/codebook.md. Parsed from YAML with positions kept, so a mistake in
the codebook is reported as `codebook.yaml:LINE:COL`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conditions import Condition, parse_condition
from .errors import DataError, Problem, suggest, valid_list
from .yamlpos import Located, load_yaml

QUESTION_TYPES = ("single", "multi", "likert", "ranking", "numeric", "text")
SEP = "__"  # between a question id and an option/item code in column names


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    no_answer: bool = False
    dont_know: bool = False
    asked_if: Condition | None = None
    base_label: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min: float | None = None
    max: float | None = None
    no_answer: bool = False


@dataclass
class Question:
    id: str
    text: str
    type: str
    options: list[Option] = field(default_factory=list)
    items: list[Option] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    asked_if: Condition | None = None
    base_label: str | None = None
    published: bool = False
    max_picks: int | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None

    def columns(self) -> list[str]:
        """The response columns this question owns, in order."""
        if self.type == "multi":
            return [f"{self.id}{SEP}{o.code}" for o in self.options]
        if self.type in ("likert", "ranking"):
            return [f"{self.id}{SEP}{i.code}" for i in self.items]
        return [self.id]

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def item(self, code: str) -> Option | None:
        return next((i for i in self.items if i.code == code), None)

    def categories(self) -> list[Option | Band]:
        """What a distribution of this question is made of: options or bands."""
        if self.type == "numeric":
            return list(self.bands)
        if self.type in ("likert", "ranking"):
            return list(self.items)
        return list(self.options)

    def category_codes(self) -> list[str]:
        return [c.code for c in self.categories()]


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

    def question(self, qid: str, where: str = "") -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            raise DataError(self.unknown_question(qid, where)) from None

    def unknown_question(self, qid: str, where: str = "") -> str:
        prefix = f"{where}: " if where else ""
        return (
            f"{prefix}unknown question `{qid}`{suggest(qid, self.questions)}; "
            f"valid questions: {valid_list(self.questions)}"
        )


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook; every problem is collected, then raised once."""
    path = Path(path)
    doc = load_yaml(path, DataError)
    return parse_codebook(doc, path)


def parse_codebook(doc: Located, path: Path) -> Codebook:
    problems: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        raise DataError(doc.problem((), "a codebook is a mapping with `survey:` and `questions:`"))
    survey = data.get("survey") or {}
    if not isinstance(survey, dict):
        problems.append(doc.problem(("survey",), "`survey` must be a mapping"))
        survey = {}
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise DataError(doc.problem(("questions",), "`questions` must be a non-empty list"))

    questions: dict[str, Question] = {}
    for i, raw in enumerate(raw_questions):
        q = _parse_question(doc, ("questions", i), raw, problems)
        if q is None:
            continue
        if q.id in questions:
            problems.append(doc.problem(("questions", i, "id"), f"duplicate question id `{q.id}`"))
        questions[q.id] = q

    # Conditions may name any question: check them once all are known.
    for i, raw in enumerate(raw_questions):
        qid = raw.get("id") if isinstance(raw, dict) else None
        q = questions.get(qid) if isinstance(qid, str) else None
        if q is None:
            continue
        if q.asked_if is not None:
            for msg in q.asked_if.check(questions):
                problems.append(doc.problem(("questions", i, "asked_if"), msg))
        for j, opt in enumerate(q.options):
            if opt.asked_if is not None:
                for msg in opt.asked_if.check(questions):
                    problems.append(doc.problem(("questions", i, "options", j, "asked_if"), msg))

    if problems:
        raise DataError(problems)
    responses = survey.get("responses", "responses.csv")
    return Codebook(
        id=str(survey.get("id", path.parent.name)),
        title=str(survey.get("title", "")),
        respondents=str(survey["respondents"]) if survey.get("respondents") else None,
        respondent_id=str(survey.get("respondent_id", "id")),
        responses=(path.parent / str(responses)),
        source=str(survey.get("source", "")),
        questions=questions,
        file=str(path),
    )


_QUESTION_KEYS = {
    "id",
    "text",
    "type",
    "options",
    "items",
    "bands",
    "asked_if",
    "published",
    "max_picks",
    "unit",
    "min",
    "max",
    "base_label",
    "note",
}


def _parse_question(doc: Located, at: tuple, raw: Any, problems: list[Problem]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(doc.problem(at, "each question is a mapping with `id`, `text`, `type`"))
        return None
    for key in raw:
        if key not in _QUESTION_KEYS:
            problems.append(
                doc.problem(
                    at + (key,), f"unknown key `{key}`{suggest(key, _QUESTION_KEYS)}", key=True
                )
            )
    qid, qtype = raw.get("id"), raw.get("type")
    if not isinstance(qid, str) or not qid:
        problems.append(doc.problem(at, "question without an `id`"))
        return None
    if qtype not in QUESTION_TYPES:
        problems.append(
            doc.problem(
                at + ("type",),
                f"question `{qid}`: unknown type `{qtype}`{suggest(str(qtype), QUESTION_TYPES)}; "
                f"expected one of {valid_list(QUESTION_TYPES)}",
            )
        )
        return None
    q = Question(
        id=qid,
        text=str(raw.get("text", qid)),
        type=qtype,
        published=bool(raw.get("published", False)),
        max_picks=raw.get("max_picks"),
        unit=raw.get("unit"),
        min=raw.get("min"),
        max=raw.get("max"),
        base_label=raw.get("base_label"),
    )
    q.options = _parse_options(doc, at + ("options",), raw.get("options") or [], problems, qid)
    q.items = _parse_options(doc, at + ("items",), raw.get("items") or [], problems, qid)
    q.bands = _parse_bands(doc, at + ("bands",), raw.get("bands") or [], problems, qid)
    if raw.get("asked_if") is not None:
        q.asked_if = _condition(doc, at + ("asked_if",), raw["asked_if"], problems)
    needs = {"single": "options", "multi": "options", "likert": "items", "ranking": "items"}
    if qtype in needs and not getattr(q, needs[qtype]):
        problems.append(doc.problem(at, f"question `{qid}` of type {qtype} needs `{needs[qtype]}`"))
    if qtype == "likert" and not q.options:
        problems.append(doc.problem(at, f"likert question `{qid}` needs `options` (its scale)"))
    if qtype == "ranking" and not isinstance(q.max_picks, int):
        problems.append(doc.problem(at, f"ranking question `{qid}` needs an integer `max_picks`"))
    return q


def _condition(doc: Located, at: tuple, raw: Any, problems: list[Problem]) -> Condition | None:
    try:
        return parse_condition(raw)
    except ValueError as exc:
        problems.append(doc.problem(at, str(exc)))
        return None


def _parse_options(
    doc: Located, at: tuple, raw: Any, problems: list[Problem], qid: str
) -> list[Option]:
    if not isinstance(raw, list):
        problems.append(doc.problem(at, f"question `{qid}`: expected a list"))
        return []
    out: list[Option] = []
    seen: set[str] = set()
    for j, item in enumerate(raw):
        if not isinstance(item, dict) or "code" not in item:
            problems.append(
                doc.problem(at + (j,), f"question `{qid}`: each entry needs `code` and `label`")
            )
            continue
        code = str(item["code"])
        if code in seen:
            problems.append(
                doc.problem(at + (j, "code"), f"question `{qid}`: duplicate code `{code}`")
            )
        seen.add(code)
        known = {"code", "label", "no_answer", "dont_know", "asked_if", "base_label"}
        out.append(
            Option(
                code=code,
                label=str(item.get("label", code)),
                no_answer=bool(item.get("no_answer", False)),
                dont_know=bool(item.get("dont_know", False)),
                asked_if=_condition(doc, at + (j, "asked_if"), item["asked_if"], problems)
                if item.get("asked_if") is not None
                else None,
                base_label=item.get("base_label"),
                attrs={k: v for k, v in item.items() if k not in known},
            )
        )
    return out


def _parse_bands(
    doc: Located, at: tuple, raw: Any, problems: list[Problem], qid: str
) -> list[Band]:
    if not isinstance(raw, list):
        problems.append(doc.problem(at, f"question `{qid}`: `bands` must be a list"))
        return []
    out = []
    for j, item in enumerate(raw):
        if not isinstance(item, dict) or "code" not in item:
            problems.append(
                doc.problem(at + (j,), f"question `{qid}`: each band needs `code` and `label`")
            )
            continue
        out.append(
            Band(
                code=str(item["code"]),
                label=str(item.get("label", item["code"])),
                min=item.get("min"),
                max=item.get("max"),
                no_answer=bool(item.get("no_answer", False)),
            )
        )
    return out
