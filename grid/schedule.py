"""Hour-by-hour injections of the network: loads, plants and converters.

:func:`make_schedule` turns zone demand, plant availability and the CASA export
per offtaker into the arrays a load flow needs, applying the contract split
(Tajikistan 70 %, Kyrgyzstan 30 %), the HVDC physics of
:mod:`casa1000.grid.hvdc` and the dispatch rule of :mod:`casa1000.grid.dispatch`.

Export is measured at the sending end.  In the as-built variant Pakistan's share
goes over the bipole and Afghanistan's is a load at the Afghan 220 kV buses fed
over the Tajik-Afghan corridor; in the 2014 design both shares go over the DC
line, Afghanistan's to the Kabul converter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casa1000.grid.dispatch import DispatchResult, dispatch_plants
from casa1000.grid.hvdc import HvdcState, hvdc_operating_point
from casa1000.grid.params import Contract, GridParams, ShuntSwitching, Variant

FloatArray = npt.NDArray[np.float64]

SUPPLIERS = ("KG", "TJ")
OFFTAKERS = ("PK", "AF")
INVERTER_OFFTAKER = {"NOWSHERA": "PK", "KABUL": "AF"}


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
    """(hours, offtakers) export asked for by PK and AF, at the sending end [MW]."""
    af_corridor_mw: FloatArray
    """(hours,) Afghan offtake served over the AC corridor (as built) [MW]."""
    compensator_ids: tuple[str, ...]
    compensator_q_mvar: FloatArray
    """(hours, switched shunts) reactive power absorbed by shunts switched with the offtake."""
    dispatch: DispatchResult

    @property
    def hours(self) -> int:
        """Number of hours."""
        return int(self.load_p_mw.shape[0])


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
    full = contract.pakistan_mw + contract.afghanistan_mw
    return {
        "PK": total * contract.pakistan_mw / full,
        "AF": total * contract.afghanistan_mw / full,
    }


def _zone_loads(
    params: GridParams, zone: str, demand: FloatArray, load_index: dict[str, int], out: FloatArray
) -> None:
    """Spread zone demand (hours,) over its loads: fixed loads first, shares for the rest."""
    loads = [ld for ld in params.loads if ld.zone == zone and ld.in_service]
    fixed = [ld for ld in loads if ld.p_ref_mw is not None]
    fixed_total = sum(ld.p_ref_mw or 0.0 for ld in fixed)
    for ld in fixed:
        out[:, load_index[ld.id]] = np.minimum(ld.p_ref_mw or 0.0, demand)
    rest = np.clip(demand - fixed_total, 0.0, None)
    shared = [ld for ld in loads if ld.share is not None]
    share_sum = sum(ld.share or 0.0 for ld in shared)
    for ld in shared:
        out[:, load_index[ld.id]] = rest * (ld.share or 0.0) / (share_sum or 1.0)


def make_schedule(
    params: GridParams,
    *,
    demand_mw: Mapping[str, npt.ArrayLike],
    export_mw: Mapping[str, npt.ArrayLike],
    available_mw: Mapping[str, npt.ArrayLike] | None = None,
    poles_in_service: npt.ArrayLike | None = None,
    reverse_mw: npt.ArrayLike | None = None,
) -> Schedule:
    """Build the injections of every hour.

    Parameters
    ----------
    params
        The network.
    demand_mw
        ``{"KG": (hours,), "TJ": (hours,)}`` domestic demand including fixed
        industrial loads [MW].
    export_mw
        ``{"PK": (hours,), "AF": (hours,)}`` export per offtaker at the sending end [MW].
    available_mw
        Plant id -> (hours,) available power [MW]; missing plants are fully available.
    poles_in_service
        (hours,) HVDC poles in service; both by default.
    reverse_mw
        (hours,) power sent back over the HVDC from Pakistan (Nowshera) to the
        rectifier's zone (Sangtuda, Tajikistan), drawn at Nowshera [MW]; what
        arrives lowers that zone's requirement.  None (no reverse flow) by default.

    Returns
    -------
    Schedule
        Loads, plant outputs and converter states for each hour.

    Examples
    --------
    >>> from casa1000.grid.reference import load_reference
    >>> params = load_reference()
    >>> s = make_schedule(params, demand_mw={"KG": [1950.0], "TJ": [2370.0]},
    ...                   export_mw=split_export(params.contract, [1300.0]))
    >>> round(float(s.hvdc.p_ac_mw[0, 0]))
    1000
    """
    kg = np.atleast_1d(np.asarray(demand_mw["KG"], dtype=np.float64))
    hours = kg.shape[0]

    def hourly(value: npt.ArrayLike) -> FloatArray:
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (hours,)).astype(np.float64)

    demand = {"KG": kg, "TJ": hourly(demand_mw["TJ"])}
    export = {o: np.clip(hourly(export_mw.get(o, 0.0)), 0.0, None) for o in OFFTAKERS}

    inverters = params.hvdc.inverters
    requested = np.column_stack([export[INVERTER_OFFTAKER.get(t.id, "PK")] for t in inverters])
    af_corridor = export["AF"] if params.variant is Variant.AS_BUILT else np.zeros(hours)
    hvdc = hvdc_operating_point(
        params.hvdc, requested, poles_in_service=poles_in_service, reverse_mw=reverse_mw
    )

    load_ids = tuple(ld.id for ld in params.loads)
    load_index = {lid: i for i, lid in enumerate(load_ids)}
    load_p = np.zeros((hours, len(load_ids)))

    sent_total = hvdc.sent_mw.sum(axis=1) + af_corridor
    shares = {"KG": params.contract.kyrgyzstan_share, "TJ": params.contract.tajikistan_share}
    requirement = {z: demand[z] + shares[z] * sent_total for z in SUPPLIERS}
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
    ext = next((e for e in params.externals if e.zone == "EXT"), None)
    dispatch = dispatch_plants(
        plants, requirement, avail, max_import_mw=ext.max_import_mw if ext else 0.0
    )
    for z, zone in enumerate(dispatch.zones):
        # unserved power is shed from the zone's own demand, never from the export
        _zone_loads(params, zone, demand[zone] - dispatch.unserved_mw[:, z], load_index, load_p)

    # Afghan loads: over the corridor (as built) or what the Kabul converter delivers
    af_supply = af_corridor.copy()
    if "KABUL" in hvdc.terminal_ids:
        af_supply = af_supply + hvdc.delivered_mw[:, hvdc.terminal_ids.index("KABUL") - 1]
    _zone_loads(params, "AF", af_supply, load_index, load_p)

    switched = [
        sh for sh in params.shunts if sh.switching is ShuntSwitching.AF_OFFTAKE and sh.in_service
    ]
    offtake_frac = np.clip(af_corridor / max(params.contract.afghanistan_mw, 1e-9), 0.0, 1.0)
    comp_q = (
        np.column_stack(
            [
                (sh.q_light_mvar or 0.0) + (sh.q_mvar - (sh.q_light_mvar or 0.0)) * offtake_frac
                for sh in switched
            ]
        )
        if switched
        else np.zeros((hours, 0))
    )

    pf = np.array([ld.power_factor for ld in params.loads])
    load_q = load_p * np.tan(np.arccos(pf))[None, :]
    return Schedule(
        load_ids=load_ids,
        load_p_mw=load_p,
        load_q_mvar=load_q,
        plant_ids=dispatch.plant_ids,
        plant_p_mw=dispatch.plant_p_mw,
        hvdc=hvdc,
        export_mw=np.column_stack([export[o] for o in OFFTAKERS]),
        af_corridor_mw=af_corridor,
        compensator_ids=tuple(sh.id for sh in switched),
        compensator_q_mvar=comp_q,
        dispatch=dispatch,
    )
