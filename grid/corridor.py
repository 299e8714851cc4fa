"""The AC corridor to an offtaker without a converter: its transfer limits by continuation.

As built, Afghanistan's share travels from Sangtuda over the 274 km double-circuit
220 kV line to Pul-e-Khumri and on to Kabul.  Such a long radial line collapses
in voltage under heavy load: past the nose of its PV curve there is no load-flow
solution.  :func:`corridor_limit` finds, on the reference hour, the highest
offtake that still solves (the nose) and the highest that keeps every offtaker
bus at or above a voltage limit, with some corridor circuits out.

The offtake is raised in steps, each load flow starting from the previous
solution (a continuation without a predictor), and each threshold is then
bisected to ``tol_mw``.  Newton-Raphson warm-started this way follows the upper
branch of the PV curve to within a few MW of the nose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.builder import BuiltNet, build_net, set_hour
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import make_schedule
from casa1000.grid.solve import RUNPP_OPTIONS


@dataclass(frozen=True, kw_only=True)
class CorridorLimit:
    """Transfer limits of the AC corridor to one offtaker on the reference hour ([MW], [pu])."""

    offtaker: str
    circuits_out: tuple[str, ...]
    nose_mw: float
    """Highest offtake at which the load flow converges (the nose of the PV curve)."""
    voltage_limit_mw: float
    """Highest offtake with every bus of the offtaker's zone at or above ``vmin_pu``."""
    vmin_pu: float
    vm_at_nose_pu: float
    """Lowest offtaker-bus voltage at the nose."""
    contract_mw: float


def corridor_lines(params: GridParams) -> tuple[str, ...]:
    """Lines joining a supplier zone to an offtaker served over AC (the Tajik-Afghan line).

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> corridor_lines(load_reference("as_built"))
    ('SANGTUDA_PULEKHUMRI',)
    """
    zone = {b.id: b.zone for b in params.buses}
    ac = set(params.ac_offtakers)
    suppliers = set(params.roles.suppliers)
    return tuple(
        ln.id
        for ln in params.lines
        if ln.in_service
        and {zone[ln.from_bus], zone[ln.to_bus]} & ac
        and {zone[ln.from_bus], zone[ln.to_bus]} & suppliers
    )


class _Continuation:
    """Solves the reference hour at a given offtake, warm-started on the upper branch.

    Every converged solution is kept by offtake; a new offtake starts from the
    kept solution at the nearest offtake below it, so the Newton-Raphson never
    starts from a point near the nose and slides to the lower (unstable) branch.
    """

    def __init__(
        self,
        params: GridParams,
        offtaker: str,
        circuits_out: Sequence[str],
        demand_mw: Mapping[str, float],
    ) -> None:
        self.params = params
        self.offtaker = offtaker
        self.demand = {z: [demand_mw[z]] for z in params.roles.suppliers}
        self.others = {o: [mw] for o, mw in params.contract.offtaker_mw.items() if o != offtaker}
        self.built: BuiltNet = build_net(params)
        net = self.built.net
        for c in circuits_out:
            net.line.at[self.built.index.line[c], "in_service"] = False
        zone_buses = [b.id for b in params.buses if b.zone == offtaker]
        self.watch = [self.built.index.bus[b] for b in zone_buses]
        self.solved: dict[float, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = {}

    def solve(self, offtake_mw: float) -> float | None:
        """Lowest offtaker-bus voltage at ``offtake_mw`` [pu], or None if it diverges."""
        import pandapower as pp

        schedule = make_schedule(
            self.params,
            demand_mw=self.demand,
            export_mw={**self.others, self.offtaker: [offtake_mw]},
        )
        set_hour(self.built, schedule, 0)
        net = self.built.net
        options = dict(RUNPP_OPTIONS)
        below = [level for level in self.solved if level <= offtake_mw]
        if below:
            options["init"] = "auto"
            options["init_vm_pu"], options["init_va_degree"] = self.solved[max(below)]
        try:
            pp.runpp(net, **options)
        except pp.LoadflowNotConverged:
            return None
        self.solved[offtake_mw] = (net.res_bus.vm_pu.to_numpy(), net.res_bus.va_degree.to_numpy())
        return float(net.res_bus.vm_pu.loc[self.watch].min())


def corridor_limit(
    params: GridParams,
    *,
    circuits_out: Sequence[str] | None = None,
    offtaker: str | None = None,
    vmin_pu: float = 0.90,
    demand_mw: Mapping[str, float] | None = None,
    step_mw: float = 10.0,
    tol_mw: float = 0.5,
) -> CorridorLimit:
    """Find the nose and the voltage limit of the AC corridor on the reference hour.

    Parameters
    ----------
    params
        The network (as built: an offtaker served over AC).
    circuits_out
        Circuits out of service (``("SANGTUDA_PULEKHUMRI/1",)``); by default the
        first circuit of the first corridor line; ``()`` for the intact corridor.
    offtaker
        The offtaker served over AC; the first one by default.
    vmin_pu
        Voltage limit of the offtaker's buses [pu].
    demand_mw
        Supplier demand [MW]; the reference hour of ``zones.csv`` by default.
        The other offtakers take their contracted power.
    step_mw
        Offtake step of the continuation [MW].
    tol_mw
        Width to which each threshold is bisected [MW].

    Returns
    -------
    CorridorLimit
        The limits; each equals the contracted offtake if it is never reached.
        ``voltage_limit_mw`` is the top of the lowest offtake band that holds
        the voltage limit (the switched compensation can keep the voltage low
        at light load, so the band need not start at zero).

    Raises
    ------
    ValueError
        If no offtaker is served over AC (the 2014 design), or the corridor
        does not solve without offtake.
    """
    ac = params.ac_offtakers
    if not ac:
        raise ValueError("no offtaker is served over AC in this network")
    offtaker = offtaker or ac[0]
    if circuits_out is None:
        first = corridor_lines(params)[0]
        line = next(ln for ln in params.lines if ln.id == first)
        circuits_out = (first if line.circuits == 1 else f"{first}/1",)
    zones = {z.id: z.ref_demand_mw for z in params.zones}
    demand = dict(demand_mw) if demand_mw else {z: zones[z] for z in params.roles.suppliers}
    contract = params.contract.offtaker_mw[offtaker]
    run = _Continuation(params, offtaker, circuits_out, demand)

    levels = [float(v) for v in np.arange(0.0, contract, step_mw)] + [contract]
    volts: list[tuple[float, float]] = []
    nose = contract
    for k, level in enumerate(levels):
        v = run.solve(level)
        if v is None:
            if k == 0:
                raise ValueError("the corridor does not solve even without offtake")
            nose = _bisect(run, levels[k - 1], level, tol_mw, lambda v: v is not None)
            break
        volts.append((level, v))
    # the voltage limit: where the voltage last crosses below vmin on the way to the nose
    ok = [level for level, v in volts if v >= vmin_pu]
    if not ok:
        voltage_limit = 0.0
    else:
        top = max(ok)
        after = [level for level, _ in volts if level > top]
        upper = after[0] if after else nose
        if upper == top:
            voltage_limit = top
        else:
            voltage_limit = _bisect(
                run, top, upper, tol_mw, lambda v: v is not None and v >= vmin_pu
            )
    v_nose = run.solve(nose)
    return CorridorLimit(
        offtaker=offtaker,
        circuits_out=tuple(circuits_out),
        nose_mw=nose,
        voltage_limit_mw=voltage_limit,
        vmin_pu=vmin_pu,
        vm_at_nose_pu=float("nan") if v_nose is None else v_nose,
        contract_mw=contract,
    )


def _bisect(
    run: _Continuation,
    ok: float,
    bad: float,
    tol_mw: float,
    good: Callable[[float | None], bool],
) -> float:
    """Highest offtake between ``ok`` (good) and ``bad`` (not) at which ``good`` holds."""
    while bad - ok > tol_mw:
        mid = 0.5 * (ok + bad)
        if good(run.solve(mid)):
            ok = mid
        else:
            bad = mid
    return ok


__all__ = ["CorridorLimit", "corridor_limit", "corridor_lines"]
