"""Build the hourly profiles of a study year from the seeds."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import xarray as xr

import casa1000
from casa1000.profiles.availability import available_mw
from casa1000.profiles.config import Hydrology, ProfileConfig
from casa1000.profiles.dataset import ZONES, new_profiles_dataset
from casa1000.profiles.demand import shaped_demand_mw
from casa1000.profiles.exports import afghan_offtake_mw, contract_schedule_mw, derive_exports
from casa1000.profiles.seed_tables import SHAPED_ZONES, ProfileSeeds, load_profile_seeds
from casa1000.profiles.timeline import TIMEZONE, hourly_index

GROWING_ZONES = ("KG", "TJ")
"""Zones whose non-smelter demand ``demand_growth`` multiplies."""


def build_profiles(
    *,
    year: int,
    hydrology: Hydrology | str = Hydrology.NORMAL,
    hydro_scale: float = 1.0,
    demand_growth: float = 1.0,
    seed: int = 0,
    converter_limit_mw: float | None = None,
) -> xr.Dataset:
    """Build every hour of a study year: demand, available generation, contract and exports.

    Parameters
    ----------
    year
        Calendar year, 1970 to 2100; it sets the calendar (8,760 or 8,784 hours).
    hydrology
        Water year: ``"dry"``, ``"normal"`` or ``"wet"``.
    hydro_scale
        Extra multiplier on hydro energy [-].
    demand_growth
        Multiplier on Kyrgyz and Tajik non-smelter demand [-].
    seed
        Seed of the weather variation; the same seed gives identical arrays.
    converter_limit_mw
        Cap on the total export available [MW]; ``None`` uses the 1,300 MW
        link rating of ``seeds/hvdc.toml``.

    Returns
    -------
    xarray.Dataset
        The profile dataset described in :mod:`casa1000.profiles.dataset`.

    Raises
    ------
    InputError
        If a parameter is out of range or a seed table is broken.

    Examples
    --------
    >>> ds = build_profiles(year=2028)
    >>> ds.sizes["time"], ds.zone.values.tolist()
    (8784, ['KG', 'TJ', 'AF', 'PK'])
    """
    config = ProfileConfig(
        year=year,
        hydrology=Hydrology.parse(hydrology),
        hydro_scale=hydro_scale,
        demand_growth=demand_growth,
        seed=seed,
        converter_limit_mw=converter_limit_mw,
    )
    return build_profiles_from_config(config)


def build_profiles_from_config(
    config: ProfileConfig, *, seeds: ProfileSeeds | None = None
) -> xr.Dataset:
    """Build the profile dataset of a configuration.

    Parameters
    ----------
    config
        Study year and scenario knobs.
    seeds
        Seed values; read from ``casa1000.seeds`` when ``None``.

    Returns
    -------
    xarray.Dataset
        The profile dataset described in :mod:`casa1000.profiles.dataset`.
    """
    seeds = load_profile_seeds() if seeds is None else seeds
    time = hourly_index(config.year)
    rng = np.random.default_rng(config.seed)

    demand = np.zeros((len(time), len(ZONES)))
    for zone in SHAPED_ZONES:  # fixed order: each zone draws its weather from rng in turn
        growth = config.demand_growth if zone in GROWING_ZONES else 1.0
        column = ZONES.index(zone)
        demand[:, column] = shaped_demand_mw(seeds.demand[zone], time, rng, scale=growth)
        demand[:, column] += seeds.flat_load_mw.get(zone, 0.0)

    hydro_factor = seeds.hydrology_factor[config.hydrology.value] * config.hydro_scale
    available = available_mw(
        seeds.plants,
        seeds.cascades,
        time,
        {zone: demand[:, ZONES.index(zone)] for zone in GROWING_ZONES},
        hydro_factor=hydro_factor,
    )
    limit = (
        seeds.contract.link_rating_mw
        if config.converter_limit_mw is None
        else float(config.converter_limit_mw)
    )
    ds = new_profiles_dataset(
        time=time,
        plants=seeds.plants,
        demand_mw=demand,
        available_mw=available,
        contract_mw=contract_schedule_mw(time, seeds.contract),
        attrs={
            "title": "casa1000 hourly profiles",
            "casa1000_version": casa1000.__version__,
            "year": config.year,
            "hydrology": config.hydrology.value,
            "hydro_scale": float(config.hydro_scale),
            "demand_growth": float(config.demand_growth),
            "seed": config.seed,
            "converter_limit_mw": limit,
            "seed_hash": seeds.seed_hash,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "timezone": TIMEZONE,
        },
    )
    ds = derive_exports(
        ds,
        reserve_share=seeds.reserve_share,
        supplier_share=seeds.contract.supplier_share,
        converter_limit_mw=limit,
    )
    afghan = afghan_offtake_mw(ds["contract_mw"], ds["export_available_total_mw"])
    demand_mw = ds["demand_mw"].copy()
    demand_mw.loc[{"zone": "AF"}] = afghan
    return ds.assign(demand_mw=demand_mw)
