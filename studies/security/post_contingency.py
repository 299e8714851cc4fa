"""The post-contingency state of every hour: what the system does after an outage.

The pre-contingency state of each hour is the seasonal dispatch
(:func:`casa1000.studies.spine.schedule_inputs.inputs_from_profiles` with the full
available export).  After an outage, before any operator action:

* **Branch outage**: the circuit or unit leaves service; line-connected reactors
  leave with their line.
* **Generator response**: a unit outage lowers its plant's output by one unit
  (``min(P, unit_mw)``), a plant trip by all of it.  The lost power is picked up
  by the other voltage-controlling plants of the same synchronous area that are
  running (an idle plant gives no governor response) in proportion to their
  participation factor ``p_max_mw``, each clipped to ``[0, p_max_mw]`` (what
  one plant cannot take is shared again among the rest); the area's external
  equivalent (slack) takes what is left and the change in losses.  A tripped
  plant's bus stops regulating voltage.
* **Commitment and reactive capability** after the response: a plant regulates
  its bus only while it runs, with the reactive capability of the units its
  output needs (:func:`~casa1000.grid.schedule.commitment`); the switched
  shunts keep their settings (they follow the offtake only where the HVDC or
  contract-path runback below changes it).
* **HVDC runback**: one pole lost is :func:`~casa1000.grid.schedule.make_schedule`
  with ``poles_in_service=1`` (the link carries at most half its rating, with
  monopolar losses); both poles lost blocks it.  The CAPS generation that was
  exporting the lost power backs down by the same participation rule, split
  between Kyrgyz and Tajik plants by the contract shares; Pakistan's slack
  makes up the lost import.  A converter whose AC bus an outage islands
  blocks the link the same way.
* **Contract path**: a supplier's export reaches the rectifier (and the Afghan
  corridor) only over the suppliers' own AC network.  If, after the outage, no
  bus of a supplier zone is connected to the rectifier's bus except through the
  buses of the suppliers' external equivalent (``roles.supplier_external``; the
  Kyrgyz share with Datka-Sughd out), that supplier's export cannot be
  delivered: the HVDC schedule and the Afghan offtake fall by it and its
  generation backs down by it (``suppliers_cut``; flag ``kg_share_lost``).
* **Islands**: buses cut off from their area's slack are de-energised; the
  load on them is unserved (converters are not load; an islanded Afghan offtake
  is also export lost).

Remedial actions after the outage (Afghan import runback, under-voltage load
shedding) are :mod:`casa1000.studies.security.remedial`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.areas import bus_components, equivalent_buses, synchronous_areas
from casa1000.grid.builder import CONVERTER_PREFIX, BuiltNet
from casa1000.grid.params import IMPORT_CATEGORY
from casa1000.grid.schedule import COMMITTED_MW, Schedule, commitment
from casa1000.studies.engine.batch_ac import Injections, injections_from_schedule
from casa1000.studies.security.contingency_set import Contingency
from casa1000.studies.spine.schedule_inputs import ScheduleInputs

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def share_by_participation(
    p_mw: FloatArray, delta_mw: FloatArray, eligible: BoolArray, p_max_mw: FloatArray
) -> FloatArray:
    """Add ``delta_mw`` to the eligible plants in proportion to ``p_max_mw``, within limits.

    Parameters
    ----------
    p_mw
        (hours, plants) outputs [MW]; not modified.
    delta_mw
        (hours,) power to add (negative: to back down) [MW].
    eligible
        (plants,) plants that take part.
    p_max_mw
        (plants,) participation factors and upper limits [MW].

    Returns
    -------
    numpy.ndarray
        New outputs, each within ``[0, p_max_mw]``; what no plant can take is
        left to the slack.

    Examples
    --------
    >>> out = share_by_participation(np.array([[90.0, 10.0]]), np.array([30.0]),
    ...                              np.array([True, True]), np.array([100.0, 100.0]))
    >>> out.round(6).tolist()
    [[100.0, 30.0]]
    """
    out = p_mw.copy()
    remaining = delta_mw.astype(np.float64).copy()
    free = np.broadcast_to(eligible, out.shape).copy()
    for _ in range(out.shape[1] + 1):
        weight = np.where(free, p_max_mw[None, :], 0.0)
        total = weight.sum(axis=1)
        active = (np.abs(remaining) > 1e-9) & (total > 0)
        if not active.any():
            break
        step = np.where(
            active[:, None],
            remaining[:, None] * weight / np.where(total > 0, total, 1)[:, None],
            0.0,
        )
        target = out + step
        clipped = np.clip(target, 0.0, p_max_mw[None, :])
        remaining = remaining - (clipped - out).sum(axis=1)
        free &= clipped == target
        out = clipped
    return out


@dataclass(frozen=True, kw_only=True)
class PostState:
    """Injections and topology of one contingency in every hour."""

    inj: Injections
    branch_out: BoolArray
    """(branches,) circuits and units out."""
    gen_out: BoolArray
    """(pandapower gens,) generators tripped (their bus stops regulating)."""
    shunts_out: tuple[int, ...]
    """Positions in ``net.shunt`` of the reactors that leave with their line."""
    island_bus: BoolArray
    """(buses,) buses cut off from their area's slack."""
    suppliers_cut: tuple[str, ...]
    """Supplier zones cut off from the rectifier except through the equivalent."""
    export_cut_mw: FloatArray
    """(hours,) scheduled export not sent after the runback [MW, sending end]."""
    unserved_mw: FloatArray
    """(hours,) load on islanded buses [MW]."""
    export_islanded_mw: FloatArray
    """(hours,) Afghan offtake on islanded buses [MW]."""
    hvdc_capacity_mw: float
    """Rating of the link with the poles left in service [MW]."""
    hvdc_sent_mw: FloatArray
    """(hours,) power sent into the HVDC after the runback [MW]."""

    @property
    def kg_share_lost(self) -> bool:
        """A supplier's share (the Kyrgyz one in the reference network) cannot be delivered."""
        return bool(self.suppliers_cut)


class PostContingency:
    """Builds the post-contingency state of each contingency over a run of hours.

    Parameters
    ----------
    built
        The network.
    inputs
        Schedule inputs of the hours; the base schedule is made from them.
    """

    def __init__(self, built: BuiltNet, inputs: ScheduleInputs) -> None:
        self.built = built
        self.inputs = inputs
        params = built.params
        net, ix = built.net, built.index
        self.params = params
        self.base_schedule = inputs.schedule(params)
        self.base = injections_from_schedule(built, self.base_schedule)
        bus_names = list(net.bus.name)
        self.bus_names = bus_names
        areas = synchronous_areas(params)
        self.bus_area = [areas[b] for b in bus_names]
        self.plant = {p.id: p for p in params.plants}
        self.gen_names = list(net.gen.name)
        self.sgen_names = list(net.sgen.name)
        self.gen_pmax = np.array([self.plant[n].p_max_mw for n in self.gen_names])
        self.gen_live = net.gen.in_service.to_numpy(dtype=bool)
        gen_bus = [bus_names[net.bus.index.get_loc(b)] for b in net.gen.bus]
        self.gen_area = np.array([areas[b] for b in gen_bus])
        self.gen_zone = np.array([self.plant[n].zone for n in self.gen_names])
        branch_ends = [
            *zip(net.line.from_bus, net.line.to_bus, strict=True),
            *zip(net.trafo.hv_bus, net.trafo.lv_bus, strict=True),
        ]
        pos = {b: i for i, b in enumerate(net.bus.index)}
        self.branch_ends = [(bus_names[pos[a]], bus_names[pos[b]]) for a, b in branch_ends]
        self.branch_live = np.concatenate(
            [net.line.in_service.to_numpy(dtype=bool), net.trafo.in_service.to_numpy(dtype=bool)]
        )
        self.branch_pos = {b: i for i, b in enumerate(ix.branch_ids)}
        names = list(net.load.name)
        imports = {ld.id for ld in params.loads if ld.category == IMPORT_CATEGORY}
        # converters and import points are not demand that can go unserved
        self.ordinary_load = np.array(
            [not n.startswith(CONVERTER_PREFIX) and n not in imports for n in names]
        )
        self.gen_plants = [self.plant[n] for n in self.gen_names]
        self.load_bus = np.array([pos[b] for b in net.load.bus])
        zone_of = {ld.id: ld.zone for ld in params.loads}
        offtakers = set(params.roles.offtakers)
        # offtaker loads follow the export: the Afghan offtake as built, a converter's delivery
        self.af_load = np.array([zone_of.get(n) in offtakers for n in names])
        self.converter_bus = {t.id: bus_names.index(t.bus) for t in params.hvdc.terminals}
        shunt_line = net.shunt.get("line", None)
        self.shunt_line = [] if shunt_line is None else [str(v) for v in shunt_line]
        self.zone_of_bus = {b.id: b.zone for b in params.buses}
        self.equivalent = equivalent_buses(params)
        self.rectifier_bus = params.hvdc.rectifier.bus
        self._poles: dict[tuple[int, tuple[str, ...]], Schedule] = {}

    def injections(
        self,
        gen_p: FloatArray,
        sgen_p: FloatArray,
        load_p: FloatArray,
        load_q: FloatArray,
        shunt_q: FloatArray | None,
        gen_out: BoolArray,
    ) -> Injections:
        """Post-contingency injections with the commitment their generator outputs imply.

        Parameters
        ----------
        gen_p, sgen_p, load_p, load_q
            (hours, elements) injections [MW], [Mvar].
        shunt_q
            (hours, switched shunts) settings [Mvar at 1 pu].
        gen_out
            (gens,) generators tripped.

        Returns
        -------
        Injections
            A generator regulates while it runs and is not tripped, with the
            reactive capability of the units its output needs.
        """
        committed, q_min, q_max = commitment(self.gen_plants, gen_p)
        return Injections(
            gen_p_mw=gen_p,
            sgen_p_mw=sgen_p,
            load_p_mw=load_p,
            load_q_mvar=load_q,
            shunt_q_mvar=shunt_q,
            gen_on=committed & self.gen_live & ~gen_out,
            gen_q_min_mvar=q_min,
            gen_q_max_mvar=q_max,
        )

    def _schedule(self, poles: int, cut: tuple[str, ...]) -> Schedule:
        key = (poles, cut)
        if key not in self._poles:
            inputs = self.inputs.without_suppliers(cut, self.base_schedule) if cut else self.inputs
            self._poles[key] = inputs.schedule(self.params, poles_in_service=poles)
        return self._poles[key]

    def islands(self, branch_out: BoolArray) -> BoolArray:
        """(buses,) buses no longer connected to their area's slack after ``branch_out``."""
        live = self.branch_live & ~branch_out
        edges = [e for e, on in zip(self.branch_ends, live, strict=True) if on]
        labels = bus_components(self.bus_names, edges)
        slack_labels = {int(labels[self.bus_names.index(e.bus)]) for e in self.params.externals}
        return np.array([int(lab) not in slack_labels for lab in labels])

    def suppliers_cut(self, branch_out: BoolArray) -> tuple[str, ...]:
        """Supplier zones with no bus reaching the rectifier, bar through the equivalent.

        Parameters
        ----------
        branch_out
            (branches,) circuits and units out.

        Returns
        -------
        tuple
            The zones cut off (``("KG",)`` with Datka-Sughd out), in supplier order.
        """
        live = self.branch_live & ~branch_out
        edges = [
            e
            for e, on in zip(self.branch_ends, live, strict=True)
            if on and not (self.equivalent & set(e))
        ]
        labels = bus_components(self.bus_names, edges)
        path = int(labels[self.bus_names.index(self.rectifier_bus)])
        return tuple(
            zone
            for zone in self.params.roles.suppliers
            if not any(
                int(labels[i]) == path
                for i, b in enumerate(self.bus_names)
                if self.zone_of_bus[b] == zone
            )
        )

    def state(self, c: Contingency) -> PostState:
        """Build the post-contingency injections and topology of ``c`` in every hour."""
        params = self.params
        base, sched = self.base, self.base_schedule
        hours = base.rows
        branch_out = np.zeros(len(self.branch_pos), dtype=bool)
        for b in c.branches:
            branch_out[self.branch_pos[b]] = True
        island = self.islands(branch_out)
        cut = self.suppliers_cut(branch_out)
        poles = params.hvdc.poles - c.poles_lost
        if any(island[self.converter_bus[t.id]] for t in params.hvdc.terminals):
            poles = 0  # an islanded converter blocks the link
        gen_p = base.gen_p_mw.copy()
        sgen_p = base.sgen_p_mw.copy()
        load_p = base.load_p_mw.copy()
        load_q = base.load_q_mvar.copy()
        shunt_q = base.shunt_q_mvar
        # only running plants respond (an idle one has no governor response)
        running = self.gen_live & (gen_p > COMMITTED_MW)
        export_cut = np.zeros(hours)
        hvdc_sent = sched.hvdc.sent_mw.sum(axis=1)
        if poles != params.hvdc.poles or cut:
            alt = self._schedule(poles, cut)
            alt_inj = injections_from_schedule(self.built, alt)
            # converters, switched compensators and the Afghan offtake follow the runback
            follow = ~self.ordinary_load | self.af_load
            load_p[:, follow] = alt_inj.load_p_mw[:, follow]
            load_q[:, follow] = alt_inj.load_q_mvar[:, follow]
            shunt_q = alt_inj.shunt_q_mvar
            export_cut = sched.sent_mw - alt.sent_mw
            hvdc_sent = alt.hvdc.sent_mw.sum(axis=1)
            # each supplier's running plants follow the change of its own export
            for k, zone in enumerate(sched.suppliers):
                eligible = running & (self.gen_zone == zone)
                delta = alt.supplier_export_mw[:, k] - sched.supplier_export_mw[:, k]
                gen_p = share_by_participation(gen_p, delta, eligible, self.gen_pmax)
        gen_out = np.zeros(len(self.gen_names), dtype=bool)
        lost: dict[str, FloatArray] = {}
        excluded = np.zeros(len(self.gen_names), dtype=bool)
        for pid, whole in [*((u, False) for u in c.units), *((p, True) for p in c.plants)]:
            plant = self.plant[pid]
            if pid in self.gen_names:
                j = self.gen_names.index(pid)
                drop = gen_p[:, j].copy() if whole else np.minimum(gen_p[:, j], plant.unit_mw)
                gen_p[:, j] -= drop
                gen_out[j] |= whole
                excluded[j] = True
                area = str(self.gen_area[j])
            else:
                j = self.sgen_names.index(pid)
                drop = sgen_p[:, j].copy() if whole else np.minimum(sgen_p[:, j], plant.unit_mw)
                sgen_p[:, j] -= drop
                area = self.bus_area[self.bus_names.index(plant.bus)]
            lost[area] = lost.get(area, np.zeros(hours)) + drop
        # each area's plants make up what that area lost, and only that
        for area, lost_mw in lost.items():
            eligible = running & ~excluded & (self.gen_area == area)
            gen_p = share_by_participation(gen_p, lost_mw, eligible, self.gen_pmax)
        # loads on islanded buses are unserved; the batch solver drops them with their island
        dead_load = island[self.load_bus]
        unserved = (load_p[:, dead_load & self.ordinary_load]).sum(axis=1)
        af_islanded = (load_p[:, dead_load & self.af_load]).sum(axis=1)
        shunts_out = tuple(
            k
            for k, line in enumerate(self.shunt_line)
            if line and any(self.built.index.line_parent.get(b) == line for b in c.branches)
        )
        return PostState(
            inj=self.injections(gen_p, sgen_p, load_p, load_q, shunt_q, gen_out),
            branch_out=branch_out,
            gen_out=gen_out,
            shunts_out=shunts_out,
            island_bus=island,
            suppliers_cut=cut,
            export_cut_mw=export_cut,
            unserved_mw=unserved,
            export_islanded_mw=af_islanded,
            hvdc_capacity_mw=min(params.hvdc.rating_mw, params.hvdc.rectifier.rating_mw)
            * poles
            / params.hvdc.poles,
            hvdc_sent_mw=hvdc_sent,
        )
