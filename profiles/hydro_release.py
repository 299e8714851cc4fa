"""From monthly reservoir releases to the hourly availability of every plant on their water.

Within a month
    The dam's turbines follow the zone's hourly demand (the storage lets them
    move water to the hours of high load), never above the flow at which the
    plant reaches its capacity: the flow is ``q_h = min(lambda t_h, q_max)``
    with ``lambda`` set so the month's release is used exactly (water filling).
    Water released for the export follows instead the hours in which the
    export is still short.  The plants below the dam run on the dam's hourly
    flow plus the month's spill spread evenly; the plants above it on the
    natural inflow.  Each plant makes ``3.6 e q`` MW (``e`` in kWh/m3, ``q``
    in m3/s), capped at its capacity (water above the cap passes unused).
Export shortfall
    For a supplier and hour, the export the domestic operation can offer is
    ``min(cap, surplus)`` with ``surplus = generation - demand - reserve`` and
    ``cap = share x min(contract, converter limit)``; the shortfall
    ``cap - surplus`` summed over the month is what extra release should
    cover.  :meth:`HydroShaper.export_need` finds the extra water that covers
    it, allowing for the capacity caps of the cascade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from casa1000.profiles.reservoir import M3_PER_BCM, MW_PER_M3S_PER_KWH_M3, SECONDS_PER_HOUR
from casa1000.profiles.reservoir_tables import ReservoirSeed

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

NEED_ITERATIONS = 6
"""Rounds of the search for the extra water of a month (each rescales by the shortfall left)."""


def water_fill(target: FloatArray, cap: float) -> FloatArray:
    """Return hourly flows shaped like ``target`` with the same sum, none above ``cap``.

    Parameters
    ----------
    target
        Desired flow of each hour (>= 0) [m3/s].
    cap
        Largest flow of any hour [m3/s].

    Returns
    -------
    numpy.ndarray
        ``min(lambda target, cap)`` with ``lambda >= 1`` chosen so the sum is
        kept; every hour at ``cap`` when the sum exceeds ``cap`` x hours.

    Examples
    --------
    >>> water_fill(np.array([1.0, 1.0, 4.0]), 3.0).round(9).tolist()
    [1.5, 1.5, 3.0]
    """
    total = float(target.sum())
    if total <= 0.0:
        return np.zeros_like(target)
    if total >= cap * target.size:
        return np.full_like(target, cap)
    low, high = 1.0, cap * target.size / max(float(target[target > 0].min()), 1e-300)
    for _ in range(80):
        mid = 0.5 * (low + high)
        if np.minimum(mid * target, cap).sum() < total:
            low = mid
        else:
            high = mid
    flow: FloatArray = np.minimum(high * target, cap)
    scaled: FloatArray = flow * (total / flow.sum())
    return scaled


@dataclass(frozen=True, kw_only=True)
class HydroShaper:
    """Hourly availability of the reservoir plants, and the export shortfall of each month.

    Parameters
    ----------
    reservoirs
        Reservoirs, upstream first.
    month
        Zero-based month of each hour.
    natural_inflow_m3_per_s
        Natural inflow per series, per month [m3/s].
    coefficient_kwh_per_m3
        Energy per m3 of each reservoir plant [kWh/m3].
    p_max_mw
        Capacity of each reservoir plant [MW].
    zone_demand_mw
        Hourly demand per zone, the shape the dams follow [MW].
    supplier_other_mw
        Hourly availability of each supplier's plants not on a reservoir [MW].
    supplier_reserve_mw
        Hourly operating reserve of each supplier [MW].
    supplier_cap_mw
        Hourly export cap of each supplier (its share of the contract within
        the converter limit) [MW].
    """

    reservoirs: Sequence[ReservoirSeed]
    month: IntArray
    natural_inflow_m3_per_s: Mapping[str, FloatArray]
    coefficient_kwh_per_m3: Mapping[str, float]
    p_max_mw: Mapping[str, float]
    zone_demand_mw: Mapping[str, FloatArray]
    supplier_other_mw: Mapping[str, FloatArray]
    supplier_reserve_mw: Mapping[str, FloatArray]
    supplier_cap_mw: Mapping[str, FloatArray]
    _short_shape: dict[tuple[int, str], FloatArray] = field(default_factory=dict, repr=False)

    def turbine_max_m3_per_s(self, reservoir: ReservoirSeed) -> float:
        """Flow at which the dam plant reaches its capacity [m3/s]."""
        plant = reservoir.dam_plant
        return self.p_max_mw[plant] / (MW_PER_M3S_PER_KWH_M3 * self.coefficient_kwh_per_m3[plant])

    def month_mw(
        self,
        m: int,
        release_bcm: Mapping[str, float],
        spill_bcm: Mapping[str, float],
        extra_bcm: Mapping[str, float] | None = None,
    ) -> dict[str, FloatArray]:
        """Return the hourly output of every reservoir plant in month ``m`` [MW].

        Parameters
        ----------
        m
            Zero-based month.
        release_bcm
            Water through each dam's turbines, export water included [km3].
        spill_bcm
            Spill of each reservoir [km3].
        extra_bcm
            Part of ``release_bcm`` released for the export [km3]; it follows
            the hours of export shortfall found by :meth:`export_need`.

        Returns
        -------
        dict
            Hourly output per plant id over the month's hours [MW].
        """
        hours = np.flatnonzero(self.month == m)
        n = hours.size
        to_flow = M3_PER_BCM / (SECONDS_PER_HOUR * n)  # km3 in the month -> mean m3/s
        out: dict[str, FloatArray] = {}
        for reservoir in self.reservoirs:
            extra = (extra_bcm or {}).get(reservoir.id, 0.0)
            base = release_bcm[reservoir.id] - extra
            demand = self.zone_demand_mw[reservoir.zone][hours]
            target = base * to_flow * n * demand / demand.sum()
            if extra > 0.0:
                shape = self._short_shape.get((m, reservoir.id), np.full(n, 1.0 / n))
                target = target + extra * to_flow * n * shape
            dam = water_fill(target, self.turbine_max_m3_per_s(reservoir))
            below = dam + spill_bcm[reservoir.id] * to_flow
            natural = self._natural_m3_per_s(reservoir, m)
            for plant in reservoir.plants:
                if plant in reservoir.upstream_plants:
                    flow = np.full(n, natural)
                elif plant == reservoir.dam_plant:
                    flow = dam
                else:
                    flow = below
                power = MW_PER_M3S_PER_KWH_M3 * self.coefficient_kwh_per_m3[plant] * flow
                out[plant] = np.minimum(power, self.p_max_mw[plant])
        return out

    def _natural_m3_per_s(self, reservoir: ReservoirSeed, m: int) -> float:
        """Natural inflow of a river-fed reservoir in month ``m`` [m3/s] (0 when fed by another)."""
        if not reservoir.inflow_series:
            return 0.0
        return float(self.natural_inflow_m3_per_s[reservoir.inflow_series][m])

    def supplier_mw(self, plant_mw: Mapping[str, FloatArray], supplier: str) -> FloatArray:
        """Sum the output of a supplier's reservoir plants over the month's hours [MW]."""
        plants = [
            plant
            for reservoir in self.reservoirs
            if reservoir.zone == supplier
            for plant in reservoir.plants
        ]
        total: FloatArray = np.sum([plant_mw[p] for p in plants], axis=0)
        return total

    def needed_release_bcm(
        self, reservoir: ReservoirSeed, other_linked_mwh: FloatArray
    ) -> FloatArray:
        """Forecast the release a reservoir's supplier needs in each month [km3].

        The monthly energy the supplier's hours lack to cover demand, reserve
        and its full export share after its other plants, less
        ``other_linked_mwh``, divided by the energy per km3 of the plants on
        the reservoir's outflow (capacity caps ignored: a forecast).

        Parameters
        ----------
        reservoir
            An export-backing reservoir.
        other_linked_mwh
            Expected monthly energy of the supplier's other reservoir plants [MWh].

        Returns
        -------
        numpy.ndarray
            Twelve monthly releases [km3].
        """
        supplier = reservoir.export_supplier or reservoir.zone
        lacking = (
            self.zone_demand_mw[supplier]
            + self.supplier_reserve_mw[supplier]
            + self.supplier_cap_mw[supplier]
            - self.supplier_other_mw[supplier]
        )
        energy = np.bincount(self.month, weights=np.clip(lacking, 0.0, None), minlength=12)
        cascade = [p for p in reservoir.plants if p not in reservoir.upstream_plants]
        per_bcm = sum(self.coefficient_kwh_per_m3[p] for p in cascade) * 1e6  # MWh per km3
        needed: FloatArray = np.clip(energy - other_linked_mwh, 0.0, None) / per_bcm
        return needed

    def export_need(
        self, m: int, release_bcm: Mapping[str, float], spill_bcm: Mapping[str, float]
    ) -> dict[str, float]:
        """Return the extra release each export-backing reservoir needs in month ``m`` [km3].

        Parameters
        ----------
        m
            Zero-based month.
        release_bcm
            Domestic release of each reservoir [km3].
        spill_bcm
            Spill of each reservoir with that release [km3].

        Returns
        -------
        dict
            Extra water per reservoir id that would make the supplier's export
            whole, as far as its turbines allow [km3]; the hourly shape of the
            shortfall is kept for :meth:`month_mw`.
        """
        hours = np.flatnonzero(self.month == m)
        base_mw = self.month_mw(m, release_bcm, spill_bcm)
        need: dict[str, float] = {}
        for reservoir in self.reservoirs:
            supplier = reservoir.export_supplier
            if not supplier:
                continue
            generation = self.supplier_other_mw[supplier][hours] + self.supplier_mw(
                base_mw, supplier
            )
            surplus = generation - self.zone_demand_mw[supplier][hours]
            surplus = np.clip(surplus - self.supplier_reserve_mw[supplier][hours], 0.0, None)
            short = np.clip(self.supplier_cap_mw[supplier][hours] - surplus, 0.0, None)
            wanted = float(short.sum())  # MWh
            if wanted <= 1e-6:
                continue
            self._short_shape[(m, reservoir.id)] = short / wanted
            need[reservoir.id] = self._extra_for(
                m, reservoir, release_bcm, spill_bcm, base_mw, short, wanted
            )
        return need

    def _extra_for(
        self,
        m: int,
        reservoir: ReservoirSeed,
        release_bcm: Mapping[str, float],
        spill_bcm: Mapping[str, float],
        base_mw: Mapping[str, FloatArray],
        short: FloatArray,
        wanted: float,
    ) -> float:
        """Extra water whose added output covers ``short`` hour by hour [km3]."""
        cascade = [p for p in reservoir.plants if p not in reservoir.upstream_plants]
        per_bcm = sum(self.coefficient_kwh_per_m3[p] for p in cascade) * 1e6  # MWh per km3
        base = sum(base_mw[p] for p in cascade)
        extra = wanted / per_bcm
        for _ in range(NEED_ITERATIONS):
            trial = dict(release_bcm)
            trial[reservoir.id] = release_bcm[reservoir.id] + extra
            mw = self.month_mw(m, trial, spill_bcm, {reservoir.id: extra})
            covered = float(np.minimum(sum(mw[p] for p in cascade) - base, short).sum())
            if covered >= wanted * 0.995 or covered <= 0.0:
                break
            extra *= min(wanted / covered, 3.0)
        return extra
