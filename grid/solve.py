"""The base-case AC load flow of one hour, with results keyed by string IDs.

pandapower's Newton-Raphson ``runpp`` is the reference solver of the project;
every faster path is tested against :func:`run_ac`.  A case that does not
converge is a result (``converged = False`` with a reason), never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from casa1000.grid.areas import synchronous_areas
from casa1000.grid.builder import CONVERTER_PREFIX, BuiltNet, branch_ends, build_net
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import Schedule, make_schedule, split_export

RUNPP_OPTIONS: dict[str, Any] = {
    "algorithm": "nr",
    "init": "dc",
    "max_iteration": 30,
    "tolerance_mva": 1e-9,
    "numba": False,
    "lightsim2grid": False,
    "calculate_voltage_angles": True,
}
"""Options of the reference load flow: deterministic start, no JIT, no accelerator."""


def run_ac(built: BuiltNet) -> tuple[bool, str]:
    """Run pandapower's AC load flow on ``built.net`` in place.

    Returns
    -------
    tuple
        ``(converged, reason)``; the reason is empty when it converged.
    """
    import pandapower as pp

    try:
        pp.runpp(built.net, **RUNPP_OPTIONS)
    except pp.LoadflowNotConverged:
        return False, (
            f"Newton-Raphson did not converge in {RUNPP_OPTIONS['max_iteration']} iterations "
            "(the transfer is beyond the voltage-stability limit or the case is infeasible)"
        )
    return True, ""


@dataclass(frozen=True, kw_only=True)
class BaseCaseResult:
    """Results of one solved hour; DataFrames are indexed by string IDs."""

    variant: str
    export_mw: Mapping[str, float]
    converged: bool
    reason: str
    buses: pd.DataFrame
    branches: pd.DataFrame
    plants: pd.DataFrame
    converters: pd.DataFrame
    hvdc: Mapping[str, float]
    areas: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict keyed by string IDs."""

        def table(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
            def plain(v: Any) -> Any:
                if isinstance(v, float | np.floating) and not np.isfinite(v):
                    return None
                return v.item() if isinstance(v, np.generic) else v

            rows = df.to_dict(orient="index")
            return {str(k): {str(c): plain(v) for c, v in row.items()} for k, row in rows.items()}

        return {
            "variant": self.variant,
            "export_mw": dict(self.export_mw),
            "converged": self.converged,
            "reason": self.reason,
            "buses": table(self.buses),
            "branches": table(self.branches),
            "plants": table(self.plants),
            "converters": table(self.converters),
            "hvdc": dict(self.hvdc),
            "areas": table(self.areas),
        }


def extract_results(
    built: BuiltNet, schedule: Schedule, hour: int, *, converged: bool, reason: str
) -> BaseCaseResult:
    """Collect the results of a solved ``built.net`` under string IDs.

    Parameters
    ----------
    built
        A network on which :func:`run_ac` ran.
    schedule, hour
        The injections that were set.
    converged, reason
        What :func:`run_ac` returned; without convergence result columns are NaN.

    Returns
    -------
    BaseCaseResult
        Buses, branches, plants, converters, HVDC summary and area balances.
    """
    net, ix, params = built.net, built.index, built.params
    areas = synchronous_areas(params)
    nan = np.nan

    def res(table: str, column: str, idx: int) -> float:
        if not converged:
            return nan
        return float(getattr(net, f"res_{table}").at[idx, column])

    bus_rows = []
    for b in params.buses:
        i = ix.bus[b.id]
        vm = res("bus", "vm_pu", i)
        lo, hi = float(net.bus.at[i, "min_vm_pu"]), float(net.bus.at[i, "max_vm_pu"])
        bus_rows.append(
            {
                "id": b.id,
                "zone": b.zone,
                "area": areas[b.id],
                "vn_kv": b.vn_kv,
                "vm_pu": vm,
                "va_degree": res("bus", "va_degree", i),
                "min_vm_pu": lo,
                "max_vm_pu": hi,
                "in_band": bool(lo <= vm <= hi) if converged else False,
            }
        )
    ends = branch_ends(params)
    branch_rows = []
    for kind, mapping, parents, table, cols in (
        (
            "line",
            ix.line,
            ix.line_parent,
            "line",
            ("p_from_mw", "q_from_mvar", "p_to_mw", "q_to_mvar"),
        ),
        (
            "trafo",
            ix.trafo,
            ix.trafo_parent,
            "trafo",
            ("p_hv_mw", "q_hv_mvar", "p_lv_mw", "q_lv_mvar"),
        ),
    ):
        for cid, i in mapping.items():
            f_bus, t_bus = ends[parents[cid]]
            branch_rows.append(
                {
                    "id": cid,
                    "kind": kind,
                    "parent": parents[cid],
                    "from_bus": f_bus,
                    "to_bus": t_bus,
                    "area": areas[f_bus],
                    "p_from_mw": res(table, cols[0], i),
                    "q_from_mvar": res(table, cols[1], i),
                    "p_to_mw": res(table, cols[2], i),
                    "q_to_mvar": res(table, cols[3], i),
                    "pl_mw": res(table, "pl_mw", i),
                    "loading_percent": res(table, "loading_percent", i),
                }
            )
    plant_rows = []
    for j, p in enumerate(params.plants):
        table, i = ("gen", ix.gen[p.id]) if p.id in ix.gen else ("sgen", ix.sgen[p.id])
        plant_rows.append(
            {
                "id": p.id,
                "zone": p.zone,
                "bus": p.bus,
                "technology": p.technology.value,
                "p_max_mw": p.p_max_mw,
                "p_set_mw": float(schedule.plant_p_mw[hour, j]),
                "p_mw": res(table, "p_mw", i),
                "q_mvar": res(table, "q_mvar", i),
            }
        )
    state = schedule.hvdc
    conv_rows = []
    for k, tid in enumerate(state.terminal_ids):
        conv_rows.append(
            {
                "id": tid,
                "bus": state.terminal_buses[k],
                "role": "rectifier" if k == 0 else "inverter",
                "p_ac_mw": float(state.p_ac_mw[hour, k]),
                "q_conv_mvar": float(state.q_conv_mvar[hour, k]),
                "q_filter_mvar": float(state.q_filter_mvar[hour, k]),
                "q_net_mvar": float(state.q_net_mvar[hour, k]),
                "filter_banks_on": int(state.filter_banks_on[hour, k]),
                "converter_loss_mw": float(state.converter_loss_mw[hour, k]),
                "dc_voltage_kv": float(state.dc_voltage_kv[hour, k]),
            }
        )
    sent = float(state.sent_mw[hour].sum())
    hvdc = {
        "sent_mw": sent,
        "delivered_mw": float(state.delivered_mw[hour].sum()),
        "dc_line_loss_mw": float(state.dc_line_loss_mw[hour]),
        "converter_loss_mw": float(state.converter_loss_mw[hour].sum()),
        "total_loss_mw": float(state.total_loss_mw[hour]),
        "loss_percent": float(100 * state.total_loss_mw[hour] / sent) if sent > 0 else 0.0,
        "dc_current_ka": float(state.dc_current_ka[hour]),
        "blocked": float(state.blocked[hour]),
    }
    buses = pd.DataFrame(bus_rows).set_index("id")
    branches = pd.DataFrame(branch_rows).set_index("id")
    plants = pd.DataFrame(plant_rows).set_index("id")
    converters = pd.DataFrame(conv_rows).set_index("id")
    return BaseCaseResult(
        variant=params.variant.value,
        export_mw={
            o: float(v)
            for o, v in zip(params.roles.offtakers, schedule.export_mw[hour], strict=True)
        },
        converged=converged,
        reason=reason,
        buses=buses,
        branches=branches,
        plants=plants,
        converters=converters,
        hvdc=hvdc,
        areas=area_balance(built, converged=converged),
    )


def area_balance(built: BuiltNet, *, converged: bool) -> pd.DataFrame:
    """Active-power balance of each synchronous area [MW].

    ``mismatch_mw = generation + external - load - converters - shunts - losses``
    must be zero to the solver tolerance; it is the check that nothing leaked.
    """
    net, params = built.net, built.params
    areas = synchronous_areas(params)
    bus_area = {built.index.bus[b]: a for b, a in areas.items()}
    rows = []
    for area in sorted({a for a in areas.values() if a}):
        if not converged:
            rows.append(
                {
                    "area": area,
                    **dict.fromkeys(
                        (
                            "generation_mw",
                            "external_mw",
                            "load_mw",
                            "converter_mw",
                            "shunt_mw",
                            "losses_mw",
                            "mismatch_mw",
                        ),
                        np.nan,
                    ),
                }
            )
            continue

        def in_area(table: pd.DataFrame, bus_col: str = "bus", area: str = area) -> pd.Series:
            return table[bus_col].map(bus_area).eq(area)

        conv = net.load.name.str.startswith(CONVERTER_PREFIX)
        gen = net.res_gen.p_mw[in_area(net.gen)].sum() + net.res_sgen.p_mw[in_area(net.sgen)].sum()
        ext = net.res_ext_grid.p_mw[in_area(net.ext_grid)].sum()
        load = net.res_load.p_mw[in_area(net.load) & ~conv].sum()
        converter = net.res_load.p_mw[in_area(net.load) & conv].sum()
        shunt = net.res_shunt.p_mw[in_area(net.shunt)].sum()
        losses = net.res_line.pl_mw[in_area(net.line, "from_bus")].sum()
        losses += net.res_trafo.pl_mw[in_area(net.trafo, "hv_bus")].sum()
        rows.append(
            {
                "area": area,
                "generation_mw": gen,
                "external_mw": ext,
                "load_mw": load,
                "converter_mw": converter,
                "shunt_mw": shunt,
                "losses_mw": losses,
                "mismatch_mw": gen + ext - load - converter - shunt - losses,
            }
        )
    return pd.DataFrame(rows).set_index("area")


def solve_base_case(
    params: GridParams,
    *,
    export_mw: float,
    demand_mw: Mapping[str, float] | None = None,
) -> BaseCaseResult:
    """Solve the reference hour at a given total CASA export.

    Parameters
    ----------
    params
        The (validated) network.
    export_mw
        Total export at the sending end, split pro rata between Pakistan and
        Afghanistan as contracted [MW].
    demand_mw
        Demand of each supplier zone [MW]; the reference-hour demand of
        ``zones.csv`` by default.

    Returns
    -------
    BaseCaseResult
        The solved hour (or ``converged=False`` with a reason).
    """
    schedule = reference_schedule(params, export_mw=export_mw, demand_mw=demand_mw)
    built = build_net(params, schedule)
    converged, reason = run_ac(built)
    return extract_results(built, schedule, 0, converged=converged, reason=reason)


def reference_schedule(
    params: GridParams,
    *,
    export_mw: float,
    demand_mw: Mapping[str, float] | None = None,
) -> Schedule:
    """Injections of the reference hour at a given total CASA export.

    Parameters
    ----------
    params
        The network.
    export_mw
        Total export at the sending end, split pro rata to the contracts [MW].
    demand_mw
        Demand of each supplier zone [MW]; the reference-hour demand of
        ``zones.csv`` by default.

    Returns
    -------
    Schedule
        One hour of injections.
    """
    zones = {z.id: z.ref_demand_mw for z in params.zones}
    demand = dict(demand_mw) if demand_mw else {z: zones[z] for z in params.roles.suppliers}
    return make_schedule(
        params,
        demand_mw={z: [demand[z]] for z in params.roles.suppliers},
        export_mw=split_export(params.contract, [export_mw]),
    )
