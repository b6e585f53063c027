"""The CSV read through Arrow gives what pandas' reader gives: the same table, the
same checks, the same messages, the same figures.

Where pyarrow is installed (`make test-arrow`), `deckgen.inputs.readers.read_csv`
reads with pyarrow.csv, each column as categorical codes; `DECKGEN_PANDAS_CSV=1`
reads with pandas' reader, as deckgen always did. The tests that need pyarrow are
skipped in the pass without it (where `test_string_storage` makes sure the pass with
it really has it); the checks on categorical columns run in both.
"""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from deckgen.analysis.survey import check_responses, load_survey
from deckgen.errors import DataError
from deckgen.inputs import readers
from deckgen.inputs.codebook import load_codebook

from .helpers import ROOT, set_cells

needs_arrow = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow not installed"
)


def _both(monkeypatch, read):
    """`read()` with Arrow's reader, then with pandas' (each as it ends: a value or
    the DataError's message)."""
    out = []
    for pandas_only in ("0", "1"):
        monkeypatch.setenv("DECKGEN_PANDAS_CSV", pandas_only)
        try:
            out.append(read())
        except DataError as exc:
            out.append(str(exc))
    return out


@needs_arrow
def test_arrow_reads_the_seed_survey_as_codes_and_loads_the_same_frame(monkeypatch, data_copy):
    monkeypatch.delenv("DECKGEN_PANDAS_CSV", raising=False)
    raw = readers.read_csv(data_copy.parent / "responses.csv").frame
    assert all(isinstance(dtype, pd.CategoricalDtype) for dtype in raw.dtypes)
    arrow, plain = _both(monkeypatch, lambda: load_survey(data_copy))
    pd.testing.assert_frame_equal(arrow.frame, plain.frame)
    assert not isinstance(arrow.frame.index, pd.CategoricalIndex)


# content, and whether Arrow reads it (else pandas' reader does, and says what is wrong)
CSV_CASES = {
    "byte-order mark, CRLF": (b"\xef\xbb\xbfid,a,b\r\n1,x,y\r\n2,,z\r\n", True),
    "quoted empty, spaces kept": (b'id,a,b\n1,"", y \n2,"x",\n', True),
    "line break in a quoted cell": (b'id,a,b\n1,"two\nlines",y\n2,x,"a,b"\n', True),
    # Arrow cuts a file into blocks of 1 MB: at a line break, but never inside quotes
    "line breaks in quoted cells over blocks": (
        b"id,a,b\n" + b"".join(b'%d,"two\nlines",y\n' % i for i in range(150_000)),
        True,
    ),
    "header only": (b"id,a,b\n", False),  # "no respondents", after either reader
    "blank lines": (b"id,a,b\n\n1,x,y\n\n2,x,y\n", True),
    "a row with a cell too many": (b"id,a,b\n1,x,y\n2,x,y,z\n", False),
    "a row with a cell too few": (b"id,a,b\n1,x,y\n2,x\n", False),
    "not UTF-8": (b"id,a,b\n1,caf\xe9,y\n", False),
    "empty": (b"", False),
    "a blank header cell": (b"id,,b\n1,x,y\n", False),
    "a column named twice": (b"id,a,a\n1,x,y\n", False),
}


@needs_arrow
@pytest.mark.parametrize(("content", "by_arrow"), CSV_CASES.values(), ids=list(CSV_CASES))
def test_arrow_and_pandas_read_every_csv_alike(monkeypatch, tmp_path, content, by_arrow):
    """A table read alike, cell by cell (text, NA), or the same message: what Arrow
    refuses goes to pandas' reader, which says what is wrong as it always has."""
    path = tmp_path / "responses.csv"
    path.write_bytes(content)

    def read():
        frame = readers.read(path).frame
        codes = all(isinstance(dtype, pd.CategoricalDtype) for dtype in frame.dtypes)
        return codes, frame.astype(object).where(frame.notna(), None).to_dict("split")

    arrow, plain = _both(monkeypatch, read)
    if by_arrow:
        assert isinstance(arrow, tuple) and arrow[0], "read by pandas' reader, not Arrow's"
    table = [x[1] if isinstance(x, tuple) else x for x in (arrow, plain)]
    assert table[0] == table[1]


@needs_arrow
def test_a_bad_answer_is_named_alike_by_both_readers(monkeypatch, data_copy):
    set_cells(
        data_copy.parent / "responses.csv",
        {("C05", "logiciel"): "libre ", ("C09", "logiciel"): "proprio", ("C02", "logiciel"): "x"},
    )
    arrow, plain = _both(monkeypatch, lambda: load_survey(data_copy))
    assert arrow == plain
    assert "unknown answers `x` (respondent C02), `proprio`" in arrow


def test_codes_whose_categories_are_not_in_file_order_are_named_in_file_order():
    """The Arrow reader's categories come in the order the file has them; the message
    lists unknown answers in the order of the rows whatever the categories' order."""
    from .helpers import ROOT

    codebook = load_codebook(ROOT / "data" / "barometre-2021" / "codebook.yaml")
    raw = pd.read_csv(
        ROOT / "data" / "barometre-2021" / "responses.csv",
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    ).astype(object)
    raw.loc[2, "logiciel"] = "zzz"  # met first
    raw.loc[5, "logiciel"] = "aaa"
    as_text = _message(raw, codebook)
    reversed_codes = raw.copy()
    for name in raw.columns:
        values = raw[name].dropna().unique()
        reversed_codes[name] = pd.Categorical(raw[name], categories=sorted(values, reverse=True))
    reversed_codes["logiciel"] = pd.Categorical(
        raw["logiciel"], categories=sorted(raw["logiciel"].dropna().unique())
    )
    assert _message(reversed_codes, codebook) == as_text
    assert as_text.index("`zzz`") < as_text.index("`aaa`")


def _message(raw: pd.DataFrame, codebook) -> str:
    with pytest.raises(DataError) as caught:
        check_responses(raw, codebook, "responses.csv")
    return str(caught.value)


@needs_arrow
@pytest.mark.parametrize("suffix", [".parquet", ".feather"])
def test_parquet_and_feather_cells_are_the_text_of_each_value(tmp_path, suffix):
    """Each column is made text on its distinct values, then spread to the rows as
    codes: cell for cell what converting every cell gives (7.0 is `7`, 7.5 stays,
    empty is NA, text keeps its spaces)."""
    import datetime

    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "code": [7.0, None, 7.5, 12.0],
            "count": pd.array([1, None, 3, 1], dtype="Int64"),
            "text": [" oui", None, "non ", " oui"],
            "flag": [True, False, None, True],
            "day": [datetime.date(2021, 3, 1), None, None, datetime.date(2021, 3, 2)],
            "empty": [None, None, None, None],
        }
    )
    path = tmp_path / f"responses{suffix}"
    (frame.to_parquet if suffix == ".parquet" else frame.to_feather)(path)
    got = readers.read(path).frame
    reader = pd.read_parquet if suffix == ".parquet" else pd.read_feather
    cell_by_cell = reader(path).apply(readers._as_text).astype(object)
    assert list(got.columns) == list(cell_by_cell.columns)
    for name in got.columns:
        assert got[name].astype(object).where(got[name].notna(), None).tolist() == (
            cell_by_cell[name].where(cell_by_cell[name].notna(), None).tolist()
        ), name
    assert got["code"].astype(object).tolist()[:1] == ["7"]


@needs_arrow
@pytest.mark.parametrize("suffix", [".parquet", ".feather"])
def test_a_stored_dictionary_gives_the_csv_s_table_whatever_it_holds(data_copy, suffix):
    """A column stored with its own dictionary (a pandas categorical, a Parquet text
    column read as its dictionaries) gives what the CSV gives, even when that dictionary
    holds a value no row has (a declared category no one chose, here one the codebook
    does not know, which used to be reported as an answer of no respondent), the same
    value twice, or a dictionary per row group (Parquet, 7 rows each)."""
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    folder = data_copy.parent
    expected = load_survey(data_copy).frame
    frame = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    kinds = frame["type_collectivite"]
    frame["type_collectivite"] = pd.Categorical(
        kinds,
        categories=[*kinds.dropna().unique(), "inconnu"],  # the last one unused
    )
    table = pa.Table.from_pandas(frame, preserve_index=False)
    regions = table.column("region").combine_chunks().dictionary_encode()
    codes = regions.indices.to_numpy(zero_copy_only=False).copy()
    codes[1::2] += len(regions.dictionary)  # every other row points at the second copy
    twice = pa.DictionaryArray.from_arrays(  # each value twice in the dictionary
        pa.array(codes, pa.int32(), mask=regions.indices.is_null().to_numpy(False)),
        pa.concat_arrays([regions.dictionary, regions.dictionary]).cast(pa.string()),
    )
    path = folder / f"responses{suffix}"
    if suffix == ".parquet":
        pq.write_table(table, path, row_group_size=7)
        assert pq.ParquetFile(path).metadata.num_row_groups == 5
    else:
        i = table.column_names.index("region")
        feather.write_feather(table.set_column(i, "region", twice), path)
        assert len(feather.read_table(path).column("region").chunk(0).dictionary) > len(
            regions.dictionary
        )
    got = load_survey(data_copy, path).frame
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)  # str, object


@needs_arrow
@pytest.mark.parametrize(
    "values, texts",
    [(["x", "y", "x", "y"], ["x", "y", "x", "y", None, "x"]),  # each value twice
     (["x", "y", None, "z"], ["x", "y", None, "z", None, "x"])],  # a null value
)  # fmt: skip
def test_a_dictionary_with_a_value_twice_or_null_gives_each_text_once(values, texts):
    """A stored dictionary whose rows point at every entry, one of them twice in it or
    null: the text of each row, each category once and none missing (a categorical
    cannot have a category twice, nor a null one)."""
    import pyarrow as pa

    rows = pa.array([0, 1, 2, 3, None, 0], pa.int32())
    column = pa.chunked_array([pa.DictionaryArray.from_arrays(rows, pa.array(values))])
    got = readers._arrow_text(column)
    assert got.astype(object).where(got.notna(), None).tolist() == texts
    assert got.cat.categories.tolist() == list(dict.fromkeys(t for t in texts if t))


def test_a_file_too_large_for_memory_is_a_data_error(monkeypatch, tmp_path):
    """Out of memory while reading (a limit on the process, a huge file) is said, with
    the file and its size, never a traceback."""
    path = tmp_path / "responses.csv"
    path.write_text("id,a\n1,x\n", encoding="utf-8")

    def exhausted(_path):
        raise MemoryError

    monkeypatch.setitem(readers.READERS, ".csv", exhausted)
    with pytest.raises(DataError, match=r"responses\.csv: not enough memory to read it \(0 MB\)"):
        readers.read(path)


_KEEP_FREED = """
import resource, sys
from pathlib import Path
from deckgen.inputs import readers
path = Path(sys.argv[1])
readers.LARGE = path.stat().st_size + int(sys.argv[2])  # 0: the file is large, 1: not
if sys.argv[3] == "limited":
    resource.setrlimit(resource.RLIMIT_AS, (4_000_000_000, 4_000_000_000))
pools = []  # Arrow's pool while a Parquet file's columns are made, and after
if readers._has_arrow():
    import pyarrow as pa
    inner = readers._read_arrow_file
    def spied(path):
        pools.append(pa.default_memory_pool().backend_name)
        return inner(path)
    readers._read_arrow_file = spied
    parquet = Path(sys.argv[4])
readers.read(path)
called = readers.keep_freed.cache_info().currsize == 1
if readers._has_arrow():
    import pandas as pd
    frame = pd.read_csv(path, dtype=str)
    frame.to_parquet(parquet)
    feather = parquet.with_suffix(".feather")
    frame.to_feather(feather)  # compressed (lz4): its bytes say less of it still
    # a Parquet or Feather file is large by its cells, as many as a CSV of LARGE bytes
    # holds at CELL bytes a cell: 31 respondents, every column of the file
    cells = 31 * len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    readers.LARGE = cells * readers.CELL + int(sys.argv[2])
    for arrow_file in (parquet, feather):
        readers.read(arrow_file)
        pools.append(pa.default_memory_pool().backend_name)
print(called, called and readers.keep_freed(), ",".join(pools) or "-")
"""


@pytest.mark.parametrize(
    ("more", "limit", "kept"),
    [(0, "none", True), (1, "none", False), (0, "limited", False)],
)
def test_freed_memory_is_kept_for_a_large_file_only_and_not_under_a_limit(
    tmp_path, more, limit, kept
):
    """A data file of LARGE bytes or more: glibc keeps what is freed (mallopt says
    yes to both settings); a Parquet or Feather file of as many cells as a CSV of
    LARGE bytes holds: its columns are made with Arrow allocating from that heap (its
    system pool), its own pool back after; a smaller file, or a process under an
    address-space limit: nothing changed. In a process of its own: the settings are
    the process's."""
    import subprocess
    import sys
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data" / "barometre-2021" / "responses.csv"
    parquet = tmp_path / "responses.parquet"
    run = subprocess.run(
        [sys.executable, "-c", _KEEP_FREED, str(data), str(more), limit, str(parquet)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    called, done, pools = run.stdout.split()
    assert called == str(more == 0) and done == str(kept), run.stdout
    if importlib.util.find_spec("pyarrow") is not None:
        during, after, during_feather, after_feather = pools.split(",")
        assert (during == "system") is kept and after != "system", run.stdout
        assert (during_feather == "system") is kept and after_feather != "system", run.stdout


@needs_arrow
@pytest.mark.parametrize("suffix", [".parquet", ".feather"])
@pytest.mark.parametrize("damage", ["random", "text", "empty", "half"])
def test_a_damaged_parquet_or_feather_file_is_said_never_a_traceback(tmp_path, suffix, damage):
    """Whether a Parquet or Feather file is large is read from its metadata before its
    rows (readers._holds_many): a file whose metadata cannot be read is said as
    before, naming the file and what Arrow says of it, at its read."""
    whole = tmp_path / f"whole{suffix}"
    frame = pd.read_csv(ROOT / "data" / "barometre-2021" / "responses.csv", dtype=str)
    frame.to_parquet(whole) if suffix == ".parquet" else frame.to_feather(whole)
    blob = whole.read_bytes()
    damaged = {
        "random": bytes(range(256)) * 8,
        "text": b"id,a\n1,2\n",
        "empty": b"",
        "half": blob[: len(blob) // 2],
    }[damage]
    path = tmp_path / f"responses{suffix}"
    path.write_bytes(damaged)
    assert readers._holds_many(path) is False
    with pytest.raises(DataError, match=rf"responses\{suffix}: cannot read as {suffix[1:]} \("):
        readers.read(path)
