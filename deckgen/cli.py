"""Command line: a thin shell over the library.

Every DeckgenError becomes a clean message and exit code 2; anything else is a
bug: exit code 1 with a "please report" hint. A usage mistake (unknown command
or option) is exit code 2 too, with the usage line; a reader that stops reading
(`deckgen indicators SPEC | head`) ends the command quietly with 141.

Start-up is part of the edit-rebuild loop, so this module imports almost
nothing: arguments are parsed with the standard library's argparse, and rich is
imported only to colour a terminal (the spinner, "error"/"warning" in colour)
or to draw the `indicators` table. Heavy imports (python-pptx, pandas,
matplotlib) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.errors import DeckgenError

EXIT_USER = 2
EXIT_BUG = 1
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader left

DESCRIPTION = """\
deckgen: turn survey answers into a finished PowerPoint deck.

Example: deckgen build config/barometre-2021.yaml"""


# -- output ------------------------------------------------------------------------


def _colour(stream) -> bool:
    """Colour only where someone sees it: a terminal, or FORCE_COLOR; never with NO_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or (hasattr(stream, "isatty") and stream.isatty())


def _say(
    text: str, *, err: bool = False, label: str | None = None, style: str = "", colon: str = ": "
) -> None:
    """One message line; `label` ("warning", "spec error") is coloured on a terminal,
    `colon` after it (the change report's: its deck's language's).

    User text (titles, values) is never read as markup: a `[/]` in a slide title
    is text.
    """
    if err:
        _write_line(sys.stderr, text, label, style, colon)
        return
    with _writing_stdout():
        _write_line(sys.stdout, text, label, style, colon)


def _write_line(stream, text: str, label: str | None, style: str, colon: str = ": ") -> None:
    if label is not None and style and _colour(stream):
        from rich.console import Console
        from rich.markup import escape

        Console(file=stream, highlight=False, soft_wrap=True).print(
            f"[{style}]{escape(label)}[/]{colon}{escape(text)}"
        )
        return
    stream.write((f"{label}{colon}{text}" if label is not None else text) + "\n")
    stream.flush()


@contextlib.contextmanager
def _writing_stdout() -> Iterator[None]:
    """A failed write to the standard output (a full disk) is an output error, not a bug.

    A reader that left (`| head`) is not: BrokenPipeError goes through (see `guarded`).
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        from deckgen.errors import OutputError

        raise OutputError(f"cannot write to the standard output: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _progress(enabled: bool, first: str) -> Iterator[Callable[[str], None]]:
    """A spinner with the current step on a terminal; nothing elsewhere (logs, CI, -q)."""
    if not (enabled and _colour(sys.stderr)):
        yield lambda _msg: None
        return
    from rich.console import Console

    with Console(stderr=True).status(first) as status:
        yield lambda msg: status.update(msg)


def _report(exc: DeckgenError) -> None:
    head = str(exc.problems[0]) if len(exc.problems) == 1 else f"{len(exc.problems)} problems"
    _say(head, err=True, label=exc.kind, style="bold red")
    if len(exc.problems) > 1:
        for p in exc.problems[:20]:
            _say(f"  - {p}", err=True)
        if len(exc.problems) > 20:
            _say(f"  ... and {len(exc.problems) - 20} more", err=True)


def _warn_all(items) -> None:
    for w in items:
        _say(str(w), err=True, label="warning", style="yellow")


# -- commands ----------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> None:
    from deckgen.api import load

    project = load(args.spec, expect=args.expect)
    if args.each or args.each_respondent:
        return _batch(project, args)
    to_stdout = str(args.out) == "-"
    # a deck written to the standard output (-o -, or a path that is it) gets the
    # messages on the standard error, never after its bytes
    quiet_out = to_stdout or (args.out is not None and _is_stdout(args.out))
    out = sys.stdout.buffer if to_stdout else args.out
    with _progress(not args.quiet, "building…") as progress:
        report = project.build(out, strict=args.strict, progress=progress)
    _warn_all(report.warnings.items)
    if args.verbose:
        for note in report.notes:
            _say(note, err=True)
    n = len(report.plan.slides)
    charts = sum(len(s.charts) for s in report.plan.slides)
    where = "the standard output" if to_stdout else report.path
    _say(f"built {where} ({n} slides, {charts} charts)", err=quiet_out)


def _batch(project, args: argparse.Namespace, images: bool = False) -> None:
    """`build` (or `images`) with `--each QUESTION` or `--each-respondent`: a deck (a
    folder of images) per segment or respondent, a line per deck, a summary; exit 2
    when any deck failed."""
    from deckgen.errors import SpecError

    if args.each and args.each_respondent:
        raise SpecError("--each and --each-respondent: one or the other")
    with _progress(not args.quiet, "drawing…" if images else "building…") as progress:
        common: dict[str, Any] = {"jobs": args.jobs, "shard": args.shard, "progress": progress}
        if images:
            common["formats"] = _formats(args)
        else:
            common["strict"] = args.strict
        if args.each_respondent:
            personal = project.images_personal if images else project.build_personal
            outcomes = personal(args.out, peers=args.peers, name=args.name, **common)
        else:
            each = project.images_each if images else project.build_each
            outcomes = each(
                args.each,
                args.out,
                groups=_groups(args.group),
                include_small=args.include_small,
                beside_total=args.beside_total,
                **common,
            )
    made = "drawn" if images else "built"
    built = [o for o in outcomes if o.path is not None]
    _report_outcomes(outcomes, made)
    if not args.quiet:
        for o in built:
            _say(f"{'drew' if images else 'built'} {o.path}")
    failed = [o for o in outcomes if o.error]
    skipped = [o for o in outcomes if o.skipped]
    summary = f"{len(built)} of {len(outcomes)} decks {made}"
    if skipped:
        summary += f", {len(skipped)} not {made}"
    if failed:
        summary += f", {len(failed)} failed ({', '.join(o.label for o in failed)})"
    _say(summary, err=True)
    if failed:
        raise SystemExit(2)


def _groups(given: list[str] | None) -> dict[str, list[str]] | None:
    """`--group LABEL=CODE,CODE` (repeated) as {label: [codes]}."""
    from deckgen.errors import SpecError

    if not given:
        return None
    out: dict[str, list[str]] = {}
    for item in given:
        label, sep, codes = item.partition("=")
        picked = [c.strip() for c in codes.split(",") if c.strip()]
        if not sep or not label.strip() or not picked:
            raise SpecError(
                f"--group {item!r}: expected LABEL=CODE,CODE (a deck's name, then the codes "
                "of the options it holds), e.g. --group Autres=metropole,region"
            )
        if label.strip() in out:
            raise SpecError(f"--group: the label {label.strip()!r} is given twice")
        out[label.strip()] = picked
    return out


def _report_outcomes(outcomes, made: str = "built") -> None:
    """A batch's warnings (each once), then each deck not built (or drawn) or failed,
    with why."""
    _warn_all(batch_warnings(outcomes))
    for o in outcomes:
        if o.skipped:
            _say(f"{o.label}: not {made}: {o.skipped}", err=True, label="warning", style="yellow")
        if o.error:
            _say(f"{o.label}: {o.error}", err=True, label="error", style="bold red")


def batch_warnings(outcomes, listed: int = 3) -> list[str]:
    """A batch's warnings, each said once: with the deck it concerns, or, when several
    decks repeat it, with how many ("in 30 of 31 decks: C01, C02, C03…")."""
    decks: dict[str, list[str]] = {}
    for o in outcomes:
        for w in dict.fromkeys(o.warnings):
            decks.setdefault(w, []).append(o.label)
    out = []
    for warning, labels in decks.items():
        if len(labels) == 1:
            out.append(f"{labels[0]}: {warning}")
            continue
        if len(labels) == len(outcomes):
            out.append(f"{warning} (in every deck)")
            continue
        names = ", ".join(labels[:listed]) + ("…" if len(labels) > listed else "")
        out.append(f"{warning} (in {len(labels)} of {len(outcomes)} decks: {names})")
    return out


def _is_stdout(path: Path) -> bool:
    """Whether `path` is the file the standard output writes to (/dev/stdout, `> file`)."""
    try:
        here, there = os.stat(path), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


#: `--force` without a key: every conflict
FORCE_ALL = "\x00all"


def cmd_update(args: argparse.Namespace) -> None:
    from deckgen.api import load

    project = load(args.spec)
    w = project.words()
    with _progress(not args.quiet, w("upd_updating")) as progress:
        keys = args.force or []
        report = project.update(
            args.deck,
            args.out,
            force=True if FORCE_ALL in keys else keys,
            dry_run=args.dry_run,
            add_missing=args.add_missing,
            csv=args.csv,
            xlsx=args.xlsx,
            progress=progress,
        )
    for change in report.listed():
        warn = ("conflict", "deleted", "missing", "expect", "flag")
        style = "yellow" if change.status in warn else None
        label = w(f"status_{change.status}") if style else None
        _say(change.line(), label=label, style=style or "", colon=w("colon"))
    for line in report.closing(args.deck):
        _say(line)
    for written in (args.csv, args.xlsx):
        if written is not None and report.path is not None:
            _say(report.wrote(written), err=True)


def cmd_validate(args: argparse.Namespace) -> None:
    from deckgen.api import load

    project = load(args.spec, expect=args.expect)
    _warn_all(project.validate())
    _say(f"{args.spec}: valid ({project.slide_count()} slides)")


def cmd_indicators(args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    from deckgen.api import load

    project = load(args.spec, expect=args.expect)
    if args.expect == "warn":  # the published figures that moved, said before the table
        _warn_all(w for w in project.validate() if w.detail)
    rows = project.write_figures(csv=args.csv, xlsx=args.xlsx)
    table = Table(*project.table_headers())
    for r in rows:
        table.add_row(
            str(r["slide"]),
            str(r["element"]),
            str(r["label"])[:60],
            str(r["series"])[:20],
            str(r["value"]),
            str(r["count"]),
            str(r["base"]),
            str(r["status"]),
        )
    with _writing_stdout():
        Console(file=sys.stdout, highlight=False).print(table)
    for written in (args.csv, args.xlsx):
        if written is not None:
            _say(f"wrote {written} ({len(rows)} rows)", err=True)


def cmd_images(args: argparse.Namespace) -> None:
    from deckgen.api import load

    project = load(args.spec)
    if args.each or args.each_respondent:
        return _batch(project, args, images=True)
    with _progress(not args.quiet, "drawing…") as progress:
        written = project.images(args.out, formats=_formats(args), progress=progress)
    for image in written:
        for warning in image.warnings:
            _say(f"{image.name}: {warning}", err=True, label="warning", style="yellow")
    files = sum(len(i.files) for i in written)
    _say(f"wrote {files} files for {len(written)} charts in {args.out}")


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    return ("png",) if args.png_only else ("png", "svg")


def cmd_preview(args: argparse.Namespace) -> None:
    from deckgen.preview import preview as run

    if args.each or args.each_respondent:
        return _preview_each(args)
    with _progress(True, "previewing…") as progress:
        report = run(
            args.spec,
            args.out,
            slide_width=args.width,
            thumb_width=args.thumb,
            cols=args.cols,
            timeout=args.timeout,
            progress=progress,
        )
    _warn_all(report.warnings)
    _say(f"deck          {report.deck}")
    _say(f"pdf           {report.pdf} ({len(report.slides)} pages)")
    _say(f"slides        {report.slides[0].parent}/slide-NN.png")
    _say(f"contact sheet {report.contact_sheet}")


def _preview_each(args: argparse.Namespace) -> None:
    """`preview --each` / `--each-respondent`: a contact sheet per deck built."""
    from deckgen.errors import SpecError
    from deckgen.preview import preview_batch

    if args.each and args.each_respondent:
        raise SpecError("--each and --each-respondent: one or the other")
    with _progress(True, "previewing…") as progress:
        outcomes, reports = preview_batch(
            args.spec,
            args.out,
            each=args.each,
            groups=_groups(args.group),
            include_small=args.include_small,
            each_respondent=args.each_respondent,
            peers=args.peers,
            name=args.name,
            jobs=args.jobs,
            slide_width=args.width,
            thumb_width=args.thumb,
            cols=args.cols,
            timeout=args.timeout,
            progress=progress,
        )
    _report_outcomes(outcomes)
    for report in reports:
        _say(f"contact sheet {report.contact_sheet}")
    _say(f"{len(reports)} of {len(outcomes)} decks previewed", err=True)
    if any(o.error for o in outcomes):
        raise SystemExit(2)


def cmd_watch(args: argparse.Namespace) -> None:
    from deckgen.watch import watch as run

    try:
        run(args.spec, args.out, poll=args.poll, echo=_say, deck=args.deck)
    except KeyboardInterrupt:
        _say("stopped", err=True)


def cmd_init(args: argparse.Namespace) -> None:
    from deckgen.api import init

    written = init(args.data, args.out, locale=args.locale, force=args.force, sheet=args.sheet)
    draft = written.draft
    kinds: dict[str, int] = {}
    for q in draft.questions:
        kinds[q.type] = kinds.get(q.type, 0) + 1
    found = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    _say(f"wrote {written.codebook} ({len(draft.questions)} questions: {found})")
    for column, why in draft.ignored:
        _say(f"  left out: {column}: {why}")
    _say(f"wrote {written.spec} (1 title slide and {len(draft.questions)} chart slides)")
    _say(f"next: deckgen build {written.spec}")


def cmd_schema(args: argparse.Namespace) -> None:
    from deckgen.api import schema_text, write_schema

    if args.out is None:
        with _writing_stdout():
            sys.stdout.write(schema_text())
            sys.stdout.flush()
    else:
        write_schema(args.out)


# -- parser ------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, plus the nearest command for a mistyped one ("did you mean `build`?")."""

    commands: tuple[str, ...] = ()

    def error(self, message: str):
        import re

        from deckgen.errors import suggest

        wrong = re.search(r"invalid choice: '?([^' ]+)'?", message)
        if wrong and self.commands:
            message += suggest(wrong.group(1), self.commands)
        super().error(message)


@dataclass(frozen=True)
class Arg:
    """One argument of a command: argparse's flags (or name) and keywords."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    """A sub-command: its help is its summary, details and example, as written; it
    takes the spec as its first argument unless `spec` is false."""

    name: str
    run: Callable[[argparse.Namespace], None]
    summary: str
    details: str
    arguments: tuple[Arg, ...] = ()
    spec: bool = True


def _out(default: Path | None, help: str) -> Arg:
    return arg("-o", "--out", type=Path, default=default, help=help)


QUIET = arg("-q", "--quiet", action="store_true", help="No progress display.")
EXPECT = arg(
    "--expect",
    choices=("error", "warn"),
    default="error",
    help="A published figure (`expect:`) the data no longer give: `error` stops "
    "(default); `warn` says so and goes on, for a quarter's new data (the figure is "
    "then not called published).",
)


def _batch_arguments(
    each: str, each_respondent: str, *, beside_total: bool = True, shard: bool = True
) -> tuple[Arg, ...]:
    """The options of a batch (`--each`, `--each-respondent` and theirs), alike for
    build, preview and images: `each` and `each_respondent` say what the command
    makes of each deck."""
    return (
        arg("--each", metavar="QUESTION", help=each),
        arg("--each-respondent", action="store_true", help=each_respondent),
        arg(
            "--peers",
            metavar="QUESTION",
            help="With --each-respondent: also the respondents of the same option of this "
            "single-choice question (shown only with the theme's privacy_threshold of them "
            "besides two readers pooling their answers: docs/privacy.md).",
        ),
        arg(
            "--name",
            metavar="QUESTION",
            help="With --each-respondent: name each deck by the answer to this question "
            "(default: the respondent id).",
        ),
        arg(
            "--group",
            action="append",
            metavar="LABEL=CODE,CODE",
            help="With --each: one deck for these options (or bands) together, named LABEL, as "
            "an indicator's `segments:` groups them; repeat it for each deck (the options left "
            "out get no deck). Example: --group Communes=commune --group "
            "Autres=intercommunalite,metropole,departement,region",
        ),
        *(
            (
                arg(
                    "--beside-total",
                    action="store_true",
                    help="With --each: charts show the segment beside the whole sample.",
                ),
            )
            if beside_total
            else ()
        ),
        arg(
            "--include-small",
            action="store_true",
            help="With --each: also build segments under the small-base threshold (never "
            "those under the privacy threshold).",
        ),
        arg(
            "--jobs",
            type=int,
            metavar="N",
            help="With --each or --each-respondent: decks built at once, in N processes "
            "(default: the number of CPUs).",
        ),
        *(
            (
                arg(
                    "--shard",
                    metavar="I/N",
                    help="With --each or --each-respondent: build only the I-th of N "
                    "deterministic slices of the decks (to share a batch between N machines), "
                    "and write this shard's summary-shard-I-of-N.csv beside them. auto, or "
                    "auto/N: I (and N) from the scheduler: a Slurm job array, a Kubernetes "
                    "Indexed Job (N given), a GitLab CI parallel job.",
                ),
            )
            if shard
            else ()
        ),
    )


def _locale(value: str) -> str:
    """--locale, checked when given: the plug-ins' locales are read then, not at every
    start of the command (reading installed packages' entry points takes a while)."""
    from deckgen.api import locales

    if value not in locales():
        choices = ", ".join(locales())
        raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from {choices})")
    return value


#: the survey files deckgen reads (inputs.readers.READERS, which imports pandas: the
#: help names them without it; tests/test_cli.py checks the two agree)
_FORMATS = ".csv, .xlsx, .xlsm, .sav, .zsav, .dta, .parquet, .feather"


def commands() -> tuple[Command, ...]:
    """Every sub-command, in the order `deckgen --help` lists them."""
    from deckgen.api import locales

    return (
        Command(
            "build",
            cmd_build,
            "Build the deck.",
            "Example: deckgen build config/barometre-2021.yaml -o out/webinaire.pptx",
            (
                _out(
                    None,
                    "Output .pptx (default: out/<spec name>.pptx under the current folder; "
                    "`-` writes the deck to the standard output).",
                ),
                arg(
                    "--strict",
                    action="store_true",
                    help="Treat warnings (small bases, text too long) as errors.",
                ),
                arg(
                    "-q",
                    "--quiet",
                    action="store_true",
                    help="No progress display; in a batch, no line per deck built (warnings, "
                    "errors and the summary only).",
                ),
                arg(
                    "-v", "--verbose", action="store_true", help="Also say how the deck was built."
                ),
                EXPECT,
                *_batch_arguments(
                    "One deck per option of this single-choice question (or band of a numeric "
                    "one), each computed on its respondents, in the folder -o (default "
                    "out/<spec name>/).",
                    "One deck per respondent, their answers marked beside everyone's, in the "
                    "folder -o (default out/<spec name>-personal/).",
                ),
            ),
        ),
        Command(
            "update",
            cmd_update,
            "Write new figures into a deck the team has edited, keeping their edits.",
            "Charts, callouts, footnotes, tables, the map, alternative texts and the generated\n"
            "speaker notes get the figures of a fresh build; positions, colours, fonts, titles,\n"
            "slide order and the team's own slides stay. A figure retyped by hand is a\n"
            "conflict, left alone (--force overwrites it). See docs/refresh.md.\n\n"
            "Example: deckgen update config/barometre-2021.yaml --deck edited.pptx",
            (
                arg("--deck", type=Path, required=True, help="The edited deck (.pptx)."),
                _out(
                    None,
                    "Output .pptx (default: DECK-updated.pptx beside it; the deck itself: "
                    "updated in place, a backup DECK.before-update.pptx written first).",
                ),
                arg(
                    "--force",
                    nargs="?",
                    action="append",
                    const=FORCE_ALL,
                    metavar="KEY",
                    help="Overwrite what the team changed by hand with the data's: the part "
                    "KEY, as the change report prints it after --force (e.g. "
                    "les-moyens#callout-1-value, les-moyens#chart-1#alt; repeat for more), or "
                    "every conflict without a KEY.",
                ),
                arg("--dry-run", action="store_true", help="Print the changes; write nothing."),
                arg(
                    "--add-missing",
                    action="store_true",
                    help="Append the slides new in the spec at the end of the deck.",
                ),
                arg("--csv", type=Path, help="Also write the change report as CSV."),
                arg("--xlsx", type=Path, help="Also write the change report as an Excel workbook."),
                QUIET,
            ),
        ),
        Command(
            "validate",
            cmd_validate,
            "Check the spec against its data and template, without building.",
            "Example: deckgen validate config/barometre-2021.yaml",
            (EXPECT,),
        ),
        Command(
            "indicators",
            cmd_indicators,
            "Print every figure the deck shows, with its base.",
            "Example: deckgen indicators config/barometre-2021.yaml --xlsx out/indicateurs.xlsx",
            (
                arg("--csv", type=Path, help="Also write the table as CSV (UTF-8, formula-safe)."),
                arg(
                    "--xlsx",
                    type=Path,
                    help="Also write the table as an Excel workbook (header, filters, percents "
                    "as numbers).",
                ),
                EXPECT,
            ),
        ),
        Command(
            "images",
            cmd_images,
            "Write every chart of the deck as PNG (1200x675) and SVG, in the deck's theme.",
            "Files are named after their slide: NN-slide-title[-k].png, e.g.\n"
            "10-les-reseaux-sociaux-pour-la-participation.png. Needs matplotlib.\n\n"
            "Example: deckgen images config/barometre-2021.yaml -o out/images\n"
            "         deckgen images config/barometre-2021.yaml --each-respondent -o out/personal",
            (
                _out(Path("out/images"), "Folder for the images (default: out/images)."),
                arg("--png-only", action="store_true", help="Write PNG files only (no SVG)."),
                QUIET,
                *_batch_arguments(
                    "The images of each deck of `build --each QUESTION` instead (the same "
                    "decks, the same privacy decisions): a folder per deck, <spec "
                    "name>-<segment>/, in the folder -o.",
                    "The images of each personal deck of `build --each-respondent` instead: a "
                    "folder per deck, <spec name>-<id>/, in the folder -o.",
                ),
            ),
        ),
        Command(
            "preview",
            cmd_preview,
            "Build the deck and render it with LibreOffice: PDF, one PNG per slide, a contact "
            "sheet.",
            "Writes out/<deck>.pdf, out/<deck>-preview/slide-NN.png and\n"
            "out/<deck>-contact-sheet.png. Needs LibreOffice (soffice) and poppler (pdftoppm).\n\n"
            "With --each or --each-respondent, the decks of that batch, each with its own\n"
            "contact sheet.\n\n"
            "Example: deckgen preview config/barometre-2021.yaml --thumb 320 --cols 4\n"
            "         deckgen preview config/barometre-2021.yaml --each type_collectivite -o "
            "out/types",
            (
                _out(Path("out"), "Folder for the deck, PDF and images (default: out)."),
                arg(
                    "--width",
                    type=int,
                    default=1280,
                    help="Width of each slide PNG, in pixels (default: 1280).",
                ),
                arg(
                    "--thumb",
                    type=int,
                    default=320,
                    help="Width of each thumbnail on the contact sheet, in pixels (default: 320).",
                ),
                arg(
                    "--cols",
                    type=int,
                    default=4,
                    help="Thumbnails per row on the contact sheet (default: 4).",
                ),
                arg(
                    "--timeout",
                    type=float,
                    default=180,
                    help="Seconds allowed for the LibreOffice conversion (default: 180).",
                ),
                *_batch_arguments(
                    "Preview the decks of `build --each QUESTION` instead: each deck with its "
                    "PDF, slide images and contact sheet, in the folder -o.",
                    "Preview the personal decks of `build --each-respondent` instead, one "
                    "contact sheet per deck.",
                    beside_total=False,
                    shard=False,
                ),
            ),
        ),
        Command(
            "watch",
            cmd_watch,
            "Rebuild the deck whenever the spec, data, theme or template changes.",
            'Prints the figures that changed ("slide 8 callout 1: 97 % → 94 %"); a failed\n'
            "rebuild prints the error and keeps the last good deck. With --deck, refreshes a\n"
            "deck the team has edited instead (deckgen update). Stop with Ctrl+C.\n\n"
            "Example: deckgen watch config/barometre-2021.yaml\n"
            "         deckgen watch config/barometre-2021.yaml --deck edited.pptx",
            (
                _out(None, "Output .pptx (default: out/<spec name>.pptx)."),
                arg(
                    "--deck",
                    type=Path,
                    help="A deck the team has edited: refresh it (deckgen update) into "
                    "DECK-updated.pptx (or -o) on every change of the inputs or of the deck "
                    "itself.",
                ),
                arg(
                    "--poll",
                    type=float,
                    default=0.5,
                    help="Seconds between two checks of the files (default: 0.5).",
                ),
            ),
        ),
        Command(
            "init",
            cmd_init,
            "Draft a codebook and a first deck spec from a survey file.",
            "Reads a CSV, XLSX, SPSS (.sav), Stata (.dta), Parquet or Feather file, infers each\n"
            "question's type (single choice, multi-select, Likert grid, ranking, numeric) and "
            "writes\n"
            "codebook.yaml and deck.yaml, which build as they are. Existing files are kept\n"
            "unless --force.\n\n"
            "Example: deckgen init data/survey.sav -o data/survey --locale en",
            (
                arg("data", type=Path, help=f"The survey file ({_FORMATS}, or a plug-in's)."),
                _out(None, "Folder for codebook.yaml and deck.yaml (default: the file's)."),
                arg(
                    "--locale",
                    type=_locale,
                    default="fr",
                    metavar="{" + ",".join(locales(plug_ins=False)) + "}",
                    help="The deck's language (default: fr), or a locale an installed plug-in "
                    "adds.",
                ),
                arg(
                    "--force",
                    action="store_true",
                    help="Replace existing codebook.yaml and deck.yaml.",
                ),
                arg(
                    "--sheet",
                    metavar="NAME",
                    help="An XLSX workbook's sheet of responses (default: the first visible "
                    "one, when no other sheet has rows); written into the codebook as `sheet:`.",
                ),
            ),
            spec=False,
        ),
        Command(
            "schema",
            cmd_schema,
            "Print the spec's JSON Schema (for editor autocompletion).",
            "Example: deckgen schema -o deckgen.schema.json",
            (_out(None, "Write to a file instead of stdout."),),
            spec=False,
        ),
    )


def parser() -> argparse.ArgumentParser:
    """The command line, built from `commands()`."""
    from deckgen import __version__

    top = _Parser(
        prog="deckgen",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for command in commands():
        p = sub.add_parser(
            command.name,
            help=command.summary,
            description=f"{command.summary}\n\n{command.details}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if command.spec:
            p.add_argument("spec", type=Path, help="The deck spec (YAML).")
        for argument in command.arguments:
            p.add_argument(*argument.flags, **argument.options)
        p.set_defaults(func=command.run)
    top.commands = tuple(sub.choices)
    return top


def run(argv: list[str] | None = None, *, one_shot: bool = False) -> int:
    """Parse `argv` (default: sys.argv[1:]), run the command; return the exit code.

    `one_shot` (the `deckgen` command, which exits afterwards) turns the cycle
    collector off for `build`: a build's objects (python-pptx's XML tree, the
    parsed spec, codebook and template) live until the end, and the collector's
    passes over them cost about 30 ms of a half-second build while freeing next
    to nothing (docs/benchmark.md). Other commands keep it: `images` leaves
    matplotlib figures that only the collector frees, `watch` runs for hours.
    """
    top = parser()
    args = top.parse_args(argv)  # a usage mistake prints the usage and exits with 2
    if args.command is None:
        top.print_help(sys.stderr)
        return EXIT_USER
    if one_shot and args.command == "build":
        import gc

        gc.disable()
    try:
        args.func(args)
    except DeckgenError as exc:
        _report(exc)
        return EXIT_USER
    return 0


def main(argv: list[str] | None = None) -> None:
    """The `deckgen` command: exit 0 when done, 2 for a user's mistake, 1 for a bug."""
    import signal

    # SIGTERM ends the command as Ctrl+C does: through the exceptions, so a
    # temporary file being written is removed and the previous output kept
    signal.signal(signal.SIGTERM, _terminated)
    _exit_now(guarded(argv, one_shot=True))


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM)."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()


def guarded(argv: list[str] | None = None, *, one_shot: bool = False) -> int:
    """`run`, as the command runs it: a bug is exit code 1 with a short message
    asking for a report (the traceback with DECKGEN_DEBUG=1); Ctrl+C is 130; a
    reader that stopped reading (`| head`) is 141, quietly."""
    try:
        return run(argv, one_shot=one_shot)
    except SystemExit:
        raise
    except BrokenPipeError:  # `deckgen indicators ... | head` stopped reading: not a bug
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Terminated:
        sys.stderr.write("terminated\n")
        return 143
    except Exception as exc:  # a bug: say so, briefly
        import traceback

        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in deckgen, please report it with the command and spec you ran.\n"
        )
        if "DECKGEN_DEBUG" in os.environ:
            traceback.print_exc()
        return EXIT_BUG


def _exit_now(code: int) -> None:
    """End the process without the interpreter's teardown.

    Everything is written by now (the deck atomically, then fsync'd), yet a
    normal exit would still free every object one by one: python-pptx's XML
    trees, the template, the modules, about 40 ms of a half-second build for
    nothing the system does not reclaim anyway. Exit handlers run first, then
    the output streams are flushed; a stream that cannot be written (a full
    disk) is reported with exit code 120, as Python itself does. Under a
    profiler or a coverage tracer, which write their results at a normal
    exit, the exit is a normal one.
    """
    import atexit

    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is not None:
        run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # `deckgen ... | head`: the reader has gone, nothing to report
            pass
        except (OSError, ValueError) as exc:
            if stream is not sys.stderr:
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.write(f"cannot write the output: {exc}\n")
                    sys.stderr.flush()
            code = code or 120
    os._exit(code)


if __name__ == "__main__":
    main()
