"""The seasonal study against the strongest plain ways, measured in the same run.

In process (imports loaded before the clock starts), per hour and per study:

* **casa1000** -- :func:`~casa1000.studies.seasonal.run_seasonal` (dispatch,
  batch AC, curtailment re-solves, assembly);
* **lightsim2grid directly** -- ``TimeSeriesCPP`` on each synchronous area of the
  same network with the study's final injections (solve and flows only);
* **pandapower run_timeseries** -- ``ConstControl`` on loads, generators and
  static generators, an ``OutputWriter`` of bus voltages and line loadings, with
  numba when it is installed; on a run of hours, extrapolated to the study;
* **pandapower runpp** warm-started from the previous hour (``init="results"``)
  on sampled hours, extrapolated; the same sample checks the accuracy.

As whole processes, side by side: ``casa1000 study seasonal`` against a bare
Python process that loads the exported network into lightsim2grid and solves the
same hours (:data:`~casa1000.studies.benchmarks.process.BARE_LIGHTSIM`).  Also:
where a process's import time goes, and the NetCDF write time and size of the
result under a few encodings.  Timings are printed, never asserted.
Run ``python -m casa1000.studies.benchmarks.seasonal_benchmark`` for a report.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from casa1000.grid.builder import BuiltNet, build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import Schedule
from casa1000.grid.solve import RUNPP_OPTIONS, run_ac
from casa1000.studies.benchmarks.process import (
    BARE_LIGHTSIM,
    ProcessTiming,
    import_times,
    machine,
    numba_installed,
    time_process,
)
from casa1000.studies.engine.batch_ac import BatchAC, Injections, injections_from_schedule
from casa1000.studies.seasonal import SeasonalConfig, run_seasonal
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles


@dataclass(frozen=True, kw_only=True)
class BenchmarkResult:
    """Timings [s], accuracy [pu], [MW] and memory [MB] of one benchmark run."""

    hours: int
    fast_total_s: float
    lightsim_s: float
    """lightsim2grid TimeSeriesCPP, every hour of every area (solve and flows)."""
    timeseries_hours: int
    timeseries_s: float
    numba: bool
    plain_sample_hours: int
    plain_per_hour_s: float
    max_dvm_pu: float
    max_dp_mw: float
    convergence_disagreements: int
    """Sampled hours where runpp and the fast path disagree on convergence."""
    peak_memory_mb: float
    processes: tuple[ProcessTiming, ...] = ()
    imports: tuple[tuple[str, float], ...] = ()
    encodings: tuple[tuple[str, float, float], ...] = field(default_factory=tuple)
    """(encoding, write time [s], size [MB]) of the seasonal result."""

    @property
    def fast_per_hour_s(self) -> float:
        """Fast path time per hour [s]."""
        return self.fast_total_s / self.hours

    @property
    def plain_total_s(self) -> float:
        """The runpp loop extrapolated to all hours [s]."""
        return self.plain_per_hour_s * self.hours

    @property
    def timeseries_total_s(self) -> float:
        """run_timeseries extrapolated to all hours [s]."""
        return self.timeseries_s / max(self.timeseries_hours, 1) * self.hours

    @property
    def ratio(self) -> float:
        """How many times faster the fast path is than the runpp loop."""
        return self.plain_total_s / self.fast_total_s

    def lines(self) -> list[str]:
        """Human-readable report."""
        per = 1e3 / self.hours
        out = [
            f"casa1000 seasonal study in process ({self.hours} h): {self.fast_total_s:.2f} s "
            f"= {per * self.fast_total_s:.3f} ms/h",
            f"lightsim2grid TimeSeriesCPP directly (solve and flows): {self.lightsim_s:.2f} s "
            f"= {per * self.lightsim_s:.3f} ms/h; casa1000 / lightsim2grid "
            f"{self.fast_total_s / self.lightsim_s:.1f}x (casa1000 also dispatches, "
            "curtails and assembles)",
            f"pandapower run_timeseries ({'numba' if self.numba else 'no numba'}), "
            f"{self.timeseries_hours} h: {1e3 * self.timeseries_s / self.timeseries_hours:.1f} "
            f"ms/h -> {self.timeseries_total_s:.0f} s per {self.hours} h (extrapolated); "
            f"speed-up {self.timeseries_total_s / self.fast_total_s:.0f}x",
            f"pandapower runpp loop warm-started (init='results'), {self.plain_sample_hours} "
            f"sampled hours: {1e3 * self.plain_per_hour_s:.1f} ms/h -> "
            f"{self.plain_total_s:.0f} s per {self.hours} h (extrapolated); "
            f"speed-up {self.ratio:.0f}x",
            f"accuracy on the sample: max |dvm| {self.max_dvm_pu:.2e} pu, "
            f"max |dP| {self.max_dp_mw:.2e} MW, convergence disagreements "
            f"{self.convergence_disagreements}",
            f"peak memory of the benchmark process: {self.peak_memory_mb:.0f} MB",
        ]
        out += [p.line() for p in self.processes]
        if len(self.processes) >= 2:
            ratio = self.processes[0].wall_s / self.processes[1].wall_s
            out.append(f"whole process, casa1000 / bare lightsim2grid: {ratio:.2f}x")
        if self.imports:
            out.append(
                "import time of `casa1000 study seasonal` by package: "
                + ", ".join(f"{n} {t:.2f} s" for n, t in self.imports)
            )
        for name, write_s, size in self.encodings:
            out.append(f"NetCDF write, {name}: {write_s:.2f} s, {size:.1f} MB")
        return out


def _final_schedule(params: GridParams, profiles: xr.Dataset, ds: xr.Dataset) -> Schedule:
    """Return the schedule the study solved last.

    Its export factors and the losses each supplier covered: without the cover the plain
    ways would solve other injections than the study.
    """
    cover = {str(z): ds.loss_cover_mw.sel(zone=z).values for z in ds.zone.values}
    inputs = inputs_from_profiles(params, profiles, export_factor=ds.export_factor.values)
    return inputs.with_loss_cover(cover).schedule(params)


def _final_injections(
    params: GridParams, profiles: xr.Dataset, ds: xr.Dataset
) -> tuple[BuiltNet, Injections]:
    schedule = _final_schedule(params, profiles, ds)
    built = build_net(params, schedule, 0)
    return built, injections_from_schedule(built, schedule)


def lightsim_timeseries(batch: BatchAC, inj: Injections) -> float:
    """Time ``TimeSeriesCPP`` on every area with the given injections (solve and flows) [s]."""
    from lightsim2grid.lightsim2grid_cpp import TimeSeriesCPP

    # the area models carry one reactive-limit proxy load per generator: the rows padded
    # for them (the bare sweep keeps every generator regulating, without reactive limits)
    rows = batch.sweep_rows(inj)
    gens = np.ascontiguousarray(rows.gen_p_mw)
    sgens = np.ascontiguousarray(rows.sgen_p_mw)
    load_p = np.ascontiguousarray(rows.load_p_mw)
    load_q = np.ascontiguousarray(rows.load_q_mvar)
    started = time.perf_counter()
    for area in batch.areas:
        ts = TimeSeriesCPP(area.model)
        ts.compute_Vs(gens, sgens, load_p, load_q, area.v0, 30, 1e-10)
        ts.compute_flows()
        ts.get_flows()
    return time.perf_counter() - started


def pandapower_timeseries(built: BuiltNet, inj: Injections, hours: int) -> tuple[float, bool]:
    """Time ``run_timeseries`` with ConstControl over ``hours`` hours [s]; numba used."""
    import pandas as pd
    from pandapower.control import ConstControl
    from pandapower.timeseries import DFData, OutputWriter, run_timeseries

    use_numba = numba_installed()
    net = built.net
    steps = range(hours)
    for table, column, values in (
        ("load", "p_mw", inj.load_p_mw),
        ("load", "q_mvar", inj.load_q_mvar),
        ("gen", "p_mw", inj.gen_p_mw),
        ("sgen", "p_mw", inj.sgen_p_mw),
    ):
        frame = pd.DataFrame(
            values[:hours], columns=[f"{table}_{column}_{i}" for i in range(values.shape[1])]
        )
        ConstControl(
            net,
            table,
            column,
            element_index=net[table].index,
            data_source=DFData(frame),
            profile_name=list(frame.columns),
        )
    writer = OutputWriter(net, time_steps=steps, output_path=None)
    writer.log_variable("res_bus", "vm_pu")
    writer.log_variable("res_line", "loading_percent")
    options = {k: v for k, v in RUNPP_OPTIONS.items() if k not in ("numba", "init")}
    started = time.perf_counter()
    run_timeseries(
        net,
        time_steps=steps,
        continue_on_divergence=True,
        verbose=False,
        numba=use_numba,
        **options,
    )
    return time.perf_counter() - started, use_numba


def encodings(ds: xr.Dataset, folder: Path) -> list[tuple[str, float, float]]:
    """Write ``ds`` under a few NetCDF encodings; (name, time [s], size [MB])."""
    from casa1000.studies.spine.results_io import write_netcdf

    big = [str(n) for n, v in ds.data_vars.items() if v.dtype.kind in "fiub" and v.size > 1024]
    variants: list[tuple[str, dict[str, dict[str, object]] | None]] = [
        ("as written by casa1000 (results_io.write_netcdf)", None),
        ("no compression", {}),
        ("zlib level 1, no shuffle", {n: {"zlib": True, "complevel": 1} for n in big}),
        (
            "zlib level 1 + shuffle",
            {n: {"zlib": True, "complevel": 1, "shuffle": True} for n in big},
        ),
    ]
    out = []
    for k, (name, encoding) in enumerate(variants):
        path = folder / f"enc{k}.nc"
        started = time.perf_counter()
        if encoding is None:
            write_netcdf(ds, path)
        else:
            ds.to_netcdf(path, engine="netcdf4", encoding=encoding)
        out.append((name, time.perf_counter() - started, path.stat().st_size / 1e6))
    return out


def benchmark_seasonal(
    params: GridParams,
    profiles: xr.Dataset,
    *,
    sample_hours: int = 48,
    timeseries_hours: int = 168,
    process_runs: int = 0,
    seed: int = 0,
) -> BenchmarkResult:
    """Time a seasonal study against the plain ways, in process and as whole processes.

    Parameters
    ----------
    params
        The network.
    profiles
        The study year.
    sample_hours
        Hours solved by the warm-started runpp loop.
    timeseries_hours
        Hours run through pandapower's run_timeseries.
    process_runs
        Runs of each whole process (0: none).
    seed
        Seed of the hour sample.

    Returns
    -------
    BenchmarkResult
        Timings, speed-ups, accuracy and the process comparison.
    """
    # imports are excluded from the in-process timings: load them before the clock starts
    import lightsim2grid.lightsim2grid_cpp  # noqa: F401
    import pandapower  # noqa: F401

    start = time.perf_counter()
    ds = run_seasonal(params, profiles, SeasonalConfig())
    fast = time.perf_counter() - start
    hours = profiles.sizes["time"]
    built, inj = _final_injections(params, profiles, ds)
    batch = BatchAC(built)
    lightsim_s = lightsim_timeseries(batch, inj)
    ts_hours = min(timeseries_hours, hours)
    ts_built, _ = _final_injections(params, profiles, ds)
    timeseries_s, numba = pandapower_timeseries(ts_built, inj, ts_hours)

    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(hours, size=min(sample_hours, hours), replace=False))
    schedule = _final_schedule(params, profiles, ds)
    dvm = dp = 0.0
    disagreements = 0
    run_ac(built)  # the first hour of a warm-started loop starts from a solved state
    start = time.perf_counter()
    for h in sample:
        # as the study: idle plants do not regulate, reactive limits are enforced
        set_hour(built, schedule, int(h), honour_commitment=True)
        converged = _runpp_warm(built)
        if converged != bool(ds.converged.values[h]):
            disagreements += 1
        elif converged:
            # NaN on either side would be a failure, so it is not skipped here
            vm = built.net.res_bus.vm_pu.to_numpy()
            dvm = max(dvm, float(np.max(np.abs(vm - ds.vm_pu.values[h]))))
            p = built.net.res_line.p_from_mw.to_numpy()
            dp = max(dp, float(np.max(np.abs(p - ds.p_from_mw.values[h, : len(p)]))))
    plain = (time.perf_counter() - start) / len(sample)
    processes: tuple[ProcessTiming, ...] = ()
    imports: tuple[tuple[str, float], ...] = ()
    written: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = encodings(ds, folder)
        if process_runs:
            processes = _processes(built, batch, inj, folder, process_runs, params)
            imports = tuple(import_times(_SEASONAL_JOB.format(out=folder / "imp")))
    return BenchmarkResult(
        hours=hours,
        fast_total_s=fast,
        lightsim_s=lightsim_s,
        timeseries_hours=ts_hours,
        timeseries_s=timeseries_s,
        numba=numba,
        plain_sample_hours=len(sample),
        plain_per_hour_s=plain,
        max_dvm_pu=dvm,
        max_dp_mw=dp,
        convergence_disagreements=disagreements,
        peak_memory_mb=peak_memory_mb(),
        processes=processes,
        imports=imports,
        encodings=tuple(written),
    )


def _runpp_warm(built: BuiltNet) -> bool:
    import pandapower as pp

    options = dict(RUNPP_OPTIONS, enforce_q_lims=True)
    try:
        pp.runpp(built.net, **dict(options, init="results"))
    except pp.LoadflowNotConverged:
        try:  # a cold start where the warm one failed
            pp.runpp(built.net, **options)
        except pp.LoadflowNotConverged:
            return False
    return True


_SEASONAL_JOB = (
    "from casa1000.cli import main; import sys; "
    "sys.argv = ['casa1000', '--quiet', 'study', 'seasonal', '--out', '{out}']; main()"
)


def _processes(
    built: BuiltNet,
    batch: BatchAC,
    inj: Injections,
    folder: Path,
    runs: int,
    params: GridParams,
) -> tuple[ProcessTiming, ProcessTiming]:
    """``casa1000 study seasonal`` and the bare lightsim2grid process on the same hours."""
    from casa1000.grid.export import ExportFormat, export_net

    net_path = export_net(built, folder / "net.json", ExportFormat.JSON)
    bus_area = np.full(batch.n_bus, -1)
    for k, area in enumerate(batch.areas):
        bus_area[area.bus] = k
    n_ext = len(built.net.ext_grid)
    arrays: dict[str, Any] = {
        "gen_p": np.column_stack([inj.gen_p_mw, np.zeros((inj.rows, n_ext))]),
        "sgen_p": inj.sgen_p_mw,
        "load_p": inj.load_p_mw,
        "load_q": inj.load_q_mvar,
        "bus_area": bus_area,
    }
    arrays.update({f"v0_{k}": area.v0 for k, area in enumerate(batch.areas)})
    np.savez(folder / "inj.npz", **arrays)
    casa = time_process(
        "whole process: casa1000 study seasonal (build, solve, write NetCDF + tables)",
        [sys.executable, "-c", _SEASONAL_JOB.format(out=folder / "out")],
        runs=runs,
    )
    bare = time_process(
        "whole process: bare lightsim2grid (load JSON network, TimeSeriesCPP, np.savez)",
        [
            sys.executable,
            "-c",
            BARE_LIGHTSIM,
            str(net_path),
            str(folder / "inj.npz"),
            str(folder / "o.npz"),
        ],
        runs=runs,
    )
    return casa, bare


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark report of the reference network's year."""
    from casa1000.grid.reference import load_reference
    from casa1000.profiles.build import build_profiles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=48, help="hours of the runpp loop")
    parser.add_argument("--timeseries-hours", type=int, default=168, help="run_timeseries hours")
    parser.add_argument("--process-runs", type=int, default=3, help="runs of each process")
    args = parser.parse_args(argv)
    params = load_reference("as_built")
    profiles = build_profiles(year=2027, converter_limit_mw=params.hvdc.rating_mw)
    report = benchmark_seasonal(
        params,
        profiles,
        sample_hours=args.sample,
        timeseries_hours=args.timeseries_hours,
        process_runs=args.process_runs,
    )
    for line in [*machine(), *report.lines()]:
        print(line)


if __name__ == "__main__":
    main()
