"""The plain transfer-capability method, kept slow and simple as the reference of the search.

Full AC N-1 at zero export and at the ceiling for every hour and contingency, the
linear estimate from them, then full AC N-1 at the estimate, one step above it,
and at every bisection step -- the method of casa1000 before the knowledge-based
search (``studies/transfer_search.py``), which must give the same capabilities.
It shares the row solver and the security rule with the product (they have their
own oracles: runpp and the rule's docstring); what it checks is the search.

``python -m pytest tests/studies/test_transfer.py`` with ``CASA1000_REGENERATE=1``
regenerates the stored July reference (``tests/data/transfer_july_2027.csv``) with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.contingency import ContingencyConfig, prepare
from casa1000.studies.engine.row_solver import RowSolver, SolvedRows
from casa1000.studies.security.post_contingency import PostContingency
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles
from casa1000.studies.transfer_capability import TransferConfig, export_direction
from casa1000.studies.transfer_rules import Limiter, Reference, SecurityRule

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class ReferenceResult:
    """Per hour: capability [MW], estimate [MW], tier, limiter, limiting contingency id."""

    capability_mw: FloatArray
    estimate_mw: FloatArray
    tier: npt.NDArray[np.int8]
    limiter: npt.NDArray[np.int8]
    limiting_contingency: list[str]


def reference_transfer(
    params: GridParams, profiles: xr.Dataset, config: TransferConfig
) -> ReferenceResult:
    """Run the plain method on every hour of ``profiles``."""
    profiles = select_hours(profiles, config.months)
    shares, ceiling = export_direction(params, config)
    hours = profiles.sizes["time"]
    top = inputs_from_profiles(params, profiles, np.full(hours, ceiling), shares=shares)
    scr = prepare(params, top, ContingencyConfig(limits=config.limits))
    cs = scr.contingencies
    n_c = len(cs)
    solver = RowSolver(scr.batch)
    rule = SecurityRule(
        config.limits,
        config.distribution_factor_cutoff,
        ceiling,
        scr.batch.rating_mva,
        voltage_cutoff_pu_per_100mw=config.voltage_cutoff_pu_per_100mw,
    )
    every = np.arange(hours)

    def level(rows: npt.NDArray[np.int64], export: FloatArray) -> list[SolvedRows]:
        inputs = inputs_from_profiles(params, profiles.isel(time=rows), export, shares=shares)
        post = PostContingency(scr.built, inputs)
        lev = solver.level(post.state(cs[0]))
        return lev.solve([(post.state(c), np.arange(rows.size)) for c in cs])

    zero = level(every, np.zeros(hours))
    high = level(every, np.full(hours, ceiling))
    refs = [rule.reference(z, t) for z, t in zip(zero, high, strict=True)]
    crossing = np.full((hours, n_c), np.inf)
    cross_kind = np.zeros((hours, n_c), dtype=np.int8)
    for j in range(n_c):
        crossing[:, j], _, cross_kind[:, j] = rule.crossings(refs[j], high[j])
    c_lin = crossing.argmin(axis=1)
    first = crossing[every, c_lin]
    estimate = np.floor(np.clip(np.minimum(first, ceiling), 0.0, ceiling))
    lim_c = c_lin.copy()
    lim_k = np.where(np.isfinite(first), cross_kind[every, c_lin], Limiter.CEILING).astype(np.int8)

    def n1(rows: npt.NDArray[np.int64], export: FloatArray) -> tuple[np.ndarray, np.ndarray]:
        """(rows,) insecure, and the most severe insecure contingency and its kind."""
        sev = np.full((rows.size, n_c), -np.inf)
        kind = np.zeros((rows.size, n_c), dtype=np.int8)
        for j, res in enumerate(level(rows, export)):
            ref = refs[j]
            v = rule.verdicts(
                res,
                Reference(
                    converged=ref.converged[rows],
                    loading_percent=ref.loading_percent[rows],
                    vm_pu=ref.vm_pu[rows],
                    moves=ref.moves[rows],
                    bus_moves=ref.bus_moves[rows],
                ),
            )
            sev[:, j] = np.where(v.insecure, v.severity, -np.inf)
            kind[:, j] = v.kind
        worst = sev.argmax(axis=1)
        bad = (sev > -np.inf).any(axis=1)
        return bad, np.stack([worst, kind[np.arange(rows.size), worst]])

    def note(rows: npt.NDArray[np.int64], bad: np.ndarray, worst: np.ndarray) -> None:
        lim_c[rows[bad]] = worst[0][bad]
        lim_k[rows[bad]] = worst[1][bad]

    failed, worst = n1(every, estimate)
    note(every, failed, worst)
    lo = np.where(failed, 0.0, estimate)
    hi = np.where(failed, estimate, np.inf)
    climbing = np.zeros(hours, dtype=bool)
    probe_h = np.flatnonzero(~failed & (estimate + config.resolution_mw <= ceiling))
    if probe_h.size:
        probe = estimate[probe_h] + config.resolution_mw
        up, _ = n1(probe_h, probe)
        climb = probe_h[~up]
        lo[climb], hi[climb] = probe[~up], ceiling
        climbing[climb] = True
    refine = np.flatnonzero(failed | climbing)
    steps = 0
    while refine.size and steps < 20:
        steps += 1
        trial = np.floor(0.5 * (lo[refine] + hi[refine]))
        bad, worst = n1(refine, trial)
        lo[refine] = np.where(bad, lo[refine], trial)
        hi[refine] = np.where(bad, trial, hi[refine])
        note(refine, bad, worst)
        refine = refine[(hi[refine] - lo[refine]) > config.resolution_mw]
    ids = [c.id for c in cs]
    return ReferenceResult(
        capability_mw=np.where(failed | climbing, lo, estimate),
        estimate_mw=estimate,
        tier=np.where(failed | climbing, 3, 1).astype(np.int8),
        limiter=lim_k,
        limiting_contingency=[
            "" if k == Limiter.CEILING else ids[c] for c, k in zip(lim_c, lim_k, strict=True)
        ],
    )
