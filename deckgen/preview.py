"""Preview a deck as LibreOffice renders it: a PDF, one PNG per slide, a contact sheet.

`deckgen preview SPEC` builds the deck, converts it with LibreOffice headless
(its own throw-away user profile, so it neither needs nor disturbs a running
LibreOffice, and a time limit), rasterises the PDF with poppler's `pdftoppm`,
and assembles every slide into one numbered contact sheet with Pillow:

    out/<deck>.pptx, out/<deck>.pdf,
    out/<deck>-preview/slide-01.png …, out/<deck>-contact-sheet.png

The communications team checks the whole deck at a glance on the sheet, without
PowerPoint. LibreOffice is not PowerPoint: fonts may be substituted (Arial by
Liberation Sans, same metrics), so the preview shows layout, not pixel truth.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.errors import DeckgenError, OutputError

INSTALL_HINT = (
    "install libreoffice-impress and poppler-utils "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-impress poppler-utils; "
    "macOS: brew install --cask libreoffice && brew install poppler)"
)
DEFAULT_TIMEOUT = 180  # seconds for the LibreOffice conversion
SLIDE_WIDTH = 1280  # px of each slide PNG
THUMB_WIDTH = 320  # px of each thumbnail on the contact sheet
COLUMNS = 4
# contact sheet geometry: a margin around and between cells, a caption band under each thumbnail
GAP = 16
CAPTION_H = 28
BACKGROUND = (241, 244, 248)
BORDER = (200, 205, 212)
CAPTION = (43, 45, 66)


@dataclass
class PreviewReport:
    deck: Path
    pdf: Path
    slides: list[Path]
    contact_sheet: Path
    sheet: SheetLayout
    warnings: list = field(default_factory=list)


@dataclass(frozen=True)
class SheetLayout:
    """Where each thumbnail sits on the contact sheet."""

    count: int
    cols: int
    thumb_width: int
    thumb_height: int
    gap: int = GAP
    caption: int = CAPTION_H

    @property
    def rows(self) -> int:
        return max(1, -(-self.count // self.cols))

    @property
    def size(self) -> tuple[int, int]:
        cols = min(self.cols, max(self.count, 1))
        width = cols * self.thumb_width + (cols + 1) * self.gap
        height = self.rows * (self.thumb_height + self.caption) + (self.rows + 1) * self.gap
        return width, height

    def box(self, index: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of thumbnail `index` (0-based), caption excluded."""
        row, col = divmod(index, self.cols)
        left = self.gap + col * (self.thumb_width + self.gap)
        top = self.gap + row * (self.thumb_height + self.caption + self.gap)
        return left, top, left + self.thumb_width, top + self.thumb_height


def find_tools() -> tuple[str, str]:
    """(soffice, pdftoppm) paths, or a DeckgenError saying what to install."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    missing = [
        name
        for name, path in (("soffice (LibreOffice)", soffice), ("pdftoppm (poppler)", pdftoppm))
        if not path
    ]
    if missing:
        raise DeckgenError(
            f"preview needs LibreOffice and poppler: {' and '.join(missing)} not found; "
            f"{INSTALL_HINT}"
        )
    return soffice, pdftoppm  # type: ignore[return-value]


def preview(
    spec_path: str | Path,
    out_dir: str | Path = "out",
    *,
    slide_width: int = SLIDE_WIDTH,
    thumb_width: int = THUMB_WIDTH,
    cols: int = COLUMNS,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> PreviewReport:
    """Build the deck of `spec_path` into `out_dir` and render its preview files there."""
    from deckgen.api import load

    _bounded("--width", slide_width, 16, MAX_SLIDE_WIDTH, "px")
    _bounded("--thumb", thumb_width, 16, MAX_THUMB_WIDTH, "px")
    _bounded("--cols", cols, 1, MAX_COLUMNS, "")
    _bounded("--timeout", timeout, 1, MAX_TIMEOUT, "s")
    soffice, pdftoppm = find_tools()  # before a build that would be wasted
    out_dir = Path(out_dir)
    stem = Path(spec_path).stem
    project = load(spec_path)
    with project.protecting():  # no preview file over an input of the build
        report = project.build(out_dir / f"{stem}.pptx", progress=progress)
        assert report.path is not None
        titles = [s.title for s in report.plan.slides]
        sizes = (slide_width, thumb_width, cols, timeout)
        files = _render(report.path, titles, soffice, pdftoppm, sizes, progress)
    return PreviewReport(report.path, *files, list(report.warnings.items))


def preview_batch(
    spec_path: str | Path,
    out_dir: str | Path = "out",
    *,
    each: str | None = None,
    groups: dict[str, list[str]] | None = None,
    include_small: bool = False,
    each_respondent: bool = False,
    peers: str | None = None,
    name: str | None = None,
    jobs: int | None = None,
    slide_width: int = SLIDE_WIDTH,
    thumb_width: int = THUMB_WIDTH,
    cols: int = COLUMNS,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[Any], list[PreviewReport]]:
    """The decks of `build --each` (or `--each-respondent`) in `out_dir`, each with its
    PDF, slide images and contact sheet beside it: the batch's outcomes (built,
    skipped, failed) and a PreviewReport per deck built."""
    from deckgen.api import load

    _bounded("--width", slide_width, 16, MAX_SLIDE_WIDTH, "px")
    _bounded("--thumb", thumb_width, 16, MAX_THUMB_WIDTH, "px")
    _bounded("--cols", cols, 1, MAX_COLUMNS, "")
    _bounded("--timeout", timeout, 1, MAX_TIMEOUT, "s")
    soffice, pdftoppm = find_tools()
    project = load(spec_path)
    if each_respondent:
        outcomes = project.build_personal(
            out_dir, peers=peers, name=name, jobs=jobs, progress=progress
        )
    else:
        assert each is not None
        outcomes = project.build_each(
            each, out_dir, groups=groups, include_small=include_small, jobs=jobs, progress=progress
        )
    reports = []
    with project.protecting():
        for outcome in outcomes:
            if outcome.path is None:
                continue
            titles = _titles(outcome.path)
            sizes = (slide_width, thumb_width, cols, timeout)
            files = _render(outcome.path, titles, soffice, pdftoppm, sizes, progress)
            reports.append(PreviewReport(outcome.path, *files, list(outcome.warnings)))
    return outcomes, reports


def _titles(deck: Path) -> list[str]:
    """Each slide's title, as the deck holds it (a batch's decks are read back)."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(deck)).slides:
        title = slide.shapes.title
        out.append(title.text_frame.text if title is not None and title.has_text_frame else "")
    return out


def _render(
    deck: Path,
    titles: list[str],
    soffice: str,
    pdftoppm: str,
    sizes: tuple[int, int, int, float],
    progress: Callable[[str], None] | None,
) -> tuple[Path, list[Path], Path, SheetLayout]:
    """A built deck's PDF, slide images and contact sheet, beside it."""
    slide_width, thumb_width, cols, timeout = sizes
    say = progress or (lambda _m: None)
    out_dir, stem = deck.parent, deck.stem
    say(f"converting {deck.name} to PDF with LibreOffice")
    pdf = to_pdf(deck, out_dir / f"{stem}.pdf", soffice=soffice, timeout=timeout)
    say("rendering slide images")
    slides = rasterize(
        pdf, out_dir / f"{stem}-preview", pdftoppm=pdftoppm, width=slide_width, timeout=timeout
    )
    say("assembling the contact sheet")
    sheet_path, layout = contact_sheet(
        slides, out_dir / f"{stem}-contact-sheet.png", thumb_width=thumb_width, cols=cols,
        titles=titles,
    )  # fmt: skip
    return pdf, slides, sheet_path, layout


MAX_SLIDE_WIDTH = 8000  # px: a 4K screen is 3840
MAX_THUMB_WIDTH = 2000
MAX_COLUMNS = 50
MAX_TIMEOUT = 3600  # s


def _bounded(option: str, value: float, low: float, high: float, unit: str) -> None:
    """A preview size or time within what a screen or a person would ask for."""
    import math

    if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
        raise DeckgenError(
            f"preview: {option} must be from {low:g} to {high:g}{' ' + unit if unit else ''}, "
            f"got {value}"
        )


def _run(cmd: list[str], timeout: float, what: str) -> subprocess.CompletedProcess:
    """Run `cmd` in its own process group; on timeout kill the whole group (soffice forks)."""
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
    except OSError as exc:
        raise DeckgenError(
            f"cannot run {what} ({cmd[0]}): {exc.strerror}; {INSTALL_HINT}"
        ) from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.communicate()
        raise DeckgenError(
            f"{what} did not finish within {timeout:g} s (--timeout to allow more)"
        ) from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def to_pdf(pptx: Path, target: Path, *, soffice: str, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert `pptx` with LibreOffice headless into `target` (written atomically)."""
    from deckgen.files import write_atomic

    with tempfile.TemporaryDirectory(prefix="deckgen-lo-") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "pdf"
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(Path(pptx).resolve()),
        ]
        proc = _run(cmd, timeout, "LibreOffice")
        produced = outdir / (Path(pptx).stem + ".pdf")
        if proc.returncode != 0 or not produced.exists():
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            raise OutputError(
                f"LibreOffice could not convert {pptx} to PDF (exit {proc.returncode})"
                + (": " + " / ".join(detail) if detail else "")
            )
        return write_atomic(produced.read_bytes(), target)


_PAGE = re.compile(r"^slide-(\d+)\.png$")


def rasterize(
    pdf: Path,
    folder: Path,
    *,
    pdftoppm: str,
    width: int = SLIDE_WIDTH,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Path]:
    """One PNG per PDF page, `folder/slide-01.png` … (stale slide PNGs are removed)."""
    from deckgen.files import write_atomic

    with tempfile.TemporaryDirectory(prefix="deckgen-ppm-") as tmp:
        proc = _run(
            [
                pdftoppm,
                "-png",
                "-scale-to-x",
                str(width),
                "-scale-to-y",
                "-1",
                str(pdf),
                str(Path(tmp) / "slide"),
            ],
            timeout,
            "pdftoppm",
        )
        pages = sorted(
            (int(m.group(1)), p) for p in Path(tmp).iterdir() if (m := _PAGE.match(p.name))
        )
        if proc.returncode != 0 or not pages:
            raise OutputError(
                f"pdftoppm could not render {pdf} (exit {proc.returncode}): "
                f"{proc.stderr.strip()[-300:]}"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():  # a shorter deck must not leave old slides behind
                if _PAGE.match(old.name):
                    old.unlink()
        except OSError as exc:
            raise OutputError(
                f"cannot write the slide images in {folder}: {exc.strerror or exc}"
            ) from None
        return [
            write_atomic(p.read_bytes(), folder / f"slide-{n:02d}.png", into_folder=True)
            for n, p in pages
        ]


def contact_sheet(
    slides: list[Path],
    target: Path,
    *,
    thumb_width: int = THUMB_WIDTH,
    cols: int = COLUMNS,
    titles: list[str] | None = None,
) -> tuple[Path, SheetLayout]:
    """All slides on one image, in a grid, each numbered (and titled) underneath."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        raise DeckgenError(
            "the contact sheet needs Pillow: pip install 'deckgen[images]' (or pillow)"
        ) from None

    from deckgen.files import write_atomic

    if not slides:
        raise OutputError("contact sheet: no slide images to assemble")
    with Image.open(slides[0]) as first:
        ratio = first.height / first.width
    layout = SheetLayout(len(slides), cols, thumb_width, max(1, round(thumb_width * ratio)))
    sheet = Image.new("RGB", layout.size, BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font_size = max(11, CAPTION_H // 2)
    font = _font(font_size)
    for i, path in enumerate(slides):
        left, top, right, bottom = layout.box(i)
        with Image.open(path) as img:
            thumb = img.convert("RGB").resize(
                (layout.thumb_width, layout.thumb_height), Image.Resampling.LANCZOS
            )
        sheet.paste(thumb, (left, top))
        draw.rectangle((left - 1, top - 1, right, bottom), outline=BORDER)
        caption = f"{i + 1}"
        if titles and i < len(titles) and titles[i]:
            caption += f" · {titles[i]}"
        caption = _fit(draw, caption, font, layout.thumb_width)
        draw.text((left, bottom + (CAPTION_H - font_size) // 2), caption, fill=CAPTION, font=font)
    # slides are flat colours and text: a 256-colour palette keeps them crisp at a third of the size
    palette = sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True)
    return write_atomic(buffer.getvalue(), target), layout


def _font(size: int):
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def _fit(draw, text: str, font, width: int) -> str:
    """`text`, cut with an ellipsis so that it fits in `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"
