"""A scenario sweep from plan to combined results: plan, run on Dask, combine, report.

Folder layout of a sweep (``--out``)::

    sweep_plan.json                 the plan (axes, scenarios, studies), written first
    scenarios/<key>/                one folder per scenario, written by its task:
        <study>.nc, <study>_<table>.csv, <study>.manifest.json, scenario.json
    sweep_<study>.zarr              each study along ``scenario`` (or .nc)
    sweep_<study>_<table>.csv       each study's tables, all scenarios
    sweep_scenarios.csv             one row per scenario: axes, status, error, figures
    sweep_comparison.html           every scenario's figures in one static table
    sweep_dashboard.html            the dashboards' comparison of the first scenarios
    sweep.manifest.json             written last: what ran, what failed, every file

``<key>`` is a hash of the scenario's inputs and study settings, so a resumed
sweep (``resume=True``) finds the finished scenarios of the same plan, and a
changed plan never reuses results computed with other settings.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

import casa1000
from casa1000.errors import InputError
from casa1000.studies.spine.results_io import (
    ensure_writable,
    sha256_of,
    write_json,
    write_table,
)
from casa1000.studies.spine.study import Progress, StudySpec
from casa1000.studies.sweep.axes import SweepPlan
from casa1000.studies.sweep.combine import (
    Member,
    StoreFormat,
    combine_study,
    combine_tables,
    comparison,
)
from casa1000.studies.sweep.comparison_page import write_comparison_page
from casa1000.studies.sweep.dashboard_hook import sweep_dashboard
from casa1000.studies.sweep.dask_execution import dask_session
from casa1000.studies.sweep.scenario_task import (
    ScenarioOutcome,
    ScenarioStatus,
    ScenarioTask,
    finished,
    resumed_outcome,
)

log = logging.getLogger("casa1000")

HEADLINE_COLUMNS = (
    "indicators.delivered_pk_gwh",
    "indicators.delivered_af_gwh",
    "indicators.contract_fulfilment_pk_percent",
    "indicators.n1_secure_hours_percent",
    "indicators.capability_p10_season_mw",
    "indicators.home_unserved_gwh",
    "indicators.revenue_total_musd",
    "seasonal.delivered_pk_gwh",
    "seasonal.delivered_af_gwh",
    "seasonal.curtailed_gwh",
    "seasonal.hvdc_loss_percent",
)
"""Per-scenario figures shown on screen, the indicators' first (every figure is in the CSV)."""

PLAN_FILE = "sweep_plan.json"
MANIFEST = "sweep.manifest.json"
SCENARIO_TABLE = "sweep_scenarios.csv"
COMPARISON_PAGE = "sweep_comparison.html"


@dataclass(frozen=True, kw_only=True)
class SweepOptions:
    """How a sweep runs (not what it computes: that is the plan).

    Parameters
    ----------
    scheduler
        ``synchronous`` (in this process), ``local`` (a LocalCluster,
        default) or a scheduler address ``tcp://HOST:PORT``.
    workers
        Worker processes of a local cluster.
    resume
        Skip scenarios an earlier run of the same plan finished.
    store
        Zarr (default) or chunked NetCDF for the combined results.
    """

    scheduler: str = "local"
    workers: int = 2
    resume: bool = False
    store: StoreFormat = StoreFormat.ZARR


@dataclass(frozen=True, kw_only=True)
class SweepReport:
    """What a sweep did and wrote.

    Parameters
    ----------
    folder
        The sweep folder.
    plan
        The plan that ran.
    outcomes
        Every scenario, in plan order.
    stores
        Study -> combined store.
    tables
        ``<study>_<table>`` -> combined table.
    scenario_table
        ``sweep_scenarios.csv``.
    comparison
        Its content (one row per scenario).
    pages
        Comparison dashboard files.
    manifest
        ``sweep.manifest.json``.
    wall_time_s
        Time of the whole sweep [s].
    session
        Where it ran.
    """

    folder: Path
    plan: SweepPlan
    outcomes: tuple[ScenarioOutcome, ...]
    stores: Mapping[str, Path]
    tables: Mapping[str, Path]
    scenario_table: Path
    comparison: pd.DataFrame
    pages: tuple[Path, ...]
    manifest: Path
    wall_time_s: float
    session: str
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> tuple[ScenarioOutcome, ...]:
        """Scenarios that failed, with their parameters and errors."""
        return tuple(o for o in self.outcomes if o.status is ScenarioStatus.FAILED)

    def files(self) -> list[Path]:
        """Every file of the sweep's own level, the manifest last."""
        return [
            *self.stores.values(),
            *self.tables.values(),
            self.scenario_table,
            *self.pages,
            self.manifest,
        ]


def run_sweep(
    plan: SweepPlan,
    folder: Path,
    options: SweepOptions | None = None,
    *,
    progress: Progress | None = None,
) -> SweepReport:
    """Run every scenario of ``plan`` on Dask, combine the results and write the report.

    Parameters
    ----------
    plan
        Axes, scenarios, studies (see :mod:`casa1000.studies.sweep.axes`).
    folder
        The sweep folder (created; checked for writing first).
    options
        Scheduler, workers, resume, store format.
    progress
        Called with a stage name and the fraction of scenarios done.

    Returns
    -------
    SweepReport
        Outcomes (failed scenarios with their parameters and errors), files.

    Raises
    ------
    InputError
        For an unwritable folder or an unusable scheduler.  A scenario that
        fails does not raise: it is reported.
    """
    chosen = options or SweepOptions()
    report = progress or _silent
    started = time.perf_counter()
    ensure_writable(folder)
    write_json(plan.to_json(), folder / PLAN_FILE)
    tasks = scenario_tasks(plan, folder)
    outcomes: dict[str, ScenarioOutcome] = {}
    if chosen.resume:
        for task in tasks:
            if finished(task):
                outcomes[task.key] = resumed_outcome(task)
        if outcomes:
            log.info("resume: %d of %d scenarios already finished", len(outcomes), len(tasks))
    todo = [t for t in tasks if t.key not in outcomes]
    total = len(tasks)

    def on_done(outcome: ScenarioOutcome) -> None:
        outcomes[outcome.key] = outcome
        done = len(outcomes)
        line = f"scenario {done}/{total} {outcome.describe()} ({outcome.wall_time_s:.1f} s)"
        if outcome.status is ScenarioStatus.FAILED:
            log.warning("%s", line)
        else:
            log.info("%s", line)
        report("scenarios", done / max(total, 1))

    # nothing left to run: combine here rather than start (or reach) a cluster for it
    scheduler = chosen.scheduler if todo else "synchronous"
    with dask_session(scheduler, chosen.workers, folder=folder) as session:
        log.info("sweep of %d scenarios (%d to run) on %s", total, len(todo), session.description)
        session.run(todo, on_done)
        ordered = tuple(outcomes[t.key] for t in tasks)
        report("combine", 1.0)
        stores, tables = _combine(plan, tasks, ordered, folder, chosen.store)
    members = {
        t.key: Member(outcome=o, folder=t.folder)
        for t, o in zip(tasks, ordered, strict=True)
        if o.ok
    }
    frame = comparison(_specs(plan), ordered, members, plan.axes)
    scenario_table = write_table(frame, folder / SCENARIO_TABLE, index=False)
    pages = _pages(folder, frame, [m.folder for m in members.values()])
    wall = round(time.perf_counter() - started, 3)
    counts = {s.value: sum(o.status is s for o in ordered) for s in ScenarioStatus}
    manifest = _write_manifest(
        folder, plan, ordered, stores, tables, scenario_table, pages, session.description, wall
    )
    return SweepReport(
        folder=folder,
        plan=plan,
        outcomes=ordered,
        stores=stores,
        tables=tables,
        scenario_table=scenario_table,
        comparison=frame,
        pages=pages,
        manifest=manifest,
        wall_time_s=wall,
        session=session.description,
        counts=counts,
    )


def scenario_tasks(plan: SweepPlan, folder: Path) -> list[ScenarioTask]:
    """Return the task of every scenario of ``plan``, writing under ``folder/scenarios``."""
    configs = plan.configs()
    tasks = []
    for point in plan.points:
        key = plan.key(point)
        tasks.append(
            ScenarioTask(
                key=key,
                point=point,
                base=plan.base,
                studies=plan.studies,
                configs=configs,
                folder=folder / "scenarios" / key,
            )
        )
    return tasks


def read_plan(folder: Path) -> SweepPlan:
    """Read the plan an earlier sweep recorded in ``folder`` (for ``--resume``).

    Raises
    ------
    InputError
        If the folder has no readable plan.
    """
    path = folder / PLAN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(
            str(path), "plan", "missing", "the plan of an earlier sweep in this folder (or axes)"
        ) from None
    if not isinstance(data, dict):
        raise InputError(str(path), "plan", "unreadable", "a sweep plan written by casa1000")
    return SweepPlan.from_json(data, where=str(path))


def _specs(plan: SweepPlan) -> list[StudySpec[Any]]:
    from casa1000.studies.registry import study_spec

    return [study_spec(name) for name in plan.studies]


def _combine(
    plan: SweepPlan,
    tasks: Sequence[ScenarioTask],
    outcomes: Sequence[ScenarioOutcome],
    folder: Path,
    store: StoreFormat,
) -> tuple[dict[str, Path], dict[str, Path]]:
    from casa1000.studies.registry import study_spec

    members = [
        Member(outcome=o, folder=t.folder) for t, o in zip(tasks, outcomes, strict=True) if o.ok
    ]
    stores: dict[str, Path] = {}
    tables: dict[str, Path] = {}
    if not members:
        log.warning("no scenario finished: nothing to combine")
        return stores, tables
    suffix = ".zarr" if store is StoreFormat.ZARR else ".nc"
    for name in plan.studies:
        spec = study_spec(name)
        stores[name] = combine_study(
            spec, members, plan.axes, folder / f"sweep_{name}{suffix}", store
        )
        for table, path in combine_tables(spec, members, plan.axes, folder).items():
            tables[f"{name}_{table}"] = path
        log.info("combined %s of %d scenarios into %s", name, len(members), stores[name])
    return stores, tables


def _pages(folder: Path, frame: pd.DataFrame, finished: Sequence[Path]) -> tuple[Path, ...]:
    title = f"casa1000 sweep: {len(frame)} scenarios"
    table = write_comparison_page(frame, folder / COMPARISON_PAGE, title=title)
    dashboard = sweep_dashboard(folder, finished)
    return (table,) if dashboard is None else (table, dashboard)


def _write_manifest(
    folder: Path,
    plan: SweepPlan,
    outcomes: Sequence[ScenarioOutcome],
    stores: Mapping[str, Path],
    tables: Mapping[str, Path],
    scenario_table: Path,
    pages: Sequence[Path],
    session: str,
    wall: float,
) -> Path:
    files = {
        p.name: {"sha256": sha256_of(p), "bytes": p.stat().st_size}
        for p in (*tables.values(), scenario_table, *pages)
        if p.is_file()
    }
    store_info = {
        name: {"path": path.name, "bytes": _size(path), "files": _count(path)}
        for name, path in stores.items()
    }
    return write_json(
        {
            "manifest_version": 1,
            "kind": "sweep",
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "casa1000_version": casa1000.__version__,
            "plan": plan.to_json(),
            "session": session,
            "wall_time_s": wall,
            "scenarios": [
                {
                    "name": o.name,
                    "key": o.key,
                    "values": dict(o.values),
                    "status": o.status.value,
                    "error": o.error,
                    "wall_time_s": o.wall_time_s,
                    "peak_memory_mb": o.peak_memory_mb,
                    "worker": o.worker,
                    "folder": f"scenarios/{o.key}",
                }
                for o in outcomes
            ],
            "stores": store_info,
            "files": files,
        },
        folder / MANIFEST,
    )


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _count(path: Path) -> int:
    return 1 if path.is_file() else sum(1 for p in path.rglob("*") if p.is_file())


def _silent(stage: str, done: float) -> None:
    """Report nothing."""
