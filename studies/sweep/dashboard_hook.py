"""The one place the main job and the sweeps reach the dashboards.

:mod:`casa1000.dashboards` owns plotly and every dashboard page; its
:func:`~casa1000.dashboards.report.write_report` reads result folders through
the runner and writes one self-contained HTML file that opens offline.

* The main job writes the report of its own folder (``dashboard.html``).
* A sweep writes the report of up to :data:`MAX_COMPARED` finished scenarios
  side by side (``sweep_dashboard.html``; the dashboards compare every folder
  with the first, and hold each folder's results in memory, so a large sweep is
  compared on its first scenarios) next to its own static table of every
  scenario (:mod:`.comparison_page`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from casa1000.studies.spine.study import Progress

log = logging.getLogger("casa1000")

MAIN_JOB_PAGE = "dashboard.html"
SWEEP_PAGE = "sweep_dashboard.html"
MAX_COMPARED = 8
"""Scenarios a sweep's dashboard compares side by side (the first ones of the plan)."""


def main_job_dashboard(folder: Path, progress: Progress | None = None) -> Path:
    """Write the offline dashboard of a results folder into it.

    Raises
    ------
    InputError
        If the folder's results cannot be read or the page cannot be written.
    """
    from casa1000.dashboards.report import write_report

    return write_report([folder], folder / MAIN_JOB_PAGE, progress=progress).path


def sweep_dashboard(folder: Path, scenario_folders: Sequence[Path]) -> Path | None:
    """Write the side-by-side dashboard of a sweep's first finished scenarios.

    Parameters
    ----------
    folder
        The sweep folder (the page is written there).
    scenario_folders
        Results folders of the finished scenarios, in plan order.

    Returns
    -------
    Path or None
        The page, or None when no scenario finished.
    """
    from casa1000.dashboards.report import write_report

    if not scenario_folders:
        return None
    chosen = list(scenario_folders[:MAX_COMPARED])
    if len(scenario_folders) > MAX_COMPARED:
        log.info(
            "dashboard: the first %d of %d scenarios side by side (sweep_scenarios.csv has all)",
            MAX_COMPARED,
            len(scenario_folders),
        )
    # no drill-down: it solves hours again, once per scenario
    return write_report(chosen, folder / SWEEP_PAGE, drill_cases=0).path
