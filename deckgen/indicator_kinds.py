"""The indicator kinds: what each computes, what it needs, where it may be shown.

One entry per kind, declared here, read by everything else: the spec model
(the valid `kind:` values and the JSON Schema), the indicator's checks against
the codebook (`needs`, `question_types`), the rules on charts and callouts
(`categorised`, `charts`) and the computation (`compute`, imported only when a
figure is computed: it needs pandas). A new kind is one `register(...)` call
with its compute function (see ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from deckgen.registry import Registry


@dataclass(frozen=True)
class IndicatorKind:
    name: str
    description: str
    #: "module:function" (imported on first use) or the function: (survey, indicator) -> Result
    compute: str | Callable[..., Any]
    #: keys the indicator must set, each with a hint for the message
    needs: tuple[tuple[str, str], ...] = ()
    #: key -> the question types it may name
    question_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: one value per category: a callout shows one of them, named by `option:`
    categorised: bool = False
    #: None: any chart kind that takes it; else only these (with `charts_hint`)
    charts: tuple[str, ...] | None = None
    charts_hint: str = ""
    #: with `score:` (a share per statement and segment): these charts instead
    score_charts: tuple[str, ...] | None = None
    #: why it is never a chart (a callout only), or "" when it can be one
    not_a_chart: str = ""
    #: `by:` may break it down into segments of a question's options
    breaks_down: bool = False
    #: its figures are parts of one whole (a single choice's options; a scale's levels
    #: per statement): largest-remainder rounding adds them up, and the privacy rule
    #: counts a blank as worked out from the others
    parts_of_a_whole: bool = False
    #: a series per level of a scale, and a category per statement (a Likert grid);
    #: `score:` turns it into the share of some levels; with `by:`, a block of
    #: segments per statement
    levels: bool = False
    #: a respondent may count in several categories (several answers, a top N)
    multiple: bool = False
    #: each category is one option of its question (a figure may have been published
    #: per option; a personal deck marks the recipient's own)
    per_option: bool = False
    #: a significance test can compare its figures (a share or a mean can be
    #: compared; a median or a quantile cannot)
    testable: bool = True
    #: the figure is the number of respondents: published whenever the survey is, and
    #: titled, when no question names it, with the catalogue's word for respondents
    respondents: bool = False
    #: an unlabelled figure is named by what its `condition:` counts
    named_by_condition: bool = False
    #: the catalogue word naming each series, given the indicator's `top:` ("top")
    series_word: str = ""

    def allowed_charts(self, indicator: Any) -> tuple[str, ...] | None:
        """The chart kinds that may show `indicator` (None: any)."""
        if getattr(indicator, "score", None) and self.score_charts is not None:
            return self.score_charts
        return self.charts

    def function(self) -> Callable[..., Any]:
        if callable(self.compute):
            return self.compute
        module, name = self.compute.split(":")
        return getattr(import_module(module), name)

    def check(self, indicator: Any, questions: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
        """Problems of `indicator` (of this kind) with the codebook: (key path, message)."""
        from deckgen.errors import suggest, valid_list

        out: list[tuple[tuple[str, ...], str]] = []
        for key, hint in self.needs:
            if getattr(indicator, key, None) is None:
                out.append(((), f"indicator `{self.name}` needs `{key}:`{hint}"))
        for key in ("question", "numerator", "denominator"):
            qid = getattr(indicator, key, None)
            if qid is None:
                continue
            q = questions.get(qid)
            if q is None:
                out.append(
                    (
                        (key,),
                        f"unknown question `{qid}`{suggest(qid, questions)}; "
                        f"valid questions: {valid_list(questions)}",
                    )
                )
                continue
            expected = self.question_types.get(key)
            if expected and q.type not in expected:
                out.append(
                    (
                        (key,),
                        f"`{self.name}` needs a {' or '.join(expected)} question; "
                        f"`{qid}` is {q.type}",
                    )
                )
        return out


KINDS: Registry[IndicatorKind] = Registry("deckgen.indicator_kinds", IndicatorKind)
register = KINDS.register
unregister = KINDS.unregister
indicator_kind = KINDS.get
names = KINDS.names


def declared(name: str) -> IndicatorKind:
    """The declaration of the kind `name` (of an indicator, or of the result it
    computed); a name no longer registered (a result kept in the cache after its
    plug-in left) declares nothing: every flag off."""
    return indicator_kind(name) or IndicatorKind(name, "", "")


def which(flag: str) -> list[str]:
    """The kinds that declare `flag`, in the order they were registered (for messages)."""
    return [k.name for k in KINDS.values() if getattr(k, flag)]


_QUESTION = (("question", ""),)

register(
    IndicatorKind(
        "count",
        "number of respondents in scope (meeting `condition:` if given)",
        "deckgen.analysis.indicators:count",
        not_a_chart="a `count` is one number of respondents: show it as a callout, not a chart",
        respondents=True,
    )
)
register(
    IndicatorKind(
        "share",
        "share of respondents meeting `condition:`",
        "deckgen.analysis.indicators:share",
        needs=(("condition", " (who counts), e.g. {question: q, in: [oui]}"),),
        breaks_down=True,
        named_by_condition=True,
    )
)
register(
    IndicatorKind(
        "ratio",
        "share of respondents whose numerator/denominator is below `below:`",
        "deckgen.analysis.indicators:ratio",
        needs=(("numerator", ""), ("denominator", ""), ("below", "")),
        question_types={"numerator": ("numeric",), "denominator": ("numeric",)},
    )
)
register(
    IndicatorKind(
        "distribution",
        "share per option of a single-choice (or banded numeric) question",
        "deckgen.analysis.indicators:distribution",
        needs=_QUESTION,
        question_types={"question": ("single", "numeric")},
        categorised=True,
        breaks_down=True,
        parts_of_a_whole=True,
        per_option=True,
    )
)
register(
    IndicatorKind(
        "multi",
        "share selecting each option of a multi-select question",
        "deckgen.analysis.indicators:multi",
        needs=_QUESTION,
        question_types={"question": ("multi",)},
        categorised=True,
        breaks_down=True,
        multiple=True,
        per_option=True,
    )
)
register(
    IndicatorKind(
        "likert",
        "share of each scale level, per statement of a grid",
        "deckgen.analysis.indicators:likert",
        needs=_QUESTION,
        question_types={"question": ("likert",)},
        categorised=True,
        breaks_down=True,
        parts_of_a_whole=True,
        levels=True,
        charts=("stacked100", "table"),
        charts_hint="a `likert` indicator has a series per scale level: show it as {charts}, "
        "not `{chart}`",
        score_charts=("bar", "column", "table"),
    )
)
_SUMMARIES = (  # name, description, keys it needs besides `question:`, testable
    ("mean", "mean of a numeric question, over those who gave a number", (), True),
    ("median", "median of a numeric question (half the answers below, half above)", (), False),
    (
        "quantile",
        "quantile `q:` of a numeric question (0.25: a quarter of the answers below)",
        (("q", " (which quantile, e.g. 0.25)"),),
        False,
    ),
)
for _name, _description, _needs, _testable in _SUMMARIES:
    register(
        IndicatorKind(
            _name,
            _description,
            f"deckgen.analysis.indicators:{_name}",
            needs=(*_QUESTION, *_needs),
            question_types={"question": ("numeric",)},
            charts=("bar", "column", "table"),
            charts_hint=f"a `{_name}` is one number per segment: show it as {{charts}}, "
            "not `{chart}`",
            breaks_down=True,
            testable=_testable,
        )
    )
register(
    IndicatorKind(
        "ranking",
        "share who put each item in their top N",
        "deckgen.analysis.indicators:ranking",
        needs=_QUESTION,
        question_types={"question": ("ranking",)},
        categorised=True,
        multiple=True,
        series_word="top",
    )
)
