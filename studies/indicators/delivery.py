r"""Delivery indicators: what the corridor delivers, against what was contracted, and what it loses.

Pure functions of a seasonal result and its profiles (see
:mod:`casa1000.studies.seasonal`).  Energies are sums of hourly powers times the
one-hour step, in GWh; hours that did not converge deliver nothing.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import xarray as xr

from casa1000.grid.params import GridParams
from casa1000.studies.indicators.result_set import monthly_gwh
from casa1000.studies.seasonal import CurtailReason

REASONS: Final = ("converter", "voltage_collapse", "thermal", "other")
"""Curtailment reasons reported: the seasonal study's, and ``other`` for export
available but not sent in an hour without a recorded reason."""
_CODE: Final = {
    "converter": int(CurtailReason.CONVERTER),
    "voltage_collapse": int(CurtailReason.VOLTAGE_COLLAPSE),
    "thermal": int(CurtailReason.THERMAL),
    "other": int(CurtailReason.NONE),
}


def delivered_gwh(seasonal: xr.DataArray | xr.Dataset, months: list[int]) -> xr.DataArray:
    r"""Energy delivered to each offtaker per month.

    .. math:: E_{o,m} = \sum_{t \in m} P^{del}_{o,t} \, \Delta t

    Parameters
    ----------
    seasonal
        Seasonal result (``delivered_mw``; NaN in non-convergent hours counts as 0).
    months
        Months to report.

    Returns
    -------
    xarray.DataArray
        (month, offtaker) [GWh].
    """
    return monthly_gwh(seasonal["delivered_mw"].fillna(0.0), months)


def contract_gwh(profiles: xr.Dataset, months: list[int]) -> xr.DataArray:
    r"""Contracted energy per offtaker and month: :math:`\sum_t C_{o,t} \Delta t` [GWh].

    The contract of the profiles (``contract_mw``) is the capacity the power
    purchase agreement schedules in the export season (1 May - 30 Sep:
    Pakistan 1,000 MW, Afghanistan 300 MW), taken at the sending end.
    """
    return monthly_gwh(profiles["contract_mw"], months)


def sent_by_offtaker_mw(seasonal: xr.Dataset, profiles: xr.Dataset) -> xr.DataArray:
    r"""Export sent for each offtaker, split pro rata to the hour's contracts [MW].

    .. math:: S_{o,t} = S_t \, \frac{C_{o,t}}{\sum_k C_{k,t}}

    the split every study schedules
    (:func:`~casa1000.studies.spine.schedule_inputs.export_by_offtaker`).
    """
    contract = profiles["contract_mw"]
    total = contract.sum("offtaker")
    share = (contract / total.where(total > 0)).fillna(0.0)
    return (seasonal["export_sent_mw"] * share).transpose("time", "offtaker")


def fulfilment_percent(energy_gwh: xr.DataArray, contract_gwh: xr.DataArray) -> xr.DataArray:
    r"""Contract fulfilment: energy over contracted energy, summed over the months.

    .. math:: F_o = 100 \, \frac{\sum_m E_{o,m}}{\sum_m C_{o,m}}

    Parameters
    ----------
    energy_gwh
        (month, offtaker) delivered (or sent) energy [GWh].
    contract_gwh
        (month, offtaker) contracted energy [GWh].

    Returns
    -------
    xarray.DataArray
        (offtaker) [%]; NaN for an offtaker without contracted energy in the hours studied.

    Examples
    --------
    >>> e = xr.DataArray([[90.0, 30.0]], dims=("month", "offtaker"))
    >>> c = xr.DataArray([[100.0, 0.0]], dims=("month", "offtaker"))
    >>> fulfilment_percent(e, c).values.tolist()
    [90.0, nan]
    """
    contract = contract_gwh.sum("month")
    return 100.0 * energy_gwh.sum("month") / contract.where(contract > 0)


def hvdc_flow_mw(seasonal: xr.Dataset) -> xr.DataArray:
    r"""Power entering the HVDC from the AC side, in either direction [MW], (time).

    :math:`P^{HVDC}_t = \sum_k \max(0, P^{conv}_{k,t})`: what the sending
    converter(s) draw; the rectifier in export, Nowshera under reverse flow.
    """
    flow: xr.DataArray = seasonal["converter_p_mw"].clip(min=0.0).sum("terminal")
    return flow


def hvdc_utilisation_percent(
    seasonal: xr.Dataset, rating_mw: float, hours: xr.DataArray | None = None
) -> float:
    r"""Utilisation of the HVDC link: energy sent into it over its rating times the hours.

    .. math:: U = 100 \, \frac{\sum_t P^{HVDC}_t}{P_{rated} \, T}

    with :math:`P^{HVDC}` from :func:`hvdc_flow_mw` (both directions).

    Parameters
    ----------
    seasonal
        Seasonal result (``converter_p_mw``).
    rating_mw
        Bipole rating [MW].
    hours
        Boolean (time) selection (e.g. the export season); all hours when None.

    Returns
    -------
    float
        [%]; NaN for no hours or a zero rating.
    """
    sent = hvdc_flow_mw(seasonal)
    if hours is not None:
        sent = sent.where(hours, drop=True)
    n = sent.sizes["time"]
    if n == 0 or rating_mw <= 0:
        return float("nan")
    return float(100.0 * sent.sum() / (rating_mw * n))


def monthly_hvdc_utilisation_percent(
    seasonal: xr.Dataset, rating_mw: float, months: list[int]
) -> xr.DataArray:
    """Mean HVDC utilisation per month [%] (see :func:`hvdc_utilisation_percent`)."""
    flow = hvdc_flow_mw(seasonal)
    mean = flow.groupby(flow.time.dt.month.rename("month")).mean("time")
    return (100.0 * mean / rating_mw if rating_mw > 0 else mean * np.nan).reindex(month=months)


def _area_of_terminals(params: GridParams, seasonal: xr.Dataset) -> dict[str, str]:
    area_of_bus = dict(
        zip(seasonal.bus.values.tolist(), seasonal.bus_area.values.tolist(), strict=True)
    )
    return {t.id: str(area_of_bus.get(t.bus, "")) for t in params.hvdc.terminals}


def loss_segments(seasonal: xr.Dataset) -> list[str]:
    """Names of the loss segments of a result: ``ac_<area>`` per area, then the HVDC parts."""
    return [f"ac_{str(a).lower()}" for a in seasonal.area.values] + [
        "sending_station",
        "dc_line",
        "receiving_stations",
    ]


def losses_mw(seasonal: xr.Dataset, params: GridParams) -> tuple[xr.DataArray, xr.DataArray]:
    r"""Hourly losses of each segment and the power each is measured against.

    Segments and denominators (the power entering the segment):

    * ``ac_<area>`` -- AC branch losses of the synchronous area, against the
      power injected into it: plant output, a positive external infeed and the
      power the HVDC converters deliver into it;
    * ``sending_station`` -- losses of the converter(s) drawing power from the
      AC side (the rectifier in export, Nowshera under reverse flow), against
      the power they draw (:func:`hvdc_flow_mw`);
    * ``dc_line`` -- DC line losses, against the DC power leaving the sending station;
    * ``receiving_stations`` -- losses of the other converters, against the DC
      power arriving.

    Parameters
    ----------
    seasonal
        Seasonal result.
    params
        Its network (plant buses and converter buses give the areas).

    Returns
    -------
    tuple of xarray.DataArray
        Losses and denominators, each (time, segment) [MW]; non-convergent
        hours count zero AC losses.
    """
    terminals = [str(t) for t in seasonal.terminal.values]
    conv_loss = seasonal["converter_loss_mw"]
    # roles hour by hour: whoever draws from its AC bus sends (reverse flow swaps them)
    sending = seasonal["converter_p_mw"] > 0
    sending_loss = conv_loss.where(sending, 0.0).sum("terminal")
    receiving_loss = conv_loss.where(~sending, 0.0).sum("terminal")
    sent = hvdc_flow_mw(seasonal)
    dc_out = sent - sending_loss
    dc_in = dc_out - seasonal["hvdc_line_loss_mw"]
    area_of_terminal = _area_of_terminals(params, seasonal)
    bus_area = dict(
        zip(seasonal.bus.values.tolist(), seasonal.bus_area.values.tolist(), strict=True)
    )
    plant_area = [bus_area.get(p.bus, "") for p in params.plants]
    plant_ids = [p.id for p in params.plants]
    losses, bases = [], []
    for area in seasonal.area.values:
        plants = [pid for pid, a in zip(plant_ids, plant_area, strict=True) if a == area]
        plants = [p for p in plants if p in seasonal.plant.values]
        gen = seasonal["plant_p_mw"].sel(plant=plants).sum("plant")
        infeed = seasonal["external_mw"].sel(area=area).clip(min=0.0)
        into = [t for t in terminals if area_of_terminal.get(t) == area]
        delivered = -seasonal["converter_p_mw"].sel(terminal=into).sum("terminal")
        losses.append(seasonal["ac_losses_mw"].sel(area=area).fillna(0.0))
        bases.append(gen + infeed + delivered.clip(min=0.0))
    losses += [sending_loss, seasonal["hvdc_line_loss_mw"], receiving_loss]
    bases += [sent, dc_out, dc_in]
    names = loss_segments(seasonal)
    seg = xr.DataArray(names, dims="segment")
    loss = xr.concat([x.drop_vars(["area", "terminal"], errors="ignore") for x in losses], seg)
    base = xr.concat([x.drop_vars(["area", "terminal"], errors="ignore") for x in bases], seg)
    return loss.transpose("time", "segment"), base.transpose("time", "segment")


def loss_percent(loss_gwh: xr.DataArray, basis_gwh: xr.DataArray) -> xr.DataArray:
    r"""Loss share of each segment over the months: :math:`100 \sum L / \sum B` [%].

    Examples
    --------
    >>> loss = xr.DataArray([[1.0, 0.0]], dims=("month", "segment"))
    >>> basis = xr.DataArray([[50.0, 0.0]], dims=("month", "segment"))
    >>> loss_percent(loss, basis).values.tolist()
    [2.0, nan]
    """
    basis = basis_gwh.sum("month")
    return 100.0 * loss_gwh.sum("month") / basis.where(basis > 0)


def curtailed_gwh(seasonal: xr.Dataset, months: list[int]) -> xr.DataArray:
    r"""Export curtailed per month and reason: :math:`\sum_{t: r_t = r} (A_t - S_t) \Delta t`.

    Parameters
    ----------
    seasonal
        Seasonal result (``curtailed_mw``, ``curtail_reason``).
    months
        Months to report.

    Returns
    -------
    xarray.DataArray
        (month, reason) [GWh] over :data:`REASONS`.
    """
    reason = seasonal["curtail_reason"]
    curtailed = seasonal["curtailed_mw"]
    parts = [monthly_gwh(curtailed.where(reason == _CODE[r], 0.0), months) for r in REASONS]
    return xr.concat(parts, xr.DataArray(list(REASONS), dims="reason")).transpose("month", "reason")


def curtailed_hours(seasonal: xr.Dataset) -> xr.DataArray:
    """Hours with export curtailed, per reason [h], (reason) over :data:`REASONS`."""
    reason = seasonal["curtail_reason"]
    cut = seasonal["curtailed_mw"] > 1e-6
    counts = [int((cut & (reason == _CODE[r])).sum()) for r in REASONS]
    return xr.DataArray(np.asarray(counts, dtype=np.float64), dims="reason")
