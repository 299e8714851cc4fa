"""Combine the results of a sweep along a ``scenario`` dimension, chunk by chunk.

Each scenario's task wrote its own ``<study>.nc``.  Here they are opened lazily
(dask arrays, nothing hourly read yet: :mod:`.lazy_results`), aligned, stacked
along a new ``scenario`` dimension and written as Zarr (or chunked NetCDF) with
one chunk per scenario and variable.  Dask reads and writes one chunk at a time
-- on the cluster's workers when the sweep runs on one -- so no process ever
holds every hourly array of the sweep.

Coordinates of ``scenario``: its name, the key of its results folder, one
coordinate per axis (numbers as float, otherwise text), and ``scenario_attrs``,
the JSON of the attributes that differ between scenarios (hashes, overrides).

Scenarios need not share every element: the 2014 design has a Kabul terminal and
area, an outage can leave a contingency out.  Such dimensions take the union of
the labels, in order of first appearance; where a scenario lacks a label its
values are padded -- NaN for numbers, ``False`` for flags, ``-1`` for integers,
``""`` for text -- and the boolean ``present_<dim>`` (``scenario`` x ``dim``)
says which labels each scenario really has.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.errors import InputError
from casa1000.studies.spine.results_io import ENGINE, write_table
from casa1000.studies.spine.study import StudySpec
from casa1000.studies.sweep.axes import Axis
from casa1000.studies.sweep.lazy_results import opened_lazily
from casa1000.studies.sweep.scenario_task import ScenarioOutcome

SCENARIO_DIM = "scenario"
VARYING_ATTRS = "scenario_attrs"
"""Coordinate holding, per scenario, the JSON of the attributes that differ."""


class StoreFormat(StrEnum):
    """How the combined results are stored."""

    ZARR = "zarr"
    NETCDF = "netcdf"


@dataclass(frozen=True, kw_only=True)
class Member:
    """One scenario with results, as the combination sees it.

    Parameters
    ----------
    outcome
        How its task ended (name, parameters, key).
    folder
        Its results folder.
    """

    outcome: ScenarioOutcome
    folder: Path


def combine_study(
    spec: StudySpec[Any],
    members: Sequence[Member],
    axes: Sequence[Axis],
    target: Path,
    store: StoreFormat = StoreFormat.ZARR,
) -> Path:
    """Write the results of one study of every member along ``scenario``.

    Parameters
    ----------
    spec
        The study.
    members
        Scenarios with results, in sweep order (at least one).
    axes
        The sweep's axes (coordinates on ``scenario``).
    target
        ``.zarr`` folder or ``.nc`` file to write; replaced if present.
    store
        Zarr (default) or NetCDF-4 with chunks of one scenario.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    InputError
        If a result file is missing or unreadable, or the target cannot be written.
    """
    if not members:
        raise InputError("sweep", spec.name, "no scenario", "at least one finished scenario")
    paths = [m.folder / f"{spec.name}.nc" for m in members]
    with opened_lazily(paths) as datasets:
        combined = stack(datasets, [m.outcome for m in members], axes)
        combined.attrs["sweep_study"] = spec.name
        _write(combined, target, store)
    return target


def open_combined(path: Path) -> xr.Dataset:
    """Open a combined store lazily (Zarr folder or NetCDF file).

    Raises
    ------
    InputError
        If it is missing or unreadable.
    """
    try:
        if path.suffix == ".zarr":
            opened: xr.Dataset = xr.open_zarr(path, consolidated=True)
        else:
            opened = xr.open_dataset(path, engine=ENGINE, chunks={})
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(
            str(path), "store", type(exc).__name__, "a combined sweep result"
        ) from None
    return opened


def stack(
    datasets: Sequence[xr.Dataset], outcomes: Sequence[ScenarioOutcome], axes: Sequence[Axis]
) -> xr.Dataset:
    """Align scenario results and stack them along ``scenario`` (lazily when they are).

    Parameters
    ----------
    datasets
        One result per scenario, same study.
    outcomes
        The scenarios, same order.
    axes
        Coordinates to put on ``scenario``.

    Returns
    -------
    xarray.Dataset
        Dims ``scenario`` plus the union of the results' dims.
    """
    union = _union_labels(datasets)
    padded = []
    for ds in datasets:
        own = {d: labels for d, labels in union.items() if d in ds.coords}
        short = {d: labels for d, labels in own.items() if not _same(ds[d].values, labels)}
        out = ds.reindex(short, fill_value=_fill_values(ds)) if short else ds
        out = out.assign_coords(
            {f"present_{d}": (d, np.isin(labels, ds[d].values)) for d, labels in own.items()}
        )
        padded.append(out)
    varying = _varying_attrs(datasets)
    stacked = xr.concat(
        padded,
        dim=SCENARIO_DIM,
        data_vars="all",
        coords="different",
        compat="equals",
        join="exact",
        combine_attrs="drop_conflicts",
    )
    # a presence mask that is all True says nothing: keep only those of padded dims
    for name in [str(n) for n in stacked.coords if str(n).startswith("present_")]:
        mask = stacked[name]
        if SCENARIO_DIM not in mask.dims and bool(mask.all()):
            stacked = stacked.drop_vars(name)
    coords: dict[str, tuple[str, Any]] = {
        SCENARIO_DIM: (SCENARIO_DIM, np.array([o.name for o in outcomes], dtype=str)),
        "scenario_key": (SCENARIO_DIM, np.array([o.key for o in outcomes], dtype=str)),
        VARYING_ATTRS: (
            SCENARIO_DIM,
            np.array([json.dumps(v, sort_keys=True) for v in varying], dtype=str),
        ),
    }
    taken = set(stacked.variables)
    for axis in axes:
        name = axis.name if axis.name not in taken else f"axis_{axis.name}"
        values = [axis.coordinate(dict(o.values)[axis.name]) for o in outcomes]
        coords[name] = (
            SCENARIO_DIM,
            np.array(values, dtype=float if axis.numeric else str),
        )
    stacked = stacked.assign_coords(coords)
    stacked.attrs["sweep_axes"] = json.dumps([a.name for a in axes])
    for var in stacked.variables.values():
        var.encoding = {}  # NetCDF encodings of the inputs do not apply to the store
    return stacked.chunk({SCENARIO_DIM: 1})


def combine_tables(
    spec: StudySpec[Any], members: Sequence[Member], axes: Sequence[Axis], folder: Path
) -> dict[str, Path]:
    """Write each table of a study for all scenarios as ``sweep_<study>_<table>.csv``.

    The scenario's name and axis values lead each row; the tables are small
    (per month, per contingency), so they are read here.

    Returns
    -------
    dict
        Table name -> file written.
    """
    out: dict[str, Path] = {}
    for table in spec.table_names:
        frames = []
        for member in members:
            path = member.folder / f"{spec.name}_{table}.csv"
            frame, _ = _read_csv(path)
            frames.append(_lead_with(frame, member.outcome, axes))
        if frames:
            merged = pd.concat(frames, ignore_index=True)
            out[table] = write_table(merged, folder / f"sweep_{spec.name}_{table}.csv", index=False)
    return out


def comparison(
    specs: Sequence[StudySpec[Any]],
    outcomes: Sequence[ScenarioOutcome],
    members: Mapping[str, Member],
    axes: Sequence[Axis],
) -> pd.DataFrame:
    """One row per scenario: axes, status, run facts and every one-row table of its studies.

    Two kinds of tables hold figures of a whole scenario: one row without an
    index of its own (the seasonal totals), whose columns appear as
    ``<study>.<column>``, and a long table of named figures with a ``value``
    column (the indicators' key figures), whose rows appear as ``<study>.<name>``.

    Parameters
    ----------
    specs
        The studies of the sweep.
    outcomes
        Every scenario, failed ones included.
    members
        Scenarios with results, by key.
    axes
        The sweep's axes.
    """
    rows = []
    for outcome in outcomes:
        row: dict[str, object] = {"scenario": outcome.name}
        row.update({a.name: a.coordinate(dict(outcome.values)[a.name]) for a in axes})
        row.update(
            status=outcome.status.value,
            error=outcome.error,
            wall_time_s=outcome.wall_time_s,
            peak_memory_mb=outcome.peak_memory_mb,
            key=outcome.key,
        )
        member = members.get(outcome.key)
        if member is not None:
            for spec in specs:
                for table in spec.table_names:
                    path = member.folder / f"{spec.name}_{table}.csv"
                    frame, plain = _read_csv(path)
                    for col, value in _figures(frame, plain).items():
                        row.setdefault(f"{spec.name}.{col}", value)
        rows.append(row)
    return pd.DataFrame(rows)


def _union_labels(datasets: Sequence[xr.Dataset]) -> dict[str, np.ndarray]:
    union: dict[str, np.ndarray] = {}
    for dim in dict.fromkeys(d for ds in datasets for d in ds.dims):
        labelled = [ds[dim].values for ds in datasets if dim in ds.coords]
        if not labelled:
            continue
        first = labelled[0]
        if all(_same(lab, first) for lab in labelled[1:]):
            continue
        merged = pd.Index(first)
        for lab in labelled[1:]:
            merged = merged.append(pd.Index(lab).difference(merged, sort=False))
        union[str(dim)] = merged.to_numpy()
    return union


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def _fill_values(ds: xr.Dataset) -> dict[str, object]:
    fills: dict[str, object] = {}
    for name, var in ds.variables.items():
        if name in ds.dims:
            continue
        kind = var.dtype.kind
        fills[str(name)] = {"f": np.nan, "c": np.nan, "b": False, "i": -1, "u": 0}.get(kind, "")
        if kind == "M":
            fills[str(name)] = np.datetime64("NaT")
    return fills


def _varying_attrs(datasets: Sequence[xr.Dataset]) -> list[dict[str, object]]:
    keys = sorted({k for ds in datasets for k in ds.attrs})
    differ = [k for k in keys if len({repr(ds.attrs.get(k)) for ds in datasets}) > 1]
    return [{k: _plain(ds.attrs.get(k)) for k in differ} for ds in datasets]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _write(ds: xr.Dataset, target: Path, store: StoreFormat) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    _remove(temporary)
    try:
        if store is StoreFormat.ZARR:
            ds.to_zarr(temporary, mode="w", zarr_format=2, consolidated=True, compute=True)
        else:
            import dask

            encoding = {
                str(name): {
                    "zlib": True,
                    "complevel": 1,
                    "chunksizes": tuple(1 if d == SCENARIO_DIM else ds.sizes[d] for d in var.dims),
                }
                for name, var in ds.data_vars.items()
                if var.dtype.kind in "fiub" and var.size > 0
            }
            # one writer: NetCDF files are not written from several processes at once
            with dask.config.set(scheduler="synchronous"):
                ds.to_netcdf(temporary, engine=ENGINE, encoding=encoding)
        _remove(target)
        temporary.rename(target)
    except (OSError, RuntimeError, ValueError) as exc:
        _remove(temporary)
        raise InputError(
            str(target), "store", type(exc).__name__, f"a writable location ({exc})"
        ) from None


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _read_csv(path: Path) -> tuple[pd.DataFrame, bool]:
    """Read a scenario's table; tell whether its rows had no index of their own.

    Tables are written with their index; an unnamed one (a plain row number)
    is dropped, a named one (``month``, ``contingency``) stays as a column.
    """
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise InputError(
            str(path), "file", type(exc).__name__, "a table written by its task"
        ) from None
    plain = len(frame.columns) > 0 and str(frame.columns[0]).startswith("Unnamed: 0")
    return (frame.drop(columns=frame.columns[0]) if plain else frame), plain


def _figures(frame: pd.DataFrame, plain: bool) -> dict[str, object]:
    """Figures of a whole scenario in a table, by name (none for per-month, per-case tables)."""
    if plain and len(frame) == 1:
        return {str(k): v for k, v in frame.iloc[0].items()}
    if not plain and "value" in frame.columns and frame.iloc[:, 0].is_unique:
        return {str(k): v for k, v in zip(frame.iloc[:, 0], frame["value"], strict=True)}
    return {}


def _lead_with(frame: pd.DataFrame, outcome: ScenarioOutcome, axes: Sequence[Axis]) -> pd.DataFrame:
    lead: dict[str, str | float] = {"scenario": outcome.name}
    lead.update({a.name: a.coordinate(dict(outcome.values)[a.name]) for a in axes})
    out = frame.copy()
    for k, (col, value) in enumerate(lead.items()):
        name = col if col not in out.columns else f"sweep_{col}"
        out.insert(k, name, value)
    return out
