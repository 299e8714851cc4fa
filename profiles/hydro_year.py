"""One year of the reservoir cascades: operate the reservoirs, then shape every hour.

Glue between the monthly water balance (:mod:`casa1000.profiles.reservoir`)
and the hourly plant availability (:mod:`casa1000.profiles.hydro_release`):
it sets the inflows of the hydrology, the energy per m3 of each plant, the
starting volumes and targets, runs the year and returns the hourly output of
every plant on a reservoir's water with the export water marked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from casa1000.errors import InputError
from casa1000.profiles.config import ProfileConfig
from casa1000.profiles.dataset import SUPPLIERS
from casa1000.profiles.hydro_release import HydroShaper
from casa1000.profiles.reservoir import (
    MWH_PER_BCM_PER_KWH_M3,
    ReservoirYear,
    energy_coefficients,
    expected_inflow_bcm,
    month_volume_bcm,
    operate_year,
    planned_release_bcm,
)
from casa1000.profiles.seed_tables import ProfileSeeds
from casa1000.profiles.timeline import hours_per_month, month_index

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class HydroYear:
    """The reservoirs' year and the hourly output of the plants on their water.

    Parameters
    ----------
    water
        Monthly water balance of every reservoir.
    plant_mw
        Hourly available output of each reservoir plant [MW].
    export_release_mw
        Hourly output of each supplier made from water released for the
        export beyond the domestic rule, (hours, suppliers) [MW].
    coefficient_kwh_per_m3
        Energy per m3 of each reservoir plant [kWh/m3].
    """

    water: ReservoirYear
    plant_mw: dict[str, FloatArray]
    export_release_mw: FloatArray
    coefficient_kwh_per_m3: dict[str, float]


def initial_volumes(seeds: ProfileSeeds, config: ProfileConfig) -> dict[str, float]:
    """Return each reservoir's 1 January volume, checked against its dead and full volume [km3].

    Parameters
    ----------
    seeds
        Profile seeds (reservoirs and rule curves).
    config
        The build configuration; its ``initial_volume_bcm`` overrides the
        rule curve's end-of-December volume.

    Returns
    -------
    dict
        Volume per reservoir id [km3].

    Raises
    ------
    InputError
        For an unknown reservoir or a volume outside dead storage to full.
    """
    return _volumes(seeds, config.initial_volume_bcm, "initial_volume_bcm", december=True)


def october_targets(seeds: ProfileSeeds, config: ProfileConfig) -> dict[str, float]:
    """Return each reservoir's 1 October target under the ``october-target`` rule [km3].

    Parameters
    ----------
    seeds
        Profile seeds.
    config
        The build configuration; its ``october_target_bcm`` overrides the seeds.

    Returns
    -------
    dict
        Target per reservoir id [km3].

    Raises
    ------
    InputError
        For an unknown reservoir or a target outside dead storage to full.
    """
    return _volumes(seeds, config.october_target_bcm, "october_target_bcm", december=False)


def _volumes(
    seeds: ProfileSeeds, given: Mapping[str, float] | None, key: str, *, december: bool
) -> dict[str, float]:
    by_id = {r.id: r for r in seeds.reservoirs}
    for name, value in (given or {}).items():
        if name not in by_id:
            raise InputError(
                "profile config", f"{key}[{name}]", value, f"a reservoir of {sorted(by_id)}"
            )
        reservoir = by_id[name]
        if not reservoir.dead_bcm <= value <= reservoir.full_bcm:
            raise InputError(
                "profile config",
                f"{key}[{name}]",
                value,
                f"a volume from the dead storage {reservoir.dead_bcm:g} to full "
                f"{reservoir.full_bcm:g} km3",
            )
    default = {
        r.id: r.guide_bcm[11] if december else r.october_target_bcm for r in seeds.reservoirs
    }
    return {**default, **dict(given or {})}


def hydro_year(
    seeds: ProfileSeeds,
    config: ProfileConfig,
    time: pd.DatetimeIndex,
    *,
    zone_demand_mw: Mapping[str, FloatArray],
    other_mw: Mapping[str, FloatArray],
    contract_total_mw: FloatArray,
    converter_limit_mw: float,
) -> HydroYear:
    """Operate the reservoirs over the year of ``time`` and shape their plants' hours.

    Parameters
    ----------
    seeds
        Profile seeds.
    config
        Hydrology, export rule, initial volumes and targets.
    time
        Hourly timestamps of the year.
    zone_demand_mw
        Hourly demand of ``KG`` and ``TJ`` [MW].
    other_mw
        Hourly availability of each supplier's plants not on a reservoir [MW].
    contract_total_mw
        Hourly CASA contract, both offtakers [MW].
    converter_limit_mw
        Cap on the total export [MW].

    Returns
    -------
    HydroYear
        Water balance, hourly plant output and export water.
    """
    month = month_index(time)
    hours = hours_per_month(time)
    factor = seeds.hydrology_factor[config.hydrology.value] * config.hydro_scale
    normal_factor = seeds.hydrology_factor.get("normal", 1.0)
    flows = {name: np.asarray(series) for name, series in seeds.inflow_m3_per_s.items()}
    inflow = {name: month_volume_bcm(f * factor, hours) for name, f in flows.items()}
    normal = {name: month_volume_bcm(f * normal_factor, hours) for name, f in flows.items()}
    plants = {plant.id: plant for plant in seeds.plants}
    linked = [p for r in seeds.reservoirs for p in r.plants]
    coefficients = energy_coefficients(
        seeds.reservoirs,
        normal_inflow_bcm=normal,
        annual_twh={p: float(plants[p].annual_twh or 0.0) for p in linked},
        p_max_mw={p: plants[p].p_max_mw for p in linked},
        month_hours=hours,
    )
    share = seeds.contract.supplier_share
    shaper = HydroShaper(
        reservoirs=seeds.reservoirs,
        month=month,
        natural_inflow_m3_per_s={name: f * factor for name, f in flows.items()},
        coefficient_kwh_per_m3=coefficients,
        p_max_mw={p: plants[p].p_max_mw for p in linked},
        zone_demand_mw=zone_demand_mw,
        supplier_other_mw=other_mw,
        supplier_reserve_mw={s: zone_demand_mw[s] * seeds.reserve_share[s] for s in SUPPLIERS},
        supplier_cap_mw={
            s: share[s] * np.minimum(contract_total_mw, converter_limit_mw) for s in SUPPLIERS
        },
    )
    contracted = np.bincount(month, weights=contract_total_mw, minlength=12) > 0
    needed = _needed_releases(seeds, shaper, inflow, normal, coefficients, hours)
    water = operate_year(
        seeds.reservoirs,
        inflow_bcm=inflow,
        normal_inflow_bcm=normal,
        initial_bcm=initial_volumes(seeds, config),
        month_hours=hours,
        turbine_max_m3_per_s={r.id: shaper.turbine_max_m3_per_s(r) for r in seeds.reservoirs},
        rule=config.export_rule,
        october_target_bcm=october_targets(seeds, config),
        export_months=tuple(int(m) for m in np.flatnonzero(contracted)),
        export_need=shaper.export_need,
        needed_release_bcm=needed,
    )
    plant_mw = {p: np.zeros(len(time)) for p in linked}
    export_mw = np.zeros((len(time), len(SUPPLIERS)))
    ids = water.reservoir_ids
    for m in range(12):
        rows = np.flatnonzero(month == m)
        release = dict(zip(ids, water.release_bcm[m].tolist(), strict=True))
        spill = dict(zip(ids, water.spill_bcm[m].tolist(), strict=True))
        extra = dict(zip(ids, water.export_release_bcm[m].tolist(), strict=True))
        total = shaper.month_mw(m, release, spill, extra)
        for p, values in total.items():
            plant_mw[p][rows] = values
        if not any(v > 0.0 for v in extra.values()):
            continue
        base = shaper.month_mw(m, {r: release[r] - extra[r] for r in ids}, spill)
        for j, supplier in enumerate(SUPPLIERS):
            gained = shaper.supplier_mw(total, supplier) - shaper.supplier_mw(base, supplier)
            export_mw[rows, j] = np.clip(gained, 0.0, None)
    return HydroYear(
        water=water,
        plant_mw=plant_mw,
        export_release_mw=export_mw,
        coefficient_kwh_per_m3=coefficients,
    )


def _needed_releases(
    seeds: ProfileSeeds,
    shaper: HydroShaper,
    inflow: Mapping[str, FloatArray],
    normal: Mapping[str, FloatArray],
    coefficients: Mapping[str, float],
    hours: FloatArray,
) -> dict[str, FloatArray]:
    """Forecast the monthly release each export-backing reservoir's supplier needs [km3].

    The supplier's other reservoir plants are expected to run on their
    planned flows (upstream plants on the natural inflow).
    """
    expected = expected_inflow_bcm(seeds.reservoirs, inflow)
    normal_expected = expected_inflow_bcm(seeds.reservoirs, normal)
    plants = {plant.id: plant for plant in seeds.plants}
    out: dict[str, FloatArray] = {}
    for reservoir in seeds.reservoirs:
        if not reservoir.export_supplier:
            continue
        other = np.zeros(12)
        for other_res in seeds.reservoirs:
            if other_res.zone != reservoir.zone:
                continue
            plan = planned_release_bcm(other_res, normal_expected[other_res.id])
            for plant in other_res.plants:
                on_outflow = plant not in other_res.upstream_plants
                if other_res.id == reservoir.id and on_outflow:
                    continue
                flow = plan if on_outflow else expected[other_res.id]
                energy = coefficients[plant] * flow * MWH_PER_BCM_PER_KWH_M3
                other += np.minimum(energy, plants[plant].p_max_mw * hours)
        out[reservoir.id] = shaper.needed_release_bcm(reservoir, other)
    return out
