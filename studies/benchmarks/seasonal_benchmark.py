"""Benchmarks of the fast paths against the plain pandapower way, measured in the same run.

Not a test: timings are printed, never asserted.  The plain way is what a
pandapower user writes first -- one ``runpp`` per hour on one network -- run on
a random sample of hours and extrapolated to the year (and said so).  The same
sample doubles as an accuracy check of the fast path against ``runpp``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import xarray as xr

from casa1000.grid.builder import build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.solve import run_ac
from casa1000.studies.seasonal import SeasonalConfig, run_seasonal
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles


@dataclass(frozen=True, kw_only=True)
class BenchmarkResult:
    """Timings [s], accuracy [pu], [MW] and memory [MB] of one benchmark run."""

    hours: int
    fast_total_s: float
    plain_sample_hours: int
    plain_per_hour_s: float
    max_dvm_pu: float
    max_dp_mw: float
    convergence_disagreements: int
    """Sampled hours where runpp and the fast path disagree on convergence."""
    peak_memory_mb: float

    @property
    def fast_per_hour_s(self) -> float:
        """Fast path time per hour [s]."""
        return self.fast_total_s / self.hours

    @property
    def plain_total_s(self) -> float:
        """Plain loop extrapolated to all hours [s]."""
        return self.plain_per_hour_s * self.hours

    @property
    def ratio(self) -> float:
        """How many times faster the fast path is."""
        return self.plain_total_s / self.fast_total_s

    def lines(self) -> list[str]:
        """Human-readable report."""
        return [
            f"fast path (batch AC, {self.hours} h): {self.fast_total_s:.2f} s "
            f"= {1e3 * self.fast_per_hour_s:.3f} ms/h",
            f"plain pandapower runpp loop, {self.plain_sample_hours} sampled hours: "
            f"{1e3 * self.plain_per_hour_s:.1f} ms/h -> {self.plain_total_s:.0f} s per "
            f"{self.hours} h (extrapolated)",
            f"speed-up: {self.ratio:.0f}x",
            f"accuracy on the sample: max |dvm| {self.max_dvm_pu:.2e} pu, "
            f"max |dP| {self.max_dp_mw:.2e} MW, convergence disagreements "
            f"{self.convergence_disagreements}",
            f"peak memory of the process: {self.peak_memory_mb:.0f} MB",
        ]


def benchmark_seasonal(
    params: GridParams, profiles: xr.Dataset, *, sample_hours: int = 48, seed: int = 0
) -> BenchmarkResult:
    """Time a full seasonal study against a runpp loop on sampled hours.

    Parameters
    ----------
    params
        The network.
    profiles
        The study year.
    sample_hours
        Hours solved the plain way.
    seed
        Seed of the hour sample.

    Returns
    -------
    BenchmarkResult
        Timings, the speed-up and the accuracy on the sample.
    """
    # imports are excluded from the timing: load the solvers before the clock starts
    import lightsim2grid.lightsim2grid_cpp  # noqa: F401
    import pandapower  # noqa: F401

    start = time.perf_counter()
    ds = run_seasonal(params, profiles, SeasonalConfig())
    fast = time.perf_counter() - start

    hours = profiles.sizes["time"]
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(hours, size=min(sample_hours, hours), replace=False))
    factor = ds.export_factor.values
    schedule = inputs_from_profiles(params, profiles, export_factor=factor).schedule(params)
    built = build_net(params, schedule, 0)
    dvm = dp = 0.0
    disagreements = 0
    start = time.perf_counter()
    for h in sample:
        set_hour(built, schedule, int(h))
        converged, _ = run_ac(built)
        if converged != bool(ds.converged.values[h]):
            disagreements += 1
        elif converged:
            # NaN on either side would be a failure, so it is not skipped here
            vm = built.net.res_bus.vm_pu.to_numpy()
            dvm = max(dvm, float(np.max(np.abs(vm - ds.vm_pu.values[h]))))
            p = built.net.res_line.p_from_mw.to_numpy()
            dp = max(dp, float(np.max(np.abs(p - ds.p_from_mw.values[h, : len(p)]))))
    plain = (time.perf_counter() - start) / len(sample)
    return BenchmarkResult(
        hours=hours,
        fast_total_s=fast,
        plain_sample_hours=len(sample),
        plain_per_hour_s=plain,
        max_dvm_pu=dvm,
        max_dp_mw=dp,
        convergence_disagreements=disagreements,
        peak_memory_mb=peak_memory_mb(),
    )
