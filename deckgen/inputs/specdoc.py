"""The spec reference (docs/spec-reference.md), generated from the spec model.

`python -m deckgen.inputs.specdoc` rewrites the file; a test fails when it is stale,
so the documented keys are always the accepted keys.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from deckgen.inputs.indicator_spec import EditionsRef, Indicator
from deckgen.inputs.model import Model
from deckgen.inputs.spec import Callout, Chart, Deck, Slide, Spec, TextBlock

MODELS: list[tuple[str, type[Model]]] = [
    ("Top level", Spec),
    ("`deck:`", Deck),
    ("`slides:` (each slide)", Slide),
    ("`chart:` / `charts:`", Chart),
    ("`callouts:` (each callout)", Callout),
    ("`indicator:`", Indicator),
    ("`editions:` (under an indicator)", EditionsRef),
    ("`text:` block", TextBlock),
]
TARGET = Path(__file__).resolve().parents[2] / "docs" / "spec-reference.md"


def _type(annotation: Any) -> str:
    text = (
        getattr(annotation, "__name__", None) if not getattr(annotation, "__args__", None) else None
    )
    if text:
        return text
    text = (
        str(annotation)
        .replace("typing.", "")
        .replace("deckgen.inputs.spec.", "")
        .replace("deckgen.analysis.indicators.", "")
        .replace("deckgen.inputs.conditions.Condition", "condition")
    )
    return text.replace("NoneType", "None").replace("Literal", "one of ")


def render() -> str:
    lines = [
        "# Spec reference",
        "",
        "Generated from the spec model by `python -m deckgen.inputs.specdoc`; `deckgen schema`",
        "prints the same as JSON Schema for editors. Unknown keys are errors, reported with",
        "their line.",
        "",
    ]
    for title, model in MODELS:
        lines += [f"## {title}", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.fields().items():
            if field.required:
                default = "**required**"
            elif field.factory is not None:
                default = "empty"
            elif field.default is None:
                default = ""
            else:
                default = f"`{field.default}`"
            doc = (field.text or "").replace("|", "\\|")
            shown = f"one of {list(field.choices())}" if field.choices else _type(field.annotation)
            kind = shown.replace("|", "\\|")
            lines.append(f"| `{name}` | {kind} | {default} | {doc} |")
        lines.append("")
    lines += [
        "## Conditions (`filter:`, `condition:`)",
        "",
        "See [codebook.md](codebook.md#conditions-asked_if-and-filter-in-a-deck-spec):",
        "`{question: q, in: [a, b]}`, `not_in`, `has`, `has_any`, `has_all`, `answered`, "
        "`min`/`max`,",
        "and `all:` / `any:` / `not:` to combine. A filter is written in the footnote, the",
        "speaker notes and the alternative text as the words after a base, in the deck's",
        'locale (`who_*` in `deckgen/locales/`): `in` "ayant répondu « A » ou « B » à « Q »",',
        '`not_in` "ayant répondu à « Q » autre chose que « A »", `has`/`has_any` "ayant',
        'coché « A » à « Q »", `min`/`max` "dont la réponse à « Q » est d\'au moins 10 000',
        'et inférieure à 50 000", `answered` "ayant répondu à « Q »"; `all:`/`any:` join',
        'with "et"/"ou" (a nested one in brackets); `not:` negates each test (De',
        "Morgan's way), and a negated test keeps, and names, those who did not answer",
        '("… ou n\'ayant pas répondu à « Q »").',
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
