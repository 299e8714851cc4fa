"""The contingency screen against the plain pandapower way, timed and checked in the same run.

The plain way is the outage loop a pandapower user writes: for each hour, for
each contingency, set the post-contingency injections and topology on one
network, ``runpp``, read the results, restore.  It runs on a random sample of
hours (all contingencies) and its time is extrapolated to the full study -- the
report says so.  The same sample is the accuracy oracle: the batch results of
the sampled (hour, contingency) pairs are compared with ``runpp``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.builder import BuiltNet
from casa1000.grid.params import GridParams
from casa1000.grid.solve import run_ac
from casa1000.studies.contingency import ContingencyConfig, prepare
from casa1000.studies.engine.contingency_sweep import Status
from casa1000.studies.security.post_contingency import PostState
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.run_facts import peak_memory_mb
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles


@dataclass(frozen=True, kw_only=True)
class ContingencyBenchmark:
    """Timings [s], sample sizes, accuracy ([pu], [MW]) and memory [MB]."""

    hours: int
    contingencies: int
    fast_total_s: float
    plain_cases: int
    plain_s: float
    compared_cases: int
    convergence_mismatches: int
    max_dvm_pu: float
    max_dp_mw: float
    peak_memory_mb: float

    @property
    def plain_total_s(self) -> float:
        """The plain loop extrapolated to every (hour, contingency) pair [s]."""
        return self.plain_s / max(self.plain_cases, 1) * self.hours * self.contingencies

    @property
    def ratio(self) -> float:
        """How many times faster the batch screen is (extrapolated)."""
        return self.plain_total_s / self.fast_total_s

    def lines(self) -> list[str]:
        """Human-readable report."""
        cases = self.hours * self.contingencies
        return [
            f"batch AC screen: {cases} cases ({self.hours} h x {self.contingencies} "
            f"contingencies) in {self.fast_total_s:.2f} s",
            f"plain pandapower runpp outage loop: {self.plain_cases} sampled cases in "
            f"{self.plain_s:.2f} s = {1e3 * self.plain_s / max(self.plain_cases, 1):.1f} ms/case "
            f"-> {self.plain_total_s:.0f} s for all cases (extrapolated from the sample)",
            f"speed-up: {self.ratio:.0f}x (extrapolated)",
            f"accuracy on {self.compared_cases} converged sampled cases: max |dvm| "
            f"{self.max_dvm_pu:.2e} pu, max |dP| {self.max_dp_mw:.2e} MW; "
            f"convergence disagreements: {self.convergence_mismatches}",
            f"peak memory of the process: {self.peak_memory_mb:.0f} MB",
        ]


def _in_service_by_params(built: BuiltNet) -> dict[str, npt.NDArray[np.bool_]]:
    """In-service flags the parameters give each table (an outage only removes more)."""
    params, ix, net = built.params, built.index, built.net
    lines = {ln.id: ln.in_service for ln in params.lines}
    lines |= {t.id: t.in_service for t in params.ties}
    trafos = {t.id: t.in_service for t in params.trafos}
    plants = {p.id: p.in_service for p in params.plants}
    shunts = {s.id: s.in_service and lines.get(s.line or "", True) for s in params.shunts}
    return {
        "line": np.array([lines[ix.line_parent[str(n)]] for n in net.line.name], dtype=bool),
        "trafo": np.array([trafos[ix.trafo_parent[str(n)]] for n in net.trafo.name], dtype=bool),
        "gen": np.array([plants[str(n)] for n in net.gen.name], dtype=bool),
        "shunt": np.array([shunts[str(n)] for n in net.shunt.name], dtype=bool),
    }


def apply_state(built: BuiltNet, state: PostState, row: int) -> None:
    """Write row ``row`` of a post-contingency state into ``built.net`` (in place).

    Sets generator, static generator and load powers and takes the state's
    branches, tripped generators, line reactors and islanded elements out of
    service (pandapower de-energises islands itself).
    """
    net = built.net
    inj = state.inj
    # what the parameters put out of service stays out; the state only removes more
    live = _in_service_by_params(built)
    net.gen["p_mw"] = inj.gen_p_mw[row]
    net.sgen["p_mw"] = inj.sgen_p_mw[row]
    net.load["p_mw"] = inj.load_p_mw[row]
    net.load["q_mvar"] = inj.load_q_mvar[row]
    n_line = len(net.line)
    net.line["in_service"] = live["line"] & ~state.branch_out[:n_line]
    net.trafo["in_service"] = live["trafo"] & ~state.branch_out[n_line:]
    net.gen["in_service"] = live["gen"] & ~state.gen_out
    shunt_on = live["shunt"].copy()
    shunt_on[list(state.shunts_out)] = False
    net.shunt["in_service"] = shunt_on


def benchmark_contingency(
    params: GridParams,
    profiles: xr.Dataset,
    config: ContingencyConfig | None = None,
    *,
    fast_total_s: float,
    sample_hours: int = 4,
    seed: int = 0,
) -> ContingencyBenchmark:
    """Time the plain runpp outage loop on sampled hours and check the batch against it.

    Parameters
    ----------
    params
        The network.
    profiles
        Hourly profiles (the same as the study's).
    config
        The study settings (months, limits, contingency set).
    fast_total_s
        Wall time of the batch study measured in this run [s].
    sample_hours
        Hours sampled; every contingency is run in each.
    seed
        Seed of the sample.

    Returns
    -------
    ContingencyBenchmark
        Timings, extrapolation and accuracy.
    """
    config = config or ContingencyConfig()
    profiles = select_hours(profiles, config.months)
    hours = profiles.sizes["time"]
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(hours, size=min(sample_hours, hours), replace=False))
    sub = profiles.isel(time=sample)
    scr = prepare(params, inputs_from_profiles(params, sub), config)
    cs = scr.contingencies
    states = [scr.post.state(c) for c in cs]
    res = scr.sweep.run(lambda j: states[j], len(cs), twins=scr.twins, keep_elements=True)
    assert res.vm is not None and res.p_from_mw is not None
    built = scr.built
    dvm = dp = 0.0
    compared = mismatches = cases = 0
    started = time.perf_counter()
    for h in range(sample.size):
        for j, st in enumerate(states):
            apply_state(built, st, h)
            ok, _ = run_ac(built)
            cases += 1
            batch_ok = res.status[h, j] == Status.CONVERGED
            if ok != batch_ok:
                mismatches += 1
                continue
            if not ok:
                continue
            net = built.net
            vm = net.res_bus.vm_pu.to_numpy()
            live = ~np.isnan(vm)
            dvm = max(dvm, float(np.nanmax(np.abs(vm - res.vm[h, j])[live])))
            p = np.concatenate(
                [net.res_line.p_from_mw.to_numpy(), net.res_trafo.p_hv_mw.to_numpy()]
            )
            dp = max(dp, float(np.nanmax(np.abs(np.nan_to_num(p) - res.p_from_mw[h, j]))))
            compared += 1
    plain_s = time.perf_counter() - started
    return ContingencyBenchmark(
        hours=hours,
        contingencies=len(cs),
        fast_total_s=fast_total_s,
        plain_cases=cases,
        plain_s=plain_s,
        compared_cases=compared,
        convergence_mismatches=mismatches,
        max_dvm_pu=dvm,
        max_dp_mw=dp,
        peak_memory_mb=peak_memory_mb(),
    )
