"""Build the hourly profiles of a study year from the seeds."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

import casa1000
from casa1000.errors import InputError
from casa1000.profiles.afghan_balance import SOURCES, afghan_balance
from casa1000.profiles.availability import available_mw
from casa1000.profiles.config import ExportRule, Hydrology, ProfileConfig
from casa1000.profiles.dataset import SUPPLIERS, ZONES, new_profiles_dataset, variable_attrs
from casa1000.profiles.demand import shaped_demand_mw
from casa1000.profiles.exports import afghan_offtake_mw, contract_schedule_mw, derive_exports
from casa1000.profiles.hydro_year import HydroYear, hydro_year
from casa1000.profiles.seed_tables import SHAPED_ZONES, ProfileSeeds, load_profile_seeds
from casa1000.profiles.timeline import TIMEZONE, hourly_index, month_index

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
    export_rule: ExportRule | str = ExportRule.OCTOBER_TARGET,
    initial_volume_bcm: Mapping[str, float] | None = None,
    october_target_bcm: Mapping[str, float] | None = None,
    reverse_contract_mw: float = 0.0,
) -> xr.Dataset:
    """Build every hour of a study year: demand, available generation, contract and exports.

    Parameters
    ----------
    year
        Calendar year, 2020 to 2060; it sets the calendar (8,760 or 8,784 hours).
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
    export_rule
        ``"spill-only"``, ``"october-target"`` or ``"full-contract"``: how
        much reservoir water may be released for the export.
    initial_volume_bcm
        Reservoir volumes on 1 January by reservoir id [km3]; the rule curve's
        by default.
    october_target_bcm
        1 October targets for ``"october-target"`` by reservoir id [km3].
    reverse_contract_mw
        Power Pakistan sends to Tajikistan in the reverse-flow months [MW].

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
        export_rule=ExportRule.parse(export_rule),
        initial_volume_bcm=initial_volume_bcm,
        october_target_bcm=october_target_bcm,
        reverse_contract_mw=reverse_contract_mw,
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
    contract = contract_schedule_mw(time, seeds.contract)
    hydro = _reservoir_plants(seeds, config, time, demand, available, contract, limit)
    ds = new_profiles_dataset(
        time=time,
        plants=seeds.plants,
        demand_mw=demand,
        available_mw=available,
        contract_mw=contract,
        attrs={
            "title": "casa1000 hourly profiles",
            "casa1000_version": casa1000.__version__,
            "year": config.year,
            "hydrology": config.hydrology.value,
            "hydro_scale": float(config.hydro_scale),
            "demand_growth": float(config.demand_growth),
            "seed": config.seed,
            "converter_limit_mw": limit,
            "export_rule": config.export_rule.value,
            "reverse_contract_mw": float(config.reverse_contract_mw),
            "seed_hash": seeds.seed_hash,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "timezone": TIMEZONE,
        },
    )
    ds["export_release_mw"] = (
        ("time", "supplier"),
        hydro.export_release_mw,
        variable_attrs("export_release_mw"),
    )
    ds["reverse_contract_mw"] = (
        ("time",),
        _reverse_schedule_mw(seeds, config, time, contract),
        variable_attrs("reverse_contract_mw"),
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
    ds = ds.assign(demand_mw=demand_mw)
    balance = afghan_balance(
        seeds.afghan, time, afghan.values.astype(np.float64), seeds.demand["TJ"].daily_shape
    )
    return _with_energy_balance(ds, balance, hydro, seeds)


def build_profiles_years(
    config: ProfileConfig,
    hydrologies: Sequence[Hydrology | str],
    *,
    seeds: ProfileSeeds | None = None,
) -> list[xr.Dataset]:
    """Build consecutive study years whose reservoirs carry their water over.

    Year ``k`` is ``config.year + k`` with hydrology ``hydrologies[k]`` and
    weather seed ``config.seed + k``; it starts from the volumes year ``k - 1``
    ended with (year 0 from ``config.initial_volume_bcm`` or the rule curve).

    Parameters
    ----------
    config
        Settings of the first year; every other setting is kept.
    hydrologies
        Water year of each study year, in order (two or three make a drought).
    seeds
        Seed values; read from ``casa1000.seeds`` when ``None``.

    Returns
    -------
    list of xarray.Dataset
        One profile dataset per year.

    Raises
    ------
    InputError
        If no hydrology is given, or a year or setting is out of range.

    Examples
    --------
    >>> years = build_profiles_years(ProfileConfig(year=2027), ["dry", "dry"])
    >>> bool((years[1].reservoir_initial_volume_bcm
    ...       == years[0].reservoir_volume_bcm.isel(month=-1)).all())
    True
    """
    if not hydrologies:
        raise InputError("build_profiles_years", "hydrologies", [], "at least one water year")
    seeds = load_profile_seeds() if seeds is None else seeds
    out: list[xr.Dataset] = []
    volumes = config.initial_volume_bcm
    for k, hydrology in enumerate(hydrologies):
        year_config = dataclasses.replace(
            config,
            year=config.year + k,
            hydrology=Hydrology.parse(hydrology),
            seed=config.seed + k,
            initial_volume_bcm=volumes,
        )
        ds = build_profiles_from_config(year_config, seeds=seeds)
        volumes = {
            str(r): float(v)
            for r, v in ds["reservoir_volume_bcm"].isel(month=-1).to_series().items()
        }
        out.append(ds)
    return out


def _reservoir_plants(
    seeds: ProfileSeeds,
    config: ProfileConfig,
    time: pd.DatetimeIndex,
    demand: NDArray[np.float64],
    available: NDArray[np.float64],
    contract: NDArray[np.float64],
    limit: float,
) -> HydroYear:
    """Operate the reservoirs and write their plants' hours into ``available`` (in place)."""
    linked = {p for r in seeds.reservoirs for p in r.plants}
    other = {
        s: available[
            :, [j for j, p in enumerate(seeds.plants) if p.zone == s and p.id not in linked]
        ].sum(axis=1)
        for s in SUPPLIERS
    }
    hydro = hydro_year(
        seeds,
        config,
        time,
        zone_demand_mw={zone: demand[:, ZONES.index(zone)] for zone in SUPPLIERS},
        other_mw=other,
        contract_total_mw=contract.sum(axis=1),
        converter_limit_mw=limit,
    )
    for j, plant in enumerate(seeds.plants):
        if plant.id in hydro.plant_mw:
            available[:, j] = hydro.plant_mw[plant.id]
    return hydro


def _reverse_schedule_mw(
    seeds: ProfileSeeds,
    config: ProfileConfig,
    time: pd.DatetimeIndex,
    contract: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return the reverse-flow contract of each hour: seeded months, no export contract [MW]."""
    rating = seeds.contract.link_rating_mw
    if config.reverse_contract_mw > rating:
        raise InputError(
            "profile config",
            "reverse_contract_mw",
            config.reverse_contract_mw,
            f"a power from 0 to the link rating {rating:g} MW",
        )
    allowed = np.asarray(seeds.reverse_months)[month_index(time)] & (contract.sum(axis=1) == 0)
    return np.where(allowed, float(config.reverse_contract_mw), 0.0)


def _with_energy_balance(
    ds: xr.Dataset,
    balance: Mapping[str, NDArray[np.float64]],
    hydro: HydroYear,
    seeds: ProfileSeeds,
) -> xr.Dataset:
    """Attach the Afghan balance and the monthly reservoir balance to ``ds``."""
    water = hydro.water
    month = month_index(pd.DatetimeIndex(ds["time"].values))
    dams = [r.dam_plant for r in seeds.reservoirs]
    plant_ids = [str(p) for p in ds["plant"].values]
    dam_mw = ds["available_mw"].values[:, [plant_ids.index(p) for p in dams]]
    energy_gwh = (
        np.stack(
            [np.bincount(month, weights=dam_mw[:, k], minlength=12) for k in range(len(dams))],
            axis=1,
        )
        / 1e3
    )
    monthly: dict[str, NDArray[np.generic]] = {
        "reservoir_inflow_bcm": water.inflow_bcm,
        "reservoir_planned_release_bcm": water.planned_release_bcm,
        "reservoir_release_bcm": water.release_bcm,
        "reservoir_export_release_bcm": water.export_release_bcm,
        "reservoir_spill_bcm": water.spill_bcm,
        "reservoir_volume_bcm": water.volume_bcm,
        "reservoir_energy_gwh": energy_gwh,
        "reservoir_at_dead_storage": water.at_dead_storage.astype(np.int8),
    }
    out = ds.assign_coords(
        af_source=list(SOURCES), month=np.arange(1, 13), reservoir=list(water.reservoir_ids)
    )
    for name, values in balance.items():
        dims = ("time", "af_source") if np.ndim(values) == 2 else ("time",)
        out[name] = (dims, values, variable_attrs(name))
    for name, table in monthly.items():
        out[name] = (("month", "reservoir"), table, variable_attrs(name))
    out["reservoir_initial_volume_bcm"] = (
        ("reservoir",),
        water.initial_bcm,
        variable_attrs("reservoir_initial_volume_bcm"),
    )
    out["reservoir_kwh_per_m3"] = (
        ("reservoir",),
        np.array([hydro.coefficient_kwh_per_m3[p] for p in dams]),
        variable_attrs("reservoir_kwh_per_m3"),
    )
    return out
