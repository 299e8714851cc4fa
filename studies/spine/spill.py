"""Result arrays written part by part to a scratch file and read back lazily.

A study that fills (time, ...) arrays a part of the hours at a time -- the
contingency screen fills its (hour, contingency) table a few thousand hours at
a time -- writes each finished part into a :class:`Spill` instead of holding
the whole study in memory.  When the study ends, :meth:`Spill.variables` hands
the arrays to xarray *lazily*: a variable is read from the scratch file when it
is used (written into the result file, summed into a table) and is not kept,
so the memory a study holds no longer grows with its length.

The scratch file is an uncompressed NetCDF-4 file in the temporary folder
(``TMPDIR``), contiguous on disk (a part goes straight to the file).  On POSIX
it is removed from the folder as soon as it is made: the open handle, which
writes the parts and then reads them, owns the space, and the system frees it
when the last dataset that reads it is gone -- also when the process is killed.

If the scratch file cannot be made (a read-only or missing temporary folder),
the arrays stay in memory and a warning says so.  If a write fails part way (a
full disk), what was written is read back and the rest stays in memory.  Only
when that read fails too does the study stop, with one line naming the folder.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.errors import InputError

log = logging.getLogger("casa1000")

Layout = Mapping[str, tuple[tuple[str, ...], str]]
"""Variable name -> (dimensions, numpy dtype name); parts run along the first dimension."""


class Spill:
    """(time, ...) arrays filled part by part, kept in a scratch file.

    Parameters
    ----------
    sizes
        Dimension name -> length.
    layout
        The variables (see :data:`Layout`).
    folder
        Where the scratch file goes; the temporary folder by default.
    """

    def __init__(
        self, sizes: Mapping[str, int], layout: Layout, *, folder: Path | None = None
    ) -> None:
        self.sizes = dict(sizes)
        self.layout = dict(layout)
        self.folder = Path(folder or tempfile.gettempdir())
        self._memory: dict[str, npt.NDArray[Any]] | None = None
        self._written = 0
        """Leading rows (first dimension) written so far, in order."""
        self._nc: Any = None
        self._path: Path | None = None
        try:
            self._create()
        except (OSError, RuntimeError) as exc:
            log.warning(
                "no scratch file in %s (%s): the study keeps its results in memory",
                self.folder,
                exc,
            )
            self._drop_file()
            self._to_memory({})

    @property
    def on_disk(self) -> bool:
        """Whether the arrays are kept in the scratch file (not in memory)."""
        return self._memory is None

    def write(self, rows: slice, values: Mapping[str, npt.ArrayLike]) -> None:
        """Write the rows ``rows`` (of the first dimension) of every variable.

        Parts are written in order, each starting where the last ended.

        Raises
        ------
        InputError
            If the scratch file fails and what it holds cannot be read back.
        """
        if set(values) != set(self.layout):
            raise ValueError(f"a part has {sorted(values)}, the spill {sorted(self.layout)}")
        if rows.start != self._written:
            raise ValueError(f"part starts at row {rows.start}, expected {self._written}")
        if self._memory is None:
            try:
                self._write_part(rows, values)
            except (OSError, RuntimeError) as exc:
                log.warning(
                    "scratch file in %s failed (%s): the rest of the study stays in memory",
                    self.folder,
                    exc,
                )
                self._to_memory(self._read_back())
        if self._memory is not None:
            for name, arr in values.items():
                self._memory[name][rows] = arr
        self._written = rows.stop

    def variables(self) -> dict[str, xr.Variable]:
        """Finish writing and return every variable: read lazily from disk, or in memory.

        Raises
        ------
        InputError
            If the scratch file fails and what it holds cannot be read back.
        """
        if self._memory is not None:
            return {
                name: xr.Variable(self.layout[name][0], arr) for name, arr in self._memory.items()
            }
        try:
            return self._open()
        except (OSError, RuntimeError) as exc:
            log.warning("scratch file in %s failed (%s): results kept in memory", self.folder, exc)
            self._to_memory(self._read_back())
            return self.variables()

    def _create(self) -> None:
        import netCDF4

        fd, name = tempfile.mkstemp(prefix="casa1000-spill-", suffix=".nc", dir=self.folder)
        os.close(fd)
        path = self._path = Path(name)
        self._nc = netCDF4.Dataset(name, "w", format="NETCDF4")
        for dim, size in self.sizes.items():
            self._nc.createDimension(dim, size)
        for var, (dims, dtype) in self.layout.items():
            is_bool = np.dtype(dtype) == np.bool_
            v = self._nc.createVariable(
                var, "i1" if is_bool else dtype, dims, fill_value=False, contiguous=True
            )
            if is_bool:
                v.setncattr("dtype", "bool")  # xarray reads it back as bool
        self._nc.sync()
        try:  # the open handle keeps the file; nothing is left behind, even by a killed run
            path.unlink()
            self._path = None
        except OSError:  # a system that cannot remove an open file: at exit, then
            atexit.register(_remove, path)

    def _write_part(self, rows: slice, values: Mapping[str, npt.ArrayLike]) -> None:
        for name, arr in values.items():
            data = np.asarray(arr)
            self._nc[name][rows] = data.astype(np.int8) if data.dtype == np.bool_ else data

    def _open(self) -> dict[str, xr.Variable]:
        """Hand the finished file to xarray, through the handle it was written with."""
        self._nc.sync()
        store = xr.backends.NetCDF4DataStore(self._nc)  # type: ignore[no-untyped-call]
        # cache=False: a variable is read at each use and not kept
        opened = xr.open_dataset(store, cache=False, mask_and_scale=False, decode_times=False)
        variables = {name: opened.variables[name] for name in self.layout}
        self._nc = None  # the variables own the handle now
        return variables

    def _read_back(self) -> dict[str, npt.NDArray[Any]]:
        """Read the rows written to the scratch file so far, then remove the file."""
        try:
            rows = slice(0, self._written)
            done = {name: np.asarray(self._nc[name][rows]) for name in self.layout}
        except (OSError, RuntimeError) as exc:
            raise InputError(
                str(self.folder),
                "scratch file",
                str(exc),
                "a temporary folder with free space (set TMPDIR)",
            ) from None
        finally:
            self._drop_file()
        return done

    def _to_memory(self, done: Mapping[str, npt.NDArray[Any]]) -> None:
        memory: dict[str, npt.NDArray[Any]] = {}
        for name, (dims, dtype) in self.layout.items():
            memory[name] = np.zeros(tuple(self.sizes[d] for d in dims), dtype=dtype)
            if name in done:
                memory[name][: self._written] = done[name].astype(dtype)
        self._memory = memory

    def _drop_file(self) -> None:
        if self._nc is not None:
            with contextlib.suppress(OSError, RuntimeError):
                self._nc.close()
            self._nc = None
        if self._path is not None:
            _remove(self._path)
            self._path = None


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


__all__ = ["Layout", "Spill"]
