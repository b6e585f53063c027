"""Write a synthetic deck spec of N chart slides over the 2021 barometer data.

    python bench/make_spec.py --slides 400 -o out/bench/spec-400.yaml

Every slide has one chart; the chart types cycle through all of them (bar,
column, stacked100, pie, doughnut, ranking, map) over several questions, and
every other slide carries one or two callouts. Every slide has speaker notes.
The deck's data, theme and template paths are written as absolute paths, so the
spec builds wherever it is written.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "data" / "barometre-2021" / "codebook.yaml"
THEME = ROOT / "config" / "theme.yaml"
TEMPLATE = ROOT / "layouts" / "deckgen-template.pptx"

# (chart type, indicators it cycles through); every base is >= 10 respondents,
# so the build prints no small-base warnings.
CHARTS: list[tuple[str, list[dict]]] = [
    (
        "bar",
        [
            {"kind": "multi", "question": q, "sort": "desc"}
            for q in (
                "dispositifs_existants",
                "dispositifs_numeriques",
                "reseaux_sociaux_plateformes",
                "objectifs",
                "visio_outils",
                "identification",
            )
        ],
    ),
    (
        "column",
        [
            {"kind": "distribution", "question": q}
            for q in (
                "etp_participation",
                "budget_participation",
                "population",
                "type_collectivite",
            )
        ],
    ),
    (
        "stacked100",
        [{"kind": "likert", "question": q, "sort": "desc"} for q in ("utilite", "effets_crise")],
    ),
    (
        "pie",
        [
            {"kind": "distribution", "question": q}
            for q in ("logiciel", "reseaux_sociaux", "priorites_crise")
        ],
    ),
    (
        "doughnut",
        [
            {"kind": "distribution", "question": q}
            for q in (
                "type_collectivite",
                "visio_avenir",
                "evolution_participation",
                "lien_cellule",
            )
        ],
    ),
    (
        "ranking",
        [
            {"kind": "ranking", "question": "actions_renforcer", "top": top, "sort": "desc"}
            for top in (3, 1, 5)
        ],
    ),
    ("map", [{"kind": "distribution", "question": "region"}]),
]

CALLOUTS: list[dict] = [
    {
        "indicator": {"kind": "share", "condition": {"question": "reseaux_sociaux", "in": ["oui"]}},
        "text": "des collectivités utilisent les réseaux sociaux pour la participation",
    },
    {"indicator": {"kind": "count"}, "text": "réponses"},
    {
        "indicator": {"kind": "multi", "question": "sources_information"},
        "option": "presse",
        "text": "des répondants s'informent par la **presse**",
    },
    {
        "indicator": {
            "kind": "ratio",
            "numerator": "budget_participation",
            "denominator": "population",
            "below": 1,
        },
        "text": "des collectivités consacrent moins d'1 € par habitant à la participation",
    },
    {
        "indicator": {"kind": "share", "condition": {"question": "cellule_crise", "in": ["oui"]}},
        "text": "des répondants ont mis en place une **cellule Covid-19**",
    },
]


def make_spec(slides: int) -> dict:
    """The spec as plain data: `slides` chart slides, types cycling, notes on each."""
    if slides < 1:
        raise ValueError("--slides must be at least 1")
    cycles = {kind: itertools.cycle(indicators) for kind, indicators in CHARTS}
    callouts = itertools.cycle(CALLOUTS)
    out = []
    for i in range(slides):
        kind = CHARTS[i % len(CHARTS)][0]
        indicator = next(cycles[kind])
        slide: dict = {
            "layout": "chart",
            "title": f"Diapositive {i + 1} : {kind}",
            "chart": {"type": kind, "title": f"Graphique {i + 1}", "indicator": indicator},
            "notes": f"Notes de la diapositive {i + 1} : commenter le graphique {kind} "
            "et ses chiffres clés.",
        }
        n_callouts = (i // len(CHARTS)) % 3  # 0, 1 or 2, each type gets every count over the cycles
        if n_callouts:
            slide["callouts"] = [dict(next(callouts)) for _ in range(n_callouts)]
        out.append(slide)
    return {
        "deck": {
            "title": f"Banc d'essai deckgen ({slides} diapositives)",
            "subtitle": "généré par bench/make_spec.py",
            "data": str(CODEBOOK),
            "theme": str(THEME),
            "template": str(TEMPLATE),
            "locale": "fr",
        },
        "slides": out,
    }


def write_spec(slides: int, path: str | Path) -> Path:
    """Write the spec as block YAML, as a person would write it."""
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(make_spec(slides), allow_unicode=True, sort_keys=False, width=120)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, required=True, help="number of chart slides")
    parser.add_argument("-o", "--out", required=True, help="where to write the spec (.yaml)")
    args = parser.parse_args(argv)
    path = write_spec(args.slides, args.out)
    print(f"wrote {path} ({args.slides} slides)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
