"""Files that ship inside the package, found wherever deckgen is installed.

- `resources/template.pptx`: the neutral template a spec without `template:`
  uses (written by `make template`, see deckgen.render.template_writer);
- `resources/geo/regions.geojson`: the boundaries of the French regions for the
  regions map (IGN ADMIN EXPRESS via france-geojson, Licence Ouverte: see
  `resources/geo/README.md`).

They are read through importlib.resources, never from a path computed from the
source tree: an installed wheel has no `layouts/` or `data/` beside it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource(*parts: str) -> Path:
    """The path of a packaged file (deckgen is installed as files, never zipped)."""
    return Path(str(files("deckgen").joinpath("resources", *parts)))


def default_template() -> Path:
    return resource("template.pptx")


def regions_geojson() -> Path:
    return resource("geo", "regions.geojson")
