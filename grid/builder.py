"""The pure builder from :class:`GridParams` to a pandapower network.

Lines with several circuits and transformer banks with several units become one
pandapower element per circuit or unit (``ROGUN_DUSHANBE/1``, ``/2``) so each can
be outaged on its own.  Converters are fixed P/Q loads named ``HVDC:<terminal>``
(see :mod:`casa1000.grid.hvdc` for why); line-connected reactors carry the name
of their line so they leave service with it.  Shunts switched with the offtake
are pandapower shunts (admittances: their reactive power goes with V²) whose
setting :func:`set_hour` writes each hour.  Every element's pandapower ``name``
is its string ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casa1000.grid.equivalents import tie_impedance_ohm
from casa1000.grid.params import GridParams, ShuntSwitching
from casa1000.grid.schedule import Q_MAX_PER_MW, Q_MIN_PER_MW, Schedule

if TYPE_CHECKING:
    from pandapower.auxiliary import pandapowerNet

CONVERTER_PREFIX = "HVDC:"
VOLTAGE_BAND_PU = {500.0: (0.95, 1.05), 220.0: (0.90, 1.10)}
"""Normal operating band of bus voltage by nominal voltage [pu]."""


def branch_ends(params: GridParams) -> dict[str, tuple[str, str]]:
    """Line, tie or transformer id -> its (from or hv, to or lv) bus ids."""
    ends = {ln.id: (ln.from_bus, ln.to_bus) for ln in params.lines}
    ends.update({t.id: (t.bus, t.to_bus) for t in params.ties})
    ends.update({t.id: (t.hv_bus, t.lv_bus) for t in params.trafos})
    return ends


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
    """Shunts switched with the offtake -> their index in ``net.shunt`` (also in :attr:`shunt`)."""
    shunt: dict[str, int] = field(default_factory=dict)
    ext_grid: dict[str, int] = field(default_factory=dict)

    @property
    def branch_ids(self) -> list[str]:
        """Line circuits then transformer units, the branch order used by studies."""
        return [*self.line, *self.trafo]

    def circuits(self, parents: Iterable[str]) -> list[str]:
        """Branch IDs (circuits or units) of the lines or transformers ``parents``.

        Examples
        --------
        >>> from casa1000.grid.reference import load_reference
        >>> built = build_net(load_reference())
        >>> built.index.circuits(built.params.roles.supplier_ties)
        ['DATKA_SUGHD']
        """
        wanted = set(parents)
        owner = {**self.line_parent, **self.trafo_parent}
        return [b for b in self.branch_ids if owner.get(b) in wanted]


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
    # the plural create functions build each table in one step (pandapower's
    # per-element create calls cost about 5 ms each)
    bands = [VOLTAGE_BAND_PU.get(b.vn_kv, (0.9, 1.1)) for b in params.buses]
    bus_idx = pp.create_buses(
        net,
        len(params.buses),
        vn_kv=[b.vn_kv for b in params.buses],
        name=[b.id for b in params.buses],
        zone=[b.zone for b in params.buses],
        geodata=[(b.lon, b.lat) for b in params.buses],
        min_vm_pu=[lo for lo, _ in bands],
        max_vm_pu=[hi for _, hi in bands],
        in_service=[b.in_service for b in params.buses],
    )
    ix.bus.update(zip((b.id for b in params.buses), (int(i) for i in bus_idx), strict=True))

    types = {t.id: t for t in params.line_types}
    circuits = [(cid, ln) for ln in params.lines for cid in element_ids(ln.id, ln.circuits)]
    line_idx = pp.create_lines_from_parameters(
        net,
        [ix.bus[ln.from_bus] for _, ln in circuits],
        [ix.bus[ln.to_bus] for _, ln in circuits],
        length_km=[ln.length_km for _, ln in circuits],
        r_ohm_per_km=[types[ln.line_type].r_ohm_per_km for _, ln in circuits],
        x_ohm_per_km=[types[ln.line_type].x_ohm_per_km for _, ln in circuits],
        c_nf_per_km=[types[ln.line_type].c_nf_per_km for _, ln in circuits],
        max_i_ka=[types[ln.line_type].max_i_ka for _, ln in circuits],
        name=[cid for cid, _ in circuits],
        max_loading_percent=100.0,
        in_service=[ln.in_service for _, ln in circuits],
    )
    for (cid, ln), i in zip(circuits, line_idx, strict=True):
        ix.line[cid] = int(i)
        ix.line_parent[cid] = ln.id

    # ties to the external equivalents: series impedances without charging, one
    # pandapower line of 1 km per circuit so that they outage like any circuit
    tie_circuits = [(cid, t) for t in params.ties for cid in element_ids(t.id, t.circuits)]
    if tie_circuits:
        z = [tie_impedance_ohm(t, params.bus(t.bus).vn_kv) for _, t in tie_circuits]
        tie_idx = pp.create_lines_from_parameters(
            net,
            [ix.bus[t.bus] for _, t in tie_circuits],
            [ix.bus[t.to_bus] for _, t in tie_circuits],
            length_km=1.0,
            r_ohm_per_km=[r for r, _ in z],
            x_ohm_per_km=[x for _, x in z],
            c_nf_per_km=0.0,
            max_i_ka=[t.max_i_ka for _, t in tie_circuits],
            name=[cid for cid, _ in tie_circuits],
            max_loading_percent=100.0,
            in_service=[t.in_service for _, t in tie_circuits],
        )
        for (cid, t), i in zip(tie_circuits, tie_idx, strict=True):
            ix.line[cid] = int(i)
            ix.line_parent[cid] = t.id

    units = [(uid, tr) for tr in params.trafos for uid in element_ids(tr.id, tr.units)]
    if units:
        trafo_idx = pp.create_transformers_from_parameters(
            net,
            [ix.bus[tr.hv_bus] for _, tr in units],
            [ix.bus[tr.lv_bus] for _, tr in units],
            sn_mva=[tr.sn_mva for _, tr in units],
            vn_hv_kv=[params.bus(tr.hv_bus).vn_kv for _, tr in units],
            vn_lv_kv=[params.bus(tr.lv_bus).vn_kv for _, tr in units],
            vkr_percent=[tr.vkr_percent for _, tr in units],
            vk_percent=[tr.vk_percent for _, tr in units],
            pfe_kw=0.0,
            i0_percent=0.0,
            name=[uid for uid, _ in units],
            max_loading_percent=100.0,
            in_service=[tr.in_service for _, tr in units],
        )
        for (uid, tr), i in zip(units, trafo_idx, strict=True):
            ix.trafo[uid] = int(i)
            ix.trafo_parent[uid] = tr.id

    regulating = [p for p in params.plants if p.vm_pu is not None]
    fixed = [p for p in params.plants if p.vm_pu is None]
    if regulating:
        # Q limits of all units running; set_hour narrows them to the units committed.
        # They are recorded for reporting; the load flow does not enforce them
        gen_idx = pp.create_gens(
            net,
            [ix.bus[p.bus] for p in regulating],
            p_mw=0.0,
            vm_pu=[p.vm_pu for p in regulating],
            name=[p.id for p in regulating],
            max_p_mw=[p.p_max_mw for p in regulating],
            min_p_mw=0.0,
            max_q_mvar=[Q_MAX_PER_MW * p.p_max_mw for p in regulating],
            min_q_mvar=[Q_MIN_PER_MW * p.p_max_mw for p in regulating],
            in_service=[p.in_service for p in regulating],
        )
        ix.gen.update(zip((p.id for p in regulating), (int(i) for i in gen_idx), strict=True))
    if fixed:
        sgen_idx = pp.create_sgens(
            net,
            [ix.bus[p.bus] for p in fixed],
            p_mw=0.0,
            q_mvar=0.0,
            name=[p.id for p in fixed],
            in_service=[p.in_service for p in fixed],
        )
        ix.sgen.update(zip((p.id for p in fixed), (int(i) for i in sgen_idx), strict=True))

    load_rows: list[tuple[str, str, bool, dict[str, int], str]] = [
        (ld.id, ld.bus, ld.in_service, ix.load, ld.id) for ld in params.loads
    ]
    load_rows += [
        (t.id, t.bus, True, ix.converter, CONVERTER_PREFIX + t.id) for t in params.hvdc.terminals
    ]
    load_idx = pp.create_loads(
        net,
        [ix.bus[bus] for _, bus, _, _, _ in load_rows],
        p_mw=0.0,
        q_mvar=0.0,
        name=[name for *_, name in load_rows],
        in_service=[on for _, _, on, _, _ in load_rows],
    )
    for (key, _, _, mapping, _), i in zip(load_rows, load_idx, strict=True):
        mapping[key] = int(i)

    line_service = {ln.id: ln.in_service for ln in params.lines}
    # fixed shunts first, then those switched with the offtake (at their light-load
    # setting until set_hour writes an hour)
    fixed_first = sorted(params.shunts, key=lambda sh: sh.switching is ShuntSwitching.AF_OFFTAKE)
    switched = [sh for sh in fixed_first if sh.switching is ShuntSwitching.AF_OFFTAKE]
    if fixed_first:
        shunt_idx = pp.create_shunts(
            net,
            [ix.bus[sh.bus] for sh in fixed_first],
            q_mvar=[
                (sh.q_light_mvar or 0.0) if sh.switching is ShuntSwitching.AF_OFFTAKE else sh.q_mvar
                for sh in fixed_first
            ],
            p_mw=0.0,
            name=[sh.id for sh in fixed_first],
            in_service=[
                sh.in_service and line_service.get(sh.line or "", True) for sh in fixed_first
            ],
        )
        ix.shunt.update(
            zip((sh.id for sh in fixed_first), (int(i) for i in shunt_idx), strict=True)
        )
        ix.compensator.update({sh.id: ix.shunt[sh.id] for sh in switched})
        net.shunt["line"] = [sh.line or "" for sh in fixed_first]
    for e in params.externals:
        # the reactive capability is recorded on the slack (a load flow cannot limit a
        # slack, but an exported case carries it instead of pandapower's default of zero)
        ix.ext_grid[e.id] = int(
            pp.create_ext_grid(
                net,
                ix.bus[e.bus],
                vm_pu=e.vm_pu,
                name=e.id,
                min_q_mvar=e.q_min_mvar,
                max_q_mvar=e.q_max_mvar,
            )
        )
    built = BuiltNet(net=net, index=ix, params=params)
    if schedule is not None:
        set_hour(built, schedule, hour)
    return built


def set_hour(
    built: BuiltNet, schedule: Schedule, hour: int, *, honour_commitment: bool = False
) -> None:
    """Write the injections of one hour of ``schedule`` into ``built.net`` (in place).

    Parameters
    ----------
    built
        A network from :func:`build_net`; the caller owns it.
    schedule
        The injections.
    hour
        Row of ``schedule``.
    honour_commitment
        Take idle plants (dispatched at 0 MW) out of service, so their buses do
        not regulate voltage (``schedule.plant_committed``).  The hour's reactive
        capability of the running units is written to the generators' Q limits
        either way (recorded, enforced only by ``runpp(enforce_q_lims=True)``).
    """
    net, ix = built.net, built.index
    in_service = {p.id: p.in_service for p in built.params.plants}
    for j, lid in enumerate(schedule.load_ids):
        net.load.at[ix.load[lid], "p_mw"] = float(schedule.load_p_mw[hour, j])
        net.load.at[ix.load[lid], "q_mvar"] = float(schedule.load_q_mvar[hour, j])
    for j, pid in enumerate(schedule.plant_ids):
        value = float(schedule.plant_p_mw[hour, j])
        if pid in ix.gen:
            g = ix.gen[pid]
            net.gen.at[g, "p_mw"] = value
            net.gen.at[g, "min_q_mvar"] = float(schedule.plant_q_min_mvar[hour, j])
            net.gen.at[g, "max_q_mvar"] = float(schedule.plant_q_max_mvar[hour, j])
            if honour_commitment:
                on = bool(schedule.plant_committed[hour, j]) and in_service[pid]
                net.gen.at[g, "in_service"] = on
        else:
            net.sgen.at[ix.sgen[pid], "p_mw"] = value
    for j, cid in enumerate(schedule.compensator_ids):
        net.shunt.at[ix.compensator[cid], "q_mvar"] = float(schedule.compensator_q_mvar[hour, j])
    state = schedule.hvdc
    for k, tid in enumerate(state.terminal_ids):
        net.load.at[ix.converter[tid], "p_mw"] = float(state.p_ac_mw[hour, k])
        net.load.at[ix.converter[tid], "q_mvar"] = float(state.q_net_mvar[hour, k])
