"""The results the indicators are computed from, aligned hour by hour.

A result set is one scenario's seasonal result (required), its contingency and
transfer-capability results (used when present), the profiles and the network
they ran on.  Hours are those of the seasonal study; a contingency or transfer
result is cut to the hours it shares with it.  Indicators that need an absent
result are left out, and :attr:`ResultSet.absent` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import xarray as xr

from casa1000.errors import InputError
from casa1000.grid.params import GridParams
from casa1000.studies.spine.scenario import StudyInputs

STEP_H: Final = 1.0
"""Length of one time step [h]: every study is hourly."""
MWH_PER_GWH: Final = 1000.0
WINTER_MONTHS: Final = (10, 11, 12, 1, 2, 3)
"""October to March: the Central Asian heating season and hydro low-water period."""


@dataclass(frozen=True, kw_only=True)
class ResultSet:
    """One scenario's results, profiles and network, on the seasonal study's hours.

    Parameters
    ----------
    seasonal
        The seasonal result.
    profiles
        The profiles, cut to the seasonal hours.
    params
        The network.
    contingency
        The contingency result on the shared hours, if any.
    transfer
        The transfer-capability result on the shared hours, if any.
    absent
        Study name -> why it is missing (empty when all are present).
    """

    seasonal: xr.Dataset
    profiles: xr.Dataset
    params: GridParams
    contingency: xr.Dataset | None = None
    transfer: xr.Dataset | None = None
    absent: Mapping[str, str] = field(default_factory=dict)

    @property
    def months(self) -> xr.DataArray:
        """Month (1-12) of every seasonal hour."""
        month: xr.DataArray = self.seasonal.time.dt.month
        return month

    @property
    def month_values(self) -> list[int]:
        """The months studied, ascending."""
        return sorted({int(m) for m in self.months.values})

    def sent_mw(self) -> xr.DataArray:
        """Export sent at the sending end (HVDC plus Afghan corridor) [MW]."""
        sent: xr.DataArray = self.seasonal["export_sent_mw"]
        return sent

    def delivered_mw(self) -> xr.DataArray:
        """Power delivered per offtaker, zero where the hour did not converge [MW]."""
        delivered: xr.DataArray = self.seasonal["delivered_mw"].fillna(0.0)
        return delivered


def _cut(ds: xr.Dataset, seasonal: xr.Dataset, name: str) -> tuple[xr.Dataset | None, str]:
    shared = np.intersect1d(ds.time.values, seasonal.time.values)
    if shared.size == 0:
        return None, f"the {name} result shares no hour with the seasonal result"
    return ds.sel(time=shared), ""


def result_set(inputs: StudyInputs) -> ResultSet:
    """Gather and align the results of ``inputs``.

    Parameters
    ----------
    inputs
        Scenario inputs with ``results["seasonal"]`` and, optionally,
        ``"contingency"`` and ``"transfer"``.

    Returns
    -------
    ResultSet
        The aligned set; missing or disjoint results are recorded in ``absent``.

    Raises
    ------
    InputError
        If there is no seasonal result or the profiles lack its hours.
    """
    results = inputs.results
    if "seasonal" not in results:
        raise InputError("indicators", "results", "seasonal", "a seasonal result to build on")
    seasonal = results["seasonal"]
    missing_hours = np.setdiff1d(seasonal.time.values, inputs.profiles.time.values)
    if missing_hours.size:
        raise InputError(
            "indicators",
            "profiles",
            str(missing_hours[0])[:16],
            "profiles covering every hour of the seasonal result",
        )
    profiles = inputs.profiles.sel(time=seasonal.time.values)
    parts: dict[str, xr.Dataset | None] = {}
    absent: dict[str, str] = {}
    for name in ("contingency", "transfer"):
        if name not in results:
            parts[name] = None
            absent[name] = f"no {name} result in the set"
            continue
        cut, why = _cut(results[name], seasonal, name)
        parts[name] = cut
        if why:
            absent[name] = why
    return ResultSet(
        seasonal=seasonal,
        profiles=profiles,
        params=inputs.params,
        contingency=parts["contingency"],
        transfer=parts["transfer"],
        absent=absent,
    )


def energy_gwh(power_mw: xr.DataArray) -> xr.DataArray:
    """Energy of an hourly power series [GWh] (sum over ``time`` times the step)."""
    return power_mw.sum("time") * STEP_H / MWH_PER_GWH


def monthly_gwh(power_mw: xr.DataArray, months: list[int]) -> xr.DataArray:
    """Energy per month of an hourly power series [GWh], dim ``month`` over ``months``."""
    out = power_mw.groupby(power_mw.time.dt.month.rename("month")).sum("time") * STEP_H
    return (out / MWH_PER_GWH).reindex(month=months, fill_value=0.0)


def period_mask(time: xr.DataArray, period: str) -> xr.DataArray:
    """Hours of a period: ``annual`` (all), ``winter`` (Oct-Mar) or ``summer`` (Apr-Sep)."""
    winter = time.dt.month.isin(list(WINTER_MONTHS))
    if period == "winter":
        return winter
    if period == "summer":
        return ~winter
    return xr.ones_like(winter, dtype=bool)


PERIODS: Final = ("annual", "winter", "summer")
