import numpy as np
import pandas as pd
import pytest

from policybrief.build import tables
from policybrief.build.tables import _formatted_here, write_csv

AWKWARD = [
    "plain",
    "a, comma",
    'a "quote"',
    "two\nlines",
    "carriage\rreturn",
    "",
    " leading space",
    "Über ünïcode",
    "trailing,",
    '"',
    "semi;colon",
]


def pandas_csv(frame, path):
    frame.to_csv(path, index=False, lineterminator="\n")
    return path.read_bytes()


@pytest.mark.parametrize("rows_at_once", [3, 100_000])
def test_category_and_integer_columns_are_written_as_pandas_writes_them(tmp_path, monkeypatch, rows_at_once):
    monkeypatch.setattr(tables, "_ROWS_AT_ONCE", rows_at_once)  # several batches, and one
    frame = pd.DataFrame(
        {
            "doc_id": pd.Categorical(
                ["b", "a,1", "b", 'q"', "a,1", "b", "c", "a,1", "b", "b", "c"], ordered=True
            ),
            "text": pd.Categorical(AWKWARD, ordered=True),
            "start": np.arange(11, dtype=np.int64) * 1000 - 3,
            "label,odd": pd.Categorical(["x", None, "y", "x", None, "x\ny", "x", "y", "x", "x", "y"]),
        }
    )
    assert all(_formatted_here(frame[name]) for name in frame.columns)
    write_csv(frame, tmp_path / "ours.csv")
    assert (tmp_path / "ours.csv").read_bytes() == pandas_csv(frame, tmp_path / "pandas.csv")
    assert (tmp_path / "ours.csv").read_text(encoding="utf-8").splitlines()[:3] == [
        'doc_id,text,start,"label,odd"',
        "b,plain,-3,x",
        '"a,1","a, comma",997,',
    ]


def test_other_columns_and_empty_tables_are_left_to_pandas(tmp_path):
    frames = {
        "floats": pd.DataFrame({"a": ["x", "y"], "share": [0.1, 1 / 3]}),
        "text": pd.DataFrame({"a": AWKWARD[:3], "b": [1, 2, 3]}),
        "missing text": pd.DataFrame({"a": ["x", None], "b": [1, 2]}),
        "booleans": pd.DataFrame({"a": ["x", "y"], "present": [True, False]}),
        "one column": pd.DataFrame({"a": ["", "x"]}),
        "empty": pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype=np.int64)}),
    }
    for name, frame in frames.items():
        write_csv(frame, tmp_path / f"{name}.csv")
        assert (tmp_path / f"{name}.csv").read_bytes() == pandas_csv(
            frame, tmp_path / f"{name}.pandas.csv"
        ), name


def test_tables_written_by_forked_workers_equal_those_written_in_process(tmp_path, monkeypatch):
    frames = {
        f"t{i}.csv": pd.DataFrame({"n": range(50 * i + 1), "text": ['a "b", c'] * (50 * i + 1)})
        for i in range(5)
    }
    tables.write_tables(frames, tmp_path / "serial")
    monkeypatch.setattr(tables, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(tables.os, "cpu_count", lambda: 2)
    tables.write_tables(frames, tmp_path / "forked")
    for name in frames:
        assert (tmp_path / "forked" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def test_a_failure_in_a_forked_writer_is_raised_in_the_parent(tmp_path, monkeypatch):
    def full_disk(frame, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(tables, "PARALLEL_ROWS", 1)
    monkeypatch.setattr(tables.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(tables, "write_csv", full_disk)
    with pytest.raises(OSError, match="No space left on device"):
        tables.write_tables({"a.csv": pd.DataFrame({"n": [1]}), "b.csv": pd.DataFrame({"n": [2]})}, tmp_path)
