"""Afghanistan's whole supply: demand, domestic plants, imports, CASA and what is unserved.

This is an energy balance beside the network model, not part of it: the AC
network keeps only the CASA offtake as Afghan load (``demand_mw`` of ``AF``),
while this module asks whether Afghanistan as a whole is supplied.  Every hour::

    served = min(demand, domestic + CASA + imports available)
    domestic first (mostly run-of-river hydro), then the CASA offtake,
    then the neighbours in proportion to what each can send;
    unserved = demand - served

Afghanistan is treated as one copper plate although its grid is several
islands (the north and Kabul fed from Uzbekistan and Tajikistan, Herat from
Turkmenistan and Iran, the south mostly isolated), so the figures are upper
bounds on what the imports could serve.  Seeds: ``seeds/afghan_demand.csv``
(annual energy and monthly shares) and ``seeds/afghan_supply.csv`` (capacity
and monthly availability of each source).  Hourly demand uses Tajikistan's
daily shape (no Afghan hourly data was found).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from casa1000.errors import InputError
from casa1000.profiles.seed_cells import MONTH_COLUMNS, number, text
from casa1000.profiles.timeline import SEASON_OF_MONTH, SEASONS, month_index

FloatArray = NDArray[np.float64]

AFGHAN_FILES: Final[tuple[str, ...]] = ("afghan_demand.csv", "afghan_supply.csv")
"""The seed files read here (part of the profile ``seed_hash``)."""

CASA: Final = "CASA"
DOMESTIC: Final = "DOMESTIC"
SOURCES: Final[tuple[str, ...]] = (DOMESTIC, CASA, "UZ", "TJ", "TM", "IR")
"""Labels of the ``af_source`` dimension: domestic plants, CASA, then the neighbours."""
NEIGHBOURS: Final[tuple[str, ...]] = ("UZ", "TJ", "TM", "IR")
WINTER_MONTHS: Final[tuple[int, ...]] = (1, 2, 3, 11, 12)
"""November-March, the months of Afghan winter cuts."""
MWH_PER_TWH: Final = 1e6


@dataclass(frozen=True, kw_only=True)
class AfghanSeed:
    """Afghan demand and the capacity of each supply.

    Parameters
    ----------
    annual_twh
        Demand of the reference year [TWh].
    monthly_share
        Share of the annual demand in each month, January first [-].
    capacity_mw
        Capacity of each source of :data:`SOURCES` except CASA [MW].
    availability
        Available share of that capacity in each month [-].
    """

    annual_twh: float
    monthly_share: tuple[float, ...]
    capacity_mw: dict[str, float]
    availability: dict[str, tuple[float, ...]]


def afghan_seed(tables: dict[str, pd.DataFrame]) -> AfghanSeed:
    """Read and check ``afghan_demand.csv`` and ``afghan_supply.csv``.

    Parameters
    ----------
    tables
        Parsed seed CSVs by file name.

    Returns
    -------
    AfghanSeed
        Demand and supply seeds.

    Raises
    ------
    InputError
        On a missing source, a value out of range or shares not summing to 1.
    """
    name = "afghan_demand.csv"
    demand = tables[name]
    shares = [number(demand, 0, col, name, 0.0, 1.0) for col in MONTH_COLUMNS]
    if abs(sum(shares) - 1.0) > 0.01:
        raise InputError(f"seeds/{name} row 2", "jan..dec", sum(shares), "shares summing to 1")
    supply, sname = tables["afghan_supply.csv"], "afghan_supply.csv"
    capacity: dict[str, float] = {}
    availability: dict[str, tuple[float, ...]] = {}
    for i in range(len(supply)):
        source = text(supply, i, "supply")
        if source not in SOURCES or source == CASA or source in capacity:
            allowed = ", ".join(s for s in SOURCES if s != CASA)
            raise InputError(
                f"seeds/{sname} row {i + 2}", "supply", source, f"once each: {allowed}"
            )
        capacity[source] = number(supply, i, "capacity_mw", sname, 0.0, 1e5)
        availability[source] = tuple(
            number(supply, i, col, sname, 0.0, 1.0) for col in MONTH_COLUMNS
        )
    missing = [s for s in SOURCES if s != CASA and s not in capacity]
    if missing:
        raise InputError(f"seeds/{sname}", "supply", missing[0], "a row for every source")
    total = sum(shares)
    return AfghanSeed(
        annual_twh=number(demand, 0, "annual_twh", name, 0.0, 1e3),
        monthly_share=tuple(s / total for s in shares),
        capacity_mw=capacity,
        availability=availability,
    )


def afghan_demand_mw(
    seed: AfghanSeed, time: pd.DatetimeIndex, daily_shape: Sequence[Sequence[Sequence[float]]]
) -> FloatArray:
    """Return Afghanistan's hourly demand [MW].

    Parameters
    ----------
    seed
        Annual energy and monthly shares.
    time
        Hourly timestamps of one year (UTC+05:00; Afghanistan's half hour is ignored).
    daily_shape
        Mean-one hourly factors by season and day type (Tajikistan's).

    Returns
    -------
    numpy.ndarray
        Demand per hour; each month's energy is annual x share exactly [MW].
    """
    month = month_index(time)
    season = np.array([SEASONS.index(SEASON_OF_MONTH[m]) for m in range(12)])[month]
    day_type = (np.asarray(time.dayofweek) >= 5).astype(np.intp)
    shape = np.asarray(daily_shape, dtype=np.float64)[season, day_type, np.asarray(time.hour)]
    target = np.asarray(seed.monthly_share) * seed.annual_twh * MWH_PER_TWH
    sums = np.bincount(month, weights=shape, minlength=12)
    demand: FloatArray = shape * (target / sums)[month]
    return demand


def afghan_available_mw(
    seed: AfghanSeed, time: pd.DatetimeIndex, casa_mw: FloatArray
) -> FloatArray:
    """Return the hourly power each source can give Afghanistan [MW].

    Parameters
    ----------
    seed
        Capacities and monthly availability.
    time
        Hourly timestamps of one year.
    casa_mw
        CASA offtake of each hour [MW].

    Returns
    -------
    numpy.ndarray
        Array (hours, sources) in :data:`SOURCES` order [MW].
    """
    month = month_index(time)
    columns = [
        casa_mw if s == CASA else (np.asarray(seed.availability[s]) * seed.capacity_mw[s])[month]
        for s in SOURCES
    ]
    return np.column_stack(columns).astype(np.float64)


def afghan_supply_mw(
    demand_mw: FloatArray, available_mw: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Serve Afghan demand hour by hour from the available sources.

    Parameters
    ----------
    demand_mw
        Hourly demand [MW].
    available_mw
        (hours, sources) power each source can give, :data:`SOURCES` order [MW].

    Returns
    -------
    tuple of numpy.ndarray
        Served power per source (hours, sources) and unserved demand (hours,) [MW].

    Examples
    --------
    >>> served, unserved = afghan_supply_mw(
    ...     np.array([500.0]), np.array([[100.0, 0.0, 300.0, 100.0, 200.0, 0.0]]))
    >>> served.round(1).tolist(), unserved.tolist()
    ([[100.0, 0.0, 200.0, 66.7, 133.3, 0.0]], [0.0])
    """
    served = np.zeros_like(available_mw)
    rest = demand_mw.astype(np.float64).copy()
    for group in ((DOMESTIC,), (CASA,), NEIGHBOURS):
        cols = [SOURCES.index(s) for s in group]
        avail = available_mw[:, cols]
        total = avail.sum(axis=1)
        used = np.minimum(rest, total)
        frac = np.divide(used, total, out=np.zeros_like(used), where=total > 0)
        served[:, cols] = avail * frac[:, None]
        rest = rest - used
    return served, rest


def afghan_balance(
    seed: AfghanSeed,
    time: pd.DatetimeIndex,
    casa_mw: FloatArray,
    daily_shape: Sequence[Sequence[Sequence[float]]],
) -> dict[str, FloatArray]:
    """Return the hourly Afghan balance as arrays ready for the profile dataset.

    Parameters
    ----------
    seed
        Afghan demand and supply seeds.
    time
        Hourly timestamps of one year.
    casa_mw
        CASA offtake of each hour [MW].
    daily_shape
        Mean-one hourly demand factors by season and day type.

    Returns
    -------
    dict
        ``af_demand_mw`` (hours,), ``af_available_mw`` and ``af_supply_mw``
        (hours, sources) and ``af_unserved_mw`` (hours,) [MW].
    """
    demand = afghan_demand_mw(seed, time, daily_shape)
    available = afghan_available_mw(seed, time, casa_mw)
    served, unserved = afghan_supply_mw(demand, available)
    return {
        "af_demand_mw": demand,
        "af_available_mw": available,
        "af_supply_mw": served,
        "af_unserved_mw": unserved,
    }


def afghan_security(ds: xr.Dataset) -> pd.DataFrame:
    """Monthly Afghan supply security from a profile dataset.

    Parameters
    ----------
    ds
        Profile dataset with the ``af_*`` variables.

    Returns
    -------
    pandas.DataFrame
        One row per month plus ``winter`` (November-March) and ``year``:
        demand, served energy per source, imports and unserved energy [GWh],
        unserved share of demand, import share of served energy and the share
        of imports from the largest neighbour [%], and that neighbour.
    """
    time = pd.DatetimeIndex(ds["time"].values)
    served = ds["af_supply_mw"].transpose("time", "af_source").to_pandas()
    frame = served.div(1e3).add_prefix("served_gwh:")
    frame["demand_gwh"] = ds["af_demand_mw"].values / 1e3
    frame["unserved_gwh"] = ds["af_unserved_mw"].values / 1e3
    frame["imports_gwh"] = served.loc[:, list(NEIGHBOURS)].to_numpy().sum(axis=1) / 1e3
    frame.index = pd.Index(time.month, name="month")
    months = frame.groupby(level=0).sum()
    rows = {str(m): months.loc[m] for m in months.index}
    rows["winter"] = months.loc[[m for m in WINTER_MONTHS if m in months.index]].sum()
    rows["year"] = months.sum()
    table = pd.DataFrame(rows).T
    neighbours = table[[f"served_gwh:{s}" for s in NEIGHBOURS]]
    served_total = table[[f"served_gwh:{s}" for s in SOURCES]].sum(axis=1)
    table["unserved_percent"] = 100 * table.unserved_gwh / table.demand_gwh
    table["import_percent"] = 100 * table.imports_gwh / served_total.where(served_total > 0)
    table["top_neighbour_percent"] = (
        100 * neighbours.max(axis=1) / table.imports_gwh.where(table.imports_gwh > 0)
    )
    table["top_neighbour"] = neighbours.idxmax(axis=1).str.removeprefix("served_gwh:")
    table.index.name = "month"
    return table
