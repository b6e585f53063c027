"""Chart images: every chart of a deck as a PNG (1200 x 675 px) and an SVG.

For the communications team: the same figures as the deck's native charts,
drawn with matplotlib in the deck's theme, for a website, a newsletter or a
social network post. Each image carries its chart title and a footnote with
the base (and "illustrative data" when the figures were not published).

Files are named after the slide: `NN-slug-of-the-slide-title[-k].png` (k when
a slide has several charts), e.g. `10-les-reseaux-sociaux-pour-la-participation.png`.

matplotlib is imported here only (an optional dependency, `pip install
deckgen[images]`), and only through its object API with the Agg canvas: no
pyplot, no global backend switch, no global rcParams change. SVG output keeps
texts as text (`svg.fonttype: none`) and is deterministic (fixed hash salt,
no date).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.analysis.results import Result, shown
from deckgen.errors import DeckgenError
from deckgen.inputs.theme import Theme
from deckgen.locales.numbers import format_number, format_percent
from deckgen.render.columns import MARGIN, column_widths
from deckgen.render.geometry import points
from deckgen.render.identity import slugify
from deckgen.render.metrics import wrapped
from deckgen.render.plan import ChartPlan, DeckPlan

WIDTH_PX, HEIGHT_PX, DPI = 1200, 675, 100
DEFAULT_DIR = Path("out") / "images"
FALLBACK_FONTS = ("Liberation Sans", "DejaVu Sans")  # Arial's metric twin, then matplotlib's own
_SVG_SALT = "deckgen"


@dataclass
class ChartImage:
    """One chart of the deck as an image: where it comes from, what it drew, where it went."""

    slide: int  # 1-based slide number
    chart: int  # 1-based position of the chart on its slide
    name: str  # file stem: NN-slug[-k]
    type: str
    title: str
    result: Result  # the indicator result drawn (the same object the native chart shows)
    footnote: str = ""
    png: Path | None = None
    svg: Path | None = None
    # values read back from the drawn figure: series name -> one value per category
    # (bar lengths, stacked segment widths, pie/doughnut slice fractions of the whole)
    drawn: dict[str, list[float]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)  # value labels written on the figure
    warnings: list[str] = field(default_factory=list)  # what could not be drawn as asked
    region_colors: dict[str, str] = field(default_factory=dict)  # map: INSEE code -> fill hex

    @property
    def files(self) -> list[Path]:
        return [p for p in (self.png, self.svg) if p is not None]


def image_jobs(deck: DeckPlan) -> list[tuple[ChartImage, ChartPlan]]:
    """Every chart of the deck plan, named, in slide order (nothing drawn yet)."""
    jobs = []
    for sp in deck.slides:
        many = len(sp.charts) > 1
        for k, chart in enumerate(sp.charts, start=1):
            name = f"{sp.number:02d}-{slugify(sp.title)}" + (f"-{k}" if many else "")
            image = ChartImage(
                sp.number,
                k,
                name,
                chart.type,
                chart.title or sp.title,
                chart.result,
                footnote=chart_footnote(chart.result, deck.locale),
            )
            jobs.append((image, chart))
    return jobs


def chart_footnote(
    r: Result, locale: str = "fr", source: str | None = None, level: float | None = None
) -> str:
    """'Base : 24 collectivités ; plusieurs réponses possibles' (+ the tests at `level`,
    + illustrative, + source)."""
    from deckgen.locales import words
    from deckgen.wording.phrases import chart_footnote as footnote

    return footnote(r, words(locale), source, level)


def draw_images(
    deck: DeckPlan,
    theme: Theme,
    out_dir: str | Path | None = DEFAULT_DIR,
    *,
    formats: tuple[str, ...] = ("png", "svg"),
    source: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ChartImage]:
    """Draw every chart of `deck`; write the files unless `out_dir` is None."""
    from deckgen.files import write_atomic

    unknown = [f for f in formats if f not in ("png", "svg")]
    if unknown:
        raise DeckgenError(f"chart images: unknown format {unknown[0]!r}; valid: 'png', 'svg'")
    mpl = _matplotlib()
    say = progress or (lambda _m: None)
    images = []
    with mpl.rc_context(_rc(theme)):
        for image, chart in image_jobs(deck):
            image.footnote = chart_footnote(
                chart.result, deck.locale, source, theme.significance_level
            )
            say(f"drawing {image.name}")
            # matplotlib warns on stderr (a glyph no font has); say it once, as a warning
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fig = _figure(image, chart, theme, deck.locale)
                if out_dir is not None:
                    for fmt in formats:
                        path = Path(out_dir) / f"{image.name}.{fmt}"
                        setattr(
                            image, fmt, write_atomic(_save(fig, fmt, theme), path, into_folder=True)
                        )
            image.warnings = list(dict.fromkeys(_said(w.message) for w in caught))
            images.append(image)
    return images


def _save(fig: Any, fmt: str, theme: Theme) -> bytes:
    from deckgen.files import xml_safe

    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, facecolor=fig.get_facecolor())
    data = buffer.getvalue()
    if fmt == "svg":
        # a label with a control character or U+FFFE would make the SVG invalid XML
        data = xml_safe(data.decode("utf-8")).encode("utf-8")
        data = _svg_fonts_first(data, theme)
    return data


def _said(message: Warning | str) -> str:
    """A matplotlib warning as deckgen says it."""
    text = str(message)
    glyph = re.match(r"Glyph (\d+) .*missing from font", text)
    if glyph:
        return f"no installed font has the character U+{int(glyph.group(1)):04X}: drawn as a box"
    return text.splitlines()[0] if text else "matplotlib warning"


# -- matplotlib set-up ------------------------------------------------------------


def _matplotlib():
    try:
        import matplotlib
    except ImportError:
        raise DeckgenError(
            "chart images need matplotlib: pip install 'deckgen[images]' (or matplotlib)"
        ) from None
    return matplotlib


def font_families(theme: Theme) -> list[str]:
    """The theme's fonts that are installed, then Liberation Sans and DejaVu Sans.

    Only installed families are named, so matplotlib never warns "font family
    not found"; DejaVu Sans (shipped with matplotlib) is always last and covers
    the glyphs the others lack (the narrow no-break space of "75 %").
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    wanted = [theme.fonts.body, theme.fonts.heading, *FALLBACK_FONTS]
    families = [f for f in dict.fromkeys(wanted) if f in installed]
    return families if "DejaVu Sans" in families else [*families, "DejaVu Sans"]


def _svg_fonts_first(svg: bytes, theme: Theme) -> bytes:
    """Name the theme's fonts first in the SVG's font-family lists.

    The layout was measured with an installed font (Liberation Sans has Arial's
    metrics); a viewer that has the brand font should use it.
    """
    brand = [f for f in dict.fromkeys((theme.fonts.body, theme.fonts.heading)) if f]
    lead = "".join(f"'{f}', " for f in brand).encode()

    def fix(match: re.Match) -> bytes:
        families = match.group(1)
        if families.startswith(lead.rstrip(b", ")):
            return match.group(0)
        return b"font-family: " + lead + families

    return re.sub(rb"font-family: ([^;\"]+)", fix, svg)


def _rc(theme: Theme) -> dict[str, Any]:
    c = theme.colors
    return {
        "font.family": font_families(theme),
        "font.size": theme.sizes.chart_axis,
        "text.color": "#" + c.text,
        "axes.labelcolor": "#" + c.text,
        "xtick.color": "#" + c.text,
        "ytick.color": "#" + c.text,
        "axes.edgecolor": "#" + c.muted,
        "figure.facecolor": "#" + c.background,
        "axes.facecolor": "#" + c.background,
        "savefig.facecolor": "#" + c.background,
        "svg.fonttype": "none",  # texts stay text: searchable, accessible, editable
        "svg.hashsalt": _SVG_SALT,  # deterministic ids
        "path.simplify": True,
        "text.parse_math": False,  # labels are text: "$5 000 à $10 000" is money, not TeX
    }


def _figure(image: ChartImage, chart: ChartPlan, theme: Theme, locale: str):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    c, s = theme.colors, theme.sizes
    title = "\n".join(textwrap.wrap(image.title, 80)[:2])
    fig.text(
        0.035,
        0.955,
        title,
        ha="left",
        va="top",
        fontsize=s.title * 0.75,
        fontweight="bold",
        color="#" + c.primary,
    )
    foot = "\n".join(textwrap.wrap(image.footnote, 165)[:3])
    fig.text(0.035, 0.025, foot, ha="left", va="bottom", fontsize=s.footnote, color="#" + c.muted)
    top = 0.955 - (0.085 if "\n" not in title else 0.14)
    bottom = 0.03 + 0.035 * (foot.count("\n") + 1) + 0.04
    ax = fig.add_axes((0.035, bottom, 0.93, top - bottom))
    from deckgen.chart_kinds import chart_kind

    kind = chart_kind(chart.type)
    drawer = kind.draw() if kind is not None else None
    if drawer is None:
        raise DeckgenError(f"chart images: no image drawer for the chart type `{chart.type}`")
    drawer(fig, ax, image, chart, theme, locale)
    return fig


# -- drawers ------------------------------------------------------------------------


def _hex(color: str) -> str:
    return "#" + color.lstrip("#")


def _fills(chart: ChartPlan, r: Result, theme: Theme):
    """The native chart's colours (render.palette) of `r`, the result as drawn."""
    from deckgen.render.palette import fills

    return fills(chart, r, theme)


def _on(fill: str, theme: Theme) -> str:
    """A figure's colour on `fill`: white, or the text colour, that meets WCAG AA."""
    from deckgen.render.colors import label_colour

    return _hex(label_colour(fill.lstrip("#"), "FFFFFF", theme.colors.text))


def _digits(chart: ChartPlan) -> int:
    return int(getattr(chart.options, "digits", 0) or 0)


def _show_labels(chart: ChartPlan) -> bool:
    return bool(getattr(chart.options, "labels", True))


def _label(r: Result, value: float | None, locale: str, digits: int) -> str:
    if r.measure:
        from deckgen.locales import words
        from deckgen.wording.phrases import value_text

        return value_text(r, value, words(locale), digits)
    return (
        format_number(round(value or 0), locale)
        if r.is_count
        else format_percent(value, locale, digits)
    )


def _clean_axes(ax, keep: str | None = None) -> None:
    for side, spine in ax.spines.items():
        spine.set_visible(side == keep)


def _wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _fit_axes(fig, ax) -> None:
    """Shrink the axes so that everything drawn around it (tick labels, legend) stays
    inside the box it was given: the labels' length decides, not a fixed margin."""
    x0, y0, x1, y1 = ax.get_position(original=True).extents
    renderer = fig.canvas.get_renderer()
    for _ in range(3):
        pos = ax.get_position(original=True)
        tight = ax.get_tightbbox(renderer).transformed(fig.transFigure.inverted())
        left, bottom = max(0.0, x0 - tight.x0), max(0.0, y0 - tight.y0)
        right, top = max(0.0, tight.x1 - x1), max(0.0, tight.y1 - y1)
        if max(left, bottom, right, top) < 1e-4:
            break
        ax.set_position(
            (pos.x0 + left, pos.y0 + bottom, pos.width - left - right, pos.height - bottom - top)
        )


def _category_labels(categories, slot_px: float, theme: Theme) -> tuple[list[str], float]:
    """Wrapped category labels and a font size (theme size, down to 8 pt) so that
    each label's lines fit in its slot of the category axis."""
    longest = max((len(c) for c in categories), default=0)
    width = 42 if len(categories) <= 8 else 60
    labels = [_wrap(c, width if longest > width else longest or 1) for c in categories]
    lines = max((lab.count("\n") + 1 for lab in labels), default=1)
    size = theme.sizes.chart_axis
    while size > 8 and lines * size * 1.3 * DPI / 72 > slot_px * 0.92:
        size -= 0.5
    return labels, size


def draw_bars(fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str) -> None:
    """Horizontal bars, first category on top (bar, ranking); clustered for a breakdown."""
    _draw_bars(fig, ax, image, chart, theme, locale, horizontal=True)


def draw_columns(fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str) -> None:
    """Vertical bars; clustered for a breakdown."""
    _draw_bars(fig, ax, image, chart, theme, locale, horizontal=False)


def _draw_bars(
    fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str, horizontal: bool
) -> None:
    r = shown(chart.result, chart.type)
    n, k = len(r.categories), len(r.series)
    fills = _fills(chart, r, theme)
    colors = [_hex(c) for c in fills.series]
    thickness = (0.68 if horizontal else 0.62) if k == 1 else 0.8 / k
    top = max((v or 0.0 for s in r.series for v in s.values), default=0.0)
    if horizontal:
        labels, size = _category_labels(r.categories, ax.bbox.height / max(n, 1), theme)
    else:
        width = max(10, int(110 / max(n, 1)))
        labels, size = [_wrap(c, width) for c in r.categories], theme.sizes.chart_axis
    label_size = theme.sizes.chart_label if k == 1 else max(theme.sizes.chart_label - 2, 8)
    drawn = {}
    for j, (s, color) in enumerate(zip(r.series, colors)):
        offset = (j - (k - 1) / 2) * thickness if k > 1 else 0.0
        positions = [i + offset for i in range(n)]
        values = [v or 0.0 for v in s.values]
        # one series: an option's own colour on its bar
        own = [_hex(p) if p else color for p in fills.points] if k == 1 and fills.points else color
        if horizontal:
            bars = ax.barh(positions, values, height=thickness, color=own, label=s.name)
        else:
            bars = ax.bar(positions, values, width=thickness, color=own, label=s.name)
        if _show_labels(chart):
            for i, (bar, v) in enumerate(zip(bars, s.values)):
                text = _label(r, v, locale, _digits(chart))
                if i < len(s.marks) and s.marks[i]:  # a significance mark, as on the slide
                    text += f" {s.marks[i]}"
                if horizontal:
                    ax.text(bar.get_width() + top * 0.012, bar.get_y() + bar.get_height() / 2,
                            text, va="center", ha="left",
                            fontsize=min(label_size, size + 1))  # fmt: skip
                else:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + top * 0.015,
                            text, ha="center", va="bottom", fontsize=label_size)  # fmt: skip
                image.labels.append(text)
        drawn[s.name] = [float(b.get_width() if horizontal else b.get_height()) for b in bars]
    ticks = list(range(n))
    if horizontal:
        ax.set_yticks(ticks, labels, fontsize=size)
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0, pad=6)
        ax.set_xticks([])
        ax.set_xlim(0, max(top * 1.16, 0.05))
        _clean_axes(ax, keep="left")
    else:
        ax.set_xticks(ticks, labels, fontsize=size)
        ax.tick_params(axis="x", length=0, pad=6)
        ax.set_yticks([])
        ax.set_ylim(0, max(top * 1.15, 0.05))
        _clean_axes(ax, keep="bottom")
    if k > 1 and getattr(chart.options, "legend", "auto") != "none":
        _legend_below(ax, -0.04 if horizontal else -0.12, theme)
    _fit_axes(fig, ax)
    image.drawn = drawn


def draw_stacked100(
    fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str
) -> None:
    """A 100 % bar per statement: the levels in the theme's likert colours, 'don't know'
    grey; per segment of a distribution broken down, its options in distinct colours."""
    r = shown(chart.result, chart.type)
    labels, size = _category_labels(
        r.categories, ax.bbox.height * 0.85 / max(len(r.categories), 1), theme
    )
    positions = list(range(len(r.categories)))
    left = [0.0] * len(positions)
    drawn = {}
    for s, color in zip(r.series, _fills(chart, r, theme).series):
        values = [v or 0.0 for v in s.values]
        bars = ax.barh(
            positions,
            values,
            left=left,
            height=0.7,
            color=_hex(color),
            label=s.name,
            edgecolor=_hex(theme.colors.background),
            linewidth=0.8,
        )
        if _show_labels(chart):
            for i, (bar, v) in enumerate(zip(bars, s.values)):
                mark = s.marks[i] if i < len(s.marks) else ""
                if v is not None and v >= 0.06:  # as the native chart: no label in a sliver
                    text = _label(r, v, locale, _digits(chart)) + (f" {mark}" if mark else "")
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        bar.get_y() + bar.get_height() / 2,
                        text,
                        ha="center",
                        va="center",
                        color=_on(color, theme),  # as the native chart: WCAG AA on its fill
                        fontsize=theme.sizes.chart_label - 2,
                    )
                    image.labels.append(text)
        drawn[s.name] = [float(b.get_width()) for b in bars]
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(positions, labels, fontsize=size)
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0, pad=6)
    ax.set_xticks([])
    ax.set_xlim(0, 1)
    _clean_axes(ax)
    _legend_below(ax, -0.02, theme)
    _fit_axes(fig, ax)
    image.drawn = drawn


def _legend_below(ax, y: float, theme: Theme) -> None:
    """The legend under the plot, at most four entries a row, read row by row in the
    series' order: matplotlib fills a legend's columns first (np.array_split), which
    put "Poor" under "Very poor" and "Fair" beside it; the entries are given to it in
    the order that fills each row instead."""
    handles, labels = ax.get_legend_handles_labels()
    ncol = min(len(handles), 4)
    order = [i for column in range(ncol) for i in range(column, len(handles), ncol)]
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper center",
        bbox_to_anchor=(0.5, y),
        ncol=ncol,
        frameon=False,
        fontsize=theme.sizes.chart_legend,
        handlelength=1,
        handleheight=1,
    )


def _round(
    fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str, hole: float
) -> None:
    """Pie or doughnut, clockwise from 12 o'clock as PowerPoint draws them, legend on the right."""
    r = chart.result
    values = [v or 0.0 for v in r.series[0].values]
    colors = [_hex(c or "888888") for c in _fills(chart, r, theme).points]
    if sum(values) <= 0:
        ax.text(
            0.5, 0.5, format_percent(None, locale), ha="center", va="center", transform=ax.transAxes
        )
        ax.set_axis_off()
        return
    wedgeprops: dict[str, Any] = {"edgecolor": _hex(theme.colors.background), "linewidth": 1.5}
    if hole:
        wedgeprops["width"] = 1 - hole
    wedges, *_ = ax.pie(
        values,
        colors=[colors[i % len(colors)] for i in range(len(values))],
        startangle=90,
        counterclock=False,
        wedgeprops=wedgeprops,
        radius=1.0,
    )
    # the pie sits left of centre, the legend right of it
    box = ax.get_position(original=True)
    ax.set_position((box.x0 + box.width * 0.1, box.y0, box.width * 0.4, box.height))
    ax.set_aspect("equal")
    if _show_labels(chart):
        radius = 1 - (1 - hole) / 2 if hole else 0.62
        for wedge, v, fill in zip(wedges, r.series[0].values, colors):
            if v is None or v < 0.04:  # as the native chart: no label on a sliver
                continue
            angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
            text = _label(r, v, locale, _digits(chart))
            ax.text(
                radius * math.cos(angle),
                radius * math.sin(angle),
                text,
                ha="center",
                va="center",
                color=_on(fill, theme),
                fontweight="bold",
                fontsize=theme.sizes.chart_label,
            )
            image.labels.append(text)
    legend = getattr(chart.options, "legend", "auto")
    if legend != "none":
        fig.legend(
            wedges,
            [_wrap(c, 45) for c in r.categories],
            loc="center left",
            bbox_to_anchor=(box.x0 + box.width * 0.52, box.y0 + box.height / 2),
            frameon=False,
            fontsize=theme.sizes.chart_legend,
            handlelength=1,
            handleheight=1,
        )
    total = sum(values)
    image.drawn = {r.series[0].name: [float(w.theta2 - w.theta1) / 360 * total for w in wedges]}


def draw_table(fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str) -> None:
    """The crosstab as the native table shows it: header, a row per category, the bases."""
    from deckgen.locales import words
    from deckgen.wording.phrases import table_rows

    r = shown(chart.result, chart.type)
    rows = table_rows(r, words(locale), _digits(chart))
    ax.set_axis_off()
    size = max(8.0, min(theme.sizes.chart_label, ax.bbox.height / len(rows) / DPI * 72 / 1.6))
    # the native table's column widths (deckgen.render.tables), each cell wrapped to its
    # column at its spaces: headers never run into each other
    total = points(ax.bbox.width / DPI * 72)
    widths = column_widths(rows, total, size)
    if widths is None:
        least = column_widths(rows, total, size, spread=False) or [total]
        widths = [w * total // sum(least) for w in least]
    cells = [
        [
            "\n".join(wrapped(text, w - 2 * MARGIN, size, bold=r == 0))
            for text, w in zip(row, widths)
        ]
        for r, row in enumerate(rows)
    ]
    table = ax.table(
        cellText=cells, colWidths=[w / total for w in widths], loc="upper center", cellLoc="right"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(size)
    table.scale(1, 1.35)
    for (row, col), cell in table.get_celld().items():
        cell.set_height(cell.get_height() * cells[row][col].count("\n") + cell.get_height())
        cell.PAD = MARGIN / widths[col]  # the native table's margins, not a tenth of the width
        cell.set_edgecolor(_hex(theme.colors.background))
        cell.get_text().set_ha("left" if col == 0 else "right")
        if row == 0:
            cell.set_facecolor(_hex(theme.colors.primary))
            cell.get_text().set_color("white")
            cell.get_text().set_fontweight("bold")
        else:
            cell.set_facecolor(
                _hex(theme.colors.light if row % 2 == 0 else theme.colors.background)
            )
    image.labels.extend(text for row in rows[1:] for text in row[1:])
    image.drawn = {s.name: [float(v or 0.0) for v in s.values] for s in r.series}


def draw_pie(fig, ax, image, chart, theme, locale):
    _round(fig, ax, image, chart, theme, locale, hole=0.0)


def draw_doughnut(fig, ax, image, chart, theme, locale):
    _round(fig, ax, image, chart, theme, locale, hole=0.55)


def region_fills(
    chart: ChartPlan, theme: Theme, locale: str = "fr"
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(INSEE code -> fill colour, legend entries) with the native map's colour bins."""
    from deckgen.locales import words
    from deckgen.render.geo import compute_bins, load_regions
    from deckgen.wording.phrases import bin_label

    regions = load_regions()
    counts: dict[str, int] = {}
    for code, n in zip(chart.result.codes, chart.result.series[0].counts):
        insee = chart.region_codes.get(code)
        if insee is not None:
            insee = insee.zfill(2)
            counts[insee] = counts.get(insee, 0) + int(n)
    colors = theme.colors
    bins = compute_bins(max(counts.values(), default=0), list(colors.map_scale))
    fills = {}
    for region in regions:
        n = counts.get(region.code, 0)
        fills[region.code] = next((b.color for b in bins if b.contains(n)), colors.map_empty)
    w = words(locale)
    one, many = w("respondent"), w("respondents")
    entries = [(b.color, bin_label(b, one, many, w)) for b in bins]
    if any(counts.get(r.code, 0) == 0 for r in regions):
        entries.append((colors.map_empty, w("map_none", one=one, many=many)))
    return fills, entries


def draw_map(fig, ax, image: ChartImage, chart: ChartPlan, theme: Theme, locale: str) -> None:
    """The regions choropleth: same geometry and colour bins as the native map."""
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MPath

    from deckgen.render.geo import load_regions

    fills, entries = region_fills(chart, theme, locale)
    for region in load_regions():
        vertices, codes = [], []
        for polygon in region.polygons:
            for i, ring in enumerate(polygon):
                pts = list(ring)
                # outer rings one way, holes the other: holes stay holes
                area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]))
                if (area > 0) != (i == 0):
                    pts.reverse()
                vertices.extend(pts + [pts[0]])
                codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(pts) - 1) + [MPath.CLOSEPOLY])
        if not vertices:
            continue
        patch = PathPatch(
            MPath(vertices, codes),
            facecolor=_hex(fills[region.code]),
            edgecolor=_hex(theme.colors.map_line),
            linewidth=0.8,
        )
        patch.set_gid(f"region-{region.code}")
        ax.add_patch(patch)
    box = ax.get_position(original=True)
    ax.set_position((box.x0 + box.width * 0.05, box.y0, box.width * 0.55, box.height))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.invert_yaxis()  # projected y grows southwards
    ax.set_axis_off()
    handles = [
        Rectangle(
            (0, 0),
            1,
            1,
            facecolor=_hex(color),
            edgecolor=_hex(theme.colors.muted) if color == theme.colors.map_empty else "none",
        )
        for color, _ in entries
    ]
    fig.legend(
        handles,
        [label for _, label in entries],
        loc="center left",
        bbox_to_anchor=(box.x0 + box.width * 0.62, box.y0 + box.height / 2),
        frameon=False,
        fontsize=theme.sizes.chart_legend,
        handlelength=1,
        handleheight=1,
    )
    image.region_colors = dict(fills)
    image.drawn = {chart.result.series[0].name: [float(n) for n in chart.result.series[0].counts]}
