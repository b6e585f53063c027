"""Command line: a thin shell over the library.

Every DeckgenError becomes a clean message and exit code 2; anything else is a
bug: exit code 1 with a "please report" hint. Heavy imports (python-pptx,
pandas, matplotlib) happen inside the commands that need them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .errors import DeckgenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="deckgen: turn survey answers into a finished PowerPoint deck.\n\nExample: deckgen build config/barometre-2021.yaml",
)

EXIT_USER = 2
EXIT_BUG = 1
SpecArg = typer.Argument(..., help="The deck spec (YAML).", exists=False)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(exc: DeckgenError) -> None:
    console = _console(stderr=True)
    from rich.markup import escape

    # user text (titles, values) is escaped: a `[/]` in a slide title is text, not markup
    head = str(exc.problems[0]) if len(exc.problems) == 1 else f"{len(exc.problems)} problems"
    console.print(f"[bold red]{exc.kind}[/]: {escape(head)}", markup=True)
    if len(exc.problems) > 1:
        for p in exc.problems[:20]:
            console.print(f"  - {p}", markup=False)
        if len(exc.problems) > 20:
            console.print(f"  ... and {len(exc.problems) - 20} more", markup=False)
    raise typer.Exit(EXIT_USER)


def _warn(warnings) -> None:
    _warn_all(warnings.items)


def _warn_all(items) -> None:
    from rich.markup import escape

    console = _console(stderr=True)
    for w in items:
        console.print(f"[yellow]warning[/]: {escape(str(w))}", markup=True)


@app.command()
def build(
    spec: Path = SpecArg,
    out: Path | None = typer.Option(None, "-o", "--out", help="Output .pptx (default: out/<spec name>.pptx)."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings (small bases, text too long) as errors."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress display."),
) -> None:
    """Build the deck.

    Example: deckgen build config/barometre-2021.yaml -o out/webinaire.pptx
    """
    from .build import build as run

    console = _console(stderr=True)
    try:
        if quiet:
            report = run(spec, out, strict=strict)
        else:
            with console.status("building…") as status:
                report = run(spec, out, strict=strict, progress=lambda m: status.update(m))
    except DeckgenError as exc:
        _fail(exc)
    _warn(report.warnings)
    n = len(report.plan.slides)
    charts = sum(len(s.charts) for s in report.plan.slides)
    _console().print(f"built {report.path} ({n} slides, {charts} charts)", markup=False)


@app.command()
def validate(spec: Path = SpecArg) -> None:
    """Check the spec against its data and template, without building.

    Example: deckgen validate config/barometre-2021.yaml
    """
    from .build import check, load, plan
    from .errors import Warnings
    from .template import layout_names, open_template

    try:
        loaded = load(spec)
        loaded.survey  # noqa: B018 -- validate checks the data every time, cached results or not
        check(loaded, layout_names(open_template(loaded.template)))
        warnings = Warnings()
        deck, _ = plan(loaded, warnings)
    except DeckgenError as exc:
        _fail(exc)
    _warn(warnings)
    _console().print(f"{spec}: valid ({len(deck.slides)} slides)", markup=False)


@app.command()
def indicators(
    spec: Path = SpecArg,
    csv_path: Path | None = typer.Option(None, "--csv", help="Also write the table as CSV (UTF-8, formula-safe)."),
    xlsx_path: Path | None = typer.Option(
        None, "--xlsx", help="Also write the table as an Excel workbook (header, filters, percents as numbers)."),
) -> None:
    """Print every figure the deck shows, with its base.

    Example: deckgen indicators config/barometre-2021.yaml --xlsx out/indicateurs.xlsx
    """
    from rich.table import Table

    from .build import check, load, plan
    from .errors import Warnings
    from .exports import figure_rows, write_csv, write_xlsx

    try:
        loaded = load(spec)
        check(loaded)
        _, computed = plan(loaded, Warnings())
        rows = figure_rows(computed, loaded.spec.deck.locale)
        if csv_path is not None:
            write_csv(rows, csv_path)
        if xlsx_path is not None:
            write_xlsx(rows, xlsx_path, loaded.spec.deck.locale)
    except DeckgenError as exc:
        _fail(exc)
    table = Table("slide", "élément", "libellé", "série", "valeur", "n", "base", "statut")
    for r in rows:
        table.add_row(str(r["slide"]), str(r["element"]), str(r["label"])[:60], str(r["series"])[:20],
                      str(r["value"]), str(r["count"]), str(r["base"]), str(r["status"]))
    _console().print(table)
    for written in (csv_path, xlsx_path):
        if written is not None:
            _console(stderr=True).print(f"wrote {written} ({len(rows)} rows)", markup=False)


@app.command()
def images(
    spec: Path = SpecArg,
    out: Path = typer.Option(Path("out/images"), "-o", "--out", help="Folder for the images (default: out/images)."),
    png_only: bool = typer.Option(False, "--png-only", help="Write PNG files only (no SVG)."),
) -> None:
    """Write every chart of the deck as PNG (1200x675) and SVG, in the deck's theme.

    Files are named after their slide: NN-slide-title[-k].png, e.g.
    10-les-reseaux-sociaux-pour-la-participation.png. Needs matplotlib.

    Example: deckgen images config/barometre-2021.yaml -o out/images
    """
    from .images import write_images

    console = _console(stderr=True)
    try:
        with console.status("drawing…") as status:
            written = write_images(spec, out, formats=("png",) if png_only else ("png", "svg"),
                                   progress=lambda m: status.update(m))
    except DeckgenError as exc:
        _fail(exc)
    files = sum(len(i.files) for i in written)
    _console().print(f"wrote {files} files for {len(written)} charts in {out}", markup=False)


@app.command()
def preview(
    spec: Path = SpecArg,
    out: Path = typer.Option(Path("out"), "-o", "--out", help="Folder for the deck, PDF and images (default: out)."),
    width: int = typer.Option(1280, "--width", help="Width of each slide PNG, in pixels."),
    thumb: int = typer.Option(320, "--thumb", help="Width of each thumbnail on the contact sheet, in pixels."),
    cols: int = typer.Option(4, "--cols", help="Thumbnails per row on the contact sheet."),
    timeout: float = typer.Option(180, "--timeout", help="Seconds allowed for the LibreOffice conversion."),
) -> None:
    """Build the deck and render it with LibreOffice: PDF, one PNG per slide, a contact sheet.

    Writes out/<deck>.pdf, out/<deck>-preview/slide-NN.png and
    out/<deck>-contact-sheet.png. Needs LibreOffice (soffice) and poppler (pdftoppm).

    Example: deckgen preview config/barometre-2021.yaml --thumb 320 --cols 4
    """
    from .preview import preview as run

    console = _console(stderr=True)
    try:
        with console.status("previewing…") as status:
            report = run(spec, out, slide_width=width, thumb_width=thumb, cols=cols, timeout=timeout,
                         progress=lambda m: status.update(m))
    except DeckgenError as exc:
        _fail(exc)
    _warn_all(report.warnings)
    say = _console()
    say.print(f"deck          {report.deck}", markup=False)
    say.print(f"pdf           {report.pdf} ({len(report.slides)} pages)", markup=False)
    say.print(f"slides        {report.slides[0].parent}/slide-NN.png", markup=False)
    say.print(f"contact sheet {report.contact_sheet}", markup=False)


@app.command()
def watch(
    spec: Path = SpecArg,
    out: Path | None = typer.Option(None, "-o", "--out", help="Output .pptx (default: out/<spec name>.pptx)."),
    poll: float = typer.Option(0.5, "--poll", help="Seconds between two checks of the files."),
) -> None:
    """Rebuild the deck whenever the spec, data, theme or template changes.

    Prints the figures that changed ("slide 8 callout 1: 97 % → 94 %"); a failed
    rebuild prints the error and keeps the last good deck. Stop with Ctrl+C.

    Example: deckgen watch config/barometre-2021.yaml
    """
    from .watch import watch as run

    say = _console()
    try:
        run(spec, out, poll=poll, echo=lambda line: say.print(line, markup=False))
    except KeyboardInterrupt:
        _console(stderr=True).print("stopped", markup=False)
    except DeckgenError as exc:
        _fail(exc)


@app.command()
def schema(out: Path | None = typer.Option(None, "-o", "--out", help="Write to a file instead of stdout.")) -> None:
    """Print the spec's JSON Schema (for editor autocompletion).

    Example: deckgen schema -o deckgen.schema.json
    """
    import json

    from .spec import Spec

    text = json.dumps(Spec.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        from .package import write_atomic

        try:
            write_atomic(text.encode("utf-8"), out)
        except DeckgenError as exc:
            _fail(exc)


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: say so, briefly
        import traceback

        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in deckgen, please report it with the command and spec you ran.\n"
        )
        if "DECKGEN_DEBUG" in __import__("os").environ:
            traceback.print_exc()
        sys.exit(EXIT_BUG)


if __name__ == "__main__":
    main()
