"""Earlier editions of a survey, as they were published: aggregates, not rows.

An editions file (YAML, named by the spec's `deck.editions`) lists the earlier
editions (their respondents, whether that number is exact, their source) and,
per figure, the percentages each published: a share (`shares`) or a
distribution over options (`distributions`). An earlier edition that grouped
options differently says how, in `groups` (`departements_regions: [departement,
region]`): the comparison then sums the current edition's options the same way.

A trend chart (`editions:` under an indicator) shows the earlier editions beside
the current one, which is computed from the rows as usual; the current figure
carries its change in points since the last edition shown, and a significance
test (two-proportion z-test) where both editions' bases are exact. When later
editions have respondent rows, stack them with an `edition` column and break
the figures down `by: edition` instead.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deckgen.analysis.results import Result, Series
from deckgen.errors import SpecError
from deckgen.inputs.model import Model, ModelError, field, path_text


class Edition(Model):
    """One edition of the survey."""

    id: str = field(description="How figures and specs name it, e.g. '2018'.")
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


class Figure(Model):
    """A figure published by earlier editions, in percent."""

    key: str = field(description="How an indicator's `editions: {figure: …}` names it.")
    text: str = field(default="", description="What it is, for people reading the file.")
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

    def validated(self) -> None:
        if (self.shares is None) == (self.distributions is None):
            raise ValueError(f"figure `{self.key}`: give either `shares` or `distributions`")


class EditionsFile(Model):
    current: Edition = field(description="The edition the rows are from (its respondents).")
    editions: list[Edition] = field(min_length=1, description="Earlier editions, oldest first.")
    figures: list[Figure] = field(min_length=1)

    def edition(self, edition_id: str) -> Edition | None:
        return next((e for e in self.editions if e.id == edition_id), None)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def load_editions(path: Path) -> EditionsFile:
    """Read an editions file; a mistake is a SpecError naming file:line and key."""
    from deckgen.inputs.yamlpos import load_yaml

    doc = load_yaml(path, SpecError)
    try:
        editions = EditionsFile.validate(doc.data or {})
    except ModelError as exc:
        raise SpecError(
            [doc.problem(at, f"{path_text(at)}: {msg}", key=key) for at, msg, key in exc.problems]
        ) from None
    ids = [e.id for e in editions.editions]
    problems = []
    for figure in editions.figures:
        for edition_id in {*(figure.shares or {}), *(figure.distributions or {})}:
            if edition_id not in ids:
                problems.append(
                    f"figure `{figure.key}`: edition `{edition_id}` is not in `editions` "
                    f"({', '.join(ids)})"
                )
    if problems:
        raise SpecError(f"{path}: " + "; ".join(problems))
    return editions


def trend(result: Result, figure: Figure, editions: EditionsFile, shown: list[str]) -> Result:
    """`result` (the current edition, from the rows) beside the earlier editions `shown`:
    a series per edition, oldest first, the current last. A distribution's categories
    are the options, merged where an earlier edition grouped them (the current shares
    summed alike); an edition that did not publish a category leaves it empty."""
    earlier = [e for e in editions.editions if e.id in shown]
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
    are known only as rounded percentages, which an exact test cannot take."""
    if len(result.series) < 2 or not result.editions:
        return result
    previous, current = result.series[-2], result.series[-1]
    _, label, _, exact, _ = result.editions[-1]
    if not exact:
        return replace(result, compared="previous", untested=(label,))
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
