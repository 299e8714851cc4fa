"""Which way a supplier's export flows: over the supplier ties or around through the neighbours.

The Kyrgyz share of the export reaches the rectifier over Datka-Sughd and, in
parallel, through the Kazakh and Uzbek networks (the external equivalent).  How
it divides is set by the impedances of the two paths, so it is a property of
the equivalent.  :func:`transfer_path_shares` measures it on the reference hour
the way a transfer distribution factor is measured: raise the supplier's plants
by a small amount (pro rata to their capacity), let the rectifier draw the same
amount more, and see how the flows change.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from casa1000.grid.builder import build_net
from casa1000.grid.params import GridParams
from casa1000.grid.schedule import make_schedule, split_export
from casa1000.grid.solve import RUNPP_OPTIONS


@dataclass(frozen=True, kw_only=True)
class TransferPath:
    """How a marginal transfer from a supplier to the rectifier divides [-]."""

    supplier: str
    over_ties: float
    """Fraction over the supplier ties (Datka-Sughd)."""
    through_equivalent: float
    """Fraction that leaves the supplier's zone into the external equivalent."""
    by_branch: dict[str, float]
    """Change of flow on every line and tie (from-end, parent id) per MW transferred."""


def transfer_path_shares(
    params: GridParams,
    *,
    supplier: str | None = None,
    export_mw: float = 1300.0,
    step_mw: float = 50.0,
) -> TransferPath:
    """Split of a marginal transfer from ``supplier`` to the rectifier, on the reference hour.

    Parameters
    ----------
    params
        The network.
    supplier
        Supplier zone; the first one that is not the rectifier's (Kyrgyzstan).
    export_mw
        Total export of the operating point [MW].
    step_mw
        Size of the transfer added [MW].

    Returns
    -------
    TransferPath
        The fractions; ``over_ties + through_equivalent`` is 1 up to the change
        of losses.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> path = transfer_path_shares(load_reference())
    >>> 0.4 < path.over_ties < 0.7, abs(path.over_ties + path.through_equivalent - 1) < 0.05
    (True, True)
    """
    import pandapower as pp

    from casa1000.grid.areas import equivalent_buses

    rect_zone = params.bus(params.hvdc.rectifier.bus).zone
    zone = supplier or next(z for z in params.roles.suppliers if z != rect_zone)
    ref = {z.id: z.ref_demand_mw for z in params.zones}
    schedule = make_schedule(
        params,
        demand_mw={z: [ref[z]] for z in params.roles.suppliers},
        export_mw=split_export(params.contract, [export_mw]),
    )
    built = build_net(params, schedule, 0)
    net = built.net
    pp.runpp(net, **RUNPP_OPTIONS)
    before = net.res_line.p_from_mw.copy()
    moved = copy.deepcopy(net)
    plants = [p for p in params.plants if p.zone == zone and p.id in built.index.gen]
    total = sum(p.p_max_mw for p in plants)
    for p in plants:
        moved.gen.at[built.index.gen[p.id], "p_mw"] += step_mw * p.p_max_mw / total
    moved.load.at[built.index.converter[params.hvdc.rectifier.id], "p_mw"] += step_mw
    pp.runpp(moved, **RUNPP_OPTIONS)
    delta = (moved.res_line.p_from_mw - before) / step_mw

    by_branch: dict[str, float] = {}
    for cid, i in built.index.line.items():
        parent = built.index.line_parent[cid]
        by_branch[parent] = by_branch.get(parent, 0.0) + float(delta.at[i])
    ties = sum(by_branch[t] for t in params.roles.supplier_ties)
    # what leaves the supplier's zone into the equivalent's buses
    outside = equivalent_buses(params)
    zone_of = {b.id: b.zone for b in params.buses}
    into_eq = 0.0
    for i in built.index.line.values():
        f = str(net.bus.name.at[net.line.at[i, "from_bus"]])
        t = str(net.bus.name.at[net.line.at[i, "to_bus"]])
        if zone_of[f] == zone and t in outside:
            into_eq += float(delta.at[i])
        elif zone_of[t] == zone and f in outside:
            into_eq -= float(delta.at[i])
    return TransferPath(
        supplier=zone, over_ties=ties, through_equivalent=into_eq, by_branch=by_branch
    )


__all__ = ["TransferPath", "transfer_path_shares"]
