"""Hour-by-hour injections of the network: loads, plants and converters.

:func:`make_schedule` turns zone demand, plant availability and the CASA export
per offtaker into the arrays a load flow needs, applying the contract split
(Tajikistan 70 %, Kyrgyzstan 30 %), the HVDC physics of
:mod:`casa1000.grid.hvdc` and the dispatch rule of :mod:`casa1000.grid.dispatch`.

Export is measured at the sending end.  An offtaker with a converter of its own
(:attr:`~casa1000.grid.params.HvdcTerminal.offtaker`) is served over the DC line;
one without (Afghanistan as built) is a load at its zone's buses, fed over AC
(the Tajik-Afghan 220 kV corridor).

Who exports what: each supplier exports at most what it offers (the profiles'
``export_available_mw``), pro rata to the offers; its contract share of the
contracted export that it does not export is its shortfall, reported and never
filled from the external equivalent.  Losses each supplier must cover can be
added (:mod:`casa1000.grid.losses`).  Every plant dispatched above zero is
committed; an idle plant neither regulates voltage nor offers reactive power.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.dispatch import DispatchResult, dispatch_plants
from casa1000.grid.hvdc import HvdcState, hvdc_operating_point
from casa1000.grid.params import (
    IMPORT_CATEGORY,
    OFFTAKER_MW_FIELD,
    SUPPLIER_SHARE_FIELD,
    Contract,
    GridParams,
    Plant,
    Shunt,
    ShuntSwitching,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SUPPLIERS = tuple(SUPPLIER_SHARE_FIELD)
"""Supplier zones, in the order of every (hours, suppliers) array."""
OFFTAKERS = tuple(OFFTAKER_MW_FIELD)
"""Offtaker zones, in the order of every (hours, offtakers) array."""


Q_MAX_PER_MW = 0.6
"""Over-excited reactive capability of a running unit per MW of its rating [Mvar/MW].

A hydro or thermal unit at its rated power factor of about 0.86 gives
``P tan(acos 0.86) = 0.6 P``; an assumption (the units' capability curves are not
published).
"""
Q_MIN_PER_MW = -0.3
"""Under-excited capability of a running unit per MW of its rating [Mvar/MW]: about
half the over-excited one, the usual stability limit of a salient-pole unit."""


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """Injections for a run of hours; every array's first axis is the hour."""

    load_ids: tuple[str, ...]
    load_p_mw: FloatArray
    load_q_mvar: FloatArray
    plant_ids: tuple[str, ...]
    plant_p_mw: FloatArray
    hvdc: HvdcState
    export_mw: FloatArray
    """(hours, offtakers) export asked for by each offtaker, at the sending end [MW]."""
    ac_offtake_mw: FloatArray
    """(hours, offtakers) export served over AC to offtakers without a converter [MW]."""
    compensator_ids: tuple[str, ...]
    compensator_q_mvar: FloatArray
    """(hours, switched shunts) setting of the shunts switched with the offtake: their
    reactive power at 1 pu [Mvar] (> 0 absorbing); the power drawn goes with V²."""
    dispatch: DispatchResult
    suppliers: tuple[str, ...]
    supplier_export_mw: FloatArray
    """(hours, suppliers) export each supplier's plants generate, sending end [MW]."""
    supplier_shortfall_mw: FloatArray
    """(hours, suppliers) contract share not exported (not offered, or curtailed) [MW]."""
    loss_cover_mw: FloatArray
    """(hours, suppliers) network losses each supplier's plants generate on top [MW]."""
    plant_committed: BoolArray
    """(hours, plants) plant running (some output); an idle plant does not regulate voltage."""
    plant_q_min_mvar: FloatArray
    """(hours, plants) reactive capability of the units running, under-excited [Mvar]."""
    plant_q_max_mvar: FloatArray
    """(hours, plants) reactive capability of the units running, over-excited [Mvar]."""

    @property
    def hours(self) -> int:
        """Number of hours."""
        return int(self.load_p_mw.shape[0])

    @property
    def af_corridor_mw(self) -> FloatArray:
        """(hours,) export served over AC (as built: the Afghan corridor) [MW]."""
        total: FloatArray = self.ac_offtake_mw.sum(axis=1)
        return total

    @property
    def sent_mw(self) -> FloatArray:
        """(hours,) export sent: into the HVDC plus the offtake over AC, sending end [MW]."""
        total: FloatArray = self.hvdc.sent_mw.sum(axis=1) + self.af_corridor_mw
        return total

    def commitment_groups(self) -> tuple[BoolArray, npt.NDArray[np.intp]]:
        """Distinct commitment patterns and the pattern of each hour.

        A batch solver that keeps one network model per pattern (idle
        voltage-regulating plants out of service) honours commitment with a few
        models: a season has only a handful of patterns.

        Returns
        -------
        tuple
            ``(patterns, row_pattern)``: (patterns, plants) committed masks and
            (hours,) index of each hour's pattern.
        """
        patterns, inverse = np.unique(self.plant_committed, axis=0, return_inverse=True)
        return patterns.astype(bool), np.asarray(inverse, dtype=np.intp).ravel()


def delivered_by_offtaker(params: GridParams, schedule: Schedule) -> FloatArray:
    """Power delivered to each offtaker: by its converter, or over AC [MW].

    Parameters
    ----------
    params
        The network the schedule was made for.
    schedule
        The schedule.

    Returns
    -------
    numpy.ndarray
        (hours, offtakers) in ``params.roles.offtakers`` order [MW]; what comes
        over AC is the offtake at the offtaker's buses (its corridor losses are
        the suppliers').

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> params = load_reference()
    >>> s = make_schedule(params, demand_mw={"KG": [1950.0], "TJ": [2370.0]},
    ...                   export_mw={"PK": [1000.0], "AF": [300.0]})
    >>> [round(float(v)) for v in delivered_by_offtaker(params, s)[0]]
    [973, 300]
    """
    state = schedule.hvdc
    out = schedule.ac_offtake_mw.copy()
    for k, o in enumerate(params.roles.offtakers):
        terminal = params.offtaker_terminal(o)
        if terminal is not None:
            out[:, k] += state.delivered_mw[:, state.terminal_ids.index(terminal.id) - 1]
    return out


def split_export(contract: Contract, total_mw: npt.ArrayLike) -> dict[str, FloatArray]:
    """Split a total CASA export pro rata to the contracted PK and AF capacities.

    Parameters
    ----------
    contract
        The contract (PK 1,000 MW, AF 300 MW).
    total_mw
        (hours,) total export at the sending end [MW].

    Returns
    -------
    dict
        ``{"PK": (hours,), "AF": (hours,)}`` [MW].
    """
    total = np.atleast_1d(np.asarray(total_mw, dtype=np.float64))
    contracted = contract.offtaker_mw
    full = sum(contracted.values())
    return {o: total * mw / full for o, mw in contracted.items()}


def _zone_loads(
    params: GridParams, zone: str, demand: FloatArray, load_index: dict[str, int], out: FloatArray
) -> None:
    """Spread zone demand (hours,) over its loads: fixed loads first, shares for the rest."""
    loads = [
        ld
        for ld in params.loads
        if ld.zone == zone and ld.in_service and ld.category != IMPORT_CATEGORY
    ]
    fixed = [ld for ld in loads if ld.p_ref_mw is not None]
    fixed_total = sum(ld.p_ref_mw or 0.0 for ld in fixed)
    for ld in fixed:
        out[:, load_index[ld.id]] = np.minimum(ld.p_ref_mw or 0.0, demand)
    rest = np.clip(demand - fixed_total, 0.0, None)
    shared = [ld for ld in loads if ld.share is not None]
    share_sum = sum(ld.share or 0.0 for ld in shared)
    for ld in shared:
        out[:, load_index[ld.id]] = rest * (ld.share or 0.0) / (share_sum or 1.0)


def supplier_split(
    sent_mw: FloatArray, shares: Mapping[str, float], offer_mw: Mapping[str, FloatArray] | None
) -> FloatArray:
    """Split the export sent between the suppliers.

    Parameters
    ----------
    sent_mw
        (hours,) export sent, sending end [MW].
    shares
        Supplier -> contract share, used when nothing is offered [-].
    offer_mw
        Supplier -> (hours,) export it offers [MW]; None splits by the contract shares.

    Returns
    -------
    numpy.ndarray
        (hours, suppliers) export of each supplier, in ``shares`` order [MW]; with
        offers, pro rata to them, so that no supplier exceeds its offer when the
        export sent does not exceed their sum.

    Examples
    --------
    >>> supplier_split(np.array([600.0]), {"KG": 0.3, "TJ": 0.7},
    ...                {"KG": np.array([0.0]), "TJ": np.array([910.0])}).tolist()
    [[0.0, 600.0]]
    """
    zones = list(shares)
    hours = sent_mw.shape[0]
    if offer_mw is None:
        weights = np.tile(np.array([shares[z] for z in zones]), (hours, 1))
    else:
        weights = np.column_stack([np.clip(offer_mw[z], 0.0, None) for z in zones])
    total = weights.sum(axis=1)
    frac = np.divide(weights, total[:, None], out=np.zeros_like(weights), where=total[:, None] > 0)
    split: FloatArray = frac * sent_mw[:, None]
    return split


def make_schedule(
    params: GridParams,
    *,
    demand_mw: Mapping[str, npt.ArrayLike],
    export_mw: Mapping[str, npt.ArrayLike],
    available_mw: Mapping[str, npt.ArrayLike] | None = None,
    poles_in_service: npt.ArrayLike | None = None,
    offer_mw: Mapping[str, npt.ArrayLike] | None = None,
    contract_mw: npt.ArrayLike | None = None,
    loss_cover_mw: Mapping[str, npt.ArrayLike] | None = None,
    reverse_mw: npt.ArrayLike | None = None,
    import_cap_mw: Mapping[str, npt.ArrayLike] | None = None,
) -> Schedule:
    """Build the injections of every hour.

    Parameters
    ----------
    params
        The network.
    demand_mw
        Supplier zone -> (hours,) domestic demand including fixed industrial
        loads [MW].
    export_mw
        Offtaker zone -> (hours,) export asked for at the sending end [MW].
    available_mw
        Plant id -> (hours,) available power [MW]; missing plants are fully available.
    poles_in_service
        (hours,) HVDC poles in service; both by default.
    offer_mw
        Supplier zone -> (hours,) export it offers [MW] (the profiles'
        ``export_available_mw``).  The export asked is cut to the sum of the
        offers and split between the suppliers pro rata to them, so no supplier
        exports more than it offered.  None: the contract shares split the export
        (a hypothetical transfer level, as the transfer study asks).
    contract_mw
        (hours,) total contracted export [MW]: each supplier owes its contract
        share of it, and what it does not export is its shortfall.  None: the
        export asked stands for the contract.
    loss_cover_mw
        Supplier zone -> (hours,) network losses its plants generate on top of
        demand and export [MW] (see :mod:`casa1000.grid.losses`).
    reverse_mw
        (hours,) power sent back over the HVDC from Pakistan (Nowshera) to the
        rectifier's zone (Sangtuda, Tajikistan), drawn at Nowshera [MW]; what
        arrives lowers that zone's requirement.  None (no reverse flow) by default.
    import_cap_mw
        Supplier zone -> (hours,) what the zone itself can import [MW] (the
        profiles' ``import_capability_mw``); the zones together import at most
        the supplier equivalent's ``max_import_mw`` as well.  None: the shared
        limit alone.

    Returns
    -------
    Schedule
        Loads, plant outputs, converter states, each supplier's export and
        shortfall, and which plants run, for each hour.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> params = load_reference()
    >>> s = make_schedule(params, demand_mw={"KG": [1950.0], "TJ": [2370.0]},
    ...                   export_mw=split_export(params.contract, [1300.0]))
    >>> round(float(s.hvdc.p_ac_mw[0, 0]))
    1000
    """
    suppliers = params.roles.suppliers
    offtakers = params.roles.offtakers
    first = np.atleast_1d(np.asarray(demand_mw[suppliers[0]], dtype=np.float64))
    hours = first.shape[0]

    def hourly(value: npt.ArrayLike) -> FloatArray:
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (hours,)).astype(np.float64)

    demand = {z: hourly(demand_mw[z]) for z in suppliers}
    export = {o: np.clip(hourly(export_mw.get(o, 0.0)), 0.0, None) for o in offtakers}
    asked = sum(export.values(), np.zeros(hours))
    offers = None if offer_mw is None else {z: hourly(offer_mw.get(z, 0.0)) for z in suppliers}
    if offers is not None:
        # no supplier exports more than it offered: the export asked beyond the
        # offers is not sent (and shows as the suppliers' shortfall)
        offered = np.clip(sum(offers.values(), np.zeros(hours)), 0.0, None)
        keep = np.divide(offered, asked, out=np.ones(hours), where=asked > offered)
        export = {o: v * keep for o, v in export.items()}

    inverters = params.hvdc.inverters
    requested = np.column_stack([export[t.offtaker] for t in inverters])
    ac_offtake = np.column_stack(
        [export[o] if o in params.ac_offtakers else np.zeros(hours) for o in offtakers]
    )
    hvdc = hvdc_operating_point(
        params.hvdc, requested, poles_in_service=poles_in_service, reverse_mw=reverse_mw
    )

    load_ids = tuple(ld.id for ld in params.loads)
    load_index = {lid: i for i, lid in enumerate(load_ids)}
    load_p = np.zeros((hours, len(load_ids)))

    sent_total = hvdc.sent_mw.sum(axis=1) + ac_offtake.sum(axis=1)
    shares = params.contract.supplier_share
    supplier_export = supplier_split(sent_total, {z: shares[z] for z in suppliers}, offers)
    owed_total = asked if contract_mw is None else hourly(contract_mw)
    shortfall = np.clip(
        np.column_stack([shares[z] * owed_total for z in suppliers]) - supplier_export, 0.0, None
    )
    cover = np.column_stack(
        [
            np.clip(hourly(loss_cover_mw.get(z, 0.0)), 0.0, None)
            if loss_cover_mw
            else np.zeros(hours)
            for z in suppliers
        ]
    )
    requirement = {
        z: demand[z] + supplier_export[:, k] + cover[:, k] for k, z in enumerate(suppliers)
    }
    # reverse flow arrives at the rectifier's bus and covers part of that zone's demand
    receiving = params.bus(params.hvdc.rectifier.bus).zone
    if receiving in requirement:
        requirement[receiving] = requirement[receiving] - hvdc.reverse_delivered_mw
    plants = params.plants
    avail = np.column_stack(
        [
            hourly(available_mw[p.id])
            if available_mw and p.id in available_mw
            else np.full(hours, p.p_max_mw if p.in_service else 0.0)
            for p in plants
        ]
    )
    ext = params.supplier_external
    dispatch = dispatch_plants(
        plants,
        requirement,
        avail,
        max_import_mw=ext.max_import_mw if ext else 0.0,
        zone_import_cap_mw=None
        if import_cap_mw is None
        else {z: hourly(v) for z, v in import_cap_mw.items() if z in suppliers},
    )
    for z, zone in enumerate(dispatch.zones):
        # unserved power is shed from the zone's own demand, never from the export
        _zone_loads(params, zone, demand[zone] - dispatch.unserved_mw[:, z], load_index, load_p)
        # the zone's imports enter at its import points (the equivalent's source otherwise)
        points = [ld for ld in params.loads if ld.category == IMPORT_CATEGORY and ld.zone == zone]
        for ld in points:
            if ld.in_service:
                load_p[:, load_index[ld.id]] = -dispatch.import_mw[:, z] / len(points)

    # offtaker loads: what comes over AC plus what the offtaker's converter delivers
    supplied = np.zeros((hours, len(offtakers)))
    for k, o in enumerate(offtakers):
        supplied[:, k] = ac_offtake[:, k]
        terminal = params.offtaker_terminal(o)
        if terminal is not None:
            supplied[:, k] += hvdc.delivered_mw[:, hvdc.terminal_ids.index(terminal.id) - 1]
        _zone_loads(params, o, supplied[:, k], load_index, load_p)

    switched_ids, comp_q = switched_settings(params, load_ids, load_p)

    pf = np.array([ld.power_factor for ld in params.loads])
    load_q = load_p * np.tan(np.arccos(pf))[None, :]
    committed, q_min, q_max = commitment(plants, dispatch.plant_p_mw)
    return Schedule(
        load_ids=load_ids,
        load_p_mw=load_p,
        load_q_mvar=load_q,
        plant_ids=dispatch.plant_ids,
        plant_p_mw=dispatch.plant_p_mw,
        hvdc=hvdc,
        export_mw=np.column_stack([export[o] for o in offtakers]),
        ac_offtake_mw=ac_offtake,
        compensator_ids=switched_ids,
        compensator_q_mvar=comp_q,
        dispatch=dispatch,
        suppliers=suppliers,
        supplier_export_mw=supplier_export,
        supplier_shortfall_mw=shortfall,
        loss_cover_mw=cover,
        plant_committed=committed,
        plant_q_min_mvar=q_min,
        plant_q_max_mvar=q_max,
    )


def switched_settings(
    params: GridParams, load_ids: Sequence[str], load_p_mw: FloatArray
) -> tuple[tuple[str, ...], FloatArray]:
    """Return the settings of the in-service shunts switched with the offtake, for given loads.

    Each follows the offtake served at its bus as a fraction of what that bus
    takes at the full contract (:func:`switched_setting_mvar`).

    Parameters
    ----------
    params
        The network.
    load_ids
        Load ids of the columns of ``load_p_mw`` (other columns are ignored).
    load_p_mw
        (hours, loads) active power of the loads [MW].

    Returns
    -------
    tuple
        ``(shunt ids, (hours, shunts) settings [Mvar at 1 pu])``.
    """
    offtakers = set(params.roles.offtakers)
    contracted = params.contract.offtaker_mw
    column = {lid: j for j, lid in enumerate(load_ids)}
    hours = load_p_mw.shape[0]
    switched = [
        sh for sh in params.shunts if sh.switching is ShuntSwitching.AF_OFFTAKE and sh.in_service
    ]

    def offtake_fraction(bus: str) -> FloatArray:
        """Offtake served at ``bus`` as a fraction of what it takes at the full contract."""
        cols, full = [], 0.0
        for ld in params.loads:
            if ld.bus == bus and ld.zone in offtakers and ld.in_service and ld.share:
                zone_shares = sum(
                    x.share or 0.0 for x in params.loads if x.zone == ld.zone and x.in_service
                )
                cols.append(column[ld.id])
                full += contracted[ld.zone] * ld.share / (zone_shares or 1.0)
        if not cols or full <= 0:
            return np.zeros(hours)
        fraction: FloatArray = np.clip(load_p_mw[:, cols].sum(axis=1) / full, 0.0, 1.0)
        return fraction

    settings = (
        np.column_stack([switched_setting_mvar(sh, offtake_fraction(sh.bus)) for sh in switched])
        if switched
        else np.zeros((hours, 0))
    )
    return tuple(sh.id for sh in switched), settings


def switched_setting_mvar(shunt: Shunt, fraction: npt.ArrayLike) -> FloatArray:
    """Return the setting of a shunt switched with the offtake: whole banks nearest its target.

    The target moves linearly from ``q_light_mvar`` at no offtake to ``q_mvar``
    at the full contract; the shunt is switched in banks of ``bank_mvar`` (the
    last bank of the range may be smaller), so the setting is the bank step
    nearest the target (ties to the fewer banks).

    Parameters
    ----------
    shunt
        A shunt switched with the offtake.
    fraction
        (hours,) offtake at its bus as a fraction of the full contract [-].

    Returns
    -------
    numpy.ndarray
        (hours,) reactive power at 1 pu of the banks in service [Mvar]
        (> 0 absorbing, < 0 producing).

    Examples
    --------
    >>> from casa1000.grid.params import Shunt, ShuntSwitching
    >>> sh = Shunt(id="C", bus="B", q_mvar=-100.0, q_light_mvar=60.0, bank_mvar=25.0,
    ...            switching=ShuntSwitching.AF_OFFTAKE)
    >>> switched_setting_mvar(sh, [0.0, 0.3, 0.5, 1.0]).tolist()
    [60.0, 10.0, -15.0, -100.0]
    """
    f = np.clip(np.atleast_1d(np.asarray(fraction, dtype=np.float64)), 0.0, 1.0)
    light = shunt.q_light_mvar or 0.0
    span = shunt.q_mvar - light
    target = light + span * f
    if span == 0.0:
        return np.full(f.shape, light)
    bank = shunt.bank_mvar or abs(span)
    steps = np.minimum(np.arange(int(np.ceil(abs(span) / bank - 1e-9)) + 1) * bank, abs(span))
    settings = light + np.sign(span) * steps
    nearest = np.abs(target[:, None] - settings[None, :]).argmin(axis=1)
    chosen: FloatArray = settings[nearest]
    return chosen


def commitment(
    plants: Sequence[Plant], plant_p_mw: FloatArray
) -> tuple[BoolArray, FloatArray, FloatArray]:
    """Which plants run and the reactive capability of their running units.

    A plant runs when it is dispatched above zero; it then runs the fewest units
    that carry its output (``ceil(P / unit_mw)``), and each running unit offers
    ``Q_MIN_PER_MW`` to ``Q_MAX_PER_MW`` times its rating.  An idle plant offers
    nothing: it neither produces nor absorbs reactive power, and its bus does not
    regulate voltage.

    Parameters
    ----------
    plants
        The plants, in the column order of ``plant_p_mw``.
    plant_p_mw
        (hours, plants) dispatched output [MW].

    Returns
    -------
    tuple
        ``(committed, q_min_mvar, q_max_mvar)``, each (hours, plants).

    Examples
    --------
    >>> from casa1000.grid.params import Plant, Technology
    >>> unit = Plant(id="P", name="P", bus="B", zone="Z", technology=Technology.THERMAL,
    ...              units=4, unit_mw=100.0, p_max_mw=400.0, vm_pu=1.0)
    >>> on, q_lo, q_hi = commitment([unit], np.array([[0.0], [150.0]]))
    >>> on.ravel().tolist(), q_hi.ravel().tolist()
    ([False, True], [0.0, 120.0])
    """
    unit_mw = np.array([p.unit_mw for p in plants])
    units = np.array([p.units for p in plants])
    committed = plant_p_mw > COMMITTED_MW
    # a small tolerance so that 300.0000001 MW on 100 MW units counts as three units
    running = np.clip(np.ceil(plant_p_mw / unit_mw[None, :] - 1e-6), 0, units[None, :])
    running = np.where(committed, np.maximum(running, 1), 0)
    rating = running * unit_mw[None, :]
    return committed, Q_MIN_PER_MW * rating, Q_MAX_PER_MW * rating


COMMITTED_MW = 1e-6
"""Output above which a plant counts as running [MW] (the dispatch gives exact zeros)."""
