"""Reading and writing study results as NetCDF, atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.atomic import atomic_output

ENGINE = "netcdf4"


def write_results(ds: xr.Dataset, path: Path | str) -> Path:
    """Write ``ds`` to ``path`` (NetCDF-4, compressed); nothing is left half-written.

    Parameters
    ----------
    ds
        A study result.
    path
        Output file.

    Returns
    -------
    Path
        ``path``.
    """
    encoding: dict[str, dict[str, Any]] = {
        str(name): {"zlib": True, "complevel": 1}
        for name, var in ds.data_vars.items()
        if var.dtype.kind in "fiub"
    }
    with atomic_output(path) as tmp:
        ds.to_netcdf(str(tmp), engine="netcdf4", encoding=encoding)
    return Path(path)


def read_results(path: Path | str) -> xr.Dataset:
    """Load a study result written by :func:`write_results` into memory.

    Raises
    ------
    InputError
        If the file is missing or not a casa1000 result.
    """
    target = Path(path)
    if not target.is_file():
        raise InputError(str(target), "file", str(target), "an existing NetCDF result file")
    try:
        with xr.open_dataset(target, engine=ENGINE) as ds:
            loaded = ds.load()
    except (OSError, ValueError) as exc:
        raise InputError(
            str(target), "file", type(exc).__name__, "a readable NetCDF file"
        ) from None
    if "title" not in loaded.attrs or not str(loaded.attrs["title"]).startswith("casa1000"):
        raise InputError(str(target), "title", loaded.attrs.get("title"), "a casa1000 result")
    return loaded
