"""The deck's look: colours, fonts and sizes from config/theme.yaml.

Rendering reads everything visual from a Theme, so a communications team can
rebrand a deck by editing YAML, not code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from deckgen.errors import ThemeError
from deckgen.inputs.model import Model, field, validated

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def _check_hex(value: str) -> str:
    value = str(value).lstrip("#")
    if not _HEX.match(value):
        raise ValueError(f"expected a colour as 6 hex digits like 1D3557, got {value!r}")
    return value.upper()


class Fonts(Model):
    heading: str = "Arial"
    body: str = "Arial"


def _colour(value: object) -> object:
    """A colour key's value (or list of them) as 6 upper-case hex digits.

    Checked on the raw YAML value: `primary: 123456` is read as a number.
    """
    if isinstance(value, list):
        return [_check_hex(v) for v in value]
    return _check_hex(str(value))


class Colors(Model):
    primary: str = field(default="1D3557", check=_colour, before=True)
    accent: str = field(default="E63946", check=_colour, before=True)
    text: str = field(default="2B2D42", check=_colour, before=True)
    muted: str = field(default="6C757D", check=_colour, before=True)
    background: str = field(default="FFFFFF", check=_colour, before=True)
    light: str = field(default="F1F4F8", check=_colour, before=True)
    on_primary: str = field(default="FFFFFF", check=_colour, before=True)
    series: list[str] = field(
        factory=lambda: ["1D3557", "457B9D", "E63946", "F4A261"],
        min_length=1,
        check=_colour,
        before=True,
    )
    likert: list[str] = field(
        factory=lambda: ["1B6F6A", "7BC4B8", "F4A98C", "C8414D"],
        min_length=1,
        check=_colour,
        before=True,
    )
    dont_know: str = field(default="BFC5CC", check=_colour, before=True)
    sequential: list[str] | None = field(
        default=None,
        min_length=2,
        check=lambda value: None if value is None else _colour(value),
        before=True,
        description="A one-sided ordered scale (a question's `scale: ascending` or "
        "`descending`) and the editions of a trend, from the lightest colour to the darkest: "
        "as many colours as levels are spread evenly over the list, both ends kept "
        "(default: `map_scale`).",
    )
    callout: str | None = field(
        default=None,
        check=lambda value: None if value is None else _colour(value),
        before=True,
        description="A callout's figure (default: `accent`); a callout's own `color:` in the "
        "spec, or the `color:` of the one option it counts, comes first.",
    )
    total: str = field(
        default="8C939B",
        check=_colour,
        before=True,
        description="The whole sample's series beside its segments (`total: true`, "
        "`--beside-total`): a neutral no segment takes.",
    )
    own: str = field(
        default="7B2CBF",
        check=_colour,
        before=True,
        description="A personal deck: the outline that marks the recipient's own answer. It "
        "must differ from every colour of a chart; where it is too close to one, a distinct "
        "colour is chosen.",
    )
    map_scale: list[str] = field(
        factory=lambda: ["CFE3EF", "7FB2D1", "3A7CA5", "1D3557"],
        min_length=1,
        check=_colour,
        before=True,
    )
    map_empty: str = field(default="EEF0F2", check=_colour, before=True)
    map_line: str = field(default="FFFFFF", check=_colour, before=True)


#: the theme's single colours a spec may name (a callout's `color: primary`)
THEME_COLOURS = ("primary", "accent", "text", "muted", "callout", "total")


def _below_one(level: object) -> object:
    if isinstance(level, (int, float)) and level >= 1:
        raise ValueError(f"must be less than 1 (0.95 for 95 %), got {level:g}")
    return level


class Sizes(Model):
    title: float = field(default=28, ge=6, le=200)
    subtitle: float = field(default=16, ge=6, le=200)
    body: float = field(default=16, ge=6, le=200)
    callout_value: float = field(default=54, ge=6, le=200)
    callout_text: float = field(default=14, ge=6, le=200)
    chart_label: float = field(default=12, ge=6, le=200)
    chart_axis: float = field(default=12, ge=6, le=200)
    chart_legend: float = field(default=12, ge=6, le=200)
    footnote: float = field(default=10, ge=6, le=200)
    section_number: float = field(default=96, ge=6, le=200)
    section_title: float = field(default=36, ge=6, le=200)


_NEUTRAL = "DDE1E6"  # the middle level of an odd scale: neither side


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: str, b: str, t: float) -> str:
    """The colour `t` of the way from `a` to `b` (0: a, 1: b)."""
    ra, rb = _rgb(a), _rgb(b)
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ra, rb))


def diverging(positive: str, negative: str, levels: int, neutral: str = _NEUTRAL) -> list[str]:
    """`levels` colours from the strongest positive to the strongest negative, each
    side fading toward a neutral middle (a neutral level of its own when odd)."""
    side = levels // 2
    fades = [0.6 * j / max(side - 1, 1) if side > 1 else 0.0 for j in range(side)]
    high = [mix(positive, "FFFFFF", t) for t in fades]
    low = [mix(negative, "FFFFFF", t) for t in reversed(fades)]
    return high + ([neutral] if levels % 2 else []) + low


def sequential(darkest: str, levels: int, listed: list[str] | None = None) -> list[str]:
    """`levels` colours from the lightest to the darkest: spread evenly over `listed`
    (lightest first, both ends kept; colours between two of it where it is short), else
    `darkest` faded toward white (the lightest 75 % of the way, still seen on white)."""
    if levels <= 0:
        return []
    if not listed:
        if levels == 1:
            return [darkest.upper()]
        return [mix(darkest, "FFFFFF", 0.75 * (1 - k / (levels - 1))) for k in range(levels)]
    if levels == 1:
        return [listed[-1]]
    last = len(listed) - 1
    out = []
    for k in range(levels):
        at = k * last / (levels - 1)
        low = int(at)
        if levels <= len(listed) or at == low:
            out.append(listed[round(at)])
        else:
            out.append(mix(listed[low], listed[low + 1], at - low))
    return out


def categorical(base: list[str], n: int) -> list[str]:
    """`n` distinct colours: the theme's, then lighter and darker versions of them."""
    out = list(dict.fromkeys(c.upper() for c in base))
    seen = set(out)
    # lighter then darker versions, each step further from the theme's colours
    steps = [(toward, t) for t in (0.45, 0.3, 0.6, 0.15, 0.75) for toward in ("FFFFFF", "000000")]
    for toward, t in steps:
        for colour in base:
            if len(out) >= n:
                return out[:n]
            candidate = mix(colour, toward, t)
            if candidate not in seen:
                seen.add(candidate)
                out.append(candidate)
    k = 0
    while len(out) < n:  # past ten times the theme's colours: shades of grey
        k += 1
        grey = f"{(37 * k) % 200 + 40:02X}" * 3
        if grey not in seen:
            seen.add(grey)
            out.append(grey)
    return out[:n]


class Theme(Model):
    name: str = "default"
    fonts: Fonts = field(factory=Fonts)
    colors: Colors = field(factory=Colors)
    sizes: Sizes = field(factory=Sizes)
    small_base_threshold: int = field(default=10, ge=0)
    privacy_threshold: int = field(
        default=5,
        ge=1,
        description="Fewest respondents a group (a segment deck, a personal deck's comparison "
        "group, a `by:` segment) may show besides two readers pooling their own answers "
        "(docs/privacy.md).",
    )
    significance_level: float = field(
        default=0.95,
        gt=0.5,
        check=_below_one,
        description="Confidence level of the significance tests (`test:` on a breakdown).",
    )
    multiple_comparisons: Literal["holm", "bh", "none"] = field(
        default="holm",
        description="How the p-values of the tests on one chart or table (a family) are "
        "corrected for multiple comparisons: holm (Holm's step-down method, the family-wise "
        "error rate), bh (Benjamini-Hochberg, the false discovery rate) or none; the "
        "footnote says which.",
    )
    max_weight_share: float = field(
        default=0.05,
        gt=0,
        le=1,
        description="Weighted figures: a respondent whose weight is more than this share of "
        "a figure's weighted base is named in a warning (one answer then decides much).",
    )
    max_design_effect: float = field(
        default=3.0,
        ge=1,
        description="Weighted figures: a base whose design effect of the weights (Kish: "
        "respondents over effective base) is over this gets a warning.",
    )
    chart_title_caps: bool = field(
        default=True, description="Chart titles in capitals (a font setting, the text unchanged)."
    )

    def likert_palette(self, levels: int) -> list[str]:
        """The colours of a scale of `levels` ordered levels ("don't know" apart): the
        theme's own list when it has that many, else a diverging scale generated
        from its two ends (`short_palettes` says when a listed palette fell short)."""
        own = list(self.colors.likert)
        if levels == len(own) or (levels < len(own) and levels % 2 == len(own) % 2 == 0):
            return own if levels == len(own) else _pick_even(own, levels)
        negative = own[-1]
        if negative == own[0]:  # one colour listed: the other end from the theme
            negative = self.colors.accent if self.colors.accent != own[0] else "C8414D"
        return diverging(own[0], negative, levels)

    def named(self, colour: str) -> str:
        """A colour as the spec writes it: one of the theme's own (`primary`, `accent`,
        `callout`…) by its name, or 6 hex digits."""
        key = colour.lower()
        if key in THEME_COLOURS:
            own = getattr(self.colors, key)
            return own if key != "callout" else (own or self.colors.accent)
        return _check_hex(colour)

    def sequential_palette(self, levels: int) -> list[str]:
        """`levels` colours of one-sided order, lightest first: spread over
        `colors.sequential`, else over the map's scale (`colors.map_scale`, from fewest
        to most), the theme's own light-to-dark colours."""
        return sequential(
            self.colors.primary, levels, self.colors.sequential or self.colors.map_scale
        )

    def short_palettes(self, likert_levels: int = 0, categories: int = 0) -> list[str]:
        """Warnings for palettes the theme lists itself with fewer colours than needed
        (the missing ones are generated, never reused)."""
        out = []
        colors = self.colors
        if likert_levels > len(colors.likert) and colors.given("likert"):
            out.append(
                f"{likert_levels} scale levels but {len(colors.likert)} colours in the theme's "
                "`colors.likert`: the others are generated from its two ends; list them "
                "in the theme to choose them"
            )
        if categories > len(colors.series) and colors.given("series"):
            out.append(
                f"{categories} categories but {len(colors.series)} colours in the theme's "
                "`colors.series`: the others are lighter and darker versions of them; list "
                "them in the theme to choose them"
            )
        return out


def _pick_even(own: list[str], levels: int) -> list[str]:
    """An even number of levels from a longer even list: its ends, side by side."""
    side = levels // 2
    half = len(own) // 2
    return own[:side] + own[len(own) - side :] if side <= half else own


def load_theme(path: str | Path) -> Theme:
    """Read a theme file; a bad key or colour is a ThemeError naming file:line and key."""
    from deckgen.inputs.yamlpos import load_yaml

    return validated(load_yaml(Path(path), ThemeError), Theme, ThemeError)
