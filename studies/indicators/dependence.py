r"""Dependence and diversity: import dependence, import shares, Shannon-Wiener and HHI, transit.

Formulas of the reference notes (``reference/peers-and-indicators.md``, section 2.1):

* import dependence (IEA/Eurostat energy form)
  :math:`ID = 100\,(E_{import} - E_{export}) / E_{demand}` [%], negative for a net exporter;
* hourly import share :math:`ID_h(t) = 100\,\max(0, P_{import}(t)) / P_{load}(t)` [%];
* Shannon-Wiener diversity :math:`SWI = -\sum_i p_i \ln p_i` (0 to :math:`\ln N`;
  below 1 "highly concentrated", Krey and Zweifel as cited by Jansen et al. 2004);
* Herfindahl-Hirschman concentration :math:`HHI = \sum_i (100\,s_i)^2` (0 to
  10,000; above 1,800 concentrated).

Countries: Kyrgyzstan and Tajikistan import over the CAPS equivalent (and
Tajikistan over the HVDC under reverse flow) and export their share of the
CASA export; Pakistan imports what the HVDC delivers to it and exports what it
sends back; Afghanistan's whole supply is the profiles' Afghan balance
(:mod:`casa1000.profiles.afghan_balance`: domestic plants, CASA, Uzbekistan,
Tajikistan, Turkmenistan, Iran) re-served with the CASA energy the seasonal
study actually delivered.  Without that balance in the profiles the Afghan
figures are absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators.result_set import (
    MWH_PER_GWH,
    PERIODS,
    STEP_H,
    energy_gwh,
    period_mask,
)

COUNTRIES: Final = ("KG", "TJ", "AF", "PK")
AFGHAN_CASES: Final = ("without_casa", "with_casa")


def shannon_wiener(shares: Sequence[float] | np.ndarray) -> float:
    r"""Shannon-Wiener diversity of shares: :math:`-\sum_i p_i \ln p_i` [-] (shares renormalised).

    Examples
    --------
    >>> round(shannon_wiener([0.5, 0.5]), 6) == round(float(np.log(2)), 6)
    True
    >>> shannon_wiener([1.0, 0.0])
    0.0
    """
    p = np.asarray(shares, dtype=float)
    total = p.sum()
    if not total > 0:
        return float("nan")
    p = p[p > 0] / total
    return float(-(p * np.log(p)).sum()) + 0.0


def herfindahl_hirschman(shares: Sequence[float] | np.ndarray) -> float:
    r"""Herfindahl-Hirschman index of shares: :math:`\sum_i (100\,s_i)^2` [-] (0-10,000).

    Examples
    --------
    >>> herfindahl_hirschman([0.7, 0.3])
    5800.0
    """
    s = np.asarray(shares, dtype=float)
    total = s.sum()
    if not total > 0:
        return float("nan")
    return float(((100.0 * s / total) ** 2).sum())


def supplier_shares(params: GridParams) -> dict[str, float]:
    """Each supplier's contracted share of the export (Tajikistan 70 %, Kyrgyzstan 30 %) [-]."""
    return {"KG": params.contract.kyrgyzstan_share, "TJ": params.contract.tajikistan_share}


def supplier_export_mw(seasonal: xr.Dataset, shares: Mapping[str, float]) -> xr.DataArray:
    r"""Each supplier's part of the export sent [MW], (time, zone).

    What each supplier generated for the export in the seasonal dispatch
    (``supplier_export_mw``: at most what it offered, pro rata to the offers, see
    :func:`~casa1000.grid.schedule.make_schedule`). A result without it (written
    before suppliers were dispatched by their offers) is split by the contract
    shares, :math:`X_{z,t} = \sigma_z S_t`.
    """
    zones = [str(z) for z in seasonal.zone.values]
    if "supplier_export_mw" in seasonal:
        given = seasonal["supplier_export_mw"]
        return given.reindex(zone=zones, fill_value=0.0).transpose("time", "zone")
    sigma = xr.DataArray([shares.get(z, 0.0) for z in zones], dims="zone", coords={"zone": zones})
    return (seasonal["export_sent_mw"] * sigma).transpose("time", "zone")


def terminal_flows_mw(
    seasonal: xr.Dataset, params: GridParams, country: str
) -> tuple[xr.DataArray, xr.DataArray]:
    """Power the HVDC converters in a country give to and draw from its AC grid [MW], (time)."""
    zone_of_bus = {b.id: b.zone for b in params.buses}
    here = [t.id for t in params.hvdc.terminals if zone_of_bus.get(t.bus) == country]
    here = [t for t in here if t in seasonal.terminal.values]
    p = seasonal["converter_p_mw"].sel(terminal=here)
    return (-p).clip(min=0.0).sum("terminal"), p.clip(min=0.0).sum("terminal")


def afghan_supply_mw(
    profiles: xr.Dataset, casa_mw: xr.DataArray
) -> tuple[xr.DataArray, xr.DataArray] | None:
    """Serve the profiles' Afghan demand with the CASA energy actually delivered.

    The rule of :func:`casa1000.profiles.afghan_balance.afghan_supply_mw`:
    domestic plants first, then CASA, then the neighbours pro rata to what each
    can send.

    Parameters
    ----------
    profiles
        Profiles with ``af_demand_mw`` and ``af_available_mw``.
    casa_mw
        (time,) CASA power delivered to Afghanistan [MW].

    Returns
    -------
    tuple of xarray.DataArray or None
        Served power (time, af_source) and unserved power (time,) [MW]; None
        when the profiles carry no Afghan balance.
    """
    if not {"af_demand_mw", "af_available_mw"} <= set(profiles.data_vars):
        return None
    from casa1000.profiles.afghan_balance import CASA, SOURCES
    from casa1000.profiles.afghan_balance import afghan_supply_mw as serve

    available = profiles["af_available_mw"].sel(af_source=list(SOURCES)).copy()
    available.loc[{"af_source": CASA}] = casa_mw.values
    served, unserved = serve(
        profiles["af_demand_mw"].values.astype(np.float64),
        available.transpose("time", "af_source").values.astype(np.float64),
    )
    return (
        xr.DataArray(
            served,
            dims=("time", "af_source"),
            coords={"time": profiles.time, "af_source": list(SOURCES)},
        ),
        xr.DataArray(unserved, dims="time", coords={"time": profiles.time}),
    )


def country_flows_mw(
    seasonal: xr.Dataset,
    profiles: xr.Dataset,
    params: GridParams,
    shares: Mapping[str, float],
) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray]:
    """Hourly imports, exports and demand of every country of :data:`COUNTRIES` [MW].

    Afghanistan's "demand" is its served consumption (the IEA share of
    consumption imported); its row is NaN without an Afghan balance.

    Returns
    -------
    tuple of xarray.DataArray
        Import, export, demand; each (time, country).
    """
    exports = supplier_export_mw(seasonal, shares)
    zero = xr.zeros_like(seasonal["export_sent_mw"])
    imports, export, demand = [], [], []
    for z in ("KG", "TJ"):
        given, _ = terminal_flows_mw(seasonal, params, z)
        imports.append(seasonal["import_mw"].sel(zone=z) + given)
        export.append(exports.sel(zone=z))
        demand.append(profiles["demand_mw"].sel(zone=z))
    af = afghan_supply_mw(profiles, seasonal["delivered_mw"].sel(offtaker="AF").fillna(0.0))
    if af is None:
        nan = zero + np.nan
        imports.append(nan)
        export.append(nan)
        demand.append(nan)
    else:
        served, _ = af
        imports.append(
            served.sel(af_source=[s for s in served.af_source.values if s != "DOMESTIC"]).sum(
                "af_source"
            )
        )
        export.append(zero)
        demand.append(served.sum("af_source"))
    pk_in, pk_out = terminal_flows_mw(seasonal, params, "PK")
    imports.append(pk_in)
    export.append(pk_out)
    demand.append(profiles["demand_mw"].sel(zone="PK"))
    dim = xr.DataArray(list(COUNTRIES), dims="country")

    def stack(parts: list[xr.DataArray]) -> xr.DataArray:
        drop = ["zone", "offtaker", "supplier", "af_source"]
        clean = [
            p.drop_vars(drop, errors="ignore").assign_coords(time=seasonal.time.values)
            for p in parts
        ]
        return xr.concat(clean, dim).transpose("time", "country")

    return stack(imports), stack(export), stack(demand)


def import_dependence_percent(
    imports_mw: xr.DataArray, exports_mw: xr.DataArray, demand_mw: xr.DataArray
) -> xr.DataArray:
    r"""Import dependence per period and country: :math:`100\,(E_{imp} - E_{exp})/E_{dem}` [%].

    Returns
    -------
    xarray.DataArray
        (period, country) over :data:`~.result_set.PERIODS`; NaN for a period
        without hours or demand.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.date_range("2027-01-01", periods=2, freq="h")
    >>> da = lambda v: xr.DataArray(np.array(v)[:, None], dims=("time", "country"),
    ...                             coords={"time": t, "country": ["KG"]})
    >>> import_dependence_percent(da([30.0, 10.0]), da([0.0, 20.0]), da([100.0, 100.0])
    ...                           ).sel(period="annual").values.tolist()
    [10.0]
    """
    out = []
    for period in PERIODS:
        mask = period_mask(imports_mw.time, period)
        dem = demand_mw.where(mask, 0.0).sum("time")
        net = (imports_mw - exports_mw).where(mask, 0.0).sum("time")
        out.append(100.0 * net / dem.where(dem > 0))
    return xr.concat(out, xr.DataArray(list(PERIODS), dims="period")).transpose("period", "country")


def hourly_import_share_percent(imports_mw: xr.DataArray, demand_mw: xr.DataArray) -> xr.DataArray:
    r"""Hourly import share :math:`100\,\max(0, P_{imp})/P_{load}` [%], (time, country).

    NaN at zero load.
    """
    return 100.0 * imports_mw.clip(min=0.0) / demand_mw.where(demand_mw > 0)


def period_stats(hourly: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """Mean and maximum of an hourly (time, country) series per period, (period, country)."""
    means, maxes = [], []
    for period in PERIODS:
        sel = hourly.where(period_mask(hourly.time, period))
        means.append(sel.mean("time"))
        maxes.append(sel.max("time"))
    dim = xr.DataArray(list(PERIODS), dims="period")
    return (
        xr.concat(means, dim).transpose("period", "country"),
        xr.concat(maxes, dim).transpose("period", "country"),
    )


def supply_by_source_gwh(seasonal: xr.Dataset, params: GridParams) -> xr.DataArray:
    """Energy supplied to each supplier zone by technology and by import, per period [GWh].

    Sources are the plant technologies (``hydro_reservoir``, ``hydro_ror``,
    ``thermal``) and ``import`` over the CAPS equivalent.

    Returns
    -------
    xarray.DataArray
        (period, zone, source) [GWh].
    """
    tech = {p.id: p.technology.value for p in params.plants}
    zone_of = {p.id: p.zone for p in params.plants}
    plants = [str(p) for p in seasonal.plant.values]
    sources = [*sorted({tech[p] for p in plants if p in tech}), "import"]
    zones = [str(z) for z in seasonal.zone.values]
    out = np.zeros((len(PERIODS), len(zones), len(sources)))
    for i, period in enumerate(PERIODS):
        mask = period_mask(seasonal.time, period)
        gen = seasonal["plant_p_mw"].where(mask, 0.0).sum("time") * STEP_H / MWH_PER_GWH
        imp = seasonal["import_mw"].where(mask, 0.0).sum("time") * STEP_H / MWH_PER_GWH
        for j, z in enumerate(zones):
            for k, s in enumerate(sources[:-1]):
                members = [p for p in plants if zone_of.get(p) == z and tech.get(p) == s]
                out[i, j, k] = float(gen.sel(plant=members).sum())
            out[i, j, -1] = float(imp.sel(zone=z))
    return xr.DataArray(
        out,
        dims=("period", "zone", "source"),
        coords={"period": list(PERIODS), "zone": zones, "source": sources},
    )


def diversity(energy_gwh: xr.DataArray, dim: str) -> tuple[xr.DataArray, xr.DataArray]:
    """Shannon-Wiener and HHI of the shares along ``dim`` of an energy array."""
    swi = xr.apply_ufunc(
        lambda a: np.apply_along_axis(shannon_wiener, -1, a),
        energy_gwh,
        input_core_dims=[[dim]],
    )
    hhi = xr.apply_ufunc(
        lambda a: np.apply_along_axis(herfindahl_hirschman, -1, a),
        energy_gwh,
        input_core_dims=[[dim]],
    )
    return swi, hhi


def afghan_corridors_gwh(
    profiles: xr.Dataset, casa_mw: xr.DataArray, params: GridParams
) -> dict[str, dict[str, float]] | None:
    """Afghan imports by corridor and the unserved energy, without and with CASA [GWh].

    Each neighbour arrives over its own lines.  As built, the CASA offtake
    reaches Kabul over the Tajik-Afghan 220 kV corridor that already carries
    the Tajik imports (corridor ``TJ``); with a Kabul converter (the 2014
    design) it arrives over a corridor of its own (``CASA_HVDC``).  Without
    CASA the neighbours cover what they can of the rest.

    Returns
    -------
    dict or None
        Case (``without_casa``, ``with_casa``) -> corridor -> energy, plus the
        keys ``domestic`` and ``unserved``; None without an Afghan balance.
    """
    zone_of_bus = {b.id: b.zone for b in params.buses}
    own_corridor = any(zone_of_bus.get(t.bus) == "AF" for t in params.hvdc.inverters)
    out: dict[str, dict[str, float]] = {}
    for case, casa in (("without_casa", casa_mw * 0.0), ("with_casa", casa_mw)):
        balance = afghan_supply_mw(profiles, casa)
        if balance is None:
            return None
        served, unserved = balance
        gwh = (served.sum("time") * STEP_H / MWH_PER_GWH).to_series()
        corridors = {str(s): float(v) for s, v in gwh.items() if s not in ("DOMESTIC", "CASA")}
        key = "CASA_HVDC" if own_corridor else "TJ"
        corridors[key] = corridors.get(key, 0.0) + float(gwh.get("CASA", 0.0))
        corridors["domestic"] = float(gwh.get("DOMESTIC", 0.0))
        corridors["unserved"] = float(unserved.sum()) * STEP_H / MWH_PER_GWH
        out[case] = corridors
    return out


def corridor_shares(case: Mapping[str, float]) -> list[float]:
    """Return the imports of a case of :func:`afghan_corridors_gwh` (no domestic, unserved)."""
    return [v for k, v in case.items() if k not in ("domestic", "unserved")]


def pakistan_route(params: GridParams, route_km: Mapping[str, Mapping[str, float]]) -> list[str]:
    """DC segments from the rectifier to the Pakistani inverter, in order."""
    zone_of_bus = {b.id: b.zone for b in params.buses}
    target = next((t.id for t in params.hvdc.inverters if zone_of_bus.get(t.bus) == "PK"), None)
    path: list[str] = []
    at = params.hvdc.rectifier.id
    while target is not None and at != target:
        seg = next((s for s in params.hvdc.segments if s.from_terminal == at), None)
        if seg is None:
            return []
        path.append(seg.id)
        at = seg.to_terminal
    return path


def afghan_route_km(params: GridParams, route_km: Mapping[str, Mapping[str, float]]) -> float:
    """Kilometres of the DC route to Pakistan that lie in Afghanistan [km]."""
    return float(sum(route_km.get(s, {}).get("AF", 0.0) for s in pakistan_route(params, route_km)))


def pk_supply_via_afghanistan_percent(
    delivered_pk_gwh: float, params: GridParams, route_km: Mapping[str, Mapping[str, float]]
) -> float:
    r"""Share of Pakistan's CASA supply that crosses Afghanistan [%].

    :math:`100 \sum_t P^{del}_{PK,t}\,1[\text{route crosses AF}] / \sum_t P^{del}_{PK,t}`:
    every route of the HVDC to Nowshera (as built and as designed in 2014)
    crosses Afghanistan, so this is 100 % whenever anything is delivered.
    """
    if not delivered_pk_gwh > 0:
        return float("nan")
    return 100.0 if afghan_route_km(params, route_km) > 0 else 0.0


def kg_export_via_tie_percent(
    contingency: xr.Dataset, kg_export_mw: xr.DataArray, tie: str = "DATKA_SUGHD"
) -> float:
    r"""Share of the Kyrgyz export that needs the Datka-Sughd tie [%].

    :math:`100 \min(1, \sum_t L_{t,c} / \sum_t X^{KG}_t)` with :math:`L_{t,c}` the
    export lost when the tie is out (contingency ``LINE:DATKA_SUGHD``) and
    :math:`X^{KG}` the Kyrgyz export sent.  NaN without that contingency or
    without Kyrgyz export.
    """
    ids = [str(c) for c in contingency.contingency.values]
    match = [c for c in ids if c.split(":", 1)[-1].split("/")[0] == tie and c.startswith("LINE:")]
    total = float(kg_export_mw.sel(time=contingency.time).sum())
    if not match or not total > 0:
        return float("nan")
    lost = float(contingency["export_lost_mw"].sel(contingency=match[0]).fillna(0.0).sum())
    return 100.0 * min(1.0, lost / total)


def total_gwh(power_mw: xr.DataArray) -> float:
    """Energy of a (time,) series [GWh] as a float."""
    return float(energy_gwh(power_mw))
