"""deckgen's imports go one way, down its stages, with no cycle.

The graph is built from the source (every `import` and `from … import`, those inside
functions included, since a function-level import is still a dependency; only the
`if TYPE_CHECKING:` blocks are left out, as they never run). Each module belongs to
the layer of its package; a module may import its own layer or a lower one, and the
graph of modules has no cycle. ARCHITECTURE.md describes the layers.
"""

from __future__ import annotations

from .imports import graph, imported, modules

# bottom to top: a module may import from its own layer and the layers below
LAYERS: list[tuple[str, ...]] = [
    ("deckgen.errors", "deckgen.files", "deckgen.registry", "deckgen.packaged"),
    ("deckgen.locales",),  # the catalogues and number formats every stage's messages use
    ("deckgen.chart_kinds", "deckgen.indicator_kinds"),  # the kinds, declared by name
    ("deckgen.inputs",),
    ("deckgen.analysis",),
    ("deckgen.wording",),
    ("deckgen.render",),
    ("deckgen.workflows",),
    ("deckgen", "deckgen.__main__", "deckgen.api", "deckgen.cli", "deckgen.preview",
     "deckgen.watch"),
]  # fmt: skip


def layer(name: str) -> int:
    best = None
    for index, members in enumerate(LAYERS):
        for member in members:
            inside = name == member or name.startswith(member + ".")
            # the longest prefix wins: deckgen.inputs.spec is inputs', not deckgen's
            if inside and (best is None or len(member) > len(best[1])):
                best = (index, member)
    assert best is not None, f"{name} belongs to no layer: add it to LAYERS"
    return best[0]


def test_every_module_has_a_layer():
    for name in modules():
        layer(name)


def test_imports_go_down():
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in targets
        if layer(target) > layer(name)
    )
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_cycle():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_checker_sees_function_level_and_relative_imports(tmp_path):
    """The graph builder itself: an import inside a function counts, one under
    TYPE_CHECKING does not, and a relative import resolves to its module."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from .b import thing\n"
        "if TYPE_CHECKING:\n    from . import c\n"
        "def f():\n    from ..top import d\n"
    )
    path = tmp_path / "a.py"
    path.write_text(source)
    known = dict.fromkeys(["p.q.a", "p.q.b", "p.q.c", "p.top", "p.top.d"], path)
    assert imported("p.q.a", path, known) == {"p.q.b", "p.top.d"}
