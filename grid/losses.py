"""Who covers the network losses: the loss-allocation rule and its fixed-point iteration.

A load flow has one slack per synchronous area, and the slack of the
Kyrgyz-Tajik area is the external equivalent: left alone it supplies every
loss of CAPS, as if Uzbekistan and Kazakhstan paid for the export's losses.
The suppliers' plants cover them instead, by this rule (each branch's active
losses, hour by hour):

* a branch inside one supplier zone: that supplier (each country covers the
  losses of its own network);
* a branch between two supplier zones (Datka-Sughd): the two in equal parts;
* a branch with an end in the zone of an offtaker served over AC (the
  Tajik-Afghan corridor and the Afghan lines): the suppliers, pro rata to their
  export in that hour (these losses exist only to deliver the export);
* a branch with an end at a bus of the equivalent (the ties and the
  neighbours' routes), and every branch of another area: nobody here; the
  neighbour's or the offtaker's own system covers them.

Losses depend on the dispatch that covers them, so :func:`cover_losses`
iterates: schedule, solve, allocate the losses, re-schedule with each supplier
generating its share on top, until the allocation moves by less than
``tol_mw``.  It takes the solver as a function, so any load-flow path (the
batch solver of the studies, or pandapower's runpp) can drive it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.areas import equivalent_buses, synchronous_areas
from casa1000.grid.builder import BuiltNet, branch_ends
from casa1000.grid.schedule import Schedule

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class LossOwners:
    """Which supplier covers the losses of each branch (the rule of this module)."""

    suppliers: tuple[str, ...]
    fixed: FloatArray
    """(branches, suppliers) fixed share of each branch's losses [-]."""
    by_export: BoolArray
    """(branches,) branches whose losses the suppliers share pro rata to export."""


def loss_owners(built: BuiltNet) -> LossOwners:
    """Apply the allocation rule to every branch of ``built`` (``index.branch_ids`` order).

    Examples
    --------
    >>> from casa1000.grid.builder import build_net
    >>> from casa1000.grid.reference import load_reference
    >>> built = build_net(load_reference())
    >>> owners = loss_owners(built)
    >>> row = built.index.branch_ids.index("DATKA_SUGHD")
    >>> owners.fixed[row].tolist(), bool(owners.by_export[row])
    ([0.5, 0.5], False)
    """
    params, ix = built.params, built.index
    suppliers = params.roles.suppliers
    zone = {b.id: b.zone for b in params.buses}
    area = synchronous_areas(params)
    outside = equivalent_buses(params)
    ac = set(params.ac_offtakers)
    ends = branch_ends(params)
    supplier_area = {area[b.id] for b in params.buses if b.zone in suppliers}
    parents = {**ix.line_parent, **ix.trafo_parent}
    fixed = np.zeros((len(ix.branch_ids), len(suppliers)))
    by_export = np.zeros(len(ix.branch_ids), dtype=bool)
    for k, branch in enumerate(ix.branch_ids):
        a, b = ends[parents[branch]]
        if a in outside or b in outside or area[a] not in supplier_area:
            continue
        if zone[a] in ac or zone[b] in ac:
            by_export[k] = True
            continue
        owners = [z for z in (zone[a], zone[b]) if z in suppliers]
        for z in owners:
            fixed[k, suppliers.index(z)] += 1.0 / len(owners)
    return LossOwners(suppliers=suppliers, fixed=fixed, by_export=by_export)


def allocate_losses(
    owners: LossOwners, pl_mw: FloatArray, supplier_export_mw: FloatArray
) -> FloatArray:
    """Each supplier's share of the branch losses, hour by hour.

    Parameters
    ----------
    owners
        The rule applied to the branches.
    pl_mw
        (hours, branches) active losses [MW]; NaN where the load flow failed.
    supplier_export_mw
        (hours, suppliers) export of each supplier [MW]; without export the
        corridor's losses are shared equally.

    Returns
    -------
    numpy.ndarray
        (hours, suppliers) losses each supplier covers [MW] (NaN where failed).
    """
    pl = np.asarray(pl_mw, dtype=np.float64)
    share = pl @ owners.fixed
    corridor = pl[:, owners.by_export].sum(axis=1)
    total = supplier_export_mw.sum(axis=1)
    n = len(owners.suppliers)
    weight = np.divide(
        supplier_export_mw,
        total[:, None],
        out=np.full_like(supplier_export_mw, 1.0 / n),
        where=total[:, None] > 0,
    )
    covered: FloatArray = share + corridor[:, None] * weight
    return covered


@dataclass(frozen=True, kw_only=True)
class LossCover:
    """The outcome of :func:`cover_losses`."""

    loss_cover_mw: dict[str, FloatArray]
    """Supplier zone -> (hours,) losses its plants cover [MW]."""
    schedule: Schedule
    """The schedule with the losses covered (the last one solved)."""
    iterations: int
    change_mw: float
    """Largest change of the allocation in the last iteration [MW]."""


LossSolver = Callable[[Schedule], tuple[FloatArray, BoolArray]]
"""A load flow of every hour of a schedule -> ((hours, branches) losses [MW], converged)."""


def cover_losses(
    built: BuiltNet,
    make: Callable[[Mapping[str, FloatArray] | None], Schedule],
    solve: LossSolver,
    *,
    max_iterations: int = 4,
    tol_mw: float = 0.5,
) -> LossCover:
    """Let the suppliers' plants cover their losses, by fixed-point iteration.

    Parameters
    ----------
    built
        The network (for the branch order and the allocation rule).
    make
        Loss cover (supplier -> (hours,) MW, or None) -> schedule, e.g.
        ``lambda cover: inputs.with_loss_cover(cover).schedule(params)``.
    solve
        Load flow of a schedule -> (losses per branch in ``built.index.branch_ids``
        order, converged per hour).
    max_iterations
        Solves at most; two or three settle to 0.1 MW on the reference year.
    tol_mw
        Stop when no hour's allocation moves by more than this [MW].

    Returns
    -------
    LossCover
        The allocation, the schedule it gives, and how the iteration ended.
        Hours that do not converge keep the allocation of their last
        converged solve (zero if none).
    """
    owners = loss_owners(built)
    cover: dict[str, FloatArray] | None = None
    schedule = make(None)
    current = np.zeros((schedule.hours, len(owners.suppliers)))
    change = np.inf
    iterations = 0
    while iterations < max_iterations:
        pl, converged = solve(schedule)
        iterations += 1
        new = allocate_losses(owners, pl, schedule.supplier_export_mw)
        new = np.where(converged[:, None] & np.isfinite(new), new, current)
        change = float(np.abs(new - current).max()) if new.size else 0.0
        current = new
        cover = {z: current[:, k] for k, z in enumerate(owners.suppliers)}
        schedule = make(cover)
        if change < tol_mw:
            break
    return LossCover(
        loss_cover_mw=cover or {z: current[:, k] for k, z in enumerate(owners.suppliers)},
        schedule=schedule,
        iterations=iterations,
        change_mw=change,
    )


__all__ = ["LossCover", "LossOwners", "allocate_losses", "cover_losses", "loss_owners"]
