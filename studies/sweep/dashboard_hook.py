"""The one place the main job and the sweeps reach the dashboard writers.

:mod:`casa1000.dashboards` owns plotly and every dashboard page.  The main job
and the sweeps only call, when the dashboards package provides them:

* ``write_dashboard(folder) -> Path | Iterable[Path]`` -- the dashboard of a
  results folder written by ``casa1000 run`` (``<study>.nc`` with manifests);
* ``write_sweep_dashboard(folder) -> Path | Iterable[Path]`` -- the comparison
  dashboard of a sweep folder (``sweep_scenarios.csv``, ``sweep_<study>.zarr``).

Both read what is already written, so they work on results of earlier runs too.
When a writer is absent, nothing is written and the caller says so.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("casa1000")

MAIN_JOB_WRITER = "write_dashboard"
"""Name of the dashboard writer of a results folder in :mod:`casa1000.dashboards`."""
SWEEP_WRITER = "write_sweep_dashboard"
"""Name of the comparison-dashboard writer of a sweep folder in :mod:`casa1000.dashboards`."""


def find_writer(name: str) -> Callable[[Path], object] | None:
    """Return ``casa1000.dashboards.<name>`` if the dashboards package provides it."""
    try:
        module = importlib.import_module("casa1000.dashboards")
    except ImportError:
        return None
    writer = getattr(module, name, None)
    return writer if callable(writer) else None


def write_with(name: str, folder: Path) -> tuple[Path, ...] | None:
    """Call the writer ``name`` on ``folder``; None when there is no such writer.

    Returns
    -------
    tuple of Path or None
        The files the writer reports, or None when it is absent.
    """
    writer = find_writer(name)
    if writer is None:
        return None
    written = writer(folder)
    if isinstance(written, str | Path):
        return (Path(written),)
    if isinstance(written, Iterable):
        return tuple(Path(str(p)) for p in written)
    return ()
