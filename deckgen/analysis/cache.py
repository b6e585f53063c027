"""Indicator results cached on disk, keyed by the exact bytes of the survey.

The daily loop is "edit the YAML, rebuild, look": the data rarely change between
two builds, so recomputing every indicator (and importing pandas to do it) is
wasted time. Results are stored per survey under a key made of the codebook's
and the responses' bytes, deckgen's version and the code that computes results:
every Python file of deckgen (`code_files`; a short list of "computing" modules
went stale once: significance.py and readers.py were not on it) and the module of any
plug-in's compute function. Any change to the data, to the codebook or to that
code gives a new key, so a cached result is never stale. A result enters the
cache only after the data loaded and passed every check. What is read back is
checked: the file's survey key and the checksum of its results, and each
result's shape and arithmetic (deckgen.analysis.results.check_result).

The cache lives in $DECKGEN_CACHE_DIR, else $XDG_CACHE_HOME/deckgen, else
~/.cache/deckgen. DECKGEN_NO_CACHE=1 turns it off. Anything wrong with a cache
file (unreadable, corrupt, another format) only means a cache miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from deckgen.analysis.results import Result, result_from_dict, result_to_dict

FORMAT = 5  # 2: results carry no generated text; 3: a key and a checksum, results checked;
# 4: breakdowns (series bases, by, groups); 5: each figure's test or why none ran, and the
# size of what it is compared with


def cache_dir() -> Path | None:
    if os.environ.get("DECKGEN_NO_CACHE"):
        return None
    if os.environ.get("DECKGEN_CACHE_DIR"):
        return Path(os.environ["DECKGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "deckgen"


# deckgen's own source: every module of it is in the key (not a list of the "computing"
# ones, which went stale: significance.py and readers.py were missing from it)
_PACKAGE = Path(__file__).resolve().parents[1]


def code_files() -> list[Path]:
    """The files whose code can change a result: every Python file of deckgen, and the
    module of each registered indicator kind's compute function and of each survey
    reader that lives outside deckgen (a plug-in's), in a fixed order."""
    package = _PACKAGE
    own = sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).as_posix())
    outside = sorted(
        {p for p in _plugin_modules() if package not in p.parents}, key=lambda p: str(p)
    )
    return own + outside


def _plugin_modules() -> list[Path]:
    """Where the registered compute functions and the readers from outside deckgen are
    defined: those registered in code, and the installed plug-ins' readers, named by their
    entry points; nothing is imported to find them (a "module:function" is looked up)."""
    import importlib.util
    import inspect
    import sys

    from deckgen import indicator_kinds
    from deckgen.registry import declared

    found: list[Path] = []
    functions: list[object] = [kind.compute for kind in indicator_kinds.KINDS.values()]
    functions.extend(declared("deckgen.readers"))  # read before any reader is imported
    readers = sys.modules.get("deckgen.inputs.readers")  # a reader added in code: loaded
    if readers is not None:
        functions.extend(readers.readers().values())
    for function in functions:
        source: str | None = None
        if isinstance(function, str):
            try:
                spec = importlib.util.find_spec(function.partition(":")[0])
            except (ImportError, ValueError):
                spec = None
            source = spec.origin if spec is not None else None
        else:
            try:
                source = inspect.getsourcefile(function)  # type: ignore[arg-type]
            except TypeError:  # a built-in: no source to follow
                source = None
        if source and os.path.isfile(source):
            found.append(Path(source).resolve())
    return found


def _code_digest() -> bytes:
    """A digest of `code_files()`: each file's name (relative to deckgen for its own) and bytes."""
    package = _PACKAGE
    digest = hashlib.sha256()
    for path in code_files():
        name = path.relative_to(package).as_posix() if package in path.parents else str(path)
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.digest()


def survey_key(*files: Path) -> str:
    # deckgen/__init__.py, which holds the version, is among the code files
    digest = hashlib.sha256(f"deckgen cache {FORMAT}\n".encode())
    digest.update(_code_digest())
    for path in files:
        digest.update(str(path.name).encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


MAX_BYTES = 50_000_000  # a cache file this large was not written by deckgen


def _checksum(results: object) -> str:
    canonical = json.dumps(results, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResultCache:
    """Results of one survey version, by indicator (its canonical JSON)."""

    def __init__(
        self, key: str | None, folder: Path | None = None, files: tuple[Path, ...] = ()
    ) -> None:
        self.key = key
        self.files = files  # hashed again at save: data edited mid-build must not be cached
        self.folder = folder if folder is not None else cache_dir()
        self.path = self.folder / f"results-{key}.json" if (self.folder and key) else None
        self._data: dict[str, dict] = self._read()
        self._results: dict[str, Result] = {}  # read already (a Result is immutable)
        self.dirty = False

    def _read(self) -> dict[str, dict]:
        """The cached results, if the file is what `save` wrote for these data: its
        format, its survey key and the checksum of its results all agree."""
        if self.path is None or not self.path.is_file():
            return {}
        try:
            if self.path.stat().st_size > MAX_BYTES:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
            results = data["results"]
            if (
                data.get("format") != FORMAT
                or data.get("key") != self.key
                or data.get("checksum") != _checksum(results)
                or not isinstance(results, dict)
            ):
                return {}
            return results
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return {}

    def get(self, key: str) -> Result | None:
        """The result cached under `key`, read once (a batch's decks ask for it each)."""
        if key in self._results:
            return self._results[key]
        raw = self._data.get(key)
        if raw is None:
            return None
        try:
            result = result_from_dict(raw)  # checked: a result an indicator could give
        except (TypeError, KeyError, ValueError, AttributeError):
            return None
        self._results[key] = result
        return result

    def put(self, key: str, result: Result) -> None:
        self._data[key] = result_to_dict(result)
        self._results.pop(key, None)  # `get` reads it back, as from the file
        self.dirty = True

    def save(self) -> None:
        """Write the cache if it changed; failing to write it is never an error."""
        if self.path is None or not self.dirty:
            return
        try:
            if self.files and survey_key(*self.files) != self.key:
                return  # the data changed while we computed: these results are for no file on disk
        except OSError:
            return
        from deckgen.errors import DeckgenError
        from deckgen.files import write_atomic

        try:
            text = json.dumps(
                {
                    "format": FORMAT,
                    "key": self.key,
                    "checksum": _checksum(self._data),
                    "results": self._data,
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        except ValueError:  # a value JSON cannot hold: nothing worth caching
            return
        try:
            write_atomic(text.encode("utf-8"), self.path)
            self.dirty = False
        except (DeckgenError, OSError):
            pass
