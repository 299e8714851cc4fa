"""The transfer-capability study: time, memory and AC cases, against the plain bisection.

The plain method solves a full AC N-1 at zero export, at the ceiling and at every
export its bisection tries (the estimate, one step above, about seven steps): some
eleven full N-1 levels an hour.  Its cost with lightsim2grid used directly is
measured here as one full N-1 level of the study (every row handed to
``ScenarioSweepCPP``, nothing copied) times the number of levels -- the report
says so -- next to the knowledge-based search of
:func:`~casa1000.studies.transfer_capability.run_transfer`, timed in the same run.
Run ``python -m casa1000.studies.benchmarks.transfer_benchmark`` for a report.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.benchmarks.contingency_benchmark import lightsim_every_row
from casa1000.studies.benchmarks.process import ProcessTiming, machine, time_process
from casa1000.studies.contingency import ContingencyConfig, prepare
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles
from casa1000.studies.transfer_capability import TransferConfig, export_direction, run_transfer

PLAIN_LEVELS = 11
"""Full N-1 levels of the plain method in a typical hour: zero, ceiling, the estimate,
one step above it and seven bisection steps (1,300 MW to 10 MW)."""


@dataclass(frozen=True, kw_only=True)
class TransferBenchmark:
    """Timings [s], AC cases and memory [MB] of the transfer study."""

    hours: int
    contingencies: int
    fast_s: float
    cases: dict[str, int]
    level_s: float
    """lightsim2grid directly: one full N-1 level (every row) at the ceiling [s]."""
    level_rows: int
    peak_memory_mb: float
    process: ProcessTiming | None = None

    def lines(self) -> list[str]:
        """Human-readable report."""
        total = sum(self.cases.values())
        plain_cases = PLAIN_LEVELS * self.hours * self.contingencies
        out = [
            f"casa1000 transfer capability in process ({self.hours} h x {self.contingencies} "
            f"contingencies): {self.fast_s:.2f} s, {total} AC cases ("
            + ", ".join(f"{k} {v}" for k, v in self.cases.items())
            + ")",
            f"plain bisection (full N-1 at {PLAIN_LEVELS} exports an hour): {plain_cases} cases; "
            f"with lightsim2grid directly {PLAIN_LEVELS} x {self.level_s:.2f} s "
            f"(one full N-1 level, {self.level_rows} area rows, measured) = "
            f"{PLAIN_LEVELS * self.level_s:.1f} s (extrapolated); casa1000 "
            f"{PLAIN_LEVELS * self.level_s / self.fast_s:.1f}x faster",
            f"peak memory of the benchmark process: {self.peak_memory_mb:.0f} MB",
        ]
        if self.process is not None:
            out.append(self.process.line())
        return out


def benchmark_transfer(
    params: GridParams,
    profiles: xr.Dataset,
    config: TransferConfig | None = None,
    *,
    process_runs: int = 0,
) -> TransferBenchmark:
    """Time the transfer study and one full N-1 level with lightsim2grid directly.

    Parameters
    ----------
    params
        The network.
    profiles
        Hourly profiles.
    config
        Study settings.
    process_runs
        Runs of ``casa1000 study transfer`` as a whole process (0: none).
    """
    import lightsim2grid.lightsim2grid_cpp  # noqa: F401  (imports are not what is timed)
    import pandapower  # noqa: F401

    config = config or TransferConfig()
    started = time.perf_counter()
    ds = run_transfer(params, profiles, config)
    fast = time.perf_counter() - started
    a = ds.attrs
    cases = {k.removeprefix("ac_cases_"): int(a[k]) for k in a if k.startswith("ac_cases_")}
    sub = select_hours(profiles, config.months)
    hours = sub.sizes["time"]
    shares, ceiling = export_direction(params, config)
    top = inputs_from_profiles(params, sub, np.full(hours, ceiling), shares=shares)
    scr = prepare(params, top, ContingencyConfig(limits=config.limits))
    level_s, level_rows = lightsim_every_row(scr, slice(0, hours))
    process = None
    if process_runs:
        with tempfile.TemporaryDirectory() as tmp:
            months = ",".join(str(m) for m in config.months)
            command = [sys.executable, "-m", "casa1000", "--quiet", "study", "transfer"]
            command += ["--out", str(Path(tmp) / "t")] + (["--months", months] if months else [])
            process = time_process(
                "whole process: casa1000 study transfer", command, runs=process_runs
            )
    return TransferBenchmark(
        hours=hours,
        contingencies=ds.sizes["contingency"],
        fast_s=fast,
        cases=cases,
        level_s=level_s,
        level_rows=level_rows,
        peak_memory_mb=peak_memory_mb(),
        process=process,
    )


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark report of the reference network's year."""
    from casa1000.grid.reference import load_reference
    from casa1000.profiles.build import build_profiles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", default="", help="months to study, e.g. 7 (all)")
    parser.add_argument("--process-runs", type=int, default=1, help="runs of the process")
    args = parser.parse_args(argv)
    months = tuple(int(m) for m in args.months.split(",") if m)
    params = load_reference("as_built")
    profiles = build_profiles(year=2027, converter_limit_mw=params.hvdc.rating_mw)
    report = benchmark_transfer(
        params, profiles, TransferConfig(months=months), process_runs=args.process_runs
    )
    for line in [*machine(), *report.lines()]:
        print(line)


if __name__ == "__main__":
    main()
