"""Files written whole or not at all, and zips whose bytes depend only on their content.

- `write_atomic` writes next to the target and renames, so a failed build never
  leaves a half-written file or loses the previous one.
- A build must give identical bytes for identical inputs: `normalize` rewrites
  a zip (a deck, a workbook) with fixed entry dates and fixed document
  timestamps, including those of the workbooks embedded in it; a zip already in
  that form is returned as it is.

Nothing here needs python-pptx: the commands that only write a CSV, a workbook,
images or the schema do not load it.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from deckgen.errors import OutputError

FIXED_DATE = (2021, 7, 1, 0, 0, 0)
FIXED_ISO = "2021-07-01T00:00:00Z"
# the date xlsxwriter gives every entry of a workbook: the entry date of embedded workbooks
WORKBOOK_DATE = (1980, 1, 1, 0, 0, 0)
_ENTRY_MODE = 0o600 << 16
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
# characters XML 1.0 cannot hold (control characters but tab, CR, LF; surrogates; U+FFFE, U+FFFF)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML cannot hold replaced by U+FFFD (the replacement char)."""
    return _NOT_XML.sub("\ufffd", text)


def deck_date(text: str | None) -> tuple[int, int, int] | None:
    """The date a deck's document properties carry, never the wall clock (the same
    inputs give the same bytes): SOURCE_DATE_EPOCH when set (reproducible builds),
    else the spec's `date:` read as day month year ("01 07 2021", "1/7/2021"), year
    month day ("2021-07-01"), month and year ("07 2021") or a year alone ("2021":
    its first day); None when neither says one, or when the date has words in it
    ("4 mars 2021": no month name is guessed)."""
    import datetime as dt
    import re

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        return when.year, when.month, when.day
    if re.search(r"[^\W\d_]", text or ""):  # "4 mars 2021", "T2 2021": not guessed
        return None
    numbers = [int(n) for n in re.findall(r"\d+", text or "")]
    if len(numbers) in (2, 3) and numbers[0] > 31:
        numbers = numbers[::-1]  # year first: ISO
    parts = {3: numbers[-3:], 2: [1, *numbers[-2:]], 1: [1, 1, *numbers[-1:]]}
    day, month, year = parts.get(min(len(numbers), 3), [0, 0, 0])
    try:
        return (year, month, day) if year >= 1900 and dt.date(year, month, day) else None
    except ValueError:
        return None


def normalize(data: bytes, date_time: tuple = FIXED_DATE) -> bytes:
    """Same content, deterministic bytes: fixed zip dates and document timestamps.

    A zip already in that form (entry dates, modes and compression as written
    here, fixed timestamps) is returned unchanged: checking costs a read of its
    directory and of docProps/core.xml, a rewrite a decompression and a
    compression of every entry.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    # a deck's document dates are its own (the spec's date, or the team's): kept; a
    # workbook's are the moment it was written: fixed
    stamps = "ppt/presentation.xml" not in src.namelist()
    if _is_normal(src, date_time, stamps):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            write_entry(dst, info.filename, src.read(info.filename), date_time, stamps=stamps)
    return out.getvalue()


def _is_normal(src: zipfile.ZipFile, date_time: tuple, stamps: bool = True) -> bool:
    for info in src.infolist():
        if (
            info.date_time != date_time
            or info.compress_type != zipfile.ZIP_DEFLATED
            or info.external_attr != _ENTRY_MODE
            or info.extra
            or info.comment
            or info.filename.endswith(".xlsx")
        ):
            return False
        if stamps and info.filename.endswith("core.xml"):
            xml = src.read(info.filename)
            if _fixed_stamps(xml) != xml:
                return False
    return not src.comment


def _fixed_stamps(core_xml: bytes) -> bytes:
    """docProps/core.xml with its created and modified times set to FIXED_ISO."""
    return _STAMP.sub(rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", core_xml)


def write_entry(
    dst: zipfile.ZipFile,
    name: str,
    blob: bytes,
    date_time: tuple = FIXED_DATE,
    *,
    stamps: bool = True,
) -> None:
    """One zip entry, as `normalize` writes it: fixed date, no clock time inside (a
    deck's own document dates kept: `stamps=False`)."""
    if name.endswith(".xlsx"):
        blob = normalize(blob, WORKBOOK_DATE)
    elif stamps and name.endswith("core.xml"):
        blob = _fixed_stamps(blob)
    dst.writestr(entry_info(name, date_time), blob)


def entry_info(name: str, date_time: tuple = FIXED_DATE) -> zipfile.ZipInfo:
    """The header of one entry as `write_entry` writes it (before its sizes and CRC)."""
    entry = zipfile.ZipInfo(name, date_time=date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = _ENTRY_MODE
    return entry


def write_packed(
    dst: zipfile.ZipFile, info: zipfile.ZipInfo, crc: int, size: int, packed: bytes
) -> None:
    """The entry `info` with `packed` for its compressed bytes (`size` bytes whose
    CRC is `crc`), as `ZipFile.writestr` writes one into a seekable file (its header
    written again with the sizes and CRC once known): an entry compressed before is
    not compressed again."""
    info.file_size = size
    info.compress_size = len(packed)
    info.CRC = crc
    info.flag_bits = 0
    fp = dst.fp
    assert fp is not None
    fp.seek(dst.start_dir)
    info.header_offset = fp.tell()
    dst._writecheck(info)  # type: ignore[attr-defined]
    dst._didModify = True  # type: ignore[attr-defined]
    fp.write(info.FileHeader(False))
    fp.write(packed)
    dst.filelist.append(info)
    dst.NameToInfo[info.filename] = info
    dst.start_dir = fp.tell()


_PROTECTED: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "deckgen_protected", default=None
)


@contextlib.contextmanager
def protecting(inputs: dict[Path, str]) -> Iterator[None]:
    """While inside, no output may be written over one of `inputs` ({path: what it is}).

    A build reads its spec, codebook, responses, theme, template and boundaries;
    `-o` (or `--csv`, an image folder) that names one of them would replace an
    input by the deck. Paths are compared resolved, and by file identity.
    """
    table: dict[str, str] = {}
    for path, what in inputs.items():
        try:
            resolved = Path(path).resolve()
        except (OSError, RuntimeError):
            continue
        table[str(resolved)] = what
        with contextlib.suppress(OSError):
            st = resolved.stat()
            table[f"{st.st_dev}:{st.st_ino}"] = what
    token = _PROTECTED.set({**(_PROTECTED.get() or {}), **table})
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def refuse_inputs(target: Path) -> None:
    """OutputError if `target` is an input of the build in progress (see `protecting`)."""
    table = _PROTECTED.get()
    if not table:
        return
    what = table.get(str(Path(target).resolve()))
    if what is None:
        with contextlib.suppress(OSError):
            st = Path(target).stat()
            what = table.get(f"{st.st_dev}:{st.st_ino}")
    if what is not None:
        raise OutputError(
            f"refusing to write {target}: it is {what}, an input of this build; "
            "choose another output"
        )


def _write_through(data: bytes, target: Path) -> Path:
    """Write into a target that is not a regular file (/dev/stdout, a named pipe).

    Renaming a temporary file over it would replace the device or pipe itself
    (as root, even /dev/null); such a target has no previous content to keep.
    """
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    return target


def write_atomic(data: bytes, target: Path, *, into_folder: bool = False) -> Path:
    """Write `data` to `target` via a temporary file in the same folder, then rename.

    A symbolic link given as the output (`-o LINK`) is never renamed over: the file
    it points to is written (atomically when it is a regular file). A file deckgen
    names itself inside a folder (`into_folder`: init's two files, a batch's decks,
    images, preview pages) never follows a link out of it: the link is replaced by
    the file, and whatever it pointed to is left alone. A target that is not a
    regular file (a pipe, /dev/stdout) is written straight into. An input of the
    build in progress is never written (`protecting`).
    """
    target = Path(target)
    if into_folder and target.is_symlink():  # the link goes, what it points to stays
        return _replace(data, target)
    refuse_inputs(target)
    try:
        target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        pass  # a new file, or a folder in the way: said below
    except OSError as exc:  # a name too long...
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    if target.is_symlink():
        try:
            resolved = target.resolve(strict=True)
        except (OSError, RuntimeError):
            raise OutputError(f"cannot write {target}: a broken or looping link") from None
        if not resolved.is_file():
            return _write_through(data, target)
        write_atomic(data, resolved)
        return target
    if target.is_dir():
        raise OutputError(f"cannot write {target}: a directory is in its place")
    if target.exists() and not target.is_file():
        return _write_through(data, target)
    folder = target.parent
    existing = _in_the_way(folder)
    if existing is not None:
        raise OutputError(f"cannot write {target}: {existing} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {exc.strerror}") from None
    return _replace(data, target)


def _in_the_way(folder: Path) -> Path | None:
    """The file that stands where `folder`, or a folder above it, should be."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    return existing if existing is not None and not existing.is_dir() else None


def refuse_unwritable(folder: Path) -> None:
    """OutputError where a batch could write no file into `folder` (a file in the way
    of it, or the nearest folder that exists not writable): said once, before any deck
    is built, rather than by every deck after it was."""
    folder = Path(folder)
    try:
        broken = next(
            (p for p in (folder, *folder.parents) if p.is_symlink() and not p.exists()), None
        )
        if broken is not None:
            raise OutputError(f"cannot write in {folder}: {broken} is a broken link")
        existing = _in_the_way(folder)
        if existing is not None:
            raise OutputError(f"cannot write in {folder}: {existing} is a file, not a folder")
        nearest = next((p for p in (folder, *folder.parents) if p.exists()), None)
    except OSError as exc:  # a folder above it that cannot be looked into
        raise OutputError(f"cannot write in {folder}: {exc.strerror}") from None
    if nearest is not None and not os.access(nearest, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {folder}: {nearest} is not writable")


def _replace(data: bytes, target: Path) -> Path:
    """`data` into a temporary file beside `target`, renamed over it (a link named
    `target` is replaced, not followed)."""
    folder = target.parent
    try:
        # within the file system's 255-byte name limit, whatever the target's length
        stem = target.name.encode("utf-8")[:180].decode("utf-8", "ignore")
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"cannot write in {folder}: {exc.strerror}; the previous file is unchanged"
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {target}: {exc.strerror}; the previous file is unchanged"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
