"""Throughput of scenario sweeps on a local Dask cluster, and a paper estimate for a big one.

Not a test: timings are printed, never asserted.  For each worker count a
:class:`distributed.LocalCluster` is started, every worker imports the study
stack (timed apart: a long-lived cluster pays it once), then the same
scenarios run as tasks (the throughput) and their results are combined along
``scenario`` (timed apart).  The scenarios differ only in demand growth, so
every task does the same work.

Run it with ``python -m casa1000.studies.benchmarks.sweep_benchmark``
(``--help`` for the options).

The paper estimate scales the measured time per task, memory per task and bytes
per scenario to a cluster: workers per node are limited by cores and by memory,
tasks run in waves, and the combination is limited by the shared file system.
The node size and file-system bandwidth are assumptions, stated in its lines.
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casa1000.studies.registry import study_spec
from casa1000.studies.spine.results_io import ensure_writable
from casa1000.studies.spine.scenario import DEFAULT_YEAR
from casa1000.studies.sweep.axes import SweepPlan
from casa1000.studies.sweep.combine import Member, StoreFormat, combine_study
from casa1000.studies.sweep.dask_execution import dask_session
from casa1000.studies.sweep.job import scenario_tasks
from casa1000.studies.sweep.plan import plan_sweep
from casa1000.studies.sweep.scenario_task import ScenarioOutcome, ScenarioTask


@dataclass(frozen=True, kw_only=True)
class WorkerRun:
    """One sweep on a local cluster of ``workers`` processes."""

    workers: int
    start_s: float
    """Cluster start [s]."""
    warm_s: float
    """Every worker importing the study stack [s]."""
    tasks_s: float
    """All scenario tasks, first submitted to last finished [s]."""
    combine_s: float
    """Combining every study along ``scenario`` [s]."""
    outcomes: tuple[ScenarioOutcome, ...]

    @property
    def per_minute(self) -> float:
        """Scenarios per minute of the task phase."""
        return 60.0 * len(self.outcomes) / self.tasks_s

    @property
    def task_median_s(self) -> float:
        """Median wall time of one task on its worker [s]."""
        return statistics.median(o.wall_time_s for o in self.outcomes)


@dataclass(frozen=True, kw_only=True)
class SweepBenchmark:
    """Measured throughput and the sizes an estimate needs."""

    hours: int
    studies: tuple[str, ...]
    runs: tuple[WorkerRun, ...]
    task_bytes: int
    """Pickled size of one task, client -> worker [B]."""
    outcome_bytes: int
    """Pickled size of one outcome, worker -> client [B]."""
    scenario_bytes: int
    """Files one task writes (its results folder) [B]."""
    store_bytes: int
    """Combined stores per scenario [B]."""
    peak_memory_mb: float
    """Largest peak resident memory of a worker process at the end of a task [MB]."""
    load: str

    def lines(self) -> list[str]:
        """Human-readable report."""
        out = [
            f"sweep of {len(self.runs[0].outcomes)} scenarios x {self.hours} h, studies "
            f"{', '.join(self.studies)}; machine: {os.cpu_count()} cores, {self.load}",
        ]
        for run in self.runs:
            out.append(
                f"{run.workers} worker(s): {run.per_minute:.1f} scenarios/min "
                f"(tasks {run.tasks_s:.1f} s, median task {run.task_median_s:.1f} s); "
                f"cluster start with worker imports {run.start_s + run.warm_s:.1f} s, "
                f"combine {run.combine_s:.1f} s"
            )
        out.append(
            f"per scenario: task {self.task_bytes / 1e3:.1f} kB shipped to the worker, "
            f"outcome {self.outcome_bytes} B back; {self.scenario_bytes / 1e6:.1f} MB of results "
            f"written by the task, {self.store_bytes / 1e6:.1f} MB in the combined store; "
            f"worker peak memory {self.peak_memory_mb:.0f} MB"
        )
        return out


@dataclass(frozen=True, kw_only=True)
class PaperEstimate:
    """A sweep on a cluster, estimated from a :class:`SweepBenchmark`.

    Parameters
    ----------
    scenarios, nodes, cores_per_node, memory_per_node_gb
        The cluster and the sweep (node size is an assumption).
    filesystem_mb_s
        Aggregate bandwidth of the shared file system [MB/s] (an assumption).
    task_s, combine_task_s, memory_mb, scenario_mb, store_mb, task_kb, outcome_b
        Measured here, per task (``combine_task_s``: one worker's combining
        time per scenario).
    """

    scenarios: int
    nodes: int
    cores_per_node: int
    memory_per_node_gb: float
    filesystem_mb_s: float
    task_s: float
    combine_task_s: float
    memory_mb: float
    scenario_mb: float
    store_mb: float
    task_kb: float
    outcome_b: float

    @property
    def workers(self) -> int:
        """Single-threaded workers: a core each, as many as memory allows (80 % of it)."""
        by_memory = int(0.8 * self.memory_per_node_gb * 1024 / max(self.memory_mb, 1.0))
        return self.nodes * max(1, min(self.cores_per_node, by_memory))

    @property
    def waves(self) -> int:
        """Rounds of tasks."""
        return math.ceil(self.scenarios / self.workers)

    @property
    def compute_s(self) -> float:
        """Task phase [s]: waves x task time, or the file system if it is slower."""
        writes = self.scenarios * self.scenario_mb / self.filesystem_mb_s
        return max(self.waves * self.task_s, writes)

    @property
    def combine_s(self) -> float:
        """Combination [s]: spread over the workers, or the file system if it is slower.

        Every result is read once and the store written once.
        """
        spread = math.ceil(self.scenarios / self.workers) * self.combine_task_s
        through = self.scenarios * (self.scenario_mb + self.store_mb) / self.filesystem_mb_s
        return max(spread, through)

    def lines(self) -> list[str]:
        """Return the estimate and its assumptions as lines."""
        shipped = self.scenarios * (self.task_kb * 1e3 + self.outcome_b) / 1e6
        total = self.compute_s + self.combine_s
        return [
            f"paper estimate, {self.scenarios:,} scenarios on {self.nodes} nodes of "
            f"{self.cores_per_node} cores and {self.memory_per_node_gb:.0f} GB (assumed), shared "
            f"file system {self.filesystem_mb_s:.0f} MB/s (assumed):",
            f"  memory per task {self.memory_mb:.0f} MB -> {self.workers} workers, "
            f"{self.waves} waves of {self.task_s:.1f} s per task (measured here, per core)",
            f"  shipped through the scheduler: {shipped:.1f} MB in all "
            f"({self.task_kb:.1f} kB per task out, {self.outcome_b:.0f} B back)",
            f"  written: {self.scenarios * self.scenario_mb / 1e3:.1f} GB of scenario results, "
            f"{self.scenarios * self.store_mb / 1e3:.1f} GB of combined store",
            f"  time: tasks {self.compute_s / 60:.1f} min + combine {self.combine_s / 60:.1f} min "
            f"= {total / 60:.1f} min, plus cluster start-up and worker imports",
        ]


def benchmark_sweep(
    *,
    scenarios: int = 4,
    worker_counts: Sequence[int] = (1, 2),
    months: tuple[int, ...] = (),
    studies: Sequence[str] = ("seasonal",),
    folder: Path | None = None,
) -> SweepBenchmark:
    """Run the same sweep on local clusters of each worker count and time its phases.

    Parameters
    ----------
    scenarios
        Scenarios per sweep (demand growth 1.00, 1.01, ...).
    worker_counts
        Local cluster sizes to try.
    months
        Months studied (all when empty).
    studies
        Studies per scenario.
    folder
        Where to write (a temporary folder, removed afterwards, when None).

    Returns
    -------
    SweepBenchmark
        Timings and sizes.
    """
    growth = ",".join(f"{1 + 0.01 * k:.2f}" for k in range(scenarios))
    plan = plan_sweep(axes={"demand_growth": growth}, studies=list(studies), months=list(months))
    base = Path(tempfile.mkdtemp(prefix="casa1000-sweep-bench-")) if folder is None else folder
    try:
        runs = [_one_run(plan, base / f"workers-{n}", n) for n in worker_counts]
        last = base / f"workers-{worker_counts[-1]}"
        tasks = scenario_tasks(plan, last)
        scenario_bytes = statistics.median(_size(t.folder) for t in tasks)
        store_bytes = sum(_size(p) for p in last.glob("sweep_*.zarr")) / scenarios
    finally:
        if folder is None:
            shutil.rmtree(base, ignore_errors=True)
    outcomes = [o for run in runs for o in run.outcomes]
    return SweepBenchmark(
        hours=_hours(plan),
        studies=plan.studies,
        runs=tuple(runs),
        task_bytes=len(pickle.dumps(tasks[0])),
        outcome_bytes=len(pickle.dumps(outcomes[0])),
        scenario_bytes=int(scenario_bytes),
        store_bytes=int(store_bytes),
        peak_memory_mb=max(o.peak_memory_mb for o in outcomes),
        load=_load(),
    )


def paper_estimate(
    bench: SweepBenchmark,
    *,
    scenarios: int = 1000,
    nodes: int = 20,
    cores_per_node: int = 32,
    memory_per_node_gb: float = 128.0,
    filesystem_mb_s: float = 1000.0,
) -> PaperEstimate:
    """Scale a benchmark to a cluster (node size and file system are assumptions)."""
    one = min(bench.runs, key=lambda r: r.workers)
    return PaperEstimate(
        scenarios=scenarios,
        nodes=nodes,
        cores_per_node=cores_per_node,
        memory_per_node_gb=memory_per_node_gb,
        filesystem_mb_s=filesystem_mb_s,
        task_s=one.task_median_s,
        combine_task_s=one.combine_s * one.workers / len(one.outcomes),
        memory_mb=bench.peak_memory_mb,
        scenario_mb=bench.scenario_bytes / 1e6,
        store_mb=bench.store_bytes / 1e6,
        task_kb=bench.task_bytes / 1e3,
        outcome_b=float(bench.outcome_bytes),
    )


def _one_run(plan: SweepPlan, folder: Path, workers: int) -> WorkerRun:
    ensure_writable(folder)
    started = time.perf_counter()
    with dask_session("local", workers, folder=folder) as session:
        start_s = time.perf_counter() - started
        client: Any = session.client
        t0 = time.perf_counter()
        client.run(_import_study_stack)
        warm_s = time.perf_counter() - t0
        tasks: list[ScenarioTask] = scenario_tasks(plan, folder)
        t0 = time.perf_counter()
        outcomes = session.run(tasks)
        tasks_s = time.perf_counter() - t0
        failed = [o.describe() for o in outcomes if not o.ok]
        if failed:
            raise RuntimeError("benchmark scenario failed: " + failed[0])
        t0 = time.perf_counter()
        members = [Member(outcome=o, folder=t.folder) for t, o in zip(tasks, outcomes, strict=True)]
        for name in plan.studies:
            target = folder / f"sweep_{name}.zarr"
            combine_study(study_spec(name), members, plan.axes, target, StoreFormat.ZARR)
        combine_s = time.perf_counter() - t0
    return WorkerRun(
        workers=workers,
        start_s=start_s,
        warm_s=warm_s,
        tasks_s=tasks_s,
        combine_s=combine_s,
        outcomes=tuple(outcomes),
    )


def _import_study_stack() -> None:
    """On a worker: import what every task needs (pandapower, lightsim2grid, the studies)."""
    import casa1000.studies.registry  # noqa: F401


def _hours(plan: SweepPlan) -> int:
    from casa1000.profiles.timeline import hourly_index

    index = hourly_index(plan.base.year or DEFAULT_YEAR)
    return int(index.month.isin(plan.months).sum()) if plan.months else len(index)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=4)
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    parser.add_argument("--months", default="", help="months, e.g. 7 (default all)")
    parser.add_argument("--studies", default="seasonal")
    args = parser.parse_args(argv)
    bench = benchmark_sweep(
        scenarios=args.scenarios,
        worker_counts=[int(w) for w in args.workers.split(",")],
        months=tuple(int(m) for m in args.months.split(",") if m),
        studies=[s for s in args.studies.split(",") if s],
    )
    for line in [*bench.lines(), *paper_estimate(bench).lines()]:
        print(line)


if __name__ == "__main__":  # pragma: no cover
    main()
