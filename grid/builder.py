"""The pure builder from :class:`GridParams` to a pandapower network.

Lines with several circuits and transformer banks with several units become one
pandapower element per circuit or unit (``ROGUN_DUSHANBE/1``, ``/2``) so each can
be outaged on its own.  Converters are fixed P/Q loads named ``HVDC:<terminal>``
(see :mod:`casa1000.grid.hvdc` for why); line-connected reactors carry the name
of their line so they leave service with it.  Every element's pandapower
``name`` is its string ID.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casa1000.grid.params import GridParams, ShuntSwitching
from casa1000.grid.schedule import Schedule

if TYPE_CHECKING:
    from pandapower.auxiliary import pandapowerNet

CONVERTER_PREFIX = "HVDC:"
COMPENSATOR_PREFIX = "COMP:"
VOLTAGE_BAND_PU = {500.0: (0.95, 1.05), 220.0: (0.90, 1.10)}
"""Normal operating band of bus voltage by nominal voltage [pu]."""


def element_ids(base_id: str, count: int) -> list[str]:
    """IDs of the circuits or units of an element: ``X`` alone, or ``X/1 ... X/n``."""
    return [base_id] if count == 1 else [f"{base_id}/{k}" for k in range(1, count + 1)]


@dataclass(frozen=True, kw_only=True)
class NetIndex:
    """String ID -> pandapower index, per element table.  Internal to grid and studies."""

    bus: dict[str, int] = field(default_factory=dict)
    line: dict[str, int] = field(default_factory=dict)
    line_parent: dict[str, str] = field(default_factory=dict)
    trafo: dict[str, int] = field(default_factory=dict)
    trafo_parent: dict[str, str] = field(default_factory=dict)
    gen: dict[str, int] = field(default_factory=dict)
    sgen: dict[str, int] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)
    converter: dict[str, int] = field(default_factory=dict)
    compensator: dict[str, int] = field(default_factory=dict)
    shunt: dict[str, int] = field(default_factory=dict)
    ext_grid: dict[str, int] = field(default_factory=dict)

    @property
    def branch_ids(self) -> list[str]:
        """Line circuits then transformer units, the branch order used by studies."""
        return [*self.line, *self.trafo]


@dataclass(frozen=True, kw_only=True)
class BuiltNet:
    """A pandapower network with the map from string IDs to its indices."""

    net: pandapowerNet
    index: NetIndex
    params: GridParams


def build_net(params: GridParams, schedule: Schedule | None = None, hour: int = 0) -> BuiltNet:
    """Build the pandapower network of ``params``.

    Parameters
    ----------
    params
        The network parameters (validated; see :func:`casa1000.grid.validate.validate_params`).
    schedule
        Injections to set; without one, loads, plants and converters are at zero.
    hour
        Row of ``schedule`` to set.

    Returns
    -------
    BuiltNet
        The network and its index.  ``params`` is not modified.
    """
    import pandapower as pp

    net = pp.create_empty_network(name=f"CASA-1000 {params.variant.value}", f_hz=50.0)
    ix = NetIndex()
    for b in params.buses:
        vmin, vmax = VOLTAGE_BAND_PU.get(b.vn_kv, (0.9, 1.1))
        ix.bus[b.id] = pp.create_bus(
            net,
            vn_kv=b.vn_kv,
            name=b.id,
            zone=b.zone,
            geodata=(b.lon, b.lat),
            min_vm_pu=vmin,
            max_vm_pu=vmax,
            in_service=b.in_service,
        )
    types = {t.id: t for t in params.line_types}
    for ln in params.lines:
        t = types[ln.line_type]
        for cid in element_ids(ln.id, ln.circuits):
            ix.line[cid] = pp.create_line_from_parameters(
                net,
                ix.bus[ln.from_bus],
                ix.bus[ln.to_bus],
                length_km=ln.length_km,
                r_ohm_per_km=t.r_ohm_per_km,
                x_ohm_per_km=t.x_ohm_per_km,
                c_nf_per_km=t.c_nf_per_km,
                max_i_ka=t.max_i_ka,
                name=cid,
                max_loading_percent=100.0,
                in_service=ln.in_service,
            )
            ix.line_parent[cid] = ln.id
    for tr in params.trafos:
        hv, lv = params.bus(tr.hv_bus), params.bus(tr.lv_bus)
        for uid in element_ids(tr.id, tr.units):
            ix.trafo[uid] = pp.create_transformer_from_parameters(
                net,
                ix.bus[tr.hv_bus],
                ix.bus[tr.lv_bus],
                sn_mva=tr.sn_mva,
                vn_hv_kv=hv.vn_kv,
                vn_lv_kv=lv.vn_kv,
                vkr_percent=tr.vkr_percent,
                vk_percent=tr.vk_percent,
                pfe_kw=0.0,
                i0_percent=0.0,
                name=uid,
                max_loading_percent=100.0,
                in_service=tr.in_service,
            )
            ix.trafo_parent[uid] = tr.id
    for p in params.plants:
        if p.vm_pu is None:
            ix.sgen[p.id] = pp.create_sgen(
                net, ix.bus[p.bus], p_mw=0.0, q_mvar=0.0, name=p.id, in_service=p.in_service
            )
        else:
            # Q limits are recorded for reporting; the load flow does not enforce them
            ix.gen[p.id] = pp.create_gen(
                net,
                ix.bus[p.bus],
                p_mw=0.0,
                vm_pu=p.vm_pu,
                name=p.id,
                max_p_mw=p.p_max_mw,
                min_p_mw=0.0,
                max_q_mvar=0.6 * p.p_max_mw,
                min_q_mvar=-0.3 * p.p_max_mw,
                in_service=p.in_service,
            )
    for ld in params.loads:
        ix.load[ld.id] = pp.create_load(
            net, ix.bus[ld.bus], p_mw=0.0, q_mvar=0.0, name=ld.id, in_service=ld.in_service
        )
    for term in params.hvdc.terminals:
        ix.converter[term.id] = pp.create_load(
            net, ix.bus[term.bus], p_mw=0.0, q_mvar=0.0, name=CONVERTER_PREFIX + term.id
        )
    line_service = {ln.id: ln.in_service for ln in params.lines}
    for sh in params.shunts:
        if sh.switching is ShuntSwitching.AF_OFFTAKE:
            ix.compensator[sh.id] = pp.create_load(
                net,
                ix.bus[sh.bus],
                p_mw=0.0,
                q_mvar=0.0,
                name=COMPENSATOR_PREFIX + sh.id,
                in_service=sh.in_service,
            )
            continue
        in_service = sh.in_service and line_service.get(sh.line or "", True)
        ix.shunt[sh.id] = pp.create_shunt(
            net, ix.bus[sh.bus], q_mvar=sh.q_mvar, p_mw=0.0, name=sh.id, in_service=in_service
        )
        net.shunt.loc[ix.shunt[sh.id], "line"] = sh.line or ""
    for e in params.externals:
        ix.ext_grid[e.id] = pp.create_ext_grid(net, ix.bus[e.bus], vm_pu=e.vm_pu, name=e.id)
    built = BuiltNet(net=net, index=ix, params=params)
    if schedule is not None:
        set_hour(built, schedule, hour)
    return built


def set_hour(built: BuiltNet, schedule: Schedule, hour: int) -> None:
    """Write the injections of one hour of ``schedule`` into ``built.net`` (in place).

    Parameters
    ----------
    built
        A network from :func:`build_net`; the caller owns it.
    schedule
        The injections.
    hour
        Row of ``schedule``.
    """
    net, ix = built.net, built.index
    for j, lid in enumerate(schedule.load_ids):
        net.load.at[ix.load[lid], "p_mw"] = float(schedule.load_p_mw[hour, j])
        net.load.at[ix.load[lid], "q_mvar"] = float(schedule.load_q_mvar[hour, j])
    for j, pid in enumerate(schedule.plant_ids):
        value = float(schedule.plant_p_mw[hour, j])
        if pid in ix.gen:
            net.gen.at[ix.gen[pid], "p_mw"] = value
        else:
            net.sgen.at[ix.sgen[pid], "p_mw"] = value
    for j, cid in enumerate(schedule.compensator_ids):
        net.load.at[ix.compensator[cid], "q_mvar"] = float(schedule.compensator_q_mvar[hour, j])
    state = schedule.hvdc
    for k, tid in enumerate(state.terminal_ids):
        net.load.at[ix.converter[tid], "p_mw"] = float(state.p_ac_mw[hour, k])
        net.load.at[ix.converter[tid], "q_mvar"] = float(state.q_net_mvar[hour, k])
