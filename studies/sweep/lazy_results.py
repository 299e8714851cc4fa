"""Open the result files of many scenarios lazily -- text variables included.

``xarray.open_dataset(..., chunks={})`` reads numbers lazily, but a text
variable stored as NetCDF-4 variable-length strings is read whole when the
file is opened (xarray turns it into fixed-width text, which needs every value
to know the width).  A contingency result holds three such variables of
``time`` x ``contingency`` (the most loaded branch, the buses of the lowest and
highest voltage): about 110 MB a year per scenario, which would all be read by
the process that opens the files and shipped inside the Dask graph.

Every read here takes :data:`~.scenario_task.FILE_LOCK` (HDF5 is not
thread-safe).  Text data variables are left out when a file is opened here; a first
pass on the workers returns only the width each one needs, and each is then
added back as a Dask array that reads it on a worker, at the widest width any
scenario needs.  Nothing hourly is read by the process that opens the files.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from casa1000.errors import InputError
from casa1000.profiles.timeline import from_cf_time
from casa1000.studies.spine.results_io import ENGINE
from casa1000.studies.sweep.scenario_task import FILE_LOCK


@contextlib.contextmanager
def opened_lazily(paths: Sequence[Path]) -> Iterator[list[xr.Dataset]]:
    """Open result files as Dask-backed datasets; close them on exit.

    Parameters
    ----------
    paths
        NetCDF files written by the study runner, one per scenario.

    Yields
    ------
    list of xarray.Dataset
        One per path; times on the local study clock; every data variable a
        Dask array whose chunks read the file where they are computed.

    Raises
    ------
    InputError
        If a file is missing or unreadable.
    """
    dask: Any = importlib.import_module("dask")  # partly typed: used as Any
    texts = [_text_variables(p) for p in paths]
    width_tasks = [
        dask.delayed(text_widths, pure=True)(str(p), t)
        for p, t in zip(paths, texts, strict=True)
        if t
    ]
    found = iter(dask.compute(*width_tasks))
    widths: dict[str, int] = {}
    for names in texts:
        if names:
            for name, width in next(found).items():
                widths[name] = max(widths.get(name, 1), width)
    datasets: list[xr.Dataset] = []
    try:
        for path, names in zip(paths, texts, strict=True):
            try:
                ds = xr.open_dataset(
                    path, engine=ENGINE, chunks={}, drop_variables=list(names), lock=FILE_LOCK
                )
            except (OSError, ValueError) as exc:
                raise InputError(
                    str(path), "file", type(exc).__name__, "a result written by its scenario task"
                ) from None
            added = {name: _lazy_text(path, name, widths[name]) for name in names}
            datasets.append(from_cf_time(ds.assign(added)))
        yield datasets
    finally:
        for ds in datasets:
            ds.close()


def text_widths(path: str, names: Sequence[str]) -> dict[str, int]:
    """On a worker: the characters the longest value of each text variable needs."""
    with FILE_LOCK, xr.open_dataset(path, engine=ENGINE, lock=False) as ds:
        return {name: max(int(ds[name].dtype.itemsize // 4), 1) for name in names}


def read_text(path: str, name: str, width: int) -> np.ndarray:
    """On a worker: one text variable of one file, at ``width`` characters."""
    with FILE_LOCK, xr.open_dataset(path, engine=ENGINE, lock=False) as ds:
        values: np.ndarray = ds[name].values.astype(f"<U{width}")
    return values


def _text_variables(path: Path) -> tuple[str, ...]:
    """Names of the variable-length text data variables of a file (its metadata only)."""
    import netCDF4

    try:
        with FILE_LOCK, netCDF4.Dataset(path) as nc:
            # coordinates (labels, and those a variable's ``coordinates`` attribute names) are
            # small and stay as xarray opens them; text *data* is what grows with the hours
            coords = set(nc.dimensions)
            for var in nc.variables.values():
                if "coordinates" in var.ncattrs():
                    coords.update(str(var.getncattr("coordinates")).split())
            return tuple(
                name
                for name, var in nc.variables.items()
                if var.dtype is str and name not in coords
            )
    except OSError as exc:
        raise InputError(
            str(path), "file", type(exc).__name__, "a result written by its scenario task"
        ) from None


def _lazy_text(path: Path, name: str, width: int) -> xr.Variable:
    import netCDF4

    dask: Any = importlib.import_module("dask")
    dask_array: Any = importlib.import_module("dask.array")

    with FILE_LOCK, netCDF4.Dataset(path) as nc:
        var = nc.variables[name]
        dims = tuple(var.dimensions)
        shape = tuple(int(n) for n in var.shape)
        attrs: dict[str, Any] = {k: var.getncattr(k) for k in var.ncattrs() if k != "coordinates"}
    data = dask_array.from_delayed(
        dask.delayed(read_text, pure=True)(str(path), name, width),
        shape=shape,
        dtype=f"<U{width}",
    )
    return xr.Variable(dims, data, attrs)
