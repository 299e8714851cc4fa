"""The seasonal transfer study: a year of hourly AC load flow driven by profiles.

Each hour takes domestic demand, plant availability and the export available
from the profiles; the export is split between Pakistan and Afghanistan pro rata
to their contracted capacity in that hour; the dispatch rule of
:mod:`casa1000.grid.dispatch` sets plant outputs (hydro by availability, thermal
as needed, the CAPS equivalent balancing); :mod:`casa1000.grid.hvdc` turns the
HVDC schedule into converter injections.  All hours are solved at once by
:class:`~casa1000.studies.engine.batch_ac.BatchAC`.

When an hour cannot carry its scheduled export -- the load flow diverges (voltage
collapse, typically on the Afghan corridor) or the export itself overloads a
branch -- the export is curtailed in steps of ``1 / curtail_steps`` until the
hour solves within limits, and the curtailed power and the reason are recorded.
With ``curtail=False`` such hours are reported as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import BuiltNet, build_net
from casa1000.grid.equivalents import slack_q_mvar
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import Schedule, delivered_by_offtaker
from casa1000.profiles.dataset import OPTIONAL_VARIABLES
from casa1000.profiles.schema import DatasetSchema, VariableSpec
from casa1000.studies import seasonal_tables
from casa1000.studies.engine.batch_ac import (
    BatchAC,
    BatchResult,
    Injections,
    injections_from_schedule,
)
from casa1000.studies.security.pv_margin import corridor_nose
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.runner import execute
from casa1000.studies.spine.scenario import Scenario, StudyInputs
from casa1000.studies.spine.schedule_inputs import (
    ScheduleInputs,
    cover_losses_batch,
    inputs_from_profiles,
)
from casa1000.studies.spine.study import Progress, StudySpec

FloatArray = npt.NDArray[np.float64]


class CurtailReason(IntEnum):
    """Why an hour's export was cut below what the profiles made available."""

    NONE = 0
    CONVERTER = 1
    """The HVDC rating (or the poles in service) is below the schedule."""
    VOLTAGE_COLLAPSE = 2
    """The load flow does not converge at the schedule."""
    THERMAL = 3
    """The export overloads a branch."""


@dataclass(frozen=True, kw_only=True)
class SeasonalConfig:
    """Settings of the seasonal study.

    Parameters
    ----------
    months
        Months (1-12) to study; all by default.
    curtail
        Curtail the export of hours that diverge or that the export overloads.
    curtail_steps
        Number of equal export steps tried between the schedule and zero.
    loading_limit_percent
        Thermal limit of branches [%].
    threads
        Worker threads of the batch solver.
    """

    months: tuple[int, ...] = ()
    curtail: bool = True
    curtail_steps: int = 10
    loading_limit_percent: float = 100.0
    threads: int = 2


CORRIDOR_STEP_MW = 10.0
"""Offtake step of the search for the corridor's voltage limit [MW] (bisected to 1 MW)."""


def _f(dims: tuple[str, ...], units: str, long_name: str) -> VariableSpec:
    return VariableSpec(dims=dims, units=units, long_name=long_name)


T, TB, TBR = ("time",), ("time", "bus"), ("time", "branch")
TT, TO, TA, TP, TZ = (
    ("time", "terminal"),
    ("time", "offtaker"),
    ("time", "area"),
    ("time", "plant"),
    ("time", "zone"),
)
PASSED_THROUGH = {
    name: dataclasses.replace(spec, optional=True)
    for name, spec in OPTIONAL_VARIABLES.items()
    if name.startswith(("reservoir_", "af_", "import_capability"))
}
"""Monthly reservoir balances, the Afghan supply balance and each supplier's import
capability, copied from the profiles."""

SCHEMA = DatasetSchema(
    name="seasonal",
    title="casa1000 seasonal transfer study",
    version=3,
    coords={
        "time": VariableSpec(dims=T, dtype="datetime64[ns]", long_name="hour (local UTC+05:00)"),
        "bus": VariableSpec(dims=("bus",), dtype="str", long_name="bus id"),
        "branch": VariableSpec(
            dims=("branch",), dtype="str", long_name="line circuit or transformer unit id"
        ),
        "terminal": VariableSpec(
            dims=("terminal",), dtype="str", long_name="HVDC converter (rectifier first)"
        ),
        "offtaker": VariableSpec(dims=("offtaker",), dtype="str", long_name="offtaker zone"),
        "area": VariableSpec(dims=("area",), dtype="str", long_name="synchronous area"),
        "plant": VariableSpec(dims=("plant",), dtype="str", long_name="power plant id"),
        "zone": VariableSpec(dims=("zone",), dtype="str", long_name="supplier zone"),
        "bus_zone": VariableSpec(dims=("bus",), dtype="str", long_name="zone of the bus"),
        "bus_vn_kv": VariableSpec(dims=("bus",), units="kV", long_name="nominal voltage"),
        "bus_vmin_pu": VariableSpec(
            dims=("bus",), units="pu", long_name="lower limit of the normal voltage band"
        ),
        "bus_vmax_pu": VariableSpec(
            dims=("bus",), units="pu", long_name="upper limit of the normal voltage band"
        ),
        "bus_area": VariableSpec(
            dims=("bus",), dtype="str", long_name="synchronous area of the bus"
        ),
        "branch_area": VariableSpec(
            dims=("branch",), dtype="str", long_name="synchronous area of the branch"
        ),
        "branch_rating_mva": VariableSpec(
            dims=("branch",), units="MVA", long_name="thermal rating at nominal voltage"
        ),
        "branch_parent": VariableSpec(
            dims=("branch",), dtype="str", long_name="line or transformer bank of the branch"
        ),
        "month": VariableSpec(
            dims=("month",), dtype="int64", units="1", long_name="calendar month", optional=True
        ),
        "reservoir": VariableSpec(
            dims=("reservoir",), dtype="str", long_name="reservoir id", optional=True
        ),
        "af_source": VariableSpec(
            dims=("af_source",),
            dtype="str",
            long_name="source of Afghanistan's supply",
            optional=True,
        ),
        "supplier": VariableSpec(
            dims=("supplier",), dtype="str", long_name="supplier zone", optional=True
        ),
    },
    variables={
        "vm_pu": _f(TB, "pu", "bus voltage magnitude"),
        "va_degree": _f(TB, "degree", "bus voltage angle"),
        "p_from_mw": _f(TBR, "MW", "active power entering the branch at its from/hv end"),
        "q_from_mvar": _f(TBR, "Mvar", "reactive power entering at the from/hv end"),
        "p_to_mw": _f(TBR, "MW", "active power entering at the to/lv end"),
        "q_to_mvar": _f(TBR, "Mvar", "reactive power entering at the to/lv end"),
        "loading_percent": _f(TBR, "%", "branch loading against its thermal rating"),
        "converter_p_mw": _f(
            TT, "MW", "converter active power drawn from the AC bus (< 0: delivered)"
        ),
        "converter_q_mvar": _f(TT, "Mvar", "converter reactive power absorbed net of filters"),
        "converter_loss_mw": _f(TT, "MW", "converter station losses"),
        "hvdc_line_loss_mw": _f(T, "MW", "DC line losses"),
        "hvdc_sent_mw": _f(T, "MW", "power sent into the HVDC at the rectifier AC bus"),
        "export_available_mw": _f(T, "MW", "export available from the profiles (sending end)"),
        "export_sent_mw": _f(T, "MW", "export sent (HVDC plus Afghan corridor), sending end"),
        "delivered_mw": _f(TO, "MW", "power delivered to each offtaker"),
        "curtailed_mw": _f(T, "MW", "export available but not sent"),
        "curtail_reason": VariableSpec(
            dims=T, dtype="int8", flags=CurtailReason, long_name="why export was curtailed"
        ),
        "datka_sughd_mw": _f(
            T, "MW", "flow on the Kyrgyz-Tajik tie, positive from Kyrgyzstan to Tajikistan"
        ),
        "ac_losses_mw": _f(TA, "MW", "AC branch losses per synchronous area"),
        "external_mw": _f(TA, "MW", "injection of each area's external equivalent (slack)"),
        "plant_p_mw": _f(TP, "MW", "dispatched plant output"),
        "unserved_mw": _f(TZ, "MW", "demand shed beyond import capability"),
        "import_mw": _f(TZ, "MW", "deficit imported over the CAPS equivalent"),
        "supplier_export_mw": _f(TZ, "MW", "export each supplier generates (sending end)"),
        "supplier_shortfall_mw": _f(TZ, "MW", "contract share a supplier did not export"),
        "loss_cover_mw": _f(TZ, "MW", "network losses each supplier's plants cover"),
        "external_q_mvar": _f(TA, "Mvar", "reactive power of each area's equivalent"),
        "corridor_undervoltage": VariableSpec(
            dims=T,
            dtype="bool",
            long_name="a bus of the offtakers served over AC below its voltage band",
        ),
        "corridor_runback_needed_mw": _f(
            T, "MW", "AC offtake run back needed to bring the offtakers' buses into their band"
        ),
        "converged": VariableSpec(dims=T, dtype="bool", long_name="load flow converged"),
        "converged_at_schedule": VariableSpec(
            dims=T, dtype="bool", long_name="load flow converged before any curtailment"
        ),
        "nonconvergence_reason": VariableSpec(
            dims=T, dtype="str", long_name="why the load flow failed"
        ),
        "iterations": VariableSpec(
            dims=T, dtype="int32", units="1", long_name="Newton-Raphson iterations"
        ),
        "voltage_violations": VariableSpec(
            dims=T,
            dtype="int32",
            units="1",
            long_name="buses outside their voltage band (bus_vmin_pu, bus_vmax_pu)",
        ),
        "thermal_violations": VariableSpec(
            dims=T,
            dtype="int32",
            units="1",
            long_name="branches loaded above the thermal limit (config loading_limit_percent)",
        ),
        "export_factor": _f(T, "1", "fraction of the available export kept"),
        "balance_mismatch_mw": _f(
            TA, "MW", "generation + external - load - converters - losses (zero when balanced)"
        ),
        "reverse_delivered_mw": _f(
            T, "MW", "power delivered to Tajikistan by reverse flow over the HVDC (winter)"
        ),
        **PASSED_THROUGH,
    },
)
"""The declared seasonal result."""


def _loading(result: BatchResult) -> FloatArray:
    return np.nan_to_num(result.loading_percent, nan=0.0)


def _curtail(
    params: GridParams,
    batch: BatchAC,
    built: BuiltNet,
    profiles: xr.Dataset,
    inputs: ScheduleInputs,
    first: BatchResult,
    config: SeasonalConfig,
) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """Export factor per hour and the reason for any cut.

    An hour is cut back to the highest export step at which it converges and no
    branch is loaded above both the limit and its own loading without export: an
    overload the export does not cause is a violation to report, not a reason to
    curtail.
    """
    hours = profiles.sizes["time"]
    factor = np.ones(hours)
    reason = np.zeros(hours, dtype=np.int8)
    export = profiles.export_available_total_mw.values
    limit = config.loading_limit_percent
    overloaded = (_loading(first) > limit + 1e-6).any(axis=1)
    suspects = np.flatnonzero((~first.converged | overloaded) & (export > 0))
    if not config.curtail or suspects.size == 0:
        return factor, reason
    levels = np.linspace(1.0, 0.0, config.curtail_steps + 1)
    n = levels.size
    rows = np.repeat(suspects, n)
    trial = inputs.take(rows).scaled(np.tile(levels, suspects.size)).schedule(params)
    solved = batch.solve(injections_from_schedule(built, trial), threads=config.threads)
    loading = _loading(solved).reshape(suspects.size, n, -1)
    ok = solved.converged.reshape(suspects.size, n)
    allowed = np.maximum(limit, loading[:, -1:, :]) + 1e-6  # the no-export loading
    within = ok & (loading <= allowed).all(axis=2)
    best = np.where(within.any(axis=1), within.argmax(axis=1), n - 1)
    factor[suspects] = levels[best]
    reason[suspects] = np.where(
        best == 0,
        CurtailReason.NONE,
        np.where(first.converged[suspects], CurtailReason.THERMAL, CurtailReason.VOLTAGE_COLLAPSE),
    )
    return factor, reason


def run_seasonal(
    params: GridParams,
    profiles: xr.Dataset,
    config: SeasonalConfig | None = None,
    *,
    progress: Progress | None = None,
) -> xr.Dataset:
    """Solve every hour of ``profiles`` on the network ``params``.

    A convenience for Python users: it runs the registered study through
    :func:`~casa1000.studies.spine.runner.execute`, which validates the profiles
    and stamps the scenario on the result.

    Parameters
    ----------
    params
        The (validated) network.
    profiles
        Hourly profiles as built by :func:`casa1000.profiles.build.build_profiles`.
    config
        Study settings.
    progress
        Called with a stage name and the fraction done.

    Returns
    -------
    xarray.Dataset
        The result declared by :data:`SCHEMA`: dims ``time``, ``bus``, ``branch``,
        ``terminal``, ``offtaker``, ``area``, ``plant``, ``zone``; string IDs as
        coordinates.  Neither input is modified.

    Raises
    ------
    InputError
        If the profiles break their contract or a month is invalid.
    """
    inputs = StudyInputs(scenario=Scenario.given(params), params=params, profiles=profiles)
    return execute(SPEC, inputs, config, progress=progress).dataset


def _run(inputs: StudyInputs, config: SeasonalConfig, report: Progress) -> xr.Dataset:
    params = inputs.params
    profiles = select_hours(inputs.profiles, config.months)
    hours = profiles.sizes["time"]
    report("schedule", 0.05)
    supply = inputs_from_profiles(params, profiles, export_factor=np.ones(hours))
    built = build_net(params, supply.schedule(params), 0)
    batch = BatchAC(built)
    report("losses", 0.1)
    # the suppliers' plants cover their losses, not the external equivalent
    supply, _ = cover_losses_batch(params, supply, built, batch, threads=config.threads)
    schedule = supply.schedule(params)
    report("solve", 0.2)
    first = batch.solve(injections_from_schedule(built, schedule), threads=config.threads)
    report("curtail", 0.5)
    factor, reason = _curtail(params, batch, built, profiles, supply, first, config)
    result = first
    cut = np.flatnonzero(factor < 1.0)
    if cut.size:
        # rows are independent and start from the same voltages, so only the curtailed
        # hours need solving again (their losses covered again at the lower export);
        # the others keep their first solution bit for bit
        again_inputs, _ = cover_losses_batch(
            params,
            supply.take(cut).scaled(factor[cut]).with_loss_cover(None),
            built,
            batch,
            threads=config.threads,
        )
        again = again_inputs.schedule(params)
        redo = batch.solve(injections_from_schedule(built, again), threads=config.threads)
        result = _splice(first, cut, redo)
        schedule = _splice_inputs(supply, cut, again_inputs).schedule(params)
    final = supply if not cut.size else _splice_inputs(supply, cut, again_inputs)
    report("corridor voltage", 0.7)
    corridor = _corridor_runback(params, batch, final, schedule, result, config)
    report("assemble", 0.8)
    converter_cut = schedule.hvdc.curtailed_mw.sum(axis=1) > 1e-6
    reason = np.where((reason == 0) & converter_cut, CurtailReason.CONVERTER, reason).astype(
        np.int8
    )
    ds = _assemble(
        params,
        batch,
        profiles,
        schedule,
        result,
        factor,
        reason,
        first.converged,
        config,
        corridor=corridor,
    )
    report("done", 1.0)
    return ds


def _corridor_runback(
    params: GridParams,
    batch: BatchAC,
    inputs: ScheduleInputs,
    schedule: Schedule,
    result: BatchResult,
    config: SeasonalConfig,
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Hours with an AC offtaker's bus below its band, and the runback that lifts it.

    The runback needed is the hour's AC offtake less the highest offtake at which
    the offtakers' buses hold their band (the corridor's voltage limit, found by
    :func:`~casa1000.studies.security.pv_margin.corridor_nose` to 1 MW), the rest
    of the hour held; the whole offtake where even none holds it.
    """
    hours = result.converged.size
    low = np.zeros(hours, dtype=bool)
    need = np.zeros(hours)
    if not params.ac_offtakers:
        return low, need
    built = batch.built
    zones = set(params.ac_offtakers)
    buses = [b for b in params.buses if b.zone in zones]
    watch = [built.index.bus[b.id] for b in buses]
    vmin = float(min(built.net.bus.min_vm_pu.loc[watch]))
    k_off = params.roles.offtakers.index(params.ac_offtakers[0])
    offtake = schedule.ac_offtake_mw[:, k_off]
    with np.errstate(invalid="ignore"):
        low = result.converged & (offtake > 0) & (result.vm_pu[:, watch] < vmin).any(axis=1)
    if low.any():
        limit = corridor_nose(
            params,
            built,
            inputs,
            hours=np.flatnonzero(low),
            step_mw=CORRIDOR_STEP_MW,
            resolution_mw=1.0,
            threads=config.threads,
            batch=batch,
            vmin_pu=vmin,
        )
        held = np.nan_to_num(limit.nose_mw[low], nan=0.0)
        need[low] = np.maximum(offtake[low] - held, 0.0)
    return low, need


def _splice_inputs(
    inputs: ScheduleInputs, rows: npt.NDArray[np.intp], sub: ScheduleInputs
) -> ScheduleInputs:
    """Return ``inputs`` with the export and loss cover of ``rows`` taken from ``sub``."""

    def merged(
        whole: Mapping[str, FloatArray] | None, part: Mapping[str, FloatArray] | None
    ) -> dict[str, FloatArray] | None:
        if whole is None or part is None:
            return None if whole is None else dict(whole)
        out = {k: v.copy() for k, v in whole.items()}
        for k, v in part.items():
            out[k][rows] = v
        return out

    return dataclasses.replace(
        inputs,
        export_mw=merged(inputs.export_mw, sub.export_mw) or {},
        loss_cover_mw=merged(inputs.loss_cover_mw, sub.loss_cover_mw),
    )


def _splice(result: BatchResult, rows: npt.NDArray[np.intp], sub: BatchResult) -> BatchResult:
    """Return ``result`` with ``rows`` replaced by the rows of ``sub`` (same order)."""
    changes = {}
    for f in dataclasses.fields(result):
        merged = getattr(result, f.name).copy()
        merged[rows] = getattr(sub, f.name)
        changes[f.name] = merged
    return dataclasses.replace(result, **changes)


def _assemble(
    params: GridParams,
    batch: BatchAC,
    profiles: xr.Dataset,
    schedule: Schedule,
    result: BatchResult,
    factor: FloatArray,
    reason: npt.NDArray[np.int8],
    converged_at_schedule: npt.NDArray[np.bool_],
    config: SeasonalConfig,
    *,
    corridor: tuple[npt.NDArray[np.bool_], FloatArray],
) -> xr.Dataset:
    built = batch.built
    net, ix = built.net, built.index
    bus_ids = list(net.bus.name)
    branch_ids = ix.branch_ids
    areas_of = synchronous_areas(params)
    area_names = sorted({a for a in areas_of.values() if a})
    state = schedule.hvdc
    export_avail = profiles.export_available_total_mw.values
    delivered = delivered_by_offtaker(params, schedule)
    delivered = np.where(result.converged[:, None], delivered, np.nan)
    sent = schedule.sent_mw

    branch_area = [areas_of[b] for b in _branch_from_bus(built)]
    pl = result.pl_mw
    ac_losses = np.column_stack(
        [
            np.nansum(pl[:, [i for i, a in enumerate(branch_area) if a == name]], axis=1)
            for name in area_names
        ]
    )
    ac_losses = np.where(result.converged[:, None], ac_losses, np.nan)
    ext_area = [areas_of[b] for b in net.bus.name.loc[net.ext_grid.bus]]
    external = np.column_stack([result.ext_p_mw[:, ext_area.index(name)] for name in area_names])
    # every circuit of the supplier ties (Datka-Sughd; one unless an override adds circuits)
    tie = [branch_ids.index(b) for b in ix.circuits(params.roles.supplier_ties)]
    datka_sughd = result.p_from_mw[:, tie].sum(axis=1)
    q_ext = slack_q_mvar(built, result.q_from_mvar, result.q_to_mvar)
    ext_of_area = {e.area: e.id for e in params.externals}
    external_q = np.column_stack([q_ext[ext_of_area[name]] for name in area_names])
    vmin = net.bus.min_vm_pu.to_numpy()
    vmax = net.bus.max_vm_pu.to_numpy()
    with np.errstate(invalid="ignore"):
        v_viol = ((result.vm_pu < vmin) | (result.vm_pu > vmax)).sum(axis=1)
        t_viol = (result.loading_percent > config.loading_limit_percent + 1e-6).sum(axis=1)
    reason_text = np.where(result.converged, "", "Newton-Raphson did not converge")
    inj = injections_from_schedule(built, schedule)
    balance = _balance(built, inj, [areas_of[b] for b in bus_ids], area_names, external, ac_losses)
    return SCHEMA.build(
        coords={
            "time": profiles.time.values,
            "bus": bus_ids,
            "branch": branch_ids,
            "terminal": list(state.terminal_ids),
            "offtaker": list(params.roles.offtakers),
            "area": area_names,
            "plant": list(schedule.plant_ids),
            "zone": list(schedule.dispatch.zones),
            "bus_zone": [params.bus(b).zone for b in bus_ids],
            "bus_vn_kv": net.bus.vn_kv.to_numpy(),
            "bus_vmin_pu": vmin,
            "bus_vmax_pu": vmax,
            "bus_area": [areas_of[b] for b in bus_ids],
            "branch_area": branch_area,
            "branch_rating_mva": batch.rating_mva,
            "branch_parent": [ix.line_parent.get(b, ix.trafo_parent.get(b, b)) for b in branch_ids],
            **{
                c: profiles[c].values
                for c in ("month", "reservoir", "af_source", "supplier")
                if c in profiles
            },
        },
        data={
            "vm_pu": result.vm_pu,
            "va_degree": result.va_degree,
            "p_from_mw": result.p_from_mw,
            "q_from_mvar": result.q_from_mvar,
            "p_to_mw": result.p_to_mw,
            "q_to_mvar": result.q_to_mvar,
            "loading_percent": result.loading_percent,
            "converter_p_mw": state.p_ac_mw,
            "converter_q_mvar": state.q_net_mvar,
            "converter_loss_mw": state.converter_loss_mw,
            "hvdc_line_loss_mw": state.dc_line_loss_mw,
            "hvdc_sent_mw": state.sent_mw.sum(axis=1),
            "export_available_mw": export_avail,
            "export_sent_mw": sent,
            "delivered_mw": delivered,
            "curtailed_mw": np.maximum(export_avail - sent, 0.0),
            "curtail_reason": reason,
            "datka_sughd_mw": datka_sughd,
            "ac_losses_mw": ac_losses,
            "external_mw": external,
            "plant_p_mw": schedule.plant_p_mw,
            "unserved_mw": schedule.dispatch.unserved_mw,
            "import_mw": schedule.dispatch.import_mw,
            "supplier_export_mw": schedule.supplier_export_mw,
            "supplier_shortfall_mw": schedule.supplier_shortfall_mw,
            "loss_cover_mw": schedule.loss_cover_mw,
            "external_q_mvar": external_q,
            "corridor_undervoltage": corridor[0],
            "corridor_runback_needed_mw": corridor[1],
            "converged": result.converged,
            "converged_at_schedule": converged_at_schedule,
            "nonconvergence_reason": reason_text,
            "iterations": result.iterations,
            "voltage_violations": v_viol,
            "thermal_violations": t_viol,
            "export_factor": factor,
            "balance_mismatch_mw": balance,
            "reverse_delivered_mw": state.reverse_delivered_mw,
            **{name: profiles[name].values for name in PASSED_THROUGH if name in profiles},
        },
        attrs={
            "solver": "lightsim2grid InjectionSweepCPP (Newton-Raphson), per synchronous area",
            # the roles tables need: which lines join the suppliers, which area exports
            "supplier_ties": " ".join(params.roles.supplier_ties),
            "supplier_area": next(
                e.area for e in params.externals if e.id == params.roles.supplier_external
            ),
        },
    )


def _branch_from_bus(built: BuiltNet) -> list[str]:
    net = built.net
    names = net.bus.name
    return [*names.loc[net.line.from_bus].tolist(), *names.loc[net.trafo.hv_bus].tolist()]


def _balance(
    built: BuiltNet,
    inj: Injections,
    bus_area: list[str],
    area_names: list[str],
    external: FloatArray,
    ac_losses: FloatArray,
) -> FloatArray:
    """Hourly power balance per area; zero to solver tolerance when nothing leaked."""
    net = built.net
    area_of = dict(zip(net.bus.index, bus_area, strict=True))
    out = np.zeros((inj.rows, len(area_names)))
    for k, name in enumerate(area_names):
        gen = inj.gen_p_mw[:, net.gen.bus.map(area_of).eq(name).to_numpy()].sum(axis=1)
        sgen = inj.sgen_p_mw[:, net.sgen.bus.map(area_of).eq(name).to_numpy()].sum(axis=1)
        load = inj.load_p_mw[:, net.load.bus.map(area_of).eq(name).to_numpy()].sum(axis=1)
        out[:, k] = gen + sgen + external[:, k] - load - ac_losses[:, k]
    return out


SPEC: StudySpec[SeasonalConfig] = StudySpec(
    name="seasonal",
    title="a year of hourly AC load flow: delivered energy, losses, loadings, curtailment",
    config_type=SeasonalConfig,
    run=_run,
    schema=SCHEMA,
    tables=seasonal_tables.tables,
    table_names=seasonal_tables.TABLES,
    summary=seasonal_tables.summary,
)
"""The seasonal study in the registry."""
