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
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
import xarray as xr

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import BuiltNet, build_net
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import OFFTAKERS, Schedule
from casa1000.studies.engine.batch_ac import (
    BatchAC,
    BatchResult,
    Injections,
    injections_from_schedule,
)
from casa1000.studies.spine.hours import select_hours
from casa1000.studies.spine.provenance import provenance
from casa1000.studies.spine.schedule_inputs import inputs_from_profiles

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[str, float], None]
"""Callback receiving a stage name and the fraction of the study done."""


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


def _loading(result: BatchResult) -> FloatArray:
    return np.nan_to_num(result.loading_percent, nan=0.0)


def _curtail(
    params: GridParams,
    batch: BatchAC,
    built: BuiltNet,
    profiles: xr.Dataset,
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
    trial = inputs_from_profiles(
        params, profiles.isel(time=rows), export_factor=np.tile(levels, suspects.size)
    ).schedule(params)
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
        Dims ``time``, ``bus``, ``branch``, ``terminal``, ``offtaker``, ``area``,
        ``plant``, ``zone``; string IDs as coordinates, units in attrs, provenance
        in the dataset attrs.  Neither input is modified.
    """
    config = config or SeasonalConfig()
    report = progress or (lambda stage, done: None)
    profiles = select_hours(profiles, config.months)
    hours = profiles.sizes["time"]
    report("schedule", 0.05)
    schedule = inputs_from_profiles(params, profiles, export_factor=np.ones(hours)).schedule(params)
    built = build_net(params, schedule, 0)
    batch = BatchAC(built)
    report("solve", 0.2)
    first = batch.solve(injections_from_schedule(built, schedule), threads=config.threads)
    report("curtail", 0.5)
    factor, reason = _curtail(params, batch, built, profiles, first, config)
    result = first
    cut = np.flatnonzero(factor < 1.0)
    if cut.size:
        # rows are independent and start from the same voltages, so only the curtailed
        # hours need solving again; the others keep their first solution bit for bit
        schedule = inputs_from_profiles(params, profiles, export_factor=factor).schedule(params)
        again = inputs_from_profiles(
            params, profiles.isel(time=cut), export_factor=factor[cut]
        ).schedule(params)
        redo = batch.solve(injections_from_schedule(built, again), threads=config.threads)
        result = _splice(first, cut, redo)
    report("assemble", 0.8)
    converter_cut = schedule.hvdc.curtailed_mw.sum(axis=1) > 1e-6
    reason = np.where((reason == 0) & converter_cut, CurtailReason.CONVERTER, reason).astype(
        np.int8
    )
    ds = _assemble(
        params, batch, profiles, schedule, result, factor, reason, first.converged, config
    )
    report("done", 1.0)
    return ds


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
) -> xr.Dataset:
    built = batch.built
    net, ix = built.net, built.index
    time = profiles.time.values
    bus_ids = list(net.bus.name)
    branch_ids = ix.branch_ids
    areas_of = synchronous_areas(params)
    area_names = sorted({a for a in areas_of.values() if a})
    state = schedule.hvdc
    export_avail = profiles.export_available_total_mw.values
    delivered = np.zeros((len(time), len(OFFTAKERS)))
    inverters = list(state.terminal_ids[1:])
    if "NOWSHERA" in inverters:
        delivered[:, 0] = state.delivered_mw[:, inverters.index("NOWSHERA")]
    delivered[:, 1] = schedule.af_corridor_mw
    if "KABUL" in inverters:
        delivered[:, 1] += state.delivered_mw[:, inverters.index("KABUL")]
    delivered = np.where(result.converged[:, None], delivered, np.nan)
    sent = state.sent_mw.sum(axis=1) + schedule.af_corridor_mw

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
    # every circuit of the Kyrgyz-Tajik tie (one, unless an override adds circuits)
    tie = [i for i, b in enumerate(branch_ids) if ix.line_parent.get(b) == "DATKA_SUGHD"]
    datka_sughd = result.p_from_mw[:, tie].sum(axis=1)
    vmin = net.bus.min_vm_pu.to_numpy()
    vmax = net.bus.max_vm_pu.to_numpy()
    with np.errstate(invalid="ignore"):
        v_viol = ((result.vm_pu < vmin) | (result.vm_pu > vmax)).sum(axis=1)
        t_viol = (result.loading_percent > config.loading_limit_percent + 1e-6).sum(axis=1)
    reason_text = np.where(result.converged, "", "Newton-Raphson did not converge")
    ds = xr.Dataset(
        data_vars={
            "vm_pu": (
                ("time", "bus"),
                result.vm_pu,
                {"units": "pu", "long_name": "bus voltage magnitude"},
            ),
            "va_degree": (
                ("time", "bus"),
                result.va_degree,
                {"units": "degree", "long_name": "bus voltage angle"},
            ),
            "p_from_mw": (
                ("time", "branch"),
                result.p_from_mw,
                {"units": "MW", "long_name": "active power entering the branch at its from/hv end"},
            ),
            "q_from_mvar": (
                ("time", "branch"),
                result.q_from_mvar,
                {"units": "Mvar", "long_name": "reactive power entering at the from/hv end"},
            ),
            "p_to_mw": (
                ("time", "branch"),
                result.p_to_mw,
                {"units": "MW", "long_name": "active power entering at the to/lv end"},
            ),
            "q_to_mvar": (
                ("time", "branch"),
                result.q_to_mvar,
                {"units": "Mvar", "long_name": "reactive power entering at the to/lv end"},
            ),
            "loading_percent": (
                ("time", "branch"),
                result.loading_percent,
                {"units": "%", "long_name": "branch loading against its thermal rating"},
            ),
            "converter_p_mw": (
                ("time", "terminal"),
                state.p_ac_mw,
                {
                    "units": "MW",
                    "long_name": "converter active power drawn from the AC bus (< 0: delivered)",
                },
            ),
            "converter_q_mvar": (
                ("time", "terminal"),
                state.q_net_mvar,
                {"units": "Mvar", "long_name": "converter reactive power absorbed net of filters"},
            ),
            "converter_loss_mw": (
                ("time", "terminal"),
                state.converter_loss_mw,
                {"units": "MW", "long_name": "converter station losses"},
            ),
            "hvdc_line_loss_mw": (
                ("time",),
                state.dc_line_loss_mw,
                {"units": "MW", "long_name": "DC line losses"},
            ),
            "hvdc_sent_mw": (
                ("time",),
                state.sent_mw.sum(axis=1),
                {"units": "MW", "long_name": "power sent into the HVDC at Sangtuda"},
            ),
            "export_available_mw": (
                ("time",),
                export_avail,
                {"units": "MW", "long_name": "export available from the profiles (sending end)"},
            ),
            "export_sent_mw": (
                ("time",),
                sent,
                {
                    "units": "MW",
                    "long_name": "export sent (HVDC plus Afghan corridor), sending end",
                },
            ),
            "delivered_mw": (
                ("time", "offtaker"),
                delivered,
                {"units": "MW", "long_name": "power delivered to each offtaker"},
            ),
            "curtailed_mw": (
                ("time",),
                np.maximum(export_avail - sent, 0.0),
                {"units": "MW", "long_name": "export available but not sent"},
            ),
            "curtail_reason": (
                ("time",),
                reason,
                {
                    "units": "1",
                    "long_name": "why export was curtailed",
                    "flag_values": [int(r) for r in CurtailReason],
                    "flag_meanings": " ".join(r.name.lower() for r in CurtailReason),
                },
            ),
            "datka_sughd_mw": (
                ("time",),
                datka_sughd,
                {
                    "units": "MW",
                    "long_name": "flow on Datka-Sughd, positive from Kyrgyzstan to Tajikistan",
                },
            ),
            "ac_losses_mw": (
                ("time", "area"),
                ac_losses,
                {"units": "MW", "long_name": "AC branch losses per synchronous area"},
            ),
            "external_mw": (
                ("time", "area"),
                external,
                {
                    "units": "MW",
                    "long_name": "injection of each area's external equivalent (slack)",
                },
            ),
            "plant_p_mw": (
                ("time", "plant"),
                schedule.plant_p_mw,
                {"units": "MW", "long_name": "dispatched plant output"},
            ),
            "unserved_mw": (
                ("time", "zone"),
                schedule.dispatch.unserved_mw,
                {"units": "MW", "long_name": "demand shed beyond import capability"},
            ),
            "import_mw": (
                ("time", "zone"),
                schedule.dispatch.import_mw,
                {"units": "MW", "long_name": "deficit imported over the CAPS equivalent"},
            ),
            "converged": (
                ("time",),
                result.converged,
                {"units": "1", "long_name": "load flow converged"},
            ),
            "converged_at_schedule": (
                ("time",),
                converged_at_schedule,
                {"units": "1", "long_name": "load flow converged before any curtailment"},
            ),
            "nonconvergence_reason": (
                ("time",),
                reason_text.astype(str),
                {"units": "1", "long_name": "why the load flow failed"},
            ),
            "iterations": (
                ("time",),
                result.iterations,
                {"units": "1", "long_name": "Newton-Raphson iterations"},
            ),
            "voltage_violations": (
                ("time",),
                v_viol,
                {"units": "1", "long_name": "buses outside their voltage band"},
            ),
            "thermal_violations": (
                ("time",),
                t_viol,
                {"units": "1", "long_name": "branches loaded above the thermal limit"},
            ),
            "export_factor": (
                ("time",),
                factor,
                {"units": "1", "long_name": "fraction of the available export kept"},
            ),
        },
        coords={
            "time": ("time", time, profiles.time.attrs),
            "bus": bus_ids,
            "branch": branch_ids,
            "terminal": list(state.terminal_ids),
            "offtaker": list(OFFTAKERS),
            "area": area_names,
            "plant": list(schedule.plant_ids),
            "zone": list(schedule.dispatch.zones),
            "bus_zone": ("bus", [params.bus(b).zone for b in bus_ids]),
            "bus_vn_kv": ("bus", net.bus.vn_kv.to_numpy()),
            "bus_area": ("bus", [areas_of[b] for b in bus_ids]),
            "branch_area": ("branch", branch_area),
            "branch_rating_mva": ("branch", batch.rating_mva),
            "branch_parent": (
                "branch",
                [ix.line_parent.get(b, ix.trafo_parent.get(b, b)) for b in branch_ids],
            ),
        },
    )
    ds["balance_mismatch_mw"] = _balance(
        built, ds, injections_from_schedule(built, schedule), area_names
    )
    ds.attrs.update(provenance("casa1000 seasonal transfer study", params, profiles))
    ds.attrs["solver"] = "lightsim2grid InjectionSweepCPP (Newton-Raphson), per synchronous area"
    return ds


def _branch_from_bus(built: BuiltNet) -> list[str]:
    net = built.net
    names = net.bus.name
    return [*names.loc[net.line.from_bus].tolist(), *names.loc[net.trafo.hv_bus].tolist()]


def _balance(
    built: BuiltNet, ds: xr.Dataset, inj: Injections, area_names: list[str]
) -> xr.DataArray:
    """Hourly power balance per area; zero to solver tolerance when nothing leaked."""
    net = built.net
    bus_area = dict(zip(net.bus.index, ds.bus_area.values, strict=True))
    out = np.zeros((ds.sizes["time"], len(area_names)))
    for k, name in enumerate(area_names):
        gen = inj.gen_p_mw[:, net.gen.bus.map(bus_area).eq(name).to_numpy()].sum(axis=1)
        sgen = inj.sgen_p_mw[:, net.sgen.bus.map(bus_area).eq(name).to_numpy()].sum(axis=1)
        load = inj.load_p_mw[:, net.load.bus.map(bus_area).eq(name).to_numpy()].sum(axis=1)
        ext = ds.external_mw.sel(area=name).values
        out[:, k] = gen + sgen + ext - load - ds.ac_losses_mw.sel(area=name).values
    return xr.DataArray(
        out,
        dims=("time", "area"),
        attrs={"units": "MW", "long_name": "generation + external - load - converters - losses"},
    )
