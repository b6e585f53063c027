"""The suite's two halves: `make test` runs every test but the two slow passes, which
`make test-slow` runs, and CI runs both: the tests that render decks in LibreOffice or
the PowerPoint-compatible engine (the `clients` marker) and the privacy attack on every
deck of every batch (`attack`). A rendering test that is not marked would slip into
`make test` and slow it down unseen: the helpers that start a client fail it.
"""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT, rendering_in


def test_a_test_that_renders_without_the_clients_marker_fails(request):
    from .conftest import libreoffice_or_skip
    from .helpers import to_pdf
    from .test_two_clients import aspose_pdf

    for start in (
        lambda: rendering_in("LibreOffice"),
        libreoffice_or_skip,  # the helpers that start a client call it first
        lambda: aspose_pdf(ROOT / "missing.pptx", ROOT / "missing.pdf"),
        lambda: to_pdf("soffice", [], ROOT / "out" / "never"),
    ):
        with pytest.raises(pytest.fail.Exception, match=r"not marked @pytest\.mark\.clients"):
            start()
    request.node.add_marker(pytest.mark.clients)  # marked: the same call lets it render
    assert rendering_in("LibreOffice") is None


def _make(target: str) -> str:
    """The pytest command line of a Makefile target, its variables expanded."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    body = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", text, re.M)
    assert body, target
    (line,) = [c.strip() for c in body.group(1).splitlines() if "pytest" in c]
    variables = dict(re.findall(r"^(\w+)\s*:?=\s*(.*)$", text, re.M))
    return re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), line)


def test_make_test_leaves_the_slow_passes_to_make_test_slow_and_ci_runs_both():
    assert _make("test").endswith('-m "not clients and not attack"')
    assert _make("test-slow").endswith('-m "clients or attack"')
    assert " -m " not in _make("test-arrow")  # with pyarrow: the whole suite, slow passes too
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert {"make test", "make test-slow", "make test-arrow"} <= set(ci)
    assert "export DECKGEN_REQUIRE_CLIENTS=1" in ci  # a missing client fails, not skips
    assert ci.index("export DECKGEN_REQUIRE_CLIENTS=1") < ci.index("make test-slow")


def test_the_attack_is_marked_as_a_whole():
    from . import test_privacy_attack

    assert test_privacy_attack.pytestmark.name == "attack"
