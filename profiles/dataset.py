"""The contract of a profile dataset: names, dimensions, units, and its validator.

A profile dataset is an :class:`xarray.Dataset` with

coordinates
    ``time`` (every hour of one calendar year, naive ``datetime64[ns]`` in
    UTC+05:00, ``attrs["timezone"] = "UTC+05:00"``), ``zone`` =
    KG, TJ, AF, PK, ``plant`` (the plant ids of ``seeds/plants.csv``, variant
    ``all``, with ``plant_zone``, ``technology`` and ``cascade`` on the same
    dimension), ``offtaker`` = PK, AF and ``supplier`` = KG, TJ;
inputs
    ``demand_mw(time, zone)``, ``available_mw(time, plant)``,
    ``contract_mw(time, offtaker)``;
derived (recomputed by :func:`casa1000.profiles.exports.derive_exports`)
    ``reserve_mw(time, supplier)``, ``export_available_mw(time, supplier)``,
    ``export_available_total_mw(time)``;
optional inputs (absent means zero; written to and read from CSV)
    ``export_release_mw(time, supplier)``: output made from water released
    for the export beyond the domestic reservoir rule;
    ``reverse_contract_mw(time)``: power Pakistan sends to Tajikistan;
optional energy-balance outputs of a build (NetCDF only)
    the Afghan balance ``af_demand_mw(time)``, ``af_available_mw(time,
    af_source)``, ``af_supply_mw(time, af_source)``, ``af_unserved_mw(time)``
    (see :mod:`casa1000.profiles.afghan_balance`) and the monthly reservoir
    balance on dims ``month`` (1-12) and ``reservoir``:
    ``reservoir_inflow_bcm``, ``reservoir_planned_release_bcm``,
    ``reservoir_release_bcm``, ``reservoir_export_release_bcm``,
    ``reservoir_spill_bcm``, ``reservoir_volume_bcm`` (end of month) [km3],
    ``reservoir_energy_gwh`` (the dam plant) [GWh],
    ``reservoir_at_dead_storage`` [1], with ``reservoir_initial_volume_bcm``
    and ``reservoir_kwh_per_m3`` (the dam plant's energy per m3) on
    ``reservoir`` alone (see :mod:`casa1000.profiles.reservoir`).

Hourly variables are in MW (``attrs["units"] == "MW"``); every variable has
``units`` and a ``long_name``.
Kyrgyz daily and weekly shapes are written on Kyrgyz time (UTC+06:00) and are
therefore read one hour ahead of the dataset clock (see
:mod:`casa1000.profiles.timeline`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr

from casa1000.errors import InputError
from casa1000.profiles.schema import VariableSpec
from casa1000.profiles.seed_tables import PlantSeed, load_profile_seeds
from casa1000.profiles.timeline import TIMEZONE, hours_in_year

ZONES: Final[tuple[str, ...]] = ("KG", "TJ", "AF", "PK")
OFFTAKERS: Final[tuple[str, ...]] = ("PK", "AF")
SUPPLIERS: Final[tuple[str, ...]] = ("KG", "TJ")
UNITS: Final = "MW"


MAX_ZONE_DEMAND_MW: Final = 100_000.0
"""Largest hourly demand a zone may have: three times Pakistan's 30 GW record, so a
typo (an extra zero, kW for MW) is caught while every growth scenario passes."""
MAX_CONTRACT_MW: Final = 10_000.0
"""Largest contracted export per offtaker: several times any HVDC link of the region."""

INPUT_VARIABLES: Final[dict[str, VariableSpec]] = {
    "demand_mw": VariableSpec(
        dims=("time", "zone"),
        long_name="hourly demand: KG and TJ domestic (TJ with TALCO), AF CASA offtake, "
        "PK system demand (indicator only)",
        units=UNITS,
        valid_max=MAX_ZONE_DEMAND_MW,
    ),
    "available_mw": VariableSpec(
        dims=("time", "plant"), long_name="hourly available generation per plant", units=UNITS
    ),
    "contract_mw": VariableSpec(
        dims=("time", "offtaker"),
        long_name="CASA-1000 contracted export schedule per offtaker",
        units=UNITS,
        valid_max=MAX_CONTRACT_MW,
    ),
}
DERIVED_VARIABLES: Final[dict[str, VariableSpec]] = {
    "reserve_mw": VariableSpec(
        dims=("time", "supplier"), long_name="operating reserve held by each supplier", units=UNITS
    ),
    "export_available_mw": VariableSpec(
        dims=("time", "supplier"),
        long_name="export available per supplier: min(contract share, surplus over demand "
        "and reserve)",
        units=UNITS,
    ),
    "export_available_total_mw": VariableSpec(
        dims=("time",),
        long_name="total export available, capped at the converter limit",
        units=UNITS,
    ),
}
VARIABLES: Final[dict[str, VariableSpec]] = {**INPUT_VARIABLES, **DERIVED_VARIABLES}
OPTIONAL_INPUT_VARIABLES: Final[dict[str, VariableSpec]] = {
    "export_release_mw": VariableSpec(
        dims=("time", "supplier"),
        long_name="output from water released for the CASA export beyond the domestic "
        "reservoir rule (part of available_mw)",
        units=UNITS,
    ),
    "reverse_contract_mw": VariableSpec(
        dims=("time",),
        long_name="reverse-flow contract: power Pakistan sends to Tajikistan",
        units=UNITS,
    ),
}
_WATER = "1e9 m3"
ENERGY_VARIABLES: Final[dict[str, VariableSpec]] = {
    "af_demand_mw": VariableSpec(
        dims=("time",), long_name="Afghanistan's whole demand", units=UNITS
    ),
    "af_available_mw": VariableSpec(
        dims=("time", "af_source"), long_name="power each source can give Afghanistan", units=UNITS
    ),
    "af_supply_mw": VariableSpec(
        dims=("time", "af_source"), long_name="Afghan demand served by each source", units=UNITS
    ),
    "af_unserved_mw": VariableSpec(
        dims=("time",), long_name="Afghan demand not served", units=UNITS
    ),
    "reservoir_inflow_bcm": VariableSpec(
        dims=("month", "reservoir"), long_name="inflow in the month", units=_WATER
    ),
    "reservoir_planned_release_bcm": VariableSpec(
        dims=("month", "reservoir"),
        long_name="normal-year planned release of the rule curve",
        units=_WATER,
    ),
    "reservoir_release_bcm": VariableSpec(
        dims=("month", "reservoir"), long_name="water through the dam's turbines", units=_WATER
    ),
    "reservoir_export_release_bcm": VariableSpec(
        dims=("month", "reservoir"),
        long_name="part of the release made for the CASA export beyond the domestic rule",
        units=_WATER,
    ),
    "reservoir_spill_bcm": VariableSpec(
        dims=("month", "reservoir"), long_name="water spilled above the full volume", units=_WATER
    ),
    "reservoir_volume_bcm": VariableSpec(
        dims=("month", "reservoir"), long_name="volume at the end of the month", units=_WATER
    ),
    "reservoir_energy_gwh": VariableSpec(
        dims=("month", "reservoir"), long_name="energy available at the dam plant", units="GWh"
    ),
    "reservoir_at_dead_storage": VariableSpec(
        dims=("month", "reservoir"),
        long_name="1 when the month ends at dead storage with the release cut below the rule's",
        units="1",
    ),
    "reservoir_initial_volume_bcm": VariableSpec(
        dims=("reservoir",), long_name="volume on 1 January", units=_WATER
    ),
    "reservoir_kwh_per_m3": VariableSpec(
        dims=("reservoir",), long_name="energy per m3 through the dam plant", units="kWh/m3"
    ),
}
OPTIONAL_VARIABLES: Final[dict[str, VariableSpec]] = {
    **OPTIONAL_INPUT_VARIABLES,
    **ENERGY_VARIABLES,
}
PLANT_COORDS: Final[tuple[str, ...]] = ("plant_zone", "technology", "cascade")


def new_profiles_dataset(
    *,
    time: pd.DatetimeIndex,
    plants: Sequence[PlantSeed],
    demand_mw: np.ndarray,
    available_mw: np.ndarray,
    contract_mw: np.ndarray,
    attrs: dict[str, str | int | float],
) -> xr.Dataset:
    """Wrap the input arrays of a study year in a labelled dataset.

    Parameters
    ----------
    time
        Hourly timestamps of one year in UTC+05:00.
    plants
        Plants in column order of ``available_mw``.
    demand_mw
        Array (hours, 4) in :data:`ZONES` order [MW].
    available_mw
        Array (hours, plants) [MW].
    contract_mw
        Array (hours, 2) in :data:`OFFTAKERS` order [MW].
    attrs
        Provenance attributes of the dataset.

    Returns
    -------
    xarray.Dataset
        The inputs with coordinates and units, without the derived variables.
    """
    coords = {
        "time": ("time", time.to_numpy(dtype="datetime64[ns]"), {"timezone": TIMEZONE}),
        "zone": list(ZONES),
        "plant": [plant.id for plant in plants],
        "plant_zone": ("plant", [plant.zone for plant in plants]),
        "technology": ("plant", [plant.technology for plant in plants]),
        "cascade": ("plant", [plant.cascade for plant in plants]),
        "offtaker": list(OFFTAKERS),
        "supplier": list(SUPPLIERS),
    }
    values = {"demand_mw": demand_mw, "available_mw": available_mw, "contract_mw": contract_mw}
    data_vars = {
        name: (spec.dims, np.asarray(values[name], dtype=np.float64), variable_attrs(name))
        for name, spec in INPUT_VARIABLES.items()
    }
    return xr.Dataset(data_vars, coords=coords, attrs=dict(attrs))


def variable_attrs(name: str) -> dict[str, str]:
    """Return the ``units`` and ``long_name`` attributes of a contract variable.

    Parameters
    ----------
    name
        Variable name, a key of :data:`VARIABLES` or :data:`OPTIONAL_VARIABLES`.

    Returns
    -------
    dict
        ``{"units": ..., "long_name": ...}``.
    """
    spec = VARIABLES.get(name) or OPTIONAL_VARIABLES[name]
    return {"units": spec.units or "1", "long_name": spec.long_name}


def validate_profiles(
    ds: xr.Dataset,
    *,
    where: str = "profiles dataset",
    plants: Sequence[PlantSeed] | None = None,
    whole_year: bool = True,
) -> None:
    """Check that a dataset honours the profile contract.

    Parameters
    ----------
    ds
        Dataset to check.
    where
        Name of its origin (a file path) for the error message.
    plants
        Plant seeds to check ids and capacities against; read from the seeds
        when ``None``.
    whole_year
        Require every hour of one calendar year; when False, any hours of one
        year in increasing order (a study on selected hours).

    Raises
    ------
    InputError
        On the first breach: a missing variable or coordinate, wrong dimensions
        or labels, units other than MW, an incomplete or irregular year of
        hours, a value that is not finite or below 0, or an available
        generation above the plant's capacity.
    """
    if plants is None:
        plants = load_profile_seeds().plants
    _check_coords(ds, where, plants, whole_year=whole_year)
    for name, spec in VARIABLES.items():
        if name not in ds.data_vars:
            raise InputError(
                where, "variables", sorted(map(str, ds.data_vars)), f"a {name} variable"
            )
        var = ds[name]
        if var.dims != spec.dims:
            raise InputError(where, f"{name} dims", var.dims, str(spec.dims))
        if var.attrs.get("units") != spec.units:
            raise InputError(where, f"{name} units", var.attrs.get("units"), f"{spec.units!r}")
        _check_values(var, name, where, spec.valid_max or np.inf)
    for name, spec in OPTIONAL_VARIABLES.items():
        if name not in ds.data_vars:
            continue
        var = ds[name]
        if var.dims != spec.dims:
            raise InputError(where, f"{name} dims", var.dims, str(spec.dims))
        if var.attrs.get("units") != spec.units:
            raise InputError(where, f"{name} units", var.attrs.get("units"), f"{spec.units!r}")
        _check_values(var, name, where, spec.valid_max or np.inf)
    p_max = np.array([plant.p_max_mw for plant in plants])
    _check_values(ds["available_mw"], "available_mw", where, p_max)


def _check_coords(
    ds: xr.Dataset, where: str, plants: Sequence[PlantSeed], *, whole_year: bool = True
) -> None:
    """Check the time axis and the labels of every dimension."""
    if "time" not in ds.coords or not np.issubdtype(ds["time"].dtype, np.datetime64):
        raise InputError(where, "time", ds.coords.get("time"), "a datetime64 time coordinate")
    if ds["time"].attrs.get("timezone") != TIMEZONE:
        raise InputError(where, "time timezone", ds["time"].attrs.get("timezone"), repr(TIMEZONE))
    time = pd.DatetimeIndex(ds["time"].values)
    if len(time) == 0:
        raise InputError(where, "time", "no hours", "every hour of one calendar year")
    year = int(time[0].year)
    expected = pd.date_range(
        pd.Timestamp(year=year, month=1, day=1), periods=hours_in_year(year), freq="h"
    )
    if not whole_year:
        if not time.isin(expected).all() or not time.is_monotonic_increasing or time.has_duplicates:
            raise InputError(where, "time", str(time[0]), f"whole hours of {year}, increasing")
    elif len(time) != len(expected) or not (time == expected).all():
        bad = _first_difference(time, expected)
        raise InputError(
            where, "time", bad, f"every hour of {year} in order ({len(expected)} hours)"
        )
    wanted: dict[str, list[str]] = {
        "zone": list(ZONES),
        "offtaker": list(OFFTAKERS),
        "supplier": list(SUPPLIERS),
        "plant": [plant.id for plant in plants],
    }
    for dim, labels in wanted.items():
        got = [str(label) for label in ds[dim].values] if dim in ds.coords else None
        if got != labels:
            raise InputError(where, dim, got, f"the labels {labels}")
    for name in PLANT_COORDS:
        if name not in ds.coords or ds[name].dims != ("plant",):
            raise InputError(
                where, "coords", sorted(map(str, ds.coords)), f"a {name} coordinate on plant"
            )


def _first_difference(time: pd.DatetimeIndex, expected: pd.DatetimeIndex) -> str:
    """Return the first hour where ``time`` departs from ``expected``."""
    for got, want in zip(time, expected, strict=False):
        if got != want:
            return f"{got.isoformat()} where {want.isoformat()} was due"
    if len(time) < len(expected):
        return f"{len(time)} hours, missing {expected[len(time)].isoformat()}"
    return f"{len(time)} hours, extra {time[len(expected)].isoformat()}"


def _check_values(var: xr.DataArray, name: str, where: str, upper: float | np.ndarray) -> None:
    """Raise on the first value that is not finite, below 0 or above ``upper``."""
    values = var.values
    bad = ~np.isfinite(values) | (values < 0.0) | (values > np.asarray(upper) * (1 + 1e-9))
    if not bad.any():
        return
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    labels = [str(var[dim].values[i]) for dim, i in zip(var.dims, index, strict=True)]
    time = next((label for dim, label in zip(var.dims, labels, strict=True) if dim == "time"), "")
    label = ",".join(lab for dim, lab in zip(var.dims, labels, strict=True) if dim != "time")
    column = f"{name}:{label}" if label else name
    allowed = "a finite number >= 0 [MW]"
    if not np.ndim(upper) and np.isfinite(upper):
        allowed = f"a finite number from 0 to {float(upper):g} [MW]"
    if np.ndim(upper) and values[index] > 0:
        cap = float(np.asarray(upper)[index[-1]])
        allowed = f"a finite number from 0 to the plant capacity {cap:g} [MW]"
    raise InputError(where, f"{column} at {time}", float(values[index]), allowed)
