"""Secure transfer capability: the largest CASA export that is N-1 secure, hour by hour.

The export is the total sent at the sending end (HVDC plus, as built, the Afghan
corridor), split pro rata to the contracted PK and AF capacities, and dispatched
by the seasonal rule (:func:`~casa1000.grid.schedule.make_schedule`).  An export
is secure in an hour when the base case and every contingency of the screening
set converge within the limits.  Violations the transfer does not cause do not
limit it (as in the seasonal study's curtailment and MUST's FCITC): a branch
limits only if the transfer moves it -- its distribution factor
``|dS/dT|`` between zero export and the ceiling is at least
``distribution_factor_cutoff`` -- and then only beyond the larger of its limit
and its loading at zero export; a bus voltage likewise only beyond the band
widened to its zero-export value.  A case that does not converge at zero export,
is counted (``preexisting_violations``) but does not limit the transfer; load
islanded by the outage is not a transfer limit either (see the contingency
study).  These rules are monotone: a tighter limit never raises the capability.

Method (tiers):

1. **Linear** -- every hour and contingency is AC-solved at zero export and at
   the ceiling; each branch loading and bus voltage is interpolated linearly
   between the two to find the export at which it first crosses its limit.  The
   smallest crossing over elements and contingencies is the estimate, with its
   limiting element and contingency (FCITC-style).
2. **AC verification** -- base case and every contingency are AC-solved at the
   estimate of every hour, and, where it passes, one ``resolution_mw`` above it.
   Hours secure at the estimate and insecure one step above are done.
3. **Refinement** -- an hour that fails at its estimate is bisected downwards,
   one still secure above it upwards (up to the ceiling), with full AC N-1 at
   each step until the interval is narrower than ``resolution_mw``; the limiting
   element and contingency are then those of the first insecure export.

A case that does not converge at a tried export (but did at zero) makes it
insecure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.builder import BuiltNet
from casa1000.grid.params import GridParams
from casa1000.studies.contingency import ContingencyConfig, prepare
from casa1000.studies.engine.contingency_sweep import Status, Twin
from casa1000.studies.security.contingency_set import Contingency
from casa1000.studies.security.limits import Limits
from casa1000.studies.security.post_contingency import PostContingency
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles
from casa1000.studies.spine.schema import DatasetSchema, VariableSpec
from casa1000.studies.spine.study import Progress, StudySpec, StudySummary

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


class Limiter(IntEnum):
    """What limits the transfer in an hour."""

    CEILING = 0
    """Nothing up to the ceiling (the link and corridor ratings)."""
    THERMAL = 1
    UNDERVOLTAGE = 2
    OVERVOLTAGE = 3
    NONCONVERGENCE = 4


class TransferDirection(StrEnum):
    """Which offtake the transfer raises."""

    TOTAL = "total"
    """The whole CASA export, split pro rata to the PK and AF contracts."""
    PAKISTAN = "pakistan"
    """Only the export to Pakistan (no Afghan offtake)."""
    AFGHANISTAN = "afghanistan"
    """Only the Afghan offtake (nothing to Pakistan)."""


@dataclass(frozen=True, kw_only=True)
class TransferConfig:
    """Settings of the transfer-capability study.

    Parameters
    ----------
    months
        Months (1-12) to study; all by default.
    limits
        Thermal [%] and voltage [pu] limits.
    direction
        Which offtake the transfer raises.
    ceiling_mw
        Largest export tried [MW, sending end]; by default the contracted
        capacity in that direction: PK plus AF 1,300 MW; to Pakistan alone the
        HVDC rating; to Afghanistan alone its 300 MW contract.
    resolution_mw
        Width of the bisection interval at which refinement stops [MW].
    distribution_factor_cutoff
        Smallest change of a branch's flow per MW of export (both in MVA/MW)
        for which the branch can limit the transfer [-].
    min_unit_mw, min_plant_mw, groups_file, include_groups
        The contingency set (see
        :func:`~casa1000.studies.security.contingency_set.define_contingencies`).
    threads
        Worker threads of the batch solver.
    group_size
        Contingencies solved together with their element arrays kept (bounds memory).
    """

    months: tuple[int, ...] = ()
    limits: Limits = field(default_factory=Limits)
    direction: TransferDirection = TransferDirection.TOTAL
    ceiling_mw: float | None = None
    resolution_mw: float = 10.0
    min_unit_mw: float = 100.0
    min_plant_mw: float = 1000.0
    groups_file: Path | None = None
    include_groups: bool = True
    distribution_factor_cutoff: float = 0.03
    threads: int = 2
    group_size: int = 12

    def __post_init__(self) -> None:
        if self.ceiling_mw is not None and not self.ceiling_mw > 0:
            raise InputError("--ceiling-mw", "ceiling_mw", self.ceiling_mw, "an export > 0 MW")
        if not self.resolution_mw > 0:
            raise InputError(
                "--resolution-mw", "resolution_mw", self.resolution_mw, "a step > 0 MW"
            )
        if self.group_size < 2:
            raise InputError("group_size", "group_size", self.group_size, "2 or more")


SCHEMA = DatasetSchema(
    name="transfer",
    title="casa1000 secure transfer capability",
    version=1,
    coords={
        "time": VariableSpec(
            dims=("time",), dtype="datetime64[ns]", long_name="hour (local UTC+05:00)"
        ),
        "contingency": VariableSpec(dims=("contingency",), dtype="str", long_name="contingency id"),
        "contingency_kind": VariableSpec(
            dims=("contingency",), dtype="str", long_name="contingency kind"
        ),
    },
    variables={
        "transfer_capability_mw": VariableSpec(
            dims=("time",), long_name="largest N-1 secure export (sending end)", units="MW"
        ),
        "linear_estimate_mw": VariableSpec(
            dims=("time",), long_name="tier-1 linear estimate of the capability", units="MW"
        ),
        "limiting_contingency": VariableSpec(
            dims=("time",), long_name="contingency that limits the transfer", dtype="str"
        ),
        "limiting_element": VariableSpec(
            dims=("time",), long_name="branch or bus that limits the transfer", dtype="str"
        ),
        "limiter": VariableSpec(
            dims=("time",), long_name="what limits the transfer", dtype="int8", flags=Limiter
        ),
        "tier": VariableSpec(
            dims=("time",),
            long_name="1: linear estimate AC-verified; 3: refined by AC bisection",
            units="1",
            dtype="int8",
        ),
        "diverges_at_ceiling": VariableSpec(
            dims=("time",),
            long_name="a contingency stops converging below the ceiling",
            dtype="bool",
        ),
        "export_available_mw": VariableSpec(
            dims=("time",), long_name="export available from the profiles", units="MW"
        ),
        "crossing_mw": VariableSpec(
            dims=("time", "contingency"),
            long_name="linear export at which the contingency first violates a limit",
            units="MW",
        ),
        "preexisting_violations": VariableSpec(
            dims=("time", "contingency"),
            long_name="violations (and non-convergence) already present at zero export",
            units="1",
            dtype="int16",
        ),
    },
)
"""The declared transfer-capability result."""


@dataclass(kw_only=True)
class _Level:
    """AC N-1 at one export level: per (hour, contingency) verdicts and the limiting element."""

    insecure: BoolArray
    severity: FloatArray
    element: IntArray
    kind: npt.NDArray[np.int8]


class _Study:
    def __init__(self, params: GridParams, profiles: xr.Dataset, config: TransferConfig) -> None:
        self.params = params
        self.profiles = profiles
        self.config = config
        contract = params.contract
        self.shares: dict[str, float] | None = {
            TransferDirection.TOTAL: None,
            TransferDirection.PAKISTAN: {"PK": 1.0, "AF": 0.0},
            TransferDirection.AFGHANISTAN: {"PK": 0.0, "AF": 1.0},
        }[config.direction]
        default_ceiling = {
            TransferDirection.TOTAL: contract.pakistan_mw + contract.afghanistan_mw,
            TransferDirection.PAKISTAN: params.hvdc.rating_mw,
            TransferDirection.AFGHANISTAN: contract.afghanistan_mw,
        }[config.direction]
        self.ceiling = default_ceiling if config.ceiling_mw is None else config.ceiling_mw
        hours = profiles.sizes["time"]
        top = inputs_from_profiles(
            params, profiles, np.full(hours, self.ceiling), shares=self.shares
        )
        screening = prepare(
            params,
            top,
            ContingencyConfig(
                limits=config.limits,
                min_unit_mw=config.min_unit_mw,
                min_plant_mw=config.min_plant_mw,
                groups_file=config.groups_file,
                include_groups=config.include_groups,
                threads=config.threads,
            ),
        )
        self.built: BuiltNet = screening.built
        self.contingencies: tuple[Contingency, ...] = screening.contingencies
        self.twins = screening.twins
        self.sweep = screening.sweep
        self.n_branch = self.sweep.n_branch
        self.rating_mva = self.sweep.batch.rating_mva
        self.rows_solved = 0
        n = len(self.contingencies)
        size = config.group_size
        self.groups = [[0, *range(lo, min(n, lo + size - 1))] for lo in range(1, n, size - 1)]

    def _group_twins(self, group: list[int]) -> dict[int, Twin]:
        local = {g: i for i, g in enumerate(group)}
        return {
            local[j]: (local[j0], perm)
            for j, (j0, perm) in self.twins.items()
            if j in local and j0 in local
        }

    def post(self, hours: IntArray, export_mw: FloatArray) -> PostContingency:
        """Post-contingency states of ``hours`` at ``export_mw``, built once per export level."""
        inputs = inputs_from_profiles(
            self.params, self.profiles.isel(time=hours), export_mw, shares=self.shares
        )
        return PostContingency(self.built, inputs)

    def solve(
        self, post: PostContingency, group: list[int]
    ) -> tuple[BoolArray, FloatArray, FloatArray]:
        """(rows, group) converged, (rows, group, branches) loading, (rows, group, buses) vm."""
        res = self.sweep.run(
            lambda j: post.state(self.contingencies[group[j]]),
            len(group),
            twins=self._group_twins(group),
            keep_elements=True,
        )
        self.rows_solved += int(res.solved.sum())
        assert res.loading is not None and res.vm is not None
        return res.status == Status.CONVERGED, res.loading, res.vm

    def level(
        self,
        hours: IntArray,
        export_mw: FloatArray,
        zero: dict[int, tuple[npt.NDArray[np.generic], ...]],
    ) -> _Level:
        """Verdicts at ``export_mw`` against the zero-export state ``zero`` of each group."""
        lim = self.config.limits
        n_c = len(self.contingencies)
        insecure = np.zeros((hours.size, n_c), dtype=bool)
        severity = np.zeros((hours.size, n_c))
        element = np.full((hours.size, n_c), -1, dtype=np.int64)
        kind = np.zeros((hours.size, n_c), dtype=np.int8)
        half = 0.5 * (lim.vmax_pu - lim.vmin_pu)
        post = self.post(hours, export_mw)
        for gi, group in enumerate(self.groups):
            ok, loading, vm = self.solve(post, group)
            ok0, l0, v0, moves = (a[hours] for a in zero[gi])
            tol = 1e-6
            with np.errstate(invalid="ignore"):
                allowed = np.maximum(lim.thermal_percent, l0)
                excess = np.concatenate(
                    [
                        np.where(moves, (loading - allowed - tol) / lim.thermal_percent, 0.0),
                        (np.minimum(lim.vmin_pu, v0) - vm - tol) / half,
                        (vm - np.maximum(lim.vmax_pu, v0) - tol) / half,
                    ],
                    axis=2,
                )
            excess = np.nan_to_num(excess, nan=0.0)
            worst = excess.argmax(axis=2)
            value = np.take_along_axis(excess, worst[:, :, None], axis=2)[:, :, 0]
            diverged = np.asarray(ok0, dtype=bool) & ~ok
            bad = diverged | (value > 1e-9)
            cols = np.array(group)
            insecure[:, cols] = bad
            severity[:, cols] = np.where(diverged, np.inf, value)
            nb, nu = self.n_branch, vm.shape[2]
            element[:, cols] = np.where(worst < nb, worst, (worst - nb) % nu + nb)
            kind[:, cols] = np.where(
                diverged,
                Limiter.NONCONVERGENCE,
                np.where(
                    worst < nb,
                    Limiter.THERMAL,
                    np.where(worst < nb + nu, Limiter.UNDERVOLTAGE, Limiter.OVERVOLTAGE),
                ),
            )
        return _Level(insecure=insecure, severity=severity, element=element, kind=kind)


def run_transfer(
    params: GridParams,
    profiles: xr.Dataset,
    config: TransferConfig | None = None,
    *,
    progress: Progress | None = None,
) -> xr.Dataset:
    """Secure transfer capability of every hour of ``profiles``.

    Parameters
    ----------
    params
        The (validated) network.
    profiles
        Hourly profiles.
    config
        Study settings.
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    xarray.Dataset
        Dims ``time`` and ``contingency``: ``transfer_capability_mw`` with
        ``limiting_contingency``, ``limiting_element`` and ``limiter`` per hour,
        the linear estimate and per-contingency crossing exports, the tier that
        settled each hour; tier counts and provenance in the attrs.

    Raises
    ------
    InputError
        If a month or the groups file is invalid.
    """
    inputs = StudyInputs(scenario=Scenario.given(params), params=params, profiles=profiles)
    return execute(SPEC, inputs, config, progress=progress).dataset


def _run(inputs: StudyInputs, config: TransferConfig, report: Progress) -> xr.Dataset:
    params = inputs.params
    profiles = select_hours(inputs.profiles, config.months)
    study = _Study(params, profiles, config)
    lim = config.limits
    hours = profiles.sizes["time"]
    every = np.arange(hours)
    n_c = len(study.contingencies)
    nb = study.n_branch
    crossing = np.full((hours, n_c), np.inf)
    cross_elem = np.full((hours, n_c), -1, dtype=np.int64)
    cross_kind = np.zeros((hours, n_c), dtype=np.int8)
    zero: dict[int, tuple[npt.NDArray[np.generic], ...]] = {}
    preexisting = np.zeros((hours, n_c), dtype=np.int64)
    post_zero = study.post(every, np.zeros(hours))
    post_top = study.post(every, np.full(hours, study.ceiling))
    for gi, group in enumerate(study.groups):
        report("linear", gi / len(study.groups))
        ok0, l0, v0 = study.solve(post_zero, group)
        ok1, l1, v1 = study.solve(post_top, group)
        rating = study.rating_mva[None, None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            moves = (
                np.abs(l1 - l0) / 100 * rating / study.ceiling >= config.distribution_factor_cutoff
            )
            allowed = np.maximum(lim.thermal_percent, l0)
            low = np.minimum(lim.vmin_pu, v0)
            high = np.maximum(lim.vmax_pu, v0)
            zero[gi] = (ok0, l0.astype(np.float32), v0.astype(np.float32), moves)
            cols = np.array(group)
            preexisting[:, cols] = (
                (l0 > lim.thermal_percent).sum(2)
                + (v0 < lim.vmin_pu).sum(2)
                + (v0 > lim.vmax_pu).sum(2)
                + ~ok0
            )
            # export at which each element reaches its limit, by linear interpolation
            frac = np.concatenate(
                [
                    np.where(moves & (l1 > allowed), (allowed - l0) / (l1 - l0), np.inf),
                    np.where(v1 < low, (v0 - low) / (v0 - v1), np.inf),
                    np.where(v1 > high, (high - v0) / (v1 - v0), np.inf),
                ],
                axis=2,
            )
        frac = np.where(np.isnan(frac), np.inf, frac)
        arg = frac.argmin(axis=2)
        first = np.take_along_axis(frac, arg[:, :, None], axis=2)[:, :, 0]
        nu = v0.shape[2]
        diverges = ok0 & ~ok1
        crossing[:, cols] = np.where(diverges, np.inf, first * study.ceiling)
        cross_elem[:, cols] = np.where(arg < nb, arg, (arg - nb) % nu + nb)
        cross_kind[:, cols] = np.where(
            arg < nb,
            Limiter.THERMAL,
            np.where(arg < nb + nu, Limiter.UNDERVOLTAGE, Limiter.OVERVOLTAGE),
        )
        cross_kind[:, cols] = np.where(np.isfinite(first), cross_kind[:, cols], Limiter.CEILING)
        # a case that diverges at the ceiling but not at zero is bisected by the AC tiers
        cross_kind[:, cols] = np.where(diverges, Limiter.NONCONVERGENCE, cross_kind[:, cols])
    linear_rows = study.rows_solved
    c_lin = crossing.argmin(axis=1)
    estimate = np.minimum(crossing[every, c_lin], study.ceiling)
    estimate = np.floor(np.clip(estimate, 0.0, study.ceiling))
    diverging_hour = (cross_kind == Limiter.NONCONVERGENCE).any(axis=1)

    # tier 2: AC verification at the linear estimate
    report("verify", 0.0)
    capability = estimate.copy()
    lim_c = c_lin.copy()
    lim_e = cross_elem[every, c_lin]
    lim_k = np.where(
        np.isfinite(crossing[every, c_lin]), cross_kind[every, c_lin], Limiter.CEILING
    ).astype(np.int8)
    tier = np.ones(hours, dtype=np.int8)
    check = study.level(every, estimate, zero)
    verify_rows = study.rows_solved - linear_rows
    failed: BoolArray = np.asarray(check.insecure.any(axis=1), dtype=bool)
    lo = np.where(failed, 0.0, estimate)
    hi = np.where(failed, estimate, np.inf)
    _note(failed, check, lim_c, lim_e, lim_k)
    # an estimate that passes is only a lower bound: probe one step above it, and
    # climb by bisection where that is still secure
    climbing = np.zeros(hours, dtype=bool)
    probe_h = np.flatnonzero(~failed & (estimate + config.resolution_mw <= study.ceiling))
    if probe_h.size:
        report("probe", 0.0)
        probe = estimate[probe_h] + config.resolution_mw
        up = study.level(probe_h, probe, zero)
        secure_up = ~np.asarray(up.insecure.any(axis=1), dtype=bool)
        climb = probe_h[secure_up]
        lo[climb] = probe[secure_up]
        hi[climb] = study.ceiling
        climbing[climb] = True
    # tier 3: bisection of the hours the estimate did not settle
    refine = np.flatnonzero(failed | climbing)
    steps = 0
    while refine.size and steps < 20:
        steps += 1
        report("refine", min(steps / 8, 1.0))
        trial = np.floor(0.5 * (lo[refine] + hi[refine]))
        res = study.level(refine, trial, zero)
        bad: BoolArray = np.asarray(res.insecure.any(axis=1), dtype=bool)
        lo[refine] = np.where(bad, lo[refine], trial)
        hi[refine] = np.where(bad, trial, hi[refine])
        sub_c, sub_e, sub_k = lim_c[refine], lim_e[refine], lim_k[refine]
        _note(bad, res, sub_c, sub_e, sub_k)
        lim_c[refine], lim_e[refine], lim_k[refine] = sub_c, sub_e, sub_k
        refine = refine[(hi[refine] - lo[refine]) > config.resolution_mw]
    capability = np.where(failed | climbing, lo, capability)
    tier[failed | climbing] = 3
    refine_rows = study.rows_solved - linear_rows - verify_rows
    report("done", 1.0)

    cs = study.contingencies
    branch_ids = study.built.index.branch_ids
    bus_ids = [str(b) for b in study.built.net.bus.name]
    element_ids = np.array([*branch_ids, *bus_ids, ""])
    limiting_c = np.where(lim_k == Limiter.CEILING, "", np.array([c.id for c in cs])[lim_c])
    limiting_e = np.where(
        (lim_k == Limiter.CEILING) | (lim_k == Limiter.NONCONVERGENCE) | (lim_e < 0),
        "",
        element_ids[np.where(lim_e >= 0, lim_e, len(element_ids) - 1)],
    )
    data = {
        "transfer_capability_mw": capability,
        "linear_estimate_mw": estimate,
        "limiting_contingency": limiting_c.astype(str),
        "limiting_element": limiting_e.astype(str),
        "limiter": lim_k.astype(np.int8),
        "tier": tier,
        "diverges_at_ceiling": diverging_hour,
        "export_available_mw": profiles.export_available_total_mw.values,
        "crossing_mw": np.minimum(crossing, study.ceiling),
        "preexisting_violations": preexisting.astype(np.int16),
    }
    return SCHEMA.build(
        coords={
            "time": profiles.time.values,
            "contingency": [c.id for c in cs],
            "contingency_kind": [c.kind.value for c in cs],
        },
        data=data,
        attrs={
            "ceiling_mw": study.ceiling,
            "direction": config.direction.value,
            "resolution_mw": config.resolution_mw,
            "thermal_limit_percent": lim.thermal_percent,
            "vmin_pu": lim.vmin_pu,
            "vmax_pu": lim.vmax_pu,
            "hours_tier1_verified": int((tier == 1).sum()),
            "hours_tier3_refined": int((tier == 3).sum()),
            "ac_cases_tier1_linear": linear_rows,
            "ac_cases_tier2_verify": verify_rows,
            "ac_cases_tier3_refine": refine_rows,
            "refinement_steps": steps,
        },
    )


def _note(
    bad: BoolArray, level: _Level, lim_c: IntArray, lim_e: IntArray, lim_k: npt.NDArray[np.int8]
) -> None:
    """Record, for the insecure hours, the most severe contingency and element of ``level``."""
    sev = np.where(level.insecure, level.severity, -np.inf)
    c = sev.argmax(axis=1)
    rows = np.arange(c.size)
    lim_c[bad] = c[bad]
    lim_e[bad] = level.element[rows, c][bad]
    lim_k[bad] = level.kind[rows, c][bad]


def transfer_table(ds: xr.Dataset) -> pd.DataFrame:
    """Hours ranked most restrictive first.

    Returns
    -------
    pandas.DataFrame
        One row per hour: capability [MW], limiting contingency, element and
        limiter, tier, export available [MW]; sorted by capability ascending.
    """
    names = {int(k): k.name.lower() for k in Limiter}
    table = pd.DataFrame(
        {
            "transfer_capability_mw": ds.transfer_capability_mw.values,
            "limiting_contingency": ds.limiting_contingency.values,
            "limiting_element": ds.limiting_element.values,
            "limiter": [names[int(k)] for k in ds.limiter.values],
            "tier": ds.tier.values,
            "linear_estimate_mw": ds.linear_estimate_mw.values,
            "export_available_mw": ds.export_available_mw.values,
        },
        index=pd.Index(ds.time.values, name="time"),
    )
    return table.sort_values("transfer_capability_mw", kind="stable")


def limiter_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Hours limited by each (contingency, element, limiter), most frequent first."""
    table = transfer_table(ds)
    grouped = table.groupby(["limiting_contingency", "limiting_element", "limiter"])
    out = grouped["transfer_capability_mw"].agg(["count", "min", "mean"])
    out.columns = ["hours", "min_capability_mw", "mean_capability_mw"]
    return out.sort_values("hours", ascending=False)


def _tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    return {"table": transfer_table(ds), "limiters": limiter_summary(ds)}


def summary(ds: xr.Dataset, top: int = 15) -> StudySummary:
    """Return the capability statistics, the ``top`` most restrictive hours and the limiters."""
    a = ds.attrs
    cap = ds.transfer_capability_mw
    headline = (
        f"secure transfer capability over {ds.sizes['time']} h ({a['direction']}): min "
        f"{float(cap.min()):.0f}, mean {float(cap.mean()):.0f}, max {float(cap.max()):.0f} MW "
        f"(ceiling {a['ceiling_mw']:.0f} MW)",
        f"tiers: {a['hours_tier1_verified']} h linear estimate AC-verified, "
        f"{a['hours_tier3_refined']} h refined by AC bisection; AC cases "
        f"{a['ac_cases_tier1_linear']} + {a['ac_cases_tier2_verify']} + "
        f"{a['ac_cases_tier3_refine']}",
    )
    return StudySummary(
        headline=headline,
        tables={
            "most restrictive hours": transfer_table(ds).head(top),
            "limiters": limiter_summary(ds).head(top),
        },
    )


SPEC: StudySpec[TransferConfig] = StudySpec(
    name="transfer",
    title="the largest N-1 secure export of every hour and what limits it",
    config_type=TransferConfig,
    run=_run,
    schema=SCHEMA,
    tables=_tables,
    table_names=("table", "limiters"),
    summary=summary,
)
"""The transfer study in the registry."""
