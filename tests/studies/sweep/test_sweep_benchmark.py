"""The paper estimate of a cluster sweep against a hand calculation."""

from __future__ import annotations

from casa1000.studies.benchmarks.sweep_benchmark import (
    SweepBenchmark,
    WorkerRun,
    paper_estimate,
)
from casa1000.studies.sweep.scenario_task import ScenarioOutcome, ScenarioStatus


def _outcome(wall: float) -> ScenarioOutcome:
    return ScenarioOutcome(
        key="k", name="n", values=(), status=ScenarioStatus.DONE, wall_time_s=wall
    )


def test_paper_estimate_by_hand() -> None:
    run = WorkerRun(
        workers=1,
        start_s=1.0,
        warm_s=0.0,
        tasks_s=30.0,
        combine_s=5.0,
        outcomes=tuple(_outcome(w) for w in (5.0, 6.0, 7.0)),
    )
    bench = SweepBenchmark(
        hours=8760,
        studies=("seasonal",),
        runs=(run,),
        task_bytes=600,
        outcome_bytes=300,
        scenario_bytes=16_000_000,
        store_bytes=20_000_000,
        peak_memory_mb=400.0,
        load="test",
    )
    assert run.per_minute == 6.0 and run.task_median_s == 6.0
    # 128 GB x 0.8 / 400 MB = 262 tasks by memory, 32 by cores: 32 workers per node
    est = paper_estimate(bench, scenarios=1000, nodes=20, cores_per_node=32)
    assert est.workers == 640 and est.waves == 2
    # tasks: max(2 waves x 6 s, 1000 x 16 MB / 1000 MB/s = 16 s)
    # combine: max(2 waves x 5 s x 1 worker / 3 scenarios, 1000 x 36 MB / 1000 MB/s = 36 s)
    assert est.compute_s == 16.0 and est.combine_s == 36.0
    assert abs(est.combine_task_s - 5.0 / 3) < 1e-12
    # memory binds when tasks are big: 8 GB nodes hold 16 tasks of 400 MB
    small = paper_estimate(bench, memory_per_node_gb=8.0)
    assert small.workers == 20 * 16 and small.waves == 4
    assert any("0.9 MB in all" in line for line in est.lines())
