"""Hourly available generation of every plant.

Hydro
    A cascade's monthly energy follows its river's inflow, except for the share
    its reservoirs re-time: ``share_m = (1 - r) * q_m + r * d_m``, where ``q_m``
    is the month's share of the year's inflow volume, ``d_m`` the month's share
    of the zone's demand energy and ``r`` the cascade's ``regulation_share``
    (``seeds/profile_cascade.csv``).  So Toktogul and Nurek hold back part of
    the summer flood and release it in winter, and the profile is the
    generation the operators make available, not the raw inflow.  A plant's
    monthly energy is its normal-year energy x hydrology factor x
    ``hydro_scale`` x the cascade's monthly share; it is spread evenly over the
    month's hours and capped at the plant's capacity (water above the cap is
    spilled).  Reservoir plants (``hydro_reservoir``) also shape each month's
    energy like their zone's hourly demand, because their storage lets them
    follow load within the day; run-of-river plants are flat within the month.
Thermal
    Capacity x the month's availability share (heat-led CHPs are overhauled in
    summer).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from casa1000.profiles.seed_tables import CascadeSeed, PlantSeed
from casa1000.profiles.timeline import hours_per_month, month_index

MWH_PER_TWH = 1e6


def cascade_monthly_share(
    cascade: CascadeSeed,
    month_hours: NDArray[np.float64],
    demand_share: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return the share of a cascade's annual energy generated in each month.

    Parameters
    ----------
    cascade
        Inflow shape and regulation share of the cascade.
    month_hours
        Hours of each month of the study year [h].
    demand_share
        Share of the zone's annual demand energy in each month [-].

    Returns
    -------
    numpy.ndarray
        Twelve shares summing to 1 [-].

    Examples
    --------
    >>> from casa1000.profiles.seed_tables import CascadeSeed
    >>> flat = np.full(12, 1 / 12)
    >>> river = CascadeSeed(id="R", zone="KG", inflow_m3_per_s=(1.0,) * 6 + (3.0,) * 6,
    ...                     regulation_share=0.5)
    >>> cascade_monthly_share(river, np.full(12, 730.0), flat).round(3)[[0, 11]]
    array([0.062, 0.104])
    """
    volume = np.asarray(cascade.inflow_m3_per_s) * month_hours
    inflow_share = volume / volume.sum()
    r = cascade.regulation_share
    share: NDArray[np.float64] = (1.0 - r) * inflow_share + r * demand_share / demand_share.sum()
    return share


def available_mw(
    plants: tuple[PlantSeed, ...],
    cascades: Mapping[str, CascadeSeed],
    time: pd.DatetimeIndex,
    demand_mw: Mapping[str, NDArray[np.float64]],
    *,
    hydro_factor: float,
) -> NDArray[np.float64]:
    """Return the hourly available generation of every plant.

    Parameters
    ----------
    plants
        Plants in dataset order.
    cascades
        Cascade seeds by cascade id.
    time
        Hourly timestamps of one year in UTC+05:00.
    demand_mw
        Hourly demand per zone [MW]: regulated cascades follow its monthly
        energy and reservoir plants its hourly shape.
    hydro_factor
        Hydrology factor x ``hydro_scale`` applied to every hydro plant's energy [-].

    Returns
    -------
    numpy.ndarray
        Array of shape (hours, plants) [MW], each column within 0 and the
        plant's capacity.
    """
    month = month_index(time)
    month_hours = hours_per_month(time)
    out = np.empty((len(time), len(plants)))
    for j, plant in enumerate(plants):
        if plant.annual_twh is None:
            out[:, j] = (np.asarray(plant.monthly_availability) * plant.p_max_mw)[month]
            continue
        cascade = cascades[plant.cascade]
        zone_demand = demand_mw[plant.zone]
        monthly_demand = np.bincount(month, weights=zone_demand, minlength=12)
        share = cascade_monthly_share(cascade, month_hours, monthly_demand / monthly_demand.sum())
        mean_mw = (plant.annual_twh * MWH_PER_TWH * hydro_factor * share / month_hours)[month]
        if plant.technology == "hydro_reservoir":
            # a reservoir plant moves its daily water to the hours of high load
            mean_mw = mean_mw * zone_demand / (monthly_demand / month_hours)[month]
        out[:, j] = np.minimum(mean_mw, plant.p_max_mw)
    return out
