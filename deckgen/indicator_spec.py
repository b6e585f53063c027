"""The indicator model: what to compute, as written under `indicator:` in a spec.

Kept apart from the computation (deckgen.indicators, which needs pandas) so that
reading and checking a spec, and a build whose results are cached, never import
pandas.
"""

from __future__ import annotations

from typing import Literal

from . import indicator_kinds
from .codebook import Question
from .conditions import Condition
from .errors import suggest, valid_list
from .model import Model, field


def _kinds() -> str:
    return "What to compute: " + ", ".join(indicator_kinds.names()) + "."


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
        default=None, description="Show only these options/items, in this order with sort: fixed."
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
