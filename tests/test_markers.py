"""The suite's two halves: `make test` runs every test but those that render decks in
LibreOffice or the PowerPoint-compatible engine (the `clients` marker), `make
test-clients` runs those, and CI runs both. A rendering test that is not marked would
slip into `make test` and slow it down unseen: the helpers that start a client fail it.
"""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT, rendering_in


def test_a_test_that_renders_without_the_clients_marker_fails(request):
    with pytest.raises(pytest.fail.Exception, match=r"not marked @pytest\.mark\.clients"):
        rendering_in("LibreOffice")
    request.node.add_marker(pytest.mark.clients)  # marked: the same call lets it render
    assert rendering_in("LibreOffice") is None


def _recipe(target: str) -> list[str]:
    """The command lines of a Makefile target."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    body = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", text, re.M)
    assert body, target
    return [line.strip() for line in body.group(1).splitlines()]


def test_make_test_leaves_the_rendering_tests_to_make_test_clients_and_ci_runs_both():
    (test,) = [c for c in _recipe("test") if "pytest" in c]
    (clients,) = [c for c in _recipe("test-clients") if "pytest" in c]
    assert test.endswith('-m "not clients"') and clients.endswith("-m clients")
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert {"make test", "make test-clients", "make test-arrow"} <= set(ci)
    assert "export DECKGEN_REQUIRE_CLIENTS=1" in ci  # a missing client fails, not skips
    assert ci.index("export DECKGEN_REQUIRE_CLIENTS=1") < ci.index("make test-clients")
