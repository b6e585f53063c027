"""The indicator model: what to compute, as written under `indicator:` in a spec.

Kept apart from the computation (deckgen.analysis.indicators, which needs pandas) so that
reading and checking a spec, and a build whose results are cached, never import
pandas.
"""

from __future__ import annotations

from typing import Any, Literal

from deckgen import indicator_kinds
from deckgen.errors import suggest, valid_list
from deckgen.inputs.codebook import Question, _code
from deckgen.inputs.conditions import Condition
from deckgen.inputs.model import Model, field


def _codes(values: Any) -> Any:
    """Answer codes as text, whether written `commune` or `7` (as in the codebook)."""
    return [_code(v) for v in values] if isinstance(values, list) else values


def _below_one(q: Any) -> Any:
    if isinstance(q, (int, float)) and q >= 1:
        raise ValueError(f"must be less than 1 (0.25 for the first quartile), got {q:g}")
    return q


def _kinds() -> str:
    return "What to compute: " + ", ".join(indicator_kinds.names()) + "."


# the segments of one breakdown (`by:`): past this, a chart of series cannot be read, and
# a question with 1,000 options took minutes to compute and draw
MAX_SEGMENTS = 30


class EditionsRef(Model):
    """Which earlier editions to show beside the current figure (a trend)."""

    figure: str = field(description="The figure's `key` in the editions file.")
    show: list[str] | None = field(
        default=None,
        description="Edition ids to show (default: every one that published the figure); "
        "shown by date, whatever their order here.",
    )


class Indicator(Model):
    """What to compute. Written in the spec under `indicator:`."""

    kind: str = field(
        description=_kinds,
        what="indicator kind",
        choices=indicator_kinds.names,
    )
    question: str | None = field(
        default=None, description="Question id (distribution, multi, likert, ranking)."
    )
    # conditions are parsed once, when the spec is read (Condition.from_data)
    condition: Condition | None = field(
        default=None,
        description="share/count: the condition respondents must meet, "
        "e.g. {question: logiciel, in: [libre]}.",
    )
    filter: Condition | None = field(
        default=None,
        description="Restrict the respondents in scope (the base).",
    )
    base: Literal["asked", "all"] = field(
        default="asked",
        description="share: divide by those asked the question (asked) or by everyone in scope "
        "(all).",
    )
    options: list[str] | None = field(
        default=None,
        description="Show only these options/items, in this order with sort: fixed.",
        check=_codes,
        before=True,
    )
    sort: Literal["codebook", "desc", "asc", "fixed"] = field(
        default="codebook", description="Category order."
    )
    no_answer: Literal["keep", "exclude"] = field(
        default="keep",
        description="Keep the 'no answer' category in the chart and its base, or exclude it.",
    )
    top: int = field(
        default=3,
        ge=1,
        description="ranking: share of respondents who put each item in their top N.",
    )
    numerator: str | None = field(
        default=None, description="ratio: numeric question on top (e.g. budget)."
    )
    denominator: str | None = field(
        default=None, description="ratio: numeric question below (e.g. population)."
    )
    below: float | None = field(
        default=None, description="ratio: share of respondents whose ratio is below this."
    )
    label: str | None = field(default=None, description="Label of a scalar result.")
    q: float | None = field(
        default=None,
        gt=0,
        check=_below_one,
        description="quantile: which one, between 0 and 1, e.g. 0.25 for the first quartile "
        "(one definition, weighted or not: docs/statistics.md).",
    )
    weights: bool = field(
        default=True,
        description="Weight the figures with the codebook's `weight` column (when it names "
        "one); false: unweighted.",
    )
    decimals: int = field(
        default=1, ge=0, le=3, description="mean, median, quantile: decimals shown (3,7 jours)."
    )
    by: str | None = field(
        default=None,
        description="Break the figures down by this question (single choice, or numeric through "
        "its bands): one series per option, each over its own base. distribution, share, multi, "
        "likert.",
    )
    total: bool = field(
        default=False, description="With `by:`, the whole sample as a series too, first."
    )
    segments: dict[str, list[str]] | None = field(
        default=None,
        check=lambda groups: (
            {k: _codes(v) for k, v in groups.items()} if isinstance(groups, dict) else groups
        ),
        before=True,
        description="With `by:`, segments made of several options: {label: [codes]}, e.g. "
        "{Communes: [commune], Autres: [metropole, departement, region]}; default: one per "
        "option.",
    )
    test: Literal["none", "rest", "pairwise"] = field(
        default="none",
        description="With `by:`, test each segment's figure: against the rest of the sample "
        "(rest), or against each other segment (pairwise, letters A, B…); shares by the "
        "two-proportion z-test (Fisher's exact test where an expected count is under 5), "
        "means by Welch's t-test, at the theme's significance_level, the tests of a chart "
        "corrected together (the theme's multiple_comparisons); docs/statistics.md.",
    )
    editions: EditionsRef | None = field(
        default=None,
        description="A trend: the earlier editions' published figures (the deck's `editions` "
        "file) beside this one, with the change in points and a test where both bases are "
        "exact. distribution or share.",
    )
    score: list[str] | None = field(
        default=None,
        check=_codes,
        before=True,
        description="likert with `by:`: the levels whose share is shown per statement and "
        "segment (e.g. the two positive ones); without it, a block of levels per statement.",
    )

    def check(self, questions: dict[str, Question]) -> list[tuple[tuple[str, ...], str]]:
        """Problems with this indicator for this codebook, as (key path, message)."""
        out: list[tuple[tuple[str, ...], str]] = []
        kind = indicator_kinds.indicator_kind(self.kind)
        if kind is not None:
            out.extend(kind.check(self, questions))
        for key in ("filter", "condition"):
            cond = getattr(self, key)
            if cond is not None:
                out.extend(((key,), msg) for msg in cond.check(questions))
        out.extend(self._check_breakdown(questions))
        if self.options and self.question in questions:
            q = questions[self.question]
            codes = q.category_codes()
            for code in self.options:
                if code not in codes:
                    out.append(
                        (
                            ("options",),
                            f"`{code}` is not an option of `{q.id}`{suggest(code, codes)}; "
                            f"valid: {valid_list(codes)}",
                        )
                    )
        return out

    def _check_breakdown(self, questions: dict[str, Question]) -> list[tuple[tuple[str, ...], str]]:
        out: list[tuple[tuple[str, ...], str]] = []
        if self.by is None:
            if self.test != "none":
                out.append((("test",), "`test:` compares the segments of `by:`: set `by:` or "
                            "remove `test`"))  # fmt: skip
            if self.segments is not None:
                out.append((("segments",), "`segments:` groups the options of `by:`: set "
                            "`by:` or remove `segments`"))  # fmt: skip
            if self.total:
                out.append((("total",), "`total: true` adds the whole sample beside the "
                            "segments of `by:`: set `by:` or remove `total`"))  # fmt: skip
            if self.score is not None:
                out.append((("score",), "`score:` is the share shown per segment of `by:`: "
                            "set `by:` or remove `score`"))  # fmt: skip
            return out
        declared = indicator_kinds.declared(self.kind)
        if not declared.breaks_down:
            kinds = ", ".join(f"`{k}`" for k in indicator_kinds.which("breaks_down"))
            return [(("by",), f"`by:` breaks down {kinds} indicators, not `{self.kind}`")]
        by = questions.get(self.by)
        if by is None:
            return [(("by",), f"unknown question `{self.by}`{suggest(self.by, questions)}; "
                     f"valid questions: {valid_list(questions)}")]  # fmt: skip
        if by.type not in ("single", "numeric") or (by.type == "numeric" and not by.bands):
            out.append((("by",), f"`by:` needs a single-choice question, or a numeric one with "
                        f"`bands`, whose options make the segments; `{by.id}` is {by.type}"
                        + (" without bands" if by.type == "numeric" else "")))  # fmt: skip
        elif self.by == self.question:
            out.append((("by",), f"`{self.by}` broken down by itself: each segment would be "
                        "100 % of one option; choose another question"))  # fmt: skip
        elif (count := len(self.segments or by.category_codes())) > MAX_SEGMENTS:
            out.append((("by",), f"`{by.id}` has {count:,} options: a breakdown by it would "
                        f"draw {count:,} series (at most {MAX_SEGMENTS}); group them with "
                        "`segments:` ({label: [codes]}) or break down by a question with fewer "
                        "options"))  # fmt: skip
        if self.segments is not None and by.type in ("single", "numeric"):
            codes = by.category_codes()
            seen: set[str] = set()
            for label, members in self.segments.items():
                for code in members:
                    code = str(code)
                    if code not in codes:
                        out.append((("segments", label), f"`{code}` is not an option of "
                                    f"`{by.id}`{suggest(code, codes)}; valid: "
                                    f"{valid_list(codes)}"))  # fmt: skip
                    elif code in seen:
                        out.append((("segments", label), f"`{code}` is in two segments: "
                                    "each option may make part of one only"))  # fmt: skip
                    seen.add(code)
        if self.test != "none" and (not declared.testable or (declared.levels and not self.score)):
            what = (
                "a Likert grid's blocks of levels: test a score (`score:`)"
                if declared.testable
                else f"a `{self.kind}`: test a mean or a share"
            )
            out.append((("test",), f"no significance test for {what}"))
        if self.score is not None:
            if not declared.levels:
                kinds = " or ".join(f"`{k}`" for k in indicator_kinds.which("levels"))
                out.append((("score",), f"`score:` is for a {kinds} indicator"))
            elif self.question in questions:
                levels = [o.code for o in questions[self.question].options]
                for code in self.score:
                    if code not in levels:
                        out.append((("score",), f"`{code}` is not a level of "
                                    f"`{self.question}`{suggest(code, levels)}; valid: "
                                    f"{valid_list(levels)}"))  # fmt: skip
        return out
