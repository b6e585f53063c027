"""Earlier editions of a survey, as they were published: aggregates, not rows.

An editions file (YAML, named by the spec's `deck.editions`) lists the earlier
editions (their date, respondents, whether that number is exact, their source)
and, per figure, the percentages each published and what they match today: a
share (`shares`) and the condition the current figure counts (`matches`), or a
distribution over the options of a question (`distributions`, `question`). An
earlier edition that grouped options differently says how, in `groups`
(`intercommunalites_metropoles: [intercommunalite, metropole]`): the comparison
then sums the current edition's options the same way. An edition whose figure
was defined differently says how in `breaks`: the footnote names the break and
no test runs across it. Editions are ordered by their `date`, whatever their
order in the file; `load_editions` checks every category against the codebook
(file:line), so that none is dropped silently.

A trend chart (`editions:` under an indicator) shows the earlier editions beside
the current one, which is computed from the rows as usual; the current figure
carries its change in points since the last edition shown, and a significance
test (two-proportion z-test) where both editions' bases are exact. When later
editions have respondent rows, stack them with an `edition` column and break
the figures down `by: edition` instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from deckgen.analysis.results import Result, Series
from deckgen.errors import EditionsError, suggest, valid_list
from deckgen.inputs.conditions import Condition
from deckgen.inputs.model import Model, field, path_text

ROUNDING = 0.5  # how far a published percent, rounded to a whole one, may be from the figure
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _date(text: Any) -> Any:
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if isinstance(text, str) and _DATE.match(text):
        return text
    raise ValueError(f"a date is written 2016, 2016-03 or 2016-03-31, got {text!r}")


class Edition(Model):
    """One edition of the survey."""

    id: str = field(description="How figures and specs name it, e.g. '2018'.")
    date: str = field(
        check=_date,
        before=True,
        description="When it was fielded (2016, 2016-03 or 2016-03-31): editions are "
        "ordered by it, whatever their order in the file.",
    )
    label: str = field(default="", description="As a chart shows it (default: the id).")
    respondents: int = field(ge=1, description="How many answered.")
    exact: bool = field(
        default=True,
        description="Whether `respondents` is exact: an approximate base ('about 70') gets "
        "no significance test.",
    )
    about: str = field(default="", description="How an approximate base reads: 'environ 70'.")
    source: str = field(default="", description="Where its figures were published.")

    def validated(self) -> None:
        if not self.label:
            self.label = self.id

    @property
    def when(self) -> tuple[int, ...]:
        """The date as (year, month, day), a missing part first of its kind."""
        found = _DATE.match(self.date)
        assert found is not None  # checked by `_date`
        return tuple(int(part or 0) for part in found.groups())


class Figure(Model):
    """A figure published by earlier editions, in percent."""

    key: str = field(description="How an indicator's `editions: {figure: …}` names it.")
    text: str = field(default="", description="What it is, for people reading the file.")
    matches: Condition | None = field(
        default=None,
        description="A share: the condition today's figure counts (the indicator of a trend "
        "of it must count the same), e.g. {question: dispositifs_numeriques, has_any: "
        "[plateforme_participation]}.",
    )
    question: str | None = field(
        default=None,
        description="A distribution: the question whose options (or `groups`) its categories are.",
    )
    population: Condition | None = field(
        default=None,
        description="Whom the earlier figures were of, when not every respondent: the filter "
        "a trend of them must have (e.g. {question: type_collectivite, in: [commune]}).",
    )
    shares: dict[str, float] | None = field(
        default=None, description="A share: edition id -> percent."
    )
    distributions: dict[str, dict[str, float]] | None = field(
        default=None,
        description="A distribution: edition id -> {option code or group -> percent}.",
    )
    groups: dict[str, list[str]] = field(
        factory=dict,
        description="Categories an edition used that group current options: "
        "{group: [option codes]}.",
    )
    labels: dict[str, str] = field(factory=dict, description="Labels of the groups.")
    breaks: dict[str, str] = field(
        factory=dict,
        description="Editions whose figure was defined differently from today's: edition id "
        "-> what it counted. The footnote names the break; no test runs across it.",
    )

    def validated(self) -> None:
        if (self.shares is None) == (self.distributions is None):
            raise ValueError(f"figure `{self.key}`: give either `shares` or `distributions`")
        if self.shares is not None and self.matches is None:
            raise ValueError(
                f"figure `{self.key}`: say which figure of today's it matches: `matches:` "
                "{question: …, in: […]} (the condition a trend's indicator counts)"
            )
        if self.distributions is not None and self.question is None:
            raise ValueError(
                f"figure `{self.key}`: say the question whose options its categories are: "
                "`question:`"
            )


class EditionsFile(Model):
    current: Edition = field(description="The edition the rows are from (its respondents).")
    editions: list[Edition] = field(
        min_length=1, description="Earlier editions (ordered by their `date`)."
    )
    figures: list[Figure] = field(min_length=1)

    def dated(self, ids: Any = None) -> list[Edition]:
        """The earlier editions (those of `ids`, if given), oldest first by date."""
        chosen = [e for e in self.editions if ids is None or e.id in ids]
        return sorted(chosen, key=lambda e: e.when)

    def edition(self, edition_id: str) -> Edition | None:
        return next((e for e in self.editions if e.id == edition_id), None)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def load_editions(path: Path, questions: dict[str, Any] | None = None) -> EditionsFile:
    """Read an editions file; a mistake is an EditionsError naming file:line and key.
    With the codebook's `questions`, every figure is checked against it too: what it
    matches, and each category an edition published (`editions_problems`)."""
    from deckgen.inputs.model import validated
    from deckgen.inputs.yamlpos import load_yaml

    doc = load_yaml(path, EditionsError)
    editions = validated(doc, EditionsFile, EditionsError)
    found = editions_problems(editions, questions)
    if found:
        raise EditionsError(
            [doc.problem(at, f"{path_text(at)}: {msg}", key=key) for at, msg, key in found]
        )
    return editions


Found = list[tuple[tuple[Any, ...], str, bool]]


def editions_problems(editions: EditionsFile, questions: dict[str, Any] | None) -> Found:
    """Every problem of an editions file, as (key path, message, the key at fault): an
    edition a figure names that the file does not list; an edition dated after the
    current one; with the codebook, a figure matching nothing of it, and a category
    that is neither an option of its question nor a group of them (never dropped
    silently), one option in two categories, or an edition whose categories add up to
    100 % without some of today's options (which were then counted in another)."""
    out: Found = []
    ids = [e.id for e in editions.editions]
    for i, e in enumerate(editions.editions):
        if e.when >= editions.current.when:
            out.append(
                (
                    ("editions", i, "date"),
                    f"edition `{e.id}` ({e.date}) is not earlier than the current edition "
                    f"`{editions.current.id}` ({editions.current.date})",
                    False,
                )
            )
    for i, figure in enumerate(editions.figures):
        at = ("figures", i)
        for key in ("shares", "distributions", "breaks"):
            for edition_id in getattr(figure, key) or {}:
                if edition_id not in ids:
                    out.append(
                        (
                            (*at, key, edition_id),
                            f"figure `{figure.key}`: edition `{edition_id}` is not in "
                            f"`editions`{suggest(edition_id, ids)} ({', '.join(ids)})",
                            True,
                        )
                    )
        out.extend(_percent_problems(figure, at))
        if questions is not None:
            out.extend(_against_codebook(figure, at, questions))
    return out


def _percent_problems(figure: Figure, at: tuple[Any, ...]) -> Found:
    """Every published figure is a percent, from 0 to 100 (a share written as a
    fraction, 0.53, reads 0.53 %: the file says percent)."""
    out: Found = []
    cells: list[tuple[tuple[str, ...], float]]
    cells = [(("shares", e), v) for e, v in (figure.shares or {}).items()]
    cells += [
        (("distributions", e, category), v)
        for e, numbers in (figure.distributions or {}).items()
        for category, v in numbers.items()
    ]
    for where, value in cells:
        if not (math.isfinite(value) and 0 <= value <= 100):
            out.append(
                (
                    (*at, *where),
                    f"figure `{figure.key}`: {value:g} is not a percent from 0 to 100",
                    False,
                )
            )
    return out


def _against_codebook(figure: Figure, at: tuple[Any, ...], questions: dict[str, Any]) -> Found:
    out: Found = []
    if figure.matches is not None:
        out.extend(((*at, "matches"), msg, False) for msg in figure.matches.check(questions))
    if figure.question is None:
        return out
    q = questions.get(figure.question)
    if q is None:
        message = (
            f"unknown question `{figure.question}`{suggest(figure.question, questions)}; "
            f"valid questions: {valid_list(questions)}"
        )
        return [*out, ((*at, "question"), message, False)]
    codes = q.category_codes()
    for group, members in figure.groups.items():
        for code in members:
            if str(code) not in codes:
                out.append(
                    (
                        (*at, "groups", group),
                        f"group `{group}`: `{code}` is not an option of `{q.id}`"
                        f"{suggest(str(code), codes)}; valid: {valid_list(codes)}",
                        False,
                    )
                )
    for edition_id, numbers in (figure.distributions or {}).items():
        where = (*at, "distributions", edition_id)
        counted: dict[str, str] = {}  # each option, the category it was counted in
        for category in numbers:
            members = [str(c) for c in figure.groups.get(category, [category])]
            if category not in figure.groups and category not in codes:
                out.append(
                    (
                        (*where, category),
                        f"`{category}` is neither an option of `{q.id}` nor one of `groups`"
                        f"{suggest(category, [*codes, *figure.groups])}; options: "
                        f"{valid_list(codes)}",
                        True,
                    )
                )
                continue
            for code in members:
                if code in counted:
                    out.append(
                        (
                            (*where, category),
                            f"`{code}` is counted in both `{counted[code]}` and `{category}`",
                            True,
                        )
                    )
                counted[code] = category
        left = [c for c in codes if c not in counted]
        total = sum(numbers.values())
        rounding = ROUNDING * len(numbers)  # each published percent rounded by up to 0.5
        if q.type == "single" and total > 100 + rounding:
            out.append(
                (
                    where,
                    f"edition `{edition_id}`'s categories add up to {total:g} %: each "
                    f"respondent gave one answer to `{q.id}`, so they add up to 100 % at most "
                    f"(here {100 + rounding:g} % with the rounding of {len(numbers)} "
                    "published percents)",
                    False,
                )
            )
        if q.type == "single" and left and abs(total - 100) <= 1.5:
            out.append(
                (
                    where,
                    f"edition `{edition_id}`'s categories add up to 100 % without "
                    f"{', '.join(f'`{c}`' for c in left)}: they were counted in another "
                    "category; say which in `groups`, e.g. {group: [option, …]}",
                    False,
                )
            )
    return out


def trend(result: Result, figure: Figure, editions: EditionsFile, shown: list[str]) -> Result:
    """`result` (the current edition, from the rows) beside the earlier editions `shown`:
    a series per edition, oldest first by date, the current last. A distribution's
    categories are the options, merged where an earlier edition grouped them (the
    current shares summed alike); an edition that did not publish a category leaves it
    empty (the deck shows "n.d." and says why). The editions whose figure was defined
    otherwise go with it (`Result.breaks`)."""
    earlier = editions.dated(shown)
    if figure.shares is not None:
        categories = [(result.categories[0], [result.codes[0]])]
        published: dict[str, dict[str, float]] = {
            e.id: {result.codes[0]: figure.shares[e.id]} if e.id in figure.shares else {}
            for e in earlier
        }
    else:
        categories = _merged(result, figure, [e.id for e in earlier])
        published = {
            e.id: {code: v for code, v in (figure.distributions or {}).get(e.id, {}).items()}
            for e in earlier
        }
    current = result.series[0]
    value_of = dict(zip(result.codes, current.values))
    count_of = dict(zip(result.codes, current.counts))

    def summed(codes: list[str]) -> tuple[float | None, int]:
        values = [value_of.get(c) for c in codes]
        known = [v for v in values if v is not None]
        if len(known) < len(values):
            return None, 0
        return float(sum(known)), sum(count_of.get(c, 0) for c in codes)

    def published_value(edition_id: str, label_codes: list[str], group: str) -> float | None:
        numbers = published[edition_id]
        if group in numbers:
            return numbers[group] / 100
        if all(c in numbers for c in label_codes):  # the edition gave them one by one
            return sum(numbers[c] for c in label_codes) / 100
        return None

    series = [
        Series(
            e.label,
            tuple(published_value(e.id, codes, group) for group, codes in categories),
            tuple(0 for _ in categories),
            code=e.id,
            base=e.respondents,
            bases=tuple(e.respondents for _ in categories),
        )
        for e in earlier
    ]
    now = [summed(codes) for _, codes in categories]
    effective = current.effective[:1] * len(categories)  # weighted: the base's, Kish's
    series.append(
        Series(
            editions.current.label,
            tuple(v for v, _ in now),
            tuple(n for _, n in now),
            code=editions.current.id,
            base=result.base,
            bases=tuple(result.base for _ in categories),
            effective=effective,
        )
    )
    labels = [figure.labels.get(group) or _label(result, group) for group, _codes in categories]
    return replace(
        result,
        categories=tuple(labels),
        codes=tuple(group for group, _ in categories),
        series=tuple(series),
        bases=tuple(result.base for _ in categories),
        by="edition",
        editions=tuple((e.id, e.label, e.respondents, e.exact, e.about) for e in earlier),
        breaks=tuple((e.id, figure.breaks[e.id]) for e in earlier if e.id in figure.breaks),
    )


def _label(result: Result, code: str) -> str:
    return dict(zip(result.codes, result.categories)).get(code, code)


def _merged(result: Result, figure: Figure, shown: list[str]) -> list[tuple[str, list[str]]]:
    """The categories every edition shown can be compared on: each current option, or
    the group an earlier edition reported it in (groups that overlap merged)."""
    used = [
        (group, [str(c) for c in codes])
        for group, codes in figure.groups.items()
        if any(group in (figure.distributions or {}).get(e, {}) for e in shown)
    ]
    out: list[tuple[str, list[str]]] = []
    taken: set[str] = set()
    for code in result.codes:
        if code in taken:
            continue
        group = next(((g, codes) for g, codes in used if code in codes), None)
        if group is None:
            out.append((code, [code]))
            taken.add(code)
        else:
            name, codes = group
            members = [c for c in result.codes if c in codes]
            out.append((name, members))
            taken.update(members)
    return out


def tested(result: Result) -> Result:
    """A trend's current figures tested against the last earlier edition shown
    (two-proportion z-test), when both bases are exact; else untested, and why. An
    expected count under 5 leaves a figure untested: the earlier edition's counts
    are known only as rounded percentages, which an exact test cannot take. Nor
    does a test run across a break: that edition's figure counted something else."""
    if len(result.series) < 2 or not result.editions:
        return result
    previous, current = result.series[-2], result.series[-1]
    edition_id, label, _, exact, _ = result.editions[-1]
    if not exact:
        return replace(result, compared="previous", untested=(label,))
    if edition_id in dict(result.breaks):
        current = replace(
            current,
            p=tuple(None for _ in current.values),
            higher=tuple(0 for _ in current.values),
            tested=tuple("empty" if v is None else "break" for v in current.values),
            rest=tuple(float(previous.base or 0) for _ in current.values),
        )
        series = (*result.series[:-1], current)
        return replace(result, series=series, test="z", compared="previous")
    from deckgen.analysis import significance

    ps: list[float | None] = []
    signs: list[int] = []
    tests: list[str] = []
    size = current.effective[0] if current.effective else float(current.base or 0)
    before_size = float(previous.base or 0)
    for now, before in zip(current.values, previous.values):
        if now is None or before is None:  # an empty base, or no figure that year
            ps.append(None)
            signs.append(0)
            tests.append("empty" if now is None else "unpublished")
            continue
        # an earlier edition's counts are known only as rounded percentages: no exact test
        p, how = significance.shares(now, size, before, before_size, whole=False)
        ps.append(p)
        tests.append(how)
        signs.append(1 if now > before else -1 if now < before else 0)
    rest = tuple(before_size for _ in ps)
    current = replace(current, p=tuple(ps), higher=tuple(signs), tested=tuple(tests), rest=rest)
    return replace(result, series=(*result.series[:-1], current), test="z", compared="previous")
