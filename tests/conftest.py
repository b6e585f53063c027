from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _private_result_cache(tmp_path_factory):
    """Builds in tests (and their subprocesses) cache results in a folder of their own."""
    os.environ["DECKGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("deckgen-cache"))


DATA = ROOT / "data" / "barometre-2021"
CODEBOOK = DATA / "codebook.yaml"
SPEC = ROOT / "config" / "barometre-2021.yaml"


@pytest.fixture(scope="session")
def survey():
    from deckgen.analysis.survey import load_survey

    return load_survey(CODEBOOK)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the survey folder; returns the codebook path."""
    dest = tmp_path / "barometre-2021"
    shutil.copytree(DATA, dest)
    return dest / "codebook.yaml"


# -- the `clients` marker: tests that render decks in LibreOffice or the engine ---------------

_RUNNING: list = []  # the test being set up, run or torn down


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    _RUNNING[:] = [item]


def rendering_in(client: str) -> None:
    """Called by every helper that starts a rendering client (LibreOffice, the
    PowerPoint-compatible engine): a test that renders must carry the `clients` marker,
    so that `make test` (`-m "not clients and not attack"`) leaves them to `make
    test-slow`, which CI runs too. An unmarked test that renders fails here."""
    item = _RUNNING[0] if _RUNNING else None
    if item is not None and item.get_closest_marker("clients") is None:
        pytest.fail(
            f"{item.nodeid} renders in {client} but is not marked @pytest.mark.clients "
            "(make test leaves rendering to make test-slow)",
            pytrace=False,
        )


def missing_client(reason: str) -> None:
    """Skip a test whose client is not installed, or fail it where DECKGEN_REQUIRE_CLIENTS
    is set (CI): a check that needs LibreOffice, Aspose or openxml-audit never vanishes
    there as a skip."""
    if os.environ.get("DECKGEN_REQUIRE_CLIENTS"):
        pytest.fail(reason + " -- required because DECKGEN_REQUIRE_CLIENTS is set")
    pytest.skip(reason)


def openxml_audit_or_skip() -> Path:
    """openxml-audit next to this Python (make test installs it), or skip (fail in CI)."""
    import sys

    exe = Path(sys.executable).parent / "openxml-audit"
    if not exe.exists():
        missing_client(f"openxml-audit is not installed next to the interpreter ({exe})")
    return exe


def libreoffice_or_skip() -> str:
    """Path to soffice, or skip (fail when DECKGEN_REQUIRE_CLIENTS is set, as in CI)."""
    rendering_in("LibreOffice")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    missing = [
        name
        for name, path in (("soffice", soffice), ("pdftotext", shutil.which("pdftotext")))
        if not path
    ]
    if missing:
        reason = (
            f"LibreOffice/poppler not installed ({', '.join(missing)} missing): "
            "apt-get install libreoffice-impress poppler-utils"
        )
        missing_client(reason)
    return soffice


@pytest.fixture(scope="session")
def real_deck(tmp_path_factory):
    """The real deck, built once per session; returns its BuildReport (report.path)."""
    from deckgen.workflows.pipeline import build

    return build(SPEC, tmp_path_factory.mktemp("real-deck") / "barometre-2021.pptx")


@pytest.fixture(scope="session")
def gss_deck(tmp_path_factory):
    """The English example deck (General Social Survey 2018), built once per session."""
    from deckgen.workflows.pipeline import build

    spec = ROOT / "config" / "gss-2018-spending.yaml"
    return build(spec, tmp_path_factory.mktemp("gss-deck") / "gss-2018-spending.pptx")


@pytest.fixture(scope="session")
def ess_deck(tmp_path_factory):
    """The weighted English example (European Social Survey 2020, Norway), built once."""
    from deckgen.workflows.pipeline import build

    spec = ROOT / "config" / "ess-2020-norway.yaml"
    return build(spec, tmp_path_factory.mktemp("ess-deck") / "ess-2020-norway.pptx")


@pytest.fixture(scope="session")
def evolution_deck(tmp_path_factory):
    """The Baromètre's trends over editions and communes against the others, built once."""
    from deckgen.workflows.pipeline import build

    spec = ROOT / "config" / "barometre-evolution.yaml"
    return build(spec, tmp_path_factory.mktemp("evolution") / "barometre-evolution.pptx")


@pytest.fixture(scope="session")
def small_decks(tmp_path_factory) -> dict:
    """One small deck per chart type (plus callouts-only and text layouts): name -> path."""
    from .helpers import build_small_decks

    return build_small_decks(tmp_path_factory.mktemp("small-decks"))


@pytest.fixture(scope="session")
def gss_survey():
    """The English example survey (General Social Survey 2018), loaded by deckgen."""
    from deckgen.workflows.pipeline import load

    return load(ROOT / "config" / "gss-2018-spending.yaml").survey


@pytest.fixture(scope="session")
def gss_raw():
    """The same rows as pandas reads them, codes as numbers: the independent reference."""
    import pandas as pd

    return pd.read_csv(ROOT / "data" / "gss-2018-spending" / "responses.csv")


@pytest.fixture(scope="session")
def segment_deck(tmp_path_factory) -> Path:
    """The seed deck of the communes (`build --each type_collectivite --include-small`;
    the other types, 1 to 3 collectivités, are under the privacy threshold): every
    figure on 22 collectivités, the doughnuts of one part drawn as bars, figures masked."""
    import deckgen

    outcomes = deckgen.load(SPEC).build_each(
        "type_collectivite", tmp_path_factory.mktemp("each"), include_small=True, jobs=1
    )
    (built,) = [o.path for o in outcomes if o.path]
    assert built.name == "barometre-2021-commune.pptx"
    return built


PERSONAL = ("C01", "C26", "C02")  # a commune, a métropole (its own slice red), never asked


@pytest.fixture(scope="session")
def personal_decks(tmp_path_factory) -> dict[str, Path]:
    """Three personal decks of the seed survey (`build --each-respondent --peers
    type_collectivite`), each built alone: respondent id -> path. C01 a commune beside
    its peers, C26 a métropole whose own slice is the red one, C02 a collectivité never
    asked a filtered question."""
    import deckgen
    from deckgen.workflows.personal import for_recipient, recipients
    from deckgen.workflows.pipeline import build

    folder = tmp_path_factory.mktemp("personal-decks")
    loaded = deckgen.load(SPEC)._loaded
    people = {r.id: r for r in recipients(loaded)}
    return {
        rid: build(
            for_recipient(loaded, people[rid], "type_collectivite"),
            folder / f"barometre-2021-{rid}.pptx",
            spec_path=SPEC,
        ).path
        for rid in PERSONAL
    }


@pytest.fixture(scope="session")
def crowded(tmp_path_factory):
    """The crowded test deck (tests/helpers.crowded_spec), built once: its BuildReport."""
    from deckgen.workflows.pipeline import build

    from .helpers import crowded_spec

    folder = tmp_path_factory.mktemp("crowded")
    return build(crowded_spec(folder), folder / "crowded.pptx")


EXAMPLE_DECKS = ("real_deck", "evolution_deck", "gss_deck", "ess_deck")
PERSONAL_DECKS = tuple(f"personal_{rid}" for rid in PERSONAL)
# the decks the layout audit reads (issue 23): every example, three personal decks, a
# segment deck and the crowded test deck
AUDITED = (*EXAMPLE_DECKS, *PERSONAL_DECKS, "segment_deck", "crowded")


def deck_path(request, name: str) -> Path:
    """The path of the deck named `name` in AUDITED, built by its fixture."""
    if name.startswith("personal_"):
        return request.getfixturevalue("personal_decks")[name.removeprefix("personal_")]
    deck = request.getfixturevalue(name)
    return Path(getattr(deck, "path", deck))
