"""The docs say what the code does."""

from __future__ import annotations

import re

from deckgen.inputs import specdoc
from deckgen.inputs.model import json_schema
from deckgen.inputs.spec import Spec

from .conftest import ROOT


def test_spec_reference_is_up_to_date():
    assert (ROOT / "docs" / "spec-reference.md").read_text(encoding="utf-8") == specdoc.render(), (
        "docs/spec-reference.md is stale: run python -m deckgen.inputs.specdoc"
    )


def test_every_spec_key_is_documented():
    text = specdoc.render()
    for _, model in specdoc.MODELS:
        for name in model.fields():
            assert f"| `{name}` |" in text


def test_readme_quickstart_is_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quickstart.*?```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make deck", "make test"]


def test_schema_has_slides():
    schema = json_schema(Spec)
    assert "slides" in schema["properties"] and "deck" in schema["required"]


def test_every_option_of_every_command_has_help_and_every_command_an_example():
    import argparse

    from deckgen.cli import parser

    top = parser()
    (commands,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(commands.choices) >= {"build", "init", "validate", "indicators", "images"}
    for name, sub in commands.choices.items():
        assert "Example: deckgen " in (sub.description or ""), name
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, (name, action.dest)


def test_every_command_is_in_the_readme():
    from deckgen.cli import parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = parser()
    (commands,) = [a for a in top._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name in commands.choices:
        assert f"`deckgen {name}" in readme, name


def test_every_indicator_the_readme_shows_is_valid_on_a_shipped_survey():
    """The README's examples (breakdowns, means, trends…) are real: each indicator in
    its YAML blocks passes the checks against one of the shipped codebooks."""
    import re
    import textwrap

    import yaml

    from deckgen.inputs.codebook import load_codebook
    from deckgen.inputs.indicator_spec import Indicator

    codebooks = [
        load_codebook(ROOT / "data" / name / "codebook.yaml").questions
        for name in ("barometre-2021", "gss-2018-spending", "ess-2020-norway")
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "indicator" and isinstance(value, dict):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for block in re.findall(r"```yaml\n(.*?)```", readme, re.S):
        walk(yaml.safe_load(textwrap.dedent(block)))
    kinds = {data["kind"] for data in found}
    assert {"multi", "median", "share"} <= kinds, kinds  # by:, a summary, a trend
    for data in found:
        indicator = Indicator.validate(data)
        assert any(not indicator.check(questions) for questions in codebooks), data


# where ARCHITECTURE.md's short names live: deckgen itself, then its stage packages
STAGES = ("", "inputs", "analysis", "wording", "render", "workflows", "locales")


def _modules_of(parts: list[str]):
    """The deckgen module a dotted name starts with (`pipeline.plan`: the stage package
    that holds `pipeline`), the longest that imports, and the attributes after it."""
    import importlib

    for cut in range(len(parts), 0, -1):
        for stage in STAGES:
            name = ".".join(["deckgen", *([stage] if stage else []), *parts[:cut]])
            try:
                yield importlib.import_module(name), parts[cut:]
            except ImportError:
                continue
            return


def test_architecture_names_only_what_exists():
    """ARCHITECTURE.md stays true: every module, folder, function and class it names
    in backticks exists (a renamed or removed one fails here)."""
    import importlib
    import re

    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "deckgen").rglob("*.py"))
    # what the project's code uses of its libraries, and its settings: named, not defined
    used = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [*(ROOT / "tests").glob("*.py"), ROOT / ".ci" / "run", ROOT / "Makefile"]
    )
    names = set(re.findall(r"`([^`\s]+)`", text))
    missing = []
    for name in sorted(names):
        bare = re.sub(r"\(.*\)$", "", name)
        if re.fullmatch(r"[\w/]+\.py|[\w]+/", bare):  # a module or a folder
            where = [ROOT / bare, *(ROOT / "deckgen" / stage / bare for stage in STAGES)]
            if not any(p.exists() for p in where):
                missing.append(name)
        elif re.fullmatch(r"[a-z_]+(\.\w+)+", bare):  # module.attribute
            parts = bare.split(".")
            if parts[0] == "deckgen":
                parts = parts[1:]
            for module, attrs in _modules_of(parts):
                obj = module
                for attr in attrs:
                    obj = getattr(obj, attr, None)
                if obj is None:
                    missing.append(name)
                break
            else:  # a module of the standard library or of a dependency
                try:
                    obj = importlib.import_module(parts[0])
                    for attr in parts[1:]:
                        obj = getattr(obj, attr)
                except (ImportError, AttributeError):
                    missing.append(name)
        elif re.fullmatch(r"[A-Za-z]\w*_\w+|[A-Z][a-z]+[A-Z]\w*|[A-Z][A-Z_]+|[A-Z][a-z]+", bare):
            # defined in the package, or in the tests (a helper of the suite)
            defined = re.search(rf"(def|class) {bare}\b|^\s*{bare}\s*[:=]", source + used, re.M)
            if not defined and not re.search(rf"\.{bare}\(|\b{bare}=", source + used):
                missing.append(name)
    assert not missing, f"ARCHITECTURE.md names what does not exist: {missing}"
