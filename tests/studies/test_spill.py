"""Spill: rows written part by part to a scratch file, read back lazily; and its fallbacks."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.spine import results_io
from casa1000.studies.spine.schema import DatasetSchema, VariableSpec
from casa1000.studies.spine.spill import Spill

LAYOUT = {
    "mw": (("time", "c"), "float64"),
    "ok": (("time", "c"), "bool"),
    "code": (("time", "c"), "int32"),
    "flag": (("time", "c"), "int8"),
}
HOURS, N_C = 50, 7


def _part(lo: int, hi: int) -> dict[str, np.ndarray[Any, Any]]:
    rows = np.arange(lo, hi)[:, None] * N_C + np.arange(N_C)[None, :]
    mw = rows * 0.5
    mw[rows % 11 == 0] = np.nan  # NaN must come back as NaN, not as a fill value
    return {
        "mw": mw,
        "ok": rows % 3 == 0,
        "code": np.where(rows % 5 == 0, -1, rows).astype(np.int32),
        "flag": (rows % 4).astype(np.int8),
    }


def _fill(spill: Spill, parts: list[tuple[int, int]]) -> None:
    for lo, hi in parts:
        spill.write(slice(lo, hi), _part(lo, hi))


PARTS = [(0, 20), (20, 40), (40, 50)]


def _check(variables: dict[str, xr.Variable]) -> None:
    whole = _part(0, HOURS)
    for name, (dims, dtype) in LAYOUT.items():
        var = variables[name]
        assert var.dims == dims and var.dtype == np.dtype(dtype), name
        np.testing.assert_array_equal(var.values, whole[name], err_msg=name)


def test_parts_come_back_lazily_and_the_folder_is_left_clean(tmp_path: Path) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, LAYOUT, folder=tmp_path)
    posix = os.name == "posix"
    # the open handle owns the file from the start: a killed run leaves nothing behind
    assert spill.on_disk and len(list(tmp_path.iterdir())) == (0 if posix else 1)
    _fill(spill, PARTS)
    variables = spill.variables()
    assert not any(v._in_memory for v in variables.values())  # read from disk when used
    _check(variables)
    _check(variables)  # read again: nothing is kept, nothing is consumed


def test_no_scratch_folder_keeps_the_rows_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, LAYOUT, folder=tmp_path / "missing")
    assert not spill.on_disk
    assert "keeps its results in memory" in caplog.text
    _fill(spill, PARTS)
    _check(spill.variables())


def test_a_full_disk_mid_study_keeps_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, LAYOUT, folder=tmp_path)
    _fill(spill, PARTS[:1])
    written = spill._write_part

    def full(rows: slice, values: dict[str, np.ndarray[Any, Any]]) -> None:
        written(rows, {"mw": values["mw"]})  # half a part reaches the file, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spill, "_write_part", full)
    _fill(spill, PARTS[1:])
    assert not spill.on_disk
    assert not list(tmp_path.iterdir())
    _check(spill.variables())


def test_a_scratch_file_that_cannot_be_read_back_stops_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, LAYOUT, folder=tmp_path)
    _fill(spill, PARTS[:1])

    def broken(rows: slice, values: dict[str, np.ndarray[Any, Any]]) -> None:
        raise OSError(errno.EIO, "Input/output error")

    class Unreadable:
        def __getitem__(self, name: str) -> None:
            raise OSError(errno.EIO, "Input/output error")

        def close(self) -> None:
            pass

    monkeypatch.setattr(spill, "_write_part", broken)
    spill._nc.close()
    spill._nc = Unreadable()
    with pytest.raises(InputError, match=r"scratch file.*TMPDIR"):
        _fill(spill, PARTS[1:])
    assert not list(tmp_path.iterdir())


def test_parts_must_follow_each_other(tmp_path: Path) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, LAYOUT, folder=tmp_path)
    with pytest.raises(ValueError, match="starts at row 20"):
        spill.write(slice(20, 40), _part(20, 40))


SCHEMA = DatasetSchema(
    name="spilled",
    title="casa1000 test",
    version=1,
    coords={"time": VariableSpec(dims=("time",), dtype="int64", long_name="hour")},
    variables={
        "mw": VariableSpec(dims=("time", "c"), long_name="power", units="MW"),
        "ok": VariableSpec(dims=("time", "c"), long_name="fine", dtype="bool"),
        "code": VariableSpec(dims=("time", "c"), long_name="code", dtype="int32"),
        "flag": VariableSpec(dims=("time", "c"), long_name="flag", dtype="int8"),
    },
)


def test_a_spilled_dataset_is_written_like_one_in_memory(tmp_path: Path) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, LAYOUT, folder=tmp_path)
    _fill(spill, PARTS)
    coords = {"time": np.arange(HOURS)}
    lazy = SCHEMA.build(coords=coords, data=dict(spill.variables()))
    eager = SCHEMA.build(coords=coords, data=_part(0, HOURS))
    assert not lazy.mw.variable._in_memory and lazy.mw.attrs["units"] == "MW"
    a = results_io.read_netcdf(results_io.write_netcdf(lazy, tmp_path / "lazy.nc"))
    b = results_io.read_netcdf(results_io.write_netcdf(eager, tmp_path / "eager.nc"))
    xr.testing.assert_identical(a, b)


def test_the_schema_refuses_a_variable_of_another_dtype(tmp_path: Path) -> None:
    spill = Spill({"time": HOURS, "c": N_C}, {**LAYOUT, "code": (("time", "c"), "int64")})
    _fill(spill, PARTS)
    with pytest.raises(ValueError, match=r"code is .* int64, declared .* int32"):
        SCHEMA.build(coords={"time": np.arange(HOURS)}, data=dict(spill.variables()))


def test_large_variables_are_written_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the threshold a variable is one dask block (encoded when written); below, as is."""
    monkeypatch.setattr(results_io, "LARGE_VARIABLE_BYTES", 1000)
    ds = SCHEMA.build(coords={"time": np.arange(HOURS)}, data=_part(0, HOURS))
    out = results_io._one_by_one(ds)
    assert out.mw.chunks == ((HOURS,), (N_C,))  # 2,800 bytes: one block
    assert out.flag.chunks is None  # 350 bytes: left in memory
