"""Secure transfer capability: the largest CASA export that is N-1 secure, hour by hour.

The export is the total sent at the sending end (HVDC plus, as built, the Afghan
corridor), split pro rata to the contracted PK and AF capacities (or all to one
offtaker, :class:`TransferDirection`), and dispatched by the seasonal rule
(:func:`~casa1000.grid.schedule.make_schedule`).  An export is secure in an hour
when the base case and every contingency of the screening set converge within
the limits, by the rule of :mod:`casa1000.studies.transfer_rules`: violations
the transfer does not cause do not limit it (as in the seasonal study's
curtailment and MUST's FCITC) -- a branch limits only if the transfer moves it
(its distribution factor ``|dS/dT|`` between zero export and the ceiling is at
least ``distribution_factor_cutoff``) and then only beyond the larger of its
limit and its loading at zero export; a bus voltage likewise only beyond the
band widened to its zero-export value; a case that does not converge at zero
export is counted (``preexisting_violations``) but does not limit; load islanded
by the outage is not a transfer limit either (see the contingency study).  These
rules are monotone: a tighter limit never raises the capability.

Method (tiers, :mod:`casa1000.studies.transfer_search`): a linear estimate from
the ceiling and zero-export AC states (tier 1), AC verification of the estimate
and one step above (tier 2), bisection to ``resolution_mw`` (tier 3).  Each tried
export is decided by AC-solving the contingencies insecure at the ceiling (the
hour's suspects); the capability found is verified by a full AC N-1 (a capability
of 0 MW by the zero-export states themselves, which the rule measures against),
and an hour whose verification finds another insecure contingency is searched
again with it.
Every reported capability is AC N-1 secure, and the tried export above it is AC
insecure (or the capability is within ``resolution_mw`` of the ceiling).

Hours are searched in runs of ``chunk_hours`` and rows solved ``chunk_rows`` at a
time, so memory does not grow with the length of the study beyond its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.params import GridParams
from casa1000.studies import transfer_tables
from casa1000.studies.contingency import ContingencyConfig, Screening, prepare
from casa1000.studies.engine.row_solver import RowSolver
from casa1000.studies.security.limits import Limits
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles
from casa1000.studies.spine.schema import DatasetSchema, VariableSpec
from casa1000.studies.spine.study import RUN_FACT_PREFIX, Progress, StudySpec
from casa1000.studies.transfer_levels import Network
from casa1000.studies.transfer_rules import Limiter, SecurityRule
from casa1000.studies.transfer_search import SearchResult, TransferSearch
from casa1000.studies.transfer_tables import limiter_summary, transfer_table

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

__all__ = [
    "SCHEMA",
    "SPEC",
    "Limiter",
    "TransferConfig",
    "TransferDirection",
    "export_direction",
    "limiter_summary",
    "run_transfer",
    "transfer_table",
]


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
    voltage_cutoff_pu_per_100mw
        Smallest change of a bus voltage per 100 MW of export for which a bus
        already outside its band at zero export can limit the transfer [pu]; the
        voltage counterpart of the distribution-factor cutoff.  0.001 pu per
        100 MW is a stated assumption (0 gives the strict rule, under which a
        Kyrgyz bus left at 0.89 pu by an outage and lowered by 2e-6 pu per 10 MW
        of export sets the capability to 0; Kabul after a corridor outage moves
        by about 0.1 pu per 100 MW).
    min_unit_mw, min_plant_mw, groups_file, include_groups
        The contingency set (see
        :func:`~casa1000.studies.security.contingency_set.define_contingencies`).
    zero_export_n1
        Solve every contingency at zero export, as the plain method does: exact
        ``preexisting_violations`` everywhere, and an (hour, contingency) already
        beyond a limit at zero export is decided by AC at every export of the
        path (the first MW may cross its widened limit while larger exports
        relieve it, so its security need not be monotone).  Off: about a quarter
        faster; zero-export states only where a verdict needs them
        (``preexisting_violations`` -1 elsewhere); every capability is still AC
        N-1 secure with the export above it insecure, but in such hours it may
        differ from the plain method's.
    threads
        Worker threads of the batch solver.
    chunk_rows
        Rows solved and held at once (about 2 kB a row).
    chunk_hours
        Hours searched at once (bounds the zero-export references kept).
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
    voltage_cutoff_pu_per_100mw: float = 0.001
    zero_export_n1: bool = True
    threads: int = 2
    chunk_rows: int = 16_000
    chunk_hours: int = 1460

    def __post_init__(self) -> None:
        if self.ceiling_mw is not None and not self.ceiling_mw > 0:
            raise InputError("--ceiling-mw", "ceiling_mw", self.ceiling_mw, "an export > 0 MW")
        if not self.resolution_mw > 0:
            raise InputError(
                "--resolution-mw", "resolution_mw", self.resolution_mw, "a step > 0 MW"
            )
        cutoff = self.voltage_cutoff_pu_per_100mw
        if not 0.0 <= cutoff <= 0.1:
            raise InputError(
                "transfer config", "voltage_cutoff_pu_per_100mw", cutoff, "0 to 0.1 pu"
            )
        for name in ("chunk_rows", "chunk_hours"):
            if getattr(self, name) < 1:
                raise InputError(name, name, getattr(self, name), "1 or more")


_STAGE_BANDS: dict[str, tuple[float, float]] = {
    "ceiling": (0.0, 0.3),
    "zero export": (0.3, 0.5),
    "search": (0.5, 0.95),
    "seed": (0.5, 0.95),
    "verify": (0.5, 0.95),
    "done": (1.0, 1.0),
}
"""Share of a chunk's progress bar for each stage of the search (ceiling and zero-export
references first, then the search, which revisits its stages)."""


SCHEMA = DatasetSchema(
    name="transfer",
    title="casa1000 secure transfer capability",
    version=2,
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
        "insecure_above_mw": VariableSpec(
            dims=("time",),
            long_name=(
                "export above the capability found AC N-1 insecure "
                "(NaN: none, the capability is within resolution_mw of the ceiling)"
            ),
            units="MW",
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
            long_name=(
                "violations (and non-convergence) already present at zero export "
                "(-1: not solved there, with zero_export_n1 off)"
            ),
            units="1",
            dtype="int16",
        ),
    },
)
"""The declared transfer-capability result."""


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
        settled each hour; AC case counts per stage and provenance in the attrs.

    Raises
    ------
    InputError
        If a month or the groups file is invalid.
    """
    inputs = StudyInputs(scenario=Scenario.given(params), params=params, profiles=profiles)
    return execute(SPEC, inputs, config, progress=progress).dataset


def export_direction(
    params: GridParams, config: TransferConfig
) -> tuple[dict[str, float] | None, float]:
    """Return the offtaker shares of the export (None: pro rata) and the ceiling [MW]."""
    contract = params.contract
    shares = {
        TransferDirection.TOTAL: None,
        TransferDirection.PAKISTAN: {"PK": 1.0, "AF": 0.0},
        TransferDirection.AFGHANISTAN: {"PK": 0.0, "AF": 1.0},
    }[config.direction]
    default_ceiling = {
        TransferDirection.TOTAL: contract.pakistan_mw + contract.afghanistan_mw,
        TransferDirection.PAKISTAN: params.hvdc.rating_mw,
        TransferDirection.AFGHANISTAN: contract.afghanistan_mw,
    }[config.direction]
    return shares, default_ceiling if config.ceiling_mw is None else config.ceiling_mw


def _run(inputs: StudyInputs, config: TransferConfig, report: Progress) -> xr.Dataset:
    params = inputs.params
    profiles = select_hours(inputs.profiles, config.months)
    shares, ceiling = export_direction(params, config)
    hours = profiles.sizes["time"]
    report("setup", 0.0)
    top = inputs_from_profiles(params, profiles, np.full(hours, ceiling), shares=shares)
    scr = prepare(
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
    n_c = len(scr.contingencies)
    representative = np.arange(n_c)
    for j, (j0, _) in scr.twins.items():
        representative[j] = j0
    solver = RowSolver(scr.batch, threads=config.threads)
    rule = SecurityRule(
        config.limits,
        config.distribution_factor_cutoff,
        ceiling,
        scr.batch.rating_mva,
        voltage_cutoff_pu_per_100mw=config.voltage_cutoff_pu_per_100mw,
    )
    parts: list[SearchResult] = []
    for lo in range(0, hours, config.chunk_hours):
        chunk = slice(lo, min(hours, lo + config.chunk_hours))
        reached = [0.0]
        net = Network(
            params=params,
            inputs=top.take(np.arange(chunk.start, chunk.stop)),
            shares=shares,
            built=scr.built,
            contingencies=scr.contingencies,
            representative=representative,
            solver=solver,
            rule=rule,
            chunk_rows=config.chunk_rows,
        )

        def stage(
            name: str, done: float, chunk: slice = chunk, reached: list[float] = reached
        ) -> None:
            # the search revisits stages (verify, then search again), so a chunk's share of
            # the bar is split into fixed bands and the bar never moves back
            lo_band, hi_band = _STAGE_BANDS.get(name, (0.5, 0.95))
            within = max(lo_band + done * (hi_band - lo_band), reached[0])
            reached[0] = within
            report(name, (chunk.start + within * (chunk.stop - chunk.start)) / hours)

        search = TransferSearch(
            net, ceiling, config.resolution_mw, stage, zero_export_n1=config.zero_export_n1
        )
        parts.append(search.run())
    report("done", 1.0)
    ds = _assemble(profiles, scr, parts, ceiling, config)
    ds.attrs[RUN_FACT_PREFIX + "solver_time_s"] = round(solver.solver_s, 3)
    return ds


def _assemble(
    profiles: xr.Dataset,
    scr: Screening,
    parts: list[SearchResult],
    ceiling: float,
    config: TransferConfig,
) -> xr.Dataset:
    cs = scr.contingencies
    branch_ids = scr.built.index.branch_ids

    def joined(name: str) -> npt.NDArray[Any]:
        return np.concatenate([getattr(p, name) for p in parts])

    lim_c, lim_e, lim_k = (
        joined("limiting_contingency"),
        joined("limiting_element"),
        joined("limiter"),
    )
    tier = joined("tier")
    bus_ids = [str(b) for b in scr.built.net.bus.name]
    element_ids = np.array([*branch_ids, *bus_ids, ""])
    limiting_c = np.where(lim_k == Limiter.CEILING, "", np.array([c.id for c in cs])[lim_c])
    limiting_e = np.where(
        (lim_k == Limiter.CEILING) | (lim_k == Limiter.NONCONVERGENCE) | (lim_e < 0),
        "",
        element_ids[np.where(lim_e >= 0, lim_e, len(element_ids) - 1)],
    )
    cases = {k: sum(p.cases[k] for p in parts) for k in parts[0].cases}
    lim = config.limits
    data = {
        "transfer_capability_mw": joined("capability_mw"),
        "insecure_above_mw": joined("insecure_above_mw"),
        "linear_estimate_mw": joined("estimate_mw"),
        "limiting_contingency": limiting_c.astype(str),
        "limiting_element": limiting_e.astype(str),
        "limiter": lim_k.astype(np.int8),
        "tier": tier,
        "diverges_at_ceiling": joined("diverges_at_ceiling"),
        "export_available_mw": profiles.export_available_total_mw.values,
        "crossing_mw": joined("crossing_mw"),
        "preexisting_violations": joined("preexisting"),
    }
    return SCHEMA.build(
        coords={
            "time": profiles.time.values,
            "contingency": [c.id for c in cs],
            "contingency_kind": [c.kind.value for c in cs],
        },
        data=data,
        attrs={
            "ceiling_mw": ceiling,
            "direction": config.direction.value,
            "resolution_mw": config.resolution_mw,
            "thermal_limit_percent": lim.thermal_percent,
            "vmin_pu": lim.vmin_pu,
            "vmax_pu": lim.vmax_pu,
            "hours_tier1_verified": int((tier == 1).sum()),
            "hours_tier3_refined": int((tier == 3).sum()),
            "hours_searched_again": sum(p.searched_again for p in parts),
            "hours_unsettled": sum(p.unsettled for p in parts),
            "ac_cases_ceiling": cases["ceiling"],
            "ac_cases_zero_export": cases["zero_export"],
            "ac_cases_search": cases["search"],
            "ac_cases_verification": cases["verification"],
            "refinement_steps": max(p.steps for p in parts),
        },
    )


SPEC: StudySpec[TransferConfig] = StudySpec(
    name="transfer",
    title="the largest N-1 secure export of every hour and what limits it",
    config_type=TransferConfig,
    run=_run,
    schema=SCHEMA,
    tables=transfer_tables.tables,
    table_names=("table", "limiters"),
    summary=transfer_tables.summary,
)
"""The transfer study in the registry."""
