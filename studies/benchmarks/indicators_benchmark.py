"""Benchmark of the indicators study: its time beyond the studies, and the Monte Carlo's.

Not a test: timings are printed, never asserted.  Run on a results folder of a
full year (seasonal, contingency, transfer)::

    python -m casa1000.studies.benchmarks.indicators_benchmark RESULTS_DIR --repeats 3

It times (1) the whole indicators study with a one-year Monte Carlo -- what the
indicators add once the studies are done -- and (2) the Monte Carlo alone over
``--years`` years (1,000 by default; the issue asks for at most 30 s on two
cores), and reports medians with the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casa1000.studies.indicators import monte_carlo
from casa1000.studies.indicators.result_folders import load_result_set
from casa1000.studies.indicators.seed_tables import load_indicator_seeds
from casa1000.studies.indicators.study import SPEC, IndicatorsConfig
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import StudyInputs


@dataclass(frozen=True, kw_only=True)
class IndicatorsBenchmark:
    """Timings [s] of the indicators study and of its Monte Carlo."""

    hours: int
    studies: tuple[str, ...]
    study_s: tuple[float, ...]
    """Whole study with a one-year Monte Carlo, per repeat."""
    mc_years: int
    mc_s: tuple[float, ...]
    """Monte Carlo alone over ``mc_years``, per repeat."""
    load_average: tuple[float, float, float]

    def lines(self) -> list[str]:
        """Human-readable report (medians of the repeats)."""
        study = statistics.median(self.study_s)
        mc = statistics.median(self.mc_s)
        load = ", ".join(f"{x:.2f}" for x in self.load_average)
        return [
            f"indicators of {self.hours} h ({', '.join(self.studies)}), one Monte Carlo "
            f"year: median {study:.2f} s over {len(self.study_s)} runs",
            f"Monte Carlo of {self.mc_years} years: median {mc:.2f} s over "
            f"{len(self.mc_s)} runs ({1000 * mc / self.mc_years:.1f} s per 1,000 years)",
            f"load average before the runs: {load} ({os.cpu_count()} cores)",
        ]


def benchmark_indicators(
    inputs: StudyInputs, *, repeats: int = 3, mc_years: int = 1000
) -> IndicatorsBenchmark:
    """Time the indicators study on ``inputs`` and its Monte Carlo over ``mc_years``.

    Parameters
    ----------
    inputs
        Scenario inputs with the results (see
        :func:`~casa1000.studies.indicators.result_folders.load_result_set`).
    repeats
        Runs of each timing (the median is reported).
    mc_years
        Years of the timed Monte Carlo.
    """
    load = os.getloadavg()
    study_s = []
    for _ in range(repeats):
        started = time.perf_counter()
        execute(SPEC, inputs, IndicatorsConfig(mc_years=1))
        study_s.append(time.perf_counter() - started)
    seasonal = inputs.results["seasonal"]
    system = monte_carlo.adequacy_system(
        inputs.profiles.sel(time=seasonal.time.values),
        inputs.params,
        load_indicator_seeds(),
        [str(z) for z in seasonal.zone.values],
    )
    mc_s = []
    for _ in range(repeats):
        started = time.perf_counter()
        monte_carlo.simulate(system, years=mc_years, seed=0)
        mc_s.append(time.perf_counter() - started)
    return IndicatorsBenchmark(
        hours=int(seasonal.sizes["time"]),
        studies=tuple(inputs.results),
        study_s=tuple(study_s),
        mc_years=mc_years,
        mc_s=tuple(mc_s),
        load_average=load,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry: ``RESULTS_DIR [--repeats N] [--years N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="results folder of a full year")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--years", type=int, default=1000)
    args = parser.parse_args(argv)
    inputs = load_result_set(args.results)
    report = benchmark_indicators(inputs, repeats=args.repeats, mc_years=args.years)
    for line in report.lines():
        print(line)


if __name__ == "__main__":
    main()
