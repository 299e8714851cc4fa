r"""Economics: revenue per party from the tariff, revenue at risk, avoided fuel and CO2 in Pakistan.

Tariff components (``seeds/tariffs.csv``, 2015 terms): energy 5.15, transmission
2.98 and Afghan transit 1.25 US c/kWh (9.38 c all-in for Pakistan).  They are
applied to the energy **delivered** (metered at the offtake; an assumption, the
metering point is not published): Pakistan pays all three on its deliveries,
Afghanistan energy and transmission on its own; the energy payment goes to the
suppliers in proportion to the export each made available in the hour, the
transit fee to Afghanistan, the transmission charge to one pool (its split
between the Kyrgyz, Tajik and Afghan line owners is not published).

Avoided emissions follow the operating-margin idea of the CDM grid tool (UNFCCC
"Tool to calculate the emission factor for an electricity system"): each MWh
delivered to Pakistan displaces a MWh of its marginal plant,
:math:`CO_2 = E_{PK}\,EF` and :math:`Q_{fuel} = 3.6\,E_{PK}/\eta` (GJ per MWh).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import xarray as xr

from casa1000.studies.indicators.result_set import STEP_H
from casa1000.studies.indicators.seed_tables import Tariff

PARTIES: Final = ("KG", "TJ", "AF", "transmission")
"""Who receives CASA-1000 revenue: the two suppliers, Afghanistan (transit) and the line pool."""
USD_PER_MUSD: Final = 1e6
GJ_PER_MWH: Final = 3.6


def tariff_usd_per_mwh(tariffs: Mapping[str, Tariff], offtaker: str) -> float:
    """All-in tariff an offtaker pays [USD/MWh] (the components it is a payer of).

    Examples
    --------
    >>> from casa1000.studies.indicators.seed_tables import read_tariffs
    >>> t = read_tariffs()
    >>> round(tariff_usd_per_mwh(t, "PK"), 2), round(tariff_usd_per_mwh(t, "AF"), 2)
    (93.8, 81.3)
    """
    return sum(t.usd_per_mwh for t in tariffs.values() if offtaker in t.payers)


def revenue_mw_usd(
    delivered_mw: xr.DataArray, supplier_share: xr.DataArray, tariffs: Mapping[str, Tariff]
) -> xr.DataArray:
    r"""Hourly revenue of each party [USD per hour], (time, party).

    .. math:: R_{s,t} = \tau_e\,(P_{PK,t} + P_{AF,t})\,\sigma_{s,t}, \quad
              R_{trans,t} = \tau_{tr}\,(P_{PK,t} + P_{AF,t}), \quad
              R_{AF,t} = \tau_{transit}\,P_{PK,t}

    Parameters
    ----------
    delivered_mw
        (time, offtaker) delivered power [MW].
    supplier_share
        (time, zone) each supplier's share of the export (sums to 1 or 0).
    tariffs
        The tariff components.
    """
    zero = xr.zeros_like(delivered_mw.isel(offtaker=0, drop=True))
    out = {party: zero for party in PARTIES}
    offtakers = [str(o) for o in delivered_mw.offtaker.values]
    for tariff in tariffs.values():
        paid = zero.copy()
        for o in tariff.payers:
            if o in offtakers:
                paid = paid + delivered_mw.sel(offtaker=o, drop=True)
        usd = paid * tariff.usd_per_mwh * STEP_H
        payees = [p for p in tariff.payees if p in PARTIES]
        suppliers = [p for p in payees if p in supplier_share.zone.values]
        if suppliers:
            shares = supplier_share.sel(zone=suppliers)
            norm = (shares / shares.sum("zone").where(shares.sum("zone") > 0)).fillna(0.0)
            for s in suppliers:
                out[s] = out[s] + usd * norm.sel(zone=s, drop=True)
        else:
            for p in payees:
                out[p] = out[p] + usd / len(payees)
    return xr.concat(
        [out[p] for p in PARTIES], xr.DataArray(list(PARTIES), dims="party")
    ).transpose("time", "party")


def revenue_musd(revenue_usd: xr.DataArray, hours: xr.DataArray | None = None) -> xr.DataArray:
    """Revenue per party summed over the (selected) hours [million USD], (party)."""
    r = revenue_usd if hours is None else revenue_usd.where(hours, 0.0)
    return r.sum("time") / USD_PER_MUSD


def payments_musd(delivered_mw: xr.DataArray, tariffs: Mapping[str, Tariff]) -> xr.DataArray:
    """Return what each offtaker pays over the hours [million USD], (offtaker)."""
    rates = xr.DataArray(
        [tariff_usd_per_mwh(tariffs, str(o)) for o in delivered_mw.offtaker.values],
        dims="offtaker",
        coords={"offtaker": delivered_mw.offtaker.values},
    )
    return (delivered_mw * rates).sum("time") * STEP_H / USD_PER_MUSD


def revenue_above_capability_musd(
    revenue_usd: xr.DataArray, sent_mw: xr.DataArray, capability_mw: xr.DataArray
) -> float:
    r"""Revenue on the export sent beyond the hour's N-1 secure capability [million USD].

    .. math:: \sum_t R_t \, \frac{\max(0, S_t - TTC_t)}{S_t}
    """
    sent = sent_mw.sel(time=capability_mw.time)
    excess = (sent - capability_mw.clip(min=0.0)).clip(min=0.0)
    frac = (excess / sent.where(sent > 0)).fillna(0.0)
    total = revenue_usd.sel(time=capability_mw.time).sum("party")
    return float((total * frac).sum()) / USD_PER_MUSD


def avoided_co2_kt(delivered_pk_gwh: float, emission_factor_t_per_mwh: float) -> float:
    r"""CO2 avoided in Pakistan: :math:`E_{PK}\,EF` [kt] (GWh x t/MWh = kt).

    Examples
    --------
    >>> round(avoided_co2_kt(3000.0, 0.58), 6)
    1740.0
    """
    return delivered_pk_gwh * emission_factor_t_per_mwh


def avoided_fuel_tj(delivered_pk_gwh: float, efficiency: float) -> float:
    r"""Fuel heat avoided in Pakistan: :math:`3.6\,E_{PK}/\eta` [TJ] (GWh x GJ/MWh = TJ).

    Examples
    --------
    >>> round(avoided_fuel_tj(1000.0, 0.45), 1)
    8000.0
    """
    return GJ_PER_MWH * delivered_pk_gwh / efficiency if efficiency > 0 else float("nan")
