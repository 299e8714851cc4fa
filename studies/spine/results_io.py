"""Result files: NetCDF (CF-style) data, CSV tables, and a manifest written last.

A run of a study writes its files in a fixed order: first it removes the study's
old manifest (so a folder is never left with a manifest that vouches for files it
did not write), then the NetCDF data and the CSV tables, each atomically, and
last ``<study>.manifest.json`` with the scenario, the settings, the run facts
and the SHA-256 of every file.  A reader trusts a file only through its
manifest: a missing manifest, or a file whose checksum differs (a killed run
that left one new file beside old ones), is refused with one clear line.

Times are local UTC+05:00 in memory; in the file they carry the offset in their
units (``hours since YYYY-01-01 00:00:00+05:00``), as CF readers expect.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import pandas as pd
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.atomic import atomic_output
from casa1000.profiles.timeline import from_cf_time, to_cf_time

ENGINE: Final = "netcdf4"
WRITE_CHUNK_CACHE_BYTES: Final = 4 * 2**20
"""HDF5 chunk cache of each variable while a file is written.

netCDF-C's default (64 MB a variable) holds every uncompressed chunk of a
result until the file is closed: about the size of the whole dataset again
(90 MB for a year of contingencies).  With 4 MB the chunks are compressed and
written as they fill, and the write is a little faster."""
LARGE_VARIABLE_BYTES: Final = 2**20
"""Variables larger than this are encoded and written one at a time (:func:`_one_by_one`)."""
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{32}(\.[A-Za-z0-9]+)?$")


def write_netcdf(ds: xr.Dataset, path: Path) -> Path:
    """Write ``ds`` to ``path`` (NetCDF-4, light compression), atomically.

    Raises
    ------
    InputError
        If the file cannot be written (read-only folder, full disk, ...).
    """
    encoding: dict[str, dict[str, Any]] = {
        # zlib is what every NetCDF reader decodes; without the shuffle filter it writes a
        # year of seasonal results in half the time and a little smaller
        str(name): {"zlib": True, "complevel": 1, "shuffle": False}
        for name, var in ds.data_vars.items()
        if var.dtype.kind in "fiub" and var.size > 1024
    }
    with atomic_output(path) as tmp, _chunk_cache(WRITE_CHUNK_CACHE_BYTES), _blocks_here():
        _one_by_one(to_cf_time(ds)).to_netcdf(str(tmp), engine=ENGINE, encoding=encoding)
    return path


def _one_by_one(ds: xr.Dataset) -> xr.Dataset:
    """Let xarray encode and write each large variable on its own.

    xarray encodes every in-memory variable before it writes any: a copy of the
    whole dataset, all of it read at once where the data are on disk (a
    :mod:`~casa1000.studies.spine.spill`).  A variable held as one dask block is
    encoded when it is written, so the write holds one large variable at a time.
    (One block, not several: the file stores each variable as one compressed
    HDF5 chunk, which blocks of rows would rewrite again and again.)  The blocks
    are computed in this process (:func:`_blocks_here`).
    """
    out = ds.copy()
    for name, var in ds.data_vars.items():
        if var.nbytes > LARGE_VARIABLE_BYTES and var.ndim:
            out[name] = var.chunk({var.dims[0]: var.shape[0]})
    return out


@contextlib.contextmanager
def _blocks_here() -> Iterator[None]:
    """Compute dask blocks in this process, one after another.

    Inside a task of a sweep's Dask cluster, dask would otherwise send the
    blocks to the cluster, which cannot read this process's data.
    """
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield


@contextlib.contextmanager
def _chunk_cache(size: int) -> Iterator[None]:
    """Make ``size`` bytes the chunk cache of variables created inside the block."""
    import netCDF4

    before = netCDF4.get_chunk_cache()
    netCDF4.set_chunk_cache(size, before[1], before[2])
    try:
        yield
    finally:
        netCDF4.set_chunk_cache(*before)


def write_table(table: pd.DataFrame, path: Path, *, index: bool = True) -> Path:
    """Write a table as CSV atomically.

    Raises
    ------
    InputError
        If the file cannot be written.
    """
    with atomic_output(path) as tmp:
        table.to_csv(tmp, index=index, lineterminator="\n")
    return path


def write_json(data: Mapping[str, object], path: Path) -> Path:
    """Write ``data`` as indented JSON atomically.

    Raises
    ------
    InputError
        If the file cannot be written.
    """
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    return path


def read_netcdf(path: Path) -> xr.Dataset:
    """Load a NetCDF file written by :func:`write_netcdf` into memory, times local again.

    Raises
    ------
    InputError
        If the file is missing or unreadable.
    """
    if not path.is_file():
        raise InputError(str(path), "file", str(path), "an existing NetCDF file")
    try:
        with xr.open_dataset(path, engine=ENGINE) as ds:
            loaded = ds.load()
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(str(path), "file", type(exc).__name__, "a readable NetCDF file") from None
    return from_cf_time(loaded)


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_writable(folder: Path) -> Path:
    """Check, before a long study, that results can be written into ``folder``.

    Creates the folder if needed and writes and removes a probe file.

    Raises
    ------
    InputError
        If ``folder`` is a file, cannot be created or is not writable.
    """
    if folder.exists() and not folder.is_dir():
        raise InputError("--out", "out", str(folder), "a folder (this is a file)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".casa1000-probe.{os.getpid()}"
        probe.write_bytes(b"probe")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            "--out", "out", str(folder), f"a writable folder ({exc.strerror or exc})"
        ) from None
    return folder


def stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files left in ``folder`` by writers that no longer run (killed runs)."""
    if not folder.is_dir():
        return []
    stale = []
    for entry in folder.iterdir():
        match = _TEMPORARY.match(entry.name)
        if match and entry.is_file() and not _alive(int(match["pid"])):
            stale.append(entry)
    return sorted(stale)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove :func:`stale_temporaries` of ``folder``; return what was removed."""
    removed = []
    for path in stale_temporaries(folder):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True
