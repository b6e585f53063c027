"""deckgen as an installed package: a wheel, installed into a fresh virtualenv,
builds the seed deck from another folder, with and without `template:`.

Paths computed from the source tree (`parents[1] / "layouts"`) work in a
checkout and fail once installed; this test builds a real wheel of the project
(setuptools from requirements.lock, no network), installs it with `--no-deps`
into a new virtualenv that sees the dependencies already installed here (a
`.pth` file), and runs the installed `deckgen` from a folder holding only
copies of config/, data/ and layouts/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .helpers import ROOT, replace_in


def _run(args: list, cwd: Path | None = None, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtualenv where the project's wheel is installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a clean copy: the build must not write into the checkout
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "out", "*.egg-info", "build", "__pycache__"),
    )
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", work / "dist", source]
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("deckgen-*.whl")
    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    # the dependencies already installed for the tests, without deckgen's own source
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    done = _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "-q", wheel]
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return venv / "bin"


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory) -> Path:
    """A folder with copies of config/, data/ and layouts/ only."""
    folder = tmp_path_factory.mktemp("elsewhere")
    for name in ("config", "data", "layouts"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def test_the_installed_package_is_the_wheel(installed, elsewhere):
    proc = _run([installed / "python", "-c", "import deckgen; print(deckgen.__file__)"], elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert str(installed.parent) in proc.stdout and str(ROOT) not in proc.stdout


def test_builds_the_seed_deck_from_another_folder(installed, elsewhere, real_deck):
    proc = _run([installed / "deckgen", "build", "config/barometre-2021.yaml", "-q",
                 "-o", "out/deck.pptx"], elsewhere)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "built out/deck.pptx (28 slides, 26 charts)" in proc.stdout
    # the same code gives the same bytes, installed or not
    assert (elsewhere / "out" / "deck.pptx").read_bytes() == real_deck.path.read_bytes()


def test_a_spec_without_template_uses_the_packaged_one(installed, tmp_path):
    # config/ and data/ only: nothing to fall back on but the package
    for name in ("config", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    spec = tmp_path / "config" / "sans-modele.yaml"
    shutil.copy(tmp_path / "config" / "barometre-2021.yaml", spec)
    replace_in(spec, "  template: ../layouts/deckgen-template.pptx\n", "")
    proc = _run([installed / "deckgen", "build", spec, "-q", "-o", "out/sans.pptx"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    from pptx import Presentation

    deck = Presentation(str(tmp_path / "out" / "sans.pptx"))
    assert len(deck.slides) == 28
    # the neutral template: no organisation footer on the content slides
    assert [layout.name for layout in deck.slide_layouts] == [
        "title", "section", "chart", "callouts", "closing"
    ]  # fmt: skip


def test_python_m_deckgen_and_version(installed, elsewhere):
    from deckgen import __version__

    for args in ([installed / "python", "-m", "deckgen", "--version"],
                 [installed / "deckgen", "--version"]):  # fmt: skip
        proc = _run(args, elsewhere)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"deckgen {__version__}"
    proc = _run([installed / "python", "-m", "deckgen", "validate", "config/barometre-2021.yaml"],
                elsewhere)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "valid (28 slides)" in proc.stdout
