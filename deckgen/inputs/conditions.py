"""Conditions on answers: who was asked a question, and spec filters.

One small language serves both the codebook (`asked_if`) and the deck spec
(`filter`, callout conditions), so a participation officer learns it once:

    {question: type_collectivite, in: [commune]}
    {question: reseaux_sociaux_plateformes, has: facebook}
    {question: dispositifs_numeriques, has_any: [plateforme, appli]}
    {question: budget_participation, answered: true}
    {question: population, min: 10000, max: 50000}
    {all: [...]}, {any: [...]}, {not: {...}}

Evaluation is vectorised over the whole response frame (one boolean Series),
never a Python loop per respondent. `describe` writes a condition compactly
(« Q » = « A »), for the name of a share and for data error messages; whom a
filter keeps, in a footnote's words, is the text layer's: deckgen.wording.phrases.who_text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from deckgen.errors import suggest, valid_list

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    import pandas as pd

    from deckgen.inputs.codebook import Question
    from deckgen.inputs.coded import Coded
    from deckgen.locales import Words

    ColumnCodes = Callable[[str], Coded | None]  # a column's codes, or None

SEP = "__"
_LEAF_KEYS = {"question", "in", "not_in", "has", "has_any", "has_all", "answered", "min", "max"}
_TESTS = ("in", "not_in", "has", "has_any", "has_all", "answered", "min", "max")
MAX_DEPTH = 20  # all/any/not nested deeper than this is a mistake, not a survey


@dataclass(frozen=True)
class Condition:
    """Base class; see the module docstring for the forms.

    Parsed once, where it is read (codebook `asked_if`, spec `filter` and
    `condition`); `raw` keeps what was written, for cache keys and exports.
    """

    raw: Any = field(default=None, compare=False, repr=False, kw_only=True)

    def to_data(self) -> Any:
        return self.raw

    @classmethod
    def from_data(cls, raw: Any) -> Condition:
        """The condition written as `raw` (YAML data); ValueError says what was expected."""
        return parse_condition(raw)

    def questions(self) -> list[str]:
        raise NotImplementedError

    def check(self, questions: dict[str, Question]) -> list[str]:
        raise NotImplementedError

    def evaluate(
        self, frame: pd.DataFrame, questions: dict[str, Question], codes: ColumnCodes | None = None
    ) -> pd.Series:
        """Whom the condition holds for, a row of `frame` each. `codes` gives a text
        column of `frame` as codes (deckgen.inputs.coded), where it has them: the same
        mask, without a look at each row's text."""
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Condition):
    question: str
    test: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    answered: bool = True

    def questions(self) -> list[str]:
        return [self.question]

    def check(self, questions: dict[str, Question]) -> list[str]:
        q = questions.get(self.question)
        if q is None:
            return [
                f"condition names unknown question `{self.question}`"
                f"{suggest(self.question, questions)}; valid questions: {valid_list(questions)}"
            ]
        errors = []
        if self.test in ("in", "not_in") and q.type not in ("single", "numeric"):
            errors.append(
                f"`{self.test}` applies to single-choice questions; `{q.id}` is {q.type} (use "
                "`has`/`has_any`)"
            )
        if self.test in ("has", "has_any", "has_all") and q.type != "multi":
            errors.append(
                f"`{self.test}` applies to multi-select questions; `{q.id}` is {q.type} (use `in`)"
            )
        if self.test in ("min", "max") and q.type != "numeric":
            errors.append(f"`min`/`max` apply to numeric questions; `{q.id}` is {q.type}")
        if self.test in ("in", "not_in", "has", "has_any", "has_all"):
            codes = (
                [b.code for b in q.bands] if q.type == "numeric" else [o.code for o in q.options]
            )
            for v in self.values:
                if str(v) not in codes:
                    errors.append(
                        f"`{v}` is not an option of `{q.id}`{suggest(str(v), codes)}; "
                        f"valid options: {valid_list(codes)}"
                    )
        return errors

    def evaluate(
        self, frame: pd.DataFrame, questions: dict[str, Question], codes: ColumnCodes | None = None
    ) -> pd.Series:
        q = questions[self.question]
        if self.test in ("has", "has_any", "has_all"):
            cols = frame[[f"{q.id}{SEP}{v}" for v in self.values]].eq(1)
            return cols.all(axis=1) if self.test == "has_all" else cols.any(axis=1)
        # a text question's answers, from their codes: whether answered, or (a single
        # choice: one column) which
        if codes is not None and (
            self.test == "answered" or (self.test in ("in", "not_in") and q.type == "single")
        ):
            coded = [codes(c) for c in q.columns()]
            if coded and None not in coded:
                return self._coded(frame, [c for c in coded if c is not None])
        if self.test == "answered":
            cols = frame[q.columns()]
            has = cols.notna().any(axis=1)
            return has if self.answered else ~has
        col = frame[q.id]
        if self.test in ("min", "max"):
            mask = col.notna()
            if self.low is not None:
                mask &= col >= self.low
            if self.high is not None:
                mask &= col < self.high
            return mask
        if q.type == "numeric":  # `in` over bands
            from deckgen.inputs.bands import band_codes

            col = band_codes(col, q.bands)
        values = [str(v) for v in self.values]
        hit = col.isin(values)
        if self.test == "not_in":
            return col.notna() & ~hit
        return hit.fillna(False).astype(bool)

    def _coded(self, frame: pd.DataFrame, coded: list[Coded]) -> pd.Series:
        """`evaluate` of `answered`, `in` or `not_in` on a text question, from its
        columns' codes: the same Series, named as the frame's column would name it."""
        import numpy as np
        import pandas as pd

        if self.test == "answered":
            has = np.logical_or.reduce([c.present() for c in coded])
            return pd.Series(has if self.answered else ~has, index=frame.index, copy=False)
        (col,) = coded  # `in` and `not_in`: a single-choice question, one column
        hit = col.isin(str(v) for v in self.values)
        mask = col.present() & ~hit if self.test == "not_in" else hit
        return pd.Series(mask, index=frame.index, name=self.question, copy=False)


@dataclass(frozen=True)
class Combine(Condition):
    op: str  # all | any | not
    parts: tuple[Condition, ...]

    def questions(self) -> list[str]:
        return [name for p in self.parts for name in p.questions()]

    def check(self, questions: dict[str, Question]) -> list[str]:
        return [msg for p in self.parts for msg in p.check(questions)]

    def evaluate(
        self, frame: pd.DataFrame, questions: dict[str, Question], codes: ColumnCodes | None = None
    ) -> pd.Series:
        masks = [p.evaluate(frame, questions, codes) for p in self.parts]
        if self.op == "not":
            return ~masks[0]
        out = masks[0]
        for m in masks[1:]:
            out = (out & m) if self.op == "all" else (out | m)
        return out


def parse_condition(raw: Any, depth: int = 0) -> Condition:
    """Build a Condition from YAML data; ValueError says what was expected."""
    if isinstance(raw, Condition):
        return raw
    if depth > MAX_DEPTH:
        raise ValueError(f"conditions nested more than {MAX_DEPTH} deep (all/any/not): simplify")
    if not isinstance(raw, dict) or not raw:
        raise ValueError(
            "a condition is a mapping such as {question: type_collectivite, in: [commune]}"
        )
    for op in ("all", "any"):
        if op in raw:
            if len(raw) != 1 or not isinstance(raw[op], list) or not raw[op]:
                raise ValueError(
                    f"`{op}` takes a non-empty list of conditions and nothing beside it"
                )
            return Combine(op, tuple(parse_condition(p, depth + 1) for p in raw[op]), raw=raw)
    if "not" in raw:
        if len(raw) != 1:
            raise ValueError("`not` takes one condition and nothing beside it")
        return Combine("not", (parse_condition(raw["not"], depth + 1),), raw=raw)
    unknown = [k for k in raw if k not in _LEAF_KEYS]
    if unknown:
        k = str(unknown[0])
        raise ValueError(
            f"unknown condition key `{k}`{suggest(k, _LEAF_KEYS | {'all', 'any', 'not'})}; "
            f"valid keys: {valid_list(_LEAF_KEYS | {'all', 'any', 'not'})}"
        )
    question = raw.get("question")
    if not isinstance(question, str):
        raise ValueError("a condition needs `question: <question id>`")
    tests = [t for t in _TESTS if t in raw]
    if not tests:
        raise ValueError(f"condition on `{question}` needs a test: one of {valid_list(_TESTS)}")
    if set(tests) == {"min", "max"} or tests in (["min"], ["max"]):
        for key in ("min", "max"):
            value = raw.get(key)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise ValueError(f"`{key}` takes a finite number, got `{value}`")
        return Leaf(question, "min", low=raw.get("min"), high=raw.get("max"), raw=raw)
    if len(tests) > 1:
        raise ValueError(
            f"condition on `{question}` has several tests ({', '.join(tests)}); use `all:`"
        )
    test = tests[0]
    value = raw[test]
    if test == "answered":
        if not isinstance(value, bool):  # a quoted "false" would be true
            raise ValueError(f"`answered` takes true or false (unquoted), got `{value}`")
        return Leaf(question, "answered", answered=value, raw=raw)
    if test == "has":
        values: tuple[Any, ...] = (str(value),)
    elif isinstance(value, list) and value:
        if not all(isinstance(v, (str, int, date)) and not isinstance(v, bool) for v in value):
            raise ValueError(f"`{test}` takes a list of option codes, got `{value}`")
        values = tuple(str(v) for v in value)
    elif test in ("in", "not_in", "has_any", "has_all") and isinstance(value, (str, int)):
        values = (str(value),)
    else:
        raise ValueError(f"`{test}` takes a list of option codes")
    return Leaf(question, test, values=values, raw=raw)


# -- a condition in words (footnotes, filters, data error messages) ---------------------


def describe(condition: Condition, questions: dict[str, Question], w: Words) -> str:
    """« Type de collectivité » = « Commune » ou « Région » (fr); “…” = “…” or “…” (en)."""
    if isinstance(condition, Combine):
        inner = [describe(p, questions, w) for p in condition.parts]
        if condition.op == "not":
            return w("cond_not", inner=inner[0])
        return w.join(inner, "and" if condition.op == "all" else "or")
    assert isinstance(condition, Leaf)
    q = questions.get(condition.question)
    text = w.quote(q.text if q else condition.question)
    if condition.test == "answered":
        return f"{text} {w('cond_answered' if condition.answered else 'cond_not_answered')}"
    if condition.test in ("min", "max"):
        parts = []
        if condition.low is not None:
            parts.append(f"≥ {condition.low:g}")
        if condition.high is not None:
            parts.append(f"< {condition.high:g}")
        return f"{text} {w.join(parts, 'and')}"
    labels = [w.quote(label) for label in value_labels(condition, q)]
    verb = {"in": "cond_in", "not_in": "cond_not_in", "has": "cond_has", "has_any": "cond_has"}
    if condition.test == "has_all":
        return f"{text} {w('cond_has_all')} {w.join(labels, 'and')}"
    return f"{text} {w(verb[condition.test])} {w.join(labels, 'or')}"


def value_labels(condition: Leaf, q: Question | None) -> list[str]:
    """The labels of the options (or a numeric question's bands) a test names, its
    codes where the codebook has none."""
    labels = []
    for v in condition.values:
        found = None
        if q is not None:
            pool = q.bands if q.type == "numeric" else q.options
            found = next((o for o in pool if o.code == str(v)), None)
        labels.append(found.label if found else str(v))
    return labels


def asked_text(q: Question, column: str, questions: dict[str, Question], w: Words) -> str:
    """Who was asked the question behind `column`, for a data error message."""
    parts = []
    if q.asked_if is not None:
        parts.append(describe(q.asked_if, questions, w))
    if q.type == "multi":
        opt = q.option(column.split("__", 1)[1])
        if opt is not None and opt.asked_if is not None:
            parts.append(describe(opt.asked_if, questions, w))
    return "asked only if " + w.join(parts, "and") if parts else "asked of everyone"
