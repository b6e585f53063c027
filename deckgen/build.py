"""The pipeline: spec + survey -> indicators -> render -> file.

`build(spec_path)` is what the CLI and the tests call. Steps, one way:
1. load and validate the spec (structure), the theme, the survey and the template;
2. check the spec against the data and the template, collecting every problem;
3. compute every indicator into plain results and turn them into slide plans
   (texts, footnotes, notes, alternative texts) -- the only step that sees pandas;
4. render the plans with python-pptx, normalise the bytes, write atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import ResultCache, survey_key
from .codebook import Codebook, load_codebook
from .errors import DeckgenError, Problem, SpecError, Warnings, suggest, valid_list
from .formatting import base_text, format_number, format_percent, percent_value
from .packaged import default_template
from .render.plan import CalloutPlan, ChartPlan, DeckPlan, SlidePlan
from .results import Result
from .spec import Callout, Chart, Spec, load_spec, slide_context
from .theme import Theme, load_theme


@dataclass
class Loaded:
    """Everything a build reads. The responses load on first use of `survey`:
    a build whose indicator results are all cached never reads them (nor
    imports pandas)."""

    spec: Spec
    theme: Theme
    codebook: Codebook
    template: Path
    responses: Path | None = None
    _survey: object = None

    @property
    def survey(self):
        if self._survey is None:
            from .survey import load_survey

            self._survey = load_survey(self.codebook.file, self.responses)
        return self._survey

    def cache(self) -> ResultCache:
        """The result cache for these exact data files (validated once, on first load)."""
        data_file = self.responses or self.codebook.responses
        files = (Path(self.codebook.file), data_file)
        try:
            key = survey_key(*files)
        except OSError:
            key = None  # a missing data file: loading the survey will say so
        return ResultCache(key, files=files)


@dataclass
class BuildReport:
    path: Path | None
    plan: DeckPlan
    warnings: Warnings = field(default_factory=Warnings)
    results: list[tuple[SlidePlan, str, Result]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it was built (`--verbose`)


def load(spec_path: str | Path) -> Loaded:
    spec = load_spec(spec_path)
    # without `theme:` the built-in theme, without `template:` the packaged template
    theme = load_theme(spec.resolve(spec.deck.theme)) if spec.deck.theme else Theme()
    data = spec.resolve(spec.deck.data)
    responses = spec.resolve(spec.deck.responses) if spec.deck.responses else None
    codebook = load_codebook(data)
    template = spec.resolve(spec.deck.template) if spec.deck.template else default_template()
    return Loaded(spec, theme, codebook, template, responses)


def check(loaded: Loaded, layout_names: list[str] | None = None) -> None:
    """Problems between the spec and the data/template, all at once, with lines."""
    spec, survey = loaded.spec, loaded.codebook
    doc = spec.located
    problems: list[Problem] = []
    lower = {n.lower() for n in layout_names or []}
    for i, slide in enumerate(spec.slides):
        ctx = slide_context(doc.data["slides"][i], i)
        at = ("slides", i)
        if layout_names is not None and slide.layout.lower() not in lower:
            problems.append(
                doc.problem(
                    at + ("layout",),
                    f"layout `{slide.layout}` is not in the template {loaded.template.name}"
                    f"{suggest(slide.layout, layout_names)}; its layouts: {valid_list(layout_names)}",
                    context=ctx,
                )
            )
        raw_slide = doc.data["slides"][i]
        chart_key = "chart" if "chart" in raw_slide else "charts"
        for j, chart in enumerate(slide.charts):
            cat = at + ((chart_key,) if chart_key == "chart" else (chart_key, j))
            for sub, msg in chart.indicator.check(survey.questions):
                problems.append(doc.problem(cat + ("indicator",) + sub, msg, context=ctx))
            if chart.type == "map":
                q = survey.questions.get(chart.indicator.question or "")
                if (
                    chart.indicator.kind != "distribution"
                    or q is None
                    or not any("insee" in o.attrs for o in q.options)
                ):
                    problems.append(
                        doc.problem(
                            cat + ("type",),
                            "a `map` chart needs a `distribution` indicator over a question whose options carry `insee` region codes",
                            context=ctx,
                        )
                    )
            if chart.type == "stacked100" and chart.indicator.kind != "likert":
                problems.append(
                    doc.problem(
                        cat + ("type",),
                        f"`stacked100` shows a `likert` indicator, not `{chart.indicator.kind}`",
                        context=ctx,
                    )
                )
            if chart.indicator.kind == "likert" and chart.type != "stacked100":
                problems.append(
                    doc.problem(
                        cat + ("type",),
                        f"a `likert` indicator has a series per scale level: show it as `stacked100`, not `{chart.type}`",
                        context=ctx,
                    )
                )
            if chart.indicator.kind == "count":
                problems.append(
                    doc.problem(
                        cat + ("indicator", "kind"),
                        "a `count` is one number of respondents: show it as a callout, not a chart",
                        context=ctx,
                    )
                )
            if chart.type in ("pie", "doughnut") and chart.indicator.kind != "distribution":
                problems.append(
                    doc.problem(
                        cat + ("type",),
                        f"a {chart.type} shows parts of a whole: use a `distribution` indicator, not `{chart.indicator.kind}`",
                        context=ctx,
                    )
                )
        for j, callout in enumerate(slide.callouts):
            cat = at + ("callouts", j)
            for sub, msg in callout.indicator.check(survey.questions):
                problems.append(doc.problem(cat + ("indicator",) + sub, msg, context=ctx))
            if callout.option is not None and callout.indicator.kind not in (
                "distribution",
                "multi",
                "likert",
                "ranking",
            ):
                problems.append(
                    doc.problem(
                        cat + ("option",),
                        f"`option:` picks one category of a distribution, multi, likert or ranking indicator; a `{callout.indicator.kind}` indicator gives one number already: remove `option:`",
                        context=ctx,
                    )
                )
            elif callout.option is not None:
                q = survey.questions.get(callout.indicator.question or "")
                codes = q.category_codes() if q else []
                if q is not None and callout.option not in codes:
                    problems.append(
                        doc.problem(
                            cat + ("option",),
                            f"`{callout.option}` is not an option of `{q.id}`{suggest(callout.option, codes)}; valid: {valid_list(codes)}",
                            context=ctx,
                        )
                    )
                elif q is not None and not _kept(callout.indicator, q, callout.option):
                    problems.append(
                        doc.problem(
                            cat + ("option",),
                            f"`{callout.option}` is left out by this indicator (its `options:` or `no_answer: exclude`): add it there or pick another",
                            context=ctx,
                        )
                    )
            elif callout.indicator.kind in ("distribution", "multi", "likert", "ranking"):
                problems.append(
                    doc.problem(
                        cat + ("indicator",),
                        f"a callout shows one number: with a `{callout.indicator.kind}` indicator, name the `option:` to show",
                        context=ctx,
                    )
                )
    if problems:
        raise SpecError(problems)


def _kept(indicator, question, code: str) -> bool:
    """Whether `code` survives the indicator's own selection of categories."""
    if indicator.options and code not in indicator.options:
        return False
    if indicator.no_answer == "exclude":
        category = next((c for c in question.categories() if c.code == code), None)
        if category is not None and (
            getattr(category, "no_answer", False) or getattr(category, "dont_know", False)
        ):
            return False
    return True


def plan(loaded: Loaded, warnings: Warnings, strict_expect: bool = True) -> tuple[DeckPlan, list]:
    """Compute every indicator and lay out each slide's texts."""
    spec, survey, theme = loaded.spec, loaded.codebook, loaded.theme
    locale = spec.deck.locale
    problems: list[Problem] = []
    computed: list[tuple[SlidePlan, str, Result]] = []
    slides = []
    # one computation per distinct indicator: a deck repeats them (five callouts over
    # one multi-select question), and a Result is immutable, so slides can share it
    results: dict[str, Result] = {}
    cache = loaded.cache()

    def compute(_codebook: Codebook, indicator) -> Result:
        key = indicator_key(indicator)
        if key not in results:
            cached = cache.get(key)
            if cached is None:
                from .indicators import compute as compute_indicator

                cached = compute_indicator(loaded.survey, indicator)
                cache.put(key, cached)
            results[key] = cached
        return results[key]

    for i, s in enumerate(spec.slides):
        sp = SlidePlan(
            number=i + 1,
            layout=s.layout,
            title=s.title,
            subtitle=s.subtitle,
            section_number=s.number,
            text=list(s.text),
            remark=s.remark,
        )
        for j, chart in enumerate(s.charts):
            result = compute(survey, chart.indicator)
            sp.charts.append(_chart_plan(chart, result, survey, locale))
            computed.append((sp, f"chart {j + 1}", result))
            if result.base == 0:
                # nothing to draw: a chart of zeros would read as "0 %", so say so and stop
                key = "chart" if "chart" in spec.located.data["slides"][i] else "charts"
                at = (
                    ("slides", i, key) + ((j,) if key == "charts" else ()) + ("indicator", "filter")
                )
                problems.append(
                    spec.located.problem(
                        at,
                        f"chart {j + 1}: empty base: no {result.respondents} in scope"
                        f"{f' ({result.filter_text})' if result.filter_text else ''}, so there is nothing to chart; "
                        "check the filter",
                        context=sp.label,
                    )
                )
            elif any(v is None for v in result.series[0].values):
                empty = [c for c, v in zip(result.categories, result.series[0].values) if v is None]
                warnings.add(
                    f"chart {j + 1}: empty base for {', '.join(empty)}: left blank",
                    context=sp.label,
                )
            if 0 < result.base < theme.small_base_threshold:
                warnings.add(
                    f"small base: {result.base} {result.respondents} (under {theme.small_base_threshold})",
                    context=sp.label,
                )
        callout_results = []
        for j, callout in enumerate(s.callouts):
            result = compute(survey, callout.indicator)
            callout_results.append((callout, result))
            cp, value = _callout_plan(callout, result, locale)
            sp.callouts.append(cp)
            computed.append((sp, f"callout {j + 1}", shown_part(callout, result)))
            if callout_figure(callout, result)[2] == 0:
                warnings.add(
                    f"callout {j + 1}: empty base: no {result.respondents} in scope, it shows {cp.value_text}",
                    context=sp.label,
                )
            if callout.expect is not None and value != callout.expect:
                problems.append(
                    spec.located.problem(
                        ("slides", i, "callouts", j, "expect"),
                        f"callout {j + 1}: the data give {cp.value_text} but `expect: {callout.expect:g}` "
                        f"(the published figure); the data or the spec is wrong",
                        context=sp.label,
                    )
                )
        sp.footnote = _footnote(s.footnote, sp, survey, theme, locale)
        sp.notes = _notes(s, sp, callout_results, locale)
        slides.append(sp)
    cache.save()
    if problems and strict_expect:
        raise SpecError(problems)
    deck = spec.deck
    return DeckPlan(
        deck.title, deck.subtitle, deck.date, deck.organisation, locale, slides
    ), computed


def _fmt(result: Result, value: float | None, locale: str) -> str:
    if result.is_count:
        return format_number(value or 0, locale)
    return format_percent(value, locale)


def _chart_plan(chart: Chart, result: Result, survey: Codebook, locale: str) -> ChartPlan:
    regions = {}
    if chart.type == "map":
        q = survey.questions[result.question]
        regions = {o.code: str(o.attrs["insee"]) for o in q.options if "insee" in o.attrs}
    return ChartPlan(
        chart.type,
        result,
        chart.title,
        chart.alt_text or alt_text(chart, result, locale),
        chart,
        regions,
    )


def alt_text(chart: Chart, result: Result, locale: str) -> str:
    """'Réseaux sociaux utilisés, base 24 collectivités : Facebook 100 %, …' in reading order."""
    head = chart.title or result.question_text
    # "Quels outils ?, base 31" reads badly: after a question mark, a dash
    sep = " —" if head.rstrip().endswith(("?", "!", "…", ":")) else ","
    base = f"base {format_number(result.base, locale)} {result.respondents}"
    figures = figures_text(chart.type, result, locale)
    if chart.type == "map":
        return f"{head}{sep} {base} : {figures}{_per_region(result, locale)}"
    if result.kind == "likert":
        return f"{head}{sep} {base}. {figures}"
    return f"{head}{sep} {base} : {figures}"


def figures_text(chart_type: str, result: Result, locale: str) -> str:
    """The figures of a chart in reading order: 'Facebook 100 %, YouTube 75 %, …'.

    A map lists the regions with respondents and their counts; a Likert block
    lists, per statement, every level ('Statement : Tout à fait 30 %, … ; …').
    """
    if chart_type == "map":
        return ", ".join(
            f"{c} {format_number(n, locale)}"
            for c, n in zip(result.categories, result.series[0].counts)
            if n
        )
    if result.kind == "likert":
        return " ; ".join(_likert_parts(result, locale))
    return ", ".join(
        f"{c} {_fmt(result, v, locale)}" for c, v in zip(result.categories, result.series[0].values)
    )


def _likert_parts(result: Result, locale: str) -> list[str]:
    """'Statement : Tout à fait 30 %, Plutôt oui 50 %, …', one per statement."""
    parts = []
    for k, cat in enumerate(result.categories):
        levels = ", ".join(f"{s.name} {_fmt(result, s.values[k], locale)}" for s in result.series)
        parts.append(f"{cat} : {levels}")
    return parts


def _per_region(result: Result, locale: str) -> str:
    return (
        f" (nombre de {result.respondents} par région)"
        if locale == "fr"
        else f" ({result.respondents} per region)"
    )


def callout_figure(callout: Callout, result: Result) -> tuple[float | None, int, int]:
    """(value, count, base) of the one number a callout shows."""
    if callout.option is not None:
        k = result.codes.index(callout.option)
        return result.series[0].values[k], result.series[0].counts[k], result.bases[k]
    return result.value, result.count, result.bases[0] if result.bases else result.base


def shown_part(callout: Callout, result: Result) -> Result:
    """The part of `result` a callout shows: its `option:` alone, or all of a scalar."""
    if callout.option is None:
        return result
    k = result.codes.index(callout.option)
    series = result.series[0]
    return replace(
        result,
        categories=(result.categories[k],),
        codes=(result.codes[k],),
        series=(replace(series, values=(series.values[k],), counts=(series.counts[k],)),),
        bases=(result.bases[k],),
        item_bases=(),
    )


def _callout_plan(callout: Callout, result: Result, locale: str) -> tuple[CalloutPlan, float]:
    value, count, base = callout_figure(callout, result)
    if result.is_count:
        text_value = format_number(count, locale)
        number = float(count)
    else:
        text_value = format_percent(value, locale)
        number = float(percent_value(value)) if value is not None else float("nan")
    sentence = (
        callout.text.replace("{value}", text_value)
        .replace("{count}", format_number(count, locale))
        .replace("{base}", format_number(base, locale))
    )
    alt = callout.alt_text or f"{text_value} {sentence}".replace("**", "")
    return CalloutPlan(text_value, sentence, alt, base=base, is_count=result.is_count), number


def _footnote(setting, sp: SlidePlan, survey: Codebook, theme: Theme, locale: str) -> str | None:
    """'Base : 31 collectivités répondantes' by default, from the results on the slide."""
    if setting is False:
        return None
    if isinstance(setting, str):
        return setting
    results = [c.result for c in sp.charts]
    unit = survey.respondents
    parts = []
    for c in sp.charts:
        r = c.result
        label = f"{c.title} : " if c.title and len(results) > 1 else ""
        who = f" ({r.filter_text})" if r.filter_text else ""
        text = f"{label}{base_text(r.base, unit, locale)}{who}"
        for item, n, cond in r.item_bases:
            text += " ; " + item_base_text(item, n, cond, locale)
        if r.multiple:
            text += (
                " ; plusieurs réponses possibles"
                if locale == "fr"
                else "; several answers possible"
            )
        parts.append(text + _small_base(r.base, theme, locale))
    # callouts: each distinct base once (a count of respondents has no base to state)
    for base in dict.fromkeys(c.base for c in sp.callouts if not c.is_count):
        bare = base_text(base, unit, locale)
        # already stated by a chart's part ("Titre : Base : 9 … ; …")? then once is enough
        if not any(
            p == bare or p.startswith(bare + " ") or f": {bare} " in p or p.endswith(f": {bare}")
            for p in parts
        ):
            parts.append(bare + _small_base(base, theme, locale))
    return " · ".join(dict.fromkeys(parts)) or None


def _small_base(base: int, theme: Theme, locale: str) -> str:
    if base >= theme.small_base_threshold:
        return ""
    return (
        " ; base faible, à interpréter avec prudence"
        if locale == "fr"
        else "; small base, interpret with care"
    )


def item_base_text(item: str, n: int, cond: str, locale: str) -> str:
    """'Conseils de quartier : s'appliquent seulement aux 22 communes' (a codebook
    base label with {n}), else 'Conseils de quartier : base 22 (who)'."""
    if "{n}" in cond:
        return f"{item} : {cond.replace('{n}', format_number(n, locale))}"
    return f"{item} : base {format_number(n, locale)}" + (f" ({cond})" if cond else "")


_NOTE_WORDS = {
    "fr": {
        "chart": "Graphique",
        "question": "Question",
        "base": "Base",
        "figures": "Chiffres",
        "key": "Chiffre clé",
        "several": "plusieurs réponses possibles",
        "who": "parmi",
        "published": "Données publiées.",
        "illustrative": "Données illustratives (reconstruction) : ne pas les citer comme résultats publiés.",
        "callout_published": "chiffre publié",
        "callout_illustrative": "donnée illustrative (reconstruction)",
    },
    "en": {
        "chart": "Chart",
        "question": "Question",
        "base": "Base",
        "figures": "Figures",
        "key": "Key figure",
        "several": "several answers possible",
        "who": "among",
        "published": "Published figures.",
        "illustrative": "Illustrative data (reconstruction): do not quote them as published results.",
        "callout_published": "published figure",
        "callout_illustrative": "illustrative data (reconstruction)",
    },
}


def _label(word: str, locale: str) -> str:
    """'Question :' in French (with its narrow no-break space), 'Question:' in English."""
    return f"{word}\u202f:" if locale == "fr" else f"{word}:"


def _notes(s, sp: SlidePlan, callouts: list[tuple[Callout, Result]], locale: str) -> str:
    """Speaker notes: question wording, base, key figures, published or illustrative.

    One paragraph per chart ('Question : … / Base : 24 collectivités. / Chiffres : …
    / Données publiées.'), then one per callout. The slide's `notes:` comes first
    (notes_mode extend, the default) or alone (notes_mode replace).
    """
    w = _NOTE_WORDS.get(locale, _NOTE_WORDS["fr"])
    blocks = []
    for i, c in enumerate(sp.charts):
        r = c.result
        lines = []
        if c.title and c.title != r.question_text:
            number = f" {i + 1}" if len(sp.charts) > 1 else ""
            lines.append(f"{_label(w['chart'] + number, locale)} {c.title}")
        if r.question_text:
            several = f" ({w['several']})" if r.multiple else ""
            lines.append(f"{_label(w['question'], locale)} {r.question_text}{several}")
        base = f"{_label(w['base'], locale)} {format_number(r.base, locale)} {r.respondents}"
        if r.filter_text:
            base += f" ({w['who']} {r.filter_text})"
        for item, n, cond in r.item_bases:
            base += " ; " + item_base_text(item, n, cond, locale)
        lines.append(base + ".")
        if r.kind == "likert":  # one line per statement, or the paragraph is unreadable
            lines.append(
                _label(w["figures"], locale) + "".join(f"\n– {t}" for t in _likert_parts(r, locale))
            )
        else:
            per_region = _per_region(r, locale) if c.type == "map" else ""
            lines.append(
                f"{_label(w['figures'], locale)} {figures_text(c.type, r, locale)}{per_region}."
            )
        lines.append(w["published"] if r.published else w["illustrative"])
        blocks.append("\n".join(lines))
    for (callout, r), cp in zip(callouts, sp.callouts):
        _, _, base = callout_figure(callout, r)
        # an `expect:` is the published figure the data must give
        status = (
            w["callout_published"]
            if r.published or callout.expect is not None
            else w["callout_illustrative"]
        )
        sentence = f"{cp.value_text} {cp.text}".replace("**", "").rstrip(" :")
        line = (
            f"{_label(w['key'], locale)} {sentence} "
            f"(base {format_number(base, locale)} {r.respondents} ; {status})."
        )
        if r.question_text:
            line += f"\n{_label(w['question'], locale)} {r.question_text}"
        blocks.append(line)
    text = "\n\n".join(blocks)
    if s.notes:
        text = (
            s.notes.strip()
            if s.notes_mode == "replace"
            else (s.notes.strip() + ("\n\n" + text if text else ""))
        )
    return text


def indicator_key(indicator) -> str:
    """An indicator as canonical JSON: the key of its result (in a build and in the cache).

    A value YAML reads as something JSON has no type for (a date, in a condition
    on a question whose codes are dates) is keyed by its text, as the condition
    compares it.
    """
    return json.dumps(indicator.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def build(
    spec_path: str | Path,
    out: str | Path | None = None,
    *,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the deck of `spec_path`; return where it went and what was noticed."""
    from . import speedups
    from .files import write_atomic
    from .render.slides import render_deck, set_properties
    from .template import layout_names, open_template

    say = progress or (lambda _msg: None)
    say("reading spec, data and template")
    loaded = load(spec_path)
    prs = open_template(loaded.template)
    check(loaded, layout_names(prs))
    warnings = Warnings()
    notes: list[str] = []
    say("computing indicators")
    deck_plan, computed = plan(loaded, warnings)
    say(f"rendering {len(deck_plan.slides)} slides")
    with speedups.applied(prs, note=notes.append):
        render_deck(prs, deck_plan, loaded.theme, warnings, template_name=str(loaded.template))
        if strict and warnings:
            raise DeckgenError(
                [
                    Problem(f"{w.message} (--strict makes warnings errors)", context=w.context)
                    for w in warnings.items
                ]
            )
        set_properties(prs, loaded.spec.deck.title, loaded.spec.deck.subtitle)
        data = speedups.save(prs)  # normalised bytes (files.normalize)
    target = Path(out) if out else default_output(spec_path)
    say(f"writing {target}")
    path = write_atomic(data, target)
    return BuildReport(path, deck_plan, warnings, computed, notes)


def default_output(spec_path: str | Path) -> Path:
    return Path("out") / (Path(spec_path).stem + ".pptx")
