r"""Adequacy at home: unserved energy, loss-of-load hours, reserve margin and import need per zone.

Deterministic indicators of the seasonal study's dispatch
(:func:`~casa1000.grid.dispatch.dispatch_plants`: each supplier zone covers its
demand and its share of the export from its own plants, imports the rest over
the CAPS equivalent up to its capability, and sheds what remains).  The
probabilistic counterpart (forced outages) is :mod:`.monte_carlo`.

Definitions follow ENTSO-E's adequacy assessment (ERAA; ACER decision 24/2020)
and the reserve-margin convention of the reference notes (section 2.4):

* unserved energy :math:`ENS_{z,m} = \sum_{t \in m} U_{z,t}\,\Delta t`,
* loss-of-load hours :math:`LOLH_{z,m} = \sum_{t \in m} 1[U_{z,t} > \epsilon]`,
* import need :math:`\sum_{t \in m} (I_{z,t} + U_{z,t})\,\Delta t` (what the zone's
  own plants could not cover),
* reserve margin at the month's peak hour :math:`t^*`:
  :math:`RM = 100\,(C_{z,t^*} - L_{z,t^*}) / L_{z,t^*}` with :math:`C` the
  available (water- and maintenance-limited) capacity of the zone's plants.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators.result_set import monthly_gwh

LOSS_OF_LOAD_TOLERANCE_MW: Final = 1e-3
"""Unserved power below this counts as served (solver and rounding noise) [MW]."""


def unserved_gwh(seasonal: xr.Dataset, months: list[int]) -> xr.DataArray:
    """Unserved energy per month and supplier zone [GWh], (month, zone)."""
    return monthly_gwh(seasonal["unserved_mw"], months).transpose("month", "zone")


def loss_of_load_hours(
    seasonal: xr.Dataset, months: list[int], tolerance_mw: float = LOSS_OF_LOAD_TOLERANCE_MW
) -> xr.DataArray:
    """Hours with unserved demand per month and zone [h], (month, zone).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.date_range("2027-01-01", periods=3, freq="h")
    >>> ds = xr.Dataset({"unserved_mw": (("time", "zone"), [[0.0], [5.0], [1e-6]])},
    ...                 coords={"time": t, "zone": ["KG"]})
    >>> loss_of_load_hours(ds, [1]).values.tolist()
    [[1.0]]
    """
    short = (seasonal["unserved_mw"] > tolerance_mw).astype(float)
    out = short.groupby(short.time.dt.month.rename("month")).sum("time")
    return out.reindex(month=months, fill_value=0.0).transpose("month", "zone")


def import_gwh(seasonal: xr.Dataset, months: list[int]) -> xr.DataArray:
    """Energy imported over the CAPS equivalent per month and zone [GWh], (month, zone)."""
    return monthly_gwh(seasonal["import_mw"], months).transpose("month", "zone")


def import_need_gwh(seasonal: xr.Dataset, months: list[int]) -> xr.DataArray:
    """Return what the zone's plants could not cover: imports plus unserved [GWh], (month, zone)."""
    return import_gwh(seasonal, months) + unserved_gwh(seasonal, months)


def reservoir_security(profiles: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray] | None:
    """Lowest end-of-month volume [km3] and months at dead storage [-] of each reservoir.

    From the profiles' monthly reservoir balance (``reservoir_volume_bcm``,
    ``reservoir_at_dead_storage``); None when the profiles carry none.  A
    reservoir at its dead storage can no longer release for winter demand
    (Toktogul's dead storage is 6.5 bcm; reference notes section 4).
    """
    if not {"reservoir_volume_bcm", "reservoir_at_dead_storage"} <= set(profiles.data_vars):
        return None
    low = profiles["reservoir_volume_bcm"].min("month")
    dead = profiles["reservoir_at_dead_storage"].astype(float).sum("month")
    return low, dead


def zone_capacity_mw(profiles: xr.Dataset, params: GridParams, zones: list[str]) -> xr.DataArray:
    """Available capacity of each zone's in-service plants, hour by hour [MW], (time, zone)."""
    zone_of = {p.id: p.zone for p in params.plants if p.in_service}
    plants = [str(p) for p in profiles.plant.values if str(p) in zone_of]
    avail = profiles["available_mw"].sel(plant=plants)
    cols = [avail.sel(plant=[p for p in plants if zone_of[p] == z]).sum("plant") for z in zones]
    return xr.concat(cols, xr.DataArray(zones, dims="zone")).transpose("time", "zone")


def reserve_margin_percent(
    profiles: xr.Dataset, params: GridParams, zones: list[str], months: list[int]
) -> xr.DataArray:
    """Reserve margin at each month's peak-demand hour, per zone [%], (month, zone).

    Available capacity is the profiles' ``available_mw`` (water, maintenance and
    seasonal derating already applied), without imports: a negative margin
    means the zone cannot meet its peak from its own plants.
    """
    demand = profiles["demand_mw"].sel(zone=zones)
    capacity = zone_capacity_mw(profiles, params, zones)
    out = np.full((len(months), len(zones)), np.nan)
    month_of = demand.time.dt.month.values
    for i, m in enumerate(months):
        rows = np.flatnonzero(month_of == m)
        if rows.size == 0:
            continue
        for j, z in enumerate(zones):
            d = demand.sel(zone=z).values[rows]
            k = rows[int(np.argmax(d))]
            peak = float(demand.sel(zone=z).values[k])
            if peak > 0:
                out[i, j] = 100.0 * (float(capacity.sel(zone=z).values[k]) - peak) / peak
    return xr.DataArray(out, dims=("month", "zone"))
