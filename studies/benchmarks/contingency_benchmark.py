"""The contingency screen against the strongest plain ways, timed and checked in the same run.

Three ways to solve every (hour, contingency) row of a study:

* **casa1000** -- :func:`~casa1000.studies.contingency.run_contingency`: rows
  identical to an AC-solved row (an area the outage leaves unchanged, the sister
  of a parallel circuit) are copied, the rest solved by lightsim2grid's
  ``ScenarioSweepCPP`` and reduced as they stream;
* **lightsim2grid directly** -- every row handed to ``ScenarioSweepCPP`` (one
  model per synchronous area and per set of reactors and islanded buses out),
  nothing copied: what a user of lightsim2grid's batch API writes; solve and
  branch results only, no reduction;
* **pandapower runpp** -- the outage loop a pandapower user writes: one network,
  for each hour and contingency set the injections and topology, ``runpp``
  warm-started from the previous result (``init="results"``), restore.  It runs
  on sampled hours (every contingency) and is extrapolated -- the report says so.
  The same sample is the accuracy check of the screen against ``runpp``.

Copied rows are reported apart, so a ratio per solved row is not inflated by them.
Run ``python -m casa1000.studies.benchmarks.contingency_benchmark`` for a report.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.builder import BuiltNet
from casa1000.grid.params import GridParams
from casa1000.grid.solve import RUNPP_OPTIONS
from casa1000.studies.benchmarks.process import ProcessTiming, machine, time_process
from casa1000.studies.contingency import ContingencyConfig, Screening, prepare, run_contingency
from casa1000.studies.engine.row_solver import (
    MAX_ITER,
    TOLERANCE_PU,
    Level,
    RowSolver,
    SolvedRows,
)
from casa1000.studies.security.contingency_set import Contingency
from casa1000.studies.security.post_contingency import PostState
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class ContingencyBenchmark:
    """Timings [s], row counts, accuracy ([pu], [MW]) and memory [MB]."""

    hours: int
    contingencies: int
    fast_total_s: float
    """The casa1000 screen, the whole study (setup, solve, reduce, assemble)."""
    rows_ac_solved: int
    rows_copied: int
    """Identical to an AC-solved row (unchanged areas, parallel-circuit twins)."""
    lightsim_s: float
    """lightsim2grid directly, every row of the study (solve and branch results)."""
    lightsim_rows: int
    plain_cases: int
    plain_s: float
    compared_cases: int
    convergence_mismatches: int
    max_dvm_pu: float
    max_dp_mw: float
    peak_memory_mb: float

    @property
    def cases(self) -> int:
        """(hour, contingency) rows of the study."""
        return self.hours * self.contingencies

    @property
    def plain_per_case_s(self) -> float:
        """Time of the runpp loop per (hour, contingency) case [s]."""
        return self.plain_s / max(self.plain_cases, 1)

    def lines(self) -> list[str]:
        """Human-readable report."""
        per = self.plain_per_case_s
        return [
            f"study: {self.cases} cases ({self.hours} h x {self.contingencies} contingencies), "
            f"{self.rows_ac_solved} AC-solved, {self.rows_copied} copied (identical rows)",
            f"casa1000 screen (whole study): {self.fast_total_s:.2f} s = "
            f"{1e6 * self.fast_total_s / self.cases:.1f} us per case, "
            f"{1e6 * self.fast_total_s / max(self.rows_ac_solved, 1):.1f} us per AC-solved row",
            f"lightsim2grid ScenarioSweepCPP directly, every row: {self.lightsim_s:.2f} s for "
            f"{self.lightsim_rows} area rows = "
            f"{1e6 * self.lightsim_s / max(self.lightsim_rows, 1):.1f} us per area row "
            f"(casa1000 / lightsim2grid: {self.fast_total_s / self.lightsim_s:.2f}x)",
            f"pandapower runpp loop (init='results'), {self.plain_cases} sampled cases in "
            f"{self.plain_s:.2f} s = {1e3 * per:.1f} ms per case -> {per * self.cases:.0f} s for "
            f"all cases, {per * self.rows_ac_solved:.0f} s for the AC-solved ones only "
            "(extrapolated from the sample)",
            f"speed-up against runpp: {per * self.cases / self.fast_total_s:.0f}x on all cases, "
            f"{per * self.rows_ac_solved / self.fast_total_s:.0f}x counting only rows a plain "
            "loop could not skip either",
            f"accuracy on {self.compared_cases} converged sampled cases: max |dvm| "
            f"{self.max_dvm_pu:.2e} pu, max |dP| {self.max_dp_mw:.2e} MW; "
            f"convergence disagreements: {self.convergence_mismatches}",
            f"peak memory of the process: {self.peak_memory_mb:.0f} MB",
        ]


class RunppLoop:
    """The plain pandapower outage loop on one network (the benchmark's own, not the tests')."""

    def __init__(self, built: BuiltNet, *, q_limits: bool = True) -> None:
        # its own copy: the loop leaves the last case's outages and commitment in its net
        net = copy.deepcopy(built.net)
        self.net = net
        self.q_limits = q_limits
        self.compensator = list(built.index.compensator.values())
        self.line_on = net.line.in_service.to_numpy().copy()
        self.trafo_on = net.trafo.in_service.to_numpy().copy()
        self.gen_on = net.gen.in_service.to_numpy().copy()
        self.shunt_on = net.shunt.in_service.to_numpy().copy()
        self.reactor_line = (
            net.shunt["line"].astype(str).to_numpy()
            if "line" in net.shunt
            else np.full(len(net.shunt), "")
        )
        self.parent = {**built.index.line_parent, **built.index.trafo_parent}

    def solve(self, c: Contingency, inj: PostState, row: int, *, warm: bool) -> bool:
        """Set one hour of one contingency and ``runpp`` it (warm-started or cold); converged."""
        import pandapower as pp

        net = self.net
        net.gen["p_mw"] = inj.inj.gen_p_mw[row]
        net.sgen["p_mw"] = inj.inj.sgen_p_mw[row]
        net.load["p_mw"] = inj.inj.load_p_mw[row]
        net.load["q_mvar"] = inj.inj.load_q_mvar[row]
        # what the engine solves: idle plants do not regulate, running ones are held to the
        # reactive capability of their running units, switched compensation at its setting
        running = np.ones(len(net.gen), dtype=bool)
        if inj.inj.gen_on is not None:
            running = inj.inj.gen_on[row]
        if inj.inj.gen_q_min_mvar is not None and inj.inj.gen_q_max_mvar is not None:
            net.gen["min_q_mvar"] = inj.inj.gen_q_min_mvar[row]
            net.gen["max_q_mvar"] = inj.inj.gen_q_max_mvar[row]
        if inj.inj.shunt_q_mvar is not None:
            for k, i in enumerate(self.compensator):
                net.shunt.at[i, "q_mvar"] = inj.inj.shunt_q_mvar[row, k]
        lines = net.line.name.isin(c.branches).to_numpy()
        trafos = net.trafo.name.isin(c.branches).to_numpy()
        parents = {self.parent[b] for b in c.branches}
        reactors = np.isin(self.reactor_line, list(parents))
        tripped = net.gen.name.isin(c.plants).to_numpy()
        net.line["in_service"] = self.line_on & ~lines
        net.trafo["in_service"] = self.trafo_on & ~trafos
        net.shunt["in_service"] = self.shunt_on & ~reactors
        net.gen["in_service"] = self.gen_on & running & ~tripped
        options = dict(RUNPP_OPTIONS, enforce_q_lims=self.q_limits)
        warm = warm and bool(len(net.res_bus)) and bool(net.res_bus.vm_pu.notna().all())
        options["init"] = "results" if warm else "dc"
        with warnings.catch_warnings():
            # a warm start from a stressed case can meet a singular Jacobian on its way
            warnings.simplefilter("ignore")
            try:
                pp.runpp(net, **options)
                return True
            except pp.LoadflowNotConverged:
                return False


def lightsim_every_row(scr: Screening, hours: slice) -> tuple[float, int]:
    """Solve every (hour, contingency) row with ``ScenarioSweepCPP``, nothing copied.

    Returns
    -------
    tuple
        Solve time (C++ batches and branch results) [s] and area rows solved.
    """
    from lightsim2grid.lightsim2grid_cpp import ScenarioSweepCPP

    solver = RowSolver(scr.batch)
    post = scr.post(hours)
    n_ext = solver.n_ext
    n_line = scr.batch.n_line
    elapsed = 0.0
    rows = 0
    for c in scr.contingencies:
        st = post.state(c)
        # the model inputs as the engine builds them (loads padded with the reactive-limit
        # proxies); the bare sweep keeps every generator regulating, without limits
        inputs = scr.batch.sweep_rows(st.inj)
        for topo in solver.areas:
            area = topo.area
            shunts = tuple(s for s in st.shunts_out if s in topo.shunts)
            island = tuple(int(b) for b in area.bus[st.island_bus[area.bus]])
            # one model per setting of the switched compensation, as the engine solves them
            for setting, sel in scr.batch.settings(topo.index, st.inj):
                n = sel.size
                out = np.broadcast_to(st.branch_out & topo.has_branch, (n, solver.n_branch))
                started = time.perf_counter()
                sweep = ScenarioSweepCPP(solver.model(topo.index, (shunts, island), setting))
                sweep.handle_disconnected_grid = True
                sweep.nb_thread = solver.threads
                if out.any():
                    sweep.set_contingency_lines(np.ascontiguousarray(out[:, :n_line]))
                    sweep.set_contingency_trafos(np.ascontiguousarray(out[:, n_line:]))
                gen_out = np.concatenate([st.gen_out, np.zeros(n_ext, bool)]) & topo.has_gen
                if gen_out.any():
                    sweep.set_contingency_gens(
                        np.ascontiguousarray(np.broadcast_to(gen_out, (n, gen_out.size)))
                    )
                sweep.modify_gen_p(np.ascontiguousarray(inputs.gen_p_mw[sel]))
                if inputs.sgen_p_mw.shape[1]:
                    sweep.modify_sgen_p(np.ascontiguousarray(inputs.sgen_p_mw[sel]))
                sweep.modify_load_p(np.ascontiguousarray(inputs.load_p_mw[sel]))
                sweep.modify_load_q(np.ascontiguousarray(inputs.load_q_mvar[sel]))
                sweep.compute(area.v0, MAX_ITER, TOLERANCE_PU)
                sweep.compute_branch_results()
                elapsed += time.perf_counter() - started
                rows += n
    return elapsed, rows


def benchmark_contingency(
    params: GridParams,
    profiles: xr.Dataset,
    config: ContingencyConfig | None = None,
    *,
    fast_total_s: float | None = None,
    sample_hours: int = 4,
    seed: int = 0,
) -> ContingencyBenchmark:
    """Time the screen, lightsim2grid directly and the runpp loop; check against runpp.

    Parameters
    ----------
    params
        The network.
    profiles
        Hourly profiles (the same as the study's).
    config
        The study settings (months, limits, contingency set).
    fast_total_s
        Wall time of the study measured by the caller [s]; measured here if None.
    sample_hours
        Hours sampled for the runpp loop; every contingency is run in each.
    seed
        Seed of the sample.

    Returns
    -------
    ContingencyBenchmark
        Timings, extrapolation and accuracy.
    """
    import lightsim2grid.lightsim2grid_cpp  # noqa: F401  (imports are not what is timed)
    import pandapower  # noqa: F401

    config = config or ContingencyConfig()
    started = time.perf_counter()
    ds = run_contingency(params, profiles, config)
    measured = time.perf_counter() - started
    profiles = select_hours(profiles, config.months)
    hours = profiles.sizes["time"]
    scr = prepare(params, inputs_from_profiles(params, profiles), config)
    lightsim_s, lightsim_rows = lightsim_every_row(scr, slice(0, hours))
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(hours, size=min(sample_hours, hours), replace=False))
    sub = scr.post(sample)
    cs = scr.contingencies
    states = [sub.state(c) for c in cs]
    level = Level(RowSolver(scr.batch, keep_p_from=True), states[0])
    every = np.arange(sample.size)
    results = level.solve([(st, every) for st in states])
    loop = RunppLoop(scr.built, q_limits=scr.batch.q_limits)
    dvm = dp = 0.0
    compared = mismatches = cases = 0
    plain_s = 0.0
    for h in range(sample.size):
        for c, st in zip(cs, states, strict=True):
            t0 = time.perf_counter()
            loop.solve(c, st, h, warm=True)
            plain_s += time.perf_counter() - t0
            cases += 1
    # accuracy against a cold start (a warm start may land on the low-voltage solution)
    for h in range(sample.size):
        for c, st, res in zip(cs, states, results, strict=True):
            ok = loop.solve(c, st, h, warm=False)
            check = _compare(loop, res, h, ok)
            if check is None:
                mismatches += 1
            elif check[0]:
                dvm, dp = max(dvm, check[1]), max(dp, check[2])
                compared += 1
    a = ds.attrs
    return ContingencyBenchmark(
        hours=hours,
        contingencies=len(cs),
        fast_total_s=measured if fast_total_s is None else fast_total_s,
        rows_ac_solved=int(a["cases_ac_solved"]),
        rows_copied=int(a["cases_identical_copied"]) + int(a["cases_symmetric_twin"]),
        lightsim_s=lightsim_s,
        lightsim_rows=lightsim_rows,
        plain_cases=cases,
        plain_s=plain_s,
        compared_cases=compared,
        convergence_mismatches=mismatches,
        max_dvm_pu=dvm,
        max_dp_mw=dp,
        peak_memory_mb=peak_memory_mb(),
    )


def _compare(
    loop: RunppLoop, res: SolvedRows, h: int, ok: bool
) -> tuple[bool, float, float] | None:
    """Compare a case: (compared, max |dvm|, max |dP|); None if they disagree on convergence."""
    if ok != bool(res.converged[h]):
        return None
    if not ok:
        return (False, 0.0, 0.0)
    net = loop.net
    vm = net.res_bus.vm_pu.to_numpy()
    live = ~np.isnan(vm)
    p = np.concatenate([net.res_line.p_from_mw.to_numpy(), net.res_trafo.p_hv_mw.to_numpy()])
    assert res.p_from_mw is not None
    return (
        True,
        float(np.nanmax(np.abs(vm - res.vm_pu[h])[live])),
        float(np.nanmax(np.abs(np.nan_to_num(p) - res.p_from_mw[h]))),
    )


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark report of the reference network's year."""
    from casa1000.grid.reference import load_reference
    from casa1000.profiles.build import build_profiles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", default="", help="months to study, e.g. 7 or 5,6 (all)")
    parser.add_argument("--sample", type=int, default=4, help="hours of the runpp loop")
    parser.add_argument("--process-runs", type=int, default=3, help="runs of the process")
    args = parser.parse_args(argv)
    months = tuple(int(m) for m in args.months.split(",") if m)
    params = load_reference("as_built")
    profiles = build_profiles(year=2027, converter_limit_mw=params.hvdc.rating_mw)
    report = benchmark_contingency(
        params, profiles, ContingencyConfig(months=months), sample_hours=args.sample
    )
    lines = [*machine(), *report.lines()]
    if args.process_runs:
        lines.append(contingency_process(months, args.process_runs).line())
    for line in lines:
        print(line)


def contingency_process(months: tuple[int, ...], runs: int) -> ProcessTiming:
    """``casa1000 study contingency`` as a whole process (build, screen, write)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "casa1000", "--quiet", "study", "contingency"]
        command += ["--out", str(Path(tmp) / "c")]
        label = "whole process: casa1000 study contingency"
        if months:
            command += ["--months", ",".join(str(m) for m in months)]
            label += f" --months {','.join(str(m) for m in months)}"
        return time_process(label, command, runs=runs)


if __name__ == "__main__":
    main()
