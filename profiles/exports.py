"""The CASA-1000 export schedule and the export each supplier can make available.

This module holds the one computation of the derived variables; both the
builder and the CSV/NetCDF readers call :func:`derive_exports`.

For each supplier s and hour t::

    surplus_s = sum of available_mw over s's plants - export_release_mw[s]
                - demand_mw[s] - reserve_mw[s]
    export_available_mw[s] = min(share_s x total contract,
                                 max(surplus_s, 0) + export_release_mw[s])
    export_available_total_mw = min(sum over s, converter limit)

``export_release_mw`` is the output of water a reservoir released for the
export beyond its domestic rule (:mod:`casa1000.profiles.reservoir`; zero when
the dataset has no such variable).  It is offered for export even in an hour
when the supplier is short at home: the supplier then imports for its own load
while the reservoir water goes abroad, which is how a Kyrgyz export backed by
Toktogul would run inside the Central Asian power system.

with the contract shares Tajikistan 70 % and Kyrgyzstan 30 % of
``seeds/hvdc.toml`` and the reserve a share of the supplier's demand
(``seeds/profile_reserve.csv``).  Outside the export season the contract is
zero, and so is every export.  The Afghan offtake (``demand_mw`` of ``AF``) is
its contract times the fraction of the contract that is available: Pakistan
and Afghanistan are curtailed pro rata.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from casa1000.profiles.dataset import OFFTAKERS, SUPPLIERS, variable_attrs
from casa1000.profiles.seed_tables import ContractSeed


def contract_schedule_mw(time: pd.DatetimeIndex, contract: ContractSeed) -> NDArray[np.float64]:
    """Return the contracted export of each offtaker at each hour.

    Parameters
    ----------
    time
        Hourly timestamps in UTC+05:00.
    contract
        Season and contracted power per offtaker.

    Returns
    -------
    numpy.ndarray
        Array (hours, 2) in ``OFFTAKERS`` order (PK, AF) [MW]: the contracted
        power from the first hour of the season's first day to the last hour of
        its last day, zero otherwise.
    """
    month_day = np.asarray(time.month) * 100 + np.asarray(time.day)
    start = contract.season_start[0] * 100 + contract.season_start[1]
    end = contract.season_end[0] * 100 + contract.season_end[1]
    in_season = (month_day >= start) & (month_day <= end)
    power = np.array([contract.offtaker_mw[offtaker] for offtaker in OFFTAKERS])
    return np.where(in_season[:, None], power[None, :], 0.0)


def derive_exports(
    ds: xr.Dataset,
    *,
    reserve_share: Mapping[str, float],
    supplier_share: Mapping[str, float],
    converter_limit_mw: float,
) -> xr.Dataset:
    """Return a copy of ``ds`` with the reserve and export variables (re)computed.

    Parameters
    ----------
    ds
        Profile dataset holding at least ``demand_mw``, ``available_mw`` (with
        the ``plant_zone`` coordinate) and ``contract_mw``; an optional
        ``export_release_mw`` marks output made for the export.
    reserve_share
        Operating reserve of each supplier as a share of its demand [-].
    supplier_share
        Share of the total contract each supplier provides [-].
    converter_limit_mw
        Cap on the total export available [MW].

    Returns
    -------
    xarray.Dataset
        New dataset with ``reserve_mw``, ``export_available_mw`` and
        ``export_available_total_mw``; ``ds`` itself is not changed.
    """
    suppliers = list(SUPPLIERS)
    demand = ds["demand_mw"].sel(zone=suppliers).rename(zone="supplier")
    reserve = demand * xr.DataArray([reserve_share[s] for s in suppliers], dims="supplier")
    plant_zone = ds["plant_zone"].values
    generation = xr.concat(
        [ds["available_mw"].isel(plant=plant_zone == s).sum("plant") for s in suppliers],
        dim="supplier",
    ).transpose("time", "supplier")
    surplus = (generation - demand - reserve).clip(min=0.0)
    if "export_release_mw" in ds.data_vars:
        earmarked = ds["export_release_mw"].transpose("time", "supplier")
        surplus = (generation - earmarked - demand - reserve).clip(min=0.0) + earmarked
    contract_total = ds["contract_mw"].sum("offtaker")
    share = xr.DataArray([supplier_share[s] for s in suppliers], dims="supplier")
    cap = (share * contract_total).transpose("time", "supplier")
    export = surplus.where(surplus < cap, cap)
    summed = export.sum("supplier")
    total = summed.where(summed < converter_limit_mw, converter_limit_mw)
    out = ds.copy()
    out["reserve_mw"] = reserve.transpose("time", "supplier").assign_attrs(
        variable_attrs("reserve_mw")
    )
    out["export_available_mw"] = export.assign_attrs(variable_attrs("export_available_mw"))
    out["export_available_total_mw"] = total.assign_attrs(
        variable_attrs("export_available_total_mw")
    )
    return out.assign_coords(supplier=suppliers)


def afghan_offtake_mw(contract_mw: xr.DataArray, export_total_mw: xr.DataArray) -> xr.DataArray:
    """Return what Afghanistan takes over CASA each hour.

    Parameters
    ----------
    contract_mw
        Contract schedule (time, offtaker) [MW].
    export_total_mw
        Total export available (time) [MW].

    Returns
    -------
    xarray.DataArray
        Afghan contract times the available fraction of the total contract,
        ``min(1, export_total / contract_total)``; zero when nothing is
        contracted [MW].
    """
    contract_total = contract_mw.sum("offtaker")
    contracted = contract_total > 0.0
    fraction = (export_total_mw / contract_total.where(contracted, 1.0)).where(contracted, 0.0)
    afghan: xr.DataArray = contract_mw.sel(offtaker="AF", drop=True) * fraction.clip(max=1.0)
    return afghan
