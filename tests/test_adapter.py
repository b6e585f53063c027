"""One door to python-pptx's private parts (deckgen.render.oxml).

python-pptx's private names (an object's `_element`, a chart's `_chartSpace`, a
part's `_blob`...) change without notice between releases. deckgen reaches them
in two modules only: `render/oxml.py`, the accessors, and `render/speedups.py`,
which patches python-pptx itself; both are verified on `VERIFIED_PPTX`, which
pyproject's range admits.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pptx
import pytest
from packaging.requirements import Requirement

from deckgen.errors import RenderError
from deckgen.render import oxml
from deckgen.render.speedups import VERIFIED_PPTX

ROOT = Path(__file__).resolve().parent.parent
DOORS = {"deckgen/render/oxml.py", "deckgen/render/speedups.py"}


def _defined(source: str, functions: bool = True) -> set[str]:
    """The private names a source defines: methods, attributes set on self, class
    attributes (python-pptx's own `_element = OneAndOnlyOne(...)` included), and
    with `functions` its module's functions."""
    names = set(re.findall(r"self\.(_[A-Za-z]\w*)\s*=", source))
    names |= set(re.findall(r"^[ \t]+def (_[A-Za-z]\w*)\(", source, re.M))  # methods
    names |= set(re.findall(r"^[ \t]+(_[A-Za-z]\w*)\s*[:=]", source, re.M))  # class attributes
    if functions:
        names |= set(re.findall(r"^def (_[A-Za-z]\w*)\(", source, re.M))
    return names


def _named_by_string(node: ast.AST) -> str | None:
    """The attribute a `getattr`, `hasattr` or `setattr` call names by a string."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "hasattr", "setattr")
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        return node.args[1].value
    return None


def _private_accesses(path: Path, private: set[str]) -> list[str]:
    source = path.read_text(encoding="utf-8")
    out = []
    for node in ast.walk(ast.parse(source)):
        named = _named_by_string(node)
        if named in private:  # hasattr(shape, "_element") reaches it all the same
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {named!r}")
        if not isinstance(node, ast.Attribute):
            continue
        if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            continue
        swap = node.attr == "__class__" and isinstance(node.ctx, ast.Store)
        if node.attr in private or swap:
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    return out


def test_no_module_but_the_adapter_touches_python_pptx_s_private_parts():
    library = Path(pptx.__file__).parent
    theirs = set().union(*(_defined(f.read_text(encoding="utf-8")) for f in library.rglob("*.py")))
    modules = [p for p in (ROOT / "deckgen").rglob("*.py")]
    # a name deckgen gives its own objects too (`spec._path`) is deckgen's to use
    outside = [p for p in modules if str(p.relative_to(ROOT)) not in DOORS]
    ours = set().union(*(_defined(p.read_text(encoding="utf-8"), False) for p in outside))
    private = {name for name in theirs - ours if not name.startswith("__")}
    assert {"_element", "_chartSpace", "_blob", "_rels", "_spTree"} <= private
    found = [access for path in outside for access in _private_accesses(path, private)]
    assert not found, "\n".join(found)
    # and the doors do use them: the scan sees what it looks for
    assert _private_accesses(ROOT / "deckgen/render/oxml.py", private)
    probe = ast.parse('hasattr(axis.tick_labels, "_element")').body[0]
    assert isinstance(probe, ast.Expr) and _named_by_string(probe.value) == "_element"


def test_a_private_part_gone_in_another_python_pptx_is_a_clear_error(monkeypatch):
    class Shape:  # what a python-pptx release without `_element` would give
        pass

    monkeypatch.setattr(oxml, "pptx_version", lambda: "1.9.0")
    with pytest.raises(RenderError) as caught:
        oxml.xml_of(Shape())
    message = str(caught.value)
    assert "python-pptx 1.9.0 has no `Shape._element`" in message
    assert f"pip install 'python-pptx=={VERIFIED_PPTX[-1]}'" in message


def test_pyproject_admits_the_verified_python_pptx_and_no_other_minor_release():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (wanted,) = [Requirement(r) for r in re.findall(r'^\s*"(python-pptx[^"]*)"', text, re.M)]
    assert all(wanted.specifier.contains(v) for v in VERIFIED_PPTX)
    assert pptx_installed() in VERIFIED_PPTX  # the suite runs on a verified release
    for other in ("0.6.23", "1.0.1", "1.1.0", "2.0.0"):
        assert not wanted.specifier.contains(other), other


def pptx_installed() -> str:
    from importlib.metadata import version

    return version("python-pptx")
