"""deckgen as a library: the one surface every command is built on.

    import deckgen

    project = deckgen.load("config/barometre-2021.yaml")   # spec, theme, codebook
    project.validate()                # every check a build makes, data included
    for row in project.figures():     # every figure the deck shows, with its base
        print(row["slide"], row["label"], row["value"])
    report = project.build("out/deck.pptx")
    project.images("out/images")      # each chart as PNG and SVG (needs matplotlib)
    project.inputs()                  # the files a build reads (what `watch` watches)

Every mistake in the inputs is a `deckgen.DeckgenError` carrying its problems
(file:line, slide, what would be valid). The command line (deckgen.cli),
`watch`, `images` and `preview` call this module and nothing below it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from deckgen.errors import DeckgenError, Problem, Warnings, suggest, valid_list

Progress = Callable[[str], None]


def _a_deck(path: Path, deck: Path) -> str:
    """What `path` is, if writing a change report there would lose a deck: a backup of
    `deck` (written or to be written by an in-place update), or a PowerPoint file
    (by its name, or by its content: a zip holding ppt/presentation.xml); "" if none."""
    import re
    import zipfile

    backup = re.compile(re.escape(deck.stem) + r"\.before-update(-\d+)?" + re.escape(deck.suffix))
    if path.parent.resolve() == deck.parent.resolve() and backup.fullmatch(path.name):
        return f"a backup of {deck.name}"
    if path.suffix.lower() in (".pptx", ".potx", ".pptm", ".ppt"):
        return "a PowerPoint file" + (" (it exists)" if path.exists() else "")
    if path.is_file():
        try:
            with zipfile.ZipFile(path) as package:
                if "ppt/presentation.xml" in package.namelist():
                    return "a PowerPoint deck (by its content)"
        except (zipfile.BadZipFile, OSError):
            pass
    return ""


EXPECT = ("error", "warn")  # what a published figure the data no longer give is


class Project:
    """A deck spec with what it names: its theme, its survey's codebook and data, its template.

    Loading reads the spec, the theme and the codebook; the responses are read
    when a figure must be computed (not at all when every result is cached).
    """

    def __init__(self, spec_path: str | Path, expect: str = "error") -> None:
        from deckgen.workflows.pipeline import load

        if expect not in EXPECT:
            raise ValueError(f"expect: one of {', '.join(EXPECT)}, not {expect!r}")
        self.spec_path = Path(spec_path)
        self._loaded = load(spec_path)
        #: a published figure (`expect:`) the data no longer give: "error" stops the
        #: build, validate and the figures; "warn" says so and goes on (new data, a
        #: quarter's fact-check); the figure is then not called published
        self.expect = expect

    @property
    def spec(self) -> Any:
        return self._loaded.spec

    @property
    def locale(self) -> str:
        return str(self._loaded.spec.deck.locale)

    def words(self) -> Any:
        """The deck's words (deckgen.locales.Words): what a command says in its language."""
        from deckgen.locales import words

        return words(self.locale)

    @property
    def template(self) -> Path | None:
        """The template file, or None: one is made from the theme at build time."""
        return Path(self._loaded.template) if self._loaded.template else None

    def inputs(self) -> list[Path]:
        """Every file a build of this project reads, resolved: spec, theme, codebook,
        responses, template, logo, editions, and the regions boundaries when a slide has
        a map."""
        return list(self._roles())

    def _roles(self) -> dict[Path, str]:
        loaded = self._loaded
        spec = loaded.spec
        roles = {self.spec_path.resolve(): "the spec"}
        if spec.deck.theme:
            roles.setdefault(spec.resolve(spec.deck.theme), "the theme")
        roles.setdefault(Path(loaded.codebook.file).resolve(), "the codebook")
        data = Path(loaded.responses or loaded.codebook.responses).resolve()
        roles.setdefault(data, "the responses")
        if loaded.template is not None:
            roles.setdefault(Path(loaded.template).resolve(), "the template")
        if spec.deck.logo:
            roles.setdefault(spec.resolve(spec.deck.logo), "the logo")
        if spec.deck.editions:
            roles.setdefault(spec.resolve(spec.deck.editions), "the editions file")
        from deckgen.chart_kinds import draws_regions

        if any(draws_regions(chart.type) for slide in spec.slides for chart in slide.charts):
            from deckgen.packaged import regions_geojson

            roles.setdefault(regions_geojson().resolve(), "the regions boundaries")
        return roles

    @contextlib.contextmanager
    def protecting(self) -> Iterator[None]:
        """While inside, nothing is written over one of the inputs (an OutputError)."""
        from deckgen.files import protecting

        with protecting(self._roles()):
            yield

    def _check(self, with_template: bool) -> None:
        from deckgen.workflows.pipeline import check

        template = None
        if with_template:
            from deckgen.render.template_writer import open_project_template

            template = open_project_template(self._loaded.template, self._loaded.theme)
        check(self._loaded, template)

    def validate(self) -> list[Problem]:
        """Every check a build makes (spec, codebook, data, template, `expect:`),
        without rendering; the warnings. Raises DeckgenError with every problem,
        of every stage, at once."""
        from deckgen.errors import collected
        from deckgen.render.template_writer import open_project_template
        from deckgen.workflows.pipeline import check, plan

        errors: list[DeckgenError] = []
        template = None
        try:
            template = open_project_template(self._loaded.template, self._loaded.theme)
        except DeckgenError as exc:
            errors.append(exc)
        sound = True
        try:
            check(self._loaded, template)
        except DeckgenError as exc:
            errors.append(exc)
            sound = False
        try:
            self._loaded.survey  # noqa: B018 -- the data are checked every time, cached or not
        except DeckgenError as exc:
            errors.append(exc)
            sound = False
        warnings = Warnings()
        if sound:  # figures need a spec that fits the codebook, and sound data
            try:
                plan(self._loaded, warnings, **self._expecting())
            except DeckgenError as exc:
                errors.append(exc)
        if errors:
            raise collected(errors)
        return list(warnings.items)

    def slide_count(self) -> int:
        return len(self._loaded.spec.slides)

    def plan(self, warnings: Warnings | None = None) -> tuple[Any, list]:
        """(deck plan, computed figures): every indicator computed, every text laid out."""
        from deckgen.workflows.pipeline import plan

        self._check(with_template=False)
        return plan(
            self._loaded, warnings if warnings is not None else Warnings(), **self._expecting()
        )

    def _expecting(self) -> dict[str, bool]:
        warn = self.expect == "warn"
        return {"strict_expect": not warn, "expect_warns": warn}

    def figures(self) -> list[dict[str, object]]:
        """One row per figure the deck shows: slide, element, label, value, count, base…"""
        from deckgen.workflows.exports import figure_rows

        _, computed = self.plan()
        return figure_rows(computed, self.locale)

    def table_headers(self) -> tuple[str, ...]:
        """The headers of the figures table printed by `deckgen indicators`, in the locale."""
        from deckgen.locales import words

        return tuple(words(self.locale).get("table"))

    def write_figures(
        self, csv: str | Path | None = None, xlsx: str | Path | None = None
    ) -> list[dict[str, object]]:
        """The figures, written as CSV and/or as an Excel workbook; returns the rows."""
        from deckgen.files import refuse_inputs
        from deckgen.workflows.exports import write_csv, write_xlsx

        with self.protecting():
            for target in (csv, xlsx):
                if target is not None:
                    refuse_inputs(Path(target))  # before computing anything
            rows = self.figures()
            if csv is not None:
                write_csv(rows, Path(csv))
            if xlsx is not None:
                write_xlsx(rows, Path(xlsx), self.locale)
        return rows

    def build(
        self,
        out: str | Path | BinaryIO | None = None,
        *,
        strict: bool = False,
        progress: Progress | None = None,
    ) -> Any:
        """Render and write the deck (default: out/<spec name>.pptx; a binary stream:
        written into it, e.g. the standard output); the BuildReport."""
        from deckgen.files import refuse_inputs
        from deckgen.workflows.pipeline import build, default_output

        with self.protecting():
            if out is None or isinstance(out, (str, Path)):
                refuse_inputs(Path(out) if out is not None else default_output(self.spec_path))
            return build(
                self._loaded, out, strict=strict, progress=progress, spec_path=self.spec_path,
                expect_warns=self.expect == "warn",
            )  # fmt: skip

    def update(
        self,
        deck: str | Path,
        out: str | Path | None = None,
        *,
        force: bool | Iterable[str] = False,
        dry_run: bool = False,
        add_missing: bool = False,
        csv: str | Path | None = None,
        xlsx: str | Path | None = None,
        progress: Progress | None = None,
    ) -> Any:
        """New figures into `deck`, a deck deckgen built that the team has edited
        (deckgen.workflows.update): written to `out` (default: DECK-updated.pptx; `out` equal
        to `deck` updates it in place, after a backup); the UpdateReport. `force`: True
        overwrites every conflict, keys (as the report prints them) those parts only. The
        change report also goes to `csv` / `xlsx`. Nothing is written with `dry_run`."""
        from deckgen.errors import OutputError
        from deckgen.files import refuse_inputs
        from deckgen.workflows.update import update, write_changes

        deck = Path(deck)
        written = Path(out) if out is not None else deck.with_name(f"{deck.stem}-updated.pptx")
        reports = [Path(t) for t in (csv, xlsx) if t is not None]
        for report_path in reports:  # a report never goes over a deck, nor over the other
            for other, what in ((deck, "the edited deck"), (written, "the updated deck")):
                if report_path.resolve() == other.resolve():
                    raise OutputError(
                        f"refusing to write the change report to {report_path}: it is {what}; "
                        "choose another file"
                    )
            what = _a_deck(report_path, deck)
            if what:
                raise OutputError(
                    f"refusing to write the change report to {report_path}: it is {what}; "
                    "choose another file"
                )
        if out is not None and Path(out).resolve() != deck.resolve():
            what = _a_deck(Path(out), deck)
            if what.startswith("a backup"):
                raise OutputError(f"refusing to write the updated deck to {out}: it is {what}")
        if len(reports) == 2 and reports[0].resolve() == reports[1].resolve():
            raise OutputError("--csv and --xlsx name the same file; choose two")
        with self.protecting():
            for target in (out, csv, xlsx):
                if target is not None and Path(target).resolve() != deck.resolve():
                    refuse_inputs(Path(target))
            report = update(
                self._loaded,
                deck,
                Path(out) if out is not None else None,
                force=force,
                dry_run=dry_run,
                add_missing=add_missing,
                say=progress,
            )
            if not dry_run:
                write_changes(report.listed(), self.locale, csv=csv, xlsx=xlsx)
            return report

    def build_each(
        self,
        question: str,
        out_dir: str | Path | None = None,
        *,
        groups: dict[str, list[str]] | None = None,
        include_small: bool = False,
        beside_total: bool = False,
        jobs: int | None = None,
        shard: str | tuple[int, int] | None = None,
        strict: bool = False,
        progress: Progress | None = None,
    ) -> list[Any]:
        """One deck per option of `question` (deckgen.workflows.segments) in `out_dir` (default
        out/<spec name>/), built by the batch runner (deckgen.workflows.batch); an Outcome each,
        built, skipped (under the privacy or small-base threshold) or failed. `groups`:
        {label: [codes]}, one deck per group of options instead (as an indicator's
        `segments:`). `shard`: "I/N" or (I, N), the I-th of N slices of the decks, or
        "auto[/N]", from the scheduler's environment (deckgen.workflows.batch.auto_shard);
        a shard writes its summary file beside its decks (`summary-shard-I-of-N.csv`)."""
        folder = Path(out_dir) if out_dir is not None else Path("out") / self.spec_path.stem
        return self._each(
            question,
            folder,
            _Delivery(".pptx", functools.partial(_build_one, strict=strict)),
            groups=groups,
            include_small=include_small,
            beside_total=beside_total,
            jobs=jobs,
            shard=shard,
            progress=progress,
        )

    def images_each(
        self,
        question: str,
        out_dir: str | Path | None = None,
        *,
        formats: tuple[str, ...] = ("png", "svg"),
        **options: Any,
    ) -> list[Any]:
        """The chart images of each deck `build_each` would build, a folder per deck
        (<spec name>-<segment>/) in `out_dir` (default out/images/): the same decks,
        the same privacy decisions; an Outcome each, its path the folder. `options`:
        those of `build_each` but `strict` (groups, include_small, beside_total,
        jobs, shard, progress)."""
        folder = Path(out_dir) if out_dir is not None else Path("out") / "images"
        delivery = _Delivery("", functools.partial(_images_one, formats=formats))
        return self._each(question, folder, delivery, **options)

    def _each(
        self,
        question: str,
        folder: Path,
        delivery: _Delivery,
        *,
        groups: dict[str, list[str]] | None = None,
        include_small: bool = False,
        beside_total: bool = False,
        jobs: int | None = None,
        shard: str | tuple[int, int] | None = None,
        progress: Progress | None = None,
    ) -> list[Any]:
        """The batch of `build --each`: which segment decks are made (and why not), each
        made by `delivery` into `folder`."""
        from deckgen.workflows import batch

        shard = _batch_options(shard, jobs)
        from deckgen.analysis.disclosure import COALITION, SMALL
        from deckgen.files import refuse_inputs, refuse_unwritable
        from deckgen.workflows.batches import batch_decisions
        from deckgen.workflows.pipeline import check, preload
        from deckgen.workflows.segments import for_segment, segments_of

        with self.protecting():
            loaded = self._loaded
            check(loaded)  # the spec against data and template, once for every deck
            segments = segments_of(loaded, question, groups)  # loads the responses, before forking
            theme = loaded.theme
            chosen = batch.shard(segments, lambda s: s.key, shard)
            target = delivery.target(folder, self.spec_path.stem)
            refuse_unwritable(folder)
            for segment in chosen:
                refuse_inputs(target(segment.key))
            # one decision for the whole batch, before forking: every shard decides alike
            left_out, decisions = batch_decisions(loaded, question, segments)
            everyone = len(loaded.survey.frame)
            # k besides the readers who may pool their answers (docs/privacy.md)
            k = theme.privacy_threshold
            fewest = f"fewer than {k + COALITION} (the privacy threshold, {k}, besides "
            fewest += f"{COALITION} readers pooling their answers)"

            def work(segment) -> batch.Outcome:
                outcome = batch.Outcome(segment.key, segment.label)
                why = left_out.get(segment.label)
                if why == SMALL:
                    outcome.skipped = (
                        f"{_respondents(segment.base)}, {fewest}: never built (docs/privacy.md)"
                    )
                    return outcome
                if why is not None:
                    outcome.skipped = (
                        f"{_respondents(segment.base)}, but the public deck minus this deck "
                        f"would give the figures of the {_respondents(everyone - segment.base)} "
                        f"not in it, with the segments not built, {fewest}: never built "
                        "(docs/privacy.md)"
                    )
                    return outcome
                if segment.base < theme.small_base_threshold and not include_small:
                    outcome.skipped = (
                        f"small base: {_respondents(segment.base)} (under "
                        f"{theme.small_base_threshold}); --include-small builds it"
                    )
                    return outcome
                rewritten = for_segment(loaded, segment, question, beside_total, decisions)
                return delivery.make(outcome, rewritten, target(segment.key))

            warm = functools.partial(preload, loaded.spec.deck.locale)
            outcomes = batch.run(chosen, work, jobs=jobs, progress=progress, before_fork=warm)
            return _sharded(outcomes, folder, shard)

    def build_personal(
        self,
        out_dir: str | Path | None = None,
        *,
        peers: str | None = None,
        name: str | None = None,
        jobs: int | None = None,
        shard: str | tuple[int, int] | None = None,
        strict: bool = False,
        progress: Progress | None = None,
    ) -> list[Any]:
        """One deck per respondent (deckgen.workflows.personal) in `out_dir` (default
        out/<spec name>-personal/): their answers marked beside everyone's and, with
        `peers` (a single-choice question), their group's, under the privacy rule;
        files named by respondent id, or by their answer to `name`."""
        stem = self.spec_path.stem
        folder = Path(out_dir) if out_dir is not None else Path("out") / f"{stem}-personal"
        delivery = _Delivery(".pptx", functools.partial(_build_one, strict=strict))
        return self._personal(
            folder, delivery, peers=peers, name=name, jobs=jobs, shard=shard, progress=progress
        )

    def images_personal(
        self,
        out_dir: str | Path | None = None,
        *,
        formats: tuple[str, ...] = ("png", "svg"),
        **options: Any,
    ) -> list[Any]:
        """The chart images of each personal deck `build_personal` would build, a folder
        per respondent (<spec name>-<id>/) in `out_dir` (default out/images/).
        `options`: those of `build_personal` but `strict` (peers, name, jobs, shard,
        progress)."""
        folder = Path(out_dir) if out_dir is not None else Path("out") / "images"
        delivery = _Delivery("", functools.partial(_images_one, formats=formats))
        return self._personal(folder, delivery, **options)

    def _personal(
        self,
        folder: Path,
        delivery: _Delivery,
        *,
        peers: str | None = None,
        name: str | None = None,
        jobs: int | None = None,
        shard: str | tuple[int, int] | None = None,
        progress: Progress | None = None,
    ) -> list[Any]:
        """The batch of `build --each-respondent`: a deck per respondent, each made by
        `delivery` into `folder`."""
        from deckgen.errors import SpecError
        from deckgen.files import refuse_inputs, refuse_unwritable
        from deckgen.render.shared import sharing
        from deckgen.workflows import batch
        from deckgen.workflows.personal import alike, for_recipient, peer_group, recipients
        from deckgen.workflows.pipeline import check, preload

        part = _batch_options(shard, jobs)
        with self.protecting():
            loaded = self._loaded
            check(loaded)
            if peers is not None:
                q = loaded.codebook.questions.get(peers)
                if q is None or q.type != "single":
                    valid = [k for k, v in loaded.codebook.questions.items() if v.type == "single"]
                    raise SpecError(
                        f"--peers: `{peers}` is not a single-choice question of the codebook"
                        f"{suggest(peers, valid)}; valid: {valid_list(valid)}"
                    )
            people = recipients(loaded, name)  # loads the responses, before forking
            loaded = replace(loaded, batch_cache=[])  # one result cache for every deck
            chosen = batch.shard(people, lambda r: r.key, part)
            target = delivery.target(folder, self.spec_path.stem)
            refuse_unwritable(folder)
            for person in chosen:
                refuse_inputs(target(person.key))

            def work(person) -> batch.Outcome:
                outcome = batch.Outcome(person.key, person.label)
                return delivery.make(
                    outcome, for_recipient(loaded, person, peers), target(person.key)
                )

            # the decks differ by their marks: a slide or zip entry made for one deck is
            # reused by the next that has it (deckgen.render.shared; DECKGEN_NO_SHARED=1: not)
            # each process builds a stripe of alike recipients: its kept slides serve more;
            # the stripes are cut by peer group, so that no process gets most of the groups
            frame = loaded.survey.frame
            with sharing():
                outcomes = batch.run(
                    chosen, work, jobs=jobs, progress=progress,
                    alike=alike(frame, peers),
                    before_fork=functools.partial(preload, loaded.spec.deck.locale),
                    group=None if peers is None else peer_group(frame, peers),
                )  # fmt: skip
            return _sharded(outcomes, folder, part)

    def images(
        self,
        out_dir: str | Path | None,
        *,
        formats: tuple[str, ...] = ("png", "svg"),
        progress: Progress | None = None,
    ) -> list[Any]:
        """Every chart as PNG (1200x675) and SVG in `out_dir` (None: drawn, not written)."""
        from deckgen.render.images import draw_images

        with self.protecting():
            deck, _ = self.plan()
            return draw_images(
                deck,
                self._loaded.theme,
                out_dir,
                formats=formats,
                source=self._loaded.spec.deck.source,
                progress=progress,
            )


def load(spec_path: str | Path, expect: str = "error") -> Project:
    """The project of a spec; a mistake in the spec, theme or codebook is a DeckgenError.
    `expect="warn"`: a published figure the data no longer give is a warning, not an
    error (Project.expect)."""
    return Project(spec_path, expect)


def build(spec_path: str | Path, out: str | Path | None = None, **options: Any) -> Any:
    """`load(spec_path).build(out, ...)`."""
    return load(spec_path).build(out, **options)


def inputs(spec_path: str | Path) -> list[Path]:
    """The files a build of `spec_path` reads, as far as they can be known.

    For `watch`: whatever cannot be resolved (a broken spec, a broken codebook)
    is left out, but the spec itself is always listed, so fixing it is seen.
    """
    try:
        return load(spec_path).inputs()
    except DeckgenError:
        pass
    from deckgen.inputs.codebook import load_codebook
    from deckgen.inputs.spec import load_spec

    files = [Path(spec_path).resolve()]
    try:
        spec = load_spec(spec_path)
    except DeckgenError:
        return files
    deck = spec.deck
    codebook = spec.resolve(deck.data)
    files.append(codebook)
    if deck.responses:
        files.append(spec.resolve(deck.responses))
    else:
        with contextlib.suppress(DeckgenError, OSError):
            files.append(Path(load_codebook(codebook).responses).resolve())
    for extra in (deck.theme, deck.template):
        if extra:
            files.append(spec.resolve(extra))
    return list(dict.fromkeys(files))


def init(
    data: str | Path,
    out_dir: str | Path | None = None,
    *,
    locale: str = "fr",
    force: bool = False,
    sheet: str | None = None,
) -> Any:
    """Draft `codebook.yaml` and `deck.yaml` from a survey file (CSV, XLSX, SPSS, Stata)
    into `out_dir` (default: the file's folder): deckgen.workflows.scaffold. `sheet`: an XLSX
    workbook's sheet of responses."""
    from deckgen.workflows.scaffold import scaffold

    return scaffold(data, out_dir, locale=locale, force=force, sheet=sheet)


def locales(plug_ins: bool = True) -> tuple[str, ...]:
    """The locales a deck can be written in: one catalogue each in deckgen/locales, then
    those installed packages add (`plug_ins=False`: deckgen's own, no entry point read)."""
    from deckgen.locales.catalogue import builtin
    from deckgen.locales.catalogue import locales as found

    return found() if plug_ins else builtin()


def schema() -> dict[str, Any]:
    """The JSON Schema of a spec (for editors' autocompletion)."""
    from deckgen.inputs.model import json_schema
    from deckgen.inputs.spec import Spec

    return json_schema(Spec)


def schema_text() -> str:
    import json

    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: str | Path) -> Path:
    """The JSON Schema written (atomically) to `path`."""
    from deckgen.files import write_atomic

    return write_atomic(schema_text().encode("utf-8"), Path(path))


def default_output(spec_path: str | Path) -> Path:
    """Where a build writes without `-o`: out/<spec name>.pptx, under the current folder."""
    from deckgen.workflows.pipeline import default_output as output

    return output(spec_path)


@dataclass(frozen=True)
class _Delivery:
    """What a batch makes of each of its decks: a .pptx file (`suffix` ".pptx"), or a
    folder of chart images (`suffix` ""), made by `make(outcome, loaded, target)`."""

    suffix: str
    make: Callable[[Any, Any, Path], Any]

    def target(self, folder: Path, stem: str) -> Callable[[str], Path]:
        """Where the deck of key `key` goes: <folder>/<spec name>-<key><suffix>."""
        return lambda key: folder / f"{stem}-{key}{self.suffix}"


def _images_one(outcome: Any, loaded: Any, target: Path, formats: tuple[str, ...]) -> Any:
    """Draw the charts of one deck of a batch into the folder `target`: `outcome` gets
    the folder and the deck's warnings (its plan's and its images'), or its error."""
    from deckgen.render.images import draw_images
    from deckgen.workflows.pipeline import plan

    def make() -> tuple[Path | None, list[str]]:
        warnings = Warnings()
        deck, _ = plan(loaded, warnings)
        source = loaded.spec.deck.source
        images = draw_images(deck, loaded.theme, target, formats=formats, source=source)
        said = [str(w) for w in warnings.items]
        return target, said + [f"{i.name}: {w}" for i in images for w in i.warnings]

    return _made(outcome, make)


def _build_one(outcome: Any, loaded: Any, target: Path, strict: bool) -> Any:
    """Build one deck of a batch into `outcome`: its path and warnings, or its error."""
    from deckgen.workflows.pipeline import build

    def make() -> tuple[Path | None, list[str]]:
        report = build(loaded, target, strict=strict, spec_path=loaded.spec.path, into_folder=True)
        return report.path, [str(w) for w in report.warnings.items]

    return _made(outcome, make)


def _made(outcome: Any, make: Callable[[], tuple[Path | None, list[str]]]) -> Any:
    """`outcome` with what `make()` wrote and its warnings, or the error it stopped at:
    one deck's failure, even a bug, must not stop the batch."""
    try:
        outcome.path, outcome.warnings = make()
    except DeckgenError as exc:
        outcome.error = "; ".join(str(p) for p in exc.problems)
    except Exception as exc:  # noqa: BLE001 - one deck's bug must not stop the batch
        outcome.error = f"internal error: {type(exc).__name__}: {exc}"
    return outcome


def _respondents(n: int) -> str:
    return f"{n} respondent" if n == 1 else f"{n} respondents"


def _sharded(outcomes: list[Any], folder: Path, part: tuple[int, int] | None) -> list[Any]:
    """A shard's outcomes, its summary file written beside its decks (one per shard:
    N machines sharing an output folder never write the same file)."""
    if part is not None:
        from deckgen.workflows.batch import write_summary

        write_summary(outcomes, folder, part)
    return outcomes


def _batch_options(shard: str | tuple[int, int] | None, jobs: int | None) -> tuple[int, int] | None:
    """A batch's `shard` ("I/N", "auto[/N]" or (I, N)) and `jobs`, checked: a SpecError
    says why."""
    from deckgen.errors import SpecError
    from deckgen.workflows.batch import parse_shard

    if jobs is not None and jobs < 1:
        raise SpecError(f"--jobs takes a number of processes, 1 or more, got {jobs}")
    if isinstance(shard, str):
        try:
            return parse_shard(shard)
        except ValueError as exc:
            raise SpecError(str(exc)) from None
    return shard
